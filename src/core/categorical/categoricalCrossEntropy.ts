import {
  type CategoricalProbabilityOptions,
  categoricalLoss,
  categoricalLossAndGrad,
  prepareCategorical,
  probabilitiesPass,
} from "./categoricalBatch.js";
import { checkOptions, fail } from "../common/checks.js";
import { type LossAndGrad, type NumericArray, type Reduction } from "../common/reduction.js";

type Reduced = CategoricalProbabilityOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = CategoricalProbabilityOptions & { reduction: "none" };

/**
 * Categorical cross-entropy from probabilities: for a row p of k probabilities and a target row t (the
 * one-hot row of a class id y, or soft labels), `L = -sum_j t_j log p_j`; for a class id, `-log p_y`.
 * Keras' `CategoricalCrossentropy()` / `SparseCategoricalCrossentropy()`, PyTorch's `NLLLoss` on `log(p)`.
 * Prefer `categoricalCrossEntropyWithLogits` when you have logits: it is exact where p has rounded to 1.
 *
 * `labels`: n class ids or n * k target probabilities; `probabilities`: n * k numbers in [0, 1], row-major
 * (used as given: unlike Keras, rows are not renormalized to sum to 1); `options.classes = k` is required.
 * Options as for `categoricalCrossEntropyWithLogits`, plus `epsilon` (clipping, off by default).
 *
 * ## Method
 * `-t_j log p_j` per term, zero-coefficient terms skipped (0 log 0 = 0), Neumaier-compensated sums.
 * Within 2 ulps per term.
 *
 * ## Special cases
 * p_y = 0 for the true class costs Infinity, its true value (Keras clips silently to 1e-7; pass `epsilon`
 * to clip). A probability outside [0, 1] or NaN throws a RangeError naming its index, row and column.
 *
 * @example categoricalCrossEntropy([1], [0.25, 0.5, 0.25], { classes: 3 }) // 0.6931471805599453
 * @example categoricalCrossEntropy([0.5, 0.5], [0.25, 0.75], { classes: 2 }) // 0.8369882167858358
 */
export function categoricalCrossEntropy(labels: NumericArray, probabilities: NumericArray, options: Reduced): number;
export function categoricalCrossEntropy(labels: NumericArray, probabilities: NumericArray, options: PerSample): Float64Array;
export function categoricalCrossEntropy(
  labels: NumericArray,
  probabilities: NumericArray,
  options: CategoricalProbabilityOptions,
): number | Float64Array;
export function categoricalCrossEntropy(
  labels: NumericArray,
  probabilities: NumericArray,
  options: CategoricalProbabilityOptions,
): number | Float64Array {
  const fn = "categoricalCrossEntropy";
  const epsilon = prepare(fn, labels, probabilities, options);
  return categoricalLoss(probabilitiesPass(fn, labels, probabilities, undefined, epsilon, true, false));
}

/**
 * Loss and gradient of `categoricalCrossEntropy` in one pass; the gradient is with respect to the
 * probabilities, `-(w_i / D) c_j t_ij / p_ij` (0 where t_ij = 0, -Infinity where p_ij = 0 < t_ij unless
 * clipped), into `options.gradOut` when given; `options.out` as for `categoricalCrossEntropyWithLogitsAndGrad`.
 *
 * @example categoricalCrossEntropyAndGrad([1], [0.25, 0.5, 0.25], { classes: 3 }) // { loss: 0.6931471805599453, grad: Float64Array [0, -2, 0] }
 */
export function categoricalCrossEntropyAndGrad(labels: NumericArray, probabilities: NumericArray, options: Reduced): LossAndGrad<number>;
export function categoricalCrossEntropyAndGrad(labels: NumericArray, probabilities: NumericArray, options: PerSample): LossAndGrad<Float64Array>;
export function categoricalCrossEntropyAndGrad(
  labels: NumericArray,
  probabilities: NumericArray,
  options: CategoricalProbabilityOptions,
): LossAndGrad<number | Float64Array>;
export function categoricalCrossEntropyAndGrad(
  labels: NumericArray,
  probabilities: NumericArray,
  options: CategoricalProbabilityOptions,
): LossAndGrad<number | Float64Array> {
  const fn = "categoricalCrossEntropyAndGrad";
  const epsilon = prepare(fn, labels, probabilities, options);
  return categoricalLossAndGrad(fn, options.out, probabilitiesPass(fn, labels, probabilities, options.gradOut, epsilon, true, true));
}

/** The option names (a constant: a literal array would be allocated on every call). */
const PROBABILITY_OPTIONS = [
  "classes",
  "reduction",
  "weights",
  "classWeights",
  "labelSmoothing",
  "ignoreIndex",
  "epsilon",
  "gradOut",
  "out",
] as const;

function prepare(fn: string, labels: NumericArray, probabilities: NumericArray, options: CategoricalProbabilityOptions): number {
  checkOptions(fn, options, PROBABILITY_OPTIONS);
  prepareCategorical(fn, labels, probabilities, "probabilities", options, options?.classWeights, true);
  const epsilon = options.epsilon ?? 0;
  if (!(epsilon >= 0 && epsilon <= 0.5)) fail(`${fn}: options.epsilon`, epsilon, "is not in [0, 0.5]");
  return epsilon;
}
