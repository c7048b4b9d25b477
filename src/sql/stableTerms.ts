import { type DialectSpec } from "./dialects.js";

/**
 * @internal The numerically stable per-row expressions of the generated SQL. Each takes SQL operands (column
 * names of the CTE chain, see scoredRows.ts) and returns an SQL expression. Functions are written `NAME(`,
 * keywords with a space before `(`, so that a test can list the calls.
 */

/** `CAST(x AS DOUBLE)` in the dialect's name of the double type. */
export function toDouble(d: DialectSpec, x: string): string {
  return `CAST(${x} AS ${d.double})`;
}

/** +Infinity as a double. */
export function infinity(d: DialectSpec): string {
  return `CAST('${d.infinityText}' AS ${d.double})`;
}

/**
 * log1p(x) for x in (-1, 1], accurate to a few ulps without a LOG1P function: Kahan's trick
 *   log1p(x) = x * ln(u) / (u - 1),   u = fl(1 + x),
 * exact in the limit: the rounding of 1 + x is divided out, because ln(u) / (u - 1) varies slowly (it is the
 * same function at u as at 1 + x to first order), so the result keeps the digits that ln(1 + x) loses when
 * 1 + x rounds. When u = 1 (|x| < 2^-53), log1p(x) = x to double precision. Spark has LOG1P (Java's
 * Math.log1p) and uses it. `x` must be a side-effect-free expression (it is repeated).
 */
export function log1p(d: DialectSpec, x: string): string {
  if (d.hasLog1p) return `LOG1P(${x})`;
  return `CASE WHEN 1 + ${x} = 1 THEN ${x} ELSE ${x} * LN(1 + ${x}) / ((1 + ${x}) - 1) END`;
}

/**
 * -log1p(-p) = -log(1 - p) for p in [0, 1), the loss of a negative row: Kahan's trick with x = -p,
 *   -log1p(-p) = p * ln(1 - p) / ((1 - p) - 1),
 * which keeps the digits of small p (1 - p rounds to 1 below 2^-53, where the loss is p itself); for
 * p >= 0.5, 1 - p is exact and the ratio is 1. Positive: both ln(1 - p) and (1 - p) - 1 are negative.
 */
export function negativeLog1pMinus(d: DialectSpec, p: string): string {
  if (d.hasLog1p) return `-LOG1P(-${p})`;
  return `CASE WHEN 1 - ${p} = 1 THEN ${p} ELSE ${p} * LN(1 - ${p}) / ((1 - ${p}) - 1) END`;
}

/**
 * e = exp(-|s|) for the logit form, never raising: 0 when |s| >= 745 (exp(-745) is below half the smallest
 * subnormal's neighbourhood: the true value differs from 0 by less than 5e-324). PostgreSQL raises on an exp
 * result in the subnormal range (glibc reports it as a range error), so there, for 708 <= |s| < 745,
 *   exp(-|s|) = exp(708 - |s|) * exp(-708)
 * with both factors normal and one rounding into the subnormal result (a product that does not round to 0,
 * which PostgreSQL accepts).
 */
export function expMinusAbs(d: DialectSpec, s: string): string {
  const z = `ABS(${s})`;
  if (d.raisesOnUnderflow) {
    return `CASE WHEN ${z} < 708 THEN EXP(-${z}) WHEN ${z} < 745 THEN EXP(708 - ${z}) * EXP(${toDouble(d, "-708")}) ELSE 0 END`;
  }
  return `CASE WHEN ${z} < 745 THEN EXP(-${z}) ELSE 0 END`;
}

/**
 * The squared difference `(p - y)^2` of the Brier score, from `diff` = p - y (exact for y in {0, 1}, Sterbenz).
 * PostgreSQL raises when a product underflows to 0, so there |diff| < 2^-512 gives 0 (the true square is below
 * 2^-1024: an absolute error under 6e-309 per row).
 */
export function squared(d: DialectSpec, diff: string): string {
  if (d.raisesOnUnderflow) return `CASE WHEN ABS(${diff}) < ${toDouble(d, "'7.458340731200207e-155'")} THEN 0 ELSE (${diff}) * (${diff}) END`;
  return `(${diff}) * (${diff})`;
}
