/**
 * xent/threads: the worker threads for large batches of the logit losses (src/parallel/). They run on the
 * built package (dist/: `npm test` builds it first), because a worker thread loads a built file; so this
 * file imports the losses from dist/ too (the workers must share the calling module's registry).
 * Each result must be bit for bit what one thread gives: the loss (the chunked sum, added in chunk order)
 * and every gradient entry, whatever the split.
 */
import { afterAll, describe, expect, test } from "vitest";
import * as xent from "../dist/index.js";
import { CHUNK } from "../dist/core/kernels/binaryWasm.js";
import { existsSync, readdirSync } from "node:fs";
import { binaryThreadsInfo, setBinaryThreadsMinSamples, startBinaryThreads, stopBinaryThreads } from "../dist/parallel/binaryThreads.js";
import { rng } from "./rng.js";

afterAll(async () => {
  await stopBinaryThreads();
});

function batch(n: number, seed: number, sign: boolean, soft = false): { labels: number[]; logits: number[] } {
  const r = rng(seed);
  const labels: number[] = [];
  const logits: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = r();
    logits.push(u < 0.002 ? (r() < 0.5 ? 800 : -Infinity) : (r() - 0.5) * 30);
    labels.push(sign ? (r() < 0.5 ? 1 : -1) : soft && r() < 0.3 ? r() : r() < 0.5 ? 0 : 1);
  }
  return { labels, logits };
}

type Call = { loss: number; grad: ArrayLike<number> | null };

/** Runs `call` on one thread, then with `threads` workers, and returns both results. */
async function both(threads: number, call: () => Call): Promise<[Call, Call]> {
  await stopBinaryThreads();
  const one = call();
  await startBinaryThreads({ threads, minSamples: 0 });
  const many = call();
  // The workers did take part (a silent fallback to one thread would pass the comparisons trivially).
  expect(binaryThreadsInfo()!.workerChunks).toBeGreaterThan(0);
  return [one, many];
}

function sameGrad(a: ArrayLike<number> | null, b: ArrayLike<number> | null): number[] {
  const bad: number[] = [];
  if (a === null || b === null) return a === b ? [] : [-1];
  for (let i = 0; i < a.length && bad.length < 5; i++) if (!Object.is(a[i], b[i])) bad.push(i);
  return bad;
}

