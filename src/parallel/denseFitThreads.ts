/**
 * Worker threads for the passes over X of a dense binary LogisticRegression fit (Node only: `import {
 * startFitThreads } from "xent/threads"`). Once started, every binary fit on dense X of at least 2^20 entries
 * (n d; core/kernels/denseBinaryPass.ts) hands the workers their share of the pass's parts: the calling thread
 * runs the first parts, each worker the next ones, and the parts' gradients and losses are added in part order.
 * Each part is computed from zero in the same order whoever runs it, so a fit gives the same bits on 1, 2 or N
 * threads, and with the WebAssembly kernel on or off (its JavaScript twin has the same bits); the tests check it.
 *
 * Per fit, the calling thread copies each worker's rows of X (with labels and weights) once into a
 * SharedArrayBuffer, and the worker copies them into its own WebAssembly memory; per evaluation, it passes the
 * parameters in and gets each part's gradient, loss and the rows' scores back (d + 1 and n_w doubles). The Newton
 * steps of the default fit (Hessian products, the polish) stay on the calling thread: threads serve the
 * evaluations of L-BFGS and OWL-QN and the line searches of every solver.
 *
 * Browsers forbid a blocking wait on their main thread, and without these workers every pass runs on the
 * calling thread with the same bits.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkOptions, fail, failType } from "../core/common/checks.js";
import { type DenseBinaryFitSpec, type DenseFitSession, passBlockRows, setDenseFitRunner } from "../core/kernels/denseBinaryPass.js";
import { DONE, END, type FitMessage, IDLE, RUN, fitBytes, fitViews, type FitViews } from "./denseFitSlots.js";

/** Options of `startFitThreads`. */
export interface FitThreadsOptions {
  /** Worker threads besides the calling one: an integer >= 1; default the machine's cores minus 1, at least 1. */
  threads?: number;
}

/** How long one wait for a worker lasts before the calling thread checks that it is alive. */
const WAIT_MS = 1000;
/** How long the calling thread waits for one pass before it takes the worker for lost. */
const LOST_MS = 30_000;

interface FitWorker {
  worker: Worker;
  alive: boolean;
  busy: boolean;
  /** The data buffer of its fits (denseFitSlots.ts), reused while large enough. */
  buffer: SharedArrayBuffer;
}

let workers: FitWorker[] = [];
/** Passes in which workers ran parts, since the start (`fitThreadsInfo`). */
let workerPasses = 0;

/**
 * Starts `threads` worker threads for the dense binary fits (see the module comment). Resolves when they are
 * ready (each has run a few warm-up passes); starting again first stops the running ones.
 * Usage: `await startFitThreads({ threads: 1 })`, fit as usual, `await stopFitThreads()` when done (the workers
 * do not keep the process alive meanwhile).
 */
export async function startFitThreads(options: FitThreadsOptions = {}): Promise<{ threads: number }> {
  if (options === null || typeof options !== "object") failType("startFitThreads: options", options, "is not an object");
  checkOptions("startFitThreads", options, ["threads"]);
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (typeof threads !== "number") failType("startFitThreads: options.threads", threads, "is not a number");
  if (!Number.isInteger(threads) || threads < 1) fail("startFitThreads: options.threads", threads, "is not an integer >= 1");
  await stopFitThreads();
  const created: FitWorker[] = [];
  try {
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(new URL("./denseFitWorker.js", import.meta.url));
      const w: FitWorker = { worker, alive: true, busy: false, buffer: new SharedArrayBuffer(0) };
      created.push(w);
      const message = await new Promise<unknown>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      if (message !== "ready") throw new Error(`startFitThreads: a worker did not start (${String(message)})`);
      worker.on("error", () => (w.alive = false));
      worker.on("exit", () => (w.alive = false));
      worker.unref();
    }
  } catch (error) {
    await Promise.all(created.map((w) => w.worker.terminate()));
    throw error;
  }
  workers = created;
  workerPasses = 0;
  setDenseFitRunner(beginFit);
  return { threads };
}

