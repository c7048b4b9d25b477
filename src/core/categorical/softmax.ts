import { checkOptions } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";
import { type RowOptions, forEachRow, row, rowLength } from "./softmaxRow.js";

/**
 * Softmax, `softmax(x)_j = exp(x_j) / sum_l exp(x_l)`: logits to probabilities, the multi-class sigmoid
 * (`softmax([0, s])_1 = sigmoid(s)`). A vector, or with `{ classes: k }` every row of a row-major matrix.
 * Returns a new `Float64Array` of x's length.
 *
 * ## Method
 * `exp(x_j - m) / (1 + T)`, `T = sum_{j != a} exp(x_j - m)`, m the maximum at column a: every exponent is
 * <= 0, so nothing overflows, and each probability keeps its relative accuracy (a few ulps), the small ones
 * too (the rounding error of x_j - m is carried; see `softmaxRow.ts`). Shifting x by a constant changes
 * nothing.
 *
 * ## Special cases
 * Infinite logits are limits: the classes at an infinite maximum share the probability equally and the
 * others get 0 (softmax([Infinity, 0]) = [1, 0], softmax([Infinity, Infinity, 5]) = [0.5, 0.5, 0]); a row of
 * -Infinity only is uniform. A NaN throws a RangeError naming its index.
 *
 * @example softmax([0, 0, Math.LN2]) // Float64Array [0.25, 0.25, 0.5]
 * @example softmax([1000, 0]) // Float64Array [1, 0] (the second is e^-1000, below the smallest double)
 */
export function softmax(x: NumericArray, options?: RowOptions): Float64Array {
  const k = rowLength("softmax", x, options);
  checkOptions("softmax", options, ["classes"]);
  const out = new Float64Array(x.length);
  forEachRow("softmax", x, k, options?.classes !== undefined, out, (_i, offset) => {
    const inv = 1 / (1 + row.tail);
    for (let j = 0; j < k; j++) out[offset + j] = out[offset + j]! * inv;
  });
  return out;
}
