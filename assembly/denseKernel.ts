// AssemblyScript: the WebAssembly kernel of the dense matrix products of logistic regression (the scores
// Z = X W^T + b, the gradient R^T X, and the Hessian-vector products that fuse both). Built by `npm run build:wasm`
// (scripts/build-wasm.mjs) into src/core/kernels/denseKernelWasm.ts; loaded by src/core/kernels/denseProducts.ts,
// whose JavaScript functions are the twins of these: the same IEEE double operations in the same order (and
// WebAssembly has no fused multiply-add or other contraction), so the two paths give bit-identical results,
// which the tests check.
//
// ## The order of every sum (shared with the JavaScript twin)
// - A score z_ic = x_i . w_c + b_c is a dot product in two lanes: e = sum over even j, o = sum over odd j, each
//   summed in increasing j (the last column, when d is odd, goes to e), then z_ic = (e + o) + b_c. One f64x2
//   accumulator holds (e, o), so a pair of columns costs one multiply and one add.
// - A gradient entry g_cj = sum_i r_ic x_ij (and g_c = sum_i r_ic for the intercept) is summed in increasing
//   i, from 0. The SIMD loop runs over pairs of columns j (independent sums), and handles four rows per load
//   and store of g, adding their terms one after the other: the same order as one row at a time.
// So how the rows and classes are grouped into micro-kernels (2 rows x 4 classes or 4 rows x 1 class for the
// scores, 4 rows for the gradient) and into blocks never changes a result.
//
// Memory: every matrix lies where the caller (denseProducts.ts) put it, at the byte offsets passed in; rows are
// row-major f64 without padding (an odd d leaves rows 8-byte aligned only: v128.load does not need more).

/** `(e + o)` of a two-lane accumulator, with the odd last column added to e first. */
// @ts-ignore: decorator
@inline function finish(acc: v128, x: usize, w: usize, d: i32): f64 {
  let e = f64x2.extract_lane(acc, 0);
  const o = f64x2.extract_lane(acc, 1);
  if (d & 1) {
    const at = <usize>(d - 1) << 3;
    e += load<f64>(x + at) * load<f64>(w + at);
  }
  return e + o;
}

/**
 * The scores of `n` rows: z[i k + c] = x_i . w_c + b[c] for the rows at `x` (n x d), the coefficient rows at
 * `w` (k x d) and the intercepts at `b` (k; zeros for none), into `z` (n x k).
 */
