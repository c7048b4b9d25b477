import { checkOptions } from "../core/common/checks.js";
import { type DifferentiableObjective, type OptimizeOptions, type OptimizeResult, dot, optimizeSettings } from "./optimization.js";
import { twoLoopRecursion } from "./twoLoopRecursion.js";

/** Options of `owlqn`. */
export interface OwlqnOptions extends OptimizeOptions {
  /** The L1 strength lambda >= 0: the function minimized is `f(x) + lambda sum_{j < penalized} |x_j|`. */
  l1: number;
  /** How many leading variables carry the L1 term (the rest, e.g. intercepts, are free); default all. */
  penalized?: number;
  /** The number of correction pairs kept; default 10. */
  memory?: number;
}

/**
 * @internal The pseudo-gradient of `F = f + l1 sum_{j < penalized} |x_j|` (Andrew & Gao 2007, eq. 4): the
 * gradient of F where it is differentiable, and at `x_j = 0` the one-sided derivative that points downhill,
 * or 0 when `|g_j| <= l1` (the subgradient condition: 0 is optimal in that coordinate). It is zero exactly at
 * the minimizers of the convex F, so its infinity norm is the KKT residual. Writes into `out`, returns the norm.
 */
export function pseudoGradient(x: Float64Array, g: Float64Array, l1: number, penalized: number, out: Float64Array): number {
  let norm = 0;
  for (let j = 0; j < x.length; j++) {
    const gj = g[j]!;
    let v = gj;
    if (j < penalized && l1 > 0) {
      const xj = x[j]!;
      if (xj > 0) v = gj + l1;
      else if (xj < 0) v = gj - l1;
      else if (gj + l1 < 0) v = gj + l1;
      else if (gj - l1 > 0) v = gj - l1;
      else v = 0;
    }
    out[j] = v;
    const a = Math.abs(v);
    if (a > norm || a !== a) norm = a;
  }
  return norm;
}

/** @internal `l1 sum_{j < penalized} |x_j|`. */
export function l1Norm(x: Float64Array, l1: number, penalized: number): number {
  if (l1 === 0) return 0;
  let s = 0;
  for (let j = 0; j < penalized; j++) s += Math.abs(x[j]!);
  return l1 * s;
}

/**
 * Minimizes `F(x) = f(x) + l1 sum_{j < penalized} |x_j|`, f smooth and convex, by OWL-QN: G. Andrew and
 * J. Gao, "Scalable training of L1-regularized log-linear models", ICML 2007. L-BFGS's two-loop recursion is
 * applied to the pseudo-gradient (`pseudoGradient`); the direction is then constrained to the orthant the
 * pseudo-gradient points into (components that disagree in sign with it are zeroed), and each trial point of
 * the backtracking line search is projected onto the orthant of the current point (`xi_j = sign(x_j)`, or
 * `sign(-pseudo-gradient_j)` at 0): a coefficient that would cross zero stops at exactly 0. That is what gives
 * exact zeros. The curvature pairs use the gradient of the smooth part only, which is what L-BFGS models.
 * The line search accepts the first step (1, halving; the first iteration starts at 1/||pg||_inf) with the
 * sufficient decrease `F(x') <= F(x) + 1e-4 pg . (x' - x)` (their eq. 5 with gamma = 1e-4).
 *
 * Stops when the pseudo-gradient's infinity norm is at most `gradientTolerance` (converged), after
 * `maxIterations`, or when no step lowers F (`"noProgress"`, at the rounding floor of F). The result's
 * `value` is F, `gradient` the pseudo-gradient and `gradientNorm` its infinity norm. `x0` is not modified.
 */
export function owlqn(objective: DifferentiableObjective, x0: Float64Array, options: OwlqnOptions): OptimizeResult {
  const fn = "owlqn";
  checkOptions(fn, options, ["gradientTolerance", "maxIterations", "l1", "penalized", "memory"]);
  const { tolerance, maxIterations } = optimizeSettings(fn, options);
  const n = objective.dimension;
  if (x0.length !== n) throw new RangeError(`${fn}: x0 has length ${x0.length} but the objective has ${n} variables`);
  const l1 = options.l1;
  if (!(l1 >= 0 && l1 < Infinity)) throw new RangeError(`${fn}: options.l1 = ${String(l1)} is not a finite number >= 0`);
  const penalized = options.penalized ?? n;
  if (!(Number.isInteger(penalized) && penalized >= 0 && penalized <= n)) {
    throw new RangeError(`${fn}: options.penalized = ${String(penalized)} is not an integer in [0, ${n}]`);
  }
  const m = options.memory ?? 10;
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`${fn}: options.memory = ${String(m)} is not an integer >= 1`);

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const pg = new Float64Array(n);
  const d = new Float64Array(n);
  const orthant = new Float64Array(n);
  let F = objective.valueAndGradient(x, g) + l1Norm(x, l1, penalized);
  let pgNorm = pseudoGradient(x, g, l1, penalized, pg);
  let evaluations = 1;
  let iterations = 0;
  let stopReason: OptimizeResult["stopReason"] = "maxIterations";
  const objectiveHistory = [F];
  const gradientNormHistory = [pgNorm];
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);

  const direction = (useMemory: boolean): void => {
    for (let i = 0; i < n; i++) d[i] = -pg[i]!;
    twoLoopRecursion(d, s, y, rho, alpha, useMemory ? s.length : 0);
    // Constrain to the pseudo-gradient's orthant: a component that goes uphill against it is dropped.
    for (let j = 0; j < penalized; j++) if (d[j]! * pg[j]! >= 0) d[j] = 0;
  };

  // Backtracking along the projected path; returns the accepted F or NaN.
  const search = (first: number): number => {
    const slopeScale = 1e-4;
    let a = first;
    for (let tries = 0; tries < 50; tries++) {
      for (let j = 0; j < n; j++) {
        const v = x[j]! + a * d[j]!;
        xNew[j] = j < penalized && l1 > 0 && v * orthant[j]! <= 0 ? 0 : v;
      }
      let decrease = 0;
      for (let j = 0; j < n; j++) decrease += pg[j]! * (xNew[j]! - x[j]!);
      const value = objective.valueAndGradient(xNew, gNew) + l1Norm(xNew, l1, penalized);
      evaluations++;
      if (value <= F + slopeScale * decrease && decrease < 0) return value;
      a /= 2;
    }
    return NaN;
  };

  while (true) {
    if (pgNorm <= tolerance) {
      stopReason = "gradient";
      break;
    }
    if (iterations >= maxIterations) break;
    for (let j = 0; j < n; j++) orthant[j] = x[j]! !== 0 ? Math.sign(x[j]!) : -Math.sign(pg[j]!);
    direction(true);
    if (!(dot(d, pg) < 0)) direction(false);
    let value = search(s.length === 0 ? Math.min(1, 1 / pgNorm) : 1);
    if (!(value === value) && s.length > 0) {
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      direction(false);
      value = search(Math.min(1, 1 / pgNorm));
    }
    if (!(value === value)) {
      stopReason = "noProgress";
      break;
    }
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > Number.EPSILON * dot(yk, yk) && sy > 0) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    F = value;
    pgNorm = pseudoGradient(x, g, l1, penalized, pg);
    iterations++;
    objectiveHistory.push(F);
    gradientNormHistory.push(pgNorm);
  }

  return {
    x,
    value: F,
    gradient: Float64Array.from(pg),
    gradientNorm: pgNorm,
    iterations,
    evaluations,
    converged: stopReason === "gradient",
    stopReason,
    objectiveHistory,
    gradientNormHistory,
  };
}
