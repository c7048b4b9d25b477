/**
 * The softmax rows' WebAssembly kernel (assembly/softmaxKernel.ts, src/core/kernels/softmaxWasm.ts) against the
 * JavaScript scan (softmaxRow.ts scanRow), bit for bit: the categorical cross-entropy with logits with the
 * kernel on and off, on batches that mix ordinary rows with every row the kernel hands back to JavaScript
 * (a NaN, ±Infinity, differences below -700), with the options of the categorical losses.
 */
import { afterEach, describe, expect, test } from "vitest";
import { categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsAndGrad, categoricalFocalLoss } from "xent";
import { setSoftmaxWasmEnabled } from "../src/core/kernels/softmaxWasm.js";
import { rng } from "./rng.js";

afterEach(() => setSoftmaxWasmEnabled(true));

/** n rows of k logits: ordinary rows, and every few rows a special one. */
function batch(n: number, k: number, seed: number): { labels: number[]; logits: Float64Array } {
  const r = rng(seed);
  const labels: number[] = [];
  const logits = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    labels.push(Math.floor(r() * k));
    for (let j = 0; j < k; j++) logits[i * k + j] = (r() - 0.5) * 20;
    const o = i * k;
    switch (i % 7) {
      case 1:
        logits[o + Math.floor(r() * k)] = Infinity;
        break;
      case 2:
        logits[o] = -Infinity;
        break;
      case 3:
        logits[o + (1 % k)] = 800;
        break; // differences below -700 for the others
      case 4:
        logits[o] = -750;
        break;
      case 5:
        logits[o] = 1e308;
        logits[o + (k > 1 ? 1 : 0)] = -1e308;
        break;
      case 6:
        for (let j = 0; j < k; j++) logits[o + j] = j % 2 === 0 ? 0 : -0;
        break;
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

/**
 * The fused gradient (softmaxWasm.ts gradientWithKernel: class ids, no smoothing, no focal term) against the
 * JavaScript branch, bit for bit: every option that reaches it and their combinations, every gradient buffer
 * type, adversarial rows (special rows, ties, zero class weights giving -0, extreme scales).
 */
describe("the kernel's gradient (class ids) = the JavaScript branch, bit for bit", () => {
  const shapes: [number, number][] = [
    [40, 3],
    [33, 2],
    [31, 101],
    [5, 1000],
    [64, 1],
    [20, 7],
  ];
  const cases = (n: number, k: number): Record<string, unknown>[] => [
    {},
    { reduction: "sum" },
    { reduction: "batchmean" },
    { reduction: "none" },
    { classWeights: Array.from({ length: k }, (_, j) => (j % 3 === 0 ? 0 : j % 3)) },
    { weights: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 4 === 1 ? 1e-300 : i % 4)) },
    { weights: Array.from({ length: n }, (_, i) => 1e300 * (1 + (i % 3))), reduction: "sum" },
    { weights: Array.from({ length: n }, (_, i) => 1e-300 * (1 + (i % 3))) },
    { ignoreIndex: 1 % k },
    { ignoreIndex: 0, reduction: "sum", classWeights: Array.from({ length: k }, (_, j) => 1 + j / 7) },
    {
      ignoreIndex: k - 1,
      weights: Array.from({ length: n }, (_, i) => (i % 3) / 2),
      classWeights: Array.from({ length: k }, (_, j) => (j === 0 ? 0 : 0.1 * j)),
      reduction: "none",
    },
  ];
  for (const [n, k] of shapes) {
    const { labels, logits } = batch(n, k, 7 * n + k);
    // Ties at the maximum and a label at the argmax in some ordinary rows.
    for (let i = 0; i < n; i += 9) {
      logits.fill(3, i * k, i * k + Math.min(k, 2));
      labels[i] = 0;
    }
    const asF32 = Float32Array.from(labels);
    // With one class, a zero class weight or ignoreIndex 0 leaves no weight: the mean would throw.
    for (const extra of cases(n, k).map((o) => (k === 1 && o.reduction === undefined ? { ...o, reduction: "sum" } : o))) {
      for (const buffer of ["none", "f64", "array", "f32"] as const) {
        test(`${n} x ${k}, ${JSON.stringify(extra).slice(0, 60)}, gradOut ${buffer}`, () => {
          const make = () =>
            buffer === "f64"
              ? new Float64Array(n * k).fill(5)
              : buffer === "array"
                ? new Array<number>(n * k).fill(5)
                : buffer === "f32"
                  ? new Float32Array(n * k)
                  : undefined;
          const options = (gradOut: ReturnType<typeof make>) =>
            ({ classes: k, ...extra, ...(gradOut === undefined ? {} : { gradOut }) }) as Parameters<
              typeof categoricalCrossEntropyWithLogitsAndGrad
            >[2];
          setSoftmaxWasmEnabled(false);
          const js = categoricalCrossEntropyWithLogitsAndGrad(labels, logits, options(make()));
          setSoftmaxWasmEnabled(true);
          for (const l of [labels, asF32]) {
            const wasm = categoricalCrossEntropyWithLogitsAndGrad(l, logits, options(make()));
            if (typeof js.loss === "number") expect(Object.is(wasm.loss, js.loss), `${wasm.loss} vs ${js.loss}`).toBe(true);
            else expect(same(wasm.loss as Float64Array, js.loss)).toEqual([]);
            expect(same(wasm.grad, js.grad)).toEqual([]);
          }
        });
      }
    }
  }
});
