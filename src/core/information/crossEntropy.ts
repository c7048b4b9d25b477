import { type InformationOptions, checkPair, crossEntropySum, logBase } from "./distributions.js";
import { type NumericArray } from "../common/reduction.js";

/**
 * The cross-entropy between two discrete distributions, `H(p, q) = -sum_i p_i log q_i`, in nats (or
 * `options.base`): the expected code length when data from p is coded for q, `entropy(p) + klDivergence(p, q)`.
 * The categorical cross-entropy of one row is `crossEntropy(target, probabilities)`.
 *
 * ## Method
 * Non-negative terms, those with p_i = 0 skipped (0 log 0 = 0, and 0 log 0 for q_i = 0 too), Neumaier-summed:
 * within a few ulps.
 *
 * ## Special cases
 * q_i = 0 < p_i gives Infinity (the true value). p and q must be distributions of the same length (in
 * [0, 1], summing to 1 within 1e-5), else a RangeError.
 *
 * @example crossEntropy([0.5, 0.5], [0.25, 0.75]) // 0.8369882167858358
 * @example crossEntropy([1, 0], [0.5, 0.5], { base: 2 }) // 1
 */
export function crossEntropy(p: NumericArray, q: NumericArray, options?: InformationOptions): number {
  const fn = "crossEntropy";
  checkPair(fn, p, q);
  const divisor = logBase(fn, options);
  return crossEntropySum(p, q) / divisor;
}
