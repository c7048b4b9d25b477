import { DENSE_KERNEL_WASM } from "./denseKernelWasm.js";

/**
 * @internal The dense matrix products of logistic regression over one fixed matrix X (n x d, row-major):
 * the scores `Z = X W^T + b` (W: k x d), the gradient `G += R^T X` with the intercepts' `gb += column sums of R`,
 * and the Hessian-vector products that fuse both (binary and softmax), in WebAssembly SIMD
 * (assembly/denseKernel.ts) or, where WebAssembly is missing or refuses to compile, in the JavaScript twins
 * below: the same operations in the same order (the order is written out in assembly/denseKernel.ts), so the
 * same bits, which test/denseProducts.test.ts checks.
 *
 * Why WebAssembly: V8 compiles the JavaScript loops to scalar code with a bounds check per typed-array access;
 * the kernel does two columns per f64x2 instruction and, in its micro-kernels, reuses each load of X for two
 * classes and each load and store of G for four rows. Measured in `npm run bench:fit`.
 *
 * Memory: each `DenseProducts` has its own WebAssembly instance (the compiled module is shared), whose memory
 * holds a copy of X (made once, when the objective is built) and every array the products read or write,
 * each a Float64Array view of that memory (`theta`, `direction`, `scores`, ...), so that a fit copies only the
 * parameters in and the gradient out per evaluation. The memory is sized once (it never grows afterwards, so
 * the views stay valid).
 *
 * Reuse: `release()` hands the instance back when the products are no longer needed (`LogisticRegression.fit`
 * does at its end), and the next `DenseProducts` takes it instead of a new one, growing its memory if it is too
 * small: a fresh memory's pages are zero-filled by the system on first touch, which made the copy of X 5x
 * slower than into memory used before (100,000 x 50: 22 ms against 4 ms). One released instance is kept, held
 * weakly (a WeakRef: the garbage collector may drop it and its memory, about the size of the largest X, any
 * time); every array except X is zeroed on reuse, so products start as from a new instance.
 */
export class DenseProducts {
  /** The matrix X (a copy in the kernel's memory, or the caller's array in JavaScript). */
  readonly x: Float64Array;
  /** The parameters [W (k x d), b (k)] the scores are computed from (b stays 0 without an intercept). */
  readonly theta: Float64Array;
  /** A direction [V, vb] of the same layout, for the Hessian-vector products and `directionScores`. */
  readonly direction: Float64Array;
  /** The scores Z (n x k) of `theta`. */
  readonly scores: Float64Array;
  /** The gradient with respect to the scores (n x k), filled by the caller before `accumulate`. */
  readonly residual: Float64Array;
  /** Work rows (n x k): the direction's scores, or the Hessian product's per-row terms. */
  readonly work: Float64Array;
  /**
   * Per-row factors of the Hessian: the binary curvatures h_i (n), or the softmax probabilities (n x k); filled
   * by the caller before `hessianBinary` / `hessianSoftmax`.
   */
  readonly rowFactors: Float64Array;
  /** Sample weights for `hessianSoftmax` (n), used when it is called with `weighted`. */
  readonly rowWeights: Float64Array;
  /** The gradient [G (k x d), gb (k)] that `accumulate` and the Hessian products add to. */
  readonly gradient: Float64Array;
  /**
   * The weighted Gram matrix `X~^T diag(h) X~` of `weightedGram` ((d + 1) x (d + 1), row-major, lower triangle;
   * X~ = [X, 1]), when the products were made `withGram`; else empty.
   */
  readonly gram: Float64Array;
  /** The weights h of `weightedGram` (n), filled by the caller. */
  readonly gramWeights: Float64Array;
  /**
   * The weighted column moments of `columnMoments`: [c (d), a (d)], c_j = sum_i h_i x_ij, a_j = sum_i h_i x_ij^2,
   * with h = `rowFactors` (binary, k = 1).
   */
  readonly moments: Float64Array;
  /** Whether the WebAssembly kernel runs the products (false: the JavaScript twins). */
  readonly wasm: boolean;

  private kernel: DenseKernelExports | null;
  private readonly at: Offsets;
  private readonly instance: WebAssembly.Instance | null;

