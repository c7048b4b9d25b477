import { checkOptions } from "../core/common/checks.js";
import { type DifferentiableObjective, dot } from "./optimization.js";

/** Parameters of the strong Wolfe line search. */
export interface LineSearchOptions {
  /** The first trial step; default 1 (the natural step of quasi-Newton and Newton directions). */
  initialStep?: number;
  /** Sufficient decrease constant c1 in (0, 1); default 1e-4. */
  c1?: number;
  /** Curvature constant c2 in (c1, 1); default 0.9 (for quasi-Newton and Newton directions). */
  c2?: number;
  /** The largest step tried; default 1e10. */
  maxStep?: number;
  /** The most objective evaluations; default 40. */
  maxEvaluations?: number;
}

/** What the line search found. On success, `xOut` and `gOut` hold the new point and its gradient. */
export interface LineSearchResult {
  /** A step that lowered the objective was found. */
  ok: boolean;
  /** Whether that step also meets the strong Wolfe conditions (else it is only a decrease). */
  wolfe: boolean;
  step: number;
  value: number;
  evaluations: number;
}

/**
 * A line search for the strong Wolfe conditions: Nocedal & Wright, Numerical Optimization (2nd ed., 2006),
 * Algorithm 3.5 (bracketing) and Algorithm 3.6 (zoom), with cubic interpolation (their eq. 3.59) safeguarded
 * by bisection. Along the direction p from x, with phi(a) = f(x + a p), it finds a step a with
 *   phi(a) <= phi(0) + c1 a phi'(0)          (sufficient decrease)
 *   |phi'(a)| <= c2 |phi'(0)|                 (strong curvature).
 *
 * ## Rounding near the minimum
 * Close to the optimum, the decrease c1 a phi'(0) falls below the rounding error of phi itself (a few ulps of
 * f), and the test above fails at every step even though the step is good. Following Hager & Zhang
 * (SIAM J. Optim. 16, 2005), sufficient decrease is then also granted by the derivative form
 * `phi'(a) <= (2 c1 - 1) phi'(0)`, which is equivalent to it for a quadratic and is computed from
 * gradients, whose rounding is relative to the gradient and not to f, provided that the computed phi(a) does
 * not exceed phi(0) (Hager and Zhang allow a rise of epsilon |f|; we allow none, so an accepted step never
 * increases the computed objective and the history is monotone). For the same reason, zoom keeps a trial step
 * whose value ties the best one (N&W discard it: `phi(a_j) >= phi(a_lo)`), so that at the rounding floor, where
 * many steps give the same computed f, the slope still steers the search; L-BFGS then reaches gradients near
 * 1e-12 on the test data instead of stalling near 1e-8.
 *
 * `xOut` and `gOut` are work buffers; on success they hold the accepted point and its gradient.
 */
export function strongWolfeLineSearch(
  objective: DifferentiableObjective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  xOut: Float64Array,
  gOut: Float64Array,
  options: LineSearchOptions = {},
): LineSearchResult {
  checkOptions("strongWolfeLineSearch", options, ["initialStep", "c1", "c2", "maxStep", "maxEvaluations"]);
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxStep = options.maxStep ?? 1e10;
  const maxEvaluations = options.maxEvaluations ?? 40;
  const d0 = dot(g0, p);
  const n = x.length;
  let evaluations = 0;
  let lastStep = NaN;

  const phi = (a: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xOut[i] = x[i]! + a * p[i]!;
    const value = objective.valueAndGradient(xOut, gOut);
    evaluations++;
    lastStep = a;
    return { value, slope: dot(gOut, p) };
  };
  // Sufficient decrease, with the derivative form granted when phi(a) has not risen (see above).
  const decreases = (a: number, value: number, slope: number): boolean => value <= f0 + c1 * a * d0 || (value <= f0 && slope <= (2 * c1 - 1) * d0);
  const curvature = (slope: number): boolean => Math.abs(slope) <= -c2 * d0;
  const done = (a: number, value: number, wolfe: boolean): LineSearchResult => {
    if (a !== lastStep) value = phi(a).value; // leave xOut, gOut at the accepted point
    return { ok: true, wolfe, step: a, value, evaluations };
  };
  const failed = (): LineSearchResult => ({ ok: false, wolfe: false, step: 0, value: f0, evaluations });

  if (!(d0 < 0)) return failed(); // not a descent direction (or a NaN)

  // Algorithm 3.6: shrink the bracket [lo, hi], lo always the best step so far that decreases f.
  const zoom = (lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number): LineSearchResult => {
    while (evaluations < maxEvaluations) {
      const a = interpolate(lo, fLo, dLo, hi, fHi, dHi);
      if (a === lo || a === hi) break; // the bracket has shrunk to adjacent doubles
      const { value, slope } = phi(a);
      if (!decreases(a, value, slope) || value > fLo) {
        hi = a;
        fHi = value;
        dHi = slope;
      } else {
        if (curvature(slope)) return done(a, value, true);
        if (slope * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = a;
        fLo = value;
        dLo = slope;
      }
    }
    // Out of evaluations: settle for the best decrease found, if any.
    return lo > 0 && fLo <= f0 ? done(lo, fLo, false) : failed();
  };

  // Algorithm 3.5: increase the step until it brackets an acceptable one.
  let prev = 0;
  let fPrev = f0;
  let dPrev = d0;
  let a = Math.min(options.initialStep ?? 1, maxStep);
  for (let i = 1; evaluations < maxEvaluations; i++) {
    const { value, slope } = phi(a);
    if (!(value === value)) {
      // f is NaN (or the step overflowed): shrink towards the last good step.
      if (i > 1 || a <= Number.MIN_VALUE) return failed();
      a /= 2;
      i = 0;
      continue;
    }
    if (!decreases(a, value, slope) || (i > 1 && value >= fPrev)) return zoom(prev, fPrev, dPrev, a, value, slope);
    if (curvature(slope)) return done(a, value, true);
    if (slope >= 0) return zoom(a, value, slope, prev, fPrev, dPrev);
    if (a >= maxStep) return done(a, value, false);
    prev = a;
    fPrev = value;
    dPrev = slope;
    a = Math.min(4 * a, maxStep);
  }
  return prev > 0 ? done(prev, fPrev, false) : failed();
}

/**
 * The minimizer of the cubic that matches phi and phi' at a and b (Nocedal & Wright, eq. 3.59), kept at
 * least a tenth of the interval away from either end; bisection when the cubic has no usable minimizer.
 */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  let t = NaN;
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
  }
  if (!(t >= lo + margin && t <= hi - margin)) t = lo + (hi - lo) / 2;
  return t;
}
