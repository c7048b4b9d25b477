import { BINARY_KERNEL_WASM } from "./binaryKernelWasm.js";
import { addChunk, resetChunked, SUM_CHUNK } from "../numerics/chunkedSum.js";
import { EXP_BIAS } from "./expKernelBias.js";
import { EXP2 } from "../numerics/kernelTables.js";
import { EXP_NEG_TAIL, LOG1P_EXP_TABLE } from "../numerics/fastLog1pExp.js";
import { type GradientBuffer, type NumericArray } from "../common/reduction.js";

/**
 * @internal The WebAssembly path of the logit-form batch loop (assembly/binaryKernel.ts, AssemblyScript):
 * the same arithmetic as the JavaScript loop, so bit for bit the same results, in about a third of the time
 * (the README's "Benchmarks and speed"): V8 compiles the JavaScript loop to about 200 machine instructions per element
 * (checks on every typed array access, constants rebuilt), the WebAssembly one handles two samples per
 * instruction (f64x2) in short passes over blocks of 128 samples.
 *
 * The module is a 9 KB base64 string (6.8 KB of wasm) compiled synchronously on first use (`new WebAssembly.Module`: allowed
 * on the main thread of browsers for modules under 8 MB, and in Node). Where WebAssembly is missing or
 * refuses to compile (a strict Content-Security-Policy without 'wasm-unsafe-eval'), `binaryKernel()` returns
 * null and the JavaScript loop runs instead: same results, slower.
 *
 * Memory: 64 KB reserved for AssemblyScript's own data, then 32 KB of tables (written once from
 * kernelTables.ts), constants, scratch blocks, parameters and sums, then one chunk of the batch (`CHUNK`
 * samples): labels, logits and gradient as f64, copied in and out with `TypedArray.prototype.set` (a memcpy,
 * or an element conversion for Float32Array), then the 160 KB of tables of log(1 + e^-z) and e^-z
 * (fastLog1pExp.ts). So the memory stays at 448 KB (7 pages) whatever the batch size. The
 * views are kept for the next call (of the same length, with the same arrays), so a training loop with fixed
 * buffers allocates nothing.
 */
export interface BinaryKernel {
  memory: WebAssembly.Memory;
  reset(): void;
  run(n: number, labelsAt: number, logitsAt: number, gradAt: number, signLabels: number, wantLoss: number, wantGrad: number): number;
}

const BASE = 65536;
const BATCH = BASE + 32768;
/** Where the kernel leaves its lane sums s0, s1, c0, c1 (after the tables, before the batch). */
const SUMS_AT = BATCH - 32;
/** Where the kernel reads posWeight, keep, half and divisor. */
const PARAMS_AT = BATCH - 64;
/** Below this many samples the JavaScript loop is as fast (no copies). */
export const WASM_MIN_N = 32;

let kernel: BinaryKernel | null | undefined;
let enabled = true;

/** @internal Turns the WebAssembly path off or on (tests compare the two paths). */
export function setBinaryWasmEnabled(on: boolean): void {
  enabled = on;
}

/** @internal The kernel, instantiated on first use; null where WebAssembly is unavailable or turned off. */
export function binaryKernel(): BinaryKernel | null {
  if (!enabled) return null;
  if (kernel === undefined) kernel = instantiate();
  return kernel;
}

