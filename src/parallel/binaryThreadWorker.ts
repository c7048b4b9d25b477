/**
 * A worker thread of binaryThreads.ts: runs the chunks that the calling thread puts into its slots
 * (threadSlots.ts) through its own instance of the WebAssembly kernel, in ring order, until told to exit.
 * Each chunk is run exactly as the calling thread runs its own (binaryWasm.ts `beginBatch`, `runChunk`),
 * so its gradient and lane sums are the same bits.
 */
import { parentPort, workerData } from "node:worker_threads";
import { beginBatch, binaryKernel, endBatch, runChunk } from "../core/kernels/binaryWasm.js";
import { BAD, controlWords, DONE, EXIT, FLAG_GRAD, FLAG_LOSS, FLAG_SIGN, READY, SLOTS, slotLength, slotViews } from "./threadSlots.js";

const buffer = (workerData as { buffer: SharedArrayBuffer }).buffer;
const ctrl = controlWords(buffer);
const slots = slotViews(buffer);
const k = binaryKernel();
parentPort!.postMessage(k === null ? "unavailable" : "ready");

if (k !== null) {
  for (let s = 0; ; s = (s + 1) % SLOTS) {
    const at = 4 * s;
    let state = Atomics.load(ctrl, at);
    while (state !== READY && state !== EXIT) {
      Atomics.wait(ctrl, at, state);
      state = Atomics.load(ctrl, at);
    }
    if (state === EXIT) break;
    const slot = slots[s]!;
    const m = ctrl[at + 1]!;
    const flags = ctrl[at + 2]!;
    slotLength(slot, m);
    beginBatch(k, slot.labelsTail, slot.logitsTail, flags & FLAG_GRAD ? slot.gradTail : null, slot.params);
    const ok = runChunk(k, 0, (flags & FLAG_SIGN) !== 0, (flags & FLAG_LOSS) !== 0, slot.lanes, 0);
    endBatch();
    Atomics.store(ctrl, at, ok ? DONE : BAD);
    Atomics.notify(ctrl, at);
  }
}
