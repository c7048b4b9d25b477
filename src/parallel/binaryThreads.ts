/**
 * Worker threads for very large batches of the logit losses (Node only: `import { startBinaryThreads } from
 * "xent/threads"`). Once started, `binaryCrossEntropyWithLogits`, `logisticLoss` and their Grad and AndGrad
 * forms split batches of at least `minSamples` samples (typed arrays, no per-sample weights, a reduced loss)
 * between the calling thread and the workers, and return the same bits as on one thread.
 *
 * How: the batch is cut into the kernel's chunks (8,192 samples, binaryWasm.ts). The calling thread takes
 * chunks from the front, each worker from the back, through a ring of two slots in a SharedArrayBuffer
 * (threadSlots.ts): a worker cannot read the caller's arrays, so the calling thread copies a worker's chunk
 * into a slot and its gradient back out, and runs its own chunks in between; when the two ends meet it waits
 * (`Atomics.wait`, which Node allows on the main thread) for the workers' last chunks. Each chunk's lane sums
 * are kept by chunk index and added in chunk order at the end (chunkedSum.ts), which is what one thread
 * does: so the loss is bit for bit the same whoever ran which chunk, and so is the gradient.
 *
 * The copies stay on the calling thread (about 1.8 ns per sample at 10^7 on the development machine, of
 * about 7.6 in all), so two threads take a batch from about 7.6 to 5 ns per sample, not to half; below
 * `minSamples` the hand-over costs more than it saves (the README's "Benchmarks and speed" has the
 * measured crossover). Browsers forbid a blocking wait on their main thread: this module is for Node.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type BinaryBatchRunner, setBinaryBatchRunner } from "../core/binary/binaryBatchRunner.js";
import {
  beginBatch,
  binaryKernel,
  chunkCount,
  CHUNK,
  copyChunkGrad,
  copyChunkOut,
  endBatch,
  runBinaryKernel,
  runChunk,
} from "../core/kernels/binaryWasm.js";
import { addChunk, resetChunked } from "../core/numerics/chunkedSum.js";
import { checkOptions, fail, failType } from "../core/common/checks.js";
import {
  BAD,
  controlWords,
  EXIT,
  FLAG_GRAD,
  FLAG_LOSS,
  FLAG_SIGN,
  IDLE,
  READY,
  type Slot,
  SLOTS,
  slotLength,
  slotsBytes,
  slotViews,
} from "./threadSlots.js";

/** Options of `startBinaryThreads`. */
export interface BinaryThreadsOptions {
  /** Worker threads besides the calling one: an integer >= 1; default the machine's cores minus 1, at least 1. */
  threads?: number;
  /** The smallest batch (samples) that is split; default 131,072 (see the README for the measured crossover). */
  minSamples?: number;
}

/** What `startBinaryThreads` started. */
export interface BinaryThreadsInfo {
  threads: number;
  minSamples: number;
}

/** `binaryThreadsInfo`: the settings, and the chunks (of 8,192 samples) the workers ran since the start. */
export interface BinaryThreadsStatus extends BinaryThreadsInfo {
  workerChunks: number;
}

/** The default `minSamples`: above the crossover measured on the development machine (README). */
export const DEFAULT_MIN_SAMPLES = 131_072;

/** Chunks run through each new worker before it takes real ones (see `warmUp`). */
const WARM_UP_CHUNKS = 400;

/** How long one wait for a worker's chunk lasts before the calling thread checks the time. */
const WAIT_MS = 1000;
/** How long the calling thread waits for one chunk before it takes the worker for lost. */
const LOST_MS = 10_000;

interface Ring {
  worker: Worker;
  ctrl: Int32Array;
  slots: Slot[];
  /** The chunk index in each slot. */
  chunks: Int32Array;
  /** The slot the worker runs next, and how many slots are filled. */
  next: number;
  pending: number;
  alive: boolean;
}

let rings: Ring[] = [];
let started: BinaryThreadsInfo | null = null;
let workerChunks = 0;

/**
 * Starts `threads` worker threads and routes batches of at least `minSamples` samples through them (see the
 * module comment). Resolves when the workers are ready; starting again first stops the running ones.
 * Rejects where the WebAssembly kernel is unavailable (the workers would have nothing to run).
 * Usage (the README's "Worker threads"): `await startBinaryThreads({ threads: 1 })`, then call the losses as
 * usual; `await stopBinaryThreads()` when done (the workers do not keep the process alive meanwhile).
 */
