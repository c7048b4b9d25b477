/**
 * Sparse feature matrices in compressed sparse row (CSR) form, as scipy.sparse.csr_matrix and liblinear store
 * them: the nonzeros of row i are `data[indptr[i] .. indptr[i+1])` in columns `indices[indptr[i] .. indptr[i+1])`
 * (0-based). Columns within a row may come in any order; a repeated column adds up (as scipy's products do).
 * Every stored value must be finite, every column in [0, nFeatures), and `indptr` must start at 0, never
 * decrease and end at the number of stored values; a violation throws a RangeError naming the array and index.
 */

/** A CSR matrix as the user gives it (plain arrays or typed arrays). */
export interface CsrMatrix {
  /** Row starts: `nSamples + 1` non-decreasing integers, from 0 to the number of stored values. */
  indptr: ArrayLike<number>;
  /** The column (0-based) of each stored value. */
  indices: ArrayLike<number>;
  /** The stored values. */
  data: ArrayLike<number>;
  /** The number of columns (features). */
  nFeatures: number;
}

/** @internal A validated CSR matrix in typed arrays. */
export interface Csr {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
  rows: number;
  cols: number;
}

/** True for an object with an `indptr` (the CSR form), as opposed to the dense forms of `denseMatrix.ts`. */
export function isCsrMatrix(x: unknown): x is CsrMatrix {
  return x != null && typeof x === "object" && !ArrayBuffer.isView(x) && !Array.isArray(x) && "indptr" in x;
}

function arrayLike(fn: string, name: string, a: unknown): ArrayLike<number> {
  if (a == null || typeof a !== "object" || typeof (a as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${fn}: ${name} is not an array of numbers`);
  }
  return a as ArrayLike<number>;
}

/**
 * @internal Validates a CSR matrix and returns it in typed arrays (Int32Array and Float64Array given are used
 * as they are, without a copy). `expectedCols` is the number of features the caller knows (a fitted model's).
 */
export function toCsr(fn: string, name: string, x: CsrMatrix, expectedCols?: number): Csr {
  const cols = x.nFeatures;
  if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1 || cols > 0x7fffffff) {
    throw new RangeError(`${fn}: ${name}.nFeatures = ${String(cols)} is not an integer in [1, 2^31)`);
  }
  if (expectedCols !== undefined && cols !== expectedCols) {
    throw new RangeError(`${fn}: ${name} has ${cols} features but the model was fitted on ${expectedCols}`);
  }
  const p = arrayLike(fn, `${name}.indptr`, x.indptr);
  const ix = arrayLike(fn, `${name}.indices`, x.indices);
  const v = arrayLike(fn, `${name}.data`, x.data);
  const rows = p.length - 1;
  if (rows < 1) throw new RangeError(`${fn}: ${name} has no rows (${name}.indptr has length ${p.length})`);
  const nnz = v.length;
  if (ix.length !== nnz) throw new RangeError(`${fn}: ${name}.indices has length ${ix.length} but ${name}.data has ${nnz}`);
  if (nnz > 0x7fffffff) throw new RangeError(`${fn}: ${name} has ${nnz} stored values, more than 2^31 - 1`);
  const indptr = p instanceof Int32Array ? p : Int32Array.from(p);
  const indices = ix instanceof Int32Array ? ix : Int32Array.from(ix);
  const data = v instanceof Float64Array ? v : Float64Array.from(v);
  if (p[0] !== 0) throw new RangeError(`${fn}: ${name}.indptr[0] = ${String(p[0])} is not 0`);
  if (p[rows] !== nnz) throw new RangeError(`${fn}: ${name}.indptr[${rows}] = ${String(p[rows])} is not the number of stored values, ${nnz}`);
  for (let i = 1; i <= rows; i++) {
    // Checked on the given values: Int32Array.from would turn 1.5 into 1 and NaN into 0.
    const a = p[i]!;
    if (!Number.isInteger(a) || a < p[i - 1]!) {
      throw new RangeError(`${fn}: ${name}.indptr[${i}] = ${String(a)} is not an integer >= ${name}.indptr[${i - 1}] = ${String(p[i - 1])}`);
    }
  }
  for (let i = 0; i < rows; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      const j = ix[k]!;
      if (!Number.isInteger(j) || j < 0 || j >= cols) {
        throw new RangeError(`${fn}: ${name}.indices[${k}] = ${String(j)} (row ${i}) is not a column in [0, ${cols})`);
      }
      const d = data[k]!;
      if (!(d - d === 0)) throw new RangeError(`${fn}: ${name}.data[${k}] = ${String(d)} (row ${i}, column ${j}) is not finite`);
    }
  }
  return { indptr, indices, data, rows, cols };
}

/** @internal `out[i] = sum_k data[k] v[indices[k]]` over row i's stored values: the product X v. */
export function csrTimes(X: Csr, v: Float64Array, out: Float64Array): void {
  const { indptr, indices, data, rows } = X;
  let k = indptr[0]!;
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    let s = 0;
    for (; k < end; k++) s += data[k]! * v[indices[k]!]!;
    out[i] = s;
  }
}

/** @internal `out = X^T r`: row i's stored values scaled by r[i], added into their columns (out is zeroed first). */
export function csrTransposeTimes(X: Csr, r: Float64Array, out: Float64Array): void {
  const { indptr, indices, data, rows } = X;
  out.fill(0);
  let k = indptr[0]!;
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    const ri = r[i]!;
    if (ri === 0) {
      k = end;
      continue;
    }
    for (; k < end; k++) out[indices[k]!]! += ri * data[k]!;
  }
}
