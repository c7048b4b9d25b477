import { type OptimizeResult, type TwiceDifferentiableObjective, dot } from "./optimization.js";
import { l1Norm, pseudoGradient } from "./owlqn.js";

/** Options of `newtonPolish`. */
export interface NewtonPolishOptions {
  /** L1 strength on the first `penalized` variables (0: a smooth problem). */
  l1: number;
  penalized: number;
  /** The most Newton iterations. */
  maxIterations: number;
  /**
   * The largest change of any linear predictor (logit) that a Newton step `p` may make for the point to
   * count as converged: `max_i |x_i . p|` (per class). Computed by the caller, who knows the data.
   */
  predictorChange: (p: Float64Array) => number;
  /** The bound on `predictorChange` for convergence; default 1e-6. */
  predictorTolerance?: number;
  /** The bound on the Newton decrement `-pg . p` relative to |F| for convergence; default 1e-11. */
  decrementTolerance?: number;
  /**
   * A preconditioner M for the conjugate gradients: `build()` forms it at the point of the last `hessianAt`
   * and returns `z = M^-1 r`; it is formed (once) when a Newton system's CG passes `after` iterations, and then
   * serves every later system. Default none.
   */
  preconditioner?: { after: number; build: () => ((r: Float64Array, z: Float64Array) => void) | null };
}

/**
 * @internal An orthant-wise Newton-CG iteration with a stopping rule on the Newton step itself, used to finish a
 * fit ("polish") at the optimum of `F(x) = f(x) + l1 sum_{j < penalized} |x_j|` (f smooth and convex).
 *
 * Each iteration fixes the free set (every unpenalized variable, every nonzero one, and every zero one whose
 * gradient violates the subgradient condition `|g_j| <= l1`) with its signs, on which F is smooth, and solves
 * the Newton system `H_FF p = -pg_F` (pg the pseudo-gradient, `pseudoGradient`) by conjugate gradients on exact
 * Hessian-vector products, to a relative residual of 1e-2 (inexact Newton: each step shrinks the error by
 * about 1e-2 beyond the quadratic term; fewer CG iterations in total than a tighter solve). The step is projected onto the signs, so a
 * coefficient that would cross zero stops at 0 (exact zeros, as in OWL-QN), with backtracking on F.
 *
 * ## Stopping rule
 * Newton's step p is, to second order, the distance to the optimum: x* = x + p + O(|p|^2). So when
 *   max_i |x_i . p| <= predictorTolerance   (every logit is that close to its optimal value, to first order)
 *   -pg . p <= decrementTolerance |F|        (the Newton decrement: F(x) - F* = -pg . p / 2 + O(|p|^3))
 * the step is taken (unprojected, full length), and the result is then within O(|p|^2) of the optimum: every
 * probability within `predictorTolerance / 2` (a softmax moves by at most half of its largest logit change;
 * a sigmoid by a quarter) with a second-order margin, and F within the decrement's bound. The rule is
 * relative to the data (through the logits and F), so it means the same for every scaling of X, C and weights.
 * Below the rounding level of F the step is accepted when F stays within 64 ulps (as `newtonCg` does).
 */
