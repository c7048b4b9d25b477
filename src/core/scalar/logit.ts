import { checkProbability } from "../common/checks.js";

/**
 * The logit, `logit(p) = log(p / (1 - p))`: the inverse of `sigmoid`, the log-odds of p.
 *
 * ## Method
 * By symmetry `logit(p) = -logit(1 - p)`, and `1 - p` is exact for p >= 0.5 (Sterbenz), so only p <= 0.5 is
 * evaluated:
 * - p < 0.3: `log(p) - log1p(-p)`. Here |log p| >= 1.2 while |log1p(-p)| <= 0.36, so the difference cancels
 *   at most a factor 1.4, and log1p(-p) keeps the digits that log(1 - p) would round away for tiny p.
 * - 0.3 <= p <= 0.5: `log1p((2p - 1) / (1 - p))`, because the two logs above cancel as p approaches 0.5.
 *   `2p - 1` is exact for p >= 0.25 (Sterbenz), so the small difference from 0.5 is kept exactly and the
 *   log1p argument carries only two roundings. 0.3 balances the two error bounds (both near 2.5 ulps).
 *
 * ## Special cases
 * logit(0) = -Infinity, logit(1) = Infinity, logit(0.5) = 0. A p outside [0, 1] or NaN throws a RangeError.
 *
 * @example logit(0.5) // 0
 * @example logit(1e-300) // -690.7755278982137
 */
export function logit(p: number): number {
  checkProbability(p, "logit: p");
  return p > 0.5 ? -logitBelowHalf(1 - p) : logitBelowHalf(p);
}

function logitBelowHalf(p: number): number {
  if (p < 0.3) return Math.log(p) - Math.log1p(-p);
  return Math.log1p((2 * p - 1) / (1 - p));
}
