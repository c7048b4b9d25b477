import { dot } from "./optimization.js";

/**
 * @internal The L-BFGS two-loop recursion (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4):
 * replaces `d` (holding -g, or -pseudo-gradient for OWL-QN) by `-H d`, H the inverse-Hessian approximation
 * from the first `k` stored pairs `(s_j, y_j)`, `rho_j = 1 / (y_j^T s_j)`, oldest first, with the initial
 * matrix `H^0 = (s^T y / y^T y) I` of the newest pair (their eq. 7.20). `alpha` is scratch of length >= k.
 * Shared by `lbfgs` and `owlqn`.
 *
 * With a preconditioner `apply` (v <- M^-1 v, M positive definite), the initial matrix is
 * `H^0 = (s^T y / y^T M^-1 y) M^-1` (Nocedal & Wright, section 7.2: any positive definite H^0 keeps the update
 * well defined; the scalar makes H^0 y match s along y, as eq. 7.20 does for M = I). `scratch` (length n) holds
 * M^-1 y.
 */
export function twoLoopRecursion(
  d: Float64Array,
  s: readonly Float64Array[],
  y: readonly Float64Array[],
  rho: readonly number[],
  alpha: Float64Array,
  k: number,
  apply?: (v: Float64Array) => void,
  scratch?: Float64Array,
): void {
  const n = d.length;
  for (let j = k - 1; j >= 0; j--) {
    const a = rho[j]! * dot(s[j]!, d);
    alpha[j] = a;
    const yj = y[j]!;
    for (let i = 0; i < n; i++) d[i]! -= a * yj[i]!;
  }
  if (apply !== undefined) {
    apply(d);
    if (k > 0) {
      const yk = y[k - 1]!;
      const my = scratch!;
      my.set(yk);
      apply(my);
      const gamma = 1 / rho[k - 1]! / dot(yk, my); // s^T y / y^T M^-1 y
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
  } else if (k > 0) {
    const gamma = 1 / rho[k - 1]! / dot(y[k - 1]!, y[k - 1]!); // s^T y / y^T y
    for (let i = 0; i < n; i++) d[i]! *= gamma;
  }
  for (let j = 0; j < k; j++) {
    const a = alpha[j]! - rho[j]! * dot(y[j]!, d);
    const sj = s[j]!;
    for (let i = 0; i < n; i++) d[i]! += a * sj[i]!;
  }
}
