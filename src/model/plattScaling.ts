import { binaryCrossEntropyWithLogits } from "../core/binary/binaryCrossEntropyWithLogits.js";
import { CompensatedSum } from "../core/numerics/compensatedSum.js";

/** Binary scores grouped by distinct value: score s_i carries positive weight `positive[i]` and negative `negative[i]`. */
export interface PlattData {
  scores: Float64Array;
  positive: Float64Array;
  negative: Float64Array;
}

/** Options of `fitPlattScaling`. */
export interface PlattScalingOptions {
  /**
   * Platt's smoothed targets (scikit-learn's `CalibratedClassifierCV(method="sigmoid")`): the positives aim at
   * `(N+ + 1) / (N+ + 2)` and the negatives at `1 / (N- + 2)` instead of 1 and 0 (N± the total weights).
   * Default false: the plain maximum-likelihood fit.
   */
  plattTargets?: boolean;
  /** Newton iterations at most; default 100. */
  maxIter?: number;
  /** The gradient criterion, relative to the data (see `fitPlattScaling`); default 1e-13 (about 500 ulps of the terms' size). */
  tol?: number;
}

/** A fitted Platt scaling: the calibrated probability of a logit s is `sigmoid(a s + b)`. */
export interface PlattFit {
  a: number;
  b: number;
  /** The fitted objective: the weighted sum of the cross-entropies (with the targets used), not a mean. */
  loss: number;
  /** The gradient (d/da, d/db) of `loss` at (a, b). */
  gradient: [number, number];
  iterations: number;
  converged: boolean;
  /** The targets used for the positives and the negatives (1 and 0 unless `plattTargets`). */
  targets: [number, number];
}

/**
 * Platt scaling: fits `p' = sigmoid(a s + b)` to binary scores s (logits; give `logit(p)` for probabilities)
 * by minimizing the weighted cross-entropy `L(a, b) = sum_i w+_i l(t+, a s_i + b) + w-_i l(t-, a s_i + b)`,
 * `l(t, z) = t softplus(-z) + (1 - t) softplus(z)`, the values from the library's
 * `binaryCrossEntropyWithLogits` (reduction "sum", weights), so logits of ±800 stay exact.
 *
 * scikit-learn fits `sigmoid(-(A s + B))`: A = -a, B = -b. With `plattTargets: true` the targets are Platt's
 * (see the option) and the fit is scikit-learn's (up to its BFGS tolerance, about 1e-5 in the gradient).
 *
 * ## Method
 * L is convex in (a, b) (a convex function of the affine z = a s + b), so a damped Newton method reaches the
 * global minimum. With `g_i = w (sigmoid(z_i) - t)` and `h_i = w sigmoid(z_i) sigmoid(-z_i)` (both sigmoids
 * from one exp(-|z|), never `1 - sigmoid`): gradient `(sum g_i s_i, sum g_i)` and Hessian
 * `sum h_i [[s_i², s_i], [s_i, 1]]` (compensated sums). Each Newton step is halved until L does not
 * increase (Armijo); once the predicted decrease is below the rounding of L the full step is taken.
 * Stops when |dL/da| <= tol · sum |g_i s_i| and |dL/db| <= tol · sum |g_i|: the gradient is small against the
 * size of its own terms, the only scale the rounding of a sum of terms has (each term is good to a few
 * ulps, so 1e-13 leaves a margin of about 100). Separable data have no finite optimum: (a, b) then grows
 * until `maxIter` and `converged` is false (a gradient that underflowed to 0 with all its terms is not
 * taken for convergence).
 *
 * Throws a RangeError when a class has no weight or the scores are all equal (the slope is then not
 * identifiable), or when a score is not finite (infinite scores belong to no finite fit: drop them first).
 *
 * @example fitPlattScaling({ scores: Float64Array.of(-1, 1), positive: Float64Array.of(1, 3), negative: Float64Array.of(3, 1) }).a // 1.0986122886681098 (log 3 within an ulp: 1/4 and 3/4 positive)
 */
