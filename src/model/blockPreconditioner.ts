import { type DenseProducts } from "../core/kernels/denseProducts.js";
import { choleskyInPlace, choleskySolveInPlace, mirrorFactor } from "./choleskyPreconditioner.js";

/** @internal The largest d + 1 for which the objectives keep room for a Gram matrix (8 MB at 1024). */
export const MAX_GRAM_SIZE = 1024;

/**
 * @internal A preconditioner for the Newton systems of logistic regression: the Hessian's diagonal blocks, one per
 * coefficient row (class) c, each with its intercept:
 *   M_c = X~^T diag(h_c) X~ + l2 I'     (X~ = [X, 1], I' the identity without the intercept's entry)
 * with h_ic the curvature of row c's logits (binary: the exact Hessian, so M is H itself at the point it was
 * formed; multinomial: w_i p_ic (1 - p_ic), dropping the couplings between classes). Each block is formed by
 * the kernel (`weightedGram`) and factored by Cholesky; applying M^-1 costs k triangular solve pairs. Near the
 * optimum the Hessian barely changes, so one M serves every remaining Newton step.
 *
 * `curvatures(c, h)` writes h_c into h (length n). Without an intercept, the intercept's row and column are
 * replaced by the identity and its component of the result is 0.
 */
export function classBlockPreconditioner(
  kp: DenseProducts,
  k: number,
  l2: number,
  fitIntercept: boolean,
  curvatures: (c: number, h: Float64Array) => void,
): (r: Float64Array, z: Float64Array) => void {
  const { d } = kp;
  const m = d + 1;
  const blocks: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    curvatures(c, kp.gramWeights);
    kp.weightedGram();
    const a = Float64Array.from(kp.gram);
    for (let j = 0; j < d; j++) a[j * m + j]! += l2;
    if (!fitIntercept) {
      for (let t = 0; t < d; t++) a[d * m + t] = 0;
      a[d * m + d] = 1;
    }
    choleskyInPlace(a, m);
    mirrorFactor(a, m);
    blocks.push(a);
  }
  const rhs = new Float64Array(m);
  return (r, z) => {
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) rhs[j] = r[c * d + j]!;
      rhs[d] = fitIntercept ? r[k * d + c]! : 0;
      choleskySolveInPlace(blocks[c]!, m, rhs);
      for (let j = 0; j < d; j++) z[c * d + j] = rhs[j]!;
      if (fitIntercept) z[k * d + c] = rhs[d]!;
    }
  };
}

/**
 * @internal When to form the preconditioner, in Hessian-vector products: a Newton system whose conjugate gradients
 * pass this many iterations is ill-conditioned enough that forming M (k Gram matrices of n (d + 1)^2 / 2
 * multiply-adds, against 2 n d k per product, and faster per multiply-add: blocked, in cache) pays. At least 10,
 * so that the well-conditioned systems (a few iterations each) never form it.
 */
export function preconditionerThreshold(d: number): number {
  return Math.max(10, Math.ceil(((d + 1) * (d + 1)) / (12 * d)));
}
