import { type DifferentiableObjective, type OptimizeResult, type StopReason, maxAbs } from "./optimization.js";

/**
 * @internal The state every optimizer of `src/model/` keeps across its iterations: the current point and
 * gradient, the buffers a line search writes the next ones into, the counts and histories, and why it stopped.
 * The optimizers differ only in how they choose the step; this is what they share around it.
 */
export class OptimizerRun {
  /** The current point (a copy of x0 at the start). */
  x: Float64Array;
  /** The gradient at `x`. */
  g: Float64Array;
  /** Where a step writes the next point. */
  xNew: Float64Array;
  /** Where a step writes the gradient at `xNew`. */
  gNew: Float64Array;
  /** f at `x`. */
  f: number;
  /** The infinity norm of `g`. */
  gNorm: number;
  evaluations = 1;
  iterations = 0;
  stopReason: StopReason = "maxIterations";
  readonly objectiveHistory: number[];
  readonly gradientNormHistory: number[];

  /** Evaluates the objective at a copy of `x0` (one evaluation). */
  constructor(objective: DifferentiableObjective, x0: Float64Array) {
    const n = objective.dimension;
    this.x = Float64Array.from(x0);
    this.g = new Float64Array(n);
    this.xNew = new Float64Array(n);
    this.gNew = new Float64Array(n);
    this.f = objective.valueAndGradient(this.x, this.g);
    this.gNorm = maxAbs(this.g);
    this.objectiveHistory = [this.f];
    this.gradientNormHistory = [this.gNorm];
  }

  /**
   * Whether to stop before another iteration: the gradient norm is within `tolerance` (converged, recorded
   * as stop reason "gradient"), or `maxIterations` iterations have been made.
   */
  done(tolerance: number, maxIterations: number): boolean {
    if (this.gNorm <= tolerance) {
      this.stopReason = "gradient";
      return true;
    }
    return this.iterations >= maxIterations;
  }

  /** Accepts the step to `xNew` (value `fNew`, gradient `gNew`): it becomes the current point, and is recorded. */
  accept(fNew: number): void {
    [this.x, this.xNew] = [this.xNew, this.x];
    [this.g, this.gNew] = [this.gNew, this.g];
    this.f = fNew;
    this.gNorm = maxAbs(this.g);
    this.iterations++;
    this.objectiveHistory.push(this.f);
    this.gradientNormHistory.push(this.gNorm);
  }

  /** The record of the run. */
  result(): OptimizeResult {
    return {
      x: this.x,
      value: this.f,
      gradient: this.g,
      gradientNorm: this.gNorm,
      iterations: this.iterations,
      evaluations: this.evaluations,
      converged: this.stopReason === "gradient",
      stopReason: this.stopReason,
      objectiveHistory: this.objectiveHistory,
      gradientNormHistory: this.gradientNormHistory,
    };
  }
}
