import {
  type BinaryPassBlock,
  type DenseFitSession,
  binaryPassLoss,
  denseFitRunner,
  denseParts,
  passBlocks,
} from "../core/kernels/denseBinaryPass.js";
import { DenseProducts } from "../core/kernels/denseProducts.js";
import { MAX_GRAM_SIZE, classBlockPreconditioner } from "./blockPreconditioner.js";
import { type Matrix, firstNonFinite } from "./denseMatrix.js";
import { type LbfgsPreconditioner } from "./lbfgs.js";
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
 *
 * The products with X run in `DenseProducts` (WebAssembly SIMD, or its bit-identical JavaScript twin): an
 * evaluation is one pass over X in blocks (`passBlocks`), a Hessian-vector product one fused pass in the kernel.
 */
export class BinaryLogisticObjective implements TwiceDifferentiableObjective {
  readonly dimension: number;
  private readonly products: DenseProducts;
  private readonly blocks: PassBlock[];
  private readonly weights: Float64Array | undefined;
  private readonly scoresAt: ScoresCache;
  private readonly l2: number;
  private readonly parts: { first: number; end: number }[];
  /** The worker threads running parts of each pass (`denseFitRunner`), or null: all on this thread. */
  private session: DenseFitSession | null;
  /** The sum of the parts' gradients, and the workers' parts' gradients and losses. */
  private readonly total: Float64Array;
  private readonly workerGradients: Float64Array;
  private readonly workerLosses: Float64Array;

  constructor(private readonly problem: LogisticProblem) {
    const { X, classIds, fitIntercept } = problem;
    this.dimension = parameterCount(1, X.cols, fitIntercept);
    this.l2 = l2Strength(problem);
    this.weights = lossWeights(problem);
    const labels = Float64Array.from(classIds);
    this.parts = denseParts(X.rows, X.cols);
    // The workers first (they copy their rows while this thread copies X into its kernel's memory).
    const runner = this.parts.length > 1 ? denseFitRunner() : null;
    this.session = runner === null ? null : runner({ x: X.data, n: X.rows, d: X.cols, labels, weights: this.weights, parts: this.parts });
    this.products = new DenseProducts(X.data, X.rows, X.cols, 1, X.cols + 1 <= MAX_GRAM_SIZE);
    this.blocks = passBlocks(X.rows, X.cols, 1, labels, this.weights, this.products);
    this.scoresAt = new ScoresCache(this.dimension);
    const workerParts = this.session === null ? 0 : this.parts.length - this.session.firstWorkerPart;
    this.total = new Float64Array(X.cols + 1);
    this.workerGradients = new Float64Array(workerParts * (X.cols + 1));
    this.workerLosses = new Float64Array(workerParts);
  }

  /**
   * @internal Hands the products' WebAssembly memory to the next objective (`DenseProducts.release`) and ends the
   * workers' part of the fit; no use after.
   */
  release(): void {
    this.products.release();
    this.session?.end();
    this.session = null;
  }

  /** @internal Whether worker threads run parts of each pass (see core/kernels/denseBinaryPass.ts). */
  get threaded(): boolean {
    return this.session !== null;
  }

