import { LOG } from "./kernelTables.js";

/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer. */
const SHIFT = 6755399441055744;

/** The table of log(1 + j/1024), copied into this module (see fastExp.ts: a module's own constant is faster). */
const L = Float64Array.from(LOG);

/**
 * @internal `log1p(x) = log(1 + x)` for x in [0, 1] (the only logs the logit losses form: `log1p(exp(-|s|))`),
 * within 0.6 ulp. Branch-free and written to be inlined into the batch loops (see `expNonPositive`).
 *
 * ## Method
 * With j = round(1024 x) (the nearest table point; rounded by adding and subtracting 1.5 * 2^52, the same
 * trick as the exp kernel's, which the WebAssembly kernel reads as an integer without a conversion), except
 * j = 0 for x < 1.5/1024, and `m = j/1024`:
 *   `log(1 + x) = log(1 + m) + log1p(t)`,   `t = (x - m) / (1 + m)`,   -2^-11 <= t < 1.5 * 2^-10.
 * - `x - m` is exact: for j >= 2 both are multiples of ulp(x) >= 2^-62 and |x - m| <= 2^-11 (at most 52
 *   bits); for j = 0, m = 0. `1 + m` is exact. So t carries one rounding, and for j = 0 none (t = x: a tiny
 *   x keeps every digit, where `log(1 + x)` would round 1 + x to 1). Little cancellation: for j >= 2 the
 *   result is at least 3/4 of log(1 + m). (j = 1 is folded into j = 0 because there the subtraction of
 *   t = -2^-11 from log(1 + 2^-10) halved the result and doubled t's rounding error: 1.17 ulps, measured.)
 * - `log(1 + m) = LOG[2j] + LOG[2j + 1]`, a double-double from mpmath (LOG[0] = 0).
 * - `log1p(t) = t - t^2/2 + t^3/3 - t^4/4 + t^5/5 - t^6/6`, Taylor; the omitted t^7/7 is below 2^-59 t
 *   (0.01 ulp).
 *   Evaluated as `t + t^2 P(t)` with P in Estrin's form (`(a + b t) + t^2 (c + d t + e t^2)`, a shorter
 *   dependency chain than Horner's): t is added last, once, so the result carries one rounding of the sum
 *   plus the small error of the correction t^2 P (< 2^-11 t). (Adding t + t^2 (a + b t) first and then
 *   t^4 (...) rounds twice: measured 0.99 ulp for t = x < 2^-10.)
 * - Sum `HI + (LO + log1p(t))`: one final rounding (0.5 ulp) plus t's rounding, at most 0.25 ulp (j = 2).
 *
 * ## Special cases
 * log1p(0) = 0, log1p(1) = LOG[2048] (ln 2 rounded); a subnormal x gives x; NaN gives NaN (table
 * index 0). Arguments outside [0, 1] are outside the contract (the table index would leave the table).
 */
export function log1pUnit(x: number): number {
  const nearest = x * 1024 + SHIFT - SHIFT; // round(1024 x), exact (see fastExp.ts)
  const jd = nearest * +(nearest > 1); // j = 0 below 1.5/1024 (branch-free: times 1 or 0)
  const j = jd | 0;
  const m = jd * 0.0009765625;
  const t = (x - m) / (1 + m);
  const t2 = t * t;
  const q = t + t2 * (-0.5 + t * 0.3333333333333333 + t2 * (-0.25 + t * 0.2 + t2 * -0.16666666666666666));
  return L[2 * j]! + (L[2 * j + 1]! + q);
}

/** ln 2 split: LN2_HI has 32 significant bits (fdlibm's ln2_hi), so k * LN2_HI is exact for |k| < 2^21. */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/** A scratch double and its high word (sign, exponent, top 20 significand bits), for the exponent split. */
const scratch = new Float64Array(1);
const highWord = new Uint32Array(scratch.buffer, new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 4 : 0, 1);

/**
 * @internal `log1p(x) = log(1 + x)` for every x >= 0 (and +Infinity), within 0.51 ulp: on [0, 1] bit for bit
 * `log1pUnit` (the same operations with k = 0), beyond it the reduction below. One function without calls, so
 * V8 inlines it whole into the softmax row loops: `Math.log1p` there (or any call that V8 does not inline)
 * takes and returns boxed doubles, a fresh heap number per row (about 330 bytes per call at [256 x 10],
 * test/allocations.test.ts).
 *
 * ## Method (x > 1)
 * - `u = x + 1` and its rounding error `err = 1 - (u - x)`, exact (Fast2Sum: |x| >= 1), so 1 + x = u + err.
 * - `u = 2^k f` with f in [1, 2), k >= 1, read from u's bits (u is finite and normal); `y = f - 1` is exact.
 * - `log(1 + x) = k ln 2 + log1p(y) + log1p(err / u)`, and `log1p(err/u) = err/u` to 2^-106 (|err/u| <= 2^-53).
 * - `log1p(y) = log(1 + m) + log1p(t)`, `t = (y - m) / (1 + m)`: the table and polynomial of `log1pUnit`.
 * - The head `k LN2_HI + LOG[2j]` is added with Fast2Sum (k LN2_HI >= ln 2 / 2 >= LOG[2j] / 2: the same
 *   binade or above, so the sum's error e is exact), and every small term joins e in the tail:
 *   `result = s + (e + (k LN2_LO + err/u + LOG[2j+1] + log1p(t)))`. The tail is below 2^-9 of the result,
 *   so its own roundings add at most about 0.01 ulp to the final rounding: 0.500 ulps measured
 *   (test/kernels.test.ts, mpmath points over (1, 1.8e308]).
 * With k = 0, y = x and no correction the same lines are `log1pUnit`'s: `s = LOG[2j]`, `e = 0`. They are
 * written out here rather than calling `log1pUnit`: with a call inside, V8 ran out of inlining budget in the
 * row loops and left one of the two calls out of line, which boxes its double (measured: 706 bytes per call).
 */
export function log1pNonNegative(x: number): number {
  let y = x;
  let k = 0;
  let correction = 0;
  if (x > 1) {
    if (x === Infinity) return Infinity;
    const u = x + 1;
    const err = 1 - (u - x);
    scratch[0] = u;
    const h = highWord[0]!;
    k = (h >>> 20) - 1023;
    highWord[0] = (h & 0x000fffff) | 0x3ff00000; // f = u 2^-k: the exponent field set to 0
    y = scratch[0] - 1;
    correction = k * LN2_LO + err / u;
  }
  const nearest = y * 1024 + SHIFT - SHIFT;
  const jd = nearest * +(nearest > 1);
  const j = jd | 0;
  const m = jd * 0.0009765625;
  const t = (y - m) / (1 + m);
  const t2 = t * t;
  const q = t + t2 * (-0.5 + t * 0.3333333333333333 + t2 * (-0.25 + t * 0.2 + t2 * -0.16666666666666666));
  const a = k * LN2_HI;
  const b = L[2 * j]!;
  const s = a + b;
  const e = a - s + b;
  return s + (e + (correction + L[2 * j + 1]! + q));
}
