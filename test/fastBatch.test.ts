/**
 * The fast batch paths of the logit losses (binaryCrossEntropyWithLogits, logisticLoss and their Grad and
 * AndGrad forms): the WebAssembly kernel (assembly/binaryKernel.ts), the plain JavaScript loop
 * (binaryBatch.ts logitLoopPlain) and the general loop (weights, reduction "none"), against
 * - each other, bit for bit (the kernel does the JavaScript's operations in the same order);
 * - the scalar functions, bit for bit, per sample;
 * - the reference path (binaryBatchReference.ts: the foundation's loop on Math.exp/Math.log1p), within
 *   4 ulps per sample (the foundation's bar), on the hard points: s near ±37, ±710, ±745, ±1e308, ±Infinity,
 *   soft labels, with every option.
 */
import { afterEach, describe, expect, test } from "vitest";
import {
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsAndGrad,
  binaryCrossEntropyWithLogitsGrad,
  logisticLoss,
  logisticLossAndGrad,
  type BinaryLossOptions,
} from "xent";
import { logitBatchReference } from "../src/core/binary/binaryBatchReference.js";
import { binaryKernel, CHUNK, setBinaryWasmEnabled } from "../src/core/kernels/binaryWasm.js";
import { same, show, ulp } from "./ulp.js";
import { rng } from "./rng.js";

afterEach(() => setBinaryWasmEnabled(true));

const HARD_LOGITS = [
  0,
  -0,
  1e-300,
  -1e-300,
  5e-324,
  1,
  -1,
  36.7,
  37,
  37.5,
  -36.7,
  -37,
  -37.5,
  40,
  -40,
  708.3,
  708.5,
  709.78,
  710,
  -708.3,
  -708.5,
  -709.78,
  -710,
  744.4,
  745,
  745.2,
  746,
  -744.4,
  -745,
  -745.2,
  -746,
  800,
  -800,
  1e308,
  -1e308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  Infinity,
  -Infinity,
];
const HARD_LABELS = [0, 1, 0.5, 0.25, 1e-300, 1 - 2 ** -53, 0.9999999, 1e-8];

/** The hard points crossed with each other, then random logits and labels: n samples (n odd, to test the tail). */
function batch(n: number, seed: number, sign = false): { labels: number[]; logits: number[] } {
  const r = rng(seed);
  const labels: number[] = [];
  const logits: number[] = [];
  for (const s of HARD_LOGITS) {
    for (const y of sign ? [1, -1] : HARD_LABELS) {
      labels.push(y);
      logits.push(s);
    }
  }
  while (labels.length < n) {
    const u = r();
    logits.push(u < 0.1 ? (r() - 0.5) * 1600 : (r() - 0.5) * 30);
    labels.push(sign ? (r() < 0.5 ? 1 : -1) : u < 0.7 ? (r() < 0.5 ? 0 : 1) : r());
  }
  return { labels, logits };
}

const OPTIONS: BinaryLossOptions[] = [
  {},
  { reduction: "sum" },
  { reduction: "batchmean" },
  { posWeight: 3 },
  { posWeight: 0.25, reduction: "sum" },
  { labelSmoothing: 0.1 },
  { labelSmoothing: 0.2, posWeight: 2, reduction: "batchmean" },
];

function mismatches(got: ArrayLike<number>, expected: ArrayLike<number>, labels: number[], logits: number[]): string[] {
  const bad: string[] = [];
  for (let i = 0; i < expected.length && bad.length < 10; i++) {
    if (!same(got[i]!, expected[i]!)) bad.push(`[${i}] (${labels[i]}, ${show(logits[i]!)}): ${show(got[i]!)} vs ${show(expected[i]!)}`);
  }
  return bad;
}