export function scores(x: usize, n: i32, d: i32, w: usize, b: usize, k: i32, z: usize): void {
  if (k == 1) {
    scoresOneClass(x, n, d, w, load<f64>(b), z);
    return;
  }
  const rowBytes = <usize>d << 3;
  const pairs = d & ~1;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const z0 = z + ((<usize>i * <usize>k) << 3);
    const z1 = z0 + (<usize>k << 3);
    let c = 0;
    // 2 rows x 4 classes: eight independent sums, six loads per eight products.
    for (; c + 4 <= k; c += 4) {
      const w0 = w + <usize>c * rowBytes;
      const w1 = w0 + rowBytes;
      const w2 = w1 + rowBytes;
      const w3 = w2 + rowBytes;
      let a00 = f64x2.splat(0.0);
      let a01 = f64x2.splat(0.0);
      let a02 = f64x2.splat(0.0);
      let a03 = f64x2.splat(0.0);
      let a10 = f64x2.splat(0.0);
      let a11 = f64x2.splat(0.0);
      let a12 = f64x2.splat(0.0);
      let a13 = f64x2.splat(0.0);
      for (let j = 0; j < pairs; j += 2) {
        const at = <usize>j << 3;
        const u0 = v128.load(x0 + at);
        const u1 = v128.load(x1 + at);
        const v0 = v128.load(w0 + at);
        a00 = f64x2.add(a00, f64x2.mul(u0, v0));
        a10 = f64x2.add(a10, f64x2.mul(u1, v0));
        const v1 = v128.load(w1 + at);
        a01 = f64x2.add(a01, f64x2.mul(u0, v1));
        a11 = f64x2.add(a11, f64x2.mul(u1, v1));
        const v2 = v128.load(w2 + at);
        a02 = f64x2.add(a02, f64x2.mul(u0, v2));
        a12 = f64x2.add(a12, f64x2.mul(u1, v2));
        const v3 = v128.load(w3 + at);
        a03 = f64x2.add(a03, f64x2.mul(u0, v3));
        a13 = f64x2.add(a13, f64x2.mul(u1, v3));
      }
      const cb = <usize>c << 3;
      const b0 = load<f64>(b + cb);
      const b1 = load<f64>(b + cb + 8);
      const b2 = load<f64>(b + cb + 16);
      const b3 = load<f64>(b + cb + 24);
      store<f64>(z0 + cb, finish(a00, x0, w0, d) + b0);
      store<f64>(z0 + cb + 8, finish(a01, x0, w1, d) + b1);
      store<f64>(z0 + cb + 16, finish(a02, x0, w2, d) + b2);
      store<f64>(z0 + cb + 24, finish(a03, x0, w3, d) + b3);
      store<f64>(z1 + cb, finish(a10, x1, w0, d) + b0);
      store<f64>(z1 + cb + 8, finish(a11, x1, w1, d) + b1);
      store<f64>(z1 + cb + 16, finish(a12, x1, w2, d) + b2);
      store<f64>(z1 + cb + 24, finish(a13, x1, w3, d) + b3);
    }
    for (; c < k; c++) {
      const w0 = w + <usize>c * rowBytes;
      let a00 = f64x2.splat(0.0);
      let a10 = f64x2.splat(0.0);
      for (let j = 0; j < pairs; j += 2) {
        const at = <usize>j << 3;
        const v0 = v128.load(w0 + at);
        a00 = f64x2.add(a00, f64x2.mul(v128.load(x0 + at), v0));
        a10 = f64x2.add(a10, f64x2.mul(v128.load(x1 + at), v0));
      }
      const b0 = load<f64>(b + (<usize>c << 3));
      store<f64>(z0 + (<usize>c << 3), finish(a00, x0, w0, d) + b0);
      store<f64>(z1 + (<usize>c << 3), finish(a10, x1, w0, d) + b0);
    }
  }
  if (i < n) {
    const x0 = x + <usize>i * rowBytes;
    const z0 = z + ((<usize>i * <usize>k) << 3);
    for (let c = 0; c < k; c++) {
      const w0 = w + <usize>c * rowBytes;
      let a00 = f64x2.splat(0.0);
      for (let j = 0; j < pairs; j += 2) {
        const at = <usize>j << 3;
        a00 = f64x2.add(a00, f64x2.mul(v128.load(x0 + at), v128.load(w0 + at)));
      }
      store<f64>(z0 + (<usize>c << 3), finish(a00, x0, w0, d) + load<f64>(b + (<usize>c << 3)));
    }
  }
}

/** `scores` for one class (a binary model): four rows at a time, four independent sums sharing each load of w. */
function scoresOneClass(x: usize, n: i32, d: i32, w: usize, b0: f64, z: usize): void {
  const rowBytes = <usize>d << 3;
  const pairs = d & ~1;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    let a0 = f64x2.splat(0.0);
    let a1 = f64x2.splat(0.0);
    let a2 = f64x2.splat(0.0);
    let a3 = f64x2.splat(0.0);
    for (let j = 0; j < pairs; j += 2) {
      const at = <usize>j << 3;
      const v = v128.load(w + at);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x0 + at), v));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(x1 + at), v));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(x2 + at), v));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(x3 + at), v));
    }
    const z0 = z + (<usize>i << 3);
    store<f64>(z0, finish(a0, x0, w, d) + b0);
    store<f64>(z0 + 8, finish(a1, x1, w, d) + b0);
    store<f64>(z0 + 16, finish(a2, x2, w, d) + b0);
    store<f64>(z0 + 24, finish(a3, x3, w, d) + b0);
  }
  for (; i < n; i++) {
    const x0 = x + <usize>i * rowBytes;
    let a0 = f64x2.splat(0.0);
    for (let j = 0; j < pairs; j += 2) {
      const at = <usize>j << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(x0 + at), v128.load(w + at)));
    }
    store<f64>(z + (<usize>i << 3), finish(a0, x0, w, d) + b0);
  }
}

