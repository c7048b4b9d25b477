/**
 * The q-quantile of sorted numbers by linear interpolation between order statistics: Hyndman & Fan's
 * definition 7, the default of numpy (`method="linear"`), R (`type = 7`) and Excel's PERCENTILE.INC.
 * With n values x_(0) <= ... <= x_(n-1), h = (n - 1) q and the quantile is x_(floor h) + (h - floor h)
 * (x_(floor h + 1) - x_(floor h)). An infinite neighbour gives that infinity (not NaN); an empty array gives NaN.
 *
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const j = Math.floor(h);
  const lo = sorted[j]!;
  const f = h - j;
  if (f === 0 || j + 1 >= n) return lo;
  const hi = sorted[j + 1]!;
  if (lo === hi) return lo;
  if (hi === Infinity) return Infinity;
  if (lo === -Infinity) return -Infinity;
  return lo + f * (hi - lo);
}
