import { CompensatedSum } from "../numerics/compensatedSum.js";
import { poolAdjacentViolators } from "./poolAdjacentViolators.js";

/** The CORP decomposition of the log loss: `logLoss = miscalibration - discrimination + uncertainty`. */
export interface LogLossDecomposition {
  /** MCB = S(p) - S(p_recal): the loss the isotonic recalibration removes (>= 0; 0 when calibrated). */
  miscalibration: number;
  /** DSC = S(base rate) - S(p_recal): what the scores' order is worth (>= 0). */
  discrimination: number;
  /** UNC = S(base rate), the entropy of the weighted base rate (in nats). */
  uncertainty: number;
}

/**
 * The CORP decomposition (Dimitriadis, Gneiting & Jordan 2021, "Stable reliability diagrams for
 * probabilistic classifiers", PNAS) of the mean log loss S(p): the recalibrated forecast p_recal is the
 * weighted isotonic (non-decreasing) regression of y on the score, by pool-adjacent-violators over the
 * groups in increasing score order (tied scores pooled first, as scikit-learn's IsotonicRegression does).
 * With the pooled blocks B (positive weight P_B, negative N_B, p_recal = P_B / (P_B + N_B)),
 * `W S(p_recal) = -sum_B [P_B log(P_B / W_B) + N_B log(N_B / W_B)]` (0 log 0 = 0; N_B / W_B is formed
 * directly, never as 1 - p_recal, so there is no cancellation), and likewise S(base rate) from P and N.
 * Then MCB = S(p) - S(p_recal), DSC = S(base) - S(p_recal), UNC = S(base), so that
 * `MCB - DSC + UNC = S(p)` up to the rounding of two subtractions (a few ulps of the largest term).
 *
 * The groups are the distinct scores (exact), or in histogram mode the score bins: the isotonic fit over the
 * bins is a constrained version of the fit over the scores, so S(p_recal) is then an upper bound, DSC a
 * lower bound and MCB an upper bound. `logLoss` is the exact mean log loss of the data (may be Infinity:
 * then MCB is Infinity). Null without weight.
 */
export function corpDecomposition(pos: ArrayLike<number>, neg: ArrayLike<number>, logLoss: number): LogLossDecomposition | null {
  const { pos: bp, neg: bn } = poolAdjacentViolators(pos, neg);
  const xlogx = (a: number, w: number) => (a > 0 ? a * Math.log(a / w) : 0);
  const recal = new CompensatedSum();
  const P = new CompensatedSum();
  const N = new CompensatedSum();
  for (let b = 0; b < bp.length; b++) {
    const p = bp[b]!;
    const n = bn[b]!;
    recal.add(-xlogx(p, p + n));
    recal.add(-xlogx(n, p + n));
    P.add(p);
    N.add(n);
  }
  const w = P.value() + N.value();
  if (!(w > 0)) return null;
  const sRecal = recal.value() / w;
  const uncertainty = -(xlogx(P.value(), w) + xlogx(N.value(), w)) / w;
  return { miscalibration: logLoss - sRecal, discrimination: uncertainty - sRecal, uncertainty };
}
