import { poolAdjacentViolators } from "./poolAdjacentViolators.js";

/** The CORP reliability curve: points (forecast probability, recalibrated probability), forecasts increasing. */
export interface IsotonicCalibrationCurve {
  forecast: Float64Array;
  calibrated: Float64Array;
}

/**
 * The CORP reliability curve (Dimitriadis, Gneiting & Jordan 2021): the isotonic recalibration of the
 * forecasts, the same pool-adjacent-violators fit as `corpDecomposition`, as the points to draw. Input:
 * the positive and negative weight per group in increasing score order (`RocAucAccumulator.sortedWeights`),
 * and each group's smallest and largest forecast probability (the same array twice for distinct scores; the
 * bin edges in histogram mode). Each block of pooled groups gives a flat piece at its frequency
 * `P_B / (P_B + N_B)`, from its lowest to its highest forecast (one point when they are equal); straight
 * lines between the pieces, as the paper draws them. Null without weight.
 *
 * @example Array.from(isotonicCalibrationCurve([0, 1, 1], [1, 0, 1], [0.2, 0.5, 0.7], [0.2, 0.5, 0.7]).calibrated) // [0, 0.6666666666666666, 0.6666666666666666]
 */
export function isotonicCalibrationCurve(
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  lowest: ArrayLike<number>,
  highest: ArrayLike<number>,
): IsotonicCalibrationCurve | null {
  const blocks = poolAdjacentViolators(pos, neg);
  if (blocks.pos.length === 0) return null;
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < blocks.pos.length; b++) {
    const p = blocks.pos[b]!;
    const f = p / (p + blocks.neg[b]!);
    const lo = lowest[blocks.first[b]!]!;
    const hi = highest[blocks.last[b]!]!;
    x.push(lo);
    y.push(f);
    if (hi !== lo) {
      x.push(hi);
      y.push(f);
    }
  }
  return { forecast: Float64Array.from(x), calibrated: Float64Array.from(y) };
}
