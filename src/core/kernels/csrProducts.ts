import { CSR_KERNEL_WASM } from "./csrKernelWasm.js";
import { placeCsrInMemory } from "./csrKernelMemory.js";

/**
 * The sparse products of a fixed CSR matrix (rows x cols; indptr, 0-based indices, data; validated by the
 * caller), in WebAssembly (assembly/csrKernel.ts) or, where it is missing, refuses to compile, or its memory
 * cannot grow to hold the matrix, in the JavaScript twin below: the same IEEE operations in the same order,
 * so the same bits (the tests compare). The WebAssembly loop is about twice as fast: V8 checks the bounds of
 * each typed-array access of the gathers and scatters, the module does not.
 *
 * Each instance has its own module instance and memory: 64 KB reserved, then the matrix (copied in once,
 * 12 bytes per stored value), three column vectors and two row vectors, copied in and out at each call.
 * The memory goes with the instance (garbage collected).
 */
export class CsrProducts {
  private readonly wasm: {
    rowDots(rows: number, indptrAt: number, indicesAt: number, dataAt: number, vAt: number, b: number, outAt: number): void;
    gradientAndDiagonal(
      rows: number,
      indptrAt: number,
      indicesAt: number,
      dataAt: number,
      rAt: number,
      hAt: number,
      gAt: number,
      diagAt: number,
    ): void;
    hessianTimes(
      rows: number,
      cols: number,
      indptrAt: number,
      indicesAt: number,
      dataAt: number,
      curvatureAt: number,
      vAt: number,
      vb: number,
      l2: number,
      outAt: number,
    ): number;
  } | null = null;
  private at = { indptr: 0, indices: 0, data: 0, colA: 0, colB: 0, colC: 0, rowA: 0, rowB: 0 };
  private views: { colA: Float64Array; colB: Float64Array; colC: Float64Array; rowA: Float64Array; rowB: Float64Array } | null = null;

  constructor(
    private readonly indptr: Int32Array,
    private readonly indices: Int32Array,
    private readonly data: Float64Array,
    private readonly rows: number,
    private readonly cols: number,
    useWasm = true,
  ) {
    this.curvature = new Float64Array(rows);
    if (useWasm) this.wasm = this.instantiate();
  }

  /** Whether the WebAssembly path runs. */
  get usesWasm(): boolean {
    return this.wasm !== null;
  }

  private instantiate(): CsrProducts["wasm"] {
    try {
      if (typeof WebAssembly !== "object") return null;
      module ??= compile();
      const instance = new WebAssembly.Instance(module, {});
      const { rows, cols } = this;
      const placed = placeCsrInMemory(instance.exports.memory as WebAssembly.Memory, this.indptr, this.indices, this.data, {
        colA: cols,
        colB: cols,
        colC: cols,
        rowA: rows,
        rowB: rows,
      });
      if (placed === null) return null;
      this.at = placed.at;
      this.views = placed.views;
      return instance.exports as unknown as CsrProducts["wasm"];
    } catch {
      return null;
    }
  }

  /** `out[i] = b + x_i . v` (v: the first `cols` entries are read). */
  rowDots(v: Float64Array, b: number, out: Float64Array): void {
    const w = this.wasm;
    if (w !== null) {
      const views = this.views!;
      views.colA.set(v.subarray(0, this.cols));
      w.rowDots(this.rows, this.at.indptr, this.at.indices, this.at.data, this.at.colA, b, this.at.rowA);
      out.set(views.rowA);
      return;
    }
    const { indptr, indices, data } = this;
    for (let i = 0; i < this.rows; i++) out[i] = b + rowDot(indptr[i]!, indptr[i + 1]!, indices, data, v);
  }

  /** The curvature kept by `gradientAndDiagonal` for `hessianTimes` (JavaScript path; the module keeps it in its memory). */
  private readonly curvature: Float64Array;

  /**
   * `g[j] += sum_i r_i x_ij` and `diag[j] += sum_i h_i x_ij^2` (both of length >= cols; only their first cols
   * entries change); keeps h as the curvature of the following `hessianTimes` calls.
   */
  gradientAndDiagonal(r: Float64Array, h: Float64Array, g: Float64Array, diag: Float64Array): void {
    const w = this.wasm;
    const cols = this.cols;
    if (w !== null) {
      const views = this.views!;
      views.rowA.set(r);
      views.rowB.set(h);
      views.colB.set(g.subarray(0, cols));
      views.colC.set(diag.subarray(0, cols));
      w.gradientAndDiagonal(this.rows, this.at.indptr, this.at.indices, this.at.data, this.at.rowA, this.at.rowB, this.at.colB, this.at.colC);
      g.set(views.colB);
      diag.set(views.colC);
      return;
    }
    this.curvature.set(h);
    const { indptr, indices, data } = this;
    for (let i = 0; i < this.rows; i++) {
      const ri = r[i]!;
      const hi = h[i]!;
      const end = indptr[i + 1]!;
      for (let k = indptr[i]!; k < end; k++) {
        const j = indices[k]!;
        const x = data[k]!;
        g[j] = g[j]! + ri * x;
        diag[j] = diag[j]! + hi * x * x;
      }
    }
  }

  /**
   * `out[j] = l2 v[j] + sum_i t_i x_ij` with `t_i = h_i (vb + x_i . v)`, h the curvature given to the last
   * `gradientAndDiagonal`: l2 v + X^T D (X v + vb) into out's first cols entries; returns `sum_i t_i`.
   */
  hessianTimes(v: Float64Array, vb: number, l2: number, out: Float64Array): number {
    const w = this.wasm;
    const cols = this.cols;
    if (w !== null) {
      const views = this.views!;
      views.colA.set(v.subarray(0, cols));
      const sum = w.hessianTimes(this.rows, cols, this.at.indptr, this.at.indices, this.at.data, this.at.rowB, this.at.colA, vb, l2, this.at.colB);
      out.set(views.colB);
      return sum;
    }
    const { indptr, indices, data, curvature } = this;
    for (let j = 0; j < cols; j++) out[j] = l2 * v[j]!;
    let sum = 0;
    for (let i = 0; i < this.rows; i++) {
      const start = indptr[i]!;
      const end = indptr[i + 1]!;
      const t = curvature[i]! * (vb + rowDot(start, end, indices, data, v));
      sum += t;
      if (t !== 0) {
        for (let k = start; k < end; k++) {
          const j = indices[k]!;
          out[j] = out[j]! + t * data[k]!;
        }
      }
    }
    return sum;
  }
}

let module: WebAssembly.Module | undefined;

function compile(): WebAssembly.Module {
  const text = atob(CSR_KERNEL_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new WebAssembly.Module(bytes);
}

/** A row's dot product in the kernel's order: two lanes (even and odd positions from the row start), then t0 + t1. */
function rowDot(k: number, end: number, indices: Int32Array, data: Float64Array, v: Float64Array): number {
  let t0 = 0;
  let t1 = 0;
  for (; k + 1 < end; k += 2) {
    t0 += data[k]! * v[indices[k]!]!;
    t1 += data[k + 1]! * v[indices[k + 1]!]!;
  }
  if (k < end) t0 += data[k]! * v[indices[k]!]!;
  return t0 + t1;
}