/**
 * Adds the gradient of `n` rows: g[c d + j] += sum_i r[i k + c] x[i d + j] and gb[c] += sum_i r[i k + c], the
 * sums in increasing i (four rows per pass over g, their terms added one after the other).
 */
export function accumulate(x: usize, n: i32, d: i32, r: usize, k: i32, g: usize, gb: usize): void {
  const rowBytes = <usize>d << 3;
  const pairs = d & ~1;
  const kBytes = <usize>k << 3;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const r0 = r + <usize>i * kBytes;
    for (let c = 0; c < k; c++) {
      const cb = <usize>c << 3;
      const s0 = load<f64>(r0 + cb);
      const s1 = load<f64>(r0 + kBytes + cb);
      const s2 = load<f64>(r0 + 2 * kBytes + cb);
      const s3 = load<f64>(r0 + 3 * kBytes + cb);
      const t0 = f64x2.splat(s0);
      const t1 = f64x2.splat(s1);
      const t2 = f64x2.splat(s2);
      const t3 = f64x2.splat(s3);
      const gc = g + <usize>c * rowBytes;
      for (let j = 0; j < pairs; j += 2) {
        const at = <usize>j << 3;
        let v = v128.load(gc + at);
        v = f64x2.add(v, f64x2.mul(t0, v128.load(x0 + at)));
        v = f64x2.add(v, f64x2.mul(t1, v128.load(x1 + at)));
        v = f64x2.add(v, f64x2.mul(t2, v128.load(x2 + at)));
        v = f64x2.add(v, f64x2.mul(t3, v128.load(x3 + at)));
        v128.store(gc + at, v);
      }
      if (d & 1) {
        const at = <usize>(d - 1) << 3;
        let v = load<f64>(gc + at);
        v += s0 * load<f64>(x0 + at);
        v += s1 * load<f64>(x1 + at);
        v += s2 * load<f64>(x2 + at);
        v += s3 * load<f64>(x3 + at);
        store<f64>(gc + at, v);
      }
      store<f64>(gb + cb, load<f64>(gb + cb) + s0 + s1 + s2 + s3);
    }
  }
  for (; i < n; i++) {
    const x0 = x + <usize>i * rowBytes;
    const r0 = r + <usize>i * kBytes;
    for (let c = 0; c < k; c++) {
      const cb = <usize>c << 3;
      const s0 = load<f64>(r0 + cb);
      const t0 = f64x2.splat(s0);
      const gc = g + <usize>c * rowBytes;
      for (let j = 0; j < pairs; j += 2) {
        const at = <usize>j << 3;
        v128.store(gc + at, f64x2.add(v128.load(gc + at), f64x2.mul(t0, v128.load(x0 + at))));
      }
      if (d & 1) {
        const at = <usize>(d - 1) << 3;
        store<f64>(gc + at, load<f64>(gc + at) + s0 * load<f64>(x0 + at));
      }
      store<f64>(gb + cb, load<f64>(gb + cb) + s0);
    }
  }
}

/**
 * The binary Hessian-vector product's data part over `n` rows, in blocks of `block` rows (so that a block of X
 * is read from memory once, for both products): u_i = x_i . v + vb into `u`, then u_i times the curvature
 * h_i (at `h`), then g += sum_i (h_i u_i) x_i and gb[0] += sum_i h_i u_i (`accumulate`'s order).
 */
export function hessianBinary(x: usize, n: i32, d: i32, v: usize, vb: usize, h: usize, u: usize, g: usize, gb: usize, block: i32): void {
  const rowBytes = <usize>d << 3;
  for (let i0 = 0; i0 < n; i0 += block) {
    const rows = min(block, n - i0);
    const xb = x + <usize>i0 * rowBytes;
    const ub = u + (<usize>i0 << 3);
    const hb = h + (<usize>i0 << 3);
    scores(xb, rows, d, v, vb, 1, ub);
    for (let i = 0; i < rows; i++) {
      const at = <usize>i << 3;
      store<f64>(ub + at, load<f64>(ub + at) * load<f64>(hb + at));
    }
    accumulate(xb, rows, d, ub, 1, g, gb);
  }
}

