import { checkOptions } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";
import { type RowOptions, forEachRow, negLogSoftmax, rowLength } from "./softmaxRow.js";

/**
 * Log-softmax, `logSoftmax(x)_j = x_j - logSumExp(x) = log softmax(x)_j`, of a vector or, with
 * `{ classes: k }`, of every row of a row-major matrix. Returns a new `Float64Array` of x's length.
 * Minus its entry at the true class is the categorical cross-entropy of that row.
 *
 * ## Method
 * `-((m - x_j) + log1p(T))`, `T = sum_{j != a} exp(x_j - m)`, m the maximum at column a: two non-negative
 * terms, so nothing cancels; `x_j - logSumExp(x)` instead returns 0 for the top class of [50, 0] (true value
 * -1.93e-22) and loses digits whenever logSumExp(x) is close to x_j. Within a few ulps everywhere.
 *
 * ## Special cases
 * Infinite logits are limits as in `softmax`: logSoftmax([Infinity, 0]) = [-0, -Infinity] (the zero's sign
 * is that of a negated 0), a row of -Infinity only gives -log k everywhere. A NaN throws a RangeError.
 *
 * @example logSoftmax([50, 0]) // Float64Array [-1.9287498479639178e-22, -50]
 * @example logSoftmax([0, 0, 0, 0], { classes: 2 }) // Float64Array [-0.6931471805599453, -0.6931471805599453, -0.6931471805599453, -0.6931471805599453]
 */
export function logSoftmax(x: NumericArray, options?: RowOptions): Float64Array {
  const k = rowLength("logSoftmax", x, options);
  checkOptions("logSoftmax", options, ["classes"]);
  const out = new Float64Array(x.length);
  forEachRow("logSoftmax", x, k, options?.classes !== undefined, null, (_i, offset) => {
    for (let j = 0; j < k; j++) out[offset + j] = -negLogSoftmax(x[offset + j]!);
  });
  return out;
}
