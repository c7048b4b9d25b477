import { CHUNK } from "../core/kernels/binaryWasm.js";

/**
 * @internal The shared memory between the calling thread and one worker (binaryThreads.ts,
 * binaryThreadWorker.ts): a ring of `SLOTS` slots, each holding one kernel chunk.
 *
 * Layout of the SharedArrayBuffer: first the control words, 4 Int32 per slot: [state, m (samples in the
 * chunk), flags (1 {-1, +1} labels, 2 the loss, 4 the gradient), chunk index]; then per slot, as f64: the
 * kernel's parameters (posWeight, keep, half, divisor), the chunk's lane sums (s0, s1, c0, c1, written by
 * the worker), the labels, the logits and the gradient (CHUNK each).
 *
 * A slot's state goes IDLE -> READY (the calling thread filled it) -> DONE or BAD (the worker ran it) -> IDLE
 * (the calling thread took its results), each change an `Atomics.store` followed by `Atomics.notify`; the
 * worker runs its slots in ring order, so the calling thread fills and empties them in that order too.
 */
export const SLOTS = 2;
export const IDLE = 0;
export const READY = 1;
export const DONE = 2;
export const BAD = 3;
export const EXIT = 4;

export const FLAG_SIGN = 1;
export const FLAG_LOSS = 2;
export const FLAG_GRAD = 4;

/** f64 per slot: parameters, lane sums, labels, logits, gradient. */
const SLOT_DOUBLES = 8 + 3 * CHUNK;

/** One slot's views. `*Tail` are views of the first `tailLength` entries (a batch's last, shorter chunk). */
export interface Slot {
  params: Float64Array;
  lanes: Float64Array;
  labels: Float64Array;
  logits: Float64Array;
  grad: Float64Array;
  tailLength: number;
  labelsTail: Float64Array;
  logitsTail: Float64Array;
  gradTail: Float64Array;
}

/** Bytes of a worker's shared memory. */
export function slotsBytes(): number {
  return 16 * SLOTS + 8 * SLOT_DOUBLES * SLOTS;
}

/** The control words (Int32Array, 4 per slot) of a worker's shared memory. */
export function controlWords(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, 4 * SLOTS);
}

/** The slots of a worker's shared memory. */
export function slotViews(buffer: SharedArrayBuffer): Slot[] {
  const slots: Slot[] = [];
  for (let s = 0; s < SLOTS; s++) {
    const at = 16 * SLOTS + 8 * SLOT_DOUBLES * s;
    const labels = new Float64Array(buffer, at + 64, CHUNK);
    const logits = new Float64Array(buffer, at + 64 + 8 * CHUNK, CHUNK);
    const grad = new Float64Array(buffer, at + 64 + 16 * CHUNK, CHUNK);
    slots.push({
      params: new Float64Array(buffer, at, 4),
      lanes: new Float64Array(buffer, at + 32, 4),
      labels,
      logits,
      grad,
      tailLength: CHUNK,
      labelsTail: labels,
      logitsTail: logits,
      gradTail: grad,
    });
  }
  return slots;
}

/** Views of a slot's first m entries (m <= CHUNK): the full views, or tail views kept for the next call. */
export function slotLength(slot: Slot, m: number): void {
  if (m === slot.tailLength) return;
  slot.tailLength = m;
  slot.labelsTail = slot.labels.subarray(0, m);
  slot.logitsTail = slot.logits.subarray(0, m);
  slot.gradTail = slot.grad.subarray(0, m);
}
