import { checkNumber } from "../common/checks.js";

/**
 * Softplus, `softplus(x) = log(1 + e^x)`: the binary cross-entropy of a logit, `-log sigmoid(-x)`.
 *
 * ## Method
 * - x <= 0: `log1p(e^x)`. e^x is in (0, 1], and log1p keeps its full relative accuracy for small
 *   arguments (log(1 + t) would round 1 + t and lose t entirely below 2^-53).
 * - x > 0: `x + log1p(e^-x)`: the identity `log(1 + e^x) = x + log(1 + e^-x)`. Both terms are positive, so the
 *   sum does not cancel, and e^x is never formed (it overflows past x = 709.78).
 * No other cut-off is needed: past x = 37.4, `log1p(e^-x) < ulp(x)/2` and the sum is exactly x; below
 * x = -745.2, e^x underflows to 0 and so does the true value.
 *
 * ## Special cases
 * softplus(+Infinity) = Infinity, softplus(-Infinity) = 0, softplus(0) = log 2; NaN throws a RangeError.
 *
 * @example softplus(0) // 0.6931471805599453
 * @example softplus(1000) // 1000
 */
export function softplus(x: number): number {
  checkNumber(x, "softplus: x");
  return softplusUnchecked(x);
}

/** @internal `softplus` without the NaN check. */
export function softplusUnchecked(x: number): number {
  if (x <= 0) return Math.log1p(Math.exp(x));
  return x + Math.log1p(Math.exp(-x));
}
