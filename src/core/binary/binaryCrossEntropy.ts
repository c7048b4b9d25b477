import { type BinaryCrossEntropyOptions, batchLoss, lossAndGrad, probabilityBatch } from "./binaryBatch.js";
import { probabilityGrad, probabilityLoss } from "./binaryTerms.js";
import { checkProbability, checkUnitLabel } from "../common/checks.js";
import { type GradientBuffer, type LossAndGrad, type NumericArray, type Reduction } from "../common/reduction.js";
import { scalarOrBatch } from "../common/scalarOrBatch.js";

type Reduced = BinaryCrossEntropyOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = BinaryCrossEntropyOptions & { reduction: "none" };

/**
 * Binary cross-entropy from a probability, the tutorial's form one: `L = -[y log p + (1 - y) log(1 - p)]`,
 * minus the log of the Bernoulli likelihood `p^y (1 - p)^(1 - y)`.
 *
 * Scalar: `binaryCrossEntropy(y, p)` with y in [0, 1] (soft labels allowed) and p in [0, 1].
 * Batch: `binaryCrossEntropy(labels, probabilities, options)`, reduced as `options.reduction` says.
 *
 * ## Method
 * `-y log p - (1 - y) log1p(-p)`: two non-negative terms, a term with coefficient 0 skipped (so L(0, 0) = 0,
 * not NaN), `log1p(-p)` instead of `log(1 - p)`. Within 3 ulps of the exact value everywhere.
 *
 * ## Special cases
 * L(1, 0) = L(0, 1) = Infinity (the true loss; pass `epsilon` to clip); L(1, 1) = L(0, 0) = 0.
 * A label outside [0, 1], a probability outside [0, 1] or a NaN throws a RangeError naming it.
 *
 * @example binaryCrossEntropy(1, 0.9) // 0.10536051565782628
 * @example binaryCrossEntropy([1, 0], [0.9, 0.2]) // 0.16425203348601802 (the mean)
 */
export function binaryCrossEntropy(y: number, p: number): number;
export function binaryCrossEntropy(labels: NumericArray, probabilities: NumericArray, options?: Reduced): number;
export function binaryCrossEntropy(labels: NumericArray, probabilities: NumericArray, options: PerSample): Float64Array;
export function binaryCrossEntropy(
  a: number | NumericArray,
  b: number | NumericArray,
  options: BinaryCrossEntropyOptions = {},
): number | Float64Array {
  const fn = "binaryCrossEntropy";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "p"],
    ["labels", "probabilities"],
    (y, p) => {
      checkUnitLabel(y, `${fn}: y`);
      checkProbability(p, `${fn}: p`);
      return probabilityLoss(y, p, 1);
    },
    (labels, probabilities) => {
      return batchLoss(probabilityBatch(fn, labels, probabilities, options, true, false));
    },
  );
}

/**
 * dL/dp of binary cross-entropy from a probability: `-y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p))`.
 *
 * Scalar: `binaryCrossEntropyGrad(y, p)`. Batch: the gradient of the reduced loss with respect to each
 * probability, as a `Float64Array` (or into `options.gradOut`).
 *
 * ## Method
 * A hard label has one term (`-1/p` or `1/(1 - p)`); a soft label uses `(p - y) / (p (1 - p))`, where p - y
 * is formed exactly instead of subtracting two large, nearly equal quotients.
 *
 * @example binaryCrossEntropyGrad(1, 0.5) // -2
 * @example binaryCrossEntropyGrad(0, 0) // 1
 */
export function binaryCrossEntropyGrad(y: number, p: number): number;
export function binaryCrossEntropyGrad(labels: NumericArray, probabilities: NumericArray, options?: BinaryCrossEntropyOptions): GradientBuffer;
export function binaryCrossEntropyGrad(
  a: number | NumericArray,
  b: number | NumericArray,
  options: BinaryCrossEntropyOptions = {},
): number | GradientBuffer {
  const fn = "binaryCrossEntropyGrad";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "p"],
    ["labels", "probabilities"],
    (y, p) => {
      checkUnitLabel(y, `${fn}: y`);
      checkProbability(p, `${fn}: p`);
      return probabilityGrad(y, p, 1);
    },
    (labels, probabilities) => {
      return probabilityBatch(fn, labels, probabilities, options, false, true).grad!;
    },
  );
}

/**
 * Loss and gradient of binary cross-entropy from probabilities in one pass over the batch. The gradient
 * (of the reduced loss, with respect to each probability) goes into `options.gradOut` when given, so a
 * training loop allocates nothing but the small result object per step.
 *
 * @example binaryCrossEntropyAndGrad([1, 0], [0.5, 0.5], { reduction: "sum" }) // { loss: 1.3862943611198906, grad: Float64Array [-2, 2] }
 */
export function binaryCrossEntropyAndGrad(labels: NumericArray, probabilities: NumericArray, options?: Reduced): LossAndGrad<number>;
export function binaryCrossEntropyAndGrad(labels: NumericArray, probabilities: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function binaryCrossEntropyAndGrad(
  labels: NumericArray,
  probabilities: NumericArray,
  options: BinaryCrossEntropyOptions = {},
): LossAndGrad<number | Float64Array> {
  const r = probabilityBatch("binaryCrossEntropyAndGrad", labels, probabilities, options, true, true);
  return lossAndGrad("binaryCrossEntropyAndGrad", options, r);
}
