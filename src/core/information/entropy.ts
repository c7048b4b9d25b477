import { type InformationOptions, checkDistribution, crossEntropySum, logBase } from "./distributions.js";
import { type NumericArray } from "../common/reduction.js";

/**
 * The Shannon entropy of a discrete distribution, `H(p) = -sum_i p_i log p_i`, in nats (or `options.base`:
 * 2 for bits). The cross-entropy of p with itself, and the smallest cross-entropy any q can reach.
 *
 * ## Method
 * Every term `p_i (-log p_i)` is >= 0, terms with p_i = 0 are skipped (the convention 0 log 0 = 0, the
 * limit of x log x), and the terms are Neumaier-summed: within a few ulps. In another base the result
 * is divided by log(base).
 *
 * p must be in [0, 1] and sum to 1 within 1e-5 (used as given); otherwise a RangeError names the index.
 *
 * @example entropy([0.5, 0.5]) // 0.6931471805599453
 * @example entropy([0.5, 0.25, 0.25, 0], { base: 2 }) // 1.5
 */
export function entropy(p: NumericArray, options?: InformationOptions): number {
  const fn = "entropy";
  checkDistribution(fn, "p", p);
  const divisor = logBase(fn, options);
  return crossEntropySum(p, p) / divisor; // H(p) = H(p, p), finite
}
