import { checkOptions } from "../common/checks.js";
import { type CategoricalCrossEntropyOptions, categoricalLoss, categoricalLossAndGrad, logitsPass, prepareCategorical } from "./categoricalBatch.js";
import { type LossAndGrad, type NumericArray, type Reduction } from "../common/reduction.js";

type Reduced = CategoricalCrossEntropyOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = CategoricalCrossEntropyOptions & { reduction: "none" };

/**
 * Categorical (softmax) cross-entropy from logits: for a row z of k logits and a target row t (the one-hot
 * row of a class id y, or soft labels), `L = -sum_j t_j log softmax(z)_j`; for a class id,
 * `L = logSumExp(z) - z_y`. PyTorch's `CrossEntropyLoss`, Keras' `CategoricalCrossentropy(from_logits=True)`,
 * Optax's `softmax_cross_entropy(_with_integer_labels)`.
 *
 * `labels`: n class ids (integers in [0, k)) or n * k target probabilities (rows >= 0 summing to 1 within
 * 1e-5); `logits`: n * k numbers, row-major; `options.classes = k` is required. Options: `reduction`
 * ("mean" default, "batchmean", "sum", "none"), per-row `weights`, `classWeights`, `ignoreIndex`,
 * `labelSmoothing` (PyTorch semantics: `(1 - a) t + a / k`).
 *
 * ## Method
 * `-logSoftmax_j = (m - z_j) + log1p(sum_{j' != a} exp(z_j' - m))` with m the row maximum at column a:
 * two non-negative terms, every exponent <= 0, the rounding error of each difference carried by TwoSum
 * and the sum compensated (see `softmaxRow.ts`). So a confidently right row keeps its tiny loss:
 * logits [50, 0] with label 0 give 1.9287498479639178e-22 where `logSumExp(z) - z_y` (PyTorch, TensorFlow)
 * gives 0, and logits spread over ±1e300 are exact. Within 8 ulps of the exact value (measured: see the
 * fixture tests) for every finite input and up to 1,000 classes. With k = 2 and logits [0, s] the result is
 * bit for bit `binaryCrossEntropyWithLogits(y, s)`.
 *
 * ## Special cases
 * An infinite maximum is a limit (see `softmax`): [Infinity, 0] with label 0 costs 0, with label 1 Infinity.
 * A row whose target class has logit -Infinity (and a finite maximum) costs Infinity.
 * A mean over rows that are all ignored (or of total weight 0) throws a RangeError (PyTorch returns NaN);
 * `reduction: "sum"` gives 0.
 *
 * @example categoricalCrossEntropyWithLogits([0], [50, 0], { classes: 2 }) // 1.9287498479639178e-22
 * @example categoricalCrossEntropyWithLogits([2, 0], [1, 2, 3, 0, 0, 0], { classes: 3 }) // 0.7531091265562451 (the mean)
 */
export function categoricalCrossEntropyWithLogits(labels: NumericArray, logits: NumericArray, options: Reduced): number;
export function categoricalCrossEntropyWithLogits(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function categoricalCrossEntropyWithLogits(
  labels: NumericArray,
  logits: NumericArray,
  options: CategoricalCrossEntropyOptions,
): number | Float64Array;
export function categoricalCrossEntropyWithLogits(
  labels: NumericArray,
  logits: NumericArray,
  options: CategoricalCrossEntropyOptions,
): number | Float64Array {
  const fn = "categoricalCrossEntropyWithLogits";
  prepare(fn, labels, logits, options);
  return categoricalLoss(logitsPass(fn, labels, logits, undefined, true, false, null));
}

/**
 * Loss and gradient of `categoricalCrossEntropyWithLogits` in one pass (one exp per logit). The gradient is
 * that of the reduced loss with respect to every logit, `(w_i / D) (W_i softmax(z_i) - c ⊙ t_i)` with
 * `W_i = sum_j c_j t_ij` (for a class id y and no smoothing: `w_i c_y (softmax(z_i) - onehot(y)) / D`), D the
 * reduction's divisor; it goes into `options.gradOut` (length n * k) when given. With `options.out` too (an
 * object that is filled with `loss` and `grad` and returned), a training step with class ids allocates
 * nothing (as for the binary losses; test/allocations.test.ts). Each unweighted, unsmoothed row of the gradient sums to 0
 * within rounding. `softmax_y - 1` at the row's maximum is formed as `-T / (1 + T)`, so a confident row
 * keeps its tiny gradient (-1.93e-22 for [50, 0], label 0) instead of 0.
 *
 * @example categoricalCrossEntropyWithLogitsAndGrad([0], [0, 0], { classes: 2, reduction: "sum" }) // { loss: 0.6931471805599453, grad: Float64Array [-0.5, 0.5] }
 */
export function categoricalCrossEntropyWithLogitsAndGrad(labels: NumericArray, logits: NumericArray, options: Reduced): LossAndGrad<number>;
export function categoricalCrossEntropyWithLogitsAndGrad(labels: NumericArray, logits: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function categoricalCrossEntropyWithLogitsAndGrad(
  labels: NumericArray,
  logits: NumericArray,
  options: CategoricalCrossEntropyOptions,
): LossAndGrad<number | Float64Array>;
export function categoricalCrossEntropyWithLogitsAndGrad(
  labels: NumericArray,
  logits: NumericArray,
  options: CategoricalCrossEntropyOptions,
): LossAndGrad<number | Float64Array> {
  const fn = "categoricalCrossEntropyWithLogitsAndGrad";
  prepare(fn, labels, logits, options);
  return categoricalLossAndGrad(fn, options.out, logitsPass(fn, labels, logits, options.gradOut, true, true, null));
}

/** The option names (a constant: a literal array would be allocated on every call). */
const LOGITS_OPTIONS = ["classes", "reduction", "weights", "classWeights", "labelSmoothing", "ignoreIndex", "gradOut", "out"] as const;

function prepare(fn: string, labels: NumericArray, logits: NumericArray, options: CategoricalCrossEntropyOptions): void {
  checkOptions(fn, options, LOGITS_OPTIONS);
  prepareCategorical(fn, labels, logits, "logits", options, options?.classWeights, true);
}
