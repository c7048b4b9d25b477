import { checkOptions } from "../core/common/checks.js";
import { sigmoidUnchecked } from "../core/scalar/sigmoid.js";
import { softmax } from "../core/categorical/softmax.js";
import { type Csr, type CsrMatrix, isCsrMatrix, toCsr } from "./csrMatrix.js";
import { type Features, type Matrix, nonFiniteError, toMatrix } from "./denseMatrix.js";
import { preconditionerThreshold } from "./blockPreconditioner.js";
import { type Label, LabelEncoder, type Labels } from "./labelEncoder.js";
import { lbfgs } from "./lbfgs.js";
import { BinaryLogisticObjective, type LogisticProblem, type Penalty, linearPredictor, parameterCount } from "./logisticObjective.js";
import { MultinomialLogisticObjective } from "./multinomialObjective.js";
import { newtonCg } from "./newtonCg.js";
import { newtonPolish } from "./newtonPolish.js";
import { type OptimizeResult, type StopReason, type TwiceDifferentiableObjective, maxAbs } from "./optimization.js";
import { owlqn } from "./owlqn.js";
import { fitSparseBinary, sparseScores } from "./sparseLogisticFit.js";
import { SparseBinaryLogisticObjective } from "./sparseLogisticObjective.js";
import { SparseMultinomialObjective } from "./sparseMultinomialObjective.js";
import { finiteArray } from "./standardScaler.js";
import { versionedJson } from "./versionedJson.js";

/**
 * The optimizers: `"lbfgs"` (default): L-BFGS with a strong Wolfe line search, or OWL-QN (its orthant-wise
 * form) when the penalty has an L1 term; `"newton-cg"`: Newton-CG with the exact Hessian (L2 or none);
 * `"tron"`: trust-region Newton (liblinear's), for sparse binary L2 fits. Sparse X, binary with penalty "l2", is
 * fitted by TRON (with `"lbfgs"`, the default, or `"tron"`); every other sparse fit (multinomial, "none", "l1",
 * "elasticnet", or `"newton-cg"`) by the dense path's solvers on sparse products. Dense X takes `"lbfgs"` or
 * `"newton-cg"`.
 */
export type Solver = "lbfgs" | "newton-cg" | "tron";

/** Class weights: a map label -> weight (missing classes weigh 1), or `"balanced"`: n / (K * count of the class). */
export type ClassWeight = "balanced" | Readonly<Record<string, number>>;

/** Options of `LogisticRegression`, with scikit-learn's names and defaults (except `tol` and `maxIter`, see there). */
export interface LogisticRegressionOptions {
  /** Inverse regularization strength, finite and > 0; default 1. Ignored with `penalty: "none"`. */
  C?: number;
  /**
   * `"l2"` (default): 0.5 ||W||^2 is added to the objective; `"l1"`: ||W||_1; `"elasticnet"`:
   * (1 - l1Ratio) / 2 ||W||^2 + l1Ratio ||W||_1; `"none"`: no penalty.
   */
  penalty?: Penalty;
  /** The elastic-net mixing in [0, 1], required with `penalty: "elasticnet"` (only then); default null. */
  l1Ratio?: number | null;
  /** Fit an intercept (never penalized); default true. */
  fitIntercept?: boolean;
  /** `"lbfgs"` (default; OWL-QN with an L1 term) or `"newton-cg"` (exact Hessian-vector products; L2 or none). */
  solver?: Solver;
  /**
   * null (default): fit to the optimum (the solver, then Newton polishing until Newton's step changes no
   * logit by more than 1e-6 and the objective by 1e-11 relative; see `newtonPolish`).
   * A number: scikit-learn's lbfgs rule (1.2), the solver alone: stop when the largest absolute component of
   * the (projected, for L1: pseudo-) gradient of the objective divided by `C * sum_i w_i` (the mean-loss
   * scale scikit-learn optimizes in; `sum_i w_i` alone without a penalty; w_i without class weights) is at
   * most `tol`.
   */
  tol?: number | null;
  /** The most iterations (solver plus polishing); default null: 100 when `tol` is given, else 1000. */
  maxIter?: number | null;
  /** Weights per class, multiplying the sample weights (scikit-learn's `class_weight`); default null (all 1). */
  classWeight?: ClassWeight | null;
  /** Start `fit` from the previous fit's coefficients when their shape matches; default false. */
  warmStart?: boolean;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Per-sample weights, finite and >= 0 with a positive sum; default all 1. */
  sampleWeight?: ArrayLike<number>;
  /** The number of features when X is a flat Float64Array. */
  nFeatures?: number;
  /**
   * Called with the message when the fit does not converge (also kept in `warning`); default `console.warn`,
   * as scikit-learn's ConvergenceWarning. Pass `() => {}` to keep it quiet.
   */
  onWarning?: (message: string) => void;
}

