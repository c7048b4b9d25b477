// AssemblyScript: the WebAssembly kernel of the logit-form binary cross-entropy (binaryCrossEntropyWithLogits,
// logisticLoss) without per-sample weights. Built by `npm run build:wasm` (scripts/build-wasm.mjs) into
// src/core/kernels/binaryKernelWasm.ts; loaded by src/core/kernels/binaryWasm.ts.
//
// Every operation below is the same IEEE double operation, in the same order, as the JavaScript path
// (src/core/numerics/fastExp.ts, fastLog1pExp.ts, binaryTerms.ts: logitLoss, logitGrad, and the loop in binaryBatch.ts),
// and WebAssembly has no fused multiply-add or other contraction: so the two paths give bit-identical
// results, which the tests check. See those files for the derivations; only the memory layout is new here.
//
// Memory (set up by binaryWasm.ts): from BASE, the exp table (2^(j/128) as hi, lo pairs), room that held a
// log1p table (unused now), the powers of two 2^i for i = -1100..1, the SIMD constants, two scratch
// blocks, the parameters and the sums (see the constants below); then one chunk of the caller's labels,
// logits and gradient (binaryWasm.ts CHUNK samples), as f64, at the offsets passed to `run`; then the table
// of log(1 + e^-z) (src/core/numerics/fastLog1pExp.ts; LOG1P_EXP below).

import { EXP2_AT, expNegX2, expNonPositiveAt } from "./expKernel";

const BASE: usize = 65536;
const EXP2: usize = EXP2_AT; // = BASE
const POW2: usize = BASE + 2048 + 16400;


/**
 * The table of log(1 + e^-z) at z_i = i/64, i = 0..2560 (fastLog1pExp.ts LOG1P_EXP_TABLE: hi, lo, sigma_i,
 * 0 per point, 32 bytes), after the batch chunk (binaryWasm.ts LOG1P_EXP_AT, which writes it), with room for 4096 points: the
 * vector pass masks its index to 4095, so that a lane with z >= 40 (recomputed, see `fixLarge`) or NaN
 * (an invalid logit, see `run`) reads inside the memory.
 */
const LOG1P_EXP: usize = 65536 + 32768 + 24 * 8192;
/** The tails of e^-z_i (fastLog1pExp.ts EXP_NEG_TAIL), after that table's room (4096 points, 8 bytes each). */
const EXP_NEG_TAIL: usize = LOG1P_EXP + 4096 * 32;

/** 1.5 2^52: adding and subtracting it rounds to an integer (the table index). */
const SHIFT: f64 = 6755399441055744.0;

// The compensated sum of the losses in two lanes: sample i goes to lane i & 1 (s0, c0 for even i; s1, c1
// for odd i), as in the JavaScript loop (binaryBatch.ts), which merges the lanes at the end. Two lanes, so
// that the SIMD loop adds a pair of losses with one f64x2 TwoSum instead of two scalar additions in a chain.
let s0: f64 = -0.0;
let s1: f64 = -0.0;
let c0: f64 = -0.0;
let c1: f64 = -0.0;

/** Starts a new compensated sum (a batch may be run in several calls). */
export function reset(): void {
  s0 = -0.0;
  s1 = -0.0;
  c0 = -0.0;
  c1 = -0.0;
}

/** Where `run` leaves the lane sums s0, s1, c0, c1 for JavaScript to read (binaryWasm.ts SUMS_AT). */
const SUMS_AT: usize = BASE + 32768 - 32;
/** Where `run` reads posWeight, keep, half and divisor (binaryWasm.ts PARAMS_AT). */
const PARAMS_AT: usize = BASE + 32768 - 64;
/**
 * The SIMD loop's constants (binaryWasm.ts writes them): 1, 0.5, 708, 128/ln 2, 1.5 2^52, ln2/128 head and
 * tail, 1/6, 1/24, 1/120, 1024, 1/1024, -1/2, 1/3, -1/4, 1/5, -1/6, -1, then the i64x2 expBias
 * (expKernel.ts `expNegX2`), -1/6 and -1/120 (the same).
 */
