import { fail, failType } from "./checks.js";

/**
 * How a batch of per-sample losses becomes one number.
 * - `"mean"` (default): `sum_i w_i L_i / sum_i w_i`, the weighted mean; without weights, the plain mean.
 *   With weights this is what PyTorch's `CrossEntropyLoss(weight=...)` does, not what its `BCELoss(weight=...)`
 *   does (that one divides by N): use `"batchmean"` for the latter.
 * - `"batchmean"`: `sum_i w_i L_i / N`, the weighted sum divided by the number of samples.
 * - `"sum"`: `sum_i w_i L_i`, the tutorial's sum over N samples.
 * - `"none"`: the per-sample losses `w_i L_i` as a `Float64Array`.
 * A mean over zero total weight (an empty batch, or all weights 0) is undefined and throws a RangeError
 * instead of returning NaN; `"sum"` of it is 0.
 */
export type Reduction = "mean" | "batchmean" | "sum" | "none";

/** A batch input: a plain array or a typed array of numbers. */
export type NumericArray = ArrayLike<number>;

/** A buffer that a loss-and-gradient pass may write its gradient into. */
export type GradientBuffer = Float64Array | Float32Array | number[];

/** The result of a loss-and-gradient pass: the reduced loss and the gradient with respect to the input. */
export interface LossAndGrad<L = number> {
  loss: L;
  grad: GradientBuffer;
}

/** Options common to every batch loss. */
export interface ReductionOptions {
  /** How per-sample losses are combined; default `"mean"`. */
  reduction?: Reduction;
  /** Per-sample weights, finite and >= 0, one per sample. A sample of weight 0 contributes 0, even if its loss is Infinity. */
  weights?: NumericArray;
}

/** @internal */
export function checkReduction(fn: string, reduction: unknown): Reduction {
  if (reduction === undefined) return "mean";
  if (reduction === "mean" || reduction === "sum" || reduction === "none" || reduction === "batchmean") {
    return reduction;
  }
  return fail(`${fn}: options.reduction`, reduction, 'is not "mean", "batchmean", "sum" or "none"');
}

/** @internal The divisor that turns a weighted sum into the requested reduction. */
export function reductionDivisor(fn: string, reduction: Reduction, weightSum: number, n: number): number {
  if (reduction === "mean") {
    if (!(weightSum > 0)) {
      throw new RangeError(`${fn}: the mean over a total weight of ${weightSum} is undefined (${n} samples); use reduction "sum" for empty batches`);
    }
    return weightSum;
  }
  if (reduction === "batchmean") {
    if (n === 0) throw new RangeError(`${fn}: the batchmean of an empty batch is undefined; use reduction "sum"`);
    return n;
  }
  return 1;
}

/** @internal Checks that two batch arguments have the same length and returns it. */
export function checkSameLength(fn: string, aName: string, a: NumericArray, bName: string, b: NumericArray): number {
  if (a == null || typeof a.length !== "number") failType(`${fn}: ${aName}`, a, "is not an array");
  if (b == null || typeof b.length !== "number") failType(`${fn}: ${bName}`, b, "is not an array");
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: ${aName} has length ${a.length} but ${bName} has length ${b.length}`);
  }
  return a.length;
}

/** @internal Checks or allocates the gradient buffer. */
export function gradientBuffer(fn: string, out: GradientBuffer | undefined, n: number): GradientBuffer {
  if (out === undefined) return new Float64Array(n);
  if (out == null || typeof out.length !== "number") failType(`${fn}: options.gradOut`, out, "is not an array");
  if (out.length !== n) throw new RangeError(`${fn}: options.gradOut has length ${out.length} but the batch has ${n} samples`);
  return out;
}
