import { describe, expect, it } from "vitest";
import { categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsAndGrad } from "xent";

/** softmax of a row in plain doubles, for moderate logits only (reference for these small cases). */
function naiveSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe("categoricalCrossEntropyWithLogitsAndGrad: class ids, weights, sum, gradOut (the training-loop path)", () => {
  it("gives softmax minus one-hot, scaled by the row weight, into gradOut", () => {
    const logits = [1, 2, 3, 0.5, -1, 0];
    const labels = [2, 0];
    const weights = [2, 0.5];
    const gradOut = new Float64Array(6);
    const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad(labels, logits, {
      classes: 3,
      weights,
      reduction: "sum",
      gradOut,
    });
    expect(grad).toBe(gradOut);
    const p0 = naiveSoftmax([1, 2, 3]);
    const p1 = naiveSoftmax([0.5, -1, 0]);
    const expected = [
      2 * p0[0]!, 2 * p0[1]!, 2 * (p0[2]! - 1),
      0.5 * (p1[0]! - 1), 0.5 * p1[1]!, 0.5 * p1[2]!,
    ];
    for (let j = 0; j < 6; j++) expect(grad[j]).toBeCloseTo(expected[j]!, 15);
    const l0 = -Math.log(p0[2]!);
    const l1 = -Math.log(p1[0]!);
    expect(loss).toBeCloseTo(2 * l0 + 0.5 * l1, 14);
    expect(categoricalCrossEntropyWithLogits(labels, logits, { classes: 3, weights, reduction: "sum" })).toBe(loss);
  });

  it("keeps the tiny loss and gradient of a confident row", () => {
    const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad([0], [50, 0], { classes: 2, reduction: "sum" });
    expect(loss).toBe(1.9287498479639178e-22);
    expect(grad[0]).toBe(-1.9287498479639178e-22);
    expect(grad[1]).toBe(1.9287498479639178e-22);
  });

  it("writes into a Float32Array gradOut and divides by the weight sum for the mean", () => {
    const gradOut = new Float32Array(4);
    const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad([0, 1], [0, 0, 0, 0], {
      classes: 2,
      weights: [1, 3],
      gradOut,
    });
    expect(loss).toBe(Math.LN2);
    expect(Array.from(grad)).toEqual([-0.125, 0.125, 0.375, -0.375]);
  });
});