  /**
   * Products over `data` (n x d, row-major, finite) for k coefficient rows. Uses WebAssembly unless it is
   * unavailable or turned off (`setDenseWasmEnabled`).
   */
  constructor(
    data: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly k: number,
    withGram = false,
  ) {
    const p = k * d + k;
    const m = withGram ? d + 1 : 0;
    const sizes = {
      x: n * d,
      theta: p,
      direction: p,
      scores: n * k,
      residual: n * k,
      work: n * k,
      rowFactors: n * k,
      rowWeights: n,
      gradient: p,
      gram: m * m,
      gramWeights: withGram ? n : 0,
      gramScratch: 2 * m * GRAM_BLOCK,
      moments: 2 * d,
    };
    const kernel = enabled ? denseKernel(sizes) : null;
    this.kernel = kernel?.exports ?? null;
    this.instance = kernel?.instance ?? null;
    this.wasm = kernel !== null;
    if (kernel !== null) {
      const buffer = kernel.exports.memory.buffer;
      const view = (name: keyof Offsets) => new Float64Array(buffer, kernel.at[name], sizes[name]);
      this.at = kernel.at;
      this.x = view("x");
      this.x.set(data);
      this.theta = view("theta");
      this.direction = view("direction");
      this.scores = view("scores");
      this.residual = view("residual");
      this.work = view("work");
      this.rowFactors = view("rowFactors");
      this.rowWeights = view("rowWeights");
      this.gradient = view("gradient");
      this.gram = view("gram");
      this.gramWeights = view("gramWeights");
      this.moments = view("moments");
    } else {
      this.at = {
        x: 0,
        theta: 0,
        direction: 0,
        scores: 0,
        residual: 0,
        work: 0,
        rowFactors: 0,
        rowWeights: 0,
        gradient: 0,
        gram: 0,
        gramWeights: 0,
        gramScratch: 0,
        moments: 0,
      };
      this.x = data;
      this.theta = new Float64Array(p);
      this.direction = new Float64Array(p);
      this.scores = new Float64Array(n * k);
      this.residual = new Float64Array(n * k);
      this.work = new Float64Array(n * k);
      this.rowFactors = new Float64Array(n * k);
      this.rowWeights = new Float64Array(n);
      this.gradient = new Float64Array(p);
      this.gram = new Float64Array(m * m);
      this.gramWeights = new Float64Array(sizes.gramWeights);
      this.moments = new Float64Array(2 * d);
    }
  }

  /**
   * Hands the WebAssembly instance back for the next `DenseProducts` to reuse (see the class comment). The
   * products must not be used afterwards: every later call throws, and the views (`x`, `theta`, ...) may then
   * alias another fit's arrays. Without WebAssembly, or called twice, it does nothing.
   */
  release(): void {
    if (this.instance === null || this.kernel === null) return;
    this.kernel = null;
    const kept = spare?.deref();
    const size = (i: WebAssembly.Instance) => (i.exports as unknown as DenseKernelExports).memory.buffer.byteLength;
    if (kept === undefined || size(kept) < size(this.instance)) spare = new WeakRef(this.instance);
  }

  /** The kernel, or a throw after `release` (the JavaScript twins run only when WebAssembly was never used). */
  private wasmKernel(): DenseKernelExports | null {
    if (this.kernel === null && this.instance !== null) throw new Error("DenseProducts: used after release()");
    return this.kernel;
  }

  /**
   * `gram = X~^T diag(h) X~` (lower triangle) with h = `gramWeights`, X~ = [X, 1]: each entry summed in blocks of
   * rows, within a block in two lanes (assembly/denseKernel.ts `gram`). Needs `withGram`.
   */
  weightedGram(): void {
    const kernel = this.wasmKernel();
    const { n, d } = this;
    const m = d + 1;
    if (this.gram.length !== m * m) throw new Error("DenseProducts.weightedGram: the products were made without withGram");
    this.gram.fill(0);
    if (kernel !== null) {
      const s = this.at.gramScratch;
      kernel.gram(this.at.x, n, d, this.at.gramWeights, s, s + 8 * m * GRAM_BLOCK, this.at.gram, GRAM_BLOCK);
      return;
    }
    gramJs(this.x, n, d, this.gramWeights, this.gram);
  }

