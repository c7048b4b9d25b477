import { type CategoricalFocalLossOptions, categoricalLoss, logitsPass, prepareCategorical } from "./categoricalBatch.js";
import { checkOptions, fail } from "../common/checks.js";
import { type NumericArray, type Reduction } from "../common/reduction.js";

type Reduced = CategoricalFocalLossOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = CategoricalFocalLossOptions & { reduction: "none" };

/**
 * The categorical (softmax) focal loss from logits: for a row z with p = softmax(z) and a target row t
 * (a class id's one-hot row, or soft labels), `FL = -sum_j alpha_j t_j (1 - p_j)^gamma log p_j`
 * (Lin et al. 2017 for softmax; Keras' `CategoricalFocalCrossentropy(from_logits=True)` with its alpha
 * as our alpha). gamma = 0 and alpha = 1 give `categoricalCrossEntropyWithLogits` exactly.
 *
 * Options: `classes` (required), `gamma` (default 2), `alpha` (a number or one per class; default 1 —
 * Keras defaults to 0.25, which only scales the loss), and as for the cross-entropy `reduction`,
 * `weights`, `ignoreIndex`, `labelSmoothing`. The mean divides by the sum of the row weights of the
 * counted rows (alpha does not enter the denominator).
 *
 * ## Method
 * `-log p_j` is the exact `-logSoftmax` of the cross-entropy (see `softmaxRow.ts`); `1 - p_j` is
 * `T / (1 + T)` at the row's maximum (no cancellation when p_j is close to 1; a confident right row keeps
 * its tiny loss) and `(1 + T - E_j) / (1 + T)` elsewhere, T the row's tail `sum_{i != a} exp(z_i - m)` and
 * E_j = exp(z_j - m). The power multiplies the base's relative error by gamma, so the base is a
 * double-double (categoricalFocalFactor.ts; k extra exponentials per focal row): within 3 ulps for every
 * gamma (measured 2.7 for gamma 0 to 8, see test/focalFixtures.test.ts; the double base gave 11 at 8).
 *
 * @example categoricalFocalLoss([0], [0, 0], { classes: 2 }) // 0.17328679513998632 (0.5^2 * log 2)
 * @example categoricalFocalLoss([0], [50, 0], { classes: 2, gamma: 1 }) // 3.720075976020836e-44 (about e^-100)
 */
export function categoricalFocalLoss(labels: NumericArray, logits: NumericArray, options: Reduced): number;
export function categoricalFocalLoss(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function categoricalFocalLoss(labels: NumericArray, logits: NumericArray, options: CategoricalFocalLossOptions): number | Float64Array;
export function categoricalFocalLoss(labels: NumericArray, logits: NumericArray, options: CategoricalFocalLossOptions): number | Float64Array {
  const fn = "categoricalFocalLoss";
  checkOptions(fn, options, ["classes", "reduction", "weights", "gamma", "alpha", "labelSmoothing", "ignoreIndex", "gradOut"]);
  const alphaIn = options?.alpha;
  const perClass = alphaIn !== undefined && typeof alphaIn !== "number";
  prepareCategorical(fn, labels, logits, "logits", options, perClass ? alphaIn : undefined, false);
  const gamma = options.gamma ?? 2;
  if (!(gamma >= 0 && gamma < Infinity)) fail(`${fn}: options.gamma`, gamma, "is not a finite number >= 0");
  let alpha = 1;
  if (typeof alphaIn === "number") {
    if (!(alphaIn >= 0 && alphaIn < Infinity)) fail(`${fn}: options.alpha`, alphaIn, "is not a finite number >= 0");
    alpha = alphaIn;
  }
  const alphas = perClass ? (alphaIn as NumericArray) : undefined;
  return categoricalLoss(logitsPass(fn, labels, logits, undefined, true, false, { gamma, alpha, alphas }));
}
