import { type BinaryLossOptions, batchLoss, lossAndGrad, logitBatch } from "./binaryBatch.js";
import { logitGrad, logitLoss } from "./binaryTerms.js";
import { logitExp } from "../numerics/fastLog1pExp.js";
import { checkNumber, checkSignLabel } from "../common/checks.js";
import { type GradientBuffer, type LossAndGrad, type NumericArray, type Reduction } from "../common/reduction.js";
import { scalarOrBatch } from "../common/scalarOrBatch.js";

type Reduced = BinaryLossOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = BinaryLossOptions & { reduction: "none" };

/**
 * The logistic loss, the tutorial's form two, with labels y in {-1, +1}: `L = log(1 + e^(-y s))`.
 * Since `1 - sigmoid(s) = sigmoid(-s)`, `P(y | x) = sigmoid(y s)` and L is minus its log: the same loss as
 * `binaryCrossEntropyWithLogits((y + 1) / 2, s)`, and bit for bit the same number (one shared kernel).
 *
 * Scalar: `logisticLoss(y, s)`. Batch: `logisticLoss(labels, logits, options)`; `posWeight` weighs the
 * y = +1 samples, `labelSmoothing` applies after mapping the labels to {0, 1}.
 *
 * ## Method
 * `softplus(-y s)` in its stable form (see `softplus`): y s is exact (a sign change), e^(y s) is never
 * formed, so L(1, -1000) = 1000 and L(1, 40) = 4.25e-18 where the naive formula gives Infinity and 0.
 *
 * @example logisticLoss(1, 0) // 0.6931471805599453
 * @example logisticLoss(-1, 2) // 2.1269280110429727
 */
export function logisticLoss(y: number, s: number): number;
export function logisticLoss(labels: NumericArray, logits: NumericArray, options?: Reduced): number;
export function logisticLoss(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function logisticLoss(a: number | NumericArray, b: number | NumericArray, options: BinaryLossOptions = {}): number | Float64Array {
  const fn = "logisticLoss";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkSignLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return logitLoss(y > 0 ? 1 : 0, s, 1, logitExp(Math.abs(s)));
    },
    (labels, logits) => batchLoss(logitBatch(fn, labels, logits, options, true, true, false)),
  );
}

/**
 * dL/ds of the logistic loss: `-y sigmoid(-y s)`, formed from one `exp(-|s|)` without cancellation.
 *
 * @example logisticLossGrad(1, 0) // -0.5
 * @example logisticLossGrad(-1, 0) // 0.5
 */
export function logisticLossGrad(y: number, s: number): number;
export function logisticLossGrad(labels: NumericArray, logits: NumericArray, options?: BinaryLossOptions): GradientBuffer;
export function logisticLossGrad(a: number | NumericArray, b: number | NumericArray, options: BinaryLossOptions = {}): number | GradientBuffer {
  const fn = "logisticLossGrad";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkSignLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return logitGrad(y > 0 ? 1 : 0, s, 1, logitExp(Math.abs(s)));
    },
    (labels, logits) => logitBatch(fn, labels, logits, options, true, false, true).grad!,
  );
}

/**
 * Loss and gradient of the logistic loss in one pass over a batch with labels in {-1, +1}.
 *
 * @example logisticLossAndGrad([1, -1], [0, 0], { reduction: "sum" }) // { loss: 1.3862943611198906, grad: Float64Array [-0.5, 0.5] }
 */
export function logisticLossAndGrad(labels: NumericArray, logits: NumericArray, options?: Reduced): LossAndGrad<number>;
export function logisticLossAndGrad(labels: NumericArray, logits: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function logisticLossAndGrad(labels: NumericArray, logits: NumericArray, options: BinaryLossOptions = {}): LossAndGrad<number | Float64Array> {
  const r = logitBatch("logisticLossAndGrad", labels, logits, options, true, true, true);
  return lossAndGrad("logisticLossAndGrad", options, r);
}
