// AssemblyScript: the WebAssembly kernel of the softmax rows (src/core/softmaxRow.ts `scanRow`) for a whole
// batch of logit rows. Built by `npm run build` (scripts/build-wasm.mjs) into src/core/softmaxKernelWasm.ts;
// loaded by src/core/softmaxWasm.ts.
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

const BASE: usize = 65536;
const EXP2: usize = BASE;
const POW2: usize = BASE + 2048;
/** Scratch rows of up to 4096 columns: exp(d_j) and exp(d_j) e_j (e_j the TwoSum correction of d_j). */
const X: usize = BASE + 16384;
const XE: usize = BASE + 16384 + 32768;
/** The SIMD constants: -700, 128/ln 2, 1.5 2^52, ln2/128 head and tail, 1/2, 1/6, 1/24, 1/120, then i64x2 1023. */
const CONSTS: usize = BASE + 12288;

const INV_LN2_128: f64 = 184.6649652337873;
const LN2_128_HI: f64 = 0.0054152123482253955;
const LN2_128_LO: f64 = -1.0082281460997769e-13;
const SHIFT: f64 = 6755399441055744.0;

/** fastExp.ts `expNonPositive` for -700 <= x <= 0 (no guard needed there), operation for operation. */
// @ts-ignore: decorator
@inline function expNonPositive(x: f64): f64 {
  const t = x * INV_LN2_128 + SHIFT;
  const nd = t - SHIFT;
  const r = x - nd * LN2_128_HI - nd * LN2_128_LO;
  const n = <i32>nd;
  const j2 = (n & 127) << 1;
  const k = n >> 7;
  const hi = load<f64>(EXP2 + (<usize>j2 << 3));
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
  return (hi + (load<f64>(EXP2 + (<usize>(j2 + 1) << 3)) + hi * p)) * 0.5 * load<f64>(POW2 + (<usize>(k + 1101) << 3));
}

/**
 * Scans n rows of k logits at `logitsAt`. For row i writes at `rowsAt + 32 i`: the maximum m, its first
 * column a, the tail T, and a flag (1 when JavaScript must scan the row itself, else 0); with `wantStore`, writes
 * exp(z_j - m) (1 + e_j) to `storeAt` (1 at column a). Needs k <= 4096 (the scratch row).
 */
export function run(n: i32, k: i32, logitsAt: usize, rowsAt: usize, storeAt: usize, wantStore: i32): void {
  // Constants from memory (softmaxWasm.ts writes them), not v128.const: the optimizer would fold those back
  // into the loop, where V8 builds each one with three instructions per use (see binaryKernel.ts).
  const limit = v128.load64_splat(CONSTS);
  const invLn2 = v128.load64_splat(CONSTS + 8);
  const shift = v128.load64_splat(CONSTS + 16);
  const ln2Hi = v128.load64_splat(CONSTS + 24);
  const ln2Lo = v128.load64_splat(CONSTS + 32);
  const c2 = v128.load64_splat(CONSTS + 40);
  const c6 = v128.load64_splat(CONSTS + 48);
  const c24 = v128.load64_splat(CONSTS + 56);
  const c120 = v128.load64_splat(CONSTS + 64);
  const bias = v128.load(CONSTS + 72);
  for (let i = 0; i < n; i++) {
    const rowAt = logitsAt + ((<usize>i * <usize>k) << 3);
    const out = rowsAt + (<usize>i << 5);
    let m = -Infinity;
    let a = 0;
    let bad = false;
    for (let j = 0; j < k; j++) {
      const v = load<f64>(rowAt + (<usize>j << 3));
      if (v > m) {
        m = v;
        a = j;
      } else if (v != v) bad = true;
    }
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
      const t = f64x2.add(f64x2.mul(d, invLn2), shift);
      const nd = f64x2.sub(t, shift);
      const r = f64x2.sub(f64x2.sub(d, f64x2.mul(nd, ln2Hi)), f64x2.mul(nd, ln2Lo));
      const ni = i64x2.sub(t, shift);
      const e0 = v128.load(EXP2 + (<usize>(i32x4.extract_lane(ni, 0) & 127) << 4));
      const e1 = v128.load(EXP2 + (<usize>(i32x4.extract_lane(ni, 2) & 127) << 4));
      const hi = v128.shuffle<f64>(e0, e1, 0, 2);
      const lo = v128.shuffle<f64>(e0, e1, 1, 3);
      const scale = i64x2.shl(i64x2.add(i64x2.shr_s(ni, 7), bias), 52);
      const r2 = f64x2.mul(r, r);
      const p = f64x2.add(
        f64x2.add(r, f64x2.mul(r2, f64x2.add(c2, f64x2.mul(r, c6)))),
        f64x2.mul(f64x2.mul(r2, r2), f64x2.add(c24, f64x2.mul(r, c120))),
      );
      const x = f64x2.mul(f64x2.add(hi, f64x2.add(lo, f64x2.mul(hi, p))), scale);
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
      if (wantStore) store<f64>(storeRow + (<usize>j << 3), x + xe);
      const t = sum + x;
      c += sum >= x ? sum - t + x : x - t + sum;
      sum = t;
      corr += xe;
    }
    if (wantStore) store<f64>(storeRow + (<usize>a << 3), 1.0);
    store<f64>(out, m);
    store<f64>(out + 8, <f64>a);
    store<f64>(out + 16, sum + (c + corr));
    store<f64>(out + 24, 0.0);
  }
}