/**
 * The multinomial Hessian-vector product's data part over `n` rows, in blocks of `block` rows: the scores
 * u_i = V x_i + vb (k each) into `u`, then per row, with p_i the probabilities (at `p`, n x k) and w_i the
 * weight (at `wt`; all 1 when `wt` is 0): pu = sum_c p_ic u_ic (increasing c, from 0), and
 * u_ic <- (w_i p_ic) (u_ic - pu); then g += sum_i u_i x_i^T and gb += sum_i u_i (`accumulate`'s order).
 */
export function hessianSoftmax(
  x: usize,
  n: i32,
  d: i32,
  v: usize,
  vb: usize,
  k: i32,
  p: usize,
  wt: usize,
  u: usize,
  g: usize,
  gb: usize,
  block: i32,
): void {
  const rowBytes = <usize>d << 3;
  const kBytes = <usize>k << 3;
  for (let i0 = 0; i0 < n; i0 += block) {
    const rows = min(block, n - i0);
    const xb = x + <usize>i0 * rowBytes;
    const ub = u + <usize>i0 * kBytes;
    const pb = p + <usize>i0 * kBytes;
    scores(xb, rows, d, v, vb, k, ub);
    for (let i = 0; i < rows; i++) {
      const ui = ub + <usize>i * kBytes;
      const pi = pb + <usize>i * kBytes;
      let pu = 0.0;
      for (let c = 0; c < k; c++) pu += load<f64>(pi + (<usize>c << 3)) * load<f64>(ui + (<usize>c << 3));
      const w = wt == 0 ? 1.0 : load<f64>(wt + ((<usize>(i0 + i)) << 3));
      for (let c = 0; c < k; c++) {
        const at = <usize>c << 3;
        store<f64>(ui + at, w * load<f64>(pi + at) * (load<f64>(ui + at) - pu));
      }
    }
    accumulate(xb, rows, d, ub, k, g, gb);
  }
}

/**
 * Adds the weighted Gram matrix of `n` rows with the intercept column: out[a m + b] += sum_i h_i x~_ia x~_ib for
 * b <= a (m = d + 1, x~_i = (x_i, 1); the entries above the diagonal are not read and may be written). Rows go in
 * blocks of `block` (even): each block is transposed into `xt` (m x block, the column of ones last) and `t` = the
 * same times h_i, then each entry adds the block's sum sum_i t_ai xt_bi, summed in two lanes (even and odd i,
 * an odd last row into the even lane) as the scores' dot products: `(e + o)`, added to the entry.
 */
