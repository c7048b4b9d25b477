import { CsrProducts } from "../core/kernels/csrProducts.js";
import { type Csr } from "./csrMatrix.js";
import { type TwiceDifferentiableObjective } from "./optimization.js";

/**
 * The L2-regularized binary logistic objective on sparse (CSR) features, liblinear's (`-s 0`, class
 * `l2r_lr_fun`) with scikit-learn's unpenalized intercept as an option:
 *   f(w, b) = l2 / 2 ||w||^2 + sum_i c_i log(1 + exp(-y_i (x_i . w + b)))
 * with y_i in {-1, +1}, c_i = C times the sample's weight, and b present only with `fitIntercept` (never
 * penalized). liblinear's own bias (`-B 1`) is instead an ordinary, penalized feature of value 1.
 *
 * ## Method
 * With z = x . w + b, m = y z and e = exp(-|z|) (in (0, 1], never overflowing), everything comes from one exp
 * and one log1p per sample:
 * - the loss `log(1 + e^-m) = softplus(-m) = max(-m, 0) + log1p(exp(-|m|))`: two non-negative terms, no
 *   cancellation, and exp(-|m|) = e since |m| = |z|;
 * - its derivative in z, `-y sigmoid(-m)`, with `sigmoid(-m) = e / (1 + e)` when m >= 0 and `1 / (1 + e)`
 *   when m < 0 (neither forms 1 - sigmoid, which would cancel);
 * - its second derivative `sigmoid(z) (1 - sigmoid(z)) = e / (1 + e)^2`, accurate for every z (it underflows
 *   only past |z| = 745, where the true value does).
 * Gradient `l2 w + X^T r` (r_i = -c_i y_i sigmoid(-m_i); the intercept's component sum_i r_i);
 * Hessian `l2 I + X^T D X` (D_ii = c_i e_i / (1 + e_i)^2; no l2 on b), applied to a vector in one pass over the
 * rows (x_i . v, then x_i added times D_ii (x_i . v)), as liblinear's `Hv`.
 * The loss sum is compensated (Neumaier), so the value is accurate to a few ulps of the sum whatever n.
 *
 * The TRON solver evaluates `value` at trial points and, once a point is accepted, asks for the gradient and
 * the Hessian there: `gradientAtLast` and the Hessian use the logits cached by the last `value` call.
 */
export class SparseBinaryLogisticObjective implements TwiceDifferentiableObjective {
  readonly dimension: number;
  private readonly products: CsrProducts;
  private readonly logits: Float64Array;
  /** r_i, the loss's derivative in z_i, at the point of the last `gradientAtLast` call. */
  private readonly residual: Float64Array;
  /** c_i D_ii there. */
  private readonly curvature: Float64Array;
  private readonly scratch: Float64Array;
  private readonly stepScores: Float64Array;

  constructor(
    private readonly X: Csr,
    /** The labels, -1 or +1. */
    private readonly y: Float64Array,
    /** c_i = C times the sample's weight. */
    private readonly c: Float64Array,
    private readonly l2: number,
    private readonly fitIntercept: boolean,
    /** Run the products in WebAssembly when available (false: the JavaScript twin, for tests). */
    useWasm = true,
  ) {
    this.dimension = X.cols + (fitIntercept ? 1 : 0);
    this.products = new CsrProducts(X.indptr, X.indices, X.data, X.rows, X.cols, useWasm);
    this.logits = new Float64Array(X.rows);
    this.residual = new Float64Array(X.rows);
    this.curvature = new Float64Array(X.rows);
    this.scratch = new Float64Array(this.dimension);
    this.stepScores = new Float64Array(X.rows);
  }

  /** Whether the products run in WebAssembly. */
  get usesWasm(): boolean {
    return this.products.usesWasm;
  }

  /** The logits' change by a step s: `x_i . s (+ s_b)` into out. */
  stepLogits(s: Float64Array, out: Float64Array): void {
    this.products.rowDots(s, this.fitIntercept ? s[this.X.cols]! : 0, out);
  }

  /** f at theta; caches theta's logits for `gradientAtLast`. */
  value(theta: Float64Array): number {
    const { rows, cols } = this.X;
    const { y, c, logits } = this;
    this.products.rowDots(theta, this.fitIntercept ? theta[cols]! : 0, logits);
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < rows; i++) {
      const z = logits[i]!;
      const m = y[i]! * z;
      const term = c[i]! * ((m < 0 ? -m : 0) + Math.log1p(Math.exp(-Math.abs(z))));
      // Neumaier's compensated sum.
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
    }
    let squares = 0;
    for (let j = 0; j < cols; j++) squares += theta[j]! * theta[j]!;
    return sum + comp + 0.5 * this.l2 * squares;
  }

  /**
   * The gradient at the point of the last `value` call (`theta` must be that point), and the Hessian's
   * diagonal there into `diagonal` (for TRON's preconditioner); fixes the Hessian at that point.
   */
  gradientAtLast(theta: Float64Array, grad: Float64Array, diagonal: Float64Array = this.scratch): void {
    const { rows, cols } = this.X;
    const { y, c, logits, residual, curvature, l2 } = this;
    let gb = 0;
    let hb = 0;
    for (let i = 0; i < rows; i++) {
      const z = logits[i]!;
      const yi = y[i]!;
      const e = Math.exp(-Math.abs(z));
      const q = 1 + e;
      const r = -c[i]! * yi * (yi * z >= 0 ? e / q : 1 / q);
      const h = c[i]! * (e / (q * q));
      residual[i] = r;
      curvature[i] = h;
      gb += r;
      hb += h;
    }
    for (let j = 0; j < cols; j++) grad[j] = l2 * theta[j]!;
    diagonal.fill(l2, 0, cols);
    this.products.gradientAndDiagonal(residual, curvature, grad, diagonal);
    if (this.fitIntercept) {
      grad[cols] = gb;
      diagonal[cols] = hb;
    }
  }

  /** `out = H v` at the point of the last `gradientAtLast` call. */
  readonly hessianTimes = (v: Float64Array, out: Float64Array): void => {
    const { cols } = this.X;
    const sum = this.products.hessianTimes(v, this.fitIntercept ? v[cols]! : 0, this.l2, out);
    if (this.fitIntercept) out[cols] = sum;
  };

  /** @internal The logits' change by a direction v (n values), valid until the next call (`directionScores` of the model's solvers). */
  directionScores(v: Float64Array): Float64Array {
    this.stepLogits(v, this.stepScores);
    return this.stepScores;
  }

  /**
   * @internal A Jacobi preconditioner at the point of the last `hessianAt`: `z = r / diag(H)`, the diagonal that
   * `gradientAtLast` formed there (`l2 + sum_i c_i D_ii x_ij^2`; the intercept's `sum_i c_i D_ii`).
   */
  preconditioner(): (r: Float64Array, z: Float64Array) => void {
    const diagonal = this.scratch.slice();
    // A feature with no stored value has no curvature but l2 (none without a penalty): leave it unscaled.
    for (let j = 0; j < diagonal.length; j++) if (!(diagonal[j]! > 0)) diagonal[j] = 1;
    return (r, z) => {
      for (let j = 0; j < r.length; j++) z[j] = r[j]! / diagonal[j]!;
    };
  }

  /** Nothing to hand on (the memory goes with the instance); for the shape the model's fit expects. */
  release(): void {}

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const f = this.value(theta);
    this.gradientAtLast(theta, grad);
    return f;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    this.value(theta);
    this.gradientAtLast(theta, this.scratch.slice());
    return this.hessianTimes;
  }
}