describe("the WebAssembly kernel", () => {
  test("loads here (Node 20 has WebAssembly SIMD)", () => {
    expect(binaryKernel()).not.toBeNull();
  });

  describe.each(OPTIONS)("options %o", (options) => {
    test.each([
      ["binaryCrossEntropyWithLogits", false],
      ["logisticLoss", true],
    ] as const)("%s: loss and gradient bit for bit the JavaScript loop's, for Float64Array, Float32Array and arrays", (name, sign) => {
      const { labels, logits } = batch(2001, 17, sign);
      const andGrad = name === "logisticLoss" ? logisticLossAndGrad : binaryCrossEntropyWithLogitsAndGrad;
      for (const make of [(x: number[]) => Float64Array.from(x), (x: number[]) => Float32Array.from(x), (x: number[]) => x]) {
        const y = make(labels);
        const s = make(logits);
        setBinaryWasmEnabled(false);
        const js = andGrad(y, s, { ...options, reduction: options.reduction ?? "mean" } as { reduction: "mean" });
        setBinaryWasmEnabled(true);
        const wasm = andGrad(y, s, { ...options, reduction: options.reduction ?? "mean" } as { reduction: "mean" });
        expect(Object.is(wasm.loss, js.loss), `${wasm.loss} vs ${js.loss}`).toBe(true);
        expect(mismatches(wasm.grad, js.grad, labels, logits)).toEqual([]);
      }
    });
  });

  test("the gradient is the scalar gradient / divisor, bit for bit, into Float64Array, Float32Array and array buffers", () => {
    const { labels, logits } = batch(999, 5);
    const n = labels.length;
    const expected = labels.map((y, i) => binaryCrossEntropyWithLogitsGrad(y, logits[i]!) / n);
    for (const gradOut of [new Float64Array(n), new Float32Array(n), new Array<number>(n).fill(0)]) {
      const { grad } = binaryCrossEntropyWithLogitsAndGrad(labels, logits, { gradOut });
      expect(grad).toBe(gradOut);
      const want = gradOut instanceof Float32Array ? expected.map(Math.fround) : expected;
      expect(mismatches(grad, want, labels, logits)).toEqual([]);
    }
  });

  test("the loss is the compensated mean of the scalar losses (per-sample losses bit for bit the scalar ones)", () => {
    const { labels, logits } = batch(1001, 9);
    const finite = logits.map((s) => (Math.abs(s) < 1e300 ? s : 0)); // a finite mean
    const perSample = binaryCrossEntropyWithLogits(labels, finite, { reduction: "none" });
    expect(
      mismatches(
        perSample,
        labels.map((y, i) => binaryCrossEntropyWithLogits(y, finite[i]!)),
        labels,
        finite,
      ),
    ).toEqual([]);
    // Exact sum of the per-sample losses (they are exact doubles): a sorted fsum-like check via BigInt-free
    // two-sum accumulation is overkill here; compensated sums agree within 2 ulps.
    const mean = binaryCrossEntropyWithLogits(labels, finite);
    let sum = 0;
    let c = 0;
    for (const x of perSample) {
      const t = sum + x;
      c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
    expect(Math.abs(mean - (sum + c) / labels.length)).toBeLessThanOrEqual(2 * ulp(mean));
  });

  test("batches of every length up to 70 (the JavaScript loop below 32 samples, the kernel's odd tail above)", () => {
    const { labels, logits } = batch(70, 3);
    for (let n = 0; n <= 70; n++) {
      const y = labels.slice(0, n);
      const s = logits.slice(0, n);
      setBinaryWasmEnabled(false);
      const js = binaryCrossEntropyWithLogitsAndGrad(y, s, { reduction: "sum" });
      setBinaryWasmEnabled(true);
      const wasm = binaryCrossEntropyWithLogitsAndGrad(y, s, { reduction: "sum" });
      expect(Object.is(wasm.loss, js.loss)).toBe(true);
      expect(mismatches(wasm.grad, js.grad, y, s)).toEqual([]);
    }
  });

  test("growing and shrinking batches reuse the kernel's memory correctly", () => {
    for (const n of [100, 100_000, 50, 100_001, 100]) {
      const { labels, logits } = batch(n, n);
      setBinaryWasmEnabled(false);
      const js = binaryCrossEntropyWithLogitsAndGrad(labels, logits);
      setBinaryWasmEnabled(true);
      const wasm = binaryCrossEntropyWithLogitsAndGrad(labels, logits);
      expect(Object.is(wasm.loss, js.loss)).toBe(true);
      expect(mismatches(wasm.grad, js.grad, labels, logits)).toEqual([]);
    }
  });
});

describe("invalid input through the kernel: the same errors as the JavaScript loop", () => {
  const n = 1000;
  const labels = new Float64Array(n).fill(1);
  const logits = new Float64Array(n).fill(0.5);
  test.each([
    [
      "a label above 1",
      () => {
        const y = labels.slice();
        y[517] = 2;
        return binaryCrossEntropyWithLogitsAndGrad(y, logits);
      },
      RangeError,
      "binaryCrossEntropyWithLogitsAndGrad: labels[517] = 2 is not in [0, 1]",
    ],
    [
      "a NaN logit",
      () => {
        const s = logits.slice();
        s[998] = NaN;
        return binaryCrossEntropyWithLogits(labels, s);
      },
      RangeError,
      "binaryCrossEntropyWithLogits: logits[998] = NaN is not a number",
    ],
    [
      "a sign label 0",
      () => {
        const y = new Float64Array(n).fill(-1);
        y[3] = 0;
        return logisticLoss(y, logits);
      },
      RangeError,
      "logisticLoss: labels[3] = 0 is not -1 or +1",
    ],
    [
      "a string in an array",
      () => {
        const s: unknown[] = Array.from(logits);
        s[600] = "1";
        return binaryCrossEntropyWithLogits(Array.from(labels), s as number[]);
      },
      TypeError,
      'binaryCrossEntropyWithLogits: logits[600] = "1" is not a number',
    ],
  ] as const)("%s", (_, run, type, message) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });
});