/** The fit history: one entry for the start and one per iteration. */
export interface FitHistory {
  /** The objective `C sum_i w_i L_i + (1 - l1Ratio) / 2 ||W||^2 + l1Ratio ||W||_1`. */
  objective: number[];
  /** The infinity norm of its gradient (of its pseudo-gradient with an L1 term). */
  gradientNorm: number[];
}

/** The JSON form of a fitted `LogisticRegression`. */
export interface LogisticRegressionJSON {
  type: "xent.LogisticRegression";
  version: 1;
  options: Required<LogisticRegressionOptions>;
  classes: Label[];
  nFeatures: number;
  coef: number[][];
  intercept: number[];
  nIter: number;
  converged: boolean;
  stopReason: StopReason;
  objective: number;
}

/** @internal What `solve` needs of an objective, dense or sparse (the polish's preconditioner and step test). */
interface SolverObjective extends TwiceDifferentiableObjective {
  /** A preconditioner at the point of the last `hessianAt` (`z = M^-1 r`), or null. */
  preconditioner(): ((r: Float64Array, z: Float64Array) => void) | null;
  /** The scores of a direction: n (binary) or n x K values, valid until the next call. */
  directionScores(v: Float64Array): Float64Array;
  /** Hands on the objective's memory; no use after. */
  release(): void;
}

/** @internal The rest of what `solve` needs: the labels, the shape, the weights, when to precondition. */
interface SolveSetup {
  encoder: LabelEncoder;
  classes: Label[];
  cols: number;
  nSamples: number;
  /** The sample weights given to `fit` (before class weights), or undefined. */
  givenWeight: Float64Array | undefined;
  /** The sample weights times the class weights, or undefined when all are 1. */
  sampleWeight: Float64Array | undefined;
  /** The CG iterations of a Newton system after which the polish forms the preconditioner. */
  after: number;
}

interface Fitted {
  encoder: LabelEncoder;
  classes: Label[];
  nFeatures: number;
  /** Coefficient rows: 1 for a binary model, one per class for a multinomial one. */
  rows: number;
  coef: Float64Array;
  intercept: Float64Array;
}

/**
 * Logistic regression fitted by minimizing the cross-entropy, with scikit-learn's objective, so that both
 * reach the same optimum (by default to the optimum itself: see `tol`):
 *   f(W, b) = C sum_i w_i L_i + (1 - l1Ratio) / 2 ||W||^2 + l1Ratio ||W||_1   (l1Ratio: 0 for "l2", 1 for "l1")
 * with the intercept b not penalized, w_i the sample weights and L_i the cross-entropy of sample i: binary
 * (one coefficient row, `P(y = classes[1]) = sigmoid(x . w + b)`) for two classes, and the full K-class
 * softmax (K rows, over-parametrized, as scikit-learn's lbfgs) for more.
 *
 * Labels can be {0, 1}, {-1, +1}, any numbers or strings: the classes are the sorted distinct labels, the
 * last of two is the positive one, and `predict` gives labels back. Features are `number[][]` or a flat
 * row-major `{ data, nFeatures }`; they must be finite.
 *
 * @example new LogisticRegression().fit([[0], [1], [2], [3]], ["no", "no", "yes", "yes"]).predict([[0.5], [2.5]]) // ["no", "yes"]
 */
export class LogisticRegression {
  readonly options: Readonly<Required<LogisticRegressionOptions>>;
  private state: Fitted | null = null;
  private result: {
    nIter: number;
    converged: boolean;
    stopReason: StopReason;
    objective: number;
    history: FitHistory;
    warning: string | null;
  } | null = null;

