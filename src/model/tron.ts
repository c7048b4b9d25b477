import { type OptimizeResult, dot, maxAbs } from "./optimization.js";

/**
 * The objective TRON minimizes: its value at trial points, and at an accepted point its gradient, the
 * diagonal of its Hessian (for the preconditioner) and Hessian-vector products.
 */
export interface TronObjective {
  readonly dimension: number;
  /** f(x); the objective may cache x's state for `gradientAtLast`. */
  value(x: Float64Array): number;
  /** The gradient (and the Hessian's diagonal) at the point of the last `value` call, which is `x`. */
  gradientAtLast(x: Float64Array, grad: Float64Array, diagonal: Float64Array): void;
  /** `out = H v` at the point of the last `gradientAtLast` call. */
  hessianTimes(v: Float64Array, out: Float64Array): void;
}

/** Options of `tron`. */
export interface TronOptions {
  /**
   * Stop when `||g(x)||_2 <= relativeTolerance * ||g(x0)||_2` (liblinear's rule, its `-e` times its class-balance
   * factor); default 1e-10.
   */
  relativeTolerance?: number;
  /** Or stop when the gradient's largest absolute component is at most this; default 0 (unused). */
  gradientTolerance?: number;
  /** The most (accepted) iterations; default 1000, liblinear's. */
  maxIterations?: number;
  /**
   * Or stop (converged) after an accepted step whose conjugate gradient solve ended inside the trust region
   * with a predicted reduction `-q(s)` at most this times |f|: that step was a Newton step, and near the optimum
   * `-q(s)` estimates the gap `f(x) - f*` (which the step then removes); default 1e-12.
   */
  objectiveTolerance?: number;
  /**
   * With `objectiveTolerance`: the change a step makes to the model's outputs (e.g. the largest change of a
   * sample's logit, max_i |x_i . s|); a step inside the trust region must also change them by at most
   * `stepTolerance` to stop the run. Default: none (the objective rule alone).
   */
  stepChange?: (s: Float64Array) => number;
  /** See `stepChange`; default 1e-6. */
  stepTolerance?: number;
  /** The conjugate gradient's relative residual at which an inner solve stops; default 0.1 (liblinear's eps_cg). */
  cgTolerance?: number;
}

/**
 * Trust-region Newton (TRON) with a preconditioned conjugate gradient: C.-J. Lin, R. C. Weng and S. S. Keerthi,
 * "Trust region Newton method for large-scale logistic regression", JMLR 9 (2008), with the diagonal
 * preconditioner of C.-Y. Hsia, W.-L. Chiang and C.-J. Lin, "Preconditioned conjugate gradient methods in
 * truncated Newton frameworks for large-scale linear classification", ACML 2018 (liblinear >= 2.20).
 *
 * ## Method
 * Each iteration approximately minimizes the quadratic model `q(s) = g.s + s.H s / 2` inside the trust region
 * `||s||_M <= delta` (M = 0.99 I + 0.01 diag(H), the preconditioner) by conjugate gradients from s = 0,
 * stopping at relative residual `cgTolerance` or, if a step would leave the region, at its boundary
 * (Steihaug). The step is accepted when the actual reduction `f(x) - f(x + s)` is more than 1e-4 of the
 * predicted `-q(s)`; delta then shrinks or grows by the ratio of the two (the constants eta = 1e-4, 0.25,
 * 0.75 and sigma = 0.25, 0.5, 4 of the paper and liblinear). The first delta is `||g||_M`, cut to the first
 * step's length. Only Hessian-vector products are needed: X^T D X v costs two passes over the nonzeros.
 *
 * Stops converged when the gradient meets `relativeTolerance` or `gradientTolerance`, or after a Newton step
 * (inside the region) predicted to gain at most `objectiveTolerance` |f| and changing the outputs by at most
 * `stepTolerance` (the rule of `newtonPolish` for dense data); not converged at
 * `maxIterations`, or ("noProgress") when the predicted and actual reductions both fall below 1e-14 |f|
 * (the rounding of f itself) before a rule holds. Below that rounding f can no longer judge a step, but the
 * gradient still can: with a step rule, a step inside the region (a Newton step) is then taken anyway and the
 * step rule decides.
 *
 * Compared with liblinear 2.3.0's tron.cpp: the same iteration, constants and CG (so about the same number of
 * Hessian products); the stopping rules differ (liblinear: `||g|| <= eps ||g0||` with its eps of 0.01 times
 * a class-balance factor by default, or both reductions under 1e-12 |f|), as does the start (liblinear's
 * ||g0|| is at w = 0 whatever the start; here too).
 */