/** Stops the fit workers (every pass on the calling thread again). */
export async function stopFitThreads(): Promise<void> {
  setDenseFitRunner(null);
  const stopping = workers;
  workers = [];
  await Promise.all(stopping.map((w) => w.worker.terminate()));
}

/** The fit workers running (0 when none), and the passes over X they took part in since they started. */
export function fitThreadsInfo(): { threads: number; workerPasses: number } {
  return { threads: workers.length, workerPasses };
}

interface Share {
  w: FitWorker;
  views: FitViews;
  /** Its first part (global index), its first row, and its rows. */
  firstPart: number;
  from: number;
  rows: number;
}

/**
 * The runner registered with core: splits the parts among the calling thread (the first share) and the workers
 * (thread t of T takes parts [floor(t P / T), floor((t + 1) P / T))), and posts each worker its rows. Null (all
 * on the calling thread) when a worker is lost or still held by another fit.
 */
function beginFit(spec: DenseBinaryFitSpec): DenseFitSession | null {
  const pool = workers;
  if (pool.length === 0 || pool.some((w) => !w.alive || w.busy)) return null;
  const { x, n, d, labels, weights, parts } = spec;
  const P = parts.length;
  const T = pool.length + 1;
  const blockRows = passBlockRows(d);
  const shares: Share[] = [];
  for (let t = 1; t < T; t++) {
    const pa = Math.floor((t * P) / T);
    const pb = Math.floor(((t + 1) * P) / T);
    if (pb <= pa) continue;
    const from = parts[pa]!.first * blockRows;
    const to = Math.min(n, parts[pb - 1]!.end * blockRows);
    const rows = to - from;
    const local = parts.slice(pa, pb).map((p) => ({ first: p.first - parts[pa]!.first, end: p.end - parts[pa]!.first }));
    const w = pool[t - 1]!;
    const bytes = fitBytes(rows, d, local.length, weights !== undefined);
    if (w.buffer.byteLength < bytes) w.buffer = new SharedArrayBuffer(bytes);
    const message: FitMessage = {
      control: new SharedArrayBuffer(16),
      buffer: w.buffer,
      n: rows,
      d,
      parts: local,
      weighted: weights !== undefined,
    };
    const views = fitViews(message);
    views.x.set(x.subarray(from * d, to * d));
    views.labels.set(labels.subarray(from, to));
    if (weights !== undefined) views.weights!.set(weights.subarray(from, to));
    w.busy = true;
    w.worker.postMessage(message);
    shares.push({ w, views, firstPart: pa, from, rows });
  }
  const firstWorkerPart = shares.length === 0 ? P : shares[0]!.firstPart;
  if (shares.length === 0) return null;
  const m = d + 1;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const s of shares) {
      Atomics.store(s.views.ctrl, 0, END);
      Atomics.notify(s.views.ctrl, 0);
      s.w.busy = false;
    }
  };
  return {
    firstWorkerPart,
    start(theta) {
      for (const s of shares) {
        s.views.theta.set(theta);
        Atomics.store(s.views.ctrl, 0, RUN);
        Atomics.notify(s.views.ctrl, 0);
      }
    },
    finish(gradients, losses, scores) {
      for (const s of shares) {
        const ctrl = s.views.ctrl;
        const deadline = Date.now() + LOST_MS;
        while (Atomics.load(ctrl, 0) === RUN) {
          if (Atomics.wait(ctrl, 0, RUN, WAIT_MS) === "timed-out" && (!s.w.alive || Date.now() > deadline)) {
            end();
            void stopFitThreads();
            throw new Error("xent threads: a fit worker thread stopped answering (the fit threads are stopped; fit again)");
          }
        }
        if (Atomics.load(ctrl, 0) !== DONE) throw new Error("xent threads: a fit worker thread is in an unexpected state");
        gradients.set(s.views.gradients, (s.firstPart - firstWorkerPart) * m);
        losses.set(s.views.losses, s.firstPart - firstWorkerPart);
        scores.set(s.views.scores, s.from);
        Atomics.store(ctrl, 0, IDLE);
      }
      workerPasses++;
    },
    end,
  };
}
