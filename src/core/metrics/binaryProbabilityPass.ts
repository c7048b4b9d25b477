import { binOfProbability } from "./rocAuc.js";

/**
 * @internal The sums of one validated batch of probabilities, in one pass over the rows, for
 * `BinaryEvaluation.addValidated`: [0] the loss (as `binaryCrossEntropy(labels, p, { reduction: "sum",
 * weights })`), [1] the Brier sum and [2] the weight of the correct rows (as `binaryScoreSums`, threshold
 * 0.5), [3..6] TP, FP, FN, TN at `threshold` (as `ThresholdCounts.add`). Reused: read at once.
 */
export const PASS_SUMS = new Float64Array(7);

/**
 * @internal One pass over a batch that the caller has validated (labels 0 or 1, probabilities in [0, 1],
 * weights finite and >= 0): the loss, Brier and accuracy sums and the confusion counts into `PASS_SUMS`,
 * the calibration bins' plain sums into `bins` (`CalibrationBins.batchScratch`, B bins), and, when the AUC
 * accumulator is a histogram (`hist` not null), each row into it.
 *
 * Each figure is the same arithmetic in the same row order as its own pass (`probabilityBatch`,
 * `binaryScoreSums`, `ThresholdCounts.add`, `CalibrationBins.add`, `RocAucAccumulator.addChecked`): every
 * sum is its own chain of additions, so putting the loops together changes no bit (the CLI's tests compare
 * the output byte for byte). What is saved is the reading of the batch five times and the checks done again
 * by each pass.
 */
export function binaryProbabilityPass(
  labels: Float64Array,
  probabilities: Float64Array,
  weights: Float64Array | undefined,
  threshold: number,
  bins: Float64Array,
  B: number,
  hist: Float64Array | null,
): void {
  const n = labels.length;
  // -0 for the loss as in probabilityBatch (an empty sum is +0 after the final + 0); 0 for the others as in
  // binaryScoreSums and ThresholdCounts.add (the same first values, so the same bits).
  let ls = -0;
  let lc = -0;
  let bs = 0;
  let bc = 0;
  let cs = 0;
  let cc = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const p = probabilities[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    // The loss: probabilityLoss(y, p, 1) for a hard label, whose one term with a coefficient of 1 is
    // `0 - log p` (y = 1) or `0 - log1p(-p)` (y = 0), written out (the call was not inlined).
    let loss = y === 1 ? 0 - Math.log(p) : 0 - Math.log1p(-p);
    if (w !== 1) loss = w === 0 ? 0 : w * loss;
    let t = ls + loss;
    lc += ls >= loss ? ls - t + loss : loss - t + ls;
    ls = t;
    // Brier and accuracy (binaryScoreSums, threshold 0.5).
    const d = p - y;
    const b = w * (d * d);
    t = bs + b;
    bc += bs >= b ? bs - t + b : b - t + bs;
    bs = t;
    const c = (p > 0.5 ? 1 : 0) === y ? w : 0;
    t = cs + c;
    cc += cs >= c ? cs - t + c : c - t + cs;
    cs = t;
    // The confusion counts (ThresholdCounts.add).
    if (p > threshold) {
      if (y === 1) tp += w;
      else fp += w;
    } else if (y === 1) fn += w;
    else tn += w;
    // The calibration bins (CalibrationBins.add).
    let k = Math.ceil(p * B) - 1;
    if (k < 0) k = 0;
    else if (k >= B) k = B - 1;
    bins[3 * k]! += w;
    bins[3 * k + 1]! += w * p;
    bins[3 * k + 2]! += w * y;
    // The AUC's histogram (RocAucAccumulator.addChecked).
    if (hist !== null) hist[2 * binOfProbability(p) + 1 - y]! += w;
  }
  const out = PASS_SUMS;
  out[0] = (ls < Infinity ? ls + lc : ls) + 0;
  out[1] = bs + bc;
  out[2] = cs + cc;
  out[3] = tp;
  out[4] = fp;
  out[5] = fn;
  out[6] = tn;
}
