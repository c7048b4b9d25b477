import { EXP_BIAS } from "./expKernelBias.js";
import { EXP2 } from "../numerics/kernelTables.js";
import { log1pNonNegative } from "../numerics/fastLog1p.js";
import { type GradientBuffer, type NumericArray } from "../common/reduction.js";
import { SOFTMAX_KERNEL_WASM } from "./softmaxKernelWasm.js";
import { row } from "../categorical/softmaxRow.js";

/**
 * @internal The WebAssembly path of the softmax rows (assembly/softmaxKernel.ts): scans a whole batch of
 * logit rows as `scanRow` does, with the same operations in the same order (bit for bit the same maxima,
 * tails and stored exponentials; tests compare), before the categorical pass walks the rows. A row that
 * scanRow treats specially (NaN, infinite maximum, a difference below -700) is flagged and scanned by
 * scanRow itself. Where WebAssembly is unavailable, `softmaxKernel()` is null and every row is scanned in
 * JavaScript (same results). See binaryWasm.ts for the loading and the memory conventions.
 */
interface SoftmaxKernel {
  memory: WebAssembly.Memory;
  run(n: number, k: number, logitsAt: number, rowsAt: number, storeAt: number, wantStore: number): void;
  runGrad(n: number, k: number, logitsAt: number, rowsAt: number, storeAt: number): void;
}

const BASE = 65536;
/** After the tables (BASE), the powers of two and the kernel's scratch row (4096 columns of 2 f64). */
const DATA = BASE + 16384 + 65536;
/** Rows longer than the kernel's scratch row take the JavaScript scan. */
const MAX_K = 4096;
/** Below this many logits the JavaScript scan is as fast (no copies). */
const MIN_ELEMENTS = 64;

let kernel: SoftmaxKernel | null | undefined;
let enabled = true;

/** @internal Turns the WebAssembly path off or on (tests compare the two paths). */
export function setSoftmaxWasmEnabled(on: boolean): void {
  enabled = on;
}

function softmaxKernel(): SoftmaxKernel | null {
  if (!enabled) return null;
  if (kernel === undefined) kernel = instantiate();
  return kernel;
}

function instantiate(): SoftmaxKernel | null {
  try {
    if (typeof WebAssembly !== "object") return null;
    const text = atob(SOFTMAX_KERNEL_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as SoftmaxKernel;
    const tables = new Float64Array(k.memory.buffer, BASE, 2048 / 8 + 1102);
    tables.set(EXP2, 0);
    // 2^i for i = -1100..1 at index 256 + i + 1100, as in fastExp.ts.
    for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) tables[256 + i] = p;
    // The SIMD constants at BASE + 12288 (assembly/softmaxKernel.ts CONSTS), in its order.
    new Float64Array(k.memory.buffer, BASE + 12288, 9).set([
      -700, 184.6649652337873, 6755399441055744, 0.0054152123482253955, -1.0082281460997769e-13, 0.5, -0.16666666666666666, 0.041666666666666664,
      -0.008333333333333333,
    ]);
    new BigInt64Array(k.memory.buffer, BASE + 12288 + 72, 2).set([EXP_BIAS, EXP_BIAS]);
    return k;
  } catch {
    return null;
  }
}

let viewElements = -1;
let viewRows = -1;
let viewBuffer: ArrayBuffer | null = null;
let logitsView = new Float64Array(0);
let rowsView = new Float64Array(0);
let storeView = new Float64Array(0);
/** Whether the last `scanRowsWithKernel` ran the kernel (and `kernelRow` may read its rows). */
let ran = false;

function views(k: SoftmaxKernel, rows: number, elements: number): void {
  const needed = DATA + 16 * elements + 32 * rows;
  const buffer = k.memory.buffer;
  if (buffer.byteLength < needed) k.memory.grow(Math.ceil((needed - buffer.byteLength) / 65536));
  if (elements === viewElements && rows === viewRows && k.memory.buffer === viewBuffer) return;
  viewBuffer = k.memory.buffer;
  viewElements = elements;
  viewRows = rows;
  logitsView = new Float64Array(viewBuffer, DATA, elements);
  storeView = new Float64Array(viewBuffer, DATA + 8 * elements, elements);
  rowsView = new Float64Array(viewBuffer, DATA + 16 * elements, 4 * rows);
}

/**
 * @internal Scans the n rows of k logits with the kernel, writing the stored exponentials into `grad` (when
 * given). Returns false, having done nothing, where the kernel is unavailable or does not apply (short rows
 * or batches, two classes, rows over 4,096 columns, a batch beyond 2 GB, a non-number in a plain array): the caller then
 * scans every row with `scanRow`.
 */
export function scanRowsWithKernel(logits: NumericArray, n: number, k: number, grad: GradientBuffer | null): boolean {
  const kern = prepare(logits, n, k);
  if (kern === null) return false;
  kern.run(n, k, DATA, DATA + 16 * n * k, DATA + 8 * n * k, grad !== null ? 1 : 0);
  if (grad !== null) copyOut(grad, n * k);
  ran = true;
  return true;
}

