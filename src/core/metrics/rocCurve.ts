import { CompensatedSum } from "../numerics/compensatedSum.js";

/** The ROC curve: the points (false positive rate, true positive rate), from (0, 0) to (1, 1). */
export interface RocCurve {
  falsePositiveRate: Float64Array;
  truePositiveRate: Float64Array;
}

/**
 * The ROC curve from the weights of positives and negatives per distinct score (or per histogram bin), in
 * increasing score order (`RocAucAccumulator.sortedWeights`): one point per threshold, the thresholds taken
 * in decreasing order, `TPR_k = TP_k / P`, `FPR_k = FP_k / N` with TP_k, FP_k the positive and negative
 * weight at or above score k (tied rows enter together, so a tie is one diagonal step), after the point
 * (0, 0). These are scikit-learn's `roc_curve(..., drop_intermediate=False)` points; the cumulative weights
 * are compensated sums, so each rate is the correctly rounded ratio of the rounded sums (exact for counts).
 * Groups without weight add no point. In histogram mode the points are those at the bin edges (exact:
 * the weight above an edge does not depend on the order inside a bin), joined by straight lines, whose
 * area is the AUC reported with ties counting one half. Null without both positive and negative weight.
 *
 * @example Array.from(rocCurve([0, 1], [1, 0]).truePositiveRate) // [0, 1, 1]
 */
export function rocCurve(pos: ArrayLike<number>, neg: ArrayLike<number>): RocCurve | null {
  const P = new CompensatedSum();
  const N = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) {
    P.add(pos[k]!);
    N.add(neg[k]!);
  }
  const totalPos = P.value();
  const totalNeg = N.value();
  if (!(totalPos > 0 && totalNeg > 0)) return null;
  const fpr = [0];
  const tpr = [0];
  const tp = new CompensatedSum();
  const fp = new CompensatedSum();
  for (let k = pos.length - 1; k >= 0; k--) {
    if (!(pos[k]! + neg[k]! > 0)) continue;
    tp.add(pos[k]!);
    fp.add(neg[k]!);
    fpr.push(fp.value() / totalNeg);
    tpr.push(tp.value() / totalPos);
  }
  return { falsePositiveRate: Float64Array.from(fpr), truePositiveRate: Float64Array.from(tpr) };
}