const CONSTS: usize = BASE + 28672;

// @ts-ignore: decorator
@inline function expNonPositive(x: f64): f64 {
  if (!(x > -746.0)) return x == x ? 0.0 : x;
  return expNonPositiveAt(x, EXP2, POW2);
}

/** fastLog1pExp.ts `log1pExpNegative`: log(1 + e^-z) for 0 <= z < 40, the same operations. */
// @ts-ignore: decorator
@inline function log1pExpNegative(z: f64): f64 {
  const z64 = z * 64.0;
  const nd = z64 + SHIFT - SHIFT;
  const r = (z64 - nd) * 0.015625;
  const at = LOG1P_EXP + (<usize>(<i32>nd) << 5);
  const r2 = r * r;
  const q = r2 * (0.5 + r * -0.16666666666666666) - r + r2 * r2 * (0.041666666666666664 + r * -0.008333333333333333 + r2 * 0.001388888888888889);
  const w = load<f64>(at + 16) * q;
  const w2 = w * w;
  const l = w + w2 * (-0.5 + w * 0.3333333333333333 + w2 * (-0.25 + w * 0.2 + w2 * -0.16666666666666666));
  return load<f64>(at) + (load<f64>(at + 8) + l);
}

/** fastLog1pExp.ts `expNegative`: e^-z for 0 <= z < 40, the same operations. */
// @ts-ignore: decorator
@inline function expNegative(z: f64): f64 {
  const z64 = z * 64.0;
  const nd = z64 + SHIFT - SHIFT;
  const r = (z64 - nd) * 0.015625;
  const i = <usize>(<i32>nd);
  const r2 = r * r;
  const q = r2 * (0.5 + r * -0.16666666666666666) - r + r2 * r2 * (0.041666666666666664 + r * -0.008333333333333333 + r2 * 0.001388888888888889);
  const hi = load<f64>(LOG1P_EXP + (i << 5) + 24);
  return hi + (load<f64>(EXP_NEG_TAIL + (i << 3)) + hi * q);
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
  // binaryTerms.ts: e = logitExp(z).
  const e = z < 40.0 ? expNegative(z) : expNonPositive(-z);
  const posWeight = gPosWeight;
  if (gWantLoss) {
    let loss: f64;
    // binaryTerms.ts logitLoss: log1p(e) from z below 40, e itself beyond (where log1p(e) rounds to e).
    const a = z < 40.0 ? log1pExpNegative(z) : e;
    if (z == Infinity) {
      const coefficient = s > 0 ? 1.0 - y : posWeight * y;
      loss = coefficient == 0.0 ? 0.0 : Infinity;
    } else {
      const halfS = 0.5 * s;
      const halfZ = 0.5 * z;
      loss = posWeight * y * (a + (halfZ - halfS)) + (1.0 - y) * (a + (halfZ + halfS));
    }
    add(i, loss);
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

/**
 * Neumaier's step into the lane of sample i, as the JavaScript loop. Its correction s - t + loss (or
 * loss - t + s) is the exact rounding error of s + loss, as is the SIMD loop's TwoSum correction: so the two
 * forms of the step leave the same bits (while the sum is finite; an infinite sum ignores its correction).
 */
// @ts-ignore: decorator
@inline function add(i: i32, loss: f64): void {
  if (i & 1) {
    const t = s1 + loss;
    c1 += s1 >= loss ? s1 - t + loss : loss - t + s1;
    s1 = t;
  } else {
    const t = s0 + loss;
    c0 += s0 >= loss ? s0 - t + loss : loss - t + s0;
    s0 = t;
  }
}


// Scratch blocks of 128 f64: e and a = log1p(e) (pass B, or exp beyond |s| = 40), between the constants and PARAMS_AT.
const E: usize = BASE + 29696;
const A: usize = BASE + 30720;

/** A third scratch block of 128 f64, for `fixLarge` (in the room that held a log1p table). */
const X: usize = BASE + 2048;

/**
 * exp(-|s|) for samples [b, end) into `out` (expKernel.ts `expNegX2`), assuming |s| <= 708 (pass C checks
 * that, and a block where it fails is marked by `markUnusual` and run again): for the lanes with |s| >= 40,
 * beyond pass B's table (`fixLarge`).
 */
function passA(b: i32, end: i32, logitsAt: usize, out: usize): void {
  const halfV = v128.load64_splat(CONSTS + 8);
  const invLn2 = v128.load64_splat(CONSTS + 24);
  const shift = v128.load64_splat(CONSTS + 32);
  const ln2Hi = v128.load64_splat(CONSTS + 40);
  const ln2Lo = v128.load64_splat(CONSTS + 48);
  const minusC6 = v128.load64_splat(CONSTS + 160);
  const c24 = v128.load64_splat(CONSTS + 64);
  const minusC120 = v128.load64_splat(CONSTS + 168);
  const expBias = v128.load(CONSTS + 144);
  for (let q = b; q < end; q += 2) {
    const z = f64x2.abs(v128.load(logitsAt + (<usize>q << 3)));
    v128.store(out + (<usize>(q - b) << 3), expNegX2(z, invLn2, shift, ln2Hi, ln2Lo, halfV, minusC6, c24, minusC120, expBias));
  }
}

/** For a block with an unusual pair: marks each unusual pair with NaN in E and A. */
function markUnusual(b: i32, end: i32, labelsAt: usize, logitsAt: usize, signLabels: i32): bool {
  let marked = false;
  const one = v128.load64_splat(CONSTS);
  const zero = f64x2.splat(0.0);
  const limit = v128.load64_splat(CONSTS + 16);
  const minusOne = v128.load64_splat(CONSTS + 136);
  for (let q = b; q < end; q += 2) {
    const at = <usize>q << 3;
    const y = v128.load(labelsAt + at);
    const z = f64x2.abs(v128.load(logitsAt + at));
    let unusual = v128.not(f64x2.lt(z, limit));
    if (signLabels) unusual = v128.or(unusual, v128.and(f64x2.ne(y, one), f64x2.ne(y, minusOne)));
    else unusual = v128.or(unusual, v128.not(v128.and(f64x2.ge(y, zero), f64x2.le(y, one))));
    if (v128.any_true(unusual)) {
      v128.store(E + (<usize>(q - b) << 3), f64x2.splat(NaN));
      v128.store(A + (<usize>(q - b) << 3), f64x2.splat(NaN));
      marked = true;
    }
  }
  return marked;
}

/**
 * Pass B over samples [b, end), from z = |s| and the table at z_i = i/64 (fastLog1pExp.ts, the same operations
 * on two lanes; see there for the method and its error), assuming z < 40: a = log(1 + e^-z) into A
 * (`log1pExpNegative`) when `wantLoss`, e = e^-z into E (`expNegative`) when `wantGrad`; both share the
 * reduction and expm1(-r). Returns whether a lane had z >= 40 (or +Infinity; not NaN, which pass C's checks
 * catch): `fixLarge` then replaces those lanes. The index is masked to the table's room (LOG1P_EXP). The 13
 * constants of the loss stay in registers.
 */
// @ts-ignore: decorator
@inline function passBLoop(b: i32, end: i32, logitsAt: usize, wantLoss: bool, wantGrad: bool): bool {
  const k64 = v128.load64_splat(CONSTS + 176);
  const inv64 = v128.load64_splat(CONSTS + 184);
  const shift = v128.load64_splat(CONSTS + 32);
  const c2 = v128.load64_splat(CONSTS + 8);
  const minusC6 = v128.load64_splat(CONSTS + 160);
  const c24 = v128.load64_splat(CONSTS + 64);
  const minusC120 = v128.load64_splat(CONSTS + 168);
  const c720 = v128.load64_splat(CONSTS + 192);
  const d2 = v128.load64_splat(CONSTS + 96);
  const d3 = v128.load64_splat(CONSTS + 104);
  const d4 = v128.load64_splat(CONSTS + 112);
  const d5 = v128.load64_splat(CONSTS + 120);
  const d6 = v128.load64_splat(CONSTS + 128);
  let zMax = f64x2.splat(0.0);
  for (let q = b; q < end; q += 2) {
    const z = f64x2.abs(v128.load(logitsAt + (<usize>q << 3)));
    zMax = f64x2.pmax(zMax, z);
    const z64 = f64x2.mul(z, k64);
    const t = f64x2.add(z64, shift);
    const r = f64x2.mul(f64x2.sub(z64, f64x2.sub(t, shift)), inv64);
    const i0 = <usize>(i32x4.extract_lane(t, 0) & 4095);
    const i1 = <usize>(i32x4.extract_lane(t, 2) & 4095);
    const half0 = v128.load(i0 << 5, LOG1P_EXP + 16);
    const half1 = v128.load(i1 << 5, LOG1P_EXP + 16);
    const r2 = f64x2.mul(r, r);
    const em = f64x2.add(
      f64x2.sub(f64x2.mul(r2, f64x2.add(c2, f64x2.mul(r, minusC6))), r),
      f64x2.mul(f64x2.mul(r2, r2), f64x2.add(f64x2.add(c24, f64x2.mul(r, minusC120)), f64x2.mul(r2, c720))),
    );
    const at = <usize>(q - b) << 3;
    if (wantLoss) {
      const head0 = v128.load(i0 << 5, LOG1P_EXP);
      const head1 = v128.load(i1 << 5, LOG1P_EXP);
      const w = f64x2.mul(v128.shuffle<f64>(half0, half1, 0, 2), em);
      const w2 = f64x2.mul(w, w);
      const l = f64x2.add(w, f64x2.mul(w2, f64x2.add(
        f64x2.add(d2, f64x2.mul(w, d3)),
        f64x2.mul(w2, f64x2.add(f64x2.add(d4, f64x2.mul(w, d5)), f64x2.mul(w2, d6))),
      )));
      v128.store(A + at, f64x2.add(v128.shuffle<f64>(head0, head1, 0, 2), f64x2.add(v128.shuffle<f64>(head0, head1, 1, 3), l)));
    }
    if (wantGrad) {
      const hi = v128.shuffle<f64>(half0, half1, 1, 3);
      const lo = v128.load64_lane(i1 << 3, v128.load64_zero(EXP_NEG_TAIL + (i0 << 3)), 1, EXP_NEG_TAIL);
      v128.store(E + at, f64x2.add(hi, f64x2.add(lo, f64x2.mul(hi, em))));
    }
  }
  return v128.any_true(f64x2.ge(zMax, v128.load64_splat(CONSTS + 200)));
}

/** Pass B, one loop per case (see `passC` on why). */
function passB(b: i32, end: i32, logitsAt: usize, wantLoss: bool, wantGrad: bool): bool {
  if (wantLoss && wantGrad) return passBLoop(b, end, logitsAt, true, true);
  if (wantLoss) return passBLoop(b, end, logitsAt, true, false);
  return passBLoop(b, end, logitsAt, false, true);
}

/**
 * For a block where pass B met |s| >= 40: exp(-|s|) (pass A) in those lanes, into E, and into A as
 * log1p(e), which rounds to e there (binaryTerms.ts `logitLoss`). Selects, so the other lanes keep their bits.
 * Returns whether a lane is beyond 708 (or NaN): the block then goes to the careful loop.
 */
function fixLarge(b: i32, end: i32, logitsAt: usize, wantLoss: bool, wantGrad: bool): bool {
  passA(b, end, logitsAt, X);
  const limit = v128.load64_splat(CONSTS + 200);
  const limitExp = v128.load64_splat(CONSTS + 16);
  let usual = i64x2.splat(-1);
  for (let q = b; q < end; q += 2) {
    const at = <usize>(q - b) << 3;
    const z = f64x2.abs(v128.load(logitsAt + (<usize>q << 3)));
    const small = f64x2.lt(z, limit);
    usual = v128.and(usual, f64x2.lt(z, limitExp));
    const e = v128.load(X + at);
    if (wantLoss) v128.store(A + at, v128.bitselect(v128.load(A + at), e, small));
    if (wantGrad) v128.store(E + at, v128.bitselect(v128.load(E + at), e, small));
  }
  return !i64x2.all_true(usual);
}

/**
 * Pass C over samples [b, end): losses into the lane sums, gradient; -1 or the first invalid index.
 * Written once, inlined with constant flags into a loop per common case (see `passC`), where the optimizer
 * removes the tests of the flags: `sign` ({-1, +1} labels), `smooth` (label smoothing: y keep + half, which
 * is y itself when keep = 1, half = 0, for every valid y but -0, whose sign no result keeps), `unit`
 * (posWeight = 1), `careful` (the block has pairs marked for `step`) and `hard` (every label 0 or 1: with
 * posWeight 1 and no smoothing the loss and gradient then take fewer operations, with the same bits, below;
 * a label in between fails the block's check, and the caller runs the block again with `hard` false).
 */
// @ts-ignore: decorator
@inline function passCLoop(b: i32, end: i32, labelsAt: usize, logitsAt: usize, gradAt: usize,
  sign: bool, wantLoss: bool, wantGrad: bool, unit: bool, smooth: bool, careful: bool, hard: bool): i32 {
  const one = v128.load64_splat(CONSTS);
  const signBit = f64x2.splat(-0.0);
  const zero = f64x2.splat(0.0);
  const halfV = v128.load64_splat(CONSTS + 8);
  const keepV = f64x2.splat(gKeep);
  const halfLabel = f64x2.splat(gHalf);
  const posWeightV = f64x2.splat(gPosWeight);
  const divisorV = f64x2.splat(gDivisor);
  const limit = v128.load64_splat(CONSTS + 16);
  const minusOne = v128.load64_splat(CONSTS + 136);
  let sums = f64x2.replace_lane(f64x2.splat(s0), 1, s1);
  let comps = f64x2.replace_lane(f64x2.splat(c0), 1, c1);
  let usual = i64x2.splat(-1);
  let i = b;
  for (; i < end; i += 2) {
    const at = <usize>i << 3;
    const e = v128.load(E + (<usize>(i - b) << 3));
    if (careful) {
      // The mark (markUnusual) in A, or in E for the gradient alone (E is not computed for the loss alone).
      const mark = wantLoss ? v128.load(A + (<usize>(i - b) << 3)) : e;
      if (v128.any_true(f64x2.ne(mark, mark))) {
        s0 = f64x2.extract_lane(sums, 0);
        s1 = f64x2.extract_lane(sums, 1);
        c0 = f64x2.extract_lane(comps, 0);
        c1 = f64x2.extract_lane(comps, 1);
        if (!step(i)) return i;
        if (!step(i + 1)) return i + 1;
        sums = f64x2.replace_lane(f64x2.splat(s0), 1, s1);
        comps = f64x2.replace_lane(f64x2.splat(c0), 1, c1);
        continue;
      }
    }
    let y = v128.load(labelsAt + at);
    const s = v128.load(logitsAt + at);
    const z = f64x2.abs(s);
    if (!careful) {
      // The checks that passes A and B skipped: a valid label, |s| < 708 (NaN fails). With the loss, |s| >= 708
      // was caught by `fixLarge` (the block went to the careful loop) and a NaN logit makes a NaN loss, so
      // a NaN lane sum at the end of the block (see below) catches it: only the labels are checked here.
      if (!wantLoss) usual = v128.and(usual, f64x2.lt(z, limit));
      if (sign) usual = v128.and(usual, v128.or(f64x2.eq(y, one), f64x2.eq(y, minusOne)));
      else if (hard) usual = v128.and(usual, v128.or(f64x2.eq(y, zero), f64x2.eq(y, one)));
      else usual = v128.and(usual, v128.and(f64x2.ge(y, zero), f64x2.le(y, one)));
    }
    if (sign) y = f64x2.mul(f64x2.add(y, one), halfV);
    if (smooth) y = f64x2.add(f64x2.mul(y, keepV), halfLabel);
    if (wantLoss) {
      const a = v128.load(A + (<usize>(i - b) << 3));
      const halfS = f64x2.mul(halfV, s);
      const halfZ = f64x2.mul(halfV, z);
      let loss: v128;
      if (hard) {
        // y = 1: 1 (a + (|s|/2 - s/2)) + 0 (...) is a + (|s|/2 - s/2) itself (adding +0 to a value >= +0);
        // y = 0 likewise a + (|s|/2 + s/2). And |s|/2 -+ s/2 is max(-+s, 0), +0 for s = +-0 (halving is exact
        // but for subnormal s, where either is far below half an ulp of a = log(1 + e^-|s|) ~ ln 2): so
        // a + max(u, 0) with u = s, its sign flipped where y = 1 (pmax(0, u): u if 0 < u, else +0), the same bits.
        const u = v128.xor(s, v128.and(f64x2.eq(y, one), signBit));
        loss = f64x2.add(a, f64x2.pmax(zero, u));
      } else {
        const wy = unit ? y : f64x2.mul(posWeightV, y);
        loss = f64x2.add(
          f64x2.mul(wy, f64x2.add(a, f64x2.sub(halfZ, halfS))),
          f64x2.mul(f64x2.sub(one, y), f64x2.add(a, f64x2.add(halfZ, halfS))),
        );
      }
      // Knuth's TwoSum per lane: the exact rounding error of sums + loss, branch-free, so the same bits as
      // Neumaier's step of the JavaScript loop (see `add`).
      const t = f64x2.add(sums, loss);
      const bp = f64x2.sub(t, sums);
      comps = f64x2.add(comps, f64x2.add(f64x2.sub(sums, f64x2.sub(t, bp)), f64x2.sub(loss, bp)));
      sums = t;
    }
    if (wantGrad) {
      // logitGrad's branches as bit-mask selects (exact: a select moves bits, no arithmetic).
      const big = f64x2.div(one, f64x2.add(one, e));
      const small = f64x2.mul(e, big);
      const nonNegative = f64x2.ge(s, zero);
      let g: v128;
      if (hard) {
        // y = 0: sigmoid(s), big for s >= 0, small below; y = 1: -sigmoid(-s), small for s >= 0, big below,
        // negated: one select on (s >= 0) XOR (y = 1), then the sign bit set where y = 1.
        const isOne = f64x2.eq(y, one);
        g = v128.xor(v128.bitselect(big, small, v128.xor(nonNegative, isOne)), v128.and(isOne, signBit));
        v128.store(gradAt + at, f64x2.div(g, divisorV));
        continue;
      }
      const sigmoidS = v128.bitselect(big, small, nonNegative);
      const sigmoidMinusS = v128.bitselect(small, big, nonNegative);
      if (unit) {
        const soft = v128.bitselect(
          f64x2.sub(f64x2.sub(one, y), sigmoidMinusS), f64x2.sub(sigmoidS, y), nonNegative);
        g = v128.bitselect(f64x2.neg(sigmoidMinusS), v128.bitselect(sigmoidS, soft, f64x2.eq(y, zero)), f64x2.eq(y, one));
      } else {
        g = f64x2.sub(f64x2.mul(f64x2.sub(one, y), sigmoidS), f64x2.mul(f64x2.mul(posWeightV, y), sigmoidMinusS));
      }
      v128.store(gradAt + at, f64x2.div(g, divisorV));
    }
  }
  // An unusual pair in a block taken as usual: its sums are dropped (the caller runs the block again).
  if (!careful && wantLoss) usual = v128.and(usual, f64x2.eq(sums, sums));
  if (!careful && !i64x2.all_true(usual)) return -2;
  s0 = f64x2.extract_lane(sums, 0);
  s1 = f64x2.extract_lane(sums, 1);
  c0 = f64x2.extract_lane(comps, 0);
  c1 = f64x2.extract_lane(comps, 1);
  return -1;
}

/**
 * Pass C: the common cases get loops of their own (no flag tests per pair); the rest the general loop.
 * `hard`: try the loop for labels 0 and 1 only (always so for {-1, +1} labels); it returns -2 for a block
 * with a label in between, as for an unusual pair.
 */
function passC(b: i32, end: i32, labelsAt: usize, logitsAt: usize, gradAt: usize, careful: bool, hard: bool): i32 {
  const sign = gSign != 0;
  const wantLoss = gWantLoss != 0;
  const wantGrad = gWantGrad != 0;
  const unit = gPosWeight == 1.0;
  const smooth = !(gKeep == 1.0 && gHalf == 0.0);
  if (!careful && unit && !smooth) {
    if (sign) {
      if (wantLoss && wantGrad) return passCLoop(b, end, labelsAt, logitsAt, gradAt, true, true, true, true, false, false, true);
      if (wantLoss) return passCLoop(b, end, labelsAt, logitsAt, gradAt, true, true, false, true, false, false, true);
      return passCLoop(b, end, labelsAt, logitsAt, gradAt, true, false, true, true, false, false, true);
    }
    if (hard) {
      if (wantLoss && wantGrad) return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, true, true, true, false, false, true);
      if (wantLoss) return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, true, false, true, false, false, true);
      return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, false, true, true, false, false, true);
    }
    if (wantLoss && wantGrad) return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, true, true, true, false, false, false);
    if (wantLoss) return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, true, false, true, false, false, false);
    return passCLoop(b, end, labelsAt, logitsAt, gradAt, false, false, true, true, false, false, false);
  }
  return passCLoop(b, end, labelsAt, logitsAt, gradAt, sign, wantLoss, wantGrad, unit, smooth, careful, false);
}

