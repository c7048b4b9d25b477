import { CompensatedSum } from "../numerics/compensatedSum.js";

/** Calibration errors over equal-mass bins (see `equalMassCalibration`). */
export interface EqualMassCalibration {
  bins: number;
  ece: number;
  mce: number;
  rms: number;
}

/**
 * ECE, MCE and RMS calibration error over B equal-mass bins, from the weights per distinct score (in
 * increasing order, with each score's probability `forecasts[k]`): group k (weight W_k, midpoint of its
 * cumulative weight c_k = weight below + W_k / 2) goes to bin `min(B - 1, floor(B c_k / W))`, so that each
 * bin holds about W / B of the weight and tied scores are never split. In a group every row has the same
 * probability, so the bin sums are exact: `sum w p = sum_k f_k W_k`, `sum w y = sum_k pos_k`; the errors are
 * then those of `CalibrationBins` (ECE = sum_b |sum w p - sum w y| / W, MCE the largest bin gap, RMS the
 * weighted root mean square). Needs the distinct scores: null in histogram mode, or without weight.
 */
export function equalMassCalibration(
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  forecasts: ArrayLike<number> | null,
  bins: number,
): EqualMassCalibration | null {
  if (forecasts === null) return null;
  const total = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) total.add(pos[k]! + neg[k]!);
  const W = total.value();
  if (!(W > 0)) return null;
  const wb = Array.from({ length: bins }, () => new CompensatedSum());
  const pb = Array.from({ length: bins }, () => new CompensatedSum());
  const yb = Array.from({ length: bins }, () => new CompensatedSum());
  const below = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) {
    const wk = pos[k]! + neg[k]!;
    const b = Math.min(bins - 1, Math.floor((bins * (below.value() + wk / 2)) / W));
    wb[b]!.add(wk);
    pb[b]!.add(forecasts[k]! * wk);
    yb[b]!.add(pos[k]!);
    below.add(wk);
  }
  const ece = new CompensatedSum();
  const ms = new CompensatedSum();
  let mce = 0;
  for (let b = 0; b < bins; b++) {
    const w = wb[b]!.value();
    if (!(w > 0)) continue;
    const gap = Math.abs(pb[b]!.value() - yb[b]!.value());
    ece.add(gap);
    ms.add((gap * gap) / w);
    mce = Math.max(mce, gap / w);
  }
  return { bins, ece: ece.value() / W, mce, rms: Math.sqrt(ms.value() / W) };
}
