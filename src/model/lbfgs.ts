import { checkOptions } from "../core/common/checks.js";
import { strongWolfeLineSearch } from "./lineSearch.js";
import { OptimizerRun } from "./optimizerRun.js";
import { type DifferentiableObjective, type OptimizeOptions, type OptimizeResult, dot, optimizeSettings } from "./optimization.js";
import { twoLoopRecursion } from "./twoLoopRecursion.js";

/** Options of `lbfgs`. */
export interface LbfgsOptions extends OptimizeOptions {
  /** The number of correction pairs kept (m); default 10, as scikit-learn and SciPy. */
  memory?: number;
  /** A preconditioner (see `LbfgsPreconditioner`); default none (H^0 a multiple of the identity). */
  preconditioner?: LbfgsPreconditioner;
  /**
   * The iteration from which the preconditioner is used (formed there, then re-formed at twice, four times, ...
   * that count); default 0 (from the start, re-formed after iterations 1, 2, 4, ...). Forming it costs about an
   * evaluation, so a run that would end within a few iterations is better left without.
   */
  preconditionFrom?: number;
}

/**
 * A preconditioner of `lbfgs`: a positive definite M that approximates the Hessian, whose inverse (scaled) is the
 * initial matrix H^0 of every two-loop recursion (`twoLoopRecursion`).
 */
export interface LbfgsPreconditioner {
  /**
   * Forms M at the point of the objective's last evaluation (the current point): `lbfgs` calls it at iteration
   * `preconditionFrom` and at twice, four times, ... that (from 0: after iterations 0, 1, 2, 4, ...), so that M
   * follows the curvature as the fit settles, at a cost that grows with the logarithm of the iterations.
   */
  update(): void;
  /** v <- M^-1 v. */
  apply(v: Float64Array): void;
}

/**
 * Minimizes a smooth function by limited-memory BFGS: Nocedal & Wright, Numerical Optimization (2nd ed.,
 * 2006), Algorithm 7.5 (L-BFGS), with the two-loop recursion of Algorithm 7.4 for the direction
 * `p = -H_k g_k`, the initial matrix `H_k^0 = (s^T y / y^T y) I` (their eq. 7.20), and the strong Wolfe line
 * search of Algorithms 3.5/3.6 (`strongWolfeLineSearch`), which keeps `s^T y > 0` so the update is well
 * defined. The first step, along -g, starts at length 1/||g||_inf so it does not jump far on a steep start.
 * With a `preconditioner` M, H^0 is `(s^T y / y^T M^-1 y) M^-1` and the first step is -M^-1 g, tried at length 1
 * (M approximates the Hessian, so this is a Newton-like step): L-BFGS in the variables M^(1/2) x, in effect.
 *
 * Every accepted step lowers the computed objective (or leaves it equal): the history is monotone.
 * Stops when `||g||_inf <= gradientTolerance` (converged), after `maxIterations`, or when the line search
 * can no longer find a lower value (`"noProgress"`).
 *
 * `x0` is not modified.
 */
export function lbfgs(objective: DifferentiableObjective, x0: Float64Array, options: LbfgsOptions = {}): OptimizeResult {
  const fn = "lbfgs";
  checkOptions(fn, options, ["gradientTolerance", "maxIterations", "memory", "preconditioner", "preconditionFrom"]);
  const { tolerance, maxIterations } = optimizeSettings(fn, options);
  const m = options.memory ?? 10;
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`${fn}: options.memory = ${String(m)} is not an integer >= 1`);
  const n = objective.dimension;
  if (x0.length !== n) throw new RangeError(`${fn}: x0 has length ${x0.length} but the objective has ${n} variables`);

  const from = options.preconditionFrom ?? 0;
  if (!(Number.isInteger(from) && from >= 0)) throw new RangeError(`${fn}: options.preconditionFrom = ${String(from)} is not an integer >= 0`);

  const run = new OptimizerRun(objective, x0);
  const preconditioner = options.preconditioner;
  let apply: ((v: Float64Array) => void) | undefined;
  let nextUpdate = from;
  const scratch = new Float64Array(preconditioner === undefined ? 0 : n);
  const p = new Float64Array(n);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  let scratchS: Float64Array = new Float64Array(n);
  let scratchY: Float64Array = new Float64Array(n);

  while (!run.done(tolerance, maxIterations)) {
    const { x, g, xNew, gNew, f, gNorm } = run;
    if (preconditioner !== undefined && run.iterations === nextUpdate) {
      preconditioner.update(); // at the current point: the line search's last evaluation was there
      apply ??= (v) => preconditioner.apply(v);
      nextUpdate = Math.max(1, 2 * nextUpdate);
    }

    // Algorithm 7.4, the two-loop recursion: p = -H g from the stored pairs.
    for (let i = 0; i < n; i++) p[i] = -g[i]!;
    const k = s.length;
    twoLoopRecursion(p, s, y, rho, alpha, k, apply, scratch);
    const firstStep = apply === undefined ? Math.min(1, 1 / gNorm) : 1;

    let search = strongWolfeLineSearch(objective, x, f, g, p, xNew, gNew, { initialStep: k === 0 ? firstStep : 1 });
    run.evaluations += search.evaluations;
    if (!search.ok && k > 0) {
      // The curvature pairs may describe the function badly here: restart from steepest descent once.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) p[i] = -g[i]!;
      apply?.(p);
      search = strongWolfeLineSearch(objective, x, f, g, p, xNew, gNew, { initialStep: firstStep });
      run.evaluations += search.evaluations;
    }
    if (!search.ok) {
      run.stopReason = "noProgress";
      break;
    }

    // The new pair s = x_new - x, y = g_new - g, dropped if s^T y is not safely positive (a step that met
    // only the decrease condition, or rounding at the optimum), which keeps H positive definite.
    const sk = scratchS;
    const yk = scratchY;
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > Number.EPSILON * dot(yk, yk) && sy > 0) {
      if (s.length === m) {
        scratchS = s.shift()!;
        scratchY = y.shift()!;
        rho.shift();
      } else {
        scratchS = new Float64Array(n);
        scratchY = new Float64Array(n);
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }

    run.accept(search.value);
  }

  return run.result();
}