describe("against the reference path (Math.exp/Math.log1p, the foundation's loop)", () => {
  /** ulps of the difference, with the 2^-1074 floor; 0 for identical values (infinities included). */
  function ulps(a: number, b: number): number {
    if (Object.is(a, b) || a === b) return 0;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
    return Math.abs(a - b) / ulp(b);
  }

  test.each([...OPTIONS, { weights: "random" as const }, { weights: "random" as const, reduction: "sum" as const }])(
    "options %o: per-sample losses and gradients within 4 ulps on the hard points",
    (raw) => {
      const { labels, logits } = batch(3001, 23);
      const n = labels.length;
      const r = rng(1);
      const options: BinaryLossOptions = "weights" in raw ? { ...raw, weights: Array.from({ length: n }, () => (r() < 0.1 ? 0 : r() * 3)) } : raw;
      const none = { ...options, reduction: "none" as const };
      const fast = binaryCrossEntropyWithLogitsAndGrad(labels, logits, none);
      const ref = logitBatchReference("ref", labels, logits, none, false, true, true);
      const keep = 1 - (options.labelSmoothing ?? 0);
      const half = (options.labelSmoothing ?? 0) / 2;
      const posWeight = options.posWeight ?? 1;
      const divisor = 1; // reduction "none"
      const bad: string[] = [];
      for (let i = 0; i < n; i++) {
        const el = ulps(fast.loss[i]!, ref.perSample![i]!);
        // A soft label's gradient (1 - y) sigmoid(s) - w+ y sigmoid(-s) cancels where the two terms meet
        // (see binary.fixtures.test.ts): it is compared in ulps of its terms' scale, max(1 - y, w+ y) times
        // the weight; a hard label's gradient in ulps of itself.
        const y = labels[i]! * keep + half;
        const w = options.weights?.[i] ?? 1;
        const g = ref.grad![i]!;
        const scale = y === 0 || y === 1 ? g : Math.max(Math.abs(g), (Math.max(1 - y, posWeight * y) * w) / divisor);
        const eg = fast.grad[i] === g ? 0 : Math.abs(fast.grad[i]! - g) / ulp(scale);
        if (el > 4 || eg > 4) bad.push(`(${labels[i]}, ${logits[i]}): loss ${el} ulps, gradient ${eg} ulps`);
      }
      expect(bad.slice(0, 10)).toEqual([]);
      // The reduced forms (through the kernel when there are no weights) agree with the reference's too.
      const reduced = binaryCrossEntropyWithLogitsAndGrad(labels, logits, options as { reduction: "mean" });
      const refReduced = logitBatchReference("ref", labels, logits, options, false, true, true);
      expect(ulps(reduced.loss, refReduced.loss)).toBeLessThanOrEqual(4);
    },
  );
});

describe("options.out: the caller's result object", () => {
  test("is filled and returned; its loss is the reduced loss or the per-sample Float64Array", () => {
    const out = { loss: 0, grad: new Float64Array(0) as ArrayLike<number> };
    const gradOut = new Float64Array(3);
    const got = binaryCrossEntropyWithLogitsAndGrad([1, 0, 1], [0, 0, 2], { gradOut, out: out as never });
    expect(got).toBe(out);
    expect(got.grad).toBe(gradOut);
    expect(got.loss).toBe(binaryCrossEntropyWithLogits([1, 0, 1], [0, 0, 2]));
    const none = binaryCrossEntropyWithLogitsAndGrad([1, 0, 1], [0, 0, 2], { reduction: "none", out: out as never });
    expect(none).toBe(out);
    expect(none.loss).toBeInstanceOf(Float64Array);
  });
  test("must be an object", () => {
    expect(() => binaryCrossEntropyWithLogitsAndGrad([1], [0], { out: 3 as never })).toThrow(
      new TypeError("binaryCrossEntropyWithLogitsAndGrad: options.out = 3 is not an object"),
    );
  });
});