  /** @internal The flat index of X's first NaN or infinite entry, or -1: by the kernel on its copy, else in JavaScript. */
  firstNonFiniteFeature(): number {
    return this.products.firstNonFinite() ?? firstNonFinite(this.problem.X.data);
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const { X, fitIntercept } = this.problem;
    const kp = this.products;
    setParameters(kp.theta, theta, 1, X.cols, fitIntercept);
    // One pass over X in parts (core/kernels/denseBinaryPass.ts): the workers' parts start first; each part's
    // gradient from zero, the parts' gradients and losses added in part order, whoever ran them.
    const session = this.session;
    session?.start(kp.theta);
    const parts = this.parts;
    const mine = session === null ? parts.length : session.firstWorkerPart;
    const total = this.total;
    const m = total.length;
    total.fill(0);
    let loss = 0;
    let compensation = 0;
    for (let p = 0; p < mine; p++) {
      kp.gradient.fill(0);
      const partLoss = binaryPassLoss(kp, this.blocks, parts[p]!.first, parts[p]!.end);
      for (let j = 0; j < m; j++) total[j]! += kp.gradient[j]!;
      [loss, compensation] = neumaierAdd(loss, compensation, partLoss);
    }
    if (session !== null) {
      session.finish(this.workerGradients, this.workerLosses, kp.scores);
      for (let p = mine; p < parts.length; p++) {
        const at = (p - mine) * m;
        for (let j = 0; j < m; j++) total[j]! += this.workerGradients[at + j]!;
        [loss, compensation] = neumaierAdd(loss, compensation, this.workerLosses[p - mine]!);
      }
    }
    this.scoresAt.set(theta);
    getGradient(grad, total, 1, X.cols, fitIntercept);
    loss += compensation;
    return this.l2 > 0 ? loss + addPenalty(theta, grad, X.cols, this.l2) : loss;
  }

  hessianAt(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { X, fitIntercept } = this.problem;
    const l2 = this.l2;
    const kp = this.products;
    if (!this.scoresAt.holds(theta)) {
      setParameters(kp.theta, theta, 1, X.cols, fitIntercept);
      kp.computeScores(0, X.rows);
      this.scoresAt.set(theta);
    }
    const weights = this.weights;
    const logits = kp.scores;
    const curvature = kp.rowFactors;
    for (let i = 0; i < X.rows; i++) {
      const e = Math.exp(-Math.abs(logits[i]!));
      const q = 1 + e;
      curvature[i] = (weights === undefined ? 1 : weights[i]!) * (e / (q * q));
    }
    return (v, out) => {
      setParameters(kp.direction, v, 1, X.cols, fitIntercept);
      kp.hessianBinary();
      getGradient(out, kp.gradient, 1, X.cols, fitIntercept);
      if (l2 > 0) for (let j = 0; j < X.cols; j++) out[j]! += l2 * v[j]!;
    };
  }

  /**
   * @internal The Hessian at the point of the last `hessianAt` as a preconditioner (`classBlockPreconditioner`:
   * here the exact Hessian), or null when d + 1 > MAX_GRAM_SIZE.
   */
  preconditioner(): ((r: Float64Array, z: Float64Array) => void) | null {
    const kp = this.products;
    if (kp.gramWeights.length === 0) return null;
    return classBlockPreconditioner(kp, 1, this.l2, this.problem.fitIntercept, (_c, h) => h.set(kp.rowFactors));
  }

