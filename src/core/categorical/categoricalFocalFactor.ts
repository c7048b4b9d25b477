import { expDoubleDouble, fastTwoSumError, powDoubleDouble, quotientLow, twoSumError } from "../numerics/doubleDouble.js";
import { row } from "./softmaxRow.js";
import { type NumericArray } from "../common/reduction.js";

/** Scratch results (no allocation, no boxed doubles): [unused, unused, tail hi, tail lo]. */
const S = new Float64Array(4);
/** The row's exponentials exp(z_j - m) as double-doubles (hi, lo at 2j, 2j + 1); grown to the largest row. */
let ED = new Float64Array(64);

/**
 * @internal For the row just scanned by `scanRow` (`row`): the tail `T = sum_{i != a} exp(z_i - m)` as a
 * double-double in S[2] + S[3], and each exp(z_i - m) in ED, for `categoricalFocalFactor`. k exponentials:
 * only focal rows with gamma > 0 pay them.
 */
export function focalRowTail(z: NumericArray, offset: number, k: number): void {
  const a = row.argmax;
  const m = row.max;
  let hi = 0;
  let lo = 0;
  if (ED.length < 2 * k) ED = new Float64Array(2 * k);
  if (!row.infinite) {
    // exp(z_i - m) = x + xLo, relative error about 2^-60 (normal results): d = z_i - m with its TwoSum
    // error dLo, then the double-double exp of d + dLo.
    for (let i = 0; i < k; i++) {
      if (i === a) continue;
      const zi = z[offset + i]!;
      const d = zi - m;
      if (!(d > -745.2)) {
        ED[2 * i] = ED[2 * i + 1] = 0;
        continue;
      }
      expDoubleDouble(d, twoSumError(zi, -m, d), ED, 2 * i);
      const x = ED[2 * i]!;
      const t = hi + x;
      lo += twoSumError(hi, x, t) + ED[2 * i + 1]!;
      hi = t;
    }
  }
  S[2] = hi + lo;
  S[3] = fastTwoSumError(hi, lo, S[2]);
}

/**
 * @internal `(1 - p_j)^gamma` for class j of the row just scanned (after `focalRowTail`), gamma > 0.
 *
 * The power multiplies the base's relative error by gamma (the double formulas `T / (1 + T)` and
 * `-expm1(logSoftmax_j)` carried 1 to 2 ulps: 11 ulps measured at gamma = 8), so the base is a
 * double-double (relative error about 2^-58, from the exponentials) and `b^gamma = pow(bHi, gamma) (1 + gamma bLo / bHi)`
 * (the next term of the binomial series is below 2^-100): the factor carries Math.pow's error and one
 * rounding whatever gamma is. With `E_j = exp(z_j - m)` and the tail T (both double-double):
 *   `1 - p_a = T / (1 + T)`,   `1 - p_j = (1 + T - E_j) / (1 + T)` for j != a,
 * where `T - E_j` is the sum of the other terms: the numerator is >= 1 and nothing cancels. The two
 * double-double operations (a subtraction, a division with Dekker's exact remainder) lose under 2^-100.
 * An infinite row maximum keeps the double formula (its tail counts ties exactly): `-expm1(-nl)`.
 */
export function categoricalFocalFactor(j: number, gamma: number, nl: number): number {
  const tHi = S[2]!;
  const tLo = S[3]!;
  if (row.infinite) {
    const q = j === row.argmax ? row.tail / (1 + row.tail) : -Math.expm1(-nl);
    return Math.pow(q, gamma);
  }
  // Denominator D = 1 + T.
  const dHi = 1 + tHi;
  const dLo = twoSumError(1, tHi, dHi) + tLo;
  // Numerator N = T (argmax) or D - E_j.
  let nHi = tHi;
  let nLo = tLo;
  if (j !== row.argmax) {
    const e = -ED[2 * j]!;
    nHi = dHi + e;
    nLo = twoSumError(dHi, e, nHi) + (dLo - ED[2 * j + 1]!);
  }
  if (nHi === 0) return 0;
  // b = N / D: q1, then q2 from the exact remainder N - q1 D.
  const inv = 1 / dHi;
  const q1 = nHi * inv;
  const q2 = quotientLow(nHi, nLo, dHi, dLo, q1, inv);
  const bHi = q1 + q2;
  return powDoubleDouble(bHi, fastTwoSumError(q1, q2, bHi), gamma);
}