  constructor(options: LogisticRegressionOptions = {}) {
    const fn = "LogisticRegression";
    if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options is not an object`);
    checkOptions(fn, options, ["C", "penalty", "l1Ratio", "fitIntercept", "solver", "tol", "maxIter", "classWeight", "warmStart"]);
    const C = options.C ?? 1;
    if (typeof C !== "number" || !(C > 0 && C < Infinity)) throw new RangeError(`${fn}: options.C = ${String(C)} is not a finite number > 0`);
    const penalty = options.penalty ?? "l2";
    if (penalty !== "l2" && penalty !== "l1" && penalty !== "elasticnet" && penalty !== "none") {
      throw new RangeError(`${fn}: options.penalty = ${JSON.stringify(penalty)} is not "l2", "l1", "elasticnet" or "none"`);
    }
    const l1Ratio = options.l1Ratio ?? null;
    if (penalty === "elasticnet") {
      if (typeof l1Ratio !== "number" || !(l1Ratio >= 0 && l1Ratio <= 1)) {
        throw new RangeError(`${fn}: options.l1Ratio = ${String(l1Ratio)} is not a number in [0, 1] (required with penalty "elasticnet")`);
      }
    } else if (l1Ratio !== null)
      throw new RangeError(`${fn}: options.l1Ratio is only used with penalty "elasticnet" (penalty is ${JSON.stringify(penalty)})`);
    const solver = options.solver ?? "lbfgs";
    if (solver !== "lbfgs" && solver !== "newton-cg" && solver !== "tron") {
      throw new RangeError(`${fn}: options.solver = ${JSON.stringify(solver)} is not "lbfgs", "newton-cg" or "tron"`);
    }
    if (solver === "tron" && penalty !== "l2") {
      throw new RangeError(`${fn}: solver "tron" supports penalty "l2" only (as liblinear's -s 0), not ${JSON.stringify(penalty)}`);
    }
    if (solver === "newton-cg" && (penalty === "l1" || penalty === "elasticnet")) {
      throw new RangeError(
        `${fn}: solver "newton-cg" supports penalty "l2" or "none" (as scikit-learn's); use solver "lbfgs" (OWL-QN) for ${JSON.stringify(penalty)}`,
      );
    }
    const tol = options.tol ?? null;
    if (tol !== null && (typeof tol !== "number" || !(tol >= 0 && tol < Infinity)))
      throw new RangeError(`${fn}: options.tol = ${String(tol)} is not a finite number >= 0`);
    const maxIter = options.maxIter ?? null;
    if (maxIter !== null && !(Number.isInteger(maxIter) && maxIter >= 0))
      throw new RangeError(`${fn}: options.maxIter = ${String(maxIter)} is not an integer >= 0`);
    const fitIntercept = options.fitIntercept ?? true;
    if (typeof fitIntercept !== "boolean") throw new TypeError(`${fn}: options.fitIntercept = ${String(fitIntercept)} is not a boolean`);
    const classWeight = checkClassWeight(fn, options.classWeight ?? null);
    const warmStart = options.warmStart ?? false;
    if (typeof warmStart !== "boolean") throw new TypeError(`${fn}: options.warmStart = ${String(warmStart)} is not a boolean`);
    this.options = Object.freeze({ C, penalty, l1Ratio, fitIntercept, solver, tol, maxIter, classWeight, warmStart });
  }

  /** The classes, sorted; `classes[1]` is the positive class of a binary model. */
  get classes(): Label[] {
    return [...this.fitted("classes").classes];
  }

  /** The number of features the model was fitted on. */
  get nFeatures(): number {
    return this.fitted("nFeatures").nFeatures;
  }

  /** Coefficient rows (1 x d for a binary model, K x d for a multinomial one), as scikit-learn's `coef_`. */
  get coef(): number[][] {
    const { coef, rows, nFeatures } = this.fitted("coef");
    return Array.from({ length: rows }, (_, r) => Array.from(coef.subarray(r * nFeatures, (r + 1) * nFeatures)));
  }

  /** Intercepts (1 or K; zeros without `fitIntercept`), as scikit-learn's `intercept_`. */
  get intercept(): number[] {
    return Array.from(this.fitted("intercept").intercept);
  }

  /** Solver iterations of the last fit. */
  get nIter(): number {
    return this.fitResult("nIter").nIter;
  }

  /** Whether the last fit met its stopping rule (the optimum by default, else the gradient tolerance `tol`). */
  get converged(): boolean {
    return this.fitResult("converged").converged;
  }

  /** Why the last fit is not converged (null when it is): the message also given to `onWarning`. */
  get warning(): string | null {
    return this.fitResult("warning").warning;
  }

  /** Why the last fit stopped: `"gradient"` (converged), `"maxIterations"` or `"noProgress"`. */
  get stopReason(): StopReason {
    return this.fitResult("stopReason").stopReason;
  }

  /** The objective at the solution. */
  get objective(): number {
    return this.fitResult("objective").objective;
  }

  /** Objective and gradient norm at the start and after each iteration of the last fit. */
  get history(): FitHistory {
    const h = this.fitResult("history").history;
    return { objective: [...h.objective], gradientNorm: [...h.gradientNorm] };
  }

  /** Fits the model, starting from zero coefficients (or, with `warmStart`, the previous ones). Returns the model. */
  fit(X: Features | CsrMatrix, y: Labels, options: FitOptions = {}): this {
    const fn = "LogisticRegression.fit";
    checkOptions(fn, options, ["sampleWeight", "nFeatures", "onWarning"]);
    const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
    if (typeof onWarning !== "function") throw new TypeError(`${fn}: options.onWarning is not a function`);
    if (isCsrMatrix(X)) return this.fitSparse(toCsr(fn, "X", X), y, options, onWarning);
    if (this.options.solver === "tron") throw new RangeError(`${fn}: solver "tron" needs sparse X ({ indptr, indices, data, nFeatures })`);
    const m = toMatrix(fn, "X", X, options.nFeatures, false); // finite: checked below, on the objective's copy
    if (y == null || typeof y !== "object" || typeof y.length !== "number") throw new TypeError(`${fn}: y is not an array of labels`);
    if (y.length !== m.rows) throw new RangeError(`${fn}: X has ${m.rows} rows but y has ${y.length} labels`);
    const encoder = new LabelEncoder().fit(y, fn, "y");
    const classes = encoder.classes;
    if (classes.length < 2) {
      throw new RangeError(`${fn}: y has a single class (${JSON.stringify(classes[0])}); at least 2 are needed`);
    }
    const classIds = encoder.transform(y, fn, "y");
    const givenWeight = checkSampleWeight(fn, options.sampleWeight, m.rows);
    const { C, penalty, l1Ratio, fitIntercept, classWeight } = this.options;
    const sampleWeight = withClassWeights(fn, givenWeight, classWeight, classIds, classes);
    const problem: LogisticProblem = {
      X: m,
      classIds,
      nClasses: classes.length,
      sampleWeight,
      C,
      penalty,
      l1Ratio: l1Ratio ?? 0,
      fitIntercept,
    };
    const binary = classes.length === 2;
    const objective = binary ? new BinaryLogisticObjective(problem) : new MultinomialLogisticObjective(problem);
    const bad = objective.firstNonFiniteFeature();
    if (bad >= 0) {
      objective.release();
      throw nonFiniteError(fn, "X", m.data, m.cols, bad);
    }
    return this.solve(
      objective,
      { encoder, classes, cols: m.cols, nSamples: m.rows, givenWeight, sampleWeight, after: preconditionerThreshold(m.cols) },
      onWarning,
    );
  }