export async function startBinaryThreads(options: BinaryThreadsOptions = {}): Promise<BinaryThreadsInfo> {
  if (options === null || typeof options !== "object") failType("startBinaryThreads: options", options, "is not an object");
  checkOptions("startBinaryThreads", options, ["threads", "minSamples"]);
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (typeof threads !== "number") failType("startBinaryThreads: options.threads", threads, "is not a number");
  if (!Number.isInteger(threads) || threads < 1) fail("startBinaryThreads: options.threads", threads, "is not an integer >= 1");
  if (typeof minSamples !== "number") failType("startBinaryThreads: options.minSamples", minSamples, "is not a number");
  if (!(minSamples >= 0)) fail("startBinaryThreads: options.minSamples", minSamples, "is not a number >= 0");
  return serially(() => start(threads, minSamples));
}

/**
 * Starts and stops run one after another, in the order they were called (a start that is still waiting for
 * its workers must not be overtaken by a stop, nor two starts interleave and lose each other's workers).
 */
let lifecycle: Promise<unknown> = Promise.resolve();
function serially<T>(step: () => Promise<T>): Promise<T> {
  const next = lifecycle.then(step, step);
  lifecycle = next.catch(() => undefined);
  return next;
}

async function start(threads: number, minSamples: number): Promise<BinaryThreadsInfo> {
  await stop();
  if (binaryKernel() === null) throw new Error("startBinaryThreads: WebAssembly is unavailable here, so there is no kernel for the workers to run");
  const created: Ring[] = [];
  try {
    for (let t = 0; t < threads; t++) {
      const buffer = new SharedArrayBuffer(slotsBytes());
      const worker = new Worker(new URL("./binaryThreadWorker.js", import.meta.url), { workerData: { buffer } });
      const ring: Ring = {
        worker,
        ctrl: controlWords(buffer),
        slots: slotViews(buffer),
        chunks: new Int32Array(SLOTS),
        next: 0,
        pending: 0,
        alive: true,
      };
      created.push(ring);
      const message = await new Promise<unknown>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      if (message !== "ready") throw new Error(`startBinaryThreads: a worker could not load the kernel (${String(message)})`);
      worker.on("error", () => (ring.alive = false));
      worker.on("exit", () => (ring.alive = false));
      worker.unref(); // the workers do not keep the process alive
      warmUp(ring);
    }
  } catch (error) {
    await Promise.all(created.map((r) => r.worker.terminate()));
    throw error;
  }
  rings = created;
  started = { threads, minSamples };
  workerChunks = 0;
  setBinaryBatchRunner(runThreaded, minSamples);
  return { ...started };
}

/**
 * Runs `WARM_UP_CHUNKS` made-up chunks through a new worker, one at a time, so that its JavaScript and its
 * WebAssembly are optimized before the first real batch (V8 compiles both in tiers as they run: measured,
 * the first batches of a million samples after the start were no faster than one thread). About 30 ms.
 */
function warmUp(r: Ring): void {
  for (const slot of r.slots) {
    for (let i = 0; i < CHUNK; i++) {
      slot.labels[i] = i & 1;
      slot.logits[i] = ((i % 64) - 32) / 4;
    }
    slot.params.set([1, 1, 0, CHUNK]);
  }
  for (let i = 0; i < WARM_UP_CHUNKS; i++) {
    const at = 4 * r.next;
    r.ctrl[at + 1] = CHUNK;
    r.ctrl[at + 2] = FLAG_LOSS | FLAG_GRAD;
    Atomics.store(r.ctrl, at, READY);
    Atomics.notify(r.ctrl, at);
    if (!awaitSlot(r, at)) throw new Error("startBinaryThreads: a worker stopped answering while starting");
    Atomics.store(r.ctrl, at, IDLE);
    r.next = (r.next + 1) % SLOTS;
  }
}

/** Stops the worker threads (batches run on the calling thread again), after any start still under way. */
export function stopBinaryThreads(): Promise<void> {
  return serially(stop);
}

async function stop(): Promise<void> {
  setBinaryBatchRunner(null, Infinity);
  const stopping = rings;
  rings = [];
  started = null;
  for (const r of stopping) {
    for (let s = 0; s < SLOTS; s++) {
      Atomics.store(r.ctrl, 4 * s, EXIT);
      Atomics.notify(r.ctrl, 4 * s);
    }
  }
  await Promise.all(stopping.map((r) => r.worker.terminate()));
}

/**
 * Changes the smallest batch that is split, without restarting the workers (Infinity: none, for now).
 * Throws if no workers run.
 */
export function setBinaryThreadsMinSamples(minSamples: number): void {
  if (started === null) throw new Error("setBinaryThreadsMinSamples: no worker threads run (startBinaryThreads first)");
  if (typeof minSamples !== "number") failType("setBinaryThreadsMinSamples: minSamples", minSamples, "is not a number");
  if (!(minSamples >= 0)) fail("setBinaryThreadsMinSamples: minSamples", minSamples, "is not a number >= 0");
  started.minSamples = minSamples;
  setBinaryBatchRunner(runThreaded, minSamples);
}

/** The running workers' settings and how many chunks they ran, or null when none run. */
export function binaryThreadsInfo(): BinaryThreadsStatus | null {
  return started === null ? null : { ...started, workerChunks };
}