describe("a sum that overflows while the mean is finite (extremeSums.ts), through the kernel", () => {
  test("64 losses of 1e308: the mean is 1e308 on both paths", () => {
    const labels = new Float64Array(64);
    const logits = new Float64Array(64).fill(1e308);
    for (const wasm of [true, false]) {
      setBinaryWasmEnabled(wasm);
      expect(binaryCrossEntropyWithLogits(labels, logits)).toBe(1e308);
      expect(binaryCrossEntropyWithLogitsAndGrad(labels, logits).loss).toBe(1e308);
      expect(binaryCrossEntropyWithLogits(labels, logits, { reduction: "sum" })).toBe(Infinity);
    }
  });
});

describe("chunks and blocks: the kernel's fast blocks, careful blocks and chunk seams", () => {
  // CHUNK samples per kernel call, blocks of 128 inside: a block with an unusual pair (an invalid input,
  // |s| >= 708) runs its careful loop, every other block the loop of its case (sign, loss and/or gradient,
  // posWeight 1, no smoothing) or the general one. Usual random samples, hard points at the seams.
  const n = 2 * CHUNK + 301;
  const seams = [0, 1, 126, 127, 128, 129, 5000, CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 128, 2 * CHUNK - 1, 2 * CHUNK, n - 2, n - 1];
  const hard = [1e308, -745.2, 710, -Infinity, 708.5, Infinity, -37.5, 745, 40, -39.999999999999, 40.000000000001, -707.9];
  // scale 40: |s| < 20, the table of log(1 + e^-|s|) throughout; scale 200: most blocks also have |s| in
  // [40, 100], where the kernel takes e for log1p(e) in those lanes (fixLarge).
  function seamBatch(sign: boolean, soft: boolean, scale = 40): { labels: number[]; logits: number[] } {
    const r = rng(99);
    const labels: number[] = [];
    const logits: number[] = [];
    for (let i = 0; i < n; i++) {
      logits.push((r() - 0.5) * scale);
      labels.push(sign ? (r() < 0.5 ? 1 : -1) : soft && r() < 0.3 ? r() : r() < 0.5 ? 0 : 1);
    }
    seams.forEach((at, k) => (logits[at] = hard[k % hard.length]!));
    return { labels, logits };
  }

  describe.each(OPTIONS)("options %o", (options) => {
    test.each([
      ["binaryCrossEntropyWithLogits", false, false, 40],
      ["binaryCrossEntropyWithLogits, soft labels", false, true, 40],
      ["logisticLoss", true, false, 40],
      ["binaryCrossEntropyWithLogits, |s| up to 100", false, false, 200],
      ["binaryCrossEntropyWithLogits, soft labels, |s| up to 100", false, true, 200],
    ] as const)("%s: loss, gradient and both, bit for bit the JavaScript loop's", (_, sign, soft, scale) => {
      const { labels, logits } = seamBatch(sign, soft, scale);
      const reduced = { ...options, reduction: options.reduction ?? "mean" } as { reduction: "mean" };
      const loss = sign ? logisticLoss : binaryCrossEntropyWithLogits;
      const andGrad = sign ? logisticLossAndGrad : binaryCrossEntropyWithLogitsAndGrad;
      for (const make of [(x: number[]) => Float64Array.from(x), (x: number[]) => Float32Array.from(x), (x: number[]) => x]) {
        const y = make(labels);
        const s = make(logits);
        setBinaryWasmEnabled(false);
        const js = andGrad(y, s, reduced);
        const jsLoss = loss(y, s, reduced);
        const jsGrad = sign ? null : binaryCrossEntropyWithLogitsGrad(y, s, reduced);
        setBinaryWasmEnabled(true);
        const wasm = andGrad(y, s, reduced);
        expect(Object.is(wasm.loss, js.loss), `${wasm.loss} vs ${js.loss}`).toBe(true);
        expect(mismatches(wasm.grad, js.grad, labels, logits)).toEqual([]);
        expect(Object.is(loss(y, s, reduced), jsLoss)).toBe(true);
        expect(Object.is(js.loss, jsLoss)).toBe(true);
        if (jsGrad !== null) expect(mismatches(binaryCrossEntropyWithLogitsGrad(y, s, reduced), jsGrad, labels, logits)).toEqual([]);
      }
    });
  });

  test("well-classified samples with |s| in [30, 60]: every loss is log(1 + e^-|s|), which the sum keeps; bit for bit the JavaScript loop's", () => {
    // Each block has lanes on both sides of 40, where the kernel's table (|s| < 40) and e = exp(-|s|)
    // (beyond) meet; the losses are all tiny, so a wrong lane would show in the mean.
    const r = rng(5);
    const logits = Array.from({ length: CHUNK + 301 }, () => (r() < 0.5 ? -1 : 1) * (30 + 30 * r()));
    logits[7] = 40;
    logits[8] = -40;
    logits[9] = 39.99999999999999;
    const labels = logits.map((s) => (s > 0 ? 1 : 0));
    for (const make of [(x: number[]) => Float64Array.from(x), (x: number[]) => Float32Array.from(x)]) {
      const y = make(labels);
      const s = make(logits);
      setBinaryWasmEnabled(false);
      const js = binaryCrossEntropyWithLogitsAndGrad(y, s);
      const jsLoss = binaryCrossEntropyWithLogits(y, s);
      setBinaryWasmEnabled(true);
      expect(Object.is(binaryCrossEntropyWithLogits(y, s), jsLoss)).toBe(true);
      expect(Object.is(binaryCrossEntropyWithLogitsAndGrad(y, s).loss, js.loss)).toBe(true);
      expect(Object.is(js.loss, jsLoss)).toBe(true);
      // And each loss within 1 ulp of log1p(exp(-|s|)) (Math.log1p(Math.exp(-z)) is within about 1 ulp here).
      const perSample = binaryCrossEntropyWithLogits(y, s, { reduction: "none" });
      for (let i = 0; i < 400; i++) {
        const want = Math.log1p(Math.exp(-Math.abs(s[i]!)));
        expect(Math.abs(perSample[i]! - want), `${s[i]}`).toBeLessThanOrEqual(2 * ulp(want));
      }
    }
  });

  test("the same buffers again, with new contents, and views into a larger buffer", () => {
    const { labels, logits } = seamBatch(false, false);
    const y = Float64Array.from(labels);
    const s = Float64Array.from(logits);
    const gradOut = new Float64Array(n);
    const check = (yy: Float64Array, ss: Float64Array) => {
      setBinaryWasmEnabled(false);
      const js = binaryCrossEntropyWithLogitsAndGrad(yy, ss);
      setBinaryWasmEnabled(true);
      const wasm = binaryCrossEntropyWithLogitsAndGrad(yy, ss, { gradOut });
      expect(Object.is(wasm.loss, js.loss)).toBe(true);
      expect(mismatches(gradOut, js.grad, Array.from(yy), Array.from(ss))).toEqual([]);
    };
    check(y, s);
    s.reverse();
    y.fill(1, 0, CHUNK + 7);
    check(y, s);
    const big = new Float64Array(3 * n);
    big.set(logits, n + 1);
    const bigLabels = new Float64Array(3 * n);
    bigLabels.set(labels, 2 * n - 5);
    check(bigLabels.subarray(2 * n - 5, 3 * n - 5), big.subarray(n + 1, 2 * n + 1));
  });

  test("an invalid input in a later chunk is reported with its own index", () => {
    const { labels, logits } = seamBatch(false, false);
    labels[2 * CHUNK + 5] = 1.5;
    expect(() => binaryCrossEntropyWithLogitsAndGrad(Float64Array.from(labels), Float64Array.from(logits))).toThrow(
      `binaryCrossEntropyWithLogitsAndGrad: labels[${2 * CHUNK + 5}] = 1.5 is not in [0, 1]`,
    );
    const { labels: signs, logits: s2 } = seamBatch(true, false);
    signs[CHUNK + 3] = 0;
    expect(() => logisticLoss(signs, s2)).toThrow(`logisticLoss: labels[${CHUNK + 3}] = 0 is not -1 or +1`);
  });

  test("a NaN logit in a block of usual ones, for the loss alone (found by the block's NaN sum) and with the gradient", () => {
    for (const at of [CHUNK + 200, CHUNK + 201, 5]) {
      const r = rng(at);
      const logits = Float32Array.from({ length: 2 * CHUNK }, () => (r() - 0.5) * 20);
      const labels = Float32Array.from(logits, (s) => (s > 1 ? 1 : 0));
      logits[at] = NaN;
      expect(() => binaryCrossEntropyWithLogits(labels, logits)).toThrow(`binaryCrossEntropyWithLogits: logits[${at}] = NaN is not a number`);
      expect(() =>
        logisticLoss(
          Float32Array.from(labels, (y) => 2 * y - 1),
          logits,
        ),
      ).toThrow(`logisticLoss: logits[${at}] = NaN is not a number`);
      expect(() => binaryCrossEntropyWithLogitsAndGrad(labels, logits)).toThrow(
        `binaryCrossEntropyWithLogitsAndGrad: logits[${at}] = NaN is not a number`,
      );
    }
  });
});
