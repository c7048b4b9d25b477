// AssemblyScript: the sparse (CSR) products with a matrix of class columns, for the multinomial objective on sparse
// features (src/model/sparseMultinomialObjective.ts), built by `npm run build` (scripts/build-wasm.mjs) into
// src/core/kernels/csrClassKernelWasm.ts and loaded by src/core/kernels/csrClassProducts.ts, whose JavaScript twin
// does the same IEEE operations in the same order (the tests compare the two bit for bit).
//
// The matrix: `indptr` (rows + 1 i32), `indices` (i32, 0-based columns) and `data` (f64) at the offsets passed.
// Column-side matrices are cols x k (feature-major: the k class values of a feature are adjacent, so that a stored
// value meets k adjacent numbers); row-side ones are rows x k (row-major, the scores' layout). No checks: the
// caller validated the matrix (toCsr).

/**
 * out[i, c] = b[c] + sum over row i's stored values (in order) of x_ij w[j, c]. The classes go in pairs, one f64x2
 * per pair (each lane the same IEEE multiply and add as the scalar loop), the last of an odd k alone.
 */
export function classScores(rows: i32, k: i32, indptrAt: usize, indicesAt: usize, dataAt: usize, wAt: usize, bAt: usize, outAt: usize): void {
  const kb = <usize>k << 3;
  const pairs = k & ~1;
  for (let i: i32 = 0; i < rows; i++) {
    const o = outAt + <usize>i * kb;
    for (let c: i32 = 0; c < k; c++) store<f64>(o + (<usize>c << 3), load<f64>(bAt + (<usize>c << 3)));
    const end = load<i32>(indptrAt + (<usize>(i + 1) << 2));
    for (let p = load<i32>(indptrAt + (<usize>i << 2)); p < end; p++) {
      const x = load<f64>(dataAt + (<usize>p << 3));
      const xx = f64x2.splat(x);
      const w = wAt + <usize>load<i32>(indicesAt + (<usize>p << 2)) * kb;
      let c: i32 = 0;
      for (; c < pairs; c += 2) {
        const q = o + (<usize>c << 3);
        v128.store(q, f64x2.add(v128.load(q), f64x2.mul(xx, v128.load(w + (<usize>c << 3)))));
      }
      if (c < k) {
        const q = o + (<usize>c << 3);
        store<f64>(q, load<f64>(q) + x * load<f64>(w + (<usize>c << 3)));
      }
    }
  }
}

/**
 * g[j, c] += x_ij r[i, c] over every stored value, rows in order (X^T R added into g); with `squares` != 0,
 * g[j, c] += x_ij^2 r[i, c] instead (a diagonal of X^T D X). Classes in f64x2 pairs as in classScores.
 */
export function classTransposeTimes(rows: i32, k: i32, indptrAt: usize, indicesAt: usize, dataAt: usize, rAt: usize, gAt: usize, squares: i32): void {
  const kb = <usize>k << 3;
  const pairs = k & ~1;
  for (let i: i32 = 0; i < rows; i++) {
    const r = rAt + <usize>i * kb;
    const end = load<i32>(indptrAt + (<usize>(i + 1) << 2));
    for (let p = load<i32>(indptrAt + (<usize>i << 2)); p < end; p++) {
      let x = load<f64>(dataAt + (<usize>p << 3));
      if (squares != 0) x = x * x;
      const xx = f64x2.splat(x);
      const g = gAt + <usize>load<i32>(indicesAt + (<usize>p << 2)) * kb;
      let c: i32 = 0;
      for (; c < pairs; c += 2) {
        const q = g + (<usize>c << 3);
        v128.store(q, f64x2.add(v128.load(q), f64x2.mul(xx, v128.load(r + (<usize>c << 3)))));
      }
      if (c < k) {
        const q = g + (<usize>c << 3);
        store<f64>(q, load<f64>(q) + x * load<f64>(r + (<usize>c << 3)));
      }
    }
  }
}
