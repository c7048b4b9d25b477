/** The blocks of a weighted isotonic regression of y on the score (see `poolAdjacentViolators`). */
export interface IsotonicBlocks {
  /** Positive weight of each block, in increasing score order. */
  pos: number[];
  /** Negative weight of each block. */
  neg: number[];
  /** The first and last group (index into the input arrays) of each block; groups without weight are skipped. */
  first: number[];
  last: number[];
}

/**
 * Pool adjacent violators: the weighted isotonic (non-decreasing) regression of the label on the score,
 * over groups in increasing score order (the distinct scores, or histogram bins), each with its positive
 * and negative weight. A stack of blocks with increasing frequency P_B / W_B: each new group is merged with
 * the block below while that block's frequency is >= its own (`p0 / w0 >= p / w  <=>  p0 w >= p w0`, no
 * division), so ties are pooled as scikit-learn's IsotonicRegression pools them. The fitted value of a
 * group is the frequency P_B / (P_B + N_B) of its block. Groups of zero weight belong to no block.
 *
 * @example poolAdjacentViolators([1, 0], [0, 1]).pos // [1]
 */
export function poolAdjacentViolators(pos: ArrayLike<number>, neg: ArrayLike<number>): IsotonicBlocks {
  const bp: number[] = [];
  const bn: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  for (let k = 0; k < pos.length; k++) {
    let p = pos[k]!;
    let n = neg[k]!;
    if (!(p + n > 0)) continue;
    let start = k;
    while (bp.length > 0) {
      const p0 = bp[bp.length - 1]!;
      const n0 = bn[bn.length - 1]!;
      if (p0 * (p + n) < p * (p0 + n0)) break;
      p += p0;
      n += n0;
      start = first[first.length - 1]!;
      bp.pop();
      bn.pop();
      first.pop();
      last.pop();
    }
    bp.push(p);
    bn.push(n);
    first.push(start);
    last.push(k);
  }
  return { pos: bp, neg: bn, first, last };
}
