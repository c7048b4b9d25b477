import { binaryCrossEntropyWithLogitsAndGrad } from "../binary/binaryCrossEntropyWithLogits.js";
import { type DenseProducts } from "./denseProducts.js";

/**
 * @internal The binary logistic fit's pass over X (one evaluation of the loss and its gradient), cut into parts
 * that worker threads can run (src/parallel/denseFitThreads.ts registers a `DenseFitRunner`; core knows nothing
 * of threads).
 *
 * The rows go in blocks (`passBlockRows`, as before parts existed); the blocks in P parts, contiguous runs of
 * blocks, P depending on n and d only (`denseParts`). Each part's gradient is summed from zero (the kernel's
 * order within the part) and its loss by Neumaier's compensated sum over its blocks; the caller adds the parts'
 * gradients and losses in part order. Whoever runs a part, and whatever the number of threads (1 included),
 * each part gives the same bits (the WebAssembly kernel and its JavaScript twin agree bit for bit), so the fit does.
 */

/** @internal A block of rows of the pass, with its views of the labels, scores, residual and weights. */
export interface BinaryPassBlock {
  from: number;
  rows: number;
  labels: Float64Array | Int32Array;
  scores: Float64Array;
  /** The loss call's options: the block's weights, reduction "sum", and the residual as `gradOut`. */
  options: { weights: Float64Array | undefined; reduction: "sum"; gradOut: Float64Array; classes?: number };
}

/**
 * @internal Rows per block: about 200 KB of X (25,000 doubles; the block stays in the L2 cache between the scores
 * and the gradient), and at least 32 rows, so that the loss call per block costs little. Measured on one
 * evaluation: 12,000 x 784 takes 9.1 ms with these blocks, 11.8 ms with 512 KB ones; 100,000 x 50 7.5 against 8.1.
 */
export function passBlockRows(d: number): number {
  return Math.max(32, Math.floor(25000 / d));
}

/** @internal The passes of at least this many entries of X (n d) are cut into `PARTS` parts; smaller ones are one. */
export const PART_MIN_ENTRIES = 1 << 20;
/** @internal Parts of a large pass: 12 divides evenly among 1, 2, 3, 4 and 6 threads. */
export const PARTS = 12;

/** @internal The parts of a pass over n rows of d features: [first block, end block) each, in order. */
export function denseParts(n: number, d: number): { first: number; end: number }[] {
  const blocks = Math.ceil(n / passBlockRows(d));
  const p = n * d >= PART_MIN_ENTRIES ? Math.min(PARTS, blocks) : 1;
  return Array.from({ length: p }, (_, i) => ({ first: Math.floor((i * blocks) / p), end: Math.floor(((i + 1) * blocks) / p) }));
}

/** @internal The blocks of rows [0, n) of `kp` (k = 1 here; k classes for the multinomial pass), views made once. */
export function passBlocks(
  n: number,
  d: number,
  k: number,
  labels: Float64Array | Int32Array,
  weights: Float64Array | undefined,
  kp: DenseProducts,
): BinaryPassBlock[] {
  const size = passBlockRows(d);
  const blocks: BinaryPassBlock[] = [];
  for (let from = 0; from < n; from += size) {
    const rows = Math.min(size, n - from);
    const gradOut = kp.residual.subarray(from * k, (from + rows) * k);
    blocks.push({
      from,
      rows,
      labels: labels.subarray(from, from + rows),
      scores: kp.scores.subarray(from * k, (from + rows) * k),
      options: { weights: weights?.subarray(from, from + rows), reduction: "sum", gradOut, ...(k > 1 ? { classes: k } : {}) },
    });
  }
  return blocks;
}

/**
 * @internal Blocks [first, end) of a binary pass: each block's scores (from `kp.theta`), its loss and residual, and
 * its gradient added to `kp.gradient` while the block is in cache. Returns the blocks' loss, summed by Neumaier's
 * compensated addition (the compensation added at the end).
 */
export function binaryPassLoss(kp: DenseProducts, blocks: BinaryPassBlock[], first: number, end: number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = first; i < end; i++) {
    const b = blocks[i]!;
    kp.computeScores(b.from, b.rows);
    const { loss } = binaryCrossEntropyWithLogitsAndGrad(b.labels, b.scores, b.options);
    kp.accumulate(b.from, b.rows);
    const t = sum + loss;
    compensation += Math.abs(sum) >= Math.abs(loss) ? sum - t + loss : loss - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** @internal What a fit hands to a `DenseFitRunner`: X (n x d, row-major), labels in {0, 1}, loss weights, parts. */
export interface DenseBinaryFitSpec {
  x: Float64Array;
  n: number;
  d: number;
  labels: Float64Array;
  weights: Float64Array | undefined;
  parts: { first: number; end: number }[];
}

/**
 * @internal One fit's worker threads: they run the parts from `firstWorkerPart` on; the calling thread runs the
 * ones before.
 */
export interface DenseFitSession {
  readonly firstWorkerPart: number;
  /** Starts the workers' parts at the parameters `theta` (the kernel's layout [w, b]). */
  start(theta: Float64Array): void;
  /**
   * Waits for the workers' parts; writes part p's gradient (d + 1) at `gradients[(p - firstWorkerPart) (d + 1)]`,
   * its loss at `losses[p - firstWorkerPart]`, and the scores of the workers' rows into `scores` (at their rows).
   */
  finish(gradients: Float64Array, losses: Float64Array, scores: Float64Array): void;
  /** The fit is over: the workers drop its data. */
  end(): void;
}

/** @internal Makes a fit's session, or returns null (too small, no workers, or a worker lost). */
export type DenseFitRunner = (spec: DenseBinaryFitSpec) => DenseFitSession | null;

let runner: DenseFitRunner | null = null;

/** @internal Registers the runner of dense fits (null: none; every pass on the calling thread). */
export function setDenseFitRunner(r: DenseFitRunner | null): void {
  runner = r;
}

/** @internal The registered runner, or null. */
export function denseFitRunner(): DenseFitRunner | null {
  return runner;
}
