import { type BinaryLossOptions, batchLoss, lossAndGrad, logitBatch } from "./binaryBatch.js";
import { logitGrad, logitLoss } from "./binaryTerms.js";
import { logitExp } from "../numerics/fastLog1pExp.js";
import { checkNumber, checkUnitLabel } from "../common/checks.js";
import { type GradientBuffer, type LossAndGrad, type NumericArray, type Reduction } from "../common/reduction.js";
import { scalarOrBatch } from "../common/scalarOrBatch.js";

type Reduced = BinaryLossOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = BinaryLossOptions & { reduction: "none" };

/**
 * Binary cross-entropy from a logit s (the model's last linear output), with p = sigmoid(s) never formed:
 * `L = -[y log sigmoid(s) + (1 - y) log(1 - sigmoid(s))] = y softplus(-s) + (1 - y) softplus(s)`.
 *
 * Scalar: `binaryCrossEntropyWithLogits(y, s)` with y in [0, 1] (soft labels allowed), s any number
 * including ±Infinity. Batch: `binaryCrossEntropyWithLogits(labels, logits, options)`.
 *
 * ## Method
 * With `a = log1p(exp(-|s|))`, `softplus(-s) = a + max(-s, 0)` and `softplus(s) = a + max(s, 0)`: one exp
 * and one log1p, sums of non-negative terms only (no cancellation, also for soft labels), terms with a zero
 * coefficient skipped. Within 3 ulps everywhere; the naive `-log(1/(1+e^-s))` returns 0 for s = 40 (true
 * value 4.25e-18) and Infinity for s = -800 (true value 800).
 *
 * ## Special cases
 * L(1, +Infinity) = 0, L(1, -Infinity) = Infinity, L(0, -Infinity) = 0, L(y, 0) = log 2.
 *
 * @example binaryCrossEntropyWithLogits(1, 0) // 0.6931471805599453
 * @example binaryCrossEntropyWithLogits(0, 800) // 800
 */
export function binaryCrossEntropyWithLogits(y: number, s: number): number;
export function binaryCrossEntropyWithLogits(labels: NumericArray, logits: NumericArray, options?: Reduced): number;
export function binaryCrossEntropyWithLogits(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function binaryCrossEntropyWithLogits(
  a: number | NumericArray,
  b: number | NumericArray,
  options: BinaryLossOptions = {},
): number | Float64Array {
  const fn = "binaryCrossEntropyWithLogits";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkUnitLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return logitLoss(y, s, 1, logitExp(Math.abs(s)));
    },
    (labels, logits) => batchLoss(logitBatch(fn, labels, logits, options, false, true, false)),
  );
}

/**
 * dL/ds of binary cross-entropy with logits: `sigmoid(s) - y`.
 *
 * Scalar: `binaryCrossEntropyWithLogitsGrad(y, s)`. Batch: the gradient of the reduced loss with respect
 * to each logit (`Float64Array`, or into `options.gradOut`).
 *
 * ## Method
 * For y = 1 the result is `-sigmoid(-s)`, not `sigmoid(s) - 1`, which is 0 (or all noise) once sigmoid(s)
 * rounds near 1 (s > 37); for y = 0 it is `sigmoid(s)`. Both sigmoids come from one `exp(-|s|)`.
 *
 * @example binaryCrossEntropyWithLogitsGrad(1, 0) // -0.5
 * @example binaryCrossEntropyWithLogitsGrad(1, 40) // -4.248354255291589e-18
 */
export function binaryCrossEntropyWithLogitsGrad(y: number, s: number): number;
export function binaryCrossEntropyWithLogitsGrad(labels: NumericArray, logits: NumericArray, options?: BinaryLossOptions): GradientBuffer;
export function binaryCrossEntropyWithLogitsGrad(
  a: number | NumericArray,
  b: number | NumericArray,
  options: BinaryLossOptions = {},
): number | GradientBuffer {
  const fn = "binaryCrossEntropyWithLogitsGrad";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkUnitLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return logitGrad(y, s, 1, logitExp(Math.abs(s)));
    },
    (labels, logits) => logitBatch(fn, labels, logits, options, false, false, true).grad!,
  );
}

/**
 * Loss and gradient (with respect to the logits) of binary cross-entropy with logits in one pass, sharing
 * one exp per sample. The gradient goes into `options.gradOut` when given.
 *
 * @example binaryCrossEntropyWithLogitsAndGrad([1, 0], [0, 0]) // { loss: 0.6931471805599453, grad: Float64Array [-0.25, 0.25] }
 */
export function binaryCrossEntropyWithLogitsAndGrad(labels: NumericArray, logits: NumericArray, options?: Reduced): LossAndGrad<number>;
export function binaryCrossEntropyWithLogitsAndGrad(labels: NumericArray, logits: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function binaryCrossEntropyWithLogitsAndGrad(
  labels: NumericArray,
  logits: NumericArray,
  options: BinaryLossOptions = {},
): LossAndGrad<number | Float64Array> {
  const r = logitBatch("binaryCrossEntropyWithLogitsAndGrad", labels, logits, options, false, true, true);
  return lossAndGrad("binaryCrossEntropyWithLogitsAndGrad", options, r);
}
