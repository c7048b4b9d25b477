import { checkOptions, fail, failType } from "../common/checks.js";
import { extremeWeights, overflowedMean, rescaledWeights, unweighted } from "../numerics/extremeSums.js";
import { logitGrad, logitLoss, probabilityGrad, probabilityLoss } from "./binaryTerms.js";
import { binaryBatchRunner } from "./binaryBatchRunner.js";
import { binaryKernel, runBinaryKernel, WASM_MIN_N } from "../kernels/binaryWasm.js";
import { addChunk, resetChunked, SUM_CHUNK } from "../numerics/chunkedSum.js";
import { logitExp } from "../numerics/fastLog1pExp.js";
import {
  type GradientBuffer,
  type LossAndGrad,
  type NumericArray,
  type ReductionOptions,
  checkReduction,
  checkSameLength,
  gradientBuffer,
  reductionDivisor,
} from "../common/reduction.js";

/** Options of the binary losses on batches. */
export interface BinaryLossOptions extends ReductionOptions {
  /**
   * Weight of the positive term (PyTorch's `pos_weight`): `L = -[w+ y log p + (1 - y) log(1 - p)]`.
   * Finite and > 0; default 1. Values above 1 raise recall, below 1 precision.
   */
  posWeight?: number;
  /**
   * Label smoothing a in [0, 1]: each label y in [0, 1] becomes `y (1 - a) + a / 2`, i.e. moves towards 0.5
   * (Keras' and tfjs' binary convention; for {-1, +1} labels, applied after mapping them to {0, 1}).
   * Default 0.
   */
  labelSmoothing?: number;
  /** A buffer of the batch's length that receives the gradient (loss-and-gradient and gradient passes). */
  gradOut?: GradientBuffer;
  /**
   * An object that a loss-and-gradient call fills with `loss` and `grad` and returns, instead of a new
   * `{ loss, grad }`. With `gradOut` too, a training step allocates nothing at all (the README's "Benchmarks and speed",
   * "Allocations"): the returned object is then `out` itself, so read its fields before the next call.
   */
  out?: LossAndGrad<number> | LossAndGrad<Float64Array>;
}

/** @internal The loss a public loss function returns: the per-sample losses, or the reduced loss. */
export function batchLoss(r: BatchResult): number | Float64Array {
  return r.perSample ?? r.loss;
}

/**
 * @internal The result of a public loss-and-gradient call: `options.out` filled in, or a new object.
 */
export function lossAndGrad(fn: string, options: BinaryLossOptions, r: BatchResult): LossAndGrad<number | Float64Array> {
  const out = options.out as LossAndGrad<number | Float64Array> | undefined;
  const grad = r.grad!;
  if (out === undefined) return { loss: r.perSample ?? r.loss, grad };
  if (out === null || typeof out !== "object") failType(`${fn}: options.out`, out, "is not an object");
  // Two stores, not one of `perSample ?? loss`: a number that passes through a value of two kinds is boxed.
  if (r.perSample !== null) out.loss = r.perSample;
  else out.loss = r.loss;
  out.grad = grad;
  return out;
}

/** Options of the probability form on batches. */
export interface BinaryCrossEntropyOptions extends BinaryLossOptions {
  /**
   * Clip each probability to [epsilon, 1 - epsilon] before taking logs (scikit-learn's `log_loss` does this
   * silently with the machine epsilon; xent only when asked). epsilon in [0, 0.5]; default 0: no clipping,
   * so a confidently wrong prediction costs Infinity, its true value. The gradient is the loss's derivative
   * at the clipped probability.
   */
  epsilon?: number;
}

/** @internal The option names of the binary batch losses (logit and {-1, +1} forms; probability form). */
const LOGIT_OPTIONS = ["reduction", "weights", "posWeight", "labelSmoothing", "gradOut", "out"] as const;
const PROBABILITY_OPTIONS = ["reduction", "weights", "posWeight", "labelSmoothing", "epsilon", "gradOut", "out"] as const;

/**
 * @internal What a batch pass produced: the reduced loss (NaN if not asked for) or, for reduction "none",
 * the per-sample losses; and the gradient. Two fields for the loss, not one `number | Float64Array`: V8
 * then stores the number in place (a field that holds both kinds is boxed, a heap allocation per call).
 */
