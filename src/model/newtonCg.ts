import { checkOptions } from "../core/common/checks.js";
import { strongWolfeLineSearch } from "./lineSearch.js";
import { OptimizerRun } from "./optimizerRun.js";
import { type OptimizeOptions, type OptimizeResult, type TwiceDifferentiableObjective, dot, maxAbs, optimizeSettings } from "./optimization.js";

/** Options of `newtonCg`. */
export interface NewtonCgOptions extends OptimizeOptions {
  /** The most conjugate-gradient iterations per Newton step; default max(20, 2 * dimension). */
  maxCgIterations?: number;
}

/**
 * Minimizes a twice-differentiable function by line-search Newton-CG: Nocedal & Wright, Numerical
 * Optimization (2nd ed., 2006), Algorithm 7.1. Each step solves the Newton system `H p = -g` inexactly by
 * conjugate gradients, using only exact Hessian-vector products (the Hessian is never formed), to the
 * relative residual `min(0.5, sqrt(||g||)) ||g||` (their eq. 7.3, superlinear and eventually quadratic
 * convergence); CG stops at a direction of non-positive curvature, returning -g (scaled) if it is the first. The step
 * length comes from the strong Wolfe line search (`strongWolfeLineSearch`), trying the full Newton step first.
 *
 * ## Polishing below the rounding level of f
 * Once the gradient is tiny, the decrease promised by a Newton step (about g^T H^-1 g / 2) is smaller than
 * the rounding error of f, and no line search can tell a good step from a bad one by comparing values. The
 * full Newton step is then accepted when it leaves f within that rounding (64 ulps of f) and lowers the
 * gradient norm: near a strict minimum, Newton's method is Newton's method for g(x) = 0, and ||g|| is the
 * right measure of progress. This is what lets the solver reach gradient norms near 1e-13 on real data.
 *
 * `x0` is not modified.
 */
export function newtonCg(objective: TwiceDifferentiableObjective, x0: Float64Array, options: NewtonCgOptions = {}): OptimizeResult {
  const fn = "newtonCg";
  checkOptions(fn, options, ["gradientTolerance", "maxIterations", "maxCgIterations"]);
  const { tolerance, maxIterations } = optimizeSettings(fn, options);
  const n = objective.dimension;
  if (x0.length !== n) throw new RangeError(`${fn}: x0 has length ${x0.length} but the objective has ${n} variables`);
  const maxCg = options.maxCgIterations ?? Math.max(20, 2 * n);
  if (!(Number.isInteger(maxCg) && maxCg >= 1)) {
    throw new RangeError(`${fn}: options.maxCgIterations = ${String(maxCg)} is not an integer >= 1`);
  }

  const run = new OptimizerRun(objective, x0);
  const p = new Float64Array(n);
  const r = new Float64Array(n);
  const d = new Float64Array(n);
  const hd = new Float64Array(n);

  while (!run.done(tolerance, maxIterations)) {
    const { x, g, xNew, gNew, f, gNorm } = run;

    // Conjugate gradients on H p = -g from p = 0 (Algorithm 7.1's inner loop).
    const hessian = objective.hessianAt(x);
    const g2 = Math.sqrt(dot(g, g));
    const forcing = Math.min(0.5, Math.sqrt(g2)) * g2;
    p.fill(0);
    for (let i = 0; i < n; i++) {
      r[i] = g[i]!;
      d[i] = -g[i]!;
    }
    let rr = g2 * g2;
    let largest = 0; // the largest curvature ratio d^T H d / d^T d met so far: the Hessian's scale
    for (let j = 0; j < maxCg; j++) {
      hessian(d, hd);
      const curvature = dot(d, hd);
      const dd = dot(d, d);
      // A curvature within rounding of 0 relative to the Hessian's scale (1e-12 of it) is a flat direction:
      // the null space of a singular Hessian (the multinomial model's class-shift direction, for one), which
      // rounding has leaked into d. Dividing by it would send the step far along a direction that does not
      // change f; CG stops there instead, as at a non-positive curvature.
      const flat = curvature <= 1e-12 * largest * dd;
      if (!(curvature > 0) || flat) {
        // Non-positive curvature (never for a logistic objective, whose Hessian is positive semidefinite):
        // stop with the CG iterate so far; at the first iteration, steepest descent, scaled as SciPy's
        // newton-cg does by |g|^2 / |d^T H d|. Later, Algorithm 7.1 alone returns the iterate, which near a
        // saddle is a vanishing step; for a clearly negative curvature we also move along d, downhill, by the
        // residual's length (the quadratic model falls along it without bound), so the iteration leaves the
        // saddle. This is an addition to Algorithm 7.1 in the spirit of negative-curvature methods.
        if (j === 0) for (let i = 0; i < n; i++) p[i] = curvature < 0 ? (rr / -curvature) * d[i]! : d[i]!;
        else if (curvature < -1e-12 * largest * dd) {
          const t = (dot(g, d) > 0 ? -1 : 1) * Math.sqrt(rr / dd);
          for (let i = 0; i < n; i++) p[i]! += t * d[i]!;
        }
        break;
      }
      largest = Math.max(largest, curvature / dd);
      const a = rr / curvature;
      for (let i = 0; i < n; i++) {
        p[i]! += a * d[i]!;
        r[i]! += a * hd[i]!;
      }
      const rrNew = dot(r, r);
      if (Math.sqrt(rrNew) <= forcing) break;
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) d[i] = -r[i]! + beta * d[i]!;
    }

    const search = strongWolfeLineSearch(objective, x, f, g, p, xNew, gNew, { initialStep: 1 });
    run.evaluations += search.evaluations;
    let fNew = search.value;
    if (!search.ok) {
      // Polishing (see above): the full step, if f stays within its rounding and ||g|| falls.
      fNew = objective.valueAndGradient(polish(x, p, xNew), gNew);
      run.evaluations++;
      if (!(fNew <= f + 64 * Number.EPSILON * Math.abs(f) && maxAbs(gNew) < gNorm)) {
        run.stopReason = "noProgress";
        break;
      }
    }

    run.accept(fNew);
  }

  return run.result();
}

function polish(x: Float64Array, p: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + p[i]!;
  return out;
}
