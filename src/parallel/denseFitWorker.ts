/**
 * A worker thread of denseFitThreads.ts: for each fit it is given (a message with its rows of X, their labels
 * and weights in a SharedArrayBuffer), copies the rows into its own instance of the dense WebAssembly kernel and
 * runs its parts of every pass the calling thread starts, exactly as the calling thread runs its own
 * (core/kernels/denseBinaryPass.ts `binaryPassLoss`), until the fit ends.
 */
import { parentPort } from "node:worker_threads";
import { binaryPassLoss, passBlocks } from "../core/kernels/denseBinaryPass.js";
import { DenseProducts } from "../core/kernels/denseProducts.js";
import { DONE, type FitMessage, IDLE, RUN, fitViews } from "./denseFitSlots.js";

warmUp();
parentPort!.postMessage("ready");
parentPort!.on("message", (message: FitMessage) => runFit(message));

function runFit(message: FitMessage): void {
  const v = fitViews(message);
  const { n, d, parts } = message;
  const kp = new DenseProducts(v.x, n, d, 1);
  const blocks = passBlocks(n, d, 1, v.labels, v.weights, kp);
  const m = d + 1;
  try {
    for (;;) {
      let state = Atomics.load(v.ctrl, 0);
      while (state === IDLE || state === DONE) {
        Atomics.wait(v.ctrl, 0, state);
        state = Atomics.load(v.ctrl, 0);
      }
      if (state !== RUN) break; // END
      kp.theta.set(v.theta);
      parts.forEach((part, q) => {
        kp.gradient.fill(0);
        v.losses[q] = binaryPassLoss(kp, blocks, part.first, part.end);
        v.gradients.set(kp.gradient, q * m);
      });
      v.scores.set(kp.scores);
      Atomics.store(v.ctrl, 0, DONE);
      Atomics.notify(v.ctrl, 0);
    }
  } finally {
    kp.release();
  }
}

/**
 * Runs a few passes over made-up data, so that V8 has optimized the kernel and the loss before the first fit
 * (it compiles both in tiers as they run). A few milliseconds.
 */
function warmUp(): void {
  const n = 2048;
  const d = 64;
  const x = Float64Array.from({ length: n * d }, (_, i) => ((i * 7919) % 101) / 50 - 1);
  const labels = Float64Array.from({ length: n }, (_, i) => i & 1);
  const kp = new DenseProducts(x, n, d, 1);
  const blocks = passBlocks(n, d, 1, labels, undefined, kp);
  for (let r = 0; r < 40; r++) {
    kp.theta.fill(r / 400);
    kp.gradient.fill(0);
    binaryPassLoss(kp, blocks, 0, blocks.length);
  }
  kp.release();
}
