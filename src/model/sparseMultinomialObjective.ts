import { categoricalCrossEntropyWithLogitsAndGrad } from "../core/categorical/categoricalCrossEntropyWithLogits.js";
import { softmax } from "../core/categorical/softmax.js";
import { CsrClassProducts } from "../core/kernels/csrClassProducts.js";
import { type Csr } from "./csrMatrix.js";
import { ScoresCache, addPenalty } from "./logisticObjective.js";
import { type TwiceDifferentiableObjective } from "./optimization.js";

/**
 * The multinomial logistic objective on sparse (CSR) features: the same function as `MultinomialLogisticObjective`
 * (scikit-learn's full K-class softmax, over-parametrized; intercepts not penalized),
 *   f(W, b) = l2 / 2 ||W||_F^2 + sum_i c_i L(y_i, W x_i + b),
 * with c_i = C w_i (w_i without a penalty) and L the softmax cross-entropy of the logits
 * (`categoricalCrossEntropyWithLogitsAndGrad`: log-sum-exp shifted by the row's maximum, exact even for a
 * confidently right row). Parameters: [W (K x d, row-major), b (K)].
 *
 * Gradient: `R^T X + l2 W` with `R_ic = c_i (p_ic - [y_i = c])`, and R's column sums for b.
 * Hessian-vector product, exact: for a direction (V, v_b) with scores `u_i = V x_i + v_b`, each sample adds
 * `c_i (diag(p_i) - p_i p_i^T) u_i = c_i p_i ⊙ (u_i - p_i . u_i)` back through X^T, plus l2 V (and, on the
 * intercepts, a curvature along their common shift, which changes nothing: see `hessianAt`). Both products
 * with X cost one pass over the stored values (`CsrClassProducts`, WebAssembly or its bit-identical twin).
 * The loss sum is the core's (compensated), so the value is accurate to a few ulps of the sum.
 */
export class SparseMultinomialObjective implements TwiceDifferentiableObjective {
  readonly dimension: number;
  private readonly products: CsrClassProducts;
  private readonly scores: Float64Array;
  private readonly residual: Float64Array;
  /** Probabilities at the point of the last `hessianAt` (n x K). */
  private probabilities: Float64Array;
  private readonly work: Float64Array;
  private readonly scoresAt: ScoresCache;
  private readonly lossOptions: { classes: number; reduction: "sum"; weights: Float64Array | undefined; gradOut: Float64Array };

  constructor(
    private readonly X: Csr,
    private readonly classIds: Int32Array,
    private readonly k: number,
    /** c_i: C times the sample's weight (the weight alone without a penalty), or undefined for all 1. */
    private readonly weights: Float64Array | undefined,
    private readonly l2: number,
    private readonly fitIntercept: boolean,
    /** Run the products in WebAssembly when available (false: the JavaScript twin, for tests). */
    useWasm = true,
  ) {
    this.dimension = k * X.cols + (fitIntercept ? k : 0);
    this.products = new CsrClassProducts(X.indptr, X.indices, X.data, X.rows, X.cols, k, useWasm);
    this.scores = new Float64Array(X.rows * k);
    this.residual = new Float64Array(X.rows * k);
    this.probabilities = new Float64Array(X.rows * k);
    this.work = new Float64Array(X.rows * k);
    this.scoresAt = new ScoresCache(this.dimension);
    this.lossOptions = { classes: k, reduction: "sum", weights, gradOut: this.residual };
  }

  /** Whether the products run in WebAssembly. */
  get usesWasm(): boolean {
    return this.products.usesWasm;
  }

  /** Nothing to hand on (the memory goes with the instance); for the shape the model's fit expects. */
  release(): void {}

  private scoresOf(theta: Float64Array, out: Float64Array): void {
    const kd = this.k * this.X.cols;
    this.products.scores(theta, this.fitIntercept ? theta : null, kd, out);
  }

