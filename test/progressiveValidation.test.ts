import { describe, expect, it } from "vitest";
import { FtrlProximal, ProgressiveValidation } from "../src/index.js";

describe("ProgressiveValidation", () => {
  it("prints at example weights 1, 2, 4, 8, ... with the average loss and the loss since the last line", () => {
    const pv = new ProgressiveValidation();
    const printed: number[] = [];
    const lines = [];
    for (let i = 1; i <= 20; i++) {
      const line = pv.add(i, 1, i % 2, 0.25, 3);
      if (line !== null) {
        printed.push(line.exampleCounter);
        lines.push(line);
      }
    }
    expect(printed).toEqual([1, 2, 4, 8, 16]);
    // Losses 1..n: the average is (n + 1) / 2; since the line at 4, examples 5..8 average 6.5.
    expect(lines[3]).toEqual({
      averageLoss: 4.5,
      sinceLast: 6.5,
      exampleCounter: 8,
      exampleWeight: 8,
      currentLabel: 0,
      currentPredict: 0.25,
      currentFeatures: 3,
    });
    // The end of a run: examples 17..20 since the line at 16.
    expect(pv.line()).toMatchObject({ averageLoss: 10.5, sinceLast: 18.5, exampleCounter: 20 });
  });

  it("weighs by importance (print points are example weights, as VW's) and leaves unlabeled examples out of the loss", () => {
    const pv = new ProgressiveValidation();
    expect(pv.add(1, 3, 1, 0.5, 1)).toMatchObject({ exampleCounter: 1, exampleWeight: 3, averageLoss: 1 });
    // The next print point is 4: weight 3 + 0.5 is short of it.
    expect(pv.add(2, 0.5, 0, 0.5, 1)).toBeNull();
    expect(pv.add(100, 1, NaN, 0.5, 1)).toMatchObject({ exampleCounter: 3, exampleWeight: 4.5, averageLoss: (3 + 1) / 3.5 });
    expect(pv.averageLoss).toBe((3 + 1) / 3.5);
    expect(pv.examples).toBe(3);
    expect(pv.weightSum).toBe(4.5);
    expect(new ProgressiveValidation().averageLoss).toBeNaN();
    expect(() => new ProgressiveValidation(1)).toThrow(/multiplier = 1/);
  });

  it("adds a million losses with a compensated sum (0.1 each: the mean is exactly 0.1)", () => {
    const pv = new ProgressiveValidation();
    for (let i = 0; i < 1e6; i++) pv.add(0.1, 1, 1, 0.5, 1);
    expect(pv.averageLoss).toBe(0.1);
  });

  it("scores each example before learning it: the first loss of a fresh model is log 2", () => {
    const m = new FtrlProximal({ bits: 4 });
    const pv = new ProgressiveValidation();
    m.learn(Int32Array.of(1), Float64Array.of(1), 1, 1);
    expect(pv.add(m.lastLoss, 1, 1, 0.5, 2)!.averageLoss).toBe(Math.LN2);
  });
});
