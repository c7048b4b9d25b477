import { describe, expect, it, test } from "vitest";
import {
  categoricalCrossEntropy,
  categoricalCrossEntropyAndGrad,
  categoricalCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogitsAndGrad,
} from "xent";

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
    const expected = [2 * p0[0]!, 2 * p0[1]!, 2 * (p0[2]! - 1), 0.5 * (p1[0]! - 1), 0.5 * p1[1]!, 0.5 * p1[2]!];
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

describe("options.out: the caller's result object (as for the binary losses)", () => {
  test("is filled and returned; its loss is the reduced loss or the per-row Float64Array", () => {
    const out = { loss: 0, grad: new Float64Array(0) as ArrayLike<number> };
    const gradOut = new Float64Array(6);
    const logits = [1, 2, 3, 0, 0, 0];
    const got = categoricalCrossEntropyWithLogitsAndGrad([2, 0], logits, { classes: 3, gradOut, out: out as never });
    expect(got).toBe(out);
    expect(got.grad).toBe(gradOut);
    expect(got.loss).toBe(categoricalCrossEntropyWithLogits([2, 0], logits, { classes: 3 }));
    const fresh = categoricalCrossEntropyWithLogitsAndGrad([2, 0], logits, { classes: 3 });
    expect(Array.from(gradOut)).toEqual(Array.from(fresh.grad));
    const none = categoricalCrossEntropyWithLogitsAndGrad([2, 0], logits, { classes: 3, reduction: "none", out: out as never });
    expect(none).toBe(out);
    expect(none.loss).toBeInstanceOf(Float64Array);
    const p = [0.25, 0.5, 0.25];
    const probs = categoricalCrossEntropyAndGrad([1], p, { classes: 3, out: out as never });
    expect(probs).toBe(out);
    expect(probs.loss).toBe(categoricalCrossEntropy([1], p, { classes: 3 }));
    expect(Array.from(probs.grad)).toEqual([0, -2, 0]);
  });
  test("a mean whose sum overflows (the re-entrant rare path) is the same with out", () => {
    const out = { loss: 0, grad: new Float64Array(0) as ArrayLike<number> };
    const logits = [1e308, 0, 1e308, 0];
    const got = categoricalCrossEntropyWithLogitsAndGrad([1, 1], logits, { classes: 2, out: out as never });
    expect(got).toBe(out);
    expect(got.loss).toBe(categoricalCrossEntropyWithLogits([1, 1], logits, { classes: 2 }));
    expect(got.loss).toBe(1e308);
  });
  test("must be an object; it is a known option", () => {
    expect(() => categoricalCrossEntropyWithLogitsAndGrad([0], [0, 0], { classes: 2, out: 3 as never })).toThrow(
      new TypeError("categoricalCrossEntropyWithLogitsAndGrad: options.out = 3 is not an object"),
    );
    expect(() => categoricalCrossEntropyAndGrad([0], [0.5, 0.5], { classes: 2, out: null as never })).toThrow(
      new TypeError("categoricalCrossEntropyAndGrad: options.out = null is not an object"),
    );
    expect(() => categoricalCrossEntropyWithLogitsAndGrad([0], [0, 0], { classes: 2, outt: {} } as never)).toThrow(
      /unknown option "outt" \(allowed: classes, reduction, weights, classWeights, labelSmoothing, ignoreIndex, gradOut, out\)/,
    );
  });
});