  /**
   * The fit of an objective (dense or sparse, binary or multinomial) by the solvers: with `tol`, L-BFGS (OWL-QN
   * with an L1 term) or Newton-CG alone to scikit-learn's rule; else to the optimum (see `fitDense` below).
   * Keeps the coefficients (centered across classes for a multinomial model) and the run's record.
   */
  private solve(objective: SolverObjective, setup: SolveSetup, onWarning: (message: string) => void): this {
    const { encoder, classes, cols, nSamples, givenWeight, sampleWeight } = setup;
    const { C, penalty, l1Ratio, fitIntercept, solver, tol, maxIter, warmStart } = this.options;
    const binary = classes.length === 2;
    const rows = binary ? 1 : classes.length;
    const l1 = penalty === "l1" ? 1 : penalty === "elasticnet" ? (l1Ratio ?? 0) : 0; // as l1Strength
    const penalized = rows * cols;

    // scikit-learn's lbfgs optimizes f / (C sum w) (w before class weights) and stops on its gradient: the same
    // test, scaled.
    let weightSum = nSamples;
    if (givenWeight !== undefined) {
      weightSum = 0;
      for (let i = 0; i < givenWeight.length; i++) weightSum += givenWeight[i]!;
    }
    const scale = (penalty === "none" ? 1 : C) * weightSum;
    const budget = maxIter ?? (tol === null ? 1000 : 100);
    const x0 = new Float64Array(parameterCount(rows, cols, fitIntercept));
    const previous = this.state;
    if (warmStart && previous !== null && previous.rows === rows && previous.nFeatures === cols) {
      x0.set(previous.coef);
      if (fitIntercept) x0.set(previous.intercept, penalized);
    }
    const firstStage = (gradientTolerance: number): OptimizeResult => {
      const settings = { gradientTolerance, maxIterations: budget };
      if (l1 > 0) return owlqn(objective, x0, { ...settings, l1, penalized });
      if (solver === "lbfgs" && objective instanceof BinaryLogisticObjective) {
        // Binary L-BFGS (to tol, or the default fit's first stage): 50 pairs, preconditioned
        // (`diagonalPreconditioner`) from iteration 10 on, so that the quick fits (a few iterations) do not pay its
        // passes over X. Measured (docs/logistic-regression.md): Fashion-MNIST T-shirt vs shirt meets tol 1e-4 in
        // 49 iterations instead of 229; unstandardized breast cancer converges (the default fit in 51 L-BFGS
        // iterations; plain L-BFGS had not reached the polish's hand-over in 1,000); generated 100,000 x 50 and
        // standardized breast cancer take the same iterations.
        return lbfgs(objective, x0, { ...settings, memory: 50, preconditioner: objective.diagonalPreconditioner(), preconditionFrom: 10 });
      }
      return solver === "lbfgs" ? lbfgs(objective, x0, settings) : newtonCg(objective, x0, settings);
    };
    const fitDense = (): OptimizeResult => {
      if (tol !== null) return firstStage(tol * scale);
      // To the optimum: the solver part of the way (newton-cg: none), then Newton polishing (its rule). L-BFGS
      // hands over when the gradient of the mean loss (the objective over C times the sum of the weights that
      // are in it, class weights included, so that the same objective always takes the same path) is 1e-3:
      // from there the polish's preconditioned Newton steps cost less than L-BFGS's slow last stretch (on
      // Fashion-MNIST, 64 L-BFGS evaluations instead of 490 to 1e-5; about the same total on digits).
      let lossWeightSum = nSamples;
      if (sampleWeight !== undefined) {
        lossWeightSum = 0;
        for (let i = 0; i < sampleWeight.length; i++) lossWeightSum += sampleWeight[i]!;
      }
      const first = solver === "newton-cg" ? null : firstStage(1e-3 * (penalty === "none" ? 1 : C) * lossWeightSum);
      const polish = newtonPolish(objective, first?.x ?? x0, {
        l1,
        penalized,
        maxIterations: budget - (first?.iterations ?? 0),
        preconditioner: { after: setup.after, build: () => objective.preconditioner() },
        predictorChange: (p) => {
          // The largest spread of a sample's logit changes (binary: |change|): a softmax (sigmoid) output moves
          // by at most a quarter of it, p_c (1 - p_c) times; a common shift of all classes moves nothing.
          const logits = objective.directionScores(p);
          if (rows === 1) return maxAbs(logits);
          let spread = 0;
          for (let i = 0; i < nSamples; i++) {
            let lo = Infinity;
            let hi = -Infinity;
            for (let c = 0; c < rows; c++) {
              const v = logits[i * rows + c]!;
              if (v < lo) lo = v;
              if (v > hi) hi = v;
            }
            if (hi - lo > spread) spread = hi - lo;
          }
          return spread;
        },
      });
      return first === null ? polish : joinRuns(first, polish);
    };
    let run: OptimizeResult;
    try {
      run = fitDense();
    } finally {
      objective.release(); // its WebAssembly memory goes to the next fit (DenseProducts.release)
    }

    const coef = run.x.slice(0, rows * cols);
    const intercept = fitIntercept ? run.x.slice(rows * cols) : new Float64Array(rows);
    if (!binary) centerClasses(coef, intercept, rows, cols, penalty === "none");
    this.state = { encoder, classes, nFeatures: cols, rows, coef, intercept };
    return this.recordRun(run, budget, tol, scale, onWarning);
  }

