import { expNonPositive } from "./fastExp.js";
import { EXP_NEG, SOFTPLUS } from "./kernelTables.js";

/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer. */
const SHIFT = 6755399441055744;

/** The largest table point, 40 = 2560/64: beyond it `log1p(e^-z)` is `e^-z` itself (see below). */
export const LOG1P_EXP_LIMIT = 40;

/**
 * @internal The table of `log1pExpNegative` and `expNegative`, 4 doubles per point z_i = i/64, i = 0..2560:
 * `log(1 + e^-z_i)` as a double-double hi, lo (SOFTPLUS, from mpmath), `sigma_i = e^-z_i / (1 + e^-z_i)` (the
 * sigmoid of -z_i) and the head of `e^-z_i` (EXP_NEG, from mpmath); an entry is two 16-byte halves, which the
 * WebAssembly kernel (assembly/binaryKernel.ts) loads with two vector loads. sigma_i is computed here from
 * the head, within about 2 ulps: it only scales the correction w (|w| <= 2^-8), so its error reaches the
 * result at 2^-7 of that (under 0.02 ulp), and it is the same bits on every platform (no Math.exp).
 */
export const LOG1P_EXP_TABLE = new Float64Array(4 * 2561);
/** @internal The tails of `e^-z_i` (EXP_NEG), apart: the loss alone does not read them. */
export const EXP_NEG_TAIL = new Float64Array(2561);
for (let i = 0; i <= 2560; i++) {
  const e = EXP_NEG[2 * i]!;
  LOG1P_EXP_TABLE[4 * i] = SOFTPLUS[2 * i]!;
  LOG1P_EXP_TABLE[4 * i + 1] = SOFTPLUS[2 * i + 1]!;
  LOG1P_EXP_TABLE[4 * i + 2] = e / (1 + e);
  LOG1P_EXP_TABLE[4 * i + 3] = e;
  EXP_NEG_TAIL[i] = EXP_NEG[2 * i + 1]!;
}

/** Module-local copies (V8 reads a module's own constant faster than an imported binding, see fastExp.ts). */
const T = Float64Array.from(LOG1P_EXP_TABLE);
const TAIL = Float64Array.from(EXP_NEG_TAIL);

/**
 * @internal `log(1 + e^-z)` = softplus(-z) for 0 <= z < 40, within 0.52 ulp (test/kernels.test.ts, mpmath):
 * the log term of the logit losses (binaryTerms.ts `logitLoss`), computed from z = |s| directly, without
 * forming e^-z and taking its log1p (an exp, a division and a log1p: the loss alone then costs one table
 * lookup and two short polynomials). Written to be inlined into the batch loops; the WebAssembly kernel
 * (assembly/binaryKernel.ts, pass B) does the same operations on two lanes, so the same bits.
 *
 * ## Method
 * With z_i = i/64 the nearest table point (i = round(64 z), by adding and subtracting 1.5 2^52) and
 * r = z - z_i, |r| <= 1/128:
 *   1 + e^-z = (1 + e^-z_i) (1 + sigma_i (e^-r - 1)),   sigma_i = e^-z_i / (1 + e^-z_i),
 * so `log(1 + e^-z) = log(1 + e^-z_i) + log1p(w)`, `w = sigma_i expm1(-r)`, |w| <= sigma_i 2^-7 <= 2^-8.
 * - r is exact: 64 z is exact (a power of two), `64 z - i` is exact (|64 z - i| <= 1/2 and both are
 *   multiples of ulp(64 z) <= 2^-41 for 64 z < 4096; i = 0 gives 64 z itself), and so is the product by 1/64.
 * - `expm1(-r) = -r + r^2/2 - r^3/6 + r^4/24 - r^5/120 + r^6/720` (Taylor): the first omitted term is below
 *   |r|^7/5040, at most 2^-54.3 of expm1(-r), and w's relative error reaches the result at most |w| / log(1 + e^-z) <= 2^-7
 *   of it (log(1 + x) >= x / (1 + x) = sigma for x = e^-z).
 * - `log1p(w) = w - w^2/2 + w^3/3 - w^4/4 + w^5/5 - w^6/6` (Taylor, Estrin's form as in `log1pUnit`, w
 *   added last): the omitted w^7/7 is below sigma^7 2^-49 / 7, relative to the result (>= sigma)
 *   sigma^6 2^-51.8 <= 2^-57.8.
 * - The sum `hi + (lo + log1p(w))`: one final rounding (0.5 ulp), the table's double-double (2^-106), and
 *   log1p(w)'s own roundings, at most about 2^-7 of the result's ulp each: 0.516 ulp measured (test/log1pExp.test.ts).
 * Beyond the table (z >= 40, e^-z < 2^-57) `log(1 + e^-z) = e^-z (1 - e^-z/2 + ...)` rounds to e^-z
 * itself: `log1pUnit(e)` returns e there bit for bit, so the callers take e (see `logitLoss`).
 */
export function log1pExpNegative(z: number): number {
  const z64 = z * 64;
  const nd = z64 + SHIFT - SHIFT; // i = round(64 z), exact
  const r = (z64 - nd) * 0.015625;
  const at = 4 * nd;
  const r2 = r * r;
  const q = r2 * (0.5 + r * -0.16666666666666666) - r + r2 * r2 * (0.041666666666666664 + r * -0.008333333333333333 + r2 * 0.001388888888888889);
  const w = T[at + 2]! * q;
  const w2 = w * w;
  const l = w + w2 * (-0.5 + w * 0.3333333333333333 + w2 * (-0.25 + w * 0.2 + w2 * -0.16666666666666666));
  return T[at]! + (T[at + 1]! + l);
}

/**
 * @internal `e^-z` for 0 <= z < 40 from the same table and reduction as `log1pExpNegative`, within 0.52 ulp
 * (0.515 measured, test/log1pExp.test.ts): `e^-z = e^-z_i (1 + expm1(-r))`, as `hi + (lo + hi expm1(-r))` with e^-z_i = hi + lo
 * from mpmath; expm1(-r) (|.| <= 2^-6.99) is the same polynomial, whose error reaches the result at 2^-7 of
 * its own. The logit losses' gradient takes its e here, so that a loss-and-gradient pass needs one table
 * lookup and no exp (and the WebAssembly kernel, doing the same operations, the same bits).
 */
export function expNegative(z: number): number {
  const z64 = z * 64;
  const nd = z64 + SHIFT - SHIFT;
  const r = (z64 - nd) * 0.015625;
  const r2 = r * r;
  const q = r2 * (0.5 + r * -0.16666666666666666) - r + r2 * r2 * (0.041666666666666664 + r * -0.008333333333333333 + r2 * 0.001388888888888889);
  const hi = T[4 * nd + 3]!;
  return hi + (TAIL[nd]! + hi * q);
}

/**
 * @internal `e^-z` for every z >= 0 (and +Infinity, NaN), within 0.52 ulp: `expNegative` below 40,
 * `expNonPositive(-z)` beyond.
 * The e of the logit losses' terms (binaryTerms.ts `logitLoss`, `logitGrad`).
 */
export function logitExp(z: number): number {
  return z < 40 ? expNegative(z) : expNonPositive(-z);
}

/**
 * @internal `log(1 + e^-z)` for every z >= 0 (and +Infinity, NaN): `log1pExpNegative` below 40, beyond it
 * `expNonPositive(-z)` (see there). The scalar form of the logit losses' log term.
 */
export function log1pExpNegativeAny(z: number): number {
  return z < LOG1P_EXP_LIMIT ? log1pExpNegative(z) : expNonPositive(-z);
}
