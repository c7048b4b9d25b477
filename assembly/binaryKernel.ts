// AssemblyScript: the WebAssembly kernel of the logit-form binary cross-entropy (binaryCrossEntropyWithLogits,
// logisticLoss) without per-sample weights. Built by `npm run build:wasm` (scripts/build-wasm.mjs) into
// src/core/binaryKernelWasm.ts; loaded by src/core/binaryWasm.ts.
//
// Every operation below is the same IEEE double operation, in the same order, as the JavaScript path
// (src/core/fastExp.ts, fastLog1p.ts, binaryTerms.ts: logitLoss, logitGrad, and the loop in binaryBatch.ts),
// and WebAssembly has no fused multiply-add or other contraction: so the two paths give bit-identical
// results, which the tests check. See those files for the derivations; only the memory layout is new here.
//
// Memory (set up by binaryWasm.ts): from BASE, the exp table (2^(j/128) as hi, lo pairs), the log table
// (log(1 + j/1024) as hi, lo pairs), the powers of two 2^i for i = -1100..1, the SIMD constants, two scratch
// blocks, the parameters and the sums (see the constants below); then the caller's labels,
// logits and the gradient, as f64, at the offsets passed to `run`.

const BASE: usize = 65536;
const EXP2: usize = BASE;
const LOG: usize = BASE + 2048;
const POW2: usize = BASE + 2048 + 16400;

import { expNonPositiveAt, expX2 } from "./expKernel";

/** 1.5 2^52: adding and subtracting it rounds to an integer (the log1p table index). */
const SHIFT: f64 = 6755399441055744.0;

let sum: f64 = -0.0;
let comp: f64 = -0.0;

/** Starts a new compensated sum (a batch may be run in several calls). */
export function reset(): void {
  sum = -0.0;
  comp = -0.0;
}

/** Where `run` leaves the sum and its compensation for JavaScript to read (binaryWasm.ts SUMS_AT). */
const SUMS_AT: usize = BASE + 32768 - 16;
/** Where `run` reads posWeight, keep, half and divisor (binaryWasm.ts PARAMS_AT). */
const PARAMS_AT: usize = BASE + 32768 - 48;
/**
 * The SIMD loop's constants (binaryWasm.ts writes them): 1, 0.5, 708, 128/ln 2, 1.5 2^52, ln2/128 head and
 * tail, 1/6, 1/24, 1/120, 1024, 1/1024, -1/2, 1/3, -1/4, 1/5, -1/6, -1, then the i64x2 (1023, 1023).
 */
const CONSTS: usize = BASE + 28672;

// @ts-ignore: decorator
@inline function expNonPositive(x: f64): f64 {
  if (!(x > -746.0)) return x == x ? 0.0 : x;
  return expNonPositiveAt(x, EXP2, POW2);
}

// @ts-ignore: decorator
@inline function log1pUnit(x: f64): f64 {
  const nearest = x * 1024.0 + SHIFT - SHIFT;
  const jd = nearest * (nearest > 1.0 ? 1.0 : 0.0);
  const j = <i32>jd;
  const m = jd * 0.0009765625;
  const t = (x - m) / (1.0 + m);
  const t2 = t * t;
  const q = t + t2 * (-0.5 + t * 0.3333333333333333 + t2 * (-0.25 + t * 0.2 + t2 * -0.16666666666666666));
  const at = LOG + (<usize>j << 4);
  return load<f64>(at) + (load<f64>(at + 8) + q);
}

// The parameters of the current pass, set by `run` (globals, so that `step` needs no arguments but i).
let gLabels: usize = 0;
let gLogits: usize = 0;
let gGrad: usize = 0;
let gSign: i32 = 0;
let gWantLoss: i32 = 0;
let gWantGrad: i32 = 0;
let gPosWeight: f64 = 1.0;
let gKeep: f64 = 1.0;
let gHalf: f64 = 0.0;
let gDivisor: f64 = 1.0;