  /**
   * The index in X (row-major) of its first NaN or infinite entry, -1 if none, checked by the kernel on its
   * copy (assembly/denseKernel.ts `firstNonFinite`); null without WebAssembly (the caller checks in JavaScript).
   */
  firstNonFinite(): number | null {
    const kernel = this.wasmKernel();
    return kernel === null ? null : kernel.firstNonFinite(this.at.x, this.n * this.d);
  }

  /**
   * `moments` = [c, a] with c_j = sum_i h_i x_ij and a_j = sum_i (h_i x_ij) x_ij, h = `rowFactors` (k = 1), the sums
   * in increasing i (assembly/denseKernel.ts `columnMoments`).
   */
  columnMoments(): void {
    const kernel = this.wasmKernel();
    const { n, d } = this;
    this.moments.fill(0);
    if (kernel !== null) {
      kernel.columnMoments(this.at.x, n, d, this.at.rowFactors, this.at.moments, this.at.moments + 8 * d);
      return;
    }
    columnMomentsJs(this.x, n, d, this.rowFactors, this.moments);
  }

  /** Rows [from, from + rows) of `scores` from `theta` (or of `work` from `direction`, with `ofDirection`). */
  computeScores(from: number, rows: number, ofDirection = false): void {
    const kernel = this.wasmKernel();
    const { d, k } = this;
    const kd = k * d;
    const params = ofDirection ? this.direction : this.theta;
    const out = ofDirection ? this.work : this.scores;
    if (kernel !== null) {
      const paramsAt = ofDirection ? this.at.direction : this.at.theta;
      kernel.scores(this.at.x + 8 * from * d, rows, d, paramsAt, paramsAt + 8 * kd, k, (ofDirection ? this.at.work : this.at.scores) + 8 * from * k);
    } else scoresJs(this.x, from * d, rows, d, params, 0, params, kd, k, out, from * k);
  }

  /** Adds rows [from, from + rows) of `residual^T X` to `gradient` (and their column sums to its intercept part). */
  accumulate(from: number, rows: number): void {
    const kernel = this.wasmKernel();
    const { d, k } = this;
    if (kernel !== null) {
      kernel.accumulate(this.at.x + 8 * from * d, rows, d, this.at.residual + 8 * from * k, k, this.at.gradient, this.at.gradient + 8 * k * d);
    } else accumulateJs(this.x, from * d, rows, d, this.residual, from * k, k, this.gradient, 0, k * d);
  }

  /**
   * `gradient = X^T diag(h) X [V; vb]` with the intercept column (binary, k = 1): per row u_i = x_i . v + vb,
   * times h_i (`rowFactors`), added back through X^T, in blocks of rows that stay in cache between the two.
   */
  hessianBinary(): void {
    const kernel = this.wasmKernel();
    const { n, d } = this;
    this.gradient.fill(0);
    if (kernel !== null) {
      const { x, direction, rowFactors, work, gradient } = this.at;
      kernel.hessianBinary(x, n, d, direction, direction + 8 * d, rowFactors, work, gradient, gradient + 8 * d, blockRows(d));
      return;
    }
    const u = this.work;
    scoresJs(this.x, 0, n, d, this.direction, 0, this.direction, d, 1, u, 0);
    for (let i = 0; i < n; i++) u[i] = u[i]! * this.rowFactors[i]!;
    accumulateJs(this.x, 0, n, d, u, 0, 1, this.gradient, 0, d);
  }

