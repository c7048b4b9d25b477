// AssemblyScript: the WebAssembly kernel of the softmax rows (src/core/categorical/softmaxRow.ts `scanRow`) for a whole
// batch of logit rows. Built by `npm run build` (scripts/build-wasm.mjs) into src/core/kernels/softmaxKernelWasm.ts;
// loaded by src/core/kernels/softmaxWasm.ts.
//
// Per row it computes what scanRow computes (the maximum, its first column, the compensated tail
// T = sum_{j != argmax} exp(z_j - m) with the TwoSum corrections, and exp(z_j - m) corrected into the
// gradient buffer), with the same IEEE operations in the same order, so the same bits (tests compare). A row
// scanRow would treat specially (a NaN, an infinite maximum, a difference below -700 whose exp goes to the
// scaled sum) is only flagged: JavaScript scans it with scanRow.
//
// Memory: from BASE the exp table (2^(j/128) as hi, lo pairs, 2048 bytes) and the powers of two 2^i for
// i = -1100..1 (8816 bytes), as in binaryKernel.ts; a scratch row of exp values at SCRATCH; then, at the
// offsets passed to `run`: the logits (f64, n k), the row outputs (max, argmax, tail, flag: 4 f64 per row)
// and the stored exponentials (n k f64).

import { EXP2_AT, expNegX2, expNonPositiveAt } from "./expKernel";

const BASE: usize = 65536;
const EXP2: usize = EXP2_AT; // = BASE
const POW2: usize = BASE + 2048;
/** Scratch rows of up to 4096 columns: exp(d_j) and exp(d_j) e_j (e_j the TwoSum correction of d_j). */
const X: usize = BASE + 16384;
const XE: usize = BASE + 16384 + 32768;
/** The SIMD constants: -700, 128/ln 2, 1.5 2^52, ln2/128 head and tail, 1/2, -1/6, 1/24, -1/120, then
 * the i64x2 expBias (expKernel.ts `expNegX2`). */
const CONSTS: usize = BASE + 12288;


/** fastExp.ts `expNonPositive` for -700 <= x <= 0 (no guard needed there). */
// @ts-ignore: decorator
@inline function expNonPositive(x: f64): f64 {
  return expNonPositiveAt(x, EXP2, POW2);
}

/**
 * Scans n rows of k logits at `logitsAt`. For row i writes at `rowsAt + 32 i`: the maximum m, its first
 * column a, the tail T, and a flag (1 when JavaScript must scan the row itself, else 0); with `wantStore`, writes
 * exp(z_j - m) (1 + e_j) to `storeAt` (1 at column a). Needs k <= 4096 (the scratch row).
 */
export function run(n: i32, k: i32, logitsAt: usize, rowsAt: usize, storeAt: usize, wantStore: i32): void {
  scan(n, k, logitsAt, rowsAt, storeAt, wantStore, 0);
}

/**
 * `run` with the gradient of the class-id cross-entropy written instead of the stored exponentials (the
 * categoricalBatch.ts logitsPass branch "a class id", operation for operation): row i reads its class id y
 * and its scale s = (w c_y) / D at `rowsAt + 32 i + 16` and `+ 24` (written by JavaScript before the call),
 * and writes s (x_j / (1 + T)) to column j, then s (-(T / (1 + T))) at y = a or s (x_y / (1 + T) - 1) at
 * y != a. A row with y = -1 (ignored, or weight 0) gets zeros. A flagged row's gradient is left to
 * JavaScript, as in `run`. The row output holds m - z_y in place of the argmax (see `kernelLabelLoss`).
 */
export function runGrad(n: i32, k: i32, logitsAt: usize, rowsAt: usize, storeAt: usize): void {
  scan(n, k, logitsAt, rowsAt, storeAt, 1, 1);
}

