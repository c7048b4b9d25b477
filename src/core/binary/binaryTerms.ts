import { log1pExpNegative } from "../numerics/fastLog1pExp.js";

/**
 * @internal The per-sample terms of binary cross-entropy, shared by the scalar functions and the batch loops so
 * that both give bit-identical results. Inputs are already validated here.
 *
 * With a positive-class weight `w+` (PyTorch's `pos_weight`, 1 by default) and a label y in [0, 1]:
 *   L(y, p) = -w+ y log p - (1 - y) log(1 - p)
 *   L(y, s) = w+ y softplus(-s) + (1 - y) softplus(s)        with p = sigmoid(s)
 */

/**
 * The probability form. Each term is >= 0 and is skipped when its coefficient is 0, so `0 * log 0` never
 * makes a NaN: L(0, 0) = 0 and L(1, 0) = Infinity, as in exact arithmetic. `log1p(-p)` keeps the digits of
 * `log(1 - p)` for small p (1 - p would round to 1 below p = 2^-53). Starting from +0 and subtracting keeps
 * the sign of a zero loss positive.
 */
export function probabilityLoss(y: number, p: number, posWeight: number): number {
  const positive = posWeight * y;
  const negative = 1 - y;
  let loss = 0;
  if (positive !== 0) loss -= positive * Math.log(p);
  if (negative !== 0) loss -= negative * Math.log1p(-p);
  return loss;
}

/**
 * dL/dp of the probability form: `-w+ y / p + (1 - y) / (1 - p)`.
 * For a hard label only one term exists. For a soft label (w+ = 1) the two terms cancel as p approaches y,
 * so they are combined exactly: `(p - y) / (p (1 - p))` (p - y is one rounding, exact when within a
 * factor 2). At p = 0 or 1 the result is the exact infinite limit (or 1 / -1 for the matching hard label).
 */
export function probabilityGrad(y: number, p: number, posWeight: number): number {
  if (y === 1) return -posWeight / p;
  if (y === 0) return 1 / (1 - p);
  if (posWeight === 1) return (p - y) / (p * (1 - p));
  return (1 - y) / (1 - p) - (posWeight * y) / p;
}

/**
 * The logit form, from `e = exp(-|s|)` (shared with the gradient).
 * Callers form e with `logitExp` (fastLog1pExp.ts, within 0.51 ulp: from a table at |s| < 40, `expNonPositive`
 * beyond); `log1p(e)` here is taken from |s| directly,
 * `log1pExpNegative` (fastLog1pExp.ts, within 0.52 ulp: a table and two short polynomials, no exp and no
 * division, so the loss alone needs no exp) for |s| < 40, and is e itself beyond (e < 2^-57, where
 * `log1pUnit(e)` returns e bit for bit). V8 inlines both kernels into the batch loops. The reference path with
 * `Math.exp`/`Math.log1p` and the foundation's branchy form of these terms is binaryBatchReference.ts; the
 * tests compare the two element by element.
 *
 * With `a = log1p(e) = softplus(-|s|)`:
 *   softplus(-s) = a + max(-s, 0),   softplus(s) = a + max(s, 0),
 *   L = (w+ y) softplus(-s) + (1 - y) softplus(s).
 * Every addition adds two non-negative numbers, so nothing cancels, even for soft labels: TensorFlow's
 * `max(s, 0) - s y + log1p(e)` cancels when y is near 1 and s is large; here (1 - y) s is formed instead,
 * and 1 - y is exact for y >= 0.5.
 * No threshold is needed: for |s| > 37.4 the log1p term falls below half an ulp of |s| and vanishes by
 * itself; for |s| > 745.2 e underflows to 0.
 *
 * Branch-free on purpose: a batch has random signs of s and random labels, and every data-dependent branch
 * that the CPU mispredicts costs about as much as an exp (measured: 5.5 ns per element for one ternary on
 * random signs). `max(s, 0) = s/2 + |s|/2` and `max(-s, 0) = |s|/2 - s/2` are exact for every finite s
 * (halving is exact above the subnormal range; below it the term is far under half an ulp of a = log 2 and
 * the sum is the same), and a coefficient of 0 or 1 times a finite term is exact. So this is bit for bit
 * the foundation's branchy form (skip a term with a zero coefficient), which the reference keeps.
 * Infinite s (where 0 * Infinity would be NaN) takes the one rare branch to the exact limits:
 * L(1, +Infinity) = 0, L(1, -Infinity) = Infinity.
 */
export function logitLoss(y: number, s: number, posWeight: number, e: number): number {
  const z = Math.abs(s);
  // a = log1p(e), from z (fastLog1pExp.ts) below 40, and e itself beyond (where log1pUnit(e) is e, bit
  // for bit): the branch goes the same way for almost every sample of a batch.
  const a = z < 40 ? log1pExpNegative(z) : e;
  if (z === Infinity) return infiniteLogitLoss(y, s, posWeight);
  const halfS = 0.5 * s;
  const halfZ = 0.5 * z;
  return posWeight * y * (a + (halfZ - halfS)) + (1 - y) * (a + (halfZ + halfS));
}

/** The loss at s = ±Infinity: the term whose softplus is infinite counts only if its coefficient is not 0. */
function infiniteLogitLoss(y: number, s: number, posWeight: number): number {
  const coefficient = s > 0 ? 1 - y : posWeight * y;
  return coefficient === 0 ? 0 : Infinity;
}

/**
 * dL/ds of the logit form: `w+ y (sigmoid(s) - 1) + (1 - y) sigmoid(s)`, which is `sigmoid(s) - y` for w+ = 1.
 * Both sigmoids come from `e = exp(-|s|)` without cancellation: sigmoid(|s|) = 1/(1+e), sigmoid(-|s|) = e/(1+e).
 * `sigmoid(s) - 1` is formed as `-sigmoid(-s)` (the subtraction would lose every digit for s > 37).
 * For a soft label the subtraction uses the smaller sigmoid: `(1 - y) - sigmoid(-s)` when s >= 0.
 * (The WebAssembly kernel, assembly/binaryKernel.ts, computes the same values without branches, selecting
 * with bit masks; this JavaScript form keeps the branches, which are cheap for a scalar call.)
 */
export function logitGrad(y: number, s: number, posWeight: number, e: number): number {
  const big = 1 / (1 + e);
  const small = e * big;
  const sigmoidS = s >= 0 ? big : small;
  const sigmoidMinusS = s >= 0 ? small : big;
  if (posWeight === 1) {
    if (y === 1) return -sigmoidMinusS;
    if (y === 0) return sigmoidS;
    return s >= 0 ? 1 - y - sigmoidMinusS : sigmoidS - y;
  }
  return (1 - y) * sigmoidS - posWeight * y * sigmoidMinusS;
}
