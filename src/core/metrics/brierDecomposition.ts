import { CompensatedSum } from "../numerics/compensatedSum.js";

/** Murphy's decomposition of the Brier score: `brier = reliability - resolution + uncertainty`. */
export interface BrierDecomposition {
  /** Weighted mean squared gap between a forecast and the observed frequency of its group (lower is better). */
  reliability: number;
  /** Weighted variance of the groups' observed frequencies around the base rate (higher is better). */
  resolution: number;
  /** `b (1 - b)`, b the weighted base rate: the Brier score of always forecasting b. */
  uncertainty: number;
}

/**
 * Murphy (1973): with the rows grouped by forecast (group k: weight W_k, forecast f_k, observed frequency
 * o_k = pos_k / W_k), `sum_{i in k} w_i (f_k - y_i)^2 = W_k (f_k - o_k)^2 + W_k o_k (1 - o_k)` and
 * `sum_k W_k o_k (1 - o_k) = W b (1 - b) - sum_k W_k (o_k - b)^2`, hence
 * `brier = REL - RES + UNC` with `REL = sum_k W_k (f_k - o_k)^2 / W`, `RES = sum_k W_k (o_k - b)^2 / W`,
 * `UNC = b (1 - b) = P N / W^2`. Exact whenever the forecast is constant within each group: the groups are
 * the distinct scores (`forecasts` given).
 *
 * Without forecasts (histogram mode: the groups are score bins, the forecasts in a bin vary), RES is that of
 * the bins — a lower bound of the distinct-score resolution (merging groups can only lower the variance of
 * their frequencies) — and REL is taken from the identity, `brier - UNC + RES` (so an upper bound).
 * Null without weight.
 */
export function brierDecomposition(
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  forecasts: ArrayLike<number> | null,
  brier: number,
): BrierDecomposition | null {
  const P = new CompensatedSum();
  const N = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) {
    P.add(pos[k]!);
    N.add(neg[k]!);
  }
  const p = P.value();
  const n = N.value();
  const w = p + n;
  if (!(w > 0)) return null;
  const b = p / w;
  const rel = new CompensatedSum();
  const res = new CompensatedSum();
  for (let k = 0; k < pos.length; k++) {
    const wk = pos[k]! + neg[k]!;
    if (!(wk > 0)) continue;
    const o = pos[k]! / wk;
    const d = o - b;
    res.add(wk * d * d);
    if (forecasts !== null) {
      const e = forecasts[k]! - o;
      rel.add(wk * e * e);
    }
  }
  // UNC = P N / W^2 = (P / W) (N / W): no cancellation (1 - b would lose digits for b near 1).
  const uncertainty = (p / w) * (n / w);
  const resolution = res.value() / w;
  const reliability = forecasts !== null ? rel.value() / w : brier - uncertainty + resolution;
  return { reliability, resolution, uncertainty };
}