export function tron(objective: TronObjective, x0: Float64Array, options: TronOptions = {}): OptimizeResult {
  const eta0 = 1e-4;
  const eta1 = 0.25;
  const eta2 = 0.75;
  const sigma1 = 0.25;
  const sigma2 = 0.5;
  const sigma3 = 4;
  const alphaPcg = 0.01;
  const relTol = options.relativeTolerance ?? 1e-10;
  const absTol = options.gradientTolerance ?? 0;
  const objTol = options.objectiveTolerance ?? 1e-12;
  const stepChange = options.stepChange;
  const stepTol = options.stepTolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 1000;
  const cgTol = options.cgTolerance ?? 0.1;
  const n = objective.dimension;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const M = new Float64Array(n);
  const s = new Float64Array(n);
  const r = new Float64Array(n);
  const d = new Float64Array(n);
  const Hd = new Float64Array(n);
  const z = new Float64Array(n);
  const xNew = new Float64Array(n);
  let evaluations = 0;

  // The reference gradient norm is the one at 0 (liblinear's), whatever the start.
  const fromZero = x.every((v) => v === 0);
  let f = 0;
  let gnorm0 = 0;
  if (!fromZero) {
    const zero = new Float64Array(n);
    objective.value(zero);
    objective.gradientAtLast(zero, g, M);
    evaluations++;
    gnorm0 = Math.sqrt(dot(g, g));
  }
  f = objective.value(x);
  objective.gradientAtLast(x, g, M);
  evaluations++;
  if (fromZero) gnorm0 = Math.sqrt(dot(g, g));
  const precondition = (): void => {
    for (let i = 0; i < n; i++) M[i] = 1 - alphaPcg + alphaPcg * M[i]!;
  };
  precondition();
  let gnorm = Math.sqrt(dot(g, g));
  let gmax = maxAbs(g);
  const objectiveHistory = [f];
  const gradientNormHistory = [gmax];
  const met = (): boolean => gnorm <= relTol * gnorm0 || gmax <= absTol;
  let delta = Math.sqrt(mNorm2(g, M, g));
  let iterations = 0;
  let converged = met();
  let stopReason: OptimizeResult["stopReason"] = converged ? "gradient" : "maxIterations";
  let deltaAdjusted = false;

  while (!converged && iterations < maxIterations) {
    const boundary = trpcg(objective, delta, cgTol, g, M, { s, r, z, d, Hd });
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + s[i]!;
    const gs = dot(g, s);
    const prered = -0.5 * (gs - dot(s, r));
    const fNew = objective.value(xNew);
    evaluations++;
    const actred = f - fNew;
    const sMnorm = Math.sqrt(mNorm2(s, M, s));
    if (!deltaAdjusted) {
      delta = Math.min(delta, sMnorm);
      deltaAdjusted = true;
    }
    const alpha = fNew - f - gs <= 0 ? sigma3 : Math.max(sigma1, -0.5 * (gs / (fNew - f - gs)));
    if (actred < eta0 * prered) delta = Math.min(alpha * sMnorm, sigma2 * delta);
    else if (actred < eta1 * prered) delta = Math.max(sigma1 * delta, Math.min(alpha * sMnorm, sigma2 * delta));
    else if (actred < eta2 * prered) delta = Math.max(sigma1 * delta, Math.min(alpha * sMnorm, sigma3 * delta));
    else if (boundary) delta = sigma3 * delta;
    else delta = Math.max(delta, Math.min(alpha * sMnorm, sigma3 * delta));

    // Below the rounding of f (both reductions under 1e-14 |f|), f cannot judge a step any more; the gradient
    // still can, and the conjugate gradient's step inside the region is a Newton step from it: taken when a
    // step rule is to decide convergence.
    const belowRounding = Math.abs(actred) <= 1e-14 * Math.abs(f) && Math.abs(prered) <= 1e-14 * Math.abs(f);
    const newtonAtRounding = belowRounding && !boundary && prered > 0 && stepChange !== undefined && objTol > 0;
    if (actred > eta0 * prered || newtonAtRounding) {
      iterations++;
      x.set(xNew);
      f = fNew;
      objective.gradientAtLast(x, g, M);
      precondition();
      gnorm = Math.sqrt(dot(g, g));
      gmax = maxAbs(g);
      objectiveHistory.push(f);
      gradientNormHistory.push(gmax);
      if (met() || (!boundary && prered <= objTol * Math.abs(f) && (stepChange === undefined || stepChange(s) <= stepTol))) {
        converged = true;
        stopReason = "gradient";
        break;
      }
    }
    if (!(prered > 0) || (belowRounding && !newtonAtRounding)) {
      stopReason = "noProgress";
      break;
    }
  }
  // The last accepted point's gradient is in g (a rejected trial leaves x, f and g as they were).
  return {
    x,
    value: f,
    gradient: g,
    gradientNorm: gmax,
    iterations,
    evaluations,
    converged,
    stopReason,
    objectiveHistory,
    gradientNormHistory,
  };
}

