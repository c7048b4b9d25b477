import type { runBinaryKernel } from "../kernels/binaryWasm.js";

/**
 * @internal What runs a large batch of the logit losses in place of `runBinaryKernel` (binaryWasm.ts), with
 * its signature: the worker threads of src/parallel/binaryThreads.ts (Node only) register one.
 * Core knows nothing of threads; it asks here for batches of at least the registered size.
 */
export type BinaryBatchRunner = typeof runBinaryKernel;

let runner: BinaryBatchRunner | null = null;
let minSamples = Infinity;

/** @internal Registers the runner for batches of at least `min` samples (null: none). */
export function setBinaryBatchRunner(r: BinaryBatchRunner | null, min: number): void {
  runner = r;
  minSamples = r === null ? Infinity : min;
}

/** @internal The registered runner if a batch of n samples is large enough for it, else null. */
export function binaryBatchRunner(n: number): BinaryBatchRunner | null {
  return n >= minSamples ? runner : null;
}
