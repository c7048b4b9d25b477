import { categoricalCrossEntropyWithLogits } from "../core/categorical/categoricalCrossEntropyWithLogits.js";
import { CompensatedSum } from "../core/numerics/compensatedSum.js";

/** Options of `fitTemperatureScaling`. */
export interface TemperatureScalingOptions {
  /** The number of classes k (each row of `logits` has k entries). */
  classes: number;
  /** Per-row weights (finite, >= 0); default 1. */
  weights?: ArrayLike<number>;
  /** Newton/bisection iterations at most; default 100. */
  maxIter?: number;
  /** The derivative criterion, relative to the data (see `fitTemperatureScaling`); default 1e-13. */
  tol?: number;
}

/** A fitted temperature: the calibrated probabilities of logits z are `softmax(z / temperature)`. */
export interface TemperatureFit {
  /** T > 0; Infinity when the best T > 0 is unbounded (the logits are no better than uniform). */
  temperature: number;
  /** beta = 1 / T, the variable of the fit. */
  beta: number;
  /** The fitted objective: the weighted sum of the rows' cross-entropies at beta. */
  loss: number;
  /** dL/dbeta at beta. */
  derivative: number;
  iterations: number;
  converged: boolean;
}

/**
 * Temperature scaling (Guo et al. 2017): fits T > 0 in `softmax(z / T)` to rows of k logits z_i with class
 * ids y_i by minimizing `L(beta) = sum_i w_i (logSumExp(beta z_i) - beta z_iy)`, beta = 1/T, the values from
 * the library's `categoricalCrossEntropyWithLogits` (reduction "sum", weights).
 *
 * ## Method
 * L is convex in beta (a log-sum-exp of functions linear in beta, minus a linear term), though not in T, so
 * the fit is over beta: `L'(beta) = sum_i w_i sum_{j != y} p_ij (z_ij - z_iy)` (p_i = softmax(beta z_i); the
 * form with the differences keeps a confident row's tiny derivative, where `E_p[z] - z_y` cancels) and
 * `L''(beta) = sum_i w_i Var_{p_i}(z_i) >= 0`. T > 0 is beta > 0: L' is increasing, so if L'(0) >= 0 the best
 * T > 0 is T -> Infinity (uniform predictions; returned as temperature Infinity, beta 0, converged);
 * otherwise a bracket [lo, hi] with L'(lo) < 0 <= L'(hi) is found by doubling from beta = 1, then Newton steps,
 * replaced by bisection whenever they leave the bracket (a safeguarded Newton: it cannot diverge, and it
 * converges quadratically near the root). If L' < 0 up to beta = 2^60, every row is (weighted) argmax-right:
 * L decreases towards T -> 0 and the result has converged false. Stops when
 * |L'(beta)| <= tol · sum_i w_i sum_{j != y} p_ij |z_ij - z_iy|, the size of its own terms, or when the
 * Newton step or the bracket is a few ulps of beta (for logits in the hundreds, the exponents' rounding,
 * |z| ulps, can keep L' above the criterion at the root).
 *
 * Logits must be finite, except -Infinity for a class that is not the row's label (probability 0); a label
 * whose logit is -Infinity has an infinite loss at every T: a RangeError, as are bad ids and weights.
 *
 * @example fitTemperatureScaling([0, 1, 1], [2, 0, 0, 1, 1, 0], { classes: 2 }).temperature // 1.322213320769231
 */
