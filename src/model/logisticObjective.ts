import { binaryCrossEntropyWithLogitsAndGrad } from "../core/binary/binaryCrossEntropyWithLogits.js";
import { type Matrix } from "./denseMatrix.js";
import { type TwiceDifferentiableObjective } from "./optimization.js";

/**
 * The penalty on the coefficients, scikit-learn's: `"l2"` (0.5 ||W||^2), `"l1"` (||W||_1), `"elasticnet"`
 * ((1 - l1Ratio) / 2 ||W||^2 + l1Ratio ||W||_1) or `"none"` (and then C is ignored).
 */
export type Penalty = "l2" | "l1" | "elasticnet" | "none";

/** @internal A training problem, validated: features, class ids in [0, nClasses), weights, C. */
export interface LogisticProblem {
  X: Matrix;
  classIds: Int32Array;
  nClasses: number;
  /** Per-sample weights, or undefined for all 1. */
  sampleWeight: Float64Array | undefined;
  C: number;
  penalty: Penalty;
  /** The elastic-net mixing (used with `penalty: "elasticnet"` only; default 0). */
  l1Ratio?: number;
  fitIntercept: boolean;
}

/** @internal The strength of the smooth penalty `l2 / 2 ||W||^2`: 1 for "l2", 1 - l1Ratio for "elasticnet", else 0. */
export function l2Strength(problem: LogisticProblem): number {
  return problem.penalty === "l2" ? 1 : problem.penalty === "elasticnet" ? 1 - (problem.l1Ratio ?? 0) : 0;
}

/** @internal The strength of the L1 penalty `l1 ||W||_1`: 1 for "l1", l1Ratio for "elasticnet", else 0. */
export function l1Strength(problem: LogisticProblem): number {
  return problem.penalty === "l1" ? 1 : problem.penalty === "elasticnet" ? (problem.l1Ratio ?? 0) : 0;
}

/**
 * @internal The parameter vector's layout, shared by the objectives and the model: `rows` coefficient rows of
 * `cols` features, row-major, then (with an intercept) one intercept per row. Binary models have one row
 * (the positive class's logit), multinomial models one row per class.
 */
export function parameterCount(rows: number, cols: number, fitIntercept: boolean): number {
  return rows * cols + (fitIntercept ? rows : 0);
}

/**
 * @internal The weight of each sample's loss in the objective: `C w_i` with a penalty, `w_i` without
 * (scikit-learn ignores C then). Undefined when every weight is 1.
 */
export function lossWeights(problem: LogisticProblem): Float64Array | undefined {
  const scale = problem.penalty === "none" ? 1 : problem.C;
  const w = problem.sampleWeight;
  if (w === undefined) return scale === 1 ? undefined : new Float64Array(problem.X.rows).fill(scale);
  return scale === 1 ? w : w.map((v) => v * scale);
}

/**
 * The binary logistic-regression objective, exactly scikit-learn's (`LogisticRegression` with the lbfgs and
 * newton-cg solvers), or its smooth part with an L1 term (`l2Strength`: 1 - l1Ratio for the elastic net, 0 for L1):
 *   f(w, b) = l2 / 2 ||w||^2 + C sum_i w_i L(y_i, x_i . w + b),
 * L the binary cross-entropy of a logit (`binaryCrossEntropyWithLogitsAndGrad`, which forms it without ever
 * rounding sigmoid(s)), y_i in {0, 1}; the intercept b is not penalized, and with `penalty: "none"` the
 * first term and C are dropped. Parameters: [w_1..w_d, b].
 *
 * Gradient: `X^T r + l2 w` with `r_i = C w_i (sigmoid(s_i) - y_i)` from the loss pass, and `sum_i r_i` for b.
 * Hessian: `X^T D X + l2 I` (no identity on b) with `D_ii = C w_i sigmoid(s_i) (1 - sigmoid(s_i))`, the exact
 * Hessian; `sigmoid(s)(1 - sigmoid(s)) = e / (1 + e)^2` with `e = exp(-|s|)` is formed without the
 * cancellation of `1 - sigmoid(s)` (it stays accurate to 745 in |s|, where it underflows).
 */
