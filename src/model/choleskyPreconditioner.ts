/**
 * @internal A symmetric positive definite matrix (row-major, m x m, lower triangle read) factored in place as
 * `A = L L^T` (Cholesky, Golub & Van Loan, Matrix Computations, Algorithm 4.2.1, by rows), for a
 * preconditioner: a pivot below `1e-12` of the largest diagonal entry (a semidefinite A, e.g. an all-zero
 * feature without a penalty) is raised to that, so the factor is always finite and the solve well defined
 * (it then solves a slightly perturbed system, which a preconditioner may).
 */
export function choleskyInPlace(a: Float64Array, m: number): void {
  let largest = 0;
  for (let j = 0; j < m; j++) largest = Math.max(largest, a[j * m + j]!);
  const floor = 1e-12 * largest || 1;
  for (let j = 0; j < m; j++) {
    const rj = j * m;
    let s = a[rj + j]!;
    for (let t = 0; t < j; t++) s -= a[rj + t]! * a[rj + t]!;
    const l = Math.sqrt(s > floor ? s : floor);
    a[rj + j] = l;
    for (let i = j + 1; i < m; i++) {
      const ri = i * m;
      let u = a[ri + j]!;
      for (let t = 0; t < j; t++) u -= a[ri + t]! * a[rj + t]!;
      a[ri + j] = u / l;
    }
  }
}

/**
 * @internal Copies the factor's transpose L^T into the upper triangle of `l` (`choleskyInPlace` leaves it unused),
 * so that the back substitution of `choleskySolveInPlace` reads rows, not columns.
 */
export function mirrorFactor(l: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) for (let t = i + 1; t < m; t++) l[i * m + t] = l[t * m + i]!;
}

/**
 * @internal Solves `L L^T z = b` in place in `b` with the factor of `choleskyInPlace` mirrored by `mirrorFactor`
 * (forward substitution on the lower triangle, back substitution on the upper).
 */
export function choleskySolveInPlace(l: Float64Array, m: number, b: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= l[ri + t]! * b[t]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    const ri = i * m;
    let s = b[i]!;
    for (let t = i + 1; t < m; t++) s -= l[ri + t]! * b[t]!;
    b[i] = s / l[ri + i]!;
  }
}
