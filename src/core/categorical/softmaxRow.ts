import { expNonPositive } from "../numerics/fastExp.js";
import { log1pNonNegative } from "../numerics/fastLog1p.js";
import { log1pExpNegative } from "../numerics/fastLog1pExp.js";
import { type GradientBuffer, type NumericArray } from "../common/reduction.js";

/**
 * e^-700 rounded to a double (9.85967654375977e-305, relative error below 2^-53): the scale of the small
 * terms of the tail. 700 keeps every scaled term e^(d + 700) normal for d >= -1400 and every unscaled one
 * (d >= -700, e^d >= 9.9e-305) above the subnormal range (2.2e-308).
 */
const EXP_MINUS_700 = Math.exp(-700);

/**
 * @internal The shared kernel of every softmax-based function: one scan of a row `z[0..k)` of logits that
 * finds its maximum and the compensated "tail" sum of the other exponentials. Everything else (log-sum-exp,
 * softmax, log-softmax, the categorical losses and their gradients) is a formula on its results.
 *
 * ## Method
 * With `m = max_j z_j` at column `a` (the first maximal column) and `d_j = z_j - m <= 0`:
 *   `logSumExp(z) = m + log1p(T)`,   `T = sum_{j != a} exp(d_j)`,   `softmax_j = exp(d_j) / (1 + T)`,
 *   `-logSoftmax_j = logSumExp(z) - z_j = (m - z_j) + log1p(T)`.
 * No exponential overflows (every d_j <= 0) and the last line adds two non-negative numbers, so nothing
 * cancels: a confidently right row keeps its tiny loss, `-logSoftmax_a = log1p(T)` (logits [50, 0], label 0:
 * log1p(e^-50) = 1.93e-22, where `logSumExp(z) - z_a` rounds to 0). Three details make it exact:
 * - `d_j = z_j - m` is itself rounded. Knuth's TwoSum recovers its exact error `e_j` (d_j + e_j = z_j - m
 *   exactly) and `exp(d_j + e_j) = exp(d_j) (1 + e_j)` to first order (|e_j| <= 2^-44 for |d_j| < 745, so
 *   the neglected e_j^2 / 2 is below 2^-89). Without it a term with d_j = -700 would carry a relative
 *   error of 700 * 2^-53, which matters when that term is the whole loss.
 * - T is a sum of up to k - 1 positive terms: Neumaier-compensated, so its error stays about 1 ulp for
 *   1,000 classes instead of growing with k.
 * - Terms with d_j < -700 would be subnormal or nearly so (e^-708 = 2.2e-308), and a tail made of them
 *   (a row dominated by 740 with 999 classes at 0: loss 4.18e-319) would lose its relative accuracy to
 *   the subnormal grid. They are summed separately as e^(d_j + 700) (normal; d_j + 700 is exact) and
 *   scaled by e^-700 once at the end, one rounding.
 * - A difference that overflows (logits near ±1.8e308 of opposite signs) is -Infinity, its exp is 0,
 *   exactly the rounded true value; its TwoSum error (NaN) is then never used.
 *
 * ## Infinite logits
 * If the maximum is infinite, the row is taken as the limit of replacing every logit equal to the maximum
 * by t and letting t go to ±Infinity with the other logits fixed: the classes at the maximum share the
 * probability equally and all others get exactly 0. So [Infinity, 0] has softmax [1, 0] and losses [0, Infinity];
 * [Infinity, Infinity, 0] has softmax [0.5, 0.5, 0]; a row of -Infinity only is uniform. In that case the
 * scan works on the limit row: 0 at the maximal columns, -Infinity elsewhere (and `max` stays infinite).
 *
 * The results go into the module-level `row` (no allocation per row; single-threaded, not re-entrant).
 */
export const row = {
  /** The row maximum m (possibly ±Infinity). */
  max: 0,
  /** The first column holding the maximum. */
  argmax: 0,
  /** `T = sum_{j != argmax} exp(z_j - m)`, compensated and with the TwoSum corrections added. */
  tail: 0,
  /** `log1p(T)`; `-logSoftmax_j = (m - z_j) + log1pTail`. */
  log1pTail: 0,
  /** Whether the maximum is infinite (the limit rule above applies). */
  infinite: false,
};

/**
 * @internal Scans the row `z[offset .. offset + k)` into `row`. When `store` is given, writes
 * `exp(z_j - m)` (corrected) into `store[offset + j]` for j != argmax, and 1 at argmax, so a gradient pass
 * needs no scratch memory. Returns -1, or the first column holding a NaN (the row is then left unscanned).
 */