export function fitTemperatureScaling(labels: ArrayLike<number>, logits: ArrayLike<number>, options: TemperatureScalingOptions): TemperatureFit {
  const fn = "fitTemperatureScaling";
  const k = options.classes;
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`${fn}: options.classes ${String(k)} is not an integer >= 2`);
  const n = labels.length;
  if (logits.length !== n * k) throw new RangeError(`${fn}: logits has length ${logits.length}, not labels.length * classes = ${n * k}`);
  const weights = options.weights;
  if (weights !== undefined && weights.length !== n) throw new RangeError(`${fn}: options.weights has length ${weights.length}, not ${n}`);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-13;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw new RangeError(`${fn}: options.maxIter ${String(maxIter)} is not an integer >= 0`);
  if (!(tol > 0 && tol < 1)) throw new RangeError(`${fn}: options.tol ${String(tol)} is not in (0, 1)`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!(Number.isInteger(y) && y >= 0 && y < k)) throw new RangeError(`${fn}: labels[${i}] = ${y} is not a class id in [0, ${k - 1}]`);
    const w = weights === undefined ? 1 : weights[i]!;
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`${fn}: weights[${i}] = ${w} is not a finite number >= 0`);
    for (let j = 0; j < k; j++) {
      const z = logits[i * k + j]!;
      if (!(z < Infinity) || (j === y && z === -Infinity)) {
        throw new RangeError(
          `${fn}: logits[${i * k + j}] (row ${i}, class ${j}) is ${z}: logits must be finite (-Infinity only for a class other than the label)`,
        );
      }
    }
    total += w;
  }
  if (!(total > 0)) throw new RangeError(`${fn}: the rows have no weight: there is nothing to calibrate`);
  const scaled = new Float64Array(n * k);
  const lossOptions = { classes: k, reduction: "sum" as const, ...(weights === undefined ? {} : { weights }) };
  const loss = (beta: number): number => {
    for (let i = 0; i < scaled.length; i++) {
      const z = logits[i]!;
      scaled[i] = z === -Infinity ? z : beta * z;
    }
    return categoricalCrossEntropyWithLogits(labels, scaled, lossOptions);
  };
  const at = (beta: number) => derivatives(labels, logits, weights, k, beta);
  let iterations = 0;
  const d0 = at(0);
  if (d0.d >= 0) return { temperature: Infinity, beta: 0, loss: loss(0), derivative: d0.d, iterations, converged: true };
  let lo = 0;
  let hi = 1;
  let cur = at(hi);
  let beta = hi;
  // A derivative whose terms all underflowed (scale 0) is no optimum: every row is argmax-right by far.
  const done = (c: { d: number; scale: number }) => c.scale > 0 && Math.abs(c.d) <= tol * c.scale;
  // Bracket: double beta until L'(beta) >= 0 (or the criterion holds).
  while ((cur.d < 0 || cur.scale === 0) && !done(cur)) {
    lo = beta;
    if (beta >= 2 ** 60 || iterations >= maxIter)
      return { temperature: 1 / beta, beta, loss: loss(beta), derivative: cur.d, iterations, converged: false };
    beta *= 2;
    iterations++;
    cur = at(beta);
  }
  hi = beta;
  let converged = done(cur);
  while (!converged && iterations < maxIter) {
    iterations++;
    if (cur.d < 0) lo = beta;
    else hi = beta;
    let next = cur.h > 0 ? beta - cur.d / cur.h : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - beta) <= 4 * Number.EPSILON * beta || hi - lo <= 4 * Number.EPSILON * hi) {
      converged = true; // the step or the bracket is down to a few ulps: beta is the root to double precision
      break;
    }
    beta = next;
    cur = at(beta);
    converged = done(cur);
  }
  return { temperature: 1 / beta, beta, loss: loss(beta), derivative: cur.d, iterations, converged };
}

/**
 * L'(beta), its scale (the sum of the absolute terms) and L''(beta). Per row, with m = max_j z_j and
 * `e_j = exp(beta (z_j - m))` (every exponent <= 0; beta >= 0), `p_j = e_j / S`:
 * `sum_{j != y} p_j (z_j - z_y)` and `Var = sum_j p_j (z_j - mean)²`.
 */
function derivatives(labels: ArrayLike<number>, logits: ArrayLike<number>, weights: ArrayLike<number> | undefined, k: number, beta: number) {
  const d = new CompensatedSum();
  const h = new CompensatedSum();
  let scale = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    if (w === 0) continue;
    const o = i * k;
    const y = labels[i]!;
    const zy = logits[o + y]!;
    let m = -Infinity;
    for (let j = 0; j < k; j++) if (logits[o + j]! > m) m = logits[o + j]!;
    let s = 0;
    let mean = 0;
    for (let j = 0; j < k; j++) {
      const z = logits[o + j]!;
      if (z === -Infinity) continue;
      const e = Math.exp(beta * (z - m));
      s += e;
      mean += e * (z - m);
    }
    mean /= s;
    let g = 0;
    let gAbs = 0;
    let v = 0;
    for (let j = 0; j < k; j++) {
      const z = logits[o + j]!;
      if (z === -Infinity) continue;
      const p = Math.exp(beta * (z - m)) / s;
      if (j !== y) {
        const t = p * (z - zy);
        g += t;
        gAbs += Math.abs(t);
      }
      const c = z - m - mean;
      v += p * c * c;
    }
    d.add(w * g);
    scale += w * gAbs;
    h.add(w * v);
  }
  return { d: d.value(), scale, h: h.value() };
}