/** Checks that the kernel applies, sizes its memory and copies the logits in; null where it does not. */
function prepare(logits: NumericArray, n: number, k: number): SoftmaxKernel | null {
  ran = false;
  const elements = n * k;
  // Two classes take scanRow, which computes log1p(T) as the binary losses do (softmaxRow.ts), for the same bits.
  if (k === 2 || elements < MIN_ELEMENTS || k > MAX_K || 16 * elements + 32 * n > 2 ** 31 - DATA) return null;
  const kern = softmaxKernel();
  if (kern === null) return null;
  views(kern, n, elements);
  if (ArrayBuffer.isView(logits)) logitsView.set(logits as unknown as ArrayLike<number>);
  else {
    for (let i = 0; i < elements; i++) {
      const x = logits[i];
      if (typeof x !== "number") return null;
      logitsView[i] = x;
    }
  }
  return kern;
}

function copyOut(grad: GradientBuffer, elements: number): void {
  if (ArrayBuffer.isView(grad)) grad.set(storeView);
  else for (let i = 0; i < elements; i++) grad[i] = storeView[i]!;
}

/**
 * @internal The class-id cross-entropy's gradient in the kernel (categoricalBatch.ts logitsPass, the branch
 * "a class id": no label smoothing, no focal term), bit for bit that branch: scans the rows as
 * `scanRowsWithKernel` and writes `scale_i (softmax - onehot(y_i))` into `grad`, with
 * `scale_i = (w_i c_{y_i}) / divisor` computed here as there (a row whose label is `ignoreIndex` or whose
 * weight is 0 gets zeros). Labels must have been validated (prepareCategorical). Only for a Float64Array or
 * plain-array gradient (a Float32Array would round the stored exponentials first, then the products).
 * Returns false, having done nothing to `grad`, where it does not apply; rows it flags (`kernelRow` false)
 * are left for the caller, which scans them and writes their gradient itself. `ignoreIndex` and the divisor
 * come in `KERNEL_PARAMS[0]` and `[1]`: V8 boxes a double argument of a call that it does not inline (a heap
 * allocation per call; binaryBatch.ts).
 */
export function gradientWithKernel(
  labels: NumericArray,
  logits: NumericArray,
  n: number,
  k: number,
  grad: GradientBuffer,
  weights: NumericArray | undefined,
  classWeights: NumericArray | undefined,
): boolean {
  if (grad instanceof Float32Array) return false;
  const ignoreIndex = KERNEL_PARAMS[0]!;
  const divisor = KERNEL_PARAMS[1]!;
  const kern = prepare(logits, n, k);
  if (kern === null) return false;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (y === ignoreIndex || w === 0) {
      rowsView[4 * i + 2] = -1;
      continue;
    }
    const cy = classWeights === undefined ? 1 : classWeights[y]!;
    rowsView[4 * i + 2] = y;
    rowsView[4 * i + 3] = (w * cy) / divisor;
  }
  kern.runGrad(n, k, DATA, DATA + 16 * n * k, DATA + 8 * n * k);
  copyOut(grad, n * k);
  ran = true;
  return true;
}

/**
 * @internal Fills `row` (softmaxRow.ts) with row i of the last kernel scan, exactly as `scanRow` would have.
 * Returns false when the kernel flagged the row (the caller scans it with scanRow).
 */
export function kernelRow(i: number): boolean {
  if (!ran || rowsView[4 * i + 3] !== 0) return false;
  const tail = rowsView[4 * i + 2]!;
  row.max = rowsView[4 * i]!;
  row.argmax = rowsView[4 * i + 1]! | 0;
  row.tail = tail;
  row.log1pTail = log1pNonNegative(tail);
  row.infinite = false;
  return true;
}

/**
 * @internal After `gradientWithKernel`: `-logSoftmax_y = (m - z_y) + log1p(T)` of row i, as `negLogSoftmax`
 * computes it after scanRow (the kernel computed m - z_y while the row was in cache), into `KERNEL_LOSS[0]`,
 * or NaN when the kernel flagged the row (the caller scans it with scanRow). Only for rows with a label (not ignored, weight not 0).
 */
export function kernelLabelLoss(i: number): void {
  if (rowsView[4 * i + 3] !== 0) {
    KERNEL_LOSS[0] = NaN;
    return;
  }
  const tail = rowsView[4 * i + 2]!;
  KERNEL_LOSS[0] = rowsView[4 * i + 1]! + log1pNonNegative(tail);
}

/** @internal `gradientWithKernel`'s numeric parameters: ignoreIndex (NaN: none), the reduction's divisor. */
export const KERNEL_PARAMS = new Float64Array(2);
/**
 * @internal Where `kernelLabelLoss` leaves its result: a double returned from a call that V8 does not inline
 * is boxed (a heap allocation per row).
 */
export const KERNEL_LOSS = new Float64Array(1);

/** @internal Whether the kernel flagged row i (after `gradientWithKernel`). */
export function kernelFlagged(i: number): boolean {
  return rowsView[4 * i + 3] !== 0;
}
