import { CSR_CLASS_KERNEL_WASM } from "./csrClassKernelWasm.js";
import { placeCsrInMemory } from "./csrKernelMemory.js";

/**
 * The sparse products of a fixed CSR matrix X (rows x cols; indptr, 0-based indices, data; validated by the
 * caller) with k class columns at once, for the multinomial objective on sparse features:
 * - `scores`: Z = X W^T + b (rows x k, row-major) for coefficient rows W (k x cols, row-major) and intercepts b;
 * - `transposeTimes`: G = R^T X (k x cols, row-major) for R (rows x k, row-major), or with `squares` R^T (X ⊙ X)
 *   (the diagonal of X^T D X per class, for a Jacobi preconditioner).
 * In WebAssembly (assembly/csrClassKernel.ts) or, where it is missing, refuses to compile, or its memory cannot
 * grow to hold the matrix, in the JavaScript twin below: the same IEEE operations in the same order, so the same
 * bits (the tests compare). Inside, the column-side matrices are feature-major (cols x k), so that each stored
 * value meets k adjacent numbers; W and G are transposed on the way in and out (k cols numbers, against k nnz
 * multiply-adds in the product).
 *
 * Each instance has its own module instance and memory: 64 KB reserved, then the matrix (copied in once, 12
 * bytes per stored value), two cols x k matrices, k intercepts and one rows x k matrix. The memory goes with the
 * instance (garbage collected).
 */
export class CsrClassProducts {
  private readonly wasm: {
    classScores(rows: number, k: number, indptrAt: number, indicesAt: number, dataAt: number, wAt: number, bAt: number, outAt: number): void;
    classTransposeTimes(
      rows: number,
      k: number,
      indptrAt: number,
      indicesAt: number,
      dataAt: number,
      rAt: number,
      gAt: number,
      squares: number,
    ): void;
  } | null = null;
  private at = { indptr: 0, indices: 0, data: 0, colIn: 0, colOut: 0, b: 0, row: 0 };
  private views: { colIn: Float64Array; colOut: Float64Array; b: Float64Array; row: Float64Array } | null = null;
  /** The feature-major (cols x k) copies of the JavaScript path. */
  private readonly colIn: Float64Array;
  private readonly colOut: Float64Array;

  constructor(
    private readonly indptr: Int32Array,
    private readonly indices: Int32Array,
    private readonly data: Float64Array,
    private readonly rows: number,
    private readonly cols: number,
    /** The number of class columns. */
    readonly k: number,
    useWasm = true,
  ) {
    if (useWasm) this.wasm = this.instantiate();
    this.colIn = this.views?.colIn ?? new Float64Array(cols * k);
    this.colOut = this.views?.colOut ?? new Float64Array(cols * k);
  }

  /** Whether the WebAssembly path runs. */
  get usesWasm(): boolean {
    return this.wasm !== null;
  }

  private instantiate(): CsrClassProducts["wasm"] {
    try {
      if (typeof WebAssembly !== "object") return null;
      module ??= compile();
      const instance = new WebAssembly.Instance(module, {});
      const { rows, cols, k } = this;
      const placed = placeCsrInMemory(instance.exports.memory as WebAssembly.Memory, this.indptr, this.indices, this.data, {
        colIn: cols * k,
        colOut: cols * k,
        b: k,
        row: rows * k,
      });
      if (placed === null) return null;
      this.at = placed.at;
      this.views = placed.views;
      return instance.exports as unknown as CsrClassProducts["wasm"];
    } catch {
      return null;
    }
  }

  /**
   * `out[i * k + c] = b[c] + x_i . w_c` (row-major rows x k) for the coefficient rows `w` (k x cols, row-major:
   * its first k * cols entries are read) and the intercepts `b` (k entries from `bAt`; null: zeros).
   */
  scores(w: Float64Array, b: Float64Array | null, bAt: number, out: Float64Array): void {
    const { rows, cols, k } = this;
    const wt = this.colIn;
    for (let c = 0; c < k; c++) {
      const base = c * cols;
      for (let j = 0; j < cols; j++) wt[j * k + c] = w[base + j]!;
    }
    const wasm = this.wasm;
    if (wasm !== null) {
      const views = this.views!;
      for (let c = 0; c < k; c++) views.b[c] = b === null ? 0 : b[bAt + c]!;
      wasm.classScores(rows, k, this.at.indptr, this.at.indices, this.at.data, this.at.colIn, this.at.b, this.at.row);
      out.set(views.row);
      return;
    }
    const { indptr, indices, data } = this;
    for (let i = 0; i < rows; i++) {
      const o = i * k;
      for (let c = 0; c < k; c++) out[o + c] = b === null ? 0 : b[bAt + c]!;
      const end = indptr[i + 1]!;
      for (let p = indptr[i]!; p < end; p++) {
        const x = data[p]!;
        const base = indices[p]! * k;
        for (let c = 0; c < k; c++) out[o + c] = out[o + c]! + x * wt[base + c]!;
      }
    }
  }

  /**
   * `g[c * cols + j] = sum_i x_ij r[i * k + c]` (R^T X, k x cols row-major, into g's first k * cols entries), or
   * with `squares` the same with x_ij^2.
   */
  transposeTimes(r: Float64Array, g: Float64Array, squares = false): void {
    const { rows, cols, k } = this;
    const wasm = this.wasm;
    const gt = this.colOut;
    gt.fill(0);
    if (wasm !== null) {
      this.views!.row.set(r.subarray(0, rows * k));
      wasm.classTransposeTimes(rows, k, this.at.indptr, this.at.indices, this.at.data, this.at.row, this.at.colOut, squares ? 1 : 0);
    } else {
      const { indptr, indices, data } = this;
      for (let i = 0; i < rows; i++) {
        const o = i * k;
        const end = indptr[i + 1]!;
        for (let p = indptr[i]!; p < end; p++) {
          let x = data[p]!;
          if (squares) x = x * x;
          const base = indices[p]! * k;
          for (let c = 0; c < k; c++) gt[base + c] = gt[base + c]! + x * r[o + c]!;
        }
      }
    }
    for (let c = 0; c < k; c++) {
      const base = c * cols;
      for (let j = 0; j < cols; j++) g[base + j] = gt[j * k + c]!;
    }
  }
}

let module: WebAssembly.Module | undefined;

function compile(): WebAssembly.Module {
  const text = atob(CSR_CLASS_KERNEL_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new WebAssembly.Module(bytes);
}