  /** Keeps the optimizer's outcome (iterations, stop reason, objective, history) and warns if it did not converge. */
  private recordRun(run: OptimizeResult, budget: number, tol: number | null, scale: number, onWarning: (message: string) => void): this {
    const warning = run.converged ? null : notConvergedMessage(run, budget, tol, scale);
    this.result = {
      nIter: run.iterations,
      converged: run.converged,
      stopReason: run.stopReason,
      objective: run.value,
      history: { objective: run.objectiveHistory, gradientNorm: run.gradientNormHistory },
      warning,
    };
    if (warning !== null) onWarning(warning);
    return this;
  }

  /**
   * The sparse (CSR) path of `fit`. Binary with penalty "l2" (solver "lbfgs", the default, or "tron"): TRON
   * (see `sparseLogisticFit.ts`). Everything else (multinomial, "none", "l1", "elasticnet", solver "newton-cg"):
   * the dense path's solvers (`solve`) on the sparse objectives (`SparseBinaryLogisticObjective` with the smooth
   * part of the penalty, `SparseMultinomialObjective`), with a Jacobi preconditioner for the polish.
   */
  private fitSparse(m: Csr, y: Labels, options: FitOptions, onWarning: (message: string) => void): this {
    const fn = "LogisticRegression.fit";
    if (y == null || typeof y !== "object" || typeof y.length !== "number") throw new TypeError(`${fn}: y is not an array of labels`);
    if (y.length !== m.rows) throw new RangeError(`${fn}: X has ${m.rows} rows but y has ${y.length} labels`);
    if (options.nFeatures !== undefined && options.nFeatures !== m.cols) {
      throw new RangeError(`${fn}: options.nFeatures = ${String(options.nFeatures)} but the sparse X has nFeatures = ${m.cols}`);
    }
    const { C, penalty, l1Ratio, fitIntercept, solver, tol, maxIter, classWeight, warmStart } = this.options;
    const encoder = new LabelEncoder().fit(y, fn, "y");
    const classes = encoder.classes;
    if (classes.length < 2) {
      throw new RangeError(`${fn}: y has a single class (${JSON.stringify(classes[0])}); at least 2 are needed`);
    }
    if (solver === "tron" && classes.length > 2) {
      throw new RangeError(
        `${fn}: solver "tron" fits binary models only (liblinear's -s 0), and y has ${classes.length} classes: ` +
          'use solver "lbfgs" (the default) or "newton-cg" for the multinomial model',
      );
    }
    const classIds = encoder.transform(y, fn, "y");
    const givenWeight = checkSampleWeight(fn, options.sampleWeight, m.rows);
    const sampleWeight = withClassWeights(fn, givenWeight, classWeight, classIds, classes);
    const binary = classes.length === 2;
    const l2 = penalty === "l2" ? 1 : penalty === "elasticnet" ? 1 - (l1Ratio ?? 0) : 0;
    // The loss weights c_i: C w_i with a penalty, w_i without (scikit-learn ignores C then).
    const lossScale = penalty === "none" ? 1 : C;
    if (!binary || penalty !== "l2" || solver === "newton-cg") {
      const c = sampleWeight === undefined ? undefined : sampleWeight.map((v) => v * lossScale);
      // The polish's Jacobi preconditioner, formed once a Newton system's CG passes 25 iterations: on the seeded
      // sparse 4-class set (2,000 x 5,000) no system gets there and it would cost Hessian products (85 against 136
      // at C = 1 when formed after 10), on digits as CSR (unscaled pixels) it saves 60% of them (443 against 1148).
      const setup = { encoder, classes, cols: m.cols, nSamples: m.rows, givenWeight, sampleWeight, after: 25 };
      if (!binary) {
        const weights = c ?? (lossScale === 1 ? undefined : new Float64Array(m.rows).fill(lossScale));
        return this.solve(new SparseMultinomialObjective(m, classIds, classes.length, weights, l2, fitIntercept), setup, onWarning);
      }
      const labels = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) labels[i] = classIds[i] === 1 ? 1 : -1;
      const weights = c ?? new Float64Array(m.rows).fill(lossScale);
      return this.solve(new SparseBinaryLogisticObjective(m, labels, weights, l2, fitIntercept), setup, onWarning);
    }
    let weightSum = m.rows;
    if (givenWeight !== undefined) {
      weightSum = 0;
      for (let i = 0; i < givenWeight.length; i++) weightSum += givenWeight[i]!;
    }
    const scale = C * weightSum;
    const budget = maxIter ?? (tol === null ? 1000 : 100);
    const x0 = new Float64Array(parameterCount(1, m.cols, fitIntercept));
    const previous = this.state;
    if (warmStart && previous !== null && previous.rows === 1 && previous.nFeatures === m.cols) {
      x0.set(previous.coef);
      if (fitIntercept) x0[m.cols] = previous.intercept[0]!;
    }
    const run = fitSparseBinary({ X: m, classIds, sampleWeight, C, fitIntercept, tol, scale, maxIterations: budget, x0 });
    const coef = run.x.slice(0, m.cols);
    const intercept = fitIntercept ? run.x.slice(m.cols) : new Float64Array(1);
    this.state = { encoder, classes, nFeatures: m.cols, rows: 1, coef, intercept };
    return this.recordRun(run, budget, tol, scale, onWarning);
  }

  /** The scores of X (dense or sparse) and its number of rows. */
  private scoresOf(what: string, X: Features | CsrMatrix): { z: Float64Array; n: number } {
    const s = this.fitted(what);
    const fn = `LogisticRegression.${what}`;
    if (isCsrMatrix(X)) {
      const m = toCsr(fn, "X", X, s.nFeatures);
      if (s.rows === 1) return { z: sparseScores(m, s.coef, s.intercept[0]!), n: m.rows };
      const z = new Float64Array(m.rows * s.rows);
      for (let r = 0; r < s.rows; r++) {
        const zr = sparseScores(m, s.coef.subarray(r * s.nFeatures, (r + 1) * s.nFeatures), s.intercept[r]!);
        for (let i = 0; i < m.rows; i++) z[i * s.rows + r] = zr[i]!;
      }
      return { z, n: m.rows };
    }
    const m = toMatrix(fn, "X", X, s.nFeatures);
    return { z: scores(s, m), n: m.rows };
  }

  /**
   * The linear scores: for a binary model one logit per sample (of `classes[1]`, a Float64Array of length n);
   * for a multinomial one, K per sample (row-major n x K).
   */
  decisionFunction(X: Features | CsrMatrix): Float64Array {
    return this.scoresOf("decisionFunction", X).z;
  }

  /** Class probabilities, row-major n x K (K = number of classes, in the order of `classes`). */
  predictProba(X: Features | CsrMatrix): Float64Array {
    const s = this.fitted("predictProba");
    const { z, n } = this.scoresOf("predictProba", X);
    const k = s.classes.length;
    if (s.rows === 1) {
      const out = new Float64Array(n * 2);
      // P(classes[1]) = sigmoid(s) and P(classes[0]) = sigmoid(-s): both without the cancellation of 1 - p.
      for (let i = 0; i < n; i++) {
        out[2 * i] = sigmoidUnchecked(-z[i]!);
        out[2 * i + 1] = sigmoidUnchecked(z[i]!);
      }
      return out;
    }
    return softmax(z, { classes: k }); // shifted by each row's maximum: nothing overflows
  }

  /** The most probable class of each sample, as the labels given to `fit` (ties go to the first class). */
  predict(X: Features | CsrMatrix): Label[] {
    const s = this.fitted("predict");
    const { z, n } = this.scoresOf("predict", X);
    const ids = new Int32Array(n);
    if (s.rows === 1) for (let i = 0; i < n; i++) ids[i] = z[i]! > 0 ? 1 : 0;
    else {
      const k = s.rows;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (z[i * k + c]! > z[i * k + best]!) best = c;
        ids[i] = best;
      }
    }
    return s.encoder.inverseTransform(ids);
  }

  /** Accuracy: the (weighted) fraction of samples whose predicted label equals y. */
  score(X: Features | CsrMatrix, y: Labels, sampleWeight?: ArrayLike<number>): number {
    const fn = "LogisticRegression.score";
    const predicted = this.predict(X);
    if (y == null || typeof y !== "object" || typeof y.length !== "number") throw new TypeError(`${fn}: y is not an array of labels`);
    if (y.length !== predicted.length) throw new RangeError(`${fn}: X has ${predicted.length} rows but y has ${y.length} labels`);
    const w = checkSampleWeight(fn, sampleWeight, y.length);
    let right = 0;
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      const wi = w === undefined ? 1 : w[i]!;
      total += wi;
      if (predicted[i] === y[i]) right += wi;
    }
    return right / total;
  }

  /** A plain object with everything `fromJSON` needs (and the fit's summary), for `JSON.stringify`. */
  toJSON(): LogisticRegressionJSON {
    const s = this.fitted("toJSON");
    const r = this.fitResult("toJSON");
    return {
      type: "xent.LogisticRegression",
      version: 1,
      options: { ...this.options },
      classes: [...s.classes],
      nFeatures: s.nFeatures,
      coef: this.coef,
      intercept: this.intercept,
      nIter: r.nIter,
      converged: r.converged,
      stopReason: r.stopReason,
      objective: r.objective,
    };
  }

  /** Restores a model from `toJSON()` output (or its JSON text), checking every field. */
  static fromJSON(json: unknown): LogisticRegression {
    const fn = "LogisticRegression.fromJSON";
    const o = versionedJson<LogisticRegressionJSON>(fn, json, "LogisticRegression");
    const model = new LogisticRegression(o.options ?? {});
    const classes = o.classes;
    if (!Array.isArray(classes) || classes.length < 2) throw new RangeError(`${fn}: classes must be an array of at least 2 labels`);
    const encoder = new LabelEncoder().fit(classes as Labels, fn, "classes");
    if (encoder.classes.length !== classes.length || encoder.classes.some((c, i) => c !== classes[i])) {
      throw new RangeError(`${fn}: classes must be distinct and sorted, got ${JSON.stringify(classes)}`);
    }
    const nFeatures = o.nFeatures;
    if (typeof nFeatures !== "number" || !Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new RangeError(`${fn}: nFeatures = ${String(nFeatures)} is not an integer >= 1`);
    }
    const rows = classes.length === 2 ? 1 : classes.length;
    if (!Array.isArray(o.coef) || o.coef.length !== rows) throw new RangeError(`${fn}: coef must have ${rows} rows`);
    const coef = new Float64Array(rows * nFeatures);
    o.coef.forEach((row, r) => {
      const values = finiteArray(fn, `coef[${r}]`, row);
      if (values.length !== nFeatures) throw new RangeError(`${fn}: coef[${r}] has ${values.length} entries but nFeatures = ${nFeatures}`);
      coef.set(values, r * nFeatures);
    });
    const intercept = Float64Array.from(finiteArray(fn, "intercept", o.intercept));
    if (intercept.length !== rows) throw new RangeError(`${fn}: intercept has ${intercept.length} entries but the model has ${rows} rows`);
    model.state = { encoder, classes: encoder.classes, nFeatures, rows, coef, intercept };
    const objective = typeof o.objective === "number" ? o.objective : NaN;
    model.result = {
      nIter: typeof o.nIter === "number" ? o.nIter : 0,
      converged: o.converged === true,
      stopReason: o.stopReason ?? "maxIterations",
      objective,
      history: { objective: [], gradientNorm: [] },
      warning: o.converged === true ? null : "LogisticRegression: the saved model was not converged when it was fitted",
    };
    return model;
  }

  private fitted(what: string): Fitted {
    if (this.state === null) throw new Error(`LogisticRegression.${what}: the model is not fitted; call fit first`);
    return this.state;
  }

  private fitResult(what: string): NonNullable<LogisticRegression["result"]> {
    this.fitted(what);
    return this.result!;
  }
}

