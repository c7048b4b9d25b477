/**
 * @internal The compensated sum of the logit losses' batch passes, in a fixed structure that does not depend
 * on how the batch is computed: samples in chunks of `SUM_CHUNK`; inside a chunk two lanes (even and odd
 * samples), each a Neumaier sum started at -0; the chunks then added in order into a double-double. The
 * WebAssembly kernel (one call per chunk), the JavaScript loops and the worker threads (src/parallel/) all
 * follow it, so they give the same bits whoever computed which chunk.
 *
 * Accuracy: each lane's compensated sum is within about one rounding of its exact sum (Neumaier); a lane
 * pair's merge and each chunk's addition carry their exact rounding error (TwoSum) into the low part, so the
 * total is within about one rounding of the exact sum plus the lanes' own errors.
 */

/** Samples per chunk (even: a chunk starts a pair of lanes). */
export const SUM_CHUNK = 8192;

/**
 * Adds one chunk's lane sums `lanes[at..at + 3]` = [s0, s1, c0, c1] to the running double-double `acc` = [hi, lo].
 * Through typed arrays, not arguments and a return value: V8 boxes a double passed to or returned from a
 * call it does not inline (a heap allocation each).
 *   t = s0 + s1 (TwoSum error e), c = c0 + c1 + e;   hi' = hi + t (TwoSum error f), lo' = lo + (c + f).
 * An infinite lane makes t and hi infinite and lo NaN; `chunkedTotal` then answers hi.
 */
export function addChunk(lanes: Float64Array, at: number, acc: Float64Array): void {
  const s0 = lanes[at]!;
  const s1 = lanes[at + 1]!;
  const t = s0 + s1;
  const bp = t - s0;
  const c = lanes[at + 2]! + lanes[at + 3]! + (s0 - (t - bp) + (s1 - bp));
  const hi = acc[0]!;
  const u = hi + t;
  const bq = u - hi;
  acc[1] = acc[1]! + (c + (hi - (u - bq) + (t - bq)));
  acc[0] = u;
}

/** Starts a new running sum: acc = [-0, -0] (see binaryBatch.ts on -0). */
export function resetChunked(acc: Float64Array): void {
  acc[0] = -0;
  acc[1] = -0;
}
