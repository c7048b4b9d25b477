import { checkNumber } from "../common/checks.js";

/**
 * The logistic sigmoid, `sigmoid(s) = 1 / (1 + e^-s)`: the probability the model gives to y = 1.
 *
 * ## Method
 * Never exponentiate a positive number, so nothing overflows and nothing cancels:
 * - s >= 0: `1 / (1 + e^-s)`; e^-s is in (0, 1], so `1 + e^-s` is in (1, 2] and rounds once.
 * - s < 0: `e^s / (1 + e^s)`; the same expression multiplied by e^s / e^s. Forming `1 - 1/(1+e^-s)` instead
 *   would lose every digit of a small result.
 * Each route is one `exp` (< 1 ulp in V8), one add and one divide: at most about 2.5 ulps.
 *
 * ## Special cases
 * - sigmoid(+Infinity) = 1, sigmoid(-Infinity) = 0, sigmoid(0) = 0.5
 * - s > 36.7: the result rounds to 1 (e^-s < 2^-53); s < -745.2: it underflows to 0.
 * - NaN throws a RangeError.
 *
 * @example sigmoid(0) // 0.5
 * @example sigmoid(-800) // 0 (true value 3.6e-348 underflows)
 */
export function sigmoid(s: number): number {
  checkNumber(s, "sigmoid: s");
  return sigmoidUnchecked(s);
}

/** @internal `sigmoid` without the NaN check, for loops that validated their input already. */
export function sigmoidUnchecked(s: number): number {
  if (s >= 0) return 1 / (1 + Math.exp(-s));
  const e = Math.exp(s);
  return e / (1 + e);
}