  /**
   * The softmax Hessian-vector product's data part: per row, u_i = V x_i + vb, then with p_i the probabilities
   * (`rowFactors`) and w_i the weight (`rowWeights`, or 1 unless `weighted`), `u_ic <- (w_i p_ic) (u_ic - p_i . u_i)`,
   * added back through X^T into `gradient` (assembly/denseKernel.ts `hessianSoftmax`).
   */
  hessianSoftmax(weighted: boolean): void {
    const kernel = this.wasmKernel();
    const { n, d, k } = this;
    const kd = k * d;
    this.gradient.fill(0);
    if (kernel !== null) {
      const { x, direction, rowFactors, rowWeights, work, gradient } = this.at;
      kernel.hessianSoftmax(
        x,
        n,
        d,
        direction,
        direction + 8 * kd,
        k,
        rowFactors,
        weighted ? rowWeights : 0,
        work,
        gradient,
        gradient + 8 * kd,
        blockRows(d),
      );
      return;
    }
    const u = this.work;
    const p = this.rowFactors;
    scoresJs(this.x, 0, n, d, this.direction, 0, this.direction, kd, k, u, 0);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      let pu = 0;
      for (let c = 0; c < k; c++) pu += p[base + c]! * u[base + c]!;
      const w = weighted ? this.rowWeights[i]! : 1;
      for (let c = 0; c < k; c++) u[base + c] = w * p[base + c]! * (u[base + c]! - pu);
    }
    accumulateJs(this.x, 0, n, d, u, 0, k, this.gradient, 0, kd);
  }
}

/**
 * @internal Rows per block of a fused pass (the scores of a block, then its gradient): about 128 KB of X, so that
 * the block is still in the L2 cache for the second product; at least 4 (the gradient's micro-kernel).
 */
export function blockRows(d: number): number {
  return Math.max(4, Math.floor(16384 / d));
}

/**
 * @internal The JavaScript twin of the kernel's `scores`: z[zAt + i k + c] = x_i . w_c + b_c for `rows` rows of x
 * from `xAt`, w (k x d) at `wAt`, b at `bAt`, each dot product in two lanes (even and odd columns, the odd last
 * column into the even lane), then `(e + o) + b_c`: assembly/denseKernel.ts's order.
 */
export function scoresJs(
  x: Float64Array,
  xAt: number,
  rows: number,
  d: number,
  w: Float64Array,
  wAt: number,
  b: Float64Array,
  bAt: number,
  k: number,
  z: Float64Array,
  zAt: number,
): void {
  const pairs = d & ~1;
  for (let i = 0; i < rows; i++) {
    const xi = xAt + i * d;
    for (let c = 0; c < k; c++) {
      const wc = wAt + c * d;
      let e = 0;
      let o = 0;
      for (let j = 0; j < pairs; j += 2) {
        e += x[xi + j]! * w[wc + j]!;
        o += x[xi + j + 1]! * w[wc + j + 1]!;
      }
      if (d & 1) e += x[xi + d - 1]! * w[wc + d - 1]!;
      z[zAt + i * k + c] = e + o + b[bAt + c]!;
    }
  }
}

/**
 * @internal The JavaScript twin of the kernel's `accumulate`: g[gAt + c d + j] += sum_i r_ic x_ij and
 * g[gbAt + c] += sum_i r_ic over `rows` rows, the sums in increasing i.
 */
export function accumulateJs(
  x: Float64Array,
  xAt: number,
  rows: number,
  d: number,
  r: Float64Array,
  rAt: number,
  k: number,
  g: Float64Array,
  gAt: number,
  gbAt: number,
): void {
  for (let i = 0; i < rows; i++) {
    const xi = xAt + i * d;
    for (let c = 0; c < k; c++) {
      const s = r[rAt + i * k + c]!;
      const gc = gAt + c * d;
      for (let j = 0; j < d; j++) g[gc + j]! += s * x[xi + j]!;
      g[gbAt + c]! += s;
    }
  }
}

/**
 * @internal The JavaScript twin of the kernel's `columnMoments`: m[j] += sum_i h_i x_ij and m[d + j] += sum_i
 * (h_i x_ij) x_ij, in increasing i.
 */
export function columnMomentsJs(x: Float64Array, n: number, d: number, h: Float64Array, m: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const hi = h[i]!;
    for (let j = 0; j < d; j++) {
      const v = x[xi + j]!;
      const t = hi * v;
      m[j]! += t;
      m[d + j]! += t * v;
    }
  }
}

/** Rows per block of the Gram matrix (even: the kernel's lanes pair rows). */
const GRAM_BLOCK = 64;

/**
 * @internal The JavaScript twin of the kernel's `gram`: out[a m + b] += sum_i h_i x~_ia x~_ib (b <= a), per block
 * of GRAM_BLOCK rows a two-lane sum of the products `(h_i x~_ia) x~_ib` (even and odd rows; an odd last row to
 * the even lane), `(e + o)` added to the entry.
 */