/**
 * The truncated preconditioned conjugate gradient inside the trust region `||s||_M <= delta`, from s = 0 on
 * H s = -g: stops at relative residual `cgTol` (in the M^-1 norm) or at the region's boundary (Steihaug);
 * leaves the step in `w.s` and the residual -g - H s in `w.r`, and returns whether it stopped at the boundary.
 * (A function of its own, not a closure: V8 keeps a closure's captured arrays in a context and reloads them
 * in every loop, three times slower here.)
 */
function trpcg(
  objective: TronObjective,
  delta: number,
  cgTol: number,
  g: Float64Array,
  M: Float64Array,
  w: { s: Float64Array; r: Float64Array; z: Float64Array; d: Float64Array; Hd: Float64Array },
): boolean {
  const { s, r, z, d, Hd } = w;
  const n = g.length;
  for (let i = 0; i < n; i++) {
    s[i] = 0;
    const ri = -g[i]!;
    r[i] = ri;
    z[i] = ri / M[i]!;
    d[i] = z[i]!;
  }
  let zTr = dot(z, r);
  const tol = cgTol * Math.sqrt(zTr);
  const maxCg = Math.max(n, 5);
  for (let it = 0; it < maxCg && Math.sqrt(zTr) > tol; it++) {
    objective.hessianTimes(d, Hd);
    const dHd = dot(d, Hd);
    let alpha = zTr / dHd;
    let sMs = 0;
    for (let i = 0; i < n; i++) {
      const si = s[i]! + alpha * d[i]!;
      s[i] = si;
      sMs += si * M[i]! * si;
    }
    if (Math.sqrt(sMs) > delta) {
      // Back to the previous s, then to the boundary along d: the root tau > 0 of ||s + tau d||_M = delta,
      // in the form that does not cancel (as liblinear's).
      for (let i = 0; i < n; i++) s[i] = s[i]! - alpha * d[i]!;
      const sMd = mNorm2(s, M, d);
      const sMs0 = mNorm2(s, M, s);
      const dMd = mNorm2(d, M, d);
      const dsq = delta * delta;
      const rad = Math.sqrt(sMd * sMd + dMd * (dsq - sMs0));
      alpha = sMd >= 0 ? (dsq - sMs0) / (sMd + rad) : (rad - sMd) / dMd;
      for (let i = 0; i < n; i++) {
        s[i] = s[i]! + alpha * d[i]!;
        r[i] = r[i]! - alpha * Hd[i]!;
      }
      return true;
    }
    let zTrNew = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i]! - alpha * Hd[i]!;
      r[i] = ri;
      const zi = ri / M[i]!;
      z[i] = zi;
      zTrNew += zi * ri;
    }
    const beta = zTrNew / zTr;
    for (let i = 0; i < n; i++) d[i] = z[i]! + beta * d[i]!;
    zTr = zTrNew;
  }
  return false;
}

/** `u^T diag(M) v`. */
function mNorm2(u: Float64Array, M: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * M[i]! * v[i]!;
  return s;
}
