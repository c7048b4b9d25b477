import { CompensatedSum } from "../numerics/compensatedSum.js";

/** Average precision, and the half-width of the interval that holds the exact value (0 when exact). */
export interface AveragePrecisionResult {
  averagePrecision: number;
  errorBound: number;
}

/**
 * Average precision (the area under the precision-recall step curve) from the weights of positives and
 * negatives per distinct score, or per histogram bin, in increasing score order (`RocAucAccumulator
 * .sortedWeights`). Null without positive weight.
 *
 * ## Exact (groups = distinct scores)
 * scikit-learn's `average_precision_score`: with the thresholds taken in decreasing order over the distinct
 * scores, `AP = sum_k (R_k - R_{k-1}) P_k = sum_k (pos_k / P) TP_k / (TP_k + FP_k)`, where TP_k and FP_k are
 * the positive and negative weight at or above score k (tied rows enter together). Compensated sums.
 *
 * ## Histogram (groups = bins; the order inside a bin is lost)
 * A bin's contribution depends only on the order of its own rows (the weight above it is fixed), so the
 * bounds of AP are sums of per-bin bounds. With T, F the positive and negative weight above the bin and
 * p, q its own, the precision t / (t + f) of a positive at cumulative positive weight t increases with t:
 * - best order (positives first): every positive's precision is at most (T + p) / (T + p + F), so
 *   contribution <= p (T + p) / (T + p + F);
 * - worst order (negatives first): the positives form a right Riemann sum of the increasing t / (t + F + q)
 *   over (T, T + p], so contribution >= its integral p - c log1p(p / (T + c)), c = F + q (p when c = 0).
 * The result is the midpoint of [sum of lower, sum of upper] / P with half the width as `errorBound`; the
 * exact AP of the data, and scikit-learn's value with ties by bin, lie within it.
 */
export function averagePrecision(pos: ArrayLike<number>, neg: ArrayLike<number>, exact: boolean): AveragePrecisionResult | null {
  const total = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) total.add(pos[k]!);
  const P = total.value();
  if (!(P > 0)) return null;
  const tp = new CompensatedSum();
  const fp = new CompensatedSum();
  const lower = new CompensatedSum();
  const upper = new CompensatedSum();
  for (let k = pos.length - 1; k >= 0; k--) {
    const p = pos[k]!;
    const q = neg[k]!;
    if (p > 0) {
      const T = tp.value();
      const F = fp.value();
      if (exact) {
        lower.add((p * (T + p)) / (T + p + F + q));
      } else {
        upper.add((p * (T + p)) / (T + p + F));
        const c = F + q;
        // integral_T^{T+p} t / (t + c) dt = p - c log((T + p + c) / (T + c)), log1p for small p / (T + c).
        lower.add(c === 0 ? p : Math.max(0, p - c * Math.log1p(p / (T + c))));
      }
    }
    tp.add(p);
    fp.add(q);
  }
  if (exact) return { averagePrecision: lower.value() / P, errorBound: 0 };
  const lo = lower.value() / P;
  const hi = upper.value() / P;
  return { averagePrecision: (lo + hi) / 2, errorBound: (hi - lo) / 2 };
}