function instantiate(): BinaryKernel | null {
  try {
    if (typeof WebAssembly !== "object") return null;
    const text = atob(BINARY_KERNEL_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const k = instance.exports as unknown as BinaryKernel;
    const tables = new Float64Array(k.memory.buffer, BASE, 4096);
    tables.set(EXP2, 0);
    // 2^i for i = -1100..1 at index 2306 + i + 1100 (exact powers of two; 0 below 2^-1074), as in fastExp.ts.
    for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) tables[2306 + i] = p;
    // The SIMD loop's constants at BASE + 28672 (assembly/binaryKernel.ts CONSTS), in its order.
    tables.set(
      [
        1, 0.5, 708, 184.6649652337873, 6755399441055744, 0.0054152123482253955, -1.0082281460997769e-13, 0.16666666666666666, 0.041666666666666664,
        0.008333333333333333, 1024, 0.0009765625, -0.5, 0.3333333333333333, -0.25, 0.2, -0.16666666666666666, -1,
      ],
      28672 / 8,
    );
    new BigInt64Array(k.memory.buffer, BASE + 28672 + 144, 2).set([EXP_BIAS, EXP_BIAS]);
    // -1/6 and -1/120 after it: the exp of -|s| (assembly/expKernel.ts `expNegX2`).
    tables.set([-0.16666666666666666, -0.008333333333333333], 28672 / 8 + 20);
    // 64, 1/64, 1/720 and 40 after them: log(1 + e^-|s|) (assembly/binaryKernel.ts pass B).
    tables.set([64, 0.015625, 0.001388888888888889, 40], 28672 / 8 + 22);
    // The tables of log(1 + e^-z) and e^-z after the batch (fastLog1pExp.ts), with room for 4096 points (see the kernel).
    if (k.memory.buffer.byteLength < MEMORY_BYTES) k.memory.grow(Math.ceil((MEMORY_BYTES - k.memory.buffer.byteLength) / 65536));
    new Float64Array(k.memory.buffer, LOG1P_EXP_AT, LOG1P_EXP_TABLE.length).set(LOG1P_EXP_TABLE);
    new Float64Array(k.memory.buffer, LOG1P_EXP_AT + 4096 * 32, EXP_NEG_TAIL.length).set(EXP_NEG_TAIL);
    return k;
  } catch {
    return null;
  }
}

/**
 * Samples per kernel call. The batch goes through the kernel in chunks: each chunk's labels and logits are
 * copied into the kernel's memory, run, and its gradient copied out, while all three are still in the CPU's
 * L2 cache (8192 samples: 192 KB). Copying a whole batch in first and the gradient out last made each
 * array travel through main memory three times for a large batch (measured at N = 10^7: about 1.9 ns per
 * sample on top of the kernel's arithmetic). The chunks of the sum's structure (chunkedSum.ts): the kernel sums
 * each chunk apart, in its two lanes.
 */
export const CHUNK = SUM_CHUNK;
/** Where a chunk's labels, logits and gradient lie in the kernel's memory (f64 each). */
const LABELS_AT = BATCH;
/**
 * Where the table of log(1 + e^-z) and e^-z lies (after the chunk), then the tails of e^-z, each with room
 * for 4096 points; the memory's size.
 */
const LOG1P_EXP_AT = BATCH + 24 * CHUNK;
const MEMORY_BYTES = LOG1P_EXP_AT + 4096 * 40;
const LOGITS_AT = BATCH + 8 * CHUNK;
const GRAD_AT = BATCH + 16 * CHUNK;

/**
 * Each typed array's chunks as views (`subarray`), made on the first call with that array (and length) and
 * kept while the array lives: a WeakMap does not keep its keys alive, and the views reference the array's
 * buffer, not the array, so the entry goes when the caller drops the array.
 */
const chunkCache = new WeakMap<object, { length: number; views: ArrayLike<number>[] }>();

/**
 * The chunks of a typed array: views made once per array (and length), so that a training loop that passes
 * the same buffers again allocates nothing.
 */
function chunkViews(source: ArrayBufferView & ArrayLike<number>): ArrayLike<number>[] {
  const n = source.length;
  const cached = chunkCache.get(source);
  if (cached !== undefined && cached.length === n) return cached.views;
  const views: ArrayLike<number>[] = [];
  const sub = source as unknown as { subarray(begin: number, end: number): ArrayLike<number> };
  for (let at = 0; at < n; at += CHUNK) views.push(sub.subarray(at, Math.min(at + CHUNK, n)));
  chunkCache.set(source, { length: n, views });
  return views;
}