export interface BatchResult {
  loss: number;
  perSample: Float64Array | null;
  grad: GradientBuffer | null;
}

/** @internal A validated batch: its length, buffers, options and the divisor of its reduction. */
export interface Prepared {
  n: number;
  perSample: Float64Array | null;
  grad: GradientBuffer | null;
  weights: NumericArray | undefined;
  posWeight: number;
  smoothing: number;
  divisor: number;
}

/**
 * One object, reused by every call, so that a call allocates nothing here (see the README's "Benchmarks and speed",
 * "Allocations"). `prepare` fills it after it has read every option (no user code, such as a getter,
 * runs between the fill and the caller copying the fields into locals), so a re-entrant call cannot
 * clobber it in between.
 */
const PREPARED: Prepared = {
  n: 0,
  perSample: null,
  grad: null,
  weights: undefined,
  posWeight: 1,
  smoothing: 0,
  divisor: 1,
};

/**
 * @internal Validates a batch's lengths and options (weights summed with compensation) and allocates its
 * buffers. Returns the shared `PREPARED` object: callers copy its fields into locals at once.
 */
export function prepare(
  fn: string,
  labels: NumericArray,
  inputs: NumericArray,
  inputName: string,
  options: BinaryLossOptions,
  wantLoss: boolean,
  wantGrad: boolean,
): Prepared {
  if (options == null || typeof options !== "object") failType(`${fn}: options`, options, "is not an object");
  checkOptions(fn, options, inputName === "probabilities" ? PROBABILITY_OPTIONS : LOGIT_OPTIONS);
  const n = checkSameLength(fn, "labels", labels, inputName, inputs);
  const reduction = checkReduction(fn, options.reduction);
  const posWeight = options.posWeight ?? 1;
  if (typeof posWeight !== "number") failType(`${fn}: options.posWeight`, posWeight, "is not a number");
  if (!(posWeight > 0 && posWeight < Infinity)) fail(`${fn}: options.posWeight`, posWeight, "is not a finite number > 0");
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== "number") failType(`${fn}: options.labelSmoothing`, smoothing, "is not a number");
  if (!(smoothing >= 0 && smoothing <= 1)) fail(`${fn}: options.labelSmoothing`, smoothing, "is not in [0, 1]");
  let weights = options.weights;
  let weightSum = n;
  if (weights !== undefined) {
    if (weights == null || typeof weights.length !== "number") failType(`${fn}: options.weights`, weights, "is not an array");
    if (weights.length !== n) {
      throw new RangeError(`${fn}: options.weights has length ${weights.length} but labels has length ${n}`);
    }
    // Compensated sum of the weights, checking each one on the way.
    let sum = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (typeof w !== "number") failType(`${fn}: weights[${i}]`, w, "is not a number");
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: weights[${i}]`, w, "is not a finite number >= 0");
      const t = sum + w;
      c += sum >= w ? sum - t + w : w - t + sum;
      sum = t;
    }
    weightSum = sum + c;
    if (reduction === "mean" && extremeWeights(weightSum)) ({ weights, sum: weightSum } = rescaledWeights(weights));
  }
  const divisor = reductionDivisor(fn, reduction, weightSum, n);
  const grad = wantGrad ? gradientBuffer(fn, options.gradOut, n) : null;
  const p = PREPARED;
  p.n = n;
  p.perSample = wantLoss && reduction === "none" ? new Float64Array(n) : null;
  p.grad = grad;
  p.weights = weights;
  p.posWeight = posWeight;
  p.smoothing = smoothing;
  p.divisor = divisor;
  return p;
}

/**
 * @internal One pass over a batch of (label, logit) pairs: validates each element, and accumulates the
 * weighted loss with Neumaier's compensated sum and/or writes the gradient of the reduced loss.
 * `signLabels` selects the {-1, +1} convention (mapped to {0, 1}); otherwise labels are in [0, 1].
 * A gradient-only pass (`wantLoss` false) skips the log. Without weights and with a reduced loss (a training
 * step) the pass runs in the WebAssembly kernel (binaryWasm.ts) or, where that is unavailable, in
 * `logitLoopPlain`; both give the general loop's results bit for bit (tests compare the three).
 * Returns the shared RESULT object: callers copy its fields at once.
 */
export function logitBatch(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  options: BinaryLossOptions,
  signLabels: boolean,
  wantLoss: boolean,
  wantGrad: boolean,
): BatchResult {
  const prepared = prepare(fn, labels, logits, "logits", options, wantLoss, wantGrad);
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepared;
  if (weights === undefined && perSample === null) {
    // The common case, a training step: the WebAssembly kernel (bit for bit the JavaScript loop, faster),
    // or the JavaScript loop where WebAssembly is unavailable, the batch is tiny, or an input is invalid
    // (the loop then throws the error).
    const k = n >= WASM_MIN_N ? binaryKernel() : null;
    // The numeric options travel in a Float64Array, not as arguments: V8 boxes a double argument of a call
    // that it does not inline (a heap allocation per call).
    PARAMS[0] = posWeight;
    PARAMS[1] = 1 - smoothing;
    PARAMS[2] = smoothing / 2;
    PARAMS[3] = divisor;
    // A large batch may go to the worker threads (src/parallel/), when they are started: same bits.
    if (k === null || !(binaryBatchRunner(n) ?? runBinaryKernel)(k, labels, logits, grad, PARAMS, ACC, signLabels, wantLoss)) {
      logitLoopPlain(fn, labels, logits, grad, signLabels, wantLoss);
    }
  } else logitLoopGeneral(fn, labels, logits, prepared, signLabels, wantLoss);
  // Every path leaves the chunked sum (chunkedSum.ts) in ACC. `reduced` written out, and the loss stored
  // straight into RESULT's number field: no call takes or returns the double here, because V8 boxes a double
  // passed to a call it did not inline, and also one that meets the constant NaN in a `? :` (a heap
  // allocation per batch each; measured, see the README's "Benchmarks and speed" "Allocations"). Hence the
  // if/else.
  const hi = ACC[0]!;
  const total = hi < Infinity ? hi + ACC[1]! : hi;
  let loss = NaN;
  if (wantLoss && perSample === null) {
    // A sum that overflowed while the mean may be finite: the rare path of extremeSums.ts recomputes the
    // per-sample losses (a re-entrant pass, which reuses RESULT: so RESULT is written after it).
    if (total === Infinity && divisor > 1)
      loss = overflowedMean(logitBatch(fn, labels, logits, unweighted(options), signLabels, true, false).perSample!, weights, divisor);
    else loss = (total + 0) / divisor;
  }
  RESULT.loss = loss;
  RESULT.perSample = perSample;
  RESULT.grad = grad;
  return RESULT;
}

/**
 * The general loop of the logit losses (weights, reduction "none"): the per-sample terms of the scalar
 * functions, weighted; the reduced loss's chunked sum (chunkedSum.ts) left in ACC, per-sample losses in
 * `perSample`, the gradient of the reduced loss in `grad`.
 */
function logitLoopGeneral(fn: string, labels: NumericArray, logits: NumericArray, prepared: Prepared, signLabels: boolean, wantLoss: boolean): void {
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepared;
  const keep = 1 - smoothing;
  const half = smoothing / 2;
  // -0, not 0: see logitLoopPlain. The chunked sum as there (chunkedSum.ts).
  let sum = -0;
  let c = -0;
  let sum1 = -0;
  let c1 = -0;
  resetChunked(ACC);
  let chunkEnd = SUM_CHUNK;
  for (let i = 0; i < n; i++) {
    if (i === chunkEnd) {
      LANES[0] = sum;
      LANES[1] = sum1;
      LANES[2] = c;
      LANES[3] = c1;
      addChunk(LANES, 0, ACC);
      sum = -0;
      sum1 = -0;
      c = -0;
      c1 = -0;
      chunkEnd += SUM_CHUNK;
    }
    let y = labels[i]!;
    // typeof first: a string, null or undefined would pass or dodge the range checks by coercion.
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (signLabels) {
      if (y !== 1 && y !== -1) fail(`${fn}: labels[${i}]`, y, "is not -1 or +1");
      y = (y + 1) * 0.5;
    } else if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    if (smoothing !== 0) y = y * keep + half;
    const s = logits[i]!;
    if (typeof s !== "number") failType(`${fn}: logits[${i}]`, s, "is not a number");
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const w = weights === undefined ? 1 : weights[i]!;
    const e = logitExp(Math.abs(s));
    if (wantLoss) {
      let loss = logitLoss(y, s, posWeight, e);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else if ((i & 1) === 0) {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      } else {
        const t = sum1 + loss;
        c1 += sum1 >= loss ? sum1 - t + loss : loss - t + sum1;
        sum1 = t;
      }
    }
    if (grad !== null) {
      const g = logitGrad(y, s, posWeight, e);
      grad[i] = w === 1 ? g / divisor : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  LANES[0] = sum;
  LANES[1] = sum1;
  LANES[2] = c;
  LANES[3] = c1;
  addChunk(LANES, 0, ACC);
}

/**
 * The hot loop of the logit losses without weights and with a reduced loss: what a training step runs.
 * Same per-sample terms as the general loop (`logitLoss`, `logitGrad`, which V8 inlines here with the exp
 * and log1p kernels), so the results are bit for bit the same; only the per-element decisions that do not
 * depend on the data are gone (V8 does not hoist them out of the loop itself):
 * - label smoothing is always applied as `y * keep + half`, which is exactly y when keep = 1, half = 0;
 * - `g / divisor` is exactly g when divisor = 1.
 * Takes posWeight, keep, half and divisor from PARAMS and leaves the chunked sum (chunkedSum.ts) in ACC (doubles passed or returned would be boxed: a heap allocation per call, unless V8 inlines it).
 */
function logitLoopPlain(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  grad: GradientBuffer | null,
  signLabels: boolean,
  wantLoss: boolean,
): void {
  const n = labels.length;
  const posWeight = PARAMS[0]!;
  const keep = PARAMS[1]!;
  const half = PARAMS[2]!;
  const divisor = PARAMS[3]!;
  // -0, not 0: a 0 literal is a small integer to V8, and a loop variable that starts as one and becomes a
  // double is kept boxed, allocating a heap number on every iteration (seen in the generated code). -0 is a
  // double from the start, so the sums stay in registers. -0 + x = x for every x, and the reduced loss adds +0
  // (see RESULT), so an empty sum is +0.
  // Two lanes, as the WebAssembly kernel: sample i is added to sum0 (c0) for even i, sum1 (c1) for odd i, and
  // the caller merges them. (The kernel adds a pair of losses with one f64x2 TwoSum; two sums in sample
  // order were a chain of scalar additions.)
  let sum0 = -0;
  let c0 = -0;
  let sum1 = -0;
  let c1 = -0;
  resetChunked(ACC);
  let chunkEnd = SUM_CHUNK;
  for (let i = 0; i < n; i++) {
    if (i === chunkEnd) {
      // The chunk's lanes into ACC (chunkedSum.ts), as the kernel's caller does after each call.
      LANES[0] = sum0;
      LANES[1] = sum1;
      LANES[2] = c0;
      LANES[3] = c1;
      addChunk(LANES, 0, ACC);
      sum0 = -0;
      sum1 = -0;
      c0 = -0;
      c1 = -0;
      chunkEnd += SUM_CHUNK;
    }
    let y = labels[i]!;
    // typeof first: a string, null or undefined would pass or dodge the range checks by coercion.
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (signLabels) {
      if (y !== 1 && y !== -1) fail(`${fn}: labels[${i}]`, y, "is not -1 or +1");
      y = (y + 1) * 0.5; // {-1, +1} -> {0, 1} without a data-dependent branch
    } else if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    y = y * keep + half;
    const s = logits[i]!;
    if (typeof s !== "number") failType(`${fn}: logits[${i}]`, s, "is not a number");
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const e = logitExp(Math.abs(s));
    if (wantLoss) {
      const loss = logitLoss(y, s, posWeight, e);
      if ((i & 1) === 0) {
        const t = sum0 + loss;
        c0 += sum0 >= loss ? sum0 - t + loss : loss - t + sum0;
        sum0 = t;
      } else {
        const t = sum1 + loss;
        c1 += sum1 >= loss ? sum1 - t + loss : loss - t + sum1;
        sum1 = t;
      }
    }
    if (grad !== null) grad[i] = logitGrad(y, s, posWeight, e) / divisor;
  }
  LANES[0] = sum0;
  LANES[1] = sum1;
  LANES[2] = c0;
  LANES[3] = c1;
  addChunk(LANES, 0, ACC);
}

/** @internal The same pass for (label, probability) pairs; labels in [0, 1]. */
export function probabilityBatch(
  fn: string,
  labels: NumericArray,
  probabilities: NumericArray,
  options: BinaryCrossEntropyOptions,
  wantLoss: boolean,
  wantGrad: boolean,
): BatchResult {
  const prepared = prepare(fn, labels, probabilities, "probabilities", options, wantLoss, wantGrad);
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepared;
  const epsilon = options.epsilon ?? 0;
  if (typeof epsilon !== "number") failType(`${fn}: options.epsilon`, epsilon, "is not a number");
  if (!(epsilon >= 0 && epsilon <= 0.5)) fail(`${fn}: options.epsilon`, epsilon, "is not in [0, 0.5]");
  const high = 1 - epsilon;
  const keep = 1 - smoothing;
  const half = smoothing / 2;
  let sum = -0; // -0: see logitLoopPlain
  let c = -0;
  for (let i = 0; i < n; i++) {
    let y = labels[i]!;
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    if (smoothing !== 0) y = y * keep + half;
    let p = probabilities[i]!;
    if (typeof p !== "number") failType(`${fn}: probabilities[${i}]`, p, "is not a number");
    if (!(p >= 0 && p <= 1)) fail(`${fn}: probabilities[${i}]`, p, "is not in [0, 1]");
    if (epsilon !== 0) p = p < epsilon ? epsilon : p > high ? high : p;
    const w = weights === undefined ? 1 : weights[i]!;
    if (wantLoss) {
      let loss = probabilityLoss(y, p, posWeight);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
    if (grad !== null) {
      const g = probabilityGrad(y, p, posWeight);
      grad[i] = w === 1 ? (divisor === 1 ? g : g / divisor) : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  const total = sum < Infinity ? sum + c : sum;
  let loss = NaN;
  if (perSample === null) {
    // The reduced loss, see RESULT; an overflowed sum as in logitBatch.
    if (total === Infinity && divisor > 1)
      loss = overflowedMean(probabilityBatch(fn, labels, probabilities, unweighted(options), true, false).perSample!, weights, divisor);
    else loss = (total + 0) / divisor;
  }
  RESULT.loss = loss;
  RESULT.perSample = perSample;
  RESULT.grad = grad;
  return RESULT;
}

/**
 * The result object of the internal passes, reused: the public functions copy its two fields out at once
 * (into their own result, or the caller's `out`), so an internal pass allocates nothing.
 */
const RESULT: BatchResult = { loss: -0, perSample: null, grad: null };
/** The plain loop's parameters (posWeight, keep, half, divisor), reused. */
const PARAMS = new Float64Array(4);
/**
 * A JavaScript loop's chunk, its lane sums s0, s1 and compensations c0, c1 (as the kernel's), reused: the
 * loops store them here and call `addChunk(LANES, 0, ACC)` (chunkedSum.ts). Not a helper taking the four
 * doubles: V8 boxes the double arguments of a call it does not inline, and whether it inlines depends on the
 * order in which its compiler thread finishes (under load it kept the helper apart: 64 bytes per call).
 */
const LANES = new Float64Array(4);
/** The running chunked sum hi, lo (chunkedSum.ts) of the logit passes, reused. */
const ACC = new Float64Array(2);

// The reduced loss, written out where it is needed (a function taking and returning the double would box
// it, see logitBatch): `((sum < Infinity ? sum + c : sum) + 0) / divisor`, the compensated sum `sum + c`
// divided (for the logit forms, `sum` and `c` merged from two lanes first, see logitBatch). An infinite sum
// has a NaN compensation (Infinity - Infinity): the sum itself is then the answer,
// unless the divisor may bring it back into range (extremeSums.ts `reduced`; here written out too, so that
// its closure is made only on that rare path). `+ 0` turns the -0 of an empty sum (the accumulators start
// at -0, see logitLoopPlain) into +0.