/** The record of two stages run one after the other (the second from the first's point). */
function joinRuns(a: OptimizeResult, b: OptimizeResult): OptimizeResult {
  return {
    ...b,
    iterations: a.iterations + b.iterations,
    evaluations: a.evaluations + b.evaluations,
    objectiveHistory: [...a.objectiveHistory, ...b.objectiveHistory.slice(1)],
    gradientNormHistory: [...a.gradientNormHistory, ...b.gradientNormHistory.slice(1)],
  };
}

/** The warning of a fit that did not converge: why it stopped and how far from stationary it is. */
function notConvergedMessage(run: OptimizeResult, budget: number, tol: number | null, scale: number): string {
  const why =
    run.stopReason === "maxIterations"
      ? `stopped at maxIter = ${budget} iterations`
      : "stopped: no step lowers the objective any more (within its rounding)";
  const rule = tol === null ? "the default rule (Newton's step below 1e-6 in every logit)" : `tol = ${tol}`;
  return (
    `LogisticRegression.fit: not converged: ${why} before meeting ${rule}; the largest |gradient| component ` +
    `(projected for L1) of f / (C sum w) is ${(run.gradientNorm / scale).toPrecision(3)}. The model is not at the ` +
    "optimum: raise maxIter, or standardize the features."
  );
}