export function fitPlattScaling(data: PlattData, options: PlattScalingOptions = {}): PlattFit {
  const fn = "fitPlattScaling";
  const { scores, positive, negative } = data;
  const n = scores.length;
  if (positive.length !== n || negative.length !== n) throw new RangeError(`${fn}: scores, positive and negative have different lengths`);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-13;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw new RangeError(`${fn}: options.maxIter ${String(maxIter)} is not an integer >= 0`);
  if (!(tol > 0 && tol < 1)) throw new RangeError(`${fn}: options.tol ${String(tol)} is not in (0, 1)`);
  let nPos = 0;
  let nNeg = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const p = positive[i]!;
    const q = negative[i]!;
    if (!Number.isFinite(s))
      throw new RangeError(`${fn}: score ${i} is ${s}, not a finite logit (infinite scores have no finite fit: leave them out)`);
    if (!(p >= 0 && p < Infinity && q >= 0 && q < Infinity)) throw new RangeError(`${fn}: the weights of score ${i} are not finite numbers >= 0`);
    nPos += p;
    nNeg += q;
    if (p + q > 0) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  if (!(nPos > 0 && nNeg > 0))
    throw new RangeError(`${fn}: a class has no weight (positives ${nPos}, negatives ${nNeg}): there is nothing to calibrate`);
  if (lo === hi) throw new RangeError(`${fn}: all scores are equal (${lo}): the slope a is not identifiable`);
  const tPos = options.plattTargets === true ? (nPos + 1) / (nPos + 2) : 1;
  const tNeg = options.plattTargets === true ? 1 / (nNeg + 2) : 0;
  const posLabels = new Float64Array(n).fill(tPos);
  const negLabels = new Float64Array(n).fill(tNeg);
  const z = new Float64Array(n);
  const loss = (a: number, b: number): number => {
    for (let i = 0; i < n; i++) z[i] = a * scores[i]! + b;
    return (
      binaryCrossEntropyWithLogits(posLabels, z, { reduction: "sum", weights: positive }) +
      binaryCrossEntropyWithLogits(negLabels, z, { reduction: "sum", weights: negative })
    );
  };
  let a = 1;
  let b = 0;
  let f = loss(a, b);
  let iterations = 0;
  let converged = false;
  let derivatives = platt2(scores, positive, negative, tPos, tNeg, a, b);
  for (;;) {
    const { ga, gb, sa, sb, haa, hab, hbb } = derivatives;
    if (sb > 0 && Math.abs(ga) <= tol * sa && Math.abs(gb) <= tol * sb) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    // Newton direction d = -H⁻¹ g (2 x 2, by Cramer's rule); H is positive definite as the scores differ.
    const det = haa * hbb - hab * hab;
    let da: number;
    let db: number;
    if (det > 1e-14 * haa * hbb) {
      da = -(hbb * ga - hab * gb) / det;
      db = -(haa * gb - hab * ga) / det;
    } else {
      // Numerically singular (e.g. every z far in the tails): a scaled gradient step instead.
      da = -ga / Math.max(haa, 1e-300);
      db = -gb / Math.max(hbb, 1e-300);
    }
    const slope = ga * da + gb * db; // < 0: a descent direction
    let t = 1;
    let fNew = loss(a + da, b + db);
    // Backtracking (Armijo); below the rounding of f, the full Newton step (quadratic convergence there).
    while (!(fNew <= f + 1e-4 * t * slope) && -slope * t > 1e-15 * Math.abs(f) && t > 1e-10) {
      t /= 2;
      fNew = loss(a + t * da, b + t * db);
    }
    if (!(fNew <= f + 1e-4 * t * slope) && -slope * t > 1e-15 * Math.abs(f)) break; // no progress possible
    a += t * da;
    b += t * db;
    f = fNew;
    derivatives = platt2(scores, positive, negative, tPos, tNeg, a, b);
  }
  return { a, b, loss: f, gradient: [derivatives.ga, derivatives.gb], iterations, converged, targets: [tPos, tNeg] };
}

/**
 * Gradient, its scales (sums of the absolute terms) and Hessian of the Platt objective at (a, b).
 * `sigmoid(z) - t` is formed without cancellation for t = 1 as `-sigmoid(-z)`, and
 * `sigmoid(z) sigmoid(-z) = e / (1 + e)²` with `e = exp(-|z|)`.
 */
function platt2(scores: Float64Array, positive: Float64Array, negative: Float64Array, tPos: number, tNeg: number, a: number, b: number) {
  const ga = new CompensatedSum();
  const gb = new CompensatedSum();
  const haa = new CompensatedSum();
  const hab = new CompensatedSum();
  const hbb = new CompensatedSum();
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const wp = positive[i]!;
    const wn = negative[i]!;
    if (wp + wn === 0) continue;
    const z = a * s + b;
    const e = Math.exp(-Math.abs(z));
    const big = 1 / (1 + e); // sigmoid(|z|)
    const small = e / (1 + e); // sigmoid(-|z|)
    const sig = z >= 0 ? big : small; // sigmoid(z)
    const sigNeg = z >= 0 ? small : big; // sigmoid(-z) = 1 - sigmoid(z)
    // w+ (sigmoid(z) - t+) + w- (sigmoid(z) - t-); with t+ = 1, sigmoid(z) - 1 = -sigmoid(-z).
    const gp = wp === 0 ? 0 : wp * (tPos === 1 ? -sigNeg : sig - tPos);
    const gn = wn === 0 ? 0 : wn * (tNeg === 0 ? sig : sig - tNeg);
    const g = gp + gn;
    const h = (wp + wn) * big * small;
    ga.add(g * s);
    gb.add(g);
    sa += Math.abs(gp * s) + Math.abs(gn * s);
    sb += Math.abs(gp) + Math.abs(gn);
    haa.add(h * s * s);
    hab.add(h * s);
    hbb.add(h);
  }
  return { ga: ga.value(), gb: gb.value(), sa, sb, haa: haa.value(), hab: hab.value(), hbb: hbb.value() };
}