// @ts-ignore: decorator
@inline function scan(n: i32, k: i32, logitsAt: usize, rowsAt: usize, storeAt: usize, wantStore: i32, wantGrad: i32): void {
  // Constants from memory (softmaxWasm.ts writes them), not v128.const: the optimizer would fold those back
  // into the loop, where V8 builds each one with three instructions per use (see binaryKernel.ts).
  const limit = v128.load64_splat(CONSTS);
  const invLn2 = v128.load64_splat(CONSTS + 8);
  const shift = v128.load64_splat(CONSTS + 16);
  const ln2Hi = v128.load64_splat(CONSTS + 24);
  const ln2Lo = v128.load64_splat(CONSTS + 32);
  const c2 = v128.load64_splat(CONSTS + 40);
  const minusC6 = v128.load64_splat(CONSTS + 48);
  const c24 = v128.load64_splat(CONSTS + 56);
  const minusC120 = v128.load64_splat(CONSTS + 64);
  const expBias = v128.load(CONSTS + 72);
  for (let i = 0; i < n; i++) {
    const rowAt = logitsAt + ((<usize>i * <usize>k) << 3);
    const out = rowsAt + (<usize>i << 5);
    let y = -1;
    let scale: f64 = 0.0;
    if (wantGrad) {
      y = <i32>load<f64>(out + 16);
      scale = load<f64>(out + 24);
    }
    // The maximum in two steps, f64x2: its value M (lane-wise a < b ? b : a, and whether any NaN), then
    // the first column equal to M. That is the column where scanRow's strict `v > m` stops (ties and
    // -0 = +0 do not move it), and m = z_a as there; a NaN or an infinite M flags the row either way.
    let mv = f64x2.splat(-Infinity);
    let nan = i64x2.splat(0);
    let j0 = 0;
    for (; j0 + 1 < k; j0 += 2) {
      const v = v128.load(rowAt + (<usize>j0 << 3));
      nan = v128.or(nan, f64x2.ne(v, v));
      mv = f64x2.pmax(mv, v);
    }
    let mx = f64x2.extract_lane(mv, 0);
    const m1 = f64x2.extract_lane(mv, 1);
    if (mx < m1) mx = m1;
    let bad = v128.any_true(nan);
    if (j0 < k) {
      const v = load<f64>(rowAt + (<usize>j0 << 3));
      if (v != v) bad = true;
      else if (mx < v) mx = v;
    }
    let a = 0;
    while (load<f64>(rowAt + (<usize>a << 3)) != mx && a < k - 1) a++;
    const m = load<f64>(rowAt + (<usize>a << 3));
    if (bad || m == Infinity || m == -Infinity) {
      store<f64>(out + 24, 1.0);
      continue;
    }
    // Pass 1: exp(d) and x e for every column (the argmax too: exp(0) = 1, unused), two columns per
    // f64x2 step; the exp as in binaryKernel.ts (d >= -700 here, so 2^k is normal and built from its bits).
    let low = false;
    const mV = f64x2.splat(m);
    const negM = f64x2.splat(-m);
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const v = v128.load(rowAt + (<usize>j << 3));
      const d = f64x2.sub(v, mV);
      const bb = f64x2.sub(d, v);
      const e = f64x2.add(f64x2.sub(v, f64x2.sub(d, bb)), f64x2.sub(negM, bb));
      if (v128.any_true(v128.not(f64x2.ge(d, limit)))) {
        low = true;
        break;
      }
      const x = expNegX2(f64x2.neg(d), invLn2, shift, ln2Hi, ln2Lo, c2, minusC6, c24, minusC120, expBias);
      v128.store(X + (<usize>j << 3), x);
      v128.store(XE + (<usize>j << 3), f64x2.mul(x, e));
    }
    for (; j < k && !low; j++) {
      const v = load<f64>(rowAt + (<usize>j << 3));
      const d = v - m;
      const bb = d - v;
      const e = v - (d - bb) + (-m - bb);
      if (!(d >= -700.0)) {
        low = true;
        break;
      }
      const x = expNonPositive(d);
      store<f64>(X + (<usize>j << 3), x);
      store<f64>(XE + (<usize>j << 3), x * e);
    }
    if (low) {
      store<f64>(out + 24, 1.0);
      continue;
    }
    // Pass 2: the compensated sums in column order, as scanRow.
    let sum: f64 = 0.0;
    let c: f64 = 0.0;
    let corr: f64 = 0.0;
    const storeRow = storeAt + ((<usize>i * <usize>k) << 3);
    for (let j = 0; j < k; j++) {
      if (j == a) continue;
      const x = load<f64>(X + (<usize>j << 3));
      const xe = load<f64>(XE + (<usize>j << 3));
      if (wantStore && !wantGrad) store<f64>(storeRow + (<usize>j << 3), x + xe);
      const t = sum + x;
      c += sum >= x ? sum - t + x : x - t + sum;
      sum = t;
      corr += xe;
    }
    const tail = sum + (c + corr);
    if (wantGrad) {
      if (y < 0) {
        // An ignored row (or weight 0): JavaScript writes 0 to every column.
        const zero = f64x2.splat(0.0);
        let j = 0;
        for (; j + 1 < k; j += 2) v128.store(storeRow + (<usize>j << 3), zero);
        if (j < k) store<f64>(storeRow + (<usize>j << 3), 0.0);
      } else {
        // Pass 3: s ((x + x e) inv) per column, as JavaScript's s (grad_j inv) on the stored x + x e.
        const inv = 1.0 / (1.0 + tail);
        const invV = f64x2.splat(inv);
        const scaleV = f64x2.splat(scale);
        let j = 0;
        for (; j + 1 < k; j += 2) {
          const x = f64x2.add(v128.load(X + (<usize>j << 3)), v128.load(XE + (<usize>j << 3)));
          v128.store(storeRow + (<usize>j << 3), f64x2.mul(scaleV, f64x2.mul(x, invV)));
        }
        if (j < k) {
          const x = load<f64>(X + (<usize>j << 3)) + load<f64>(XE + (<usize>j << 3));
          store<f64>(storeRow + (<usize>j << 3), scale * (x * inv));
        }
        // The argmax stored 1; the label column as JavaScript.
        store<f64>(storeRow + (<usize>a << 3), scale * (1.0 * inv));
        const py = (load<f64>(X + (<usize>y << 3)) + load<f64>(XE + (<usize>y << 3))) * inv;
        store<f64>(storeRow + (<usize>y << 3), scale * (y == a ? -(tail * inv) : py - 1.0));
      }
    } else if (wantStore) store<f64>(storeRow + (<usize>a << 3), 1.0);
    store<f64>(out, m);
    // With the gradient, m - z_y instead of the argmax (JavaScript's loss needs it, and reading z_y there
    // again would be a cache miss per row).
    store<f64>(out + 8, wantGrad ? (y >= 0 ? m - load<f64>(rowAt + (<usize>y << 3)) : 0.0) : <f64>a);
    store<f64>(out + 16, tail);
    store<f64>(out + 24, 0.0);
  }
}
