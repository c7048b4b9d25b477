import { type BinaryLossOptions, prepare } from "./binaryBatch.js";
import { checkNumber, checkOptions, checkUnitLabel, fail } from "../common/checks.js";
import { reduced, unweighted } from "../numerics/extremeSums.js";
import { expNonPositive } from "../numerics/fastExp.js";
import { type GradientBuffer, type LossAndGrad, type NumericArray, type Reduction, type ReductionOptions } from "../common/reduction.js";
import { scalarOrBatch } from "../common/scalarOrBatch.js";

/** Options of the squared error of a sigmoid output on batches: a reduction, weights and a gradient buffer. */
export interface SigmoidSquaredErrorOptions extends ReductionOptions {
  /** A buffer of the batch's length that receives the gradient (loss-and-gradient and gradient passes). */
  gradOut?: GradientBuffer;
}

type Reduced = SigmoidSquaredErrorOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = SigmoidSquaredErrorOptions & { reduction: "none" };

/**
 * @internal `sigmoid(s) - y` and `sigmoid(s) sigmoid(-s)` from `e = exp(-|s|)`, without cancellation.
 *
 * With `big = 1 / (1 + e) = sigmoid(|s|)` and `small = e / (1 + e) = sigmoid(-|s|)`:
 * - the difference: for y = 1 it is `-sigmoid(-s)` (forming `sigmoid(s) - 1` would lose every digit once
 *   sigmoid(s) rounds near 1, s > 37); for y = 0 it is `sigmoid(s)`; for a soft label, the form that
 *   subtracts from the smaller sigmoid: `(1 - y) - small` when s >= 0, `small - y` when s < 0. What cancels
 *   then is only the true closeness of sigmoid(s) to y, which no formula in double precision can avoid.
 * - the derivative of the sigmoid: `sigmoid(s) (1 - sigmoid(s)) = big * small`, a product of two rounded
 *   quotients, never `p - p^2`.
 */
function differenceAndSlope(y: number, s: number, e: number): [number, number] {
  const big = 1 / (1 + e);
  const small = e * big;
  let d: number;
  if (y === 1) d = s >= 0 ? -small : -big;
  else if (y === 0) d = s >= 0 ? big : small;
  else d = s >= 0 ? 1 - y - small : small - y;
  return [d, big * small];
}

/** @internal The per-sample loss `(sigmoid(s) - y)^2`. */
function term(y: number, s: number, e: number): number {
  const [d] = differenceAndSlope(y, s, e);
  return d * d;
}

/** @internal The per-sample gradient `2 (sigmoid(s) - y) sigmoid(s) (1 - sigmoid(s))`. */
function gradTerm(y: number, s: number, e: number): number {
  const [d, slope] = differenceAndSlope(y, s, e);
  return 2 * d * slope;
}

/**
 * The squared error of a sigmoid output, `L = (sigmoid(s) - y)^2`, with y in [0, 1] (soft labels allowed)
 * and s the logit: the Brier score of one prediction, and what a logistic model would minimize if it were
 * trained with the squared error instead of the cross-entropy. It is here to compare the two: its gradient
 * with respect to the logit carries the factor `sigmoid(s) (1 - sigmoid(s))`, which vanishes when the
 * prediction is confidently wrong, so learning stalls exactly where it is needed most.
 * No factor 1/2: `L` is the plain square, as scikit-learn's `brier_score_loss` (mean over samples).
 *
 * Scalar: `sigmoidSquaredError(y, s)`. Batch: `sigmoidSquaredError(labels, logits, options)`.
 *
 * ## Method
 * `d^2` with `d = sigmoid(s) - y` formed from one `e = exp(-|s|)` without cancellation (see above); for hard
 * labels within 3 ulps of the exact value on the whole float64 range (the gradient within 4.5 ulps; both
 * measured against mpmath in test/sigmoidSquaredError.test.ts). No threshold: for s > 372.5 (y = 1)
 * the true loss `sigmoid(-s)^2 ~ e^(-2s)` is below the smallest subnormal and rounds to 0 by itself.
 *
 * ## Special cases
 * L(1, +Infinity) = L(0, -Infinity) = 0, L(1, -Infinity) = L(0, +Infinity) = 1, L(y, 0) = (0.5 - y)^2.
 * The loss is never infinite. A label outside [0, 1] or a NaN throws a RangeError naming it.
 *
 * @example sigmoidSquaredError(1, 0) // 0.25
 * @example sigmoidSquaredError(1, 40) // 1.804851387845415e-35
 */