export function newtonPolish(objective: TwiceDifferentiableObjective, x0: Float64Array, options: NewtonPolishOptions): OptimizeResult {
  const { l1, penalized, maxIterations, predictorChange } = options;
  const predictorTolerance = options.predictorTolerance ?? 1e-6;
  const decrementTolerance = options.decrementTolerance ?? 1e-11;
  const n = objective.dimension;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const pg = new Float64Array(n);
  const free = new Uint8Array(n);
  const sign = new Float64Array(n);
  const p = new Float64Array(n);
  const r = new Float64Array(n);
  const d = new Float64Array(n);
  const hd = new Float64Array(n);
  const z = new Float64Array(n);
  let solve: ((r: Float64Array, z: Float64Array) => void) | null = null;
  let built = false;
  let F = objective.valueAndGradient(x, g) + l1Norm(x, l1, penalized);
  let pgNorm = pseudoGradient(x, g, l1, penalized, pg);
  let evaluations = 1;
  let iterations = 0;
  let stopReason: OptimizeResult["stopReason"] = "maxIterations";
  const objectiveHistory = [F];
  const gradientNormHistory = [pgNorm];
  const maxCg = Math.max(50, Math.min(n, 1000)); // CG is exact after n steps (in exact arithmetic)

  while (iterations < maxIterations) {
    if (pgNorm === 0) {
      stopReason = "gradient";
      break;
    }
    for (let j = 0; j < n; j++) {
      const penalizedJ = j < penalized && l1 > 0;
      free[j] = !penalizedJ || x[j]! !== 0 || pg[j]! !== 0 ? 1 : 0;
      sign[j] = !penalizedJ ? 0 : x[j]! !== 0 ? Math.sign(x[j]!) : -Math.sign(pg[j]!);
    }
    // Conjugate gradients on H_FF p = -pg_F (outside F everything is 0).
    const hessian = objective.hessianAt(x);
    const mask = (v: Float64Array) => {
      for (let j = 0; j < n; j++) if (free[j] === 0) v[j] = 0;
    };
    p.fill(0);
    for (let j = 0; j < n; j++) r[j] = free[j] === 1 ? pg[j]! : 0;
    // Preconditioned CG (Nocedal & Wright, Algorithm 5.3) with z = M^-1 r restricted to the free set; plain CG
    // (z = r) until M is formed.
    let rz = startDirection(solve, r, z, d, mask);
    let rr = dot(r, r);
    const target = 1e-4 * rr; // relative residual 1e-2: its error in the final step, 1e-2 |p|, is far below the rule's bounds
    let largest = 0;

    for (let it = 0; it < maxCg && rr > target; it++) {
      if (!built && options.preconditioner !== undefined && it === options.preconditioner.after) {
        // An ill-conditioned system: form M here, and restart CG from the current p with it.
        built = true;
        solve = options.preconditioner.build();
        if (solve !== null) rz = startDirection(solve, r, z, d, mask);
      }
      hessian(d, hd);
      mask(hd);
      const curvature = dot(d, hd);
      const dd = dot(d, d);
      if (!(curvature > 1e-12 * largest * dd)) {
        if (it === 0) for (let j = 0; j < n; j++) p[j] = d[j]!; // flat or negative: steepest descent
        break;
      }
      largest = Math.max(largest, curvature / dd);
      const a = rz / curvature;
      for (let j = 0; j < n; j++) {
        p[j]! += a * d[j]!;
        r[j]! += a * hd[j]!;
      }
      rr = dot(r, r);
      const rzOld = rz;
      if (solve === null) z.set(r);
      else {
        solve(r, z);
        mask(z);
      }
      rz = solve === null ? rr : dot(r, z);
      const beta = rz / rzOld;
      for (let j = 0; j < n; j++) d[j] = -z[j]! + beta * d[j]!;
    }
    const decrement = -dot(pg, p);
    if (!(decrement > 0)) {
      stopReason = "noProgress";
      break;
    }
    const small = decrement <= decrementTolerance * Math.abs(F) && predictorChange(p) <= predictorTolerance;

    // Backtracking on F along the projected step.
    let accepted = NaN;
    let projected = false;
    for (let a = 1, tries = 0; tries < 40; tries++, a /= 2) {
      projected = false;
      for (let j = 0; j < n; j++) {
        const v = x[j]! + a * p[j]!;
        if (sign[j] !== 0 && v * sign[j]! < 0) {
          xNew[j] = 0; // would cross zero: stops there
          projected = true;
        } else xNew[j] = v;
      }
      let change = 0;
      for (let j = 0; j < n; j++) change += pg[j]! * (xNew[j]! - x[j]!);
      const value = objective.valueAndGradient(xNew, gNew) + l1Norm(xNew, l1, penalized);
      evaluations++;
      if (value <= F + 1e-4 * change || (tries === 0 && small && !projected && value <= F + 64 * Number.EPSILON * Math.abs(F))) {
        accepted = value;
        if (tries > 0) projected = true; // not the full Newton step
        break;
      }
    }
    if (!(accepted === accepted)) {
      // No lower F: the step is below the rounding of F. Converged if the rule held, else stuck.
      stopReason = small ? "gradient" : "noProgress";
      break;
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    F = accepted;
    pgNorm = pseudoGradient(x, g, l1, penalized, pg);
    iterations++;
    objectiveHistory.push(F);
    gradientNormHistory.push(pgNorm);
    if (small && !projected) {
      stopReason = "gradient";
      break;
    }
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

/** The first CG direction `d = -z`, `z = M^-1 r` (masked to the free set; z = r without M); returns r . z. */
function startDirection(
  solve: ((r: Float64Array, z: Float64Array) => void) | null,
  r: Float64Array,
  z: Float64Array,
  d: Float64Array,
  mask: (v: Float64Array) => void,
): number {
  if (solve === null) z.set(r);
  else {
    solve(r, z);
    mask(z);
  }
  for (let j = 0; j < d.length; j++) d[j] = -z[j]!;
  return dot(r, z);
}