/**
 * One pass over n samples: labels at `labelsAt`, logits at `logitsAt` (f64), the gradient of the reduced loss
 * to `gradAt` when `wantGrad`; posWeight, keep, half (label smoothing: y keep + half) and the reduction's
 * divisor at PARAMS_AT. Adds the losses to the lane sums when `wantLoss`, sample i to lane i & 1 (a call
 * that continues a batch must start at an even sample). Returns -1, or the index of the first sample whose
 * label or logit is invalid (the caller then runs the JavaScript path, which throws the error with its
 * message).
 *
 * Two samples at a time in f64x2 lanes (WebAssembly SIMD): the same operations on each lane as `step`, so
 * the same bits. The table lookups are per lane (WebAssembly has no gather).
 *
 * Blocks of 128 samples, in passes over each: (B) from z = |s| and one table lookup, a = log(1 + e^-z) and/or
 * e = e^-z into scratch blocks (fastLog1pExp.ts; for lanes with z >= 40, `fixLarge` runs the exp of pass A
 * and selects it in), then (C) in sample order: the loss, its compensated sum and the gradient. Short loops
 * over a block in the L1 cache: one pass chaining exp -> log1p -> loss -> sum in every iteration let the CPU
 * overlap only a few iterations of that long chain (measured, with the former exp and log1p passes, kernel
 * alone, N = 10^6: one pass 15.2 ns per sample, two 11.7, three 8.9; a fourth for the gradient 10.4).
 *
 * The inputs are checked without a branch per pair: pass C (the specialised loop, which loads each label
 * and logit anyway) ANDs each pair's "usual" mask (a valid label; for the gradient alone also |s| < 708,
 * where exp needs no guard and its result is normal, NaN failing the comparison) into one mask, tested once
 * per block; with the loss, |s| >= 708 is found by `fixLarge` (the block goes to the careful loop at once)
 * and a NaN logit by the NaN it leaves in the block's lane sums. Pass B meanwhile computed whatever the
 * bits gave (no WebAssembly float operation traps; its table index is masked). A block with anything unusual
 * drops what pass C summed (the lane sums are only written back at the end of a block that passed), marks
 * each unusual pair with NaN in place of a and e (`markUnusual`), and runs the general pass C, which sends a
 * marked pair through `step` in its place in the sample order and overwrites the block's gradient. (A
 * branch per pair in the exp pass cost about 16 instructions per pair, a sixth of that pass.) After such a block
 * the next one is marked and run carefully at once, without the fast attempt, until a block has nothing to
 * mark: with 1% of logits beyond 708, 10.9 ns per sample instead of 12.7 (8.9 with none; N = 10^6, before
 * the table of pass B).
 *
 * Each pass is a function of its own, and pass C has a loop per common case (`passC`): V8 kept the flags
 * tested in every iteration, and, with all constants of all passes live in one function, spilled them to
 * the stack. Measured (kernel alone, 4096 samples in cache, loss and gradient): 8.6 ns per sample before
 * these changes, 7.9 after the branch-free checks, lane sums and exp bits, 7.1 after the loops per case,
 * 6.9 with the checks moved from pass A to pass C and exp(-z) without negating z (`expNegX2`: pass A then
 * needs 9 constants, which fit V8's registers), 5.95 with the loops for labels 0 and 1 (`hard`). (Unrolling
 * pass C to two pairs per iteration changed nothing.)
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
  gLabels = labelsAt;
  gLogits = logitsAt;
  gGrad = gradAt;
  gSign = signLabels;
  gWantLoss = wantLoss;
  gWantGrad = wantGrad;
  gPosWeight = load<f64>(PARAMS_AT);
  gKeep = load<f64>(PARAMS_AT + 8);
  gHalf = load<f64>(PARAMS_AT + 16);
  gDivisor = load<f64>(PARAMS_AT + 24);
  const pairsEnd = n & ~1;
  let lastCareful = false;
  // Soft labels met in this call: the loop for hard labels is not tried again (it would fail each block).
  let soft = false;
  for (let b = 0; b < pairsEnd; b += 128) {
    const end = min(b + 128, pairsEnd);
    // A lane beyond 708 (fixLarge): this block goes to the careful loop at once.
    const unusual = passB(b, end, logitsAt, wantLoss != 0, wantGrad != 0) && fixLarge(b, end, logitsAt, wantLoss != 0, wantGrad != 0);
    let bad: i32;
    if (lastCareful || unusual) {
      // The previous block had an unusual pair: this one likely too (data with many), so no fast attempt.
      lastCareful = markUnusual(b, end, labelsAt, logitsAt, signLabels);
      bad = passC(b, end, labelsAt, logitsAt, gradAt, true, false);
    } else {
      bad = passC(b, end, labelsAt, logitsAt, gradAt, false, !soft);
      if (bad == -2 && !soft && !signLabels) {
        // A label strictly between 0 and 1, or an unusual pair: the loop for any label in [0, 1] tells which.
        bad = passC(b, end, labelsAt, logitsAt, gradAt, false, false);
        soft = bad != -2;
      }
      if (bad == -2) {
        markUnusual(b, end, labelsAt, logitsAt, signLabels);
        bad = passC(b, end, labelsAt, logitsAt, gradAt, true, false);
        lastCareful = true;
      }
    }
    if (bad >= 0) return bad;
  }
  for (let i = pairsEnd; i < n; i++) if (!step(i)) return i;
  store<f64>(SUMS_AT, s0);
  store<f64>(SUMS_AT + 8, s1);
  store<f64>(SUMS_AT + 16, c0);
  store<f64>(SUMS_AT + 24, c1);
  return -1;
}
