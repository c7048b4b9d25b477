/**
 * An exact sum of doubles, correctly rounded once at the end, so that its value does not depend on the order
 * in which the terms came nor on how they were grouped (shards merged in any order give the same bits).
 *
 * ## Method
 * Shewchuk's "partials" (J. R. Shewchuk, Adaptive Precision Floating-Point Arithmetic, 1997; Python's
 * `math.fsum`, R. Hettinger): the running sum is kept as a list of non-overlapping doubles of increasing
 * magnitude whose exact sum is the exact sum of the terms. Adding x walks the list with Knuth's TwoSum
 * (`hi = x + y`, `lo = y - (hi - x)` when |x| >= |y|, exact), keeping the nonzero `lo`s. `value()` adds the
 * partials from the largest down until a rounding error appears, then corrects the half-way case (the
 * error and the next partial having the same sign) so that the result is the exact sum rounded to nearest.
 * The list stays short (two or three doubles for sums of terms of similar size).
 *
 * ## Special cases
 * Non-finite terms are summed apart (Infinity + -Infinity is NaN) and returned as that sum. A partial sum
 * that overflows is recorded as ±Infinity, sticky (the exact value may be finite, but not representable
 * on the way).
 *
 * @example new ExactSum().add(1e100).add(1).add(-1e100).value() // 1
 */
export class ExactSum {
  private partials: number[] = [];
  private special = 0;

  add(x: number): this {
    if (!Number.isFinite(x)) {
      this.special += x;
      return this;
    }
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) {
      this.special += x; // the partial sum overflowed
      p.length = i;
      return this;
    }
    p.length = i + 1;
    p[i] = x;
    return this;
  }

  merge(other: ExactSum): this {
    for (const x of other.partials) this.add(x);
    this.special += other.special;
    return this;
  }

  /** The exact sum rounded to nearest (ties to even), or the sum of the non-finite terms if any. */
  value(): number {
    if (this.special !== 0) return this.special; // ±Infinity or NaN (NaN !== 0)
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Half-way case: hi + lo is a tie only in appearance when the partials below push the same way.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials (and the non-finite sum, last, when there is one): a list whose exact sum is the sum. */
  parts(): number[] {
    return this.special === 0 ? [...this.partials] : [...this.partials, this.special];
  }

  /** The sum of `parts()` (any list of doubles). */
  static fromParts(parts: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of parts) s.add(x);
    return s;
  }
}
