import { fail } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";

/**
 * @internal The Brier-score and accuracy sums of a binary batch in one pass, for `BinaryEvaluation`: the same
 * numbers as `brierScore(..., { reduction: "sum" })` and `accuracy(..., { reduction: "sum" })` (one loop
 * instead of two; a test checks they agree bit for bit). Labels in {0, 1}, probabilities in [0, 1], scores
 * (the probabilities themselves, or logits) compared with `threshold`; weights already checked by the caller.
 */
export function binaryScoreSums(
  fn: string,
  labels: NumericArray,
  probabilities: NumericArray,
  scores: NumericArray,
  threshold: number,
  weights: NumericArray | undefined,
): { brier: number; correct: number } {
  const n = labels.length;
  let bs = 0;
  let bc = 0;
  let cs = 0;
  let cc = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) fail(`${fn}: labels[${i}]`, y, "is not 0 or 1");
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) fail(`${fn}: probabilities[${i}]`, p, "is not in [0, 1]");
    const w = weights === undefined ? 1 : weights[i]!;
    const d = p - y;
    const b = w * (d * d);
    let t = bs + b;
    bc += bs >= b ? bs - t + b : b - t + bs; // Neumaier; both >= 0
    bs = t;
    const c = (scores[i]! > threshold ? 1 : 0) === y ? w : 0;
    t = cs + c;
    cc += cs >= c ? cs - t + c : c - t + cs;
    cs = t;
  }
  return { brier: bs + bc, correct: cs + cc };
}