  /** The intercepts' gradient: the column sums of a rows x K matrix, in row order. */
  private columnSums(r: Float64Array, out: Float64Array, at: number): void {
    const k = this.k;
    for (let c = 0; c < k; c++) out[at + c] = 0;
    for (let i = 0; i < this.X.rows; i++) for (let c = 0; c < k; c++) out[at + c]! += r[i * k + c]!;
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const kd = this.k * this.X.cols;
    this.scoresOf(theta, this.scores);
    this.scoresAt.set(theta);
    const { loss } = categoricalCrossEntropyWithLogitsAndGrad(this.classIds, this.scores, this.lossOptions);
    this.products.transposeTimes(this.residual, grad);
    if (this.fitIntercept) this.columnSums(this.residual, grad, kd);
    return this.l2 > 0 ? loss + addPenalty(theta, grad, kd, this.l2) : loss;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { k, l2, weights, work } = this;
    const { rows, cols } = this.X;
    const kd = k * cols;
    if (!this.scoresAt.holds(theta)) {
      this.scoresOf(theta, this.scores);
      this.scoresAt.set(theta);
    }
    this.probabilities = softmax(this.scores, { classes: k });
    const p = this.probabilities;
    // Adding one number to every intercept changes no probability: H has that direction u (1 on each intercept)
    // in its null space, and the gradient is 0 along it but for rounding. A Newton step would divide that rounding
    // by ~0 curvature: a huge common intercept shift, harmless in exact arithmetic, that rounds the logits and stalls
    // the line search. The product adds `mu (u . v) / K` on the intercepts, mu the mean intercept curvature
    // `sum_i c_i p_ic (1 - p_ic) / K`: the same Newton step in every other direction, a step of rounding size along u.
    let mu = 0;
    if (this.fitIntercept) {
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += p[i * k + c]! * (1 - p[i * k + c]!);
        mu += (weights === undefined ? 1 : weights[i]!) * s;
      }
      mu /= k;
    }
    return (v, out) => {
      this.scoresOf(v, work);
      for (let i = 0; i < rows; i++) {
        const o = i * k;
        let pu = 0;
        for (let c = 0; c < k; c++) pu += p[o + c]! * work[o + c]!;
        const ci = weights === undefined ? 1 : weights[i]!;
        for (let c = 0; c < k; c++) work[o + c] = ci * p[o + c]! * (work[o + c]! - pu);
      }
      this.products.transposeTimes(work, out);
      if (this.fitIntercept) {
        this.columnSums(work, out, kd);
        let shift = 0;
        for (let c = 0; c < k; c++) shift += v[kd + c]!;
        for (let c = 0; c < k; c++) out[kd + c]! += (mu * shift) / k;
      }
      if (l2 > 0) for (let j = 0; j < kd; j++) out[j]! += l2 * v[j]!;
    };
  }

  /**
   * @internal A Jacobi preconditioner at the point of the last `hessianAt`: `z = r / diag(H)`, the diagonal
   * `l2 + sum_i c_i p_ic (1 - p_ic) x_ij^2` (and the intercepts' `sum_i c_i p_ic (1 - p_ic)`), one pass over X.
   */
  preconditioner(): (r: Float64Array, z: Float64Array) => void {
    const { k, weights, work } = this;
    const { rows, cols } = this.X;
    const kd = k * cols;
    const p = this.probabilities;
    for (let i = 0; i < rows * k; i++) {
      const q = p[i]!;
      work[i] = (weights === undefined ? 1 : weights[Math.floor(i / k)]!) * q * (1 - q);
    }
    const diagonal = new Float64Array(this.dimension);
    this.products.transposeTimes(work, diagonal, true);
    for (let j = 0; j < kd; j++) diagonal[j]! += this.l2;
    if (this.fitIntercept) this.columnSums(work, diagonal, kd);
    // A feature with no stored value (or a class of zero curvature) has no curvature but l2: leave it unscaled.
    for (let j = 0; j < diagonal.length; j++) if (!(diagonal[j]! > 0)) diagonal[j] = 1;
    return (r, z) => {
      for (let j = 0; j < r.length; j++) z[j] = r[j]! / diagonal[j]!;
    };
  }

  /** @internal The scores `V x_i + v_b` of a direction (n x K, row-major), valid until the next call. */
  directionScores(v: Float64Array): Float64Array {
    this.scoresOf(v, this.work);
    return this.work;
  }
}