/** @internal Checks `classWeight`: "balanced", null, or an object of finite weights >= 0. */
function checkClassWeight(fn: string, w: unknown): ClassWeight | null {
  if (w === null || w === "balanced") return w;
  if (typeof w !== "object" || Array.isArray(w))
    throw new TypeError(`${fn}: options.classWeight is not "balanced", null or an object label -> weight`);
  const out: Record<string, number> = {};
  for (const [label, v] of Object.entries(w as Record<string, unknown>)) {
    if (typeof v !== "number" || !(v >= 0 && v < Infinity))
      throw new RangeError(`${fn}: options.classWeight[${JSON.stringify(label)}] = ${String(v)} is not a finite number >= 0`);
    out[label] = v;
  }
  return Object.freeze(out);
}

/**
 * The sample weights times the class weights, scikit-learn's `class_weight`: for "balanced", class c weighs
 * n / (K * n_c) with n_c its number of samples (unweighted, as `compute_class_weight`); a map gives each
 * class (by `String(label)`) its weight, 1 if absent. Undefined if all weights are 1.
 */
function withClassWeights(
  fn: string,
  w: Float64Array | undefined,
  classWeight: ClassWeight | null,
  classIds: Int32Array,
  classes: Label[],
): Float64Array | undefined {
  if (classWeight === null) return w;
  const k = classes.length;
  const perClass = new Float64Array(k).fill(1);
  if (classWeight === "balanced") {
    const counts = new Float64Array(k);
    for (let i = 0; i < classIds.length; i++) counts[classIds[i]!]!++;
    for (let c = 0; c < k; c++) perClass[c] = classIds.length / (k * counts[c]!);
  } else {
    const names = classes.map((c) => String(c));
    for (const [label, v] of Object.entries(classWeight)) {
      const c = names.indexOf(label);
      if (c < 0)
        throw new RangeError(
          `${fn}: options.classWeight has class ${JSON.stringify(label)}, which is not in y (classes: ${JSON.stringify(classes)})`,
        );
      perClass[c] = v;
    }
  }
  const out = new Float64Array(classIds.length);
  let positive = false;
  for (let i = 0; i < out.length; i++) {
    out[i] = (w === undefined ? 1 : w[i]!) * perClass[classIds[i]!]!;
    if (out[i]! > 0) positive = true;
  }
  if (!positive) throw new RangeError(`${fn}: the sample weights times options.classWeight sum to 0`);
  return out;
}

