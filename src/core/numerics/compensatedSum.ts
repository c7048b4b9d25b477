/**
 * Compensated (Neumaier) summation: an improved Kahan–Babuška sum (A. Neumaier, 1974).
 *
 * ## Method
 * Each addition `t = sum + x` loses a rounding error that is itself a float and is recovered exactly by
 * `(sum - t) + x` when |sum| >= |x| (else `(x - t) + sum`). The errors are accumulated separately and added
 * back at the end, so the result's error is about 2 ulps of the total, independent of the number of terms
 * (a naive sum drifts by up to n ulps). A million copies of the double 0.1 sum to 100000, the correctly
 * rounded value, where the naive loop returns 100000.00000133288.
 *
 * The loss loops of xent inline the same three lines for speed; this class serves everything else.
 *
 * @example new CompensatedSum().addAll([0.1, 0.2, 0.3]).value() // 0.6
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): this {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
    return this;
  }

  addAll(xs: ArrayLike<number>): this {
    for (let i = 0; i < xs.length; i++) this.add(xs[i]!);
    return this;
  }

  /** Merges another partial sum (for sharded or parallel reductions). */
  merge(other: CompensatedSum): this {
    this.add(other.sum);
    // An infinite partial sum's compensation is NaN (see `value`), not a part of the sum: added, it would turn
    // the merged sum into NaN (two shards with an infinite loss merged to a NaN loss).
    return Number.isFinite(other.sum) ? this.add(other.compensation) : this;
  }

  /**
   * The running sum and its compensation, unrounded, for saving a partial sum (sharded reductions) and
   * restoring it with `CompensatedSum.fromParts` without losing the compensation.
   */
  parts(): [sum: number, compensation: number] {
    return [this.sum, this.compensation];
  }

  /** A partial sum restored from `parts()`. */
  static fromParts(sum: number, compensation: number): CompensatedSum {
    const s = new CompensatedSum();
    s.sum = sum;
    s.compensation = compensation;
    return s;
  }

  /** The sum. An infinite running sum is returned as is (its compensation would be NaN). */
  value(): number {
    return Number.isFinite(this.sum) ? this.sum + this.compensation : this.sum;
  }
}

/** Compensated sum of an array. @example compensatedSum([1e100, 1, -1e100]) // 1 */
export function compensatedSum(xs: ArrayLike<number>): number {
  return new CompensatedSum().addAll(xs).value();
}