/** Per-chunk lane sums of the current batch, kept for the next batch of the same chunk count. */
let lanes = new Float64Array(0);

/** The batch runner registered with core (binaryBatchRunner.ts): `runBinaryKernel`'s contract. */
const runThreaded: BinaryBatchRunner = (k, labels, logits, grad, params, acc, signLabels, wantLoss) => {
  const chunks = chunkCount(labels.length);
  const typed = ArrayBuffer.isView(labels) && ArrayBuffer.isView(logits) && (grad === null || ArrayBuffer.isView(grad));
  let alive = true;
  for (const r of rings) alive &&= r.alive;
  if (!typed || chunks < 2 || !alive) {
    return runBinaryKernel(k, labels, logits, grad, params, acc, signLabels, wantLoss);
  }
  if (lanes.length !== 4 * chunks) lanes = new Float64Array(4 * chunks);
  beginBatch(k, labels, logits, grad, params);
  const n = labels.length;
  const flags = (signLabels ? FLAG_SIGN : 0) | (wantLoss ? FLAG_LOSS : 0) | (grad !== null ? FLAG_GRAD : 0);
  let front = 0;
  let back = chunks;
  let ok = true;
  // Give each worker its first chunks from the back, then run chunks from the front, handing the workers
  // the next ones from the back as they finish, until the two ends meet.
  for (const r of rings) {
    for (let s = 0; s < SLOTS && front < back; s++) post(r, --back, n, params, flags);
  }
  while (front < back && ok) {
    ok = runChunk(k, front, signLabels, wantLoss, lanes, 4 * front);
    front++;
    for (const r of rings) {
      while (r.pending > 0 && Atomics.load(r.ctrl, 4 * r.next) !== READY) {
        ok = collect(r) && ok;
        if (ok && front < back) post(r, --back, n, params, flags);
      }
    }
  }
  // The workers' last chunks (also after a failure: a slot must be empty before the next batch).
  let lost = false;
  for (const r of rings) {
    while (r.pending > 0) {
      const at = 4 * r.next;
      if (!awaitSlot(r, at)) {
        lost = true;
        break;
      }
      ok = collect(r) && ok;
    }
  }
  endBatch();
  if (lost) {
    void stopBinaryThreads();
    throw new Error("xent threads: a worker thread died during a batch (the threads are stopped; run the batch again)");
  }
  if (!ok) return false;
  resetChunked(acc);
  for (let c = 0; c < chunks; c++) addChunk(lanes, 4 * c, acc);
  return true;
};

/**
 * Waits until the worker has run the slot whose control word is at `at`; false if it did not within
 * `LOST_MS` (a chunk takes about 0.1 ms). Liveness cannot come from the worker's "exit" event here: events
 * are delivered by the event loop, which this synchronous wait blocks.
 */
function awaitSlot(r: Ring, at: number): boolean {
  const deadline = Date.now() + LOST_MS;
  while (Atomics.load(r.ctrl, at) === READY) {
    if (Atomics.wait(r.ctrl, at, READY, WAIT_MS) === "timed-out" && (!r.alive || Date.now() > deadline)) return false;
  }
  return true;
}

/** Fills the worker's next free slot with chunk `chunk` of the current batch and tells the worker. */
function post(r: Ring, chunk: number, n: number, params: Float64Array, flags: number): void {
  const s = (r.next + r.pending) % SLOTS;
  const slot = r.slots[s]!;
  const m = Math.min(CHUNK, n - chunk * CHUNK);
  slotLength(slot, m);
  copyChunkOut(chunk, slot.labelsTail, slot.logitsTail);
  slot.params.set(params);
  const at = 4 * s;
  r.ctrl[at + 1] = m;
  r.ctrl[at + 2] = flags;
  r.ctrl[at + 3] = chunk;
  r.chunks[s] = chunk;
  Atomics.store(r.ctrl, at, READY);
  Atomics.notify(r.ctrl, at);
  r.pending++;
}

/** Takes the results of the worker's oldest filled slot (done or failed); false if its chunk failed. */
function collect(r: Ring): boolean {
  const s = r.next;
  const at = 4 * s;
  const failed = Atomics.load(r.ctrl, at) === BAD;
  const slot = r.slots[s]!;
  if (!failed) {
    const chunk = r.chunks[s]!;
    if (r.ctrl[at + 2]! & FLAG_GRAD) copyChunkGrad(chunk, slot.gradTail);
    lanes.set(slot.lanes, 4 * chunk);
    workerChunks++;
  }
  Atomics.store(r.ctrl, at, IDLE);
  r.next = (s + 1) % SLOTS;
  r.pending--;
  return !failed;
}

export { type FitThreadsOptions, fitThreadsInfo, startFitThreads, stopFitThreads } from "./denseFitThreads.js";