// Views of one chunk in the kernel's memory: the full chunk, and the last (shorter) chunk of the current
// length, kept between calls.
let viewBuffer: ArrayBuffer | null = null;
let labelsView = new Float64Array(0);
let logitsView = new Float64Array(0);
let gradView = new Float64Array(0);
let tailN = -1;
let labelsTail = new Float64Array(0);
let logitsTail = new Float64Array(0);
let gradTail = new Float64Array(0);
/** The kernel's lane sums s0, s1, c0, c1 (SUMS_AT), a view renewed when the memory is new. */
let sumsView = new Float64Array(0);
let paramsView = new Float64Array(0);

function views(k: BinaryKernel, tail: number): void {
  const buffer = k.memory.buffer;
  if (buffer !== viewBuffer) {
    viewBuffer = k.memory.buffer;
    sumsView = new Float64Array(viewBuffer, SUMS_AT, 4);
    paramsView = new Float64Array(viewBuffer, PARAMS_AT, 4);
    labelsView = new Float64Array(viewBuffer, LABELS_AT, CHUNK);
    logitsView = new Float64Array(viewBuffer, LOGITS_AT, CHUNK);
    gradView = new Float64Array(viewBuffer, GRAD_AT, CHUNK);
    tailN = -1;
  }
  if (tail !== tailN) {
    tailN = tail;
    labelsTail = new Float64Array(viewBuffer, LABELS_AT, tail);
    logitsTail = new Float64Array(viewBuffer, LOGITS_AT, tail);
    gradTail = new Float64Array(viewBuffer, GRAD_AT, tail);
  }
}

/**
 * Copies samples [at, at + view.length) of a batch input into the kernel's memory; false if a plain array
 * holds a non-number there (the JavaScript loop then reports it).
 */
function copyIn(view: Float64Array, source: NumericArray, chunks: ArrayLike<number>[] | null, chunk: number, at: number): boolean {
  if (chunks !== null) {
    view.set(chunks[chunk]!);
    return true;
  }
  if (ArrayBuffer.isView(source)) {
    view.set(source as unknown as ArrayLike<number>);
    return true;
  }
  for (let i = 0; i < view.length; i++) {
    const x = source[at + i];
    if (typeof x !== "number") return false;
    view[i] = x;
  }
  return true;
}

// The batch being run (set by `beginBatch`): its arrays and their chunk views.
const NONE: number[] = [];
let batchLabels: NumericArray = NONE;
let batchLogits: NumericArray = NONE;
let batchGrad: GradientBuffer | null = null;
let batchN = 0;
let labelViews: ArrayLike<number>[] | null = null;
let logitViews: ArrayLike<number>[] | null = null;
let gradViews: ArrayLike<number>[] | null = null;

/** @internal The number of kernel chunks of a batch of n samples. */
export function chunkCount(n: number): number {
  return Math.ceil(n / CHUNK);
}

/**
 * @internal Prepares a batch (no weights, reduced loss) for `runChunk`: its views, and the kernel's
 * parameters posWeight, keep, half, divisor (through memory, so that the calls pass small integers only:
 * V8 boxes a double argument of a JS-to-WebAssembly call that it does not inline).
 */
export function beginBatch(k: BinaryKernel, labels: NumericArray, logits: NumericArray, grad: GradientBuffer | null, params: Float64Array): void {
  const n = labels.length;
  views(k, n % CHUNK === 0 ? CHUNK : n % CHUNK);
  const whole = n <= CHUNK;
  batchLabels = labels;
  batchLogits = logits;
  batchGrad = grad;
  batchN = n;
  labelViews = !whole && ArrayBuffer.isView(labels) ? chunkViews(labels) : null;
  logitViews = !whole && ArrayBuffer.isView(logits) ? chunkViews(logits) : null;
  gradViews = !whole && grad !== null && ArrayBuffer.isView(grad) ? chunkViews(grad) : null;
  paramsView.set(params);
}

/**
 * @internal Runs chunk `chunk` of the batch that `beginBatch` prepared: copies its labels and logits into the
 * kernel's memory, runs the kernel, copies the gradient out (when the batch has a gradient buffer), and
 * writes the chunk's lane sums s0, s1, c0, c1 (chunkedSum.ts) to `lanes[at..at + 3]`. Returns false if
 * the kernel met an invalid label or logit (or a plain array holds a non-number).
 */
