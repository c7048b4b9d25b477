import { checkNumber } from "../common/checks.js";
import { softplusUnchecked } from "./softplus.js";

/**
 * `logSigmoid(s) = log sigmoid(s) = -log(1 + e^-s) = -softplus(-s)`.
 *
 * ## Method
 * The identity above: `log(1/(1 + e^-s))` is evaluated without forming the probability, whose rounding to 1
 * (s > 36.7) or underflow to 0 (s < -745) would give 0 or -Infinity where the true value is finite.
 * Accuracy is that of `softplus` (a negation is exact).
 *
 * ## Special cases
 * logSigmoid(+Infinity) = -0 (sign of the negated softplus), logSigmoid(-Infinity) = -Infinity,
 * logSigmoid(-1000) = -1000 exactly; NaN throws a RangeError.
 *
 * @example logSigmoid(0) // -0.6931471805599453
 * @example logSigmoid(40) // -4.248354255291589e-18
 */
export function logSigmoid(s: number): number {
  checkNumber(s, "logSigmoid: s");
  return -softplusUnchecked(-s);
}