/** Scores of every sample: one logit per sample (binary) or K per sample (multinomial). */
function scores(s: Fitted, m: Matrix): Float64Array {
  const theta = new Float64Array(s.coef.length + s.intercept.length);
  theta.set(s.coef);
  theta.set(s.intercept, s.coef.length);
  const out = new Float64Array(m.rows * s.rows);
  linearPredictor(m, theta, s.rows, true, out);
  return out;
}

/**
 * The multinomial model is over-parametrized: adding one vector to every coefficient row, or one number to
 * every intercept, changes no probability. The intercepts are not penalized, so nothing fixes their sum
 * (and without a penalty, nothing fixes the rows' sum either); the solvers keep it at its start, 0, up to
 * rounding. This returns the representative with zero sums, scikit-learn's: the intercepts (and without a
 * penalty, each coefficient column) minus their mean across classes. Probabilities are unchanged.
 */
function centerClasses(coef: Float64Array, intercept: Float64Array, rows: number, cols: number, columns: boolean): void {
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += intercept[r]!;
  mean /= rows;
  for (let r = 0; r < rows; r++) intercept[r]! -= mean;
  if (!columns) return;
  for (let j = 0; j < cols; j++) {
    let colMean = 0;
    for (let r = 0; r < rows; r++) colMean += coef[r * cols + j]!;
    colMean /= rows;
    for (let r = 0; r < rows; r++) coef[r * cols + j]! -= colMean;
  }
}

/** @internal Validates sample weights: length n, finite, >= 0, with a positive sum; undefined if not given. */
function checkSampleWeight(fn: string, w: ArrayLike<number> | undefined, n: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w == null || typeof w !== "object" || typeof w.length !== "number") throw new TypeError(`${fn}: sampleWeight is not an array of numbers`);
  if (w.length !== n) throw new RangeError(`${fn}: sampleWeight has length ${w.length} but X has ${n} rows`);
  const out = new Float64Array(n);
  let positive = false;
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (typeof v !== "number" || !(v >= 0 && v < Infinity))
      throw new RangeError(`${fn}: sampleWeight[${i}] = ${String(v)} is not a finite number >= 0`);
    if (v > 0) positive = true;
    out[i] = v;
  }
  if (!positive) throw new RangeError(`${fn}: sampleWeight sums to 0; at least one sample must have a positive weight`);
  return out;
}