export function runChunk(k: BinaryKernel, chunk: number, signLabels: boolean, wantLoss: boolean, lanes: Float64Array, at: number): boolean {
  const from = chunk * CHUNK;
  const m = Math.min(CHUNK, batchN - from);
  const last = m !== CHUNK;
  if (!copyIn(last ? labelsTail : labelsView, batchLabels, labelViews, chunk, from)) return false;
  if (!copyIn(last ? logitsTail : logitsView, batchLogits, logitViews, chunk, from)) return false;
  k.reset();
  if (k.run(m, LABELS_AT, LOGITS_AT, GRAD_AT, signLabels ? 1 : 0, wantLoss ? 1 : 0, batchGrad !== null ? 1 : 0) >= 0) return false;
  lanes[at] = sumsView[0]!;
  lanes[at + 1] = sumsView[1]!;
  lanes[at + 2] = sumsView[2]!;
  lanes[at + 3] = sumsView[3]!;
  const grad = batchGrad;
  if (grad !== null) {
    const out = last ? gradTail : gradView;
    if (gradViews !== null) (gradViews[chunk] as Float64Array).set(out);
    else if (ArrayBuffer.isView(grad)) grad.set(out, from);
    else for (let i = 0; i < m; i++) grad[from + i] = out[i]!;
  }
  return true;
}

/**
 * @internal A chunk of the prepared batch's typed-array inputs, copied into `labels` and `logits` (views of
 * the chunk's length; the worker threads' slots, src/parallel/). False if an input is a plain array.
 */
export function copyChunkOut(chunk: number, labels: Float64Array, logits: Float64Array): boolean {
  if (labelViews === null || logitViews === null) return false;
  labels.set(labelViews[chunk]!);
  logits.set(logitViews[chunk]!);
  return true;
}

/** @internal Writes a chunk's gradient (a view of the chunk's length) into the prepared batch's gradient buffer. */
export function copyChunkGrad(chunk: number, grad: Float64Array): void {
  if (batchGrad === null) return;
  if (gradViews !== null) (gradViews[chunk] as Float64Array).set(grad);
  else if (ArrayBuffer.isView(batchGrad)) batchGrad.set(grad, chunk * CHUNK);
  else for (let i = 0; i < grad.length; i++) batchGrad[chunk * CHUNK + i] = grad[i]!;
}

/** @internal Forgets the prepared batch's arrays (so that the module does not keep them alive). */
export function endBatch(): void {
  batchLabels = NONE;
  batchLogits = NONE;
  batchGrad = null;
  labelViews = null;
  logitViews = null;
  gradViews = null;
}

/** The lane sums of one chunk, reused (runBinaryKernel). */
const LANES = new Float64Array(4);

/**
 * @internal Runs the kernel over a whole batch (no weights, reduced loss), chunk by chunk, writes the
 * gradient (already divided by `divisor`) into `grad` and leaves the chunked sum of the losses
 * (chunkedSum.ts) in `acc`: the kernel sums each chunk in its two lanes and leaves them in its memory, from
 * where they are added to `acc` (returned from WebAssembly as numbers they would be boxed by V8: a heap
 * allocation each). Returns false if the kernel met an invalid label or logit: the caller then runs the
 * JavaScript loop, which throws the error with its message.
 */
export function runBinaryKernel(
  k: BinaryKernel,
  labels: NumericArray,
  logits: NumericArray,
  grad: GradientBuffer | null,
  params: Float64Array,
  acc: Float64Array,
  signLabels: boolean,
  wantLoss: boolean,
): boolean {
  beginBatch(k, labels, logits, grad, params);
  resetChunked(acc);
  const chunks = chunkCount(labels.length);
  let ok = true;
  for (let chunk = 0; chunk < chunks && ok; chunk++) {
    ok = runChunk(k, chunk, signLabels, wantLoss, LANES, 0);
    if (ok) addChunk(LANES, 0, acc);
  }
  endBatch();
  return ok;
}