export function gram(x: usize, n: i32, d: i32, h: usize, t: usize, xt: usize, out: usize, block: i32): void {
  const m = d + 1;
  const rowBytes = <usize>d << 3;
  const blockBytes = <usize>block << 3;
  const mBytes = <usize>m << 3;
  for (let i0 = 0; i0 < n; i0 += block) {
    const rows = min(block, n - i0);
    for (let i = 0; i < rows; i++) {
      const xi = x + <usize>(i0 + i) * rowBytes;
      const hi = load<f64>(h + (<usize>(i0 + i) << 3));
      const ib = <usize>i << 3;
      for (let a = 0; a < d; a++) {
        const v = load<f64>(xi + (<usize>a << 3));
        store<f64>(xt + <usize>a * blockBytes + ib, v);
        store<f64>(t + <usize>a * blockBytes + ib, hi * v);
      }
      store<f64>(xt + <usize>d * blockBytes + ib, 1.0);
      store<f64>(t + <usize>d * blockBytes + ib, hi);
    }
    const pairs = rows & ~1;
    // 4 rows a x 2 columns b of the output per pass over the block: eight sums, six loads per eight products.
    // Entries above the diagonal that this computes along the way are written, never read.
    for (let a = 0; a < m; a += 4) {
      const t0 = t + <usize>a * blockBytes;
      const t1 = a + 1 < m ? t0 + blockBytes : t0;
      const t2 = a + 2 < m ? t0 + 2 * blockBytes : t0;
      const t3 = a + 3 < m ? t0 + 3 * blockBytes : t0;
      const last = min(a + 3, m - 1);
      for (let b = 0; b <= last; b += 2) {
        const u0 = xt + <usize>b * blockBytes;
        const bTwo = b + 1 < m;
        const u1 = bTwo ? u0 + blockBytes : u0;
        let a00 = f64x2.splat(0.0);
        let a01 = f64x2.splat(0.0);
        let a10 = f64x2.splat(0.0);
        let a11 = f64x2.splat(0.0);
        let a20 = f64x2.splat(0.0);
        let a21 = f64x2.splat(0.0);
        let a30 = f64x2.splat(0.0);
        let a31 = f64x2.splat(0.0);
        for (let i = 0; i < pairs; i += 2) {
          const at = <usize>i << 3;
          const q0 = v128.load(u0 + at);
          const q1 = v128.load(u1 + at);
          const p0 = v128.load(t0 + at);
          a00 = f64x2.add(a00, f64x2.mul(p0, q0));
          a01 = f64x2.add(a01, f64x2.mul(p0, q1));
          const p1 = v128.load(t1 + at);
          a10 = f64x2.add(a10, f64x2.mul(p1, q0));
          a11 = f64x2.add(a11, f64x2.mul(p1, q1));
          const p2 = v128.load(t2 + at);
          a20 = f64x2.add(a20, f64x2.mul(p2, q0));
          a21 = f64x2.add(a21, f64x2.mul(p2, q1));
          const p3 = v128.load(t3 + at);
          a30 = f64x2.add(a30, f64x2.mul(p3, q0));
          a31 = f64x2.add(a31, f64x2.mul(p3, q1));
        }
        addGram(out, a, b, mBytes, m, bTwo, a00, a01, t0, u0, u1, rows);
        if (a + 1 < m) addGram(out, a + 1, b, mBytes, m, bTwo, a10, a11, t1, u0, u1, rows);
        if (a + 2 < m) addGram(out, a + 2, b, mBytes, m, bTwo, a20, a21, t2, u0, u1, rows);
        if (a + 3 < m) addGram(out, a + 3, b, mBytes, m, bTwo, a30, a31, t3, u0, u1, rows);
      }
    }
  }
}

/** Adds the finished block sums of output row a, columns b and b + 1 (when b + 1 < m). */
// @ts-ignore: decorator
@inline function addGram(
  out: usize,
  a: i32,
  b: i32,
  mBytes: usize,
  m: i32,
  bTwo: bool,
  s0: v128,
  s1: v128,
  ta: usize,
  u0: usize,
  u1: usize,
  rows: i32,
): void {
  const o = out + <usize>a * mBytes + (<usize>b << 3);
  store<f64>(o, load<f64>(o) + finish(s0, ta, u0, rows));
  if (bTwo) store<f64>(o + 8, load<f64>(o + 8) + finish(s1, ta, u1, rows));
}

/**
 * The index of the first NaN or infinite entry of the `len` doubles at `x`, or -1 (the model's input check, on
 * the copy of X this module computes on). `v * 0` is (+-)0 for a finite v and NaN for NaN or +-Infinity, so a
 * block's sum of them is 0 exactly when the block is finite: blocks of 1024 entries are summed in two f64x2
 * lanes and tested once; from the first block that fails (and for the last, partial one) an entry-by-entry
 * scan finds the index. A pass at memory speed, where the JavaScript loop (denseMatrix.ts `firstNonFinite`,
 * the same test) costs several times more.
 */
export function firstNonFinite(x: usize, len: i32): i32 {
  const zero = f64x2.splat(0.0);
  let k = 0;
  for (; k + 1024 <= len; k += 1024) {
    const base = x + (<usize>k << 3);
    let a = zero;
    let b = zero;
    for (let j = 0; j < 1024; j += 4) {
      const at = base + (<usize>j << 3);
      a = f64x2.add(a, f64x2.mul(v128.load(at), zero));
      b = f64x2.add(b, f64x2.mul(v128.load(at + 16), zero));
    }
    const s = f64x2.add(a, b);
    if (f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) != 0) break;
  }
  for (; k < len; k++) {
    const v = load<f64>(x + (<usize>k << 3));
    if (!(v - v == 0)) return k;
  }
  return -1;
}

