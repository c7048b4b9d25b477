/**
 * The contract between the models and the optimizers of `src/model/`: a smooth objective f over R^n, the
 * stopping options, and what a run reports.
 */

/** A smooth function to minimize: its value and gradient in one pass. */
export interface DifferentiableObjective {
  /** The number of variables. */
  readonly dimension: number;
  /** Returns f(x) and writes the gradient of f at x into `grad` (length `dimension`). */
  valueAndGradient(x: Float64Array, grad: Float64Array): number;
}

/** An objective whose Hessian can be applied to vectors (exactly, not by finite differences). */
export interface TwiceDifferentiableObjective extends DifferentiableObjective {
  /**
   * Fixes the point x and returns the product `v -> H(x) v` (writing into `out`). The returned function is
   * valid until the next call of `hessianAt`.
   */
  hessianAt(x: Float64Array): (v: Float64Array, out: Float64Array) => void;
}

/** Options every optimizer takes. */
export interface OptimizeOptions {
  /**
   * Stop when the gradient's largest absolute component (its infinity norm, the "projected gradient" of
   * L-BFGS-B's `pgtol` without bounds) is at most this; default 0 (run to `maxIterations` or a standstill).
   */
  gradientTolerance?: number;
  /** The most iterations; default 100. */
  maxIterations?: number;
}

/** Why a run stopped. */
export type StopReason =
  /** The gradient norm reached the tolerance: converged. */
  | "gradient"
  /** `maxIterations` was reached first. */
  | "maxIterations"
  /**
   * No step could lower the objective: at a point where the function's changes fall below the rounding of its
   * values, or (very rarely) an objective that is not smooth. Not converged unless the gradient is also small.
   */
  | "noProgress";

/** The record of a run. */
export interface OptimizeResult {
  /** The final point. */
  x: Float64Array;
  /** f at the final point. */
  value: number;
  /** The gradient at the final point. */
  gradient: Float64Array;
  /** Its infinity norm. */
  gradientNorm: number;
  /** Iterations made (accepted steps). */
  iterations: number;
  /** Objective evaluations (each a value-and-gradient pass). */
  evaluations: number;
  /** Whether the gradient norm reached the tolerance. */
  converged: boolean;
  stopReason: StopReason;
  /** f at the start and after each iteration (length `iterations + 1`). */
  objectiveHistory: number[];
  /** The gradient's infinity norm at the start and after each iteration. */
  gradientNormHistory: number[];
}

/** @internal The infinity norm. */
export function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m || a !== a) m = a;
  }
  return m;
}

/** @internal The dot product. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** @internal Checks and defaults the common options. */
export function optimizeSettings(fn: string, options: OptimizeOptions): { tolerance: number; maxIterations: number } {
  const tolerance = options.gradientTolerance ?? 0;
  if (!(tolerance >= 0 && tolerance < Infinity)) {
    throw new RangeError(`${fn}: options.gradientTolerance = ${String(tolerance)} is not a finite number >= 0`);
  }
  const maxIterations = options.maxIterations ?? 100;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) {
    throw new RangeError(`${fn}: options.maxIterations = ${String(maxIterations)} is not an integer >= 0`);
  }
  return { tolerance, maxIterations };
}
