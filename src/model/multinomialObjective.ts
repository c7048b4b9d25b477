import { type CategoricalCrossEntropyOptions } from "../core/categorical/categoricalBatch.js";
import { categoricalCrossEntropyWithLogitsAndGrad } from "../core/categorical/categoricalCrossEntropyWithLogits.js";
import { softmax } from "../core/categorical/softmax.js";
import { DenseProducts } from "../core/kernels/denseProducts.js";
import { MAX_GRAM_SIZE, classBlockPreconditioner } from "./blockPreconditioner.js";
import { firstNonFinite } from "./denseMatrix.js";
import {
  type LogisticProblem,
  type PassBlock,
  ScoresCache,
  addPenalty,
  getGradient,
  l2Strength,
  lossWeights,
  neumaierAdd,
  parameterCount,
  passBlocks,
  setParameters,
} from "./logisticObjective.js";
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
  private readonly products: DenseProducts;
  private readonly blocks: PassBlock[];
  private readonly scoresAt: ScoresCache;
  private readonly l2: number;

  constructor(private readonly problem: LogisticProblem) {
    const { X, nClasses, fitIntercept, classIds } = problem;
    this.k = nClasses;
    this.dimension = parameterCount(nClasses, X.cols, fitIntercept);
    this.weights = lossWeights(problem);
    this.l2 = l2Strength(problem);
    this.products = new DenseProducts(X.data, X.rows, X.cols, nClasses, X.cols + 1 <= MAX_GRAM_SIZE);
    if (this.weights !== undefined) this.products.rowWeights.set(this.weights);
    this.blocks = passBlocks(X.rows, X.cols, nClasses, classIds, this.weights, this.products);
    this.scoresAt = new ScoresCache(this.dimension);
  }

  /** @internal Hands the products' WebAssembly memory to the next objective (`DenseProducts.release`); no use after. */
  release(): void {
    this.products.release();
  }

  /** @internal The flat index of X's first NaN or infinite entry, or -1: by the kernel on its copy, else in JavaScript. */
  firstNonFiniteFeature(): number {
    return this.products.firstNonFinite() ?? firstNonFinite(this.problem.X.data);
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const { X, fitIntercept } = this.problem;
    const k = this.k;
    const kp = this.products;
    setParameters(kp.theta, theta, k, X.cols, fitIntercept);
    kp.gradient.fill(0);
    // One pass over X: each block's scores, its loss and residual, and its gradient while the block is in cache.
    let loss = 0;
    let compensation = 0;
    for (const b of this.blocks) {
      kp.computeScores(b.from, b.rows);
      const { loss: blockLoss } = categoricalCrossEntropyWithLogitsAndGrad(b.labels as Int32Array, b.scores, b.options as Options);
      kp.accumulate(b.from, b.rows);
      [loss, compensation] = neumaierAdd(loss, compensation, blockLoss);
    }
    this.scoresAt.set(theta);
    getGradient(grad, kp.gradient, k, X.cols, fitIntercept);
    loss += compensation;
    return this.l2 > 0 ? loss + addPenalty(theta, grad, k * X.cols, this.l2) : loss;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { X, fitIntercept } = this.problem;
    const k = this.k;
    const l2 = this.l2;
    const kp = this.products;
    if (!this.scoresAt.holds(theta)) {
      setParameters(kp.theta, theta, k, X.cols, fitIntercept);
      kp.computeScores(0, X.rows);
      this.scoresAt.set(theta);
    }
    kp.rowFactors.set(softmax(kp.scores, { classes: k }));
    const weighted = this.weights !== undefined;
    return (v, out) => {
      setParameters(kp.direction, v, k, X.cols, fitIntercept);
      kp.hessianSoftmax(weighted);
      getGradient(out, kp.gradient, k, X.cols, fitIntercept);
      if (l2 > 0) for (let j = 0; j < k * X.cols; j++) out[j]! += l2 * v[j]!;
    };
  }

  /**
   * @internal The Hessian's class blocks at the point of the last `hessianAt` as a preconditioner
   * (`classBlockPreconditioner`, curvatures w_i p_ic (1 - p_ic)), or null when d + 1 > MAX_GRAM_SIZE.
   */
  preconditioner(): ((r: Float64Array, z: Float64Array) => void) | null {
    const kp = this.products;
    if (kp.gramWeights.length === 0) return null;
    const { rows: n } = this.problem.X;
    const k = this.k;
    const weights = this.weights;
    return classBlockPreconditioner(kp, k, this.l2, this.problem.fitIntercept, (c, h) => {
      const p = kp.rowFactors;
      for (let i = 0; i < n; i++) {
        const q = p[i * k + c]!;
        h[i] = (weights === undefined ? 1 : weights[i]!) * q * (1 - q);
      }
    });
  }

  /** @internal The scores `V x_i + vb` of a direction (n x k, row-major), valid until the next call. */
  directionScores(v: Float64Array): Float64Array {
    const { X, fitIntercept } = this.problem;
    setParameters(this.products.direction, v, this.k, X.cols, fitIntercept);
    this.products.computeScores(0, X.rows, true);
    return this.products.work;
  }
}

type Options = CategoricalCrossEntropyOptions & { reduction: "sum" };