describe("worker threads: the same bits as one thread", () => {
  const sizes = [2 * CHUNK, 2 * CHUNK + 1, 5 * CHUNK + 333, 23 * CHUNK + 7];
  const OPTIONS = [{}, { reduction: "sum" as const }, { posWeight: 3 }, { labelSmoothing: 0.1, reduction: "batchmean" as const }];

  test.each(sizes)("n = %i: loss and gradient, Float64Array and Float32Array, each option set, 1 and 2 workers", async (n) => {
    for (const threads of [1, 2]) {
      for (const options of OPTIONS) {
        for (const make of [(v: number[]) => Float64Array.from(v), (v: number[]) => Float32Array.from(v)]) {
          const { labels, logits } = batch(n, n + threads, false, true);
          const y = make(labels);
          const s = make(logits);
          const gradOut = make(new Array<number>(n).fill(0));
          const [one, many] = await both(threads, () => {
            const r = xent.binaryCrossEntropyWithLogitsAndGrad(y, s, { ...options, gradOut });
            return { loss: r.loss, grad: Float64Array.from(r.grad) };
          });
          expect(Object.is(one.loss, many.loss), `${one.loss} vs ${many.loss}`).toBe(true);
          expect(sameGrad(one.grad, many.grad)).toEqual([]);
        }
      }
    }
  });

  test("loss only, gradient only, and the {-1, +1} form", async () => {
    const n = 9 * CHUNK + 101;
    const { labels, logits } = batch(n, 5, false);
    const signs = batch(n, 6, true);
    const y = Float64Array.from(labels);
    const s = Float64Array.from(logits);
    const [a, b] = await both(1, () => ({ loss: xent.binaryCrossEntropyWithLogits(y, s), grad: null }));
    expect(Object.is(a.loss, b.loss)).toBe(true);
    const [c, d] = await both(1, () => ({ loss: 0, grad: xent.binaryCrossEntropyWithLogitsGrad(y, s) }));
    expect(sameGrad(c.grad, d.grad)).toEqual([]);
    const ys = Float64Array.from(signs.labels);
    const ss = Float64Array.from(signs.logits);
    const [e, f] = await both(1, () => {
      const r = xent.logisticLossAndGrad(ys, ss);
      return { loss: r.loss, grad: Float64Array.from(r.grad) };
    });
    expect(Object.is(e.loss, f.loss)).toBe(true);
    expect(sameGrad(e.grad, f.grad)).toEqual([]);
  });

  test("an invalid input in a worker's chunk throws the one-thread error, and the threads keep working", async () => {
    const n = 6 * CHUNK;
    const { labels, logits } = batch(n, 8, false);
    await startBinaryThreads({ threads: 1, minSamples: 0 });
    const y = Float64Array.from(labels);
    const s = Float64Array.from(logits);
    y[n - 10] = 2; // the last chunk: the worker's first
    expect(() => xent.binaryCrossEntropyWithLogitsAndGrad(y, s)).toThrow(
      `binaryCrossEntropyWithLogitsAndGrad: labels[${n - 10}] = 2 is not in [0, 1]`,
    );
    s[3] = NaN; // the calling thread's first chunk
    y[n - 10] = 1;
    expect(() => xent.binaryCrossEntropyWithLogits(y, s)).toThrow("binaryCrossEntropyWithLogits: logits[3] = NaN is not a number");
    s[3] = 0;
    const [one, many] = await both(1, () => ({ loss: xent.binaryCrossEntropyWithLogits(y, s), grad: null }));
    expect(Object.is(one.loss, many.loss)).toBe(true);
  });

  test("below minSamples, plain arrays and weights stay on the calling thread (same results)", async () => {
    const info = await startBinaryThreads({ threads: 1, minSamples: 4 * CHUNK });
    expect(info).toEqual({ threads: 1, minSamples: 4 * CHUNK });
    expect(binaryThreadsInfo()).toEqual({ ...info, workerChunks: 0 });
    const { labels, logits } = batch(3 * CHUNK, 9, false);
    const small = xent.binaryCrossEntropyWithLogits(labels, logits);
    const weights = labels.map((_, i) => (i % 7) / 3);
    const weighted = xent.binaryCrossEntropyWithLogits(labels, logits, { weights });
    expect(binaryThreadsInfo()!.workerChunks).toBe(0);
    xent.binaryCrossEntropyWithLogits(Float64Array.from(labels).fill(1, 0, 0), Float64Array.from(logits));
    expect(binaryThreadsInfo()!.workerChunks).toBe(0); // 3 chunks < minSamples
    await stopBinaryThreads();
    expect(binaryThreadsInfo()).toBeNull();
    expect(Object.is(xent.binaryCrossEntropyWithLogits(labels, logits), small)).toBe(true);
    expect(Object.is(xent.binaryCrossEntropyWithLogits(labels, logits, { weights }), weighted)).toBe(true);
  });

  test("starts and stops run in the order called: concurrent starts leave one set of workers, a stop after a pending start wins", async () => {
    await stopBinaryThreads();
    const tasks = () => (existsSync("/proc/self/task") ? readdirSync("/proc/self/task").length : 0);
    const base = tasks();
    await Promise.all([startBinaryThreads({ threads: 2 }), startBinaryThreads({ threads: 2 })]);
    expect(binaryThreadsInfo()?.threads).toBe(2);
    if (base > 0) expect(tasks() - base).toBe(2);
    await stopBinaryThreads();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (base > 0) expect(tasks() - base).toBe(0);
    const pending = startBinaryThreads({ threads: 1 });
    await stopBinaryThreads();
    await pending;
    expect(binaryThreadsInfo()).toBeNull();
  });

  test("options are checked", async () => {
    await expect(startBinaryThreads({ threads: 0 })).rejects.toThrow("startBinaryThreads: options.threads = 0 is not an integer >= 1");
    await expect(startBinaryThreads({ minSamples: -1 })).rejects.toThrow("startBinaryThreads: options.minSamples = -1 is not a number >= 0");
    await expect(startBinaryThreads({ thread: 2 } as never)).rejects.toThrow(
      'startBinaryThreads: unknown option "thread" (allowed: threads, minSamples)',
    );
    await expect(startBinaryThreads({ threads: "2" } as never)).rejects.toThrow('startBinaryThreads: options.threads = "2" is not a number');
    await expect(startBinaryThreads(null as never)).rejects.toThrow("startBinaryThreads: options = null is not an object");
    await expect(startBinaryThreads(5 as never)).rejects.toThrow("startBinaryThreads: options = 5 is not an object");
    expect(() => setBinaryThreadsMinSamples(0)).toThrow("setBinaryThreadsMinSamples: no worker threads run (startBinaryThreads first)");
  });
});