/**
 * The weighted column moments of `n` rows: c[j] += sum_i h_i x_ij and a[j] += sum_i (h_i x_ij) x_ij, the sums in
 * increasing i (per row: t = h_i x_ij, then c_j + t and a_j + t x_ij), two columns per f64x2 instruction. The
 * diagonal preconditioner of the binary fit (src/model/logisticObjective.ts `diagonalPreconditioner`) is formed
 * from them.
 */
export function columnMoments(x: usize, n: i32, d: i32, h: usize, c: usize, a: usize): void {
  const rowBytes = <usize>d << 3;
  const pairs = d & ~1;
  let i = 0;
  // Four rows per load and store of c and a, their terms added one after the other (the order of one row at a time).
  for (; i + 4 <= n; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    const hb = h + (<usize>i << 3);
    const h0 = load<f64>(hb);
    const h1 = load<f64>(hb + 8);
    const h2 = load<f64>(hb + 16);
    const h3 = load<f64>(hb + 24);
    const s0 = f64x2.splat(h0);
    const s1 = f64x2.splat(h1);
    const s2 = f64x2.splat(h2);
    const s3 = f64x2.splat(h3);
    for (let j = 0; j < pairs; j += 2) {
      const at = <usize>j << 3;
      const v0 = v128.load(x0 + at);
      const v1 = v128.load(x1 + at);
      const v2 = v128.load(x2 + at);
      const v3 = v128.load(x3 + at);
      const t0 = f64x2.mul(s0, v0);
      const t1 = f64x2.mul(s1, v1);
      const t2 = f64x2.mul(s2, v2);
      const t3 = f64x2.mul(s3, v3);
      let u = v128.load(c + at);
      u = f64x2.add(u, t0);
      u = f64x2.add(u, t1);
      u = f64x2.add(u, t2);
      u = f64x2.add(u, t3);
      v128.store(c + at, u);
      let q = v128.load(a + at);
      q = f64x2.add(q, f64x2.mul(t0, v0));
      q = f64x2.add(q, f64x2.mul(t1, v1));
      q = f64x2.add(q, f64x2.mul(t2, v2));
      q = f64x2.add(q, f64x2.mul(t3, v3));
      v128.store(a + at, q);
    }
    if (d & 1) {
      const at = <usize>(d - 1) << 3;
      let u = load<f64>(c + at);
      let q = load<f64>(a + at);
      const v0 = load<f64>(x0 + at);
      const t0 = h0 * v0;
      u += t0;
      q += t0 * v0;
      const v1 = load<f64>(x1 + at);
      const t1 = h1 * v1;
      u += t1;
      q += t1 * v1;
      const v2 = load<f64>(x2 + at);
      const t2 = h2 * v2;
      u += t2;
      q += t2 * v2;
      const v3 = load<f64>(x3 + at);
      const t3 = h3 * v3;
      u += t3;
      q += t3 * v3;
      store<f64>(c + at, u);
      store<f64>(a + at, q);
    }
  }
  for (; i < n; i++) {
    const xi = x + <usize>i * rowBytes;
    const hi = load<f64>(h + (<usize>i << 3));
    const s = f64x2.splat(hi);
    for (let j = 0; j < pairs; j += 2) {
      const at = <usize>j << 3;
      const v = v128.load(xi + at);
      const t = f64x2.mul(s, v);
      v128.store(c + at, f64x2.add(v128.load(c + at), t));
      v128.store(a + at, f64x2.add(v128.load(a + at), f64x2.mul(t, v)));
    }
    if (d & 1) {
      const at = <usize>(d - 1) << 3;
      const v = load<f64>(xi + at);
      const t = hi * v;
      store<f64>(c + at, load<f64>(c + at) + t);
      store<f64>(a + at, load<f64>(a + at) + t * v);
    }
  }
}