export function sigmoidSquaredError(y: number, s: number): number;
export function sigmoidSquaredError(labels: NumericArray, logits: NumericArray, options?: Reduced): number;
export function sigmoidSquaredError(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function sigmoidSquaredError(
  a: number | NumericArray,
  b: number | NumericArray,
  options: SigmoidSquaredErrorOptions = {},
): number | Float64Array {
  const fn = "sigmoidSquaredError";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkUnitLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return term(y, s, expNonPositive(-Math.abs(s)));
    },
    (labels, logits) => batch(fn, labels, logits, options, true, false).loss,
  );
}

/**
 * dL/ds of the squared error of a sigmoid output: `2 (sigmoid(s) - y) sigmoid(s) (1 - sigmoid(s))`.
 * Compare `binaryCrossEntropyWithLogitsGrad(y, s) = sigmoid(s) - y`: the same sign, times
 * `2 sigmoid(s) (1 - sigmoid(s)) <= 1/2`, which goes to 0 at both ends.
 *
 * Scalar: `sigmoidSquaredErrorGrad(y, s)`. Batch: the gradient of the reduced loss with respect to each logit.
 *
 * ## Method
 * `2 d (big * small)` from the same `e = exp(-|s|)` as the loss (see `sigmoidSquaredError`); for y = 1 and
 * s >= 0 it is `-2 small^2 big`, accurate where `sigmoid(s) - 1` would already be 0.
 *
 * @example sigmoidSquaredErrorGrad(1, 0) // -0.25
 * @example sigmoidSquaredErrorGrad(1, -40) // -8.496708510583178e-18 (cross-entropy's gradient there: -1)
 */
export function sigmoidSquaredErrorGrad(y: number, s: number): number;
export function sigmoidSquaredErrorGrad(labels: NumericArray, logits: NumericArray, options?: SigmoidSquaredErrorOptions): GradientBuffer;
export function sigmoidSquaredErrorGrad(
  a: number | NumericArray,
  b: number | NumericArray,
  options: SigmoidSquaredErrorOptions = {},
): number | GradientBuffer {
  const fn = "sigmoidSquaredErrorGrad";
  return scalarOrBatch(
    fn,
    a,
    b,
    ["y", "s"],
    ["labels", "logits"],
    (y, s) => {
      checkUnitLabel(y, `${fn}: y`);
      checkNumber(s, `${fn}: s`);
      return gradTerm(y, s, expNonPositive(-Math.abs(s)));
    },
    (labels, logits) => batch(fn, labels, logits, options, false, true).grad!,
  );
}

/**
 * Loss and gradient (with respect to the logits) of the squared error of sigmoid outputs in one pass over
 * a batch, one exp per sample. The gradient goes into `options.gradOut` when given.
 *
 * @example sigmoidSquaredErrorAndGrad([1, 0], [0, 0]) // { loss: 0.25, grad: Float64Array [-0.125, 0.125] }
 */
export function sigmoidSquaredErrorAndGrad(labels: NumericArray, logits: NumericArray, options?: Reduced): LossAndGrad<number>;
export function sigmoidSquaredErrorAndGrad(labels: NumericArray, logits: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function sigmoidSquaredErrorAndGrad(
  labels: NumericArray,
  logits: NumericArray,
  options: SigmoidSquaredErrorOptions = {},
): LossAndGrad<number | Float64Array> {
  const { loss, grad } = batch("sigmoidSquaredErrorAndGrad", labels, logits, options, true, true);
  return { loss, grad: grad! };
}

/**
 * @internal One pass over a batch, with the conventions of the binary losses (`prepare` in binaryBatch.ts):
 * labels in [0, 1], weights, reductions, Neumaier-compensated sum, gradient of the reduced loss.
 */
function batch(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  options: SigmoidSquaredErrorOptions,
  wantLoss: boolean,
  wantGrad: boolean,
): { loss: number | Float64Array; grad: GradientBuffer | null } {
  // Only the reduction options are accepted and passed on: posWeight and labelSmoothing do not apply to this loss.
  checkOptions(fn, options, ["reduction", "weights", "gradOut"]);
  const common: BinaryLossOptions =
    options == null || typeof options !== "object"
      ? (options as BinaryLossOptions)
      : { reduction: options.reduction, weights: options.weights, gradOut: options.gradOut };
  const { n, perSample, grad, weights, divisor } = prepare(fn, labels, logits, "logits", common, wantLoss, wantGrad);
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    const s = logits[i]!;
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const w = weights === undefined ? 1 : weights[i]!;
    const e = expNonPositive(-Math.abs(s));
    if (wantLoss) {
      let loss = term(y, s, e);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else {
        // Neumaier's compensated sum (see compensatedSum.ts); the losses are >= 0, so sum >= loss decides.
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
    if (grad !== null) {
      const g = gradTerm(y, s, e);
      grad[i] = w === 1 ? (divisor === 1 ? g : g / divisor) : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  return { loss: perSample ?? reduced(sum, c, divisor, weights, () => batch(fn, labels, logits, unweighted(options), true, false).loss), grad };
}
