// AssemblyScript: the sparse (CSR) products of the sparse logistic objective (src/model/sparseLogisticObjective.ts),
// built by `npm run build` (scripts/build-wasm.mjs) into src/core/kernels/csrKernelWasm.ts and loaded by
// src/core/kernels/csrProducts.ts, whose JavaScript twin does the same IEEE operations in the same order (the
// tests compare the two bit for bit).
//
// The matrix: `indptr` (rows + 1 i32), `indices` (i32, 0-based columns) and `data` (f64) at the offsets passed;
// vectors are f64. Each row's dot product runs in two lanes, even and odd positions from the row's start,
// added at the end: (t0 + t1). No checks: the caller validated the matrix (toCsr).

// @ts-ignore: decorator
@inline
function rowDot(k: i32, end: i32, indicesAt: usize, dataAt: usize, vAt: usize): f64 {
  let t0: f64 = 0;
  let t1: f64 = 0;
  for (; k + 1 < end; k += 2) {
    t0 += load<f64>(dataAt + (<usize>k << 3)) * load<f64>(vAt + (<usize>load<i32>(indicesAt + (<usize>k << 2)) << 3));
    t1 += load<f64>(dataAt + (<usize>(k + 1) << 3)) * load<f64>(vAt + (<usize>load<i32>(indicesAt + (<usize>(k + 1) << 2)) << 3));
  }
  if (k < end) t0 += load<f64>(dataAt + (<usize>k << 3)) * load<f64>(vAt + (<usize>load<i32>(indicesAt + (<usize>k << 2)) << 3));
  return t0 + t1;
}

/** out[i] = b + x_i . v for every row. */
export function rowDots(rows: i32, indptrAt: usize, indicesAt: usize, dataAt: usize, vAt: usize, b: f64, outAt: usize): void {
  for (let i: i32 = 0; i < rows; i++) {
    const k = load<i32>(indptrAt + (<usize>i << 2));
    const end = load<i32>(indptrAt + (<usize>(i + 1) << 2));
    store<f64>(outAt + (<usize>i << 3), b + rowDot(k, end, indicesAt, dataAt, vAt));
  }
}

/** g[j] += r_i x_ij and diag[j] += h_i x_ij^2 over every stored value (rows with r_i = h_i = 0 skipped). */
export function gradientAndDiagonal(rows: i32, indptrAt: usize, indicesAt: usize, dataAt: usize, rAt: usize, hAt: usize, gAt: usize, diagAt: usize): void {
  for (let i: i32 = 0; i < rows; i++) {
    const r = load<f64>(rAt + (<usize>i << 3));
    const h = load<f64>(hAt + (<usize>i << 3));
    const end = load<i32>(indptrAt + (<usize>(i + 1) << 2));
    for (let k = load<i32>(indptrAt + (<usize>i << 2)); k < end; k++) {
      const j = <usize>load<i32>(indicesAt + (<usize>k << 2)) << 3;
      const x = load<f64>(dataAt + (<usize>k << 3));
      store<f64>(gAt + j, load<f64>(gAt + j) + r * x);
      store<f64>(diagAt + j, load<f64>(diagAt + j) + h * x * x);
    }
  }
}

/**
 * out[j] = l2 v[j] + sum_i t_i x_ij with t_i = curvature_i (vb + x_i . v), one pass over the rows (the row is
 * still in cache for its second loop); returns sum_i t_i (the intercept's component).
 */
export function hessianTimes(
  rows: i32,
  cols: i32,
  indptrAt: usize,
  indicesAt: usize,
  dataAt: usize,
  curvatureAt: usize,
  vAt: usize,
  vb: f64,
  l2: f64,
  outAt: usize,
): f64 {
  for (let j: i32 = 0; j < cols; j++) store<f64>(outAt + (<usize>j << 3), l2 * load<f64>(vAt + (<usize>j << 3)));
  let sum: f64 = 0;
  for (let i: i32 = 0; i < rows; i++) {
    const start = load<i32>(indptrAt + (<usize>i << 2));
    const end = load<i32>(indptrAt + (<usize>(i + 1) << 2));
    const t = load<f64>(curvatureAt + (<usize>i << 3)) * (vb + rowDot(start, end, indicesAt, dataAt, vAt));
    sum += t;
    if (t != 0) {
      for (let k = start; k < end; k++) {
        const p = outAt + (<usize>load<i32>(indicesAt + (<usize>k << 2)) << 3);
        store<f64>(p, load<f64>(p) + t * load<f64>(dataAt + (<usize>k << 3)));
      }
    }
  }
  return sum;
}
