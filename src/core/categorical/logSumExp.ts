import { checkOptions } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";
import { type RowOptions, forEachRow, row, rowLength } from "./softmaxRow.js";

/**
 * Log-sum-exp, `logSumExp(x) = log(sum_j exp(x_j))`, the log of the softmax's normalizer (a smooth maximum:
 * max(x) <= logSumExp(x) <= max(x) + log(k)).
 *
 * `logSumExp(x)` for a vector gives a number; `logSumExp(x, { classes: k })` treats x as a row-major matrix
 * with rows of k values and gives one value per row (`Float64Array`).
 *
 * ## Method
 * `m + log1p(sum_{j != a} exp(x_j - m))` with m the maximum at column a: no exponential overflows (every
 * exponent is <= 0; the naive sum overflows for x_j > 709.78 and underflows to log 0 = -Infinity below
 * -745), and log1p keeps the small sum's digits. The rounding error of every difference x_j - m is carried
 * (TwoSum) and the sum is Neumaier-compensated (see `softmaxRow.ts`). The error is within a few ulps of
 * max(|m|, log1p(T)): relative, except where m and log1p(T) nearly cancel (m < 0 close to -log k), which
 * only the result's absolute accuracy survives. `logSoftmax` and the losses never form that difference.
 *
 * ## Special cases
 * Any +Infinity gives Infinity; all -Infinity (or an empty vector, the log of an empty sum) gives -Infinity;
 * a NaN throws a RangeError naming its index (row and column for rows).
 *
 * @example logSumExp([1000, 1000]) // 1000.6931471805599
 * @example logSumExp([0, 0, Math.log(2), 1, 2, 3], { classes: 3 }) // Float64Array [1.3862943611198906, 3.40760596444438]
 */
export function logSumExp(x: NumericArray): number;
export function logSumExp(x: NumericArray, options: RowOptions & { classes: number }): Float64Array;
export function logSumExp(x: NumericArray, options?: RowOptions): number | Float64Array;
export function logSumExp(x: NumericArray, options?: RowOptions): number | Float64Array {
  const fn = "logSumExp";
  const k = rowLength(fn, x, options);
  checkOptions("logSumExp", options, ["classes"]);
  if (options?.classes === undefined) {
    let result = -Infinity;
    forEachRow(fn, x, k, false, null, () => {
      result = rowLogSumExp();
    });
    return result;
  }
  const out = new Float64Array(x.length / k);
  forEachRow(fn, x, k, true, null, (i) => {
    out[i] = rowLogSumExp();
  });
  return out;
}

/** The log-sum-exp of the row last scanned. An infinite maximum is the answer itself. */
function rowLogSumExp(): number {
  return row.infinite ? row.max : row.max + row.log1pTail;
}
