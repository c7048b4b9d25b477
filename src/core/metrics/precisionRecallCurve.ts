import { CompensatedSum } from "../numerics/compensatedSum.js";

/** The precision-recall curve: points (recall, precision) in increasing recall, from (0, 1). */
export interface PrecisionRecallCurve {
  recall: Float64Array;
  precision: Float64Array;
}

/**
 * The precision-recall curve from the weights of positives and negatives per distinct score (or histogram
 * bin), in increasing score order (`RocAucAccumulator.sortedWeights`): the thresholds in decreasing order,
 * `recall_k = TP_k / P`, `precision_k = TP_k / (TP_k + FP_k)` (TP_k, FP_k: the weight at or above score k,
 * compensated sums), after the point (recall 0, precision 1), down to the lowest score (where precision
 * is the base rate): scikit-learn's `precision_recall_curve` (>= 1.1, which keeps the thresholds past full
 * recall), read from its end. Average precision is the step integral
 * `sum_k (recall_k - recall_{k-1}) precision_k` of these points. Groups without weight add no point. In
 * histogram mode the points are those at the bin edges (each exact). Null without positive weight.
 *
 * @example Array.from(precisionRecallCurve([1, 0], [0, 1]).precision) // [1, 0, 0.5]
 */
export function precisionRecallCurve(pos: ArrayLike<number>, neg: ArrayLike<number>): PrecisionRecallCurve | null {
  const P = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) P.add(pos[k]!);
  const totalPos = P.value();
  if (!(totalPos > 0)) return null;
  const recall = [0];
  const precision = [1];
  const tp = new CompensatedSum();
  const fp = new CompensatedSum();
  for (let k = pos.length - 1; k >= 0; k--) {
    if (!(pos[k]! + neg[k]! > 0)) continue;
    tp.add(pos[k]!);
    fp.add(neg[k]!);
    const t = tp.value();
    recall.push(t / totalPos);
    precision.push(t / (t + fp.value()));
  }
  return { recall: Float64Array.from(recall), precision: Float64Array.from(precision) };
}