/** One sample, scalar: the JavaScript loop's body. Returns false for an invalid label or logit. */
function step(i: i32): bool {
  const at = <usize>i << 3;
  let y = load<f64>(gLabels + at);
  if (gSign) {
    if (y != 1.0 && y != -1.0) return false;
    y = (y + 1.0) * 0.5;
  } else if (!(y >= 0.0 && y <= 1.0)) return false;
  y = y * gKeep + gHalf;
  const s = load<f64>(gLogits + at);
  if (s != s) return false;
  const z = abs<f64>(s);
  const e = expNonPositive(-z);
  const posWeight = gPosWeight;
  if (gWantLoss) {
    let loss: f64;
    const a = log1pUnit(e);
    if (z == Infinity) {
      const coefficient = s > 0 ? 1.0 - y : posWeight * y;
      loss = coefficient == 0.0 ? 0.0 : Infinity;
    } else {
      const halfS = 0.5 * s;
      const halfZ = 0.5 * z;
      loss = posWeight * y * (a + (halfZ - halfS)) + (1.0 - y) * (a + (halfZ + halfS));
    }
    add(loss);
  }
  if (gWantGrad) {
    const big = 1.0 / (1.0 + e);
    const small = e * big;
    const sigmoidS = s >= 0.0 ? big : small;
    const sigmoidMinusS = s >= 0.0 ? small : big;
    let g: f64;
    if (posWeight == 1.0) {
      if (y == 1.0) g = -sigmoidMinusS;
      else if (y == 0.0) g = sigmoidS;
      else g = s >= 0.0 ? 1.0 - y - sigmoidMinusS : sigmoidS - y;
    } else g = (1.0 - y) * sigmoidS - posWeight * y * sigmoidMinusS;
    store<f64>(gGrad + at, g / gDivisor);
  }
  return true;
}

/** Neumaier's step, in sample order (as the JavaScript loop), so the sums agree bit for bit. */
// @ts-ignore: decorator
@inline function add(loss: f64): void {
  const s0 = sum;
  const t = s0 + loss;
  comp += s0 >= loss ? s0 - t + loss : loss - t + s0;
  sum = t;
}

/**
 * One pass over n samples: labels at `labelsAt`, logits at `logitsAt` (f64), the gradient of the reduced loss
 * to `gradAt` when `wantGrad`; posWeight, keep, half (label smoothing: y keep + half) and the reduction's
 * divisor at PARAMS_AT. Adds the losses to the compensated sum when `wantLoss`. Returns -1, or the
 * index of the first sample whose label or logit is invalid (the caller then runs the JavaScript path, which
 * throws the error with its message).
 *
 * Two samples at a time in f64x2 lanes (WebAssembly SIMD): the same operations on each lane as `step`, so
 * the same bits. The table lookups are per lane (WebAssembly has no gather). A pair with anything unusual
 * (an invalid input, |s| >= 708 where exp needs its guard or its result is subnormal, an infinite s) goes
 * through `step` instead, in its place in the sample order.
 *
 * Blocks of 128 samples, three passes each: (A) checks and e = exp(-|s|) into a scratch block (NaN marks a
 * pair for `step`), (B) a = log1p(e) into a second scratch block, (C) in sample order: the loss, its
 * compensated sum and the gradient. The arithmetic is the same as in one pass; what changes is the length
 * of each loop's dependency chain. One pass chained exp -> log1p -> loss -> sum in every iteration, and the
 * CPU could overlap only a few iterations of that long chain; short loops overlap many. Measured (kernel
 * alone, N = 10^6): one pass 15.2 ns per sample, two passes (exp apart) 11.7, three 8.9; a fourth pass for
 * the gradient made it slower (10.4).
 */
