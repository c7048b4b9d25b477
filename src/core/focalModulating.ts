import { EXP2 } from "./kernelTables.js";

// Constants of the exp range reduction, as in fastExp.ts (literals: V8 folds a module's own constants).
const INV_LN2_128 = 184.6649652337873;
const LN2_128_HI = 0.0054152123482253955;
const LN2_128_LO = -1.0082281460997769e-13;
const SHIFT = 6755399441055744;
const T = Float64Array.from(EXP2);
const POW2 = new Float64Array(1102);
for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) POW2[i] = p;
/** 2^27 + 1, Dekker's splitting constant. */
const SPLIT = 134217729;

/** The low part of the last `expDD` (a scratch result: JavaScript has no cheap second return value). */
export let expLo = 0;

/**
 * @internal `exp(x)` for -746 < x <= 0 as a double-double hi + lo, relative error about 2^-60 (for a normal
 * result). Tang's method as in `expNonPositive` (fastExp.ts), with the reduced argument and the sum kept in
 * two parts: `r = (x - n HI) - n LO` is exact in its first difference and its final sum is split by TwoSum;
 * `exp(r) - 1 = p(r)` is summed as `r + r^2 (...)`, both parts kept; then `2^(j/128) (1 + p)` with the table's
 * double-double `T_hi + T_lo` is `T_hi + (T_lo + T_hi p)` by Fast2Sum. The roundings left are those of the
 * small terms, each below 2^-61 of the result. Below 2^-1022 the low part is dropped (the result is then
 * subnormal and only its absolute error counts). Returns hi (the exp within 0.51 ulp); lo is in `expLo`.
 * Arguments: -746 < x <= 0 only (the callers guard).
 */
export function expDD(x: number): number {
  const t = x * INV_LN2_128 + SHIFT;
  const nd = t - SHIFT;
  const a = x - nd * LN2_128_HI; // exact (see fastExp.ts)
  const b = -nd * LN2_128_LO;
  const r = a + b;
  const bb = r - a;
  const rLo = a - (r - bb) + (b - bb); // TwoSum
  const n = nd | 0;
  const j2 = (n & 127) << 1;
  const k = n >> 7;
  const hi = T[j2]!;
  const r2 = r * r;
  const q = r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
  // p = r + rLo + q (1 + ...): rLo's effect on the polynomial's higher terms (r rLo) is below 2^-70.
  const small = T[j2 + 1]! + hi * (rLo * (1 + r) + q) + hi * r;
  const s = hi + small;
  const sLo = small - (s - hi);
  const scale = POW2[k + 1101]!; // 2^(k+1), after halving (exact): as in fastExp.ts, so k = -1075 works
  expLo = sLo * 0.5 * scale;
  return s * 0.5 * scale;
}

/** Dekker's exact product: returns a b rounded, the error in `prodLo` (exact unless a b under/overflows). */
let prodLo = 0;
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  prodLo = al * bl - (((p - ah * bh) - al * bh) - ah * bl);
  return p;
}

/**
 * @internal The focal loss's modulating factor `(1 - p_t)^gamma` for a label y in [0, 1] and a finite or
 * infinite logit s, given `e + eLo = exp(-|s|)` from `expDD` (0 for |s| >= 745.2), with p = sigmoid(s) and `1 - p_t = sigmoid(s) (1 - y) + sigmoid(-s) y`.
 *
 * The power multiplies the base's relative error by gamma, so the base is formed as a double-double
 * b = hi + lo (relative error about 2^-58): with `e = exp(-|s|)` from `expDD`, `sigmoid(|s|) = 1 / (1 + e)`,
 * `sigmoid(-|s|) = e / (1 + e)`, so the base is `N / (1 + e)` with N = e or 1 (hard labels), or
 * `(1 - y) + e y` / `e (1 - y) + y` (soft labels; 1 - y by TwoSum and e y by Dekker's product, both exact).
 * 1 + e is formed by TwoSum and the division is a double-double one (quotient, exact remainder by Dekker's
 * product, corrected quotient). Then `b^gamma = pow(hi, gamma) (1 + gamma lo / hi)` (the first-order term
 * of the binomial series; the next, gamma^2 (lo/hi)^2 / 2, is below 2^-110) — gamma = 2 as the exact
 * square `hi^2 + 2 hi lo` — so the factor carries Math.pow's error (under 1 ulp) and one rounding,
 * whatever gamma is. For s = ±Infinity, e = 0 and the base is exactly 0 or 1 (or y / 1 - y).
 */
export function focalModulating(y: number, s: number, gamma: number, e: number, eLo: number): number {
  if (gamma === 0) return 1;
  // Numerator N = nHi + nLo.
  let nHi: number;
  let nLo = 0;
  const positive = s >= 0;
  if (y === 1 || y === 0) {
    if (positive === (y === 1)) {
      nHi = e;
      nLo = eLo;
    } else nHi = 1;
  } else {
    // c + e d with c, d = 1 - y, y (s >= 0) or y, 1 - y (s < 0); 1 - y = oy + oyLo exactly.
    const oy = 1 - y;
    const oyLo = 1 - oy - y; // exact: TwoSum with |1| >= |y|
    const c = positive ? oy : y;
    const cLo = positive ? oyLo : 0;
    const d = positive ? y : oy;
    const dLo = positive ? 0 : oyLo;
    const ed = twoProd(e, d);
    const edLo = prodLo + (e * dLo + eLo * d);
    nHi = c + ed;
    const bb = nHi - c;
    nLo = (c - (nHi - bb)) + (ed - bb) + (cLo + edLo);
  }
  // Denominator D = 1 + e (TwoSum; 1 >= e).
  const dHi = 1 + e;
  const dLo = e - (dHi - 1) + eLo;
  // Double-double division N / D.
  const q1 = nHi / dHi;
  const p = twoProd(q1, dHi);
  const rem = nHi - p - prodLo + nLo - q1 * dLo;
  const q2 = rem / dHi;
  const bHi = q1 + q2;
  const bLo = q2 - (bHi - q1);
  if (bHi === 0) return gamma > 0 ? 0 : 1;
  if (gamma === 2) {
    const sq = twoProd(bHi, bHi);
    return sq + (prodLo + 2 * bHi * bLo);
  }
  const m = Math.pow(bHi, gamma);
  return m + m * (gamma * (bLo / bHi));
}
