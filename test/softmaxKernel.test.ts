/**
 * The softmax rows' WebAssembly kernel (assembly/softmaxKernel.ts, src/core/softmaxWasm.ts) against the
 * JavaScript scan (softmaxRow.ts scanRow), bit for bit: the categorical cross-entropy with logits with the
 * kernel on and off, on batches that mix ordinary rows with every row the kernel hands back to JavaScript
 * (a NaN, ±Infinity, differences below -700), with the options of the categorical losses.
 */
import { afterEach, describe, expect, test } from "vitest";
import { categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsAndGrad, categoricalFocalLoss } from "xent";
import { setSoftmaxWasmEnabled } from "../src/core/softmaxWasm.js";

afterEach(() => setSoftmaxWasmEnabled(true));

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n rows of k logits: ordinary rows, and every few rows a special one. */
function batch(n: number, k: number, seed: number): { labels: number[]; logits: Float64Array } {
  const r = random(seed);
  const labels: number[] = [];
  const logits = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    labels.push(Math.floor(r() * k));
    for (let j = 0; j < k; j++) logits[i * k + j] = (r() - 0.5) * 20;
    const o = i * k;
    switch (i % 7) {
      case 1: logits[o + Math.floor(r() * k)] = Infinity; break;
      case 2: logits[o] = -Infinity; break;
      case 3: logits[o + 1 % k] = 800; break; // differences below -700 for the others
      case 4: logits[o] = -750; break;
      case 5: logits[o] = 1e308; logits[o + (k > 1 ? 1 : 0)] = -1e308; break;
      case 6: for (let j = 0; j < k; j++) logits[o + j] = j % 2 === 0 ? 0 : -0; break;
    }
  }
  return { labels, logits };
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): string[] {
  const bad: string[] = [];
  for (let i = 0; i < b.length && bad.length < 5; i++) if (!Object.is(a[i], b[i])) bad.push(`[${i}] ${a[i]} vs ${b[i]}`);
  return bad;
}

describe.each([
  [40, 3],
  [200, 10],
  [31, 101],
  [5, 1000],
  [64, 1],
])("%i rows x %i classes", (n, k) => {
  const { labels, logits } = batch(n, k, n * 1000 + k);
  test.each([
    {},
    { reduction: "sum" as const },
    { reduction: "none" as const },
    { labelSmoothing: 0.1 },
    { classWeights: Array.from({ length: k }, (_, j) => 1 + (j % 3)) },
    { weights: Array.from({ length: n }, (_, i) => i % 4) },
    { ignoreIndex: 0, reduction: "sum" as const },
  ])("options %o: kernel on = kernel off, bit for bit", (extra) => {
    const options = { classes: k, ...extra } as Parameters<typeof categoricalCrossEntropyWithLogitsAndGrad>[2];
    setSoftmaxWasmEnabled(false);
    const js = categoricalCrossEntropyWithLogitsAndGrad(labels, logits, options);
    const jsLoss = categoricalCrossEntropyWithLogits(labels, logits, options);
    setSoftmaxWasmEnabled(true);
    const wasm = categoricalCrossEntropyWithLogitsAndGrad(labels, logits, options);
    const wasmLoss = categoricalCrossEntropyWithLogits(labels, logits, options);
    if (typeof js.loss === "number") expect(Object.is(wasm.loss, js.loss), `${wasm.loss} vs ${js.loss}`).toBe(true);
    else expect(same(wasm.loss as Float64Array, js.loss)).toEqual([]);
    if (typeof jsLoss === "number") expect(Object.is(wasmLoss, jsLoss)).toBe(true);
    expect(same(wasm.grad, js.grad)).toEqual([]);
  });
  test("focal loss: kernel on = kernel off", () => {
    setSoftmaxWasmEnabled(false);
    const js = categoricalFocalLoss(labels, logits, { classes: k, gamma: 2 });
    setSoftmaxWasmEnabled(true);
    expect(Object.is(categoricalFocalLoss(labels, logits, { classes: k, gamma: 2 }), js)).toBe(true);
  });
});

test("a NaN logit: the same error through the kernel", () => {
  const { labels, logits } = batch(50, 4, 3);
  logits[4 * 37 + 2] = NaN;
  const run = () => categoricalCrossEntropyWithLogitsAndGrad(labels, logits, { classes: 4 });
  setSoftmaxWasmEnabled(false);
  let message = "";
  try {
    run();
  } catch (error) {
    message = (error as Error).message;
  }
  setSoftmaxWasmEnabled(true);
  expect(message).not.toBe("");
  expect(run).toThrow(message);
});