  /**
   * @internal A preconditioner for `lbfgs`: the Hessian H = X~^T D X~ + l2 I' (X~ = [X, 1], D = diag(h), h_i the
   * curvature of sample i) with its data part approximated, after centering, by its diagonal. With
   * `c_j = sum_i h_i x_ij`, `s = sum_i h_i` and the centered diagonal `a_j = sum_i h_i x_ij^2 - c_j^2 / s + l2`:
   *   M = [[diag(a) + c c^T / s, c], [c^T, s]],
   * which is H's diagonal in the variables (w, b + c . w / s), where the intercept absorbs the weighted feature
   * means. Diagonal scaling alone (Jacobi) leaves the ill-conditioning of features with a large common offset
   * (pixels, raw measurements: the intercept direction and the mean direction couple); this removes it.
   * M^-1 v for v = (r, rb): t = rb / s, w_j = (r_j - c_j t) / a_j, b = t - c . w / s. `update` forms M from the
   * scores of the last evaluation (one pass over X, `DenseProducts.columnMoments`); `a_j` is kept above
   * 1e-10 of the uncentered sum (the difference cancels for a nearly constant column) and 1e-12 of the largest
   * entry (a zero column without a penalty), so M is positive definite. Without an intercept: diag(a) with
   * the uncentered sums.
   */
  diagonalPreconditioner(): LbfgsPreconditioner {
    const { X, fitIntercept } = this.problem;
    const { rows: n, cols: d } = X;
    const kp = this.products;
    const weights = this.weights;
    const l2 = this.l2;
    const a = new Float64Array(d);
    const c = new Float64Array(d);
    let s = 0;
    let centered = false;
    return {
      update: () => {
        const z = kp.scores;
        const h = kp.rowFactors;
        s = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.exp(-Math.abs(z[i]!)); // h_i = w_i sigmoid(z) (1 - sigmoid(z)), as hessianAt
          const q = 1 + e;
          h[i] = (weights === undefined ? 1 : weights[i]!) * (e / (q * q));
          s += h[i]!;
        }
        kp.columnMoments();
        const m = kp.moments;
        centered = fitIntercept && s > 0;
        let largest = 0;
        for (let j = 0; j < d; j++) {
          const square = m[d + j]!;
          c[j] = m[j]!;
          const v = centered ? Math.max(square - (c[j]! * c[j]!) / s, 1e-10 * square) : square;
          a[j] = v + l2;
          largest = Math.max(largest, a[j]!);
        }
        const floor = 1e-12 * largest || 1;
        for (let j = 0; j < d; j++) if (!(a[j]! > floor)) a[j] = floor;
      },
      apply: (v) => {
        if (!centered) {
          for (let j = 0; j < d; j++) v[j]! /= a[j]!;
          if (fitIntercept && s > 0) v[d]! /= s;
          return;
        }
        const t = v[d]! / s;
        let cw = 0;
        for (let j = 0; j < d; j++) {
          v[j] = (v[j]! - c[j]! * t) / a[j]!;
          cw += c[j]! * v[j]!;
        }
        v[d] = t - cw / s;
      },
    };
  }

  /** @internal The scores `X v` (with v's intercept) of a direction v: n values, valid until the next call. */
  directionScores(v: Float64Array): Float64Array {
    const { X, fitIntercept } = this.problem;
    setParameters(this.products.direction, v, 1, X.cols, fitIntercept);
    this.products.computeScores(0, X.rows, true);
    return this.products.work;
  }
}

/** @internal A block of rows of a fused pass (core/kernels/denseBinaryPass.ts). */
export type PassBlock = BinaryPassBlock;
export { passBlocks };

/** @internal Neumaier's compensated addition: returns the new sum and compensation after adding x. */
export function neumaierAdd(sum: number, compensation: number, x: number): [number, number] {
  const t = sum + x;
  compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  return [t, compensation];
}

/** @internal Copies parameters [W (rows x d), b] into the kernel's layout (which always has the k intercepts; 0 without). */
export function setParameters(into: Float64Array, theta: Float64Array, rows: number, cols: number, fitIntercept: boolean): void {
  into.set(fitIntercept ? theta : theta.subarray(0, rows * cols));
}

/** @internal Copies the kernel's gradient [G, gb] into the parameter layout (without gb when there is no intercept). */
export function getGradient(out: Float64Array, gradient: Float64Array, rows: number, cols: number, fitIntercept: boolean): void {
  out.set(fitIntercept ? gradient : gradient.subarray(0, rows * cols));
}

/**
 * @internal Which parameters the kernel's `scores` were computed from: a copy of them, so that the Hessian at
 * the point of the last evaluation (the polish's usual case) needs no second pass for the scores.
 */
export class ScoresCache {
  private readonly at: Float64Array;
  private valid = false;

  constructor(dimension: number) {
    this.at = new Float64Array(dimension);
  }

  set(theta: Float64Array): void {
    this.at.set(theta);
    this.valid = true;
  }

  holds(theta: Float64Array): boolean {
    if (!this.valid) return false;
    for (let j = 0; j < theta.length; j++) if (!Object.is(this.at[j], theta[j])) return false;
    return true;
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
