import { EXP2 } from "./kernelTables.js";

/**
 * @internal Double-double arithmetic for the focal losses' modulating factor `(1 - p_t)^gamma`, whose power
 * multiplies the base's relative error by gamma: the base is carried as an unevaluated sum hi + lo (relative
 * error about 2^-58 here), and the power is formed from it with one rounding. Shared by the binary
 * (`focalTerm`) and categorical (`categoricalFocalFactor`) focal losses.
 *
 * The arithmetic helpers are small and return one number (no scratch array, no object), so that V8 inlines
 * them into the callers' loops; the error-free transformations are written operation for operation as in the
 * literature (Knuth's TwoSum, Dekker's Fast2Sum and product without FMA), each exact for finite inputs
 * whose results neither overflow nor underflow.
 */

// Constants of the exp range reduction, copies of fastExp.ts's literals (V8 folds constants written as
// literals into the code; test/focalFixtures.test.ts checks them against kernelTables.ts). Exported for
// focalTerm.ts, which writes the steps of `expDoubleDouble` out.
export const INV_LN2_128 = 184.6649652337873;
export const LN2_128_HI = 0.0054152123482253955;
export const LN2_128_LO = -1.0082281460997769e-13;
export const SHIFT = 6755399441055744;
/** 2^(j/128) for j = 0..127 as double-doubles (hi, lo at 2j, 2j + 1), kernelTables.ts's EXP2 in a Float64Array. */
export const T = Float64Array.from(EXP2);
/** 2^i for i = -1100..1 indexed by i + 1100, as in fastExp.ts. */
export const POW2 = new Float64Array(1102);
for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) POW2[i] = p;
/** 2^27 + 1, Dekker's splitting constant: `t - (t - a)` with t = SPLIT a is a's upper 26 bits. */
const SPLIT = 134217729;

/** TwoSum's error: `(a + b) - s` exactly, for s = fl(a + b) (Knuth; any order of magnitude). */
export function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** Fast2Sum's error: `(a + b) - s` exactly, for s = fl(a + b) and |a| >= |b| (Dekker). */
export function fastTwoSumError(a: number, b: number, s: number): number {
  return b - (s - a);
}

/** Dekker's product error: `a b - p` exactly, for p = fl(a b) (each factor split into two 26-bit halves). */
export function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/**
 * The low part of the double-double quotient `(nHi + nLo) / (dHi + dLo) = q1 + q2`, given `inv = 1 / dHi`
 * and `q1 = nHi inv` (within 1 ulp): `q2 = (N - q1 D) / dHi`, the remainder `nHi - q1 dHi` exact by Dekker's
 * product. q1 + q2 is N / D within about 2^-104 relative (one division for both parts).
 */
export function quotientLow(nHi: number, nLo: number, dHi: number, dLo: number, q1: number, inv: number): number {
  const p = q1 * dHi;
  return (nHi - p - productError(q1, dHi, p) + nLo - q1 * dLo) * inv;
}

/**
 * `(hi + lo)^gamma` for a double-double base in (0, 1]: `pow(hi, gamma) (1 + gamma lo / hi)`, the binomial
 * series' first-order term (the next, gamma^2 (lo/hi)^2 / 2, is below 2^-100): Math.pow's error (under 1
 * ulp) and one rounding whatever gamma is. A zero base gives 0.
 */
export function powDoubleDouble(hi: number, lo: number, gamma: number): number {
  if (hi === 0) return 0;
  const m = Math.pow(hi, gamma);
  return m + m * (gamma * (lo / hi));
}

/** `(hi + lo)^2` for a double-double base: the exact square `hi^2 + 2 hi lo` (Dekker's product), rounded once. */
export function squareDoubleDouble(hi: number, lo: number): number {
  const t = SPLIT * hi;
  const h = t - (t - hi);
  const l = hi - h;
  const sq = hi * hi;
  return sq + (l * l - (sq - h * h - 2 * (h * l)) + 2 * hi * lo);
}

/**
 * `exp(x + xLo)` as a double-double, written to `out[i]` (high part, the exp within 0.51 ulp, as
 * `expNonPositive` computes it) and `out[i + 1]` (low part), for -745.2 < x <= 0 and a correction |xLo| of at
 * most an ulp of x (the rounding error of a difference that formed x; 0 if x is exact). Relative error about
 * 2^-60 for normal results.
 *
 * Tang's method as in `expNonPositive` (fastExp.ts), keeping the parts: `r = (x - n HI) - n LO` (the first
 * difference exact) with its TwoSum error, plus xLo; `exp(r) - 1 = r + q(r)`; `2^(j/128) (1 + p)` with the
 * table's double-double `T_hi + T_lo` is `T_hi + (T_lo + T_hi p)` by Fast2Sum. The roundings left are those of
 * the small terms, each under 2^-61 of the result. The scale 2^k may round only for k < -1022 (subnormal
 * results), where the low part loses its meaning but the high part stays the plain kernel's.
 */
export function expDoubleDouble(x: number, xLo: number, out: Float64Array, i: number): void {
  const nd = x * INV_LN2_128 + SHIFT - SHIFT;
  const a = x - nd * LN2_128_HI; // exact (see fastExp.ts)
  const b = -nd * LN2_128_LO;
  const r = a + b;
  const rLo = twoSumError(a, b, r) + xLo;
  const n = nd | 0;
  const j2 = (n & 127) << 1;
  const scale = POW2[(n >> 7) + 1101]! * 0.5; // 2^k; k >= -1076 here
  const hi = T[j2]!;
  const r2 = r * r;
  const q = r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
  const small = T[j2 + 1]! + hi * (rLo * (1 + r) + q) + hi * r;
  const v = hi + small;
  out[i] = v * scale;
  out[i + 1] = fastTwoSumError(hi, small, v) * scale;
}
