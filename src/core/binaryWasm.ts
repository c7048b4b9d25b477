import { BINARY_KERNEL_WASM } from "./binaryKernelWasm.js";
import { EXP2, LOG } from "./kernelTables.js";
import { type GradientBuffer, type NumericArray } from "./reduction.js";

/**
 * @internal The WebAssembly path of the logit-form batch loop (assembly/binaryKernel.ts, AssemblyScript):
 * the same arithmetic as the JavaScript loop, so bit for bit the same results, in about a third of the time
 * (the README's "Benchmarks and speed"): V8 compiles the JavaScript loop to about 200 machine instructions per element
 * (checks on every typed array access, constants rebuilt), the WebAssembly one handles two samples per
 * instruction (f64x2) in short passes over blocks of 128 samples.
 *
 * The module is a 2.7 KB base64 string compiled synchronously on first use (`new WebAssembly.Module`: allowed
 * on the main thread of browsers for modules under 8 MB, and in Node). Where WebAssembly is missing or
 * refuses to compile (a strict Content-Security-Policy without 'wasm-unsafe-eval'), `binaryKernel()` returns
 * null and the JavaScript loop runs instead: same results, slower.
 *
 * Memory: 64 KB reserved for AssemblyScript's own data, then 32 KB of tables (written once from
 * kernelTables.ts), constants, scratch blocks, parameters and sums, then the batch: labels, logits and gradient as f64, copied in and out with
 * `TypedArray.prototype.set` (a memcpy, or an element conversion for Float32Array). The views are kept for
 * the next call of the same length, so a training loop with a fixed batch size allocates nothing.
 */
export interface BinaryKernel {
  memory: WebAssembly.Memory;
  reset(): void;
  run(
    n: number,
    labelsAt: number,
    logitsAt: number,
    gradAt: number,
    signLabels: number,
    wantLoss: number,
    wantGrad: number,
  ): number;
}

const BASE = 65536;
const BATCH = BASE + 32768;
/** Where the kernel leaves its compensated sum and compensation (after the tables, before the batch). */
const SUMS_AT = BATCH - 16;
/** Where the kernel reads posWeight, keep, half and divisor. */
const PARAMS_AT = BATCH - 48;
/** Largest batch for the kernel: three f64 arrays within 2 GB of memory. Larger ones take the JavaScript loop. */
const MAX_N = Math.floor((2 ** 31 - BATCH) / 24);
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
    tables.set(LOG, 256);
    // 2^i for i = -1100..1 at index 2306 + i + 1100 (exact powers of two; 0 below 2^-1074), as in fastExp.ts.
    for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) tables[2306 + i] = p;
    // The SIMD loop's constants at BASE + 28672 (assembly/binaryKernel.ts CONSTS), in its order.
    tables.set([1, 0.5, 708, 184.6649652337873, 6755399441055744, 0.0054152123482253955, -1.0082281460997769e-13,
      0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 1024, 0.0009765625,
      -0.5, 0.3333333333333333, -0.25, 0.2, -0.16666666666666666, -1], 28672 / 8);
    new BigInt64Array(k.memory.buffer, BASE + 28672 + 144, 2).set([1023n, 1023n]);
    return k;
  } catch {
    return null;
  }
}

// Views of the batch in the kernel's memory, kept between calls of the same length.
let viewN = -1;
let viewBuffer: ArrayBuffer | null = null;
let labelsView = new Float64Array(0);
let logitsView = new Float64Array(0);
let gradView = new Float64Array(0);
/** The kernel's sum and compensation (SUMS_AT), a view renewed when the memory grows. */
let sumsView = new Float64Array(0);
let paramsView = new Float64Array(0);

function views(k: BinaryKernel, n: number): void {
  const needed = BATCH + 24 * n;
  const buffer = k.memory.buffer;
  if (buffer.byteLength < needed) {
    k.memory.grow(Math.ceil((needed - buffer.byteLength) / 65536));
  }
  if (n === viewN && k.memory.buffer === viewBuffer) return;
  viewBuffer = k.memory.buffer;
  sumsView = new Float64Array(viewBuffer, SUMS_AT, 2);
  paramsView = new Float64Array(viewBuffer, PARAMS_AT, 4);
  viewN = n;
  labelsView = new Float64Array(viewBuffer, BATCH, n);
  logitsView = new Float64Array(viewBuffer, BATCH + 8 * n, n);
  gradView = new Float64Array(viewBuffer, BATCH + 16 * n, n);
}

/** Copies a batch input into the kernel's memory; false if a plain array holds a non-number (the JS loop reports it). */
function copyIn(view: Float64Array, source: NumericArray): boolean {
  if (ArrayBuffer.isView(source)) {
    view.set(source as unknown as ArrayLike<number>);
    return true;
  }
  for (let i = 0; i < view.length; i++) {
    const x = source[i];
    if (typeof x !== "number") return false;
    view[i] = x;
  }
  return true;
}

/**
 * @internal Runs the kernel over a whole batch (no weights, reduced loss) and writes the gradient (already
 * divided by `divisor`) into `grad`. Returns a view of the compensated sum and its compensation, which the
 * kernel leaves in its memory (returned from WebAssembly as numbers they would be boxed by V8: a heap
 * allocation each). Returns null if the kernel met an invalid label or logit, or the batch is too large for
 * it: the caller then runs the JavaScript loop, which throws the error with its message (or does the work).
 */
export function runBinaryKernel(
  k: BinaryKernel,
  labels: NumericArray,
  logits: NumericArray,
  grad: GradientBuffer | null,
  params: Float64Array,
  signLabels: boolean,
  wantLoss: boolean,
): Float64Array | null {
  const n = labels.length;
  if (n > MAX_N) return null;
  views(k, n);
  if (!copyIn(labelsView, labels) || !copyIn(logitsView, logits)) return null;
  // posWeight, keep, half, divisor: through memory, so the call passes small integers only (V8 boxes a
  // double argument of a JS-to-WebAssembly call that it does not inline).
  paramsView.set(params);
  k.reset();
  const bad = k.run(n, BATCH, BATCH + 8 * n, BATCH + 16 * n, signLabels ? 1 : 0, wantLoss ? 1 : 0, grad !== null ? 1 : 0);
  if (bad >= 0) return null;
  if (grad !== null) {
    if (ArrayBuffer.isView(grad)) grad.set(gradView);
    else for (let i = 0; i < n; i++) grad[i] = gradView[i]!;
  }
  return sumsView;
}
