import { EXP2 } from "../numerics/kernelTables.js";
import { row } from "./softmaxRow.js";
import { type NumericArray } from "../common/reduction.js";

// The exp range reduction's constants, copies of fastExp.ts's (test/focalFixtures.test.ts checks them).
const INV_LN2_128 = 184.6649652337873;
const LN2_128_HI = 0.0054152123482253955;
const LN2_128_LO = -1.0082281460997769e-13;
const SHIFT = 6755399441055744;
const T = Float64Array.from(EXP2);
const POW2 = new Float64Array(1102);
for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) POW2[i] = p;
const SPLIT = 134217729;

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
    // error dLo, then Tang's exp of d with the parts kept (as in focalTerm.ts), times (1 + dLo).
    for (let i = 0; i < k; i++) {
      if (i === a) continue;
      const zi = z[offset + i]!;
      const d = zi - m;
      if (!(d > -745.2)) {
        ED[2 * i] = ED[2 * i + 1] = 0;
        continue;
      }
      const db = d - zi;
      const dLo = zi - (d - db) + (-m - db);
      const nd = d * INV_LN2_128 + SHIFT - SHIFT;
      const ra = d - nd * LN2_128_HI;
      const rb = -nd * LN2_128_LO;
      const r = ra + rb;
      const rc = r - ra;
      const rLo = ra - (r - rc) + (rb - rc) + dLo;
      const n = nd | 0;
      const j2 = (n & 127) << 1;
      const scale = POW2[(n >> 7) + 1101]! * 0.5;
      const th = T[j2]!;
      const r2 = r * r;
      const q = r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
      const small = T[j2 + 1]! + th * (rLo * (1 + r) + q) + th * r;
      const v = th + small;
      const x = v * scale;
      const xLo = (small - (v - th)) * scale;
      ED[2 * i] = x;
      ED[2 * i + 1] = xLo;
      const t = hi + x;
      const bb = t - hi;
      lo += hi - (t - bb) + (x - bb) + xLo;
      hi = t;
    }
  }
  S[2] = hi + lo;
  S[3] = lo - (S[2] - hi);
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
  const db = dHi - 1;
  const dLo = 1 - (dHi - db) + (tHi - db) + tLo;
  // Numerator N = T (argmax) or D - E_j.
  let nHi = tHi;
  let nLo = tLo;
  if (j !== row.argmax) {
    const e = -ED[2 * j]!;
    nHi = dHi + e;
    const nb = nHi - dHi;
    nLo = dHi - (nHi - nb) + (e - nb) + (dLo - ED[2 * j + 1]!);
  }
  if (nHi === 0) return 0;
  // b = N / D: q1, the exact remainder N - q1 D (Dekker's product), q2.
  const inv = 1 / dHi;
  const q1 = nHi * inv;
  let t = SPLIT * q1;
  const qh = t - (t - q1);
  const ql = q1 - qh;
  t = SPLIT * dHi;
  const Dh = t - (t - dHi);
  const Dl = dHi - Dh;
  const p = q1 * dHi;
  const pLo = ql * Dl - (p - qh * Dh - ql * Dh - qh * Dl);
  const q2 = (nHi - p - pLo + nLo - q1 * dLo) * inv;
  const bHi = q1 + q2;
  const bLo = q2 - (bHi - q1);
  const m = Math.pow(bHi, gamma);
  return m + m * (gamma * (bLo / bHi));
}