export class BinaryLogisticObjective implements TwiceDifferentiableObjective {
  readonly dimension: number;
  private readonly labels: Float64Array;
  private readonly weights: Float64Array | undefined;
  private readonly logits: Float64Array;
  private readonly residual: Float64Array;
  private readonly curvature: Float64Array;
  private readonly hv: Float64Array;
  private readonly l2: number;

  constructor(private readonly problem: LogisticProblem) {
    const { X, classIds, fitIntercept } = problem;
    this.dimension = parameterCount(1, X.cols, fitIntercept);
    this.l2 = l2Strength(problem);
    this.labels = Float64Array.from(classIds);
    this.weights = lossWeights(problem);
    this.logits = new Float64Array(X.rows);
    this.residual = new Float64Array(X.rows);
    this.curvature = new Float64Array(X.rows);
    this.hv = new Float64Array(X.rows);
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const { X, fitIntercept } = this.problem;
    linearPredictor(X, theta, 1, fitIntercept, this.logits);
    const { loss } = binaryCrossEntropyWithLogitsAndGrad(this.labels, this.logits, {
      weights: this.weights,
      reduction: "sum",
      gradOut: this.residual,
    });
    transposeTimes(X, this.residual, 1, fitIntercept, grad);
    return this.l2 > 0 ? loss + addPenalty(theta, grad, X.cols, this.l2) : loss;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { X, fitIntercept } = this.problem;
    const l2 = this.l2;
    linearPredictor(X, theta, 1, fitIntercept, this.logits);
    const weights = this.weights;
    for (let i = 0; i < X.rows; i++) {
      const e = Math.exp(-Math.abs(this.logits[i]!));
      const q = 1 + e;
      this.curvature[i] = (weights === undefined ? 1 : weights[i]!) * (e / (q * q));
    }
    return (v, out) => {
      linearPredictor(X, v, 1, fitIntercept, this.hv);
      for (let i = 0; i < X.rows; i++) this.hv[i]! *= this.curvature[i]!;
      transposeTimes(X, this.hv, 1, fitIntercept, out);
      if (l2 > 0) for (let j = 0; j < X.cols; j++) out[j]! += l2 * v[j]!;
    };
  }
}

/**
 * @internal The linear scores `Z = X W^T + b` (n x rows, row-major) for the parameters `[W, b]` (W: rows x d
 * row-major, then one intercept per row; b = 0 without an intercept). For a binary model, rows = 1.
 */
export function linearPredictor(X: Matrix, theta: Float64Array, rows: number, fitIntercept: boolean, out: Float64Array): void {
  const { data, rows: n, cols } = X;
  const offset = rows * cols;
  for (let i = 0; i < n; i++) {
    const base = i * cols;
    for (let r = 0; r < rows; r++) {
      let s = fitIntercept ? theta[offset + r]! : 0;
      const w = r * cols;
      for (let j = 0; j < cols; j++) s += data[base + j]! * theta[w + j]!;
      out[i * rows + r] = s;
    }
  }
}

/**
 * @internal The gradient of the loss part from the gradient R with respect to the scores (n x rows):
 * `out = [R^T X, column sums of R]` in the parameter layout (the sums only with an intercept).
 */
export function transposeTimes(X: Matrix, R: Float64Array, rows: number, fitIntercept: boolean, out: Float64Array): void {
  const { data, rows: n, cols } = X;
  const offset = rows * cols;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const base = i * cols;
    for (let r = 0; r < rows; r++) {
      const ri = R[i * rows + r]!;
      if (ri === 0) continue;
      if (fitIntercept) out[offset + r]! += ri;
      const w = r * cols;
      for (let j = 0; j < cols; j++) out[w + j]! += data[base + j]! * ri;
    }
  }
}

/** @internal Adds the penalty's gradient (`l2` times the coefficients) and returns `l2 / 2 ||coef||^2`. */
export function addPenalty(theta: Float64Array, grad: Float64Array, nCoefficients: number, l2: number): number {
  let squares = 0;
  for (let j = 0; j < nCoefficients; j++) {
    const w = theta[j]!;
    squares += w * w;
    grad[j]! += l2 * w;
  }
  return 0.5 * l2 * squares;
}
