import { checkOptions, fail } from "../common/checks.js";
import { focalTerm } from "./focalTerm.js";
import { mixedArguments } from "../common/scalarOrBatch.js";
import { reduced, unweighted } from "../numerics/extremeSums.js";
import { prepare } from "./binaryBatch.js";
import { type NumericArray, type Reduction, type ReductionOptions } from "../common/reduction.js";

/** Options of the binary `focalLoss`. */
export interface FocalLossOptions extends ReductionOptions {
  /** The focusing parameter gamma >= 0 (finite): the loss is scaled by (1 - p_t)^gamma. Default 2. */
  gamma?: number;
  /**
   * The balancing weight alpha in [0, 1] of the positive class (1 - alpha for the negative class), default
   * 0.25 as in torchvision and the paper; `null` or a negative number (torchvision's -1) turns it off.
   */
  alpha?: number | null;
}

type Reduced = FocalLossOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = FocalLossOptions & { reduction: "none" };

/**
 * The binary focal loss from logits (Lin et al., "Focal Loss for Dense Object Detection", 2017), with
 * torchvision's `sigmoid_focal_loss` semantics: with p = sigmoid(s),
 * `p_t = p y + (1 - p)(1 - y)`, `alpha_t = alpha y + (1 - alpha)(1 - y)`,
 * `FL = alpha_t (1 - p_t)^gamma BCE(y, s)`, BCE the binary cross-entropy with logits.
 * gamma = 0 and alpha off give `binaryCrossEntropyWithLogits` exactly.
 *
 * Scalar: `focalLoss(y, s, options?)` with y in [0, 1] (soft labels allowed). Batch:
 * `focalLoss(labels, logits, options)` with `reduction` (default "mean", the plain mean as in torchvision;
 * with `weights`, the weighted mean), `weights`, `gamma` (default 2), `alpha` (default 0.25).
 *
 * ## Method
 * BCE is the stable softplus form of the foundation (`binaryTerms.ts`), sharing `e = exp(-|s|)` with the
 * sigmoids `sigmoid(|s|) = 1/(1+e)`, `sigmoid(-|s|) = e/(1+e)`. The modulating base is formed as
 * `1 - p_t = sigmoid(s)(1 - y) + sigmoid(-s) y`, a sum of non-negative terms: torchvision's `1 - p_t`
 * rounds to 0 for a confident right answer (s > 37), we keep it (sigmoid(-40) = 4.25e-18). Over the common
 * denominator 1 + e. So the loss keeps its relative accuracy. `base^gamma` multiplies the base's relative
 * error by gamma, so the base is carried as a double-double and the power is `pow(hi, gamma) (1 + gamma
 * lo / hi)` (focalTerm.ts): within 4.5 ulps for every gamma (measured 4.2 for gamma 0 to 8, see
 * test/focalFixtures.test.ts; a double base gave 4 + 2 gamma, 10.5 at gamma = 5).
 *
 * ## Special cases
 * FL(1, +Infinity) = 0, FL(1, -Infinity) = Infinity (times alpha); a zero alpha_t gives 0, even for an
 * infinite BCE. A label outside [0, 1] or a NaN throws a RangeError.
 *
 * @example focalLoss(1, 0) // 0.04332169878499658 (0.25 * 0.5^2 * log 2)
 * @example focalLoss([1, 0], [2, -2], { gamma: 0, alpha: null, reduction: "sum" }) // 0.253856022085945
 */
export function focalLoss(y: number, s: number, options?: FocalLossOptions): number;
export function focalLoss(labels: NumericArray, logits: NumericArray, options?: Reduced): number;
export function focalLoss(labels: NumericArray, logits: NumericArray, options: PerSample): Float64Array;
export function focalLoss(a: number | NumericArray, b: number | NumericArray, options: FocalLossOptions = {}): number | Float64Array {
  const fn = "focalLoss";
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object");
  checkOptions(fn, options, ["reduction", "weights", "gamma", "alpha"]);
  const gamma = options.gamma ?? 2;
  if (!(gamma >= 0 && gamma < Infinity)) fail(`${fn}: options.gamma`, gamma, "is not a finite number >= 0");
  const alphaIn = options.alpha === undefined ? 0.25 : options.alpha;
  if (alphaIn !== null && !(alphaIn <= 1)) fail(`${fn}: options.alpha`, alphaIn, "is not in [0, 1] (or null or negative to turn it off)");
  const alpha = alphaIn === null || alphaIn < 0 ? -1 : alphaIn + 0; // + 0 turns -0 into 0
  if (typeof a === "number" && typeof b === "number") {
    if (!(a >= 0 && a <= 1)) fail(`${fn}: y`, a, "is not in [0, 1]");
    if (b !== b) fail(`${fn}: s`, b, "is not a number");
    return focalTerm(a, b, gamma, alpha);
  }
  if (typeof a === "number" || typeof b === "number") {
    throw mixedArguments(fn, a, b, ["y", "s"], ["labels", "logits"]);
  }
  // Lengths, reduction and weights as for the other binary losses; gamma and alpha are checked above.
  const common = { reduction: options.reduction, weights: options.weights };
  const { n, perSample, weights, divisor } = prepare(fn, a, b, "logits", common, true, false);
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const y = a[i]!;
    if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    const s = b[i]!;
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const w = weights === undefined ? 1 : weights[i]!;
    const loss = w === 0 ? 0 : w * focalTerm(y, s, gamma, alpha);
    if (perSample !== null) perSample[i] = loss;
    else {
      const t = sum + loss;
      c += sum >= loss ? sum - t + loss : loss - t + sum;
      sum = t;
    }
  }
  return perSample ?? reduced(sum, c, divisor, weights, () => focalLoss(a, b, unweighted(options) as PerSample));
}