export function scanRow(z: NumericArray, offset: number, k: number, store: GradientBuffer | null): number {
  let m = -Infinity;
  let a = 0;
  for (let j = 0; j < k; j++) {
    const v = z[offset + j]!;
    if (v > m) {
      m = v;
      a = j;
    } else if (v !== v) return j;
  }
  if (m === Infinity || m === -Infinity) return scanLimitRow(z, offset, k, store, m, a);
  // Two compensated sums: `sum` of the terms with d_j >= -700 and `small`, the terms with d_j < -700 scaled
  // by e^700 (see EXP_MINUS_700), so that a tail made of subnormal exponentials keeps its relative accuracy.
  let sum = 0;
  let c = 0;
  let corr = 0;
  // The difference d = z_j - m of the last column and its TwoSum error (for two classes: the only one).
  let lastD = 0;
  let lastE = 0;
  let small = 0;
  let sc = 0;
  for (let j = 0; j < k; j++) {
    if (j === a) continue;
    const v = z[offset + j]!;
    const d = v - m;
    // TwoSum(v, -m): d + e = v - m exactly (e is NaN when d overflowed to -Infinity; then unused).
    const bb = d - v;
    const e = v - (d - bb) + (-m - bb);
    lastD = d;
    lastE = e;
    if (d >= -700) {
      // xent's exp kernel (d <= 0 here; within 0.51 ulp, inlined, faster than Math.exp), the same as the
      // binary losses use: so two classes stay bit for bit binary cross-entropy with logits.
      const x = expNonPositive(d);
      const xe = x * e;
      if (store !== null) store[offset + j] = x + xe;
      const t = sum + x;
      c += sum >= x ? sum - t + x : x - t + sum;
      sum = t;
      corr += xe;
    } else {
      // d + 700 is exact for d in [-1400, -350] (Sterbenz); below -1400 the term is far below any other.
      const x = Math.exp(d + 700);
      if (x === 0) {
        if (store !== null) store[offset + j] = 0;
        continue;
      }
      const xe = x * e;
      if (store !== null) store[offset + j] = (x + xe) * EXP_MINUS_700;
      const t = small + x;
      sc += small >= x ? small - t + x : x - t + small;
      small = t;
      sc += xe;
    }
  }
  if (store !== null) store[offset + a] = 1;
  let tail = sum + (c + corr);
  if (small !== 0) tail += (small + sc) * EXP_MINUS_700;
  row.max = m;
  row.argmax = a;
  row.tail = tail;
  // log1p of the tail with xent's own log1p (allocation-free). Two classes with an exact difference d (TwoSum
  // error 0; the tail is then e^d): log(1 + e^d) from -d as the binary losses take it (fastLog1pExp.ts, below
  // 40; beyond, log1p(e^d) is e^d itself either way), so that two classes stay bit for bit binary
  // cross-entropy with logits. (The same value within about an ulp; the tail's log1p keeps an inexact d's error.)
  row.log1pTail = k === 2 && lastE === 0 && -lastD < 40 ? log1pExpNegative(-lastD) : log1pNonNegative(tail);
  row.infinite = false;
  return -1;
}

/** `scanRow` for an infinite maximum m: the limit row, 1 (e^0) at the columns equal to m, 0 elsewhere. */
function scanLimitRow(z: NumericArray, offset: number, k: number, store: GradientBuffer | null, m: number, a: number): number {
  let ties = 0;
  for (let j = 0; j < k; j++) {
    if (j === a) continue;
    const x = z[offset + j] === m ? 1 : 0;
    if (store !== null) store[offset + j] = x;
    ties += x;
  }
  if (store !== null) store[offset + a] = 1;
  row.max = m;
  row.argmax = a;
  row.tail = ties;
  row.log1pTail = log1pNonNegative(ties);
  row.infinite = true;
  return -1;
}

/**
 * @internal `-logSoftmax_j = (m - z_j) + log1p(T)` for the row last scanned, from the logit z_j: two
 * non-negative terms. In the infinite case the limit row is used (0 at the maximum, Infinity elsewhere).
 */
export function negLogSoftmax(zj: number): number {
  if (row.infinite) return zj === row.max ? row.log1pTail : Infinity;
  return row.max - zj + row.log1pTail;
}

/** Options of the row-wise forms of `logSumExp`, `softmax` and `logSoftmax`. */
export interface RowOptions {
  /** Treat x as a row-major matrix of rows of `classes` values (an integer >= 1). */
  classes?: number;
}

/**
 * @internal Validates x and `options.classes` and returns the row length k: x.length for a vector (0 for
 * an empty one), `options.classes` for rows.
 */
export function rowLength(fn: string, x: NumericArray, options: RowOptions | undefined): number {
  if (x == null || typeof x.length !== "number" || typeof x === "string") {
    throw new TypeError(`${fn}: x is not an array of numbers`);
  }
  if (options?.classes === undefined) return x.length;
  const k = options.classes;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`${fn}: options.classes = ${String(k)} is not an integer >= 1`);
  if (x.length % k !== 0) throw new RangeError(`${fn}: x has length ${x.length}, not a multiple of classes = ${k}`);
  return k;
}

/**
 * @internal Scans every row of x (of length k, from `rowLength`) with `scanRow`, calling `each(i, offset)`
 * after each scan, and throws a RangeError naming the index (and row and column for rows) of a NaN.
 */
export function forEachRow(
  fn: string,
  x: NumericArray,
  k: number,
  rows: boolean,
  store: GradientBuffer | null,
  each: (rowIndex: number, offset: number) => void,
): void {
  if (k === 0) return;
  for (let offset = 0, i = 0; offset < x.length; offset += k, i++) {
    const bad = scanRow(x, offset, k, store);
    if (bad >= 0) {
      const at = rows ? `x[${offset + bad}] (row ${i}, column ${bad})` : `x[${bad}]`;
      throw new RangeError(`${fn}: ${at} = NaN is not a number`);
    }
    each(i, offset);
  }
}