export function run(
  n: i32,
  labelsAt: usize,
  logitsAt: usize,
  gradAt: usize,
  signLabels: i32,
  wantLoss: i32,
  wantGrad: i32,
): i32 {
  const posWeight = load<f64>(PARAMS_AT);
  const keep = load<f64>(PARAMS_AT + 8);
  const half = load<f64>(PARAMS_AT + 16);
  const divisor = load<f64>(PARAMS_AT + 24);
  gLabels = labelsAt;
  gLogits = logitsAt;
  gGrad = gradAt;
  gSign = signLabels;
  gWantLoss = wantLoss;
  gWantGrad = wantGrad;
  gPosWeight = posWeight;
  gKeep = keep;
  gHalf = half;
  gDivisor = divisor;
  // Constants from memory (written once by binaryWasm.ts), not as v128.const: the optimizer would fold
  // those back into the loop, where V8 builds each with three instructions per use.
  const one = v128.load64_splat(CONSTS);
  const zero = f64x2.splat(0.0);
  const halfV = v128.load64_splat(CONSTS + 8);
  const keepV = f64x2.splat(keep);
  const halfLabel = f64x2.splat(half);
  const posWeightV = f64x2.splat(posWeight);
  const divisorV = f64x2.splat(divisor);
  const limit = v128.load64_splat(CONSTS + 16);
  const invLn2 = v128.load64_splat(CONSTS + 24);
  const shift = v128.load64_splat(CONSTS + 32);
  const ln2Hi = v128.load64_splat(CONSTS + 40);
  const ln2Lo = v128.load64_splat(CONSTS + 48);
  const c6 = v128.load64_splat(CONSTS + 56);
  const c24 = v128.load64_splat(CONSTS + 64);
  const c120 = v128.load64_splat(CONSTS + 72);
  const k1024 = v128.load64_splat(CONSTS + 80);
  const inv1024 = v128.load64_splat(CONSTS + 88);
  const d2 = v128.load64_splat(CONSTS + 96);
  const d3 = v128.load64_splat(CONSTS + 104);
  const d4 = v128.load64_splat(CONSTS + 112);
  const d5 = v128.load64_splat(CONSTS + 120);
  const d6 = v128.load64_splat(CONSTS + 128);
  const minusOne = v128.load64_splat(CONSTS + 136);
  const bias = v128.load(CONSTS + 144); // i64x2 1023
  let i = 0;
  // Scratch blocks of 128 f64: e (pass A) and a = log1p(e) (pass B), between the constants and PARAMS_AT.
  const E: usize = BASE + 29696;
  const A: usize = BASE + 30720;
  const pairsEnd = n & ~1;
  let ls = sum;
  let lc = comp;
  while (i < pairsEnd) {
    const b = i;
    const end = min(i + 128, pairsEnd);
    for (let q = b; q < end; q += 2) {
      const at = <usize>q << 3;
      const y = v128.load(labelsAt + at);
      const s = v128.load(logitsAt + at);
      const z = f64x2.abs(s);
      let unusual = v128.not(f64x2.lt(z, limit));
      if (signLabels) unusual = v128.or(unusual, v128.and(f64x2.ne(y, one), f64x2.ne(y, minusOne)));
      else unusual = v128.or(unusual, v128.not(v128.and(f64x2.ge(y, zero), f64x2.le(y, one))));
      if (v128.any_true(unusual)) {
        v128.store(E + (<usize>(q - b) << 3), f64x2.splat(NaN));
        continue;
      }
      const x = f64x2.neg(z);
      v128.store(E + (<usize>(q - b) << 3), expX2(x, EXP2, invLn2, shift, ln2Hi, ln2Lo, halfV, c6, c24, c120, bias));
    }
    if (wantLoss) {
      for (let q = b; q < end; q += 2) {
        const e = v128.load(E + (<usize>(q - b) << 3));
        const u = f64x2.add(f64x2.mul(e, k1024), shift);
        const nearest = f64x2.sub(u, shift);
        const jd = f64x2.mul(nearest, v128.and(f64x2.gt(nearest, one), one));
        const ji = i64x2.sub(u, shift);
        let j0 = i32x4.extract_lane(ji, 0);
        let j1 = i32x4.extract_lane(ji, 2);
        j0 = j0 > 1 ? j0 : 0;
        j1 = j1 > 1 ? j1 : 0;
        const m = f64x2.mul(jd, inv1024);
        const tt = f64x2.div(f64x2.sub(e, m), f64x2.add(one, m));
        const t2 = f64x2.mul(tt, tt);
        const qq = f64x2.add(tt, f64x2.mul(t2, f64x2.add(
          f64x2.add(d2, f64x2.mul(tt, d3)),
          f64x2.mul(t2, f64x2.add(f64x2.add(d4, f64x2.mul(tt, d5)), f64x2.mul(t2, d6))),
        )));
        // `& 2047`: a pair marked NaN in pass A gets a meaningless index, kept inside the memory; its a is
        // never used (pass C hands the pair to `step`).
        const l0 = v128.load(LOG + (<usize>(j0 & 2047) << 4));
        const l1 = v128.load(LOG + (<usize>(j1 & 2047) << 4));
        v128.store(A + (<usize>(q - b) << 3), f64x2.add(v128.shuffle<f64>(l0, l1, 0, 2), f64x2.add(v128.shuffle<f64>(l0, l1, 1, 3), qq)));
      }
    }
    for (; i < end; i += 2) {
      const at = <usize>i << 3;
      const e = v128.load(E + (<usize>(i - b) << 3));
      if (v128.any_true(f64x2.ne(e, e))) {
        sum = ls;
        comp = lc;
        if (!step(i)) return i;
        if (!step(i + 1)) return i + 1;
        ls = sum;
        lc = comp;
        continue;
      }
      let y = v128.load(labelsAt + at);
      const s = v128.load(logitsAt + at);
      const z = f64x2.abs(s);
      if (signLabels) y = f64x2.mul(f64x2.add(y, one), halfV);
      y = f64x2.add(f64x2.mul(y, keepV), halfLabel);
      if (wantLoss) {
        const a = v128.load(A + (<usize>(i - b) << 3));
        const halfS = f64x2.mul(halfV, s);
        const halfZ = f64x2.mul(halfV, z);
        const loss = f64x2.add(
          f64x2.mul(f64x2.mul(posWeightV, y), f64x2.add(a, f64x2.sub(halfZ, halfS))),
          f64x2.mul(f64x2.sub(one, y), f64x2.add(a, f64x2.add(halfZ, halfS))),
        );
        // Neumaier's step in sample order, as the JavaScript loop, so that the sums agree bit for bit (two
        // lane-wise sums merged at the end would save about 0.6 ns per sample, measured, and lose that).
        // In locals (ls, lc), not the globals `add` uses: V8 keeps a global in memory, a store and a load
        // in the chain of every addition.
        const l0 = f64x2.extract_lane(loss, 0);
        let t = ls + l0;
        lc += ls >= l0 ? ls - t + l0 : l0 - t + ls;
        ls = t;
        const l1 = f64x2.extract_lane(loss, 1);
        t = ls + l1;
        lc += ls >= l1 ? ls - t + l1 : l1 - t + ls;
        ls = t;
      }
      if (wantGrad) {
        // logitGrad's branches as bit-mask selects (exact: a select moves bits, no arithmetic).
        const big = f64x2.div(one, f64x2.add(one, e));
        const small = f64x2.mul(e, big);
        const nonNegative = f64x2.ge(s, zero);
        const sigmoidS = v128.bitselect(big, small, nonNegative);
        const sigmoidMinusS = v128.bitselect(small, big, nonNegative);
        let g: v128;
        if (posWeight == 1.0) {
          const soft = v128.bitselect(
            f64x2.sub(f64x2.sub(one, y), sigmoidMinusS), f64x2.sub(sigmoidS, y), nonNegative);
          g = v128.bitselect(f64x2.neg(sigmoidMinusS), v128.bitselect(sigmoidS, soft, f64x2.eq(y, zero)), f64x2.eq(y, one));
        } else {
          g = f64x2.sub(f64x2.mul(f64x2.sub(one, y), sigmoidS), f64x2.mul(f64x2.mul(posWeightV, y), sigmoidMinusS));
        }
        v128.store(gradAt + at, f64x2.div(g, divisorV));
      }
    }
  }
  sum = ls;
  comp = lc;
  for (; i < n; i++) if (!step(i)) return i;
  store<f64>(SUMS_AT, sum);
  store<f64>(SUMS_AT + 8, comp);
  return -1;
}