export function gramJs(x: Float64Array, n: number, d: number, h: Float64Array, out: Float64Array): void {
  const m = d + 1;
  for (let i0 = 0; i0 < n; i0 += GRAM_BLOCK) {
    const rows = Math.min(GRAM_BLOCK, n - i0);
    const pairs = rows & ~1;
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        let e = 0;
        let o = 0;
        for (let i = 0; i < pairs; i += 2) {
          const r0 = (i0 + i) * d;
          const r1 = r0 + d;
          e += h[i0 + i]! * (a < d ? x[r0 + a]! : 1) * (b < d ? x[r0 + b]! : 1);
          o += h[i0 + i + 1]! * (a < d ? x[r1 + a]! : 1) * (b < d ? x[r1 + b]! : 1);
        }
        if (rows & 1) {
          const r0 = (i0 + rows - 1) * d;
          e += h[i0 + rows - 1]! * (a < d ? x[r0 + a]! : 1) * (b < d ? x[r0 + b]! : 1);
        }
        out[a * m + b]! += e + o;
      }
    }
  }
}

interface DenseKernelExports {
  memory: WebAssembly.Memory;
  scores(x: number, n: number, d: number, w: number, b: number, k: number, z: number): void;
  accumulate(x: number, n: number, d: number, r: number, k: number, g: number, gb: number): void;
  hessianBinary(x: number, n: number, d: number, v: number, vb: number, h: number, u: number, g: number, gb: number, block: number): void;
  hessianSoftmax(
    x: number,
    n: number,
    d: number,
    v: number,
    vb: number,
    k: number,
    p: number,
    wt: number,
    u: number,
    g: number,
    gb: number,
    block: number,
  ): void;
  gram(x: number, n: number, d: number, h: number, t: number, xt: number, out: number, block: number): void;
  firstNonFinite(x: number, len: number): number;
  columnMoments(x: number, n: number, d: number, h: number, c: number, a: number): void;
}

type Offsets = Record<
  | "x"
  | "theta"
  | "direction"
  | "scores"
  | "residual"
  | "work"
  | "rowFactors"
  | "rowWeights"
  | "gradient"
  | "gram"
  | "gramWeights"
  | "gramScratch"
  | "moments",
  number
>;

/** Where the arrays start: after 64 KB kept for AssemblyScript's own data, each at a 16-byte boundary. */
const BASE = 65536;

let module: WebAssembly.Module | null | undefined;
let enabled = true;
/** The last released instance (see `DenseProducts.release`), held weakly. */
let spare: WeakRef<WebAssembly.Instance> | null = null;

/** @internal Turns the WebAssembly path off or on (tests compare the two paths); affects products made afterwards. */
export function setDenseWasmEnabled(on: boolean): void {
  enabled = on;
}

/**
 * An instance with memory for the arrays of `sizes` (in doubles), or null without WebAssembly: the released
 * one if the garbage collector has not taken it (its arrays after X zeroed), else a new one.
 */
function denseKernel(sizes: Offsets): { instance: WebAssembly.Instance; exports: DenseKernelExports; at: Offsets } | null {
  if (module === undefined) module = compile();
  if (module === null) return null;
  try {
    const at = {} as Offsets;
    let end = BASE;
    for (const name of Object.keys(sizes) as (keyof Offsets)[]) {
      at[name] = end;
      end += Math.ceil((8 * sizes[name]) / 16) * 16;
    }
    const reused = spare?.deref();
    spare = null;
    const instance = reused ?? new WebAssembly.Instance(module, {});
    const exports = instance.exports as unknown as DenseKernelExports;
    const have = exports.memory.buffer.byteLength;
    if (end > have) exports.memory.grow(Math.ceil((end - have) / 65536));
    if (reused !== undefined) new Uint8Array(exports.memory.buffer, at.theta, end - at.theta).fill(0);
    return { instance, exports, at };
  } catch {
    return null; // no memory for the copy (a RangeError from grow): the JavaScript twins need none
  }
}

function compile(): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly !== "object") return null;
    const text = atob(DENSE_KERNEL_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}
