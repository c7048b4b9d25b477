import { type CategoricalCrossEntropyOptions } from "../core/categorical/categoricalBatch.js";
import { categoricalCrossEntropyWithLogitsAndGrad } from "../core/categorical/categoricalCrossEntropyWithLogits.js";
import { type LossAndGrad } from "../core/common/reduction.js";
import { softmax } from "../core/categorical/softmax.js";
import { type LogisticProblem, addPenalty, linearPredictor, l2Strength, lossWeights, parameterCount, transposeTimes } from "./logisticObjective.js";
import { type TwiceDifferentiableObjective } from "./optimization.js";

/**
 * The multinomial logistic-regression objective, exactly scikit-learn's (`LogisticRegression` with K >= 3
 * classes and the lbfgs or newton-cg solver): the full K-class softmax, one coefficient row and intercept per
 * class (over-parametrized: adding a vector to every row changes no probability; the penalty picks the
 * solution whose rows sum to 0),
 *   f(W, b) = l2 / 2 ||W||_F^2 + C sum_i w_i L(y_i, W x_i + b)   (l2 = `l2Strength`: 1 for "l2"),
 * L the softmax cross-entropy of the logits (`categoricalCrossEntropyWithLogitsAndGrad`, exact even for a
 * confidently right row), the intercepts b not penalized; with `penalty: "none"` the first term and C are
 * dropped. Parameters: [W (K x d, row-major), b (K)].
 *
 * Gradient: `R^T X + W` with `R_ic = C w_i (p_ic - [y_i = c])` from the loss pass, and R's column sums for b.
 * Hessian-vector product, exact: for a direction (V, c) with scores `u_i = V x_i + c`, each sample adds
 * `C w_i (diag(p_i) - p_i p_i^T) u_i = C w_i p_i ⊙ (u_i - p_i . u_i)` back through X^T, plus V from the
 * penalty. The probabilities come from the core's `softmax` (exact to a few ulps, also the tiny ones).
 */
export class MultinomialLogisticObjective implements TwiceDifferentiableObjective {
  readonly dimension: number;
  private readonly k: number;
  private readonly weights: Float64Array | undefined;
  private readonly logits: Float64Array;
  private readonly residual: Float64Array;
  private readonly hv: Float64Array;
  private readonly l2: number;
  /**
   * The loss pass's options, made once: its gradient goes into `residual`, its result into `step`, so an
   * evaluation allocates nothing for them.
   */
  private readonly lossOptions: CategoricalCrossEntropyOptions & { reduction: "sum" };
  private readonly step: LossAndGrad<number>;

  constructor(private readonly problem: LogisticProblem) {
    const { X, nClasses, fitIntercept } = problem;
    this.k = nClasses;
    this.dimension = parameterCount(nClasses, X.cols, fitIntercept);
    this.weights = lossWeights(problem);
    this.l2 = l2Strength(problem);
    const size = X.rows * nClasses;
    this.logits = new Float64Array(size);
    this.residual = new Float64Array(size);
    this.hv = new Float64Array(size);
    this.step = { loss: 0, grad: this.residual };
    this.lossOptions = { classes: nClasses, weights: this.weights, reduction: "sum", gradOut: this.residual, out: this.step };
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const { X, classIds, fitIntercept } = this.problem;
    linearPredictor(X, theta, this.k, fitIntercept, this.logits);
    const { loss } = categoricalCrossEntropyWithLogitsAndGrad(classIds, this.logits, this.lossOptions);
    transposeTimes(X, this.residual, this.k, fitIntercept, grad);
    return this.l2 > 0 ? loss + addPenalty(theta, grad, this.k * X.cols, this.l2) : loss;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { X, fitIntercept } = this.problem;
    const k = this.k;
    const l2 = this.l2;
    linearPredictor(X, theta, k, fitIntercept, this.logits);
    const p = softmax(this.logits, { classes: k });
    const weights = this.weights;
    return (v, out) => {
      const u = this.hv;
      linearPredictor(X, v, k, fitIntercept, u);
      for (let i = 0; i < X.rows; i++) {
        const base = i * k;
        let pu = 0;
        for (let c = 0; c < k; c++) pu += p[base + c]! * u[base + c]!;
        const w = weights === undefined ? 1 : weights[i]!;
        for (let c = 0; c < k; c++) u[base + c] = w * p[base + c]! * (u[base + c]! - pu);
      }
      transposeTimes(X, u, k, fitIntercept, out);
      if (l2 > 0) for (let j = 0; j < k * X.cols; j++) out[j]! += l2 * v[j]!;
    };
  }
}
