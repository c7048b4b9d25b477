/**
 * Batch reductions at the edges of the double range: a weighted sum that overflows although the mean is
 * finite (recovered by re-summing exactly scaled terms, src/core/numerics/extremeSums.ts), weights whose sum
 * overflows, and subnormal weights whose products with the losses would underflow.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as xent from "xent";
import { ulp } from "./ulp.js";

const {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsAndGrad,
  logisticLoss,
  focalLoss,
  sigmoidSquaredError,
  categoricalCrossEntropyWithLogits,
  categoricalCrossEntropy,
  categoricalFocalLoss,
  brierScore,
  accuracy,
  compensatedSum,
} = xent;

describe("a sum that overflows while its mean is finite", () => {
  test("the cases of the report give the exact mean, 1e308", () => {
    expect(binaryCrossEntropyWithLogits([0, 0], [1e308, 1e308])).toBe(1e308);
    expect(binaryCrossEntropyWithLogits([0, 0], [1e308, 1e308], { reduction: "batchmean" })).toBe(1e308);
    expect(binaryCrossEntropyWithLogits([0], [1e308], { weights: [4] })).toBe(1e308);
    expect(categoricalCrossEntropyWithLogits([1, 1], [1e308, 0, 1e308, 0], { classes: 2 })).toBe(1e308);
  });

  test("every batch loss recovers", () => {
    expect(binaryCrossEntropyWithLogitsAndGrad([0, 0], [1e308, 1e308]).loss).toBe(1e308);
    expect(logisticLoss([-1, -1], [1e308, 1e308])).toBe(1e308);
    expect(focalLoss([0, 0], [1e308, 1e308], { gamma: 0, alpha: null })).toBe(1e308);
    expect(categoricalFocalLoss([1, 1], [1e308, 0, 1e308, 0], { classes: 2, gamma: 0 })).toBe(1e308);
    // -log(2^-1000) = 693.147..., times weights whose products overflow; the weighted mean is the loss.
    const l = 1000 * Math.LN2;
    expect(binaryCrossEntropy([1, 1], [2 ** -1000, 2 ** -1000], { weights: [1e306, 1e306] })).toBeCloseTo(l, 12);
    expect(categoricalCrossEntropy([0, 0], [2 ** -1000, 1, 2 ** -1000, 1], { classes: 2, weights: [1e306, 1e306] })).toBeCloseTo(l, 12);
  });

  test("a weighted mean whose weight sum overflows is the mean, not a NaN or an error", () => {
    const big = [1e308, 1e308];
    expect(sigmoidSquaredError([0, 0], [1, 1], { weights: big })).toBe(sigmoidSquaredError(0, 1));
    expect(binaryCrossEntropyWithLogits([0, 0], [1, 1], { weights: big })).toBe(binaryCrossEntropyWithLogits(0, 1));
    expect(brierScore([0, 0], [0.5, 0.5], { weights: big })).toBe(0.25);
    expect(accuracy([0, 1], [0.2, 0.3], { weights: big })).toBe(0.5);
    expect(sigmoidSquaredError([0, 0], [1, 1], { weights: big, reduction: "batchmean" })).toBeCloseTo(1e308 * sigmoidSquaredError(0, 1), -300);
  });

  test("a true infinity stays Infinity, unless its weight is 0", () => {
    expect(binaryCrossEntropyWithLogits([0, 0], [1e308, Infinity])).toBe(Infinity);
    expect(binaryCrossEntropyWithLogits([0, 0], [1e308, Infinity], { weights: [1, 0] })).toBe(1e308);
    expect(binaryCrossEntropyWithLogits([0, 0], [1.7e308, 1.7e308], { reduction: "sum" })).toBe(Infinity);
    // A mean beyond the largest double is Infinity, its correctly rounded value.
    expect(binaryCrossEntropyWithLogits([0, 0], [1.7e308, 1.7e308], { weights: [1.5, 1.5], reduction: "batchmean" })).toBe(Infinity);
  });

  test("the recovered mean of huge losses is within 4 ulps of the compensated mean of the exactly scaled losses", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e306, max: 1.7e308, noNaN: true }), { minLength: 2, maxLength: 40 }), (logits) => {
        const labels = logits.map(() => 0);
        const got = binaryCrossEntropyWithLogits(labels, logits);
        const want = (compensatedSum(logits.map((s) => s / 64)) / logits.length) * 64; // s / 64 and * 64 are exact
        expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * ulp(want));
      }),
    );
  });
});

describe("class weights of a class-id mean", () => {
  test("huge or subnormal class weights (and row weights) give the mean of the plain losses", () => {
    const plain = categoricalCrossEntropyWithLogits([0, 1], [0, 0, 0, 1], { classes: 2 });
    const near = (v: number) => expect(Math.abs(v - plain)).toBeLessThanOrEqual(2 * ulp(plain));
    near(categoricalCrossEntropyWithLogits([0, 1], [0, 0, 0, 1], { classes: 2, classWeights: [1e308, 1e308] }));
    near(categoricalCrossEntropyWithLogits([0, 1], [0, 0, 0, 1], { classes: 2, classWeights: [1e200, 1e200], weights: [1e200, 1e200] }));
    near(categoricalCrossEntropyWithLogits([0, 1], [0, 0, 0, 1], { classes: 2, classWeights: [5e-324, 5e-324] }));
  });
});

describe("subnormal weights", () => {
  test("a weighted mean with subnormal weights is the mean of the losses", () => {
    const labels = [1, 0, 1];
    const logits = [0.3, 0.4, -2];
    const plain = binaryCrossEntropyWithLogits(labels, logits);
    const tiny = [5e-324, 5e-324, 5e-324];
    expect(binaryCrossEntropyWithLogits(labels, logits, { weights: tiny })).toBe(plain);
    expect(focalLoss(labels, logits, { weights: tiny })).toBe(focalLoss(labels, logits));
    expect(sigmoidSquaredError(labels, logits, { weights: tiny })).toBe(sigmoidSquaredError(labels, logits));
    expect(categoricalCrossEntropyWithLogits([0, 1], [1, 2, 3, 0], { classes: 2, weights: [5e-324, 1e-323] })).toBeCloseTo(
      categoricalCrossEntropyWithLogits([0, 1], [1, 2, 3, 0], { classes: 2, weights: [1, 2] }),
      14,
    );
    expect(brierScore([1, 0], [0.9, 0.2], { weights: [5e-324, 5e-324] })).toBe(brierScore([1, 0], [0.9, 0.2]));
  });

  test("the gradient of a weighted mean with subnormal weights is that of the plain mean", () => {
    const plain = binaryCrossEntropyWithLogitsAndGrad([1, 0], [0.3, 0.4]);
    const tiny = binaryCrossEntropyWithLogitsAndGrad([1, 0], [0.3, 0.4], { weights: [5e-324, 5e-324] });
    expect(tiny.loss).toBe(plain.loss);
    expect(Array.from(tiny.grad)).toEqual(Array.from(plain.grad));
  });
});
