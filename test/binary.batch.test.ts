/**
 * Batches of the binary losses: reductions, weights, posWeight, label smoothing, epsilon clipping, the gradient
 * buffer, compensated sums (1e7 equal losses, order independence), empty and zero-weight batches, and the
 * exact limits at 0, 1 and infinite logits. (The doc-comment examples are run by docExamples.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as xent from "xent";
import { same, ulp } from "./ulp.js";
import { rng } from "./rng.js";

const {
  binaryCrossEntropy,
  binaryCrossEntropyAndGrad,
  binaryCrossEntropyGrad,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsAndGrad,
  binaryCrossEntropyWithLogitsGrad,
  logisticLoss,
  logisticLossAndGrad,
  logisticLossGrad,
} = xent;

/**
 * The correctly rounded sum (Shewchuk's exact partials, as Python's math.fsum), written here independently of
 * xent's Neumaier sum, as the reference for the reductions. Finite inputs only.
 */
function fsum(xs: ArrayLike<number>): number {
  const partials: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    let x = xs[k]!;
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  // Add the partials from the top, with the half-way correction of math.fsum.
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    hi = partials[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = partials[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

/** |a - b| in ulps of b. */
const ulps = (a: number, b: number) => Math.abs(a - b) / ulp(b);

function shuffled<T>(xs: T[], rand: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

test("fsum, the test's reference sum, is exact where a naive sum is not", () => {
  expect(fsum(Array(10).fill(0.1))).toBe(1);
  expect(fsum([1e100, 1, -1e100])).toBe(1);
  expect(fsum([1, 2 ** -53, 2 ** -53])).toBe(1 + 2 ** -52);
});

// A batch with losses of very different sizes: soft and hard labels, logits from -700 to 40.
const rand0 = rng(7); // seeded, so the big batches are the same on every run
const N = 1000;
const labels = Array.from({ length: N }, (_, i) => (i % 3 === 0 ? rand0() : i % 3 === 1 ? 1 : 0));
const logits = Array.from({ length: N }, () => -700 + 740 * rand0() ** 3);
const weights = Array.from({ length: N }, (_, i) => (i % 10 === 0 ? 0 : 4 * rand0()));
const perSample = labels.map((y, i) => binaryCrossEntropyWithLogits(y, logits[i]!));

describe("reductions", () => {
  test('"none" returns the per-sample losses as a Float64Array', () => {
    const got = binaryCrossEntropyWithLogits(labels, logits, { reduction: "none" });
    expect(got).toBeInstanceOf(Float64Array);
    expect(Array.from(got)).toEqual(perSample);
  });

  test('"sum" is the correctly rounded sum within 1 ulp', () => {
    const exact = fsum(perSample);
    expect(ulps(binaryCrossEntropyWithLogits(labels, logits, { reduction: "sum" }), exact)).toBeLessThanOrEqual(1);
  });

  test('"mean" (the default) and "batchmean" divide the sum by N without weights: within 1 ulp of fsum / N', () => {
    const exact = fsum(perSample) / N;
    for (const options of [undefined, { reduction: "mean" as const }, { reduction: "batchmean" as const }]) {
      expect(ulps(binaryCrossEntropyWithLogits(labels, logits, options), exact)).toBeLessThanOrEqual(1);
    }
  });

  test("each reduction of each loss agrees with its AndGrad and its Grad (gradient = per-sample gradient / divisor)", () => {
    const hard = labels.map((y) => (y >= 0.5 ? 1 : 0));
    const signs = hard.map((y) => 2 * y - 1);
    for (const reduction of ["mean", "batchmean", "sum"] as const) {
      const divisor = reduction === "sum" ? 1 : N;
      const a = binaryCrossEntropyWithLogitsAndGrad(labels, logits, { reduction });
      expect(a.loss).toBe(binaryCrossEntropyWithLogits(labels, logits, { reduction }));
      expect(a.grad).toEqual(binaryCrossEntropyWithLogitsGrad(labels, logits, { reduction }));
      a.grad.forEach((g, i) => expect(g).toBe(binaryCrossEntropyWithLogitsGrad(labels[i]!, logits[i]!) / divisor));
      const b = logisticLossAndGrad(signs, logits, { reduction });
      expect(b.loss).toBe(logisticLoss(signs, logits, { reduction }));
      expect(b.grad).toEqual(logisticLossGrad(signs, logits, { reduction }));
      const p = logits.map((s) => xent.sigmoid(s)).map((q) => Math.min(Math.max(q, 1e-300), 1 - 2 ** -53));
      const c = binaryCrossEntropyAndGrad(labels, p, { reduction });
      expect(c.loss).toBe(binaryCrossEntropy(labels, p, { reduction }));
      expect(c.grad).toEqual(binaryCrossEntropyGrad(labels, p, { reduction }));
      c.grad.forEach((g, i) => expect(g).toBe(binaryCrossEntropyGrad(labels[i]!, p[i]!) / divisor));
    }
  });
});

describe("weights", () => {
  const weighted = perSample.map((l, i) => (weights[i] === 0 ? 0 : weights[i]! * l));

  test("a weighted mean divides by the sum of the weights (not by N)", () => {
    const exact = fsum(weighted) / fsum(weights);
    const got = binaryCrossEntropyWithLogits(labels, logits, { weights });
    // fsum(weighted) and fsum(weights) are each correctly rounded, the quotient once more: the reference is
    // within 1.5 ulps of the exact ratio; xent's Neumaier sums within about 1 each.
    expect(ulps(got, exact)).toBeLessThanOrEqual(3);
    expect(ulps(binaryCrossEntropyWithLogits(labels, logits, { weights, reduction: "batchmean" }), fsum(weighted) / N)).toBeLessThanOrEqual(2);
    expect(ulps(binaryCrossEntropyWithLogits(labels, logits, { weights, reduction: "sum" }), fsum(weighted))).toBeLessThanOrEqual(1);
    expect(Array.from(binaryCrossEntropyWithLogits(labels, logits, { weights, reduction: "none" }))).toEqual(weighted);
  });

  test("integer weights equal repeating the samples", () => {
    const w = [1, 3, 0, 2];
    const y = [1, 0, 1, 0.3];
    const s = [0.5, -2, 7, 1];
    const repeated = { y: [1, 0, 0, 0, 0.3, 0.3], s: [0.5, -2, -2, -2, 1, 1] };
    expect(binaryCrossEntropyWithLogits(y, s, { weights: w })).toBeCloseTo(binaryCrossEntropyWithLogits(repeated.y, repeated.s), 15);
  });

  test("weight 0 on an Infinity loss gives 0, not NaN, in the loss and the gradient", () => {
    const options = { weights: [0, 1] };
    expect(binaryCrossEntropy([1, 1], [0, 0.5], options)).toBe(Math.LN2);
    expect(binaryCrossEntropy([1, 1], [0, 0.5], { ...options, reduction: "none" })).toEqual(Float64Array.of(0, Math.LN2));
    expect(binaryCrossEntropyAndGrad([1, 1], [0, 0.5], options).grad).toEqual(Float64Array.of(0, -2));
    expect(binaryCrossEntropyWithLogits([1, 0], [-Infinity, 0], options)).toBe(Math.LN2);
    expect(binaryCrossEntropyWithLogitsAndGrad([1, 0], [-Infinity, 0], options).grad).toEqual(Float64Array.of(0, 0.5));
    expect(logisticLoss([1, 1], [-Infinity, 0], { ...options, reduction: "sum" })).toBe(Math.LN2);
  });

  test("an Infinity loss with a positive weight makes the reduced loss Infinity (no clipping, no NaN)", () => {
    expect(binaryCrossEntropy([1, 1], [0, 0.5])).toBe(Infinity);
    expect(binaryCrossEntropyWithLogits([1, 0], [-Infinity, 0], { reduction: "sum" })).toBe(Infinity);
  });
});

describe("posWeight", () => {
  /**
   * PyTorch's BCEWithLogitsLoss with pos_weight (aten/src/ATen/native/Loss.cpp), written out independently:
   *   log_weight = (pos_weight - 1) * y + 1
   *   loss = (1 - y) * s + log_weight * (log1p(exp(-|s|)) + max(-s, 0))
   * It cancels ((1 - y) s against max(-s, 0) for y = 0, s < 0; (pw - 1) y against 1 for pw < 1), so its own
   * error is bounded by a few ulps of the magnitudes it adds:
   * 4 * 2^-52 ((1 - y)|s| + (|pw - 1| y + 1)(log1p(...) + max(-s, 0))).
   */
  function torch(y: number, s: number, pw: number): number {
    const logWeight = (pw - 1) * y + 1;
    return (1 - y) * s + logWeight * (Math.log1p(Math.exp(-Math.abs(s))) + Math.max(-s, 0));
  }

  test("matches PyTorch's formula within the error of PyTorch's formula", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (y, s, pw) => {
          const got = binaryCrossEntropyWithLogits([y], [s], { posWeight: pw, reduction: "sum" });
          // log_weight itself cancels when pw < 1 and y is near 1: its magnitude scale is |pw - 1| y + 1.
          const logWeightScale = Math.abs(pw - 1) * y + 1;
          const scale = (1 - y) * Math.abs(s) + logWeightScale * (Math.log1p(Math.exp(-Math.abs(s))) + Math.max(-s, 0));
          expect(Math.abs(got - torch(y, s, pw))).toBeLessThanOrEqual(4 * 2 ** -52 * scale + 4 * ulp(got));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("multiplies the positive term only: posWeight * y * softplus(-s) + (1 - y) softplus(s)", () => {
    expect(binaryCrossEntropyWithLogits([1], [0], { posWeight: 3 })).toBe(3 * Math.LN2);
    expect(binaryCrossEntropyWithLogits([0], [0], { posWeight: 3 })).toBe(Math.LN2);
    expect(logisticLoss([1, -1], [0, 0], { posWeight: 3, reduction: "none" })).toEqual(Float64Array.of(3 * Math.LN2, Math.LN2));
    expect(binaryCrossEntropy([1], [0.5], { posWeight: 3 })).toBe(3 * Math.LN2);
    const y = 0.3;
    const p = 0.8;
    expect(binaryCrossEntropy([y], [p], { posWeight: 2 })).toBe(-(2 * y) * Math.log(p) - (1 - y) * Math.log1p(-p));
    expect(binaryCrossEntropyGrad([y], [p], { posWeight: 2, reduction: "sum" })[0]).toBe((1 - y) / (1 - p) - (2 * y) / p);
  });

  test("very negative and infinite logits give the exact limits, not NaN (PyTorch issue 13773)", () => {
    expect(binaryCrossEntropyWithLogits([1], [-1000], { posWeight: 3 })).toBe(3000);
    expect(binaryCrossEntropyWithLogits([1], [-Infinity], { posWeight: 3 })).toBe(Infinity);
    expect(binaryCrossEntropyWithLogits([0], [-Infinity], { posWeight: 3 })).toBe(0);
    expect(binaryCrossEntropyWithLogits([1], [Infinity], { posWeight: 3 })).toBe(0);
    const { grad } = binaryCrossEntropyWithLogitsAndGrad([1, 0, 1], [-Infinity, -Infinity, -1000], { posWeight: 3, reduction: "sum" });
    expect(grad).toEqual(Float64Array.of(-3, 0, -3));
  });
});

describe("labelSmoothing", () => {
  test("replaces each label y by y (1 - a) + a / 2, bit for bit", () => {
    for (const a of [0.1, 0.2, 1 / 3, 1]) {
      const smooth = labels.map((y) => y * (1 - a) + a / 2);
      expect(binaryCrossEntropyWithLogits(labels, logits, { labelSmoothing: a, reduction: "none" })).toEqual(
        binaryCrossEntropyWithLogits(smooth, logits, { reduction: "none" }),
      );
      const p = logits.map((s) => Math.min(Math.max(xent.sigmoid(s), 1e-300), 0.999));
      expect(binaryCrossEntropyAndGrad(labels, p, { labelSmoothing: a, reduction: "none" })).toEqual(
        binaryCrossEntropyAndGrad(smooth, p, { reduction: "none" }),
      );
    }
  });

  test("moves hard labels towards 1/2: a = 0.2 turns 1 into 0.9 and 0 into 0.1; for logisticLoss after mapping -1, +1 to 0, 1", () => {
    const got = binaryCrossEntropyWithLogits([1, 0], [2, 2], { labelSmoothing: 0.2, reduction: "none" });
    expect(got).toEqual(Float64Array.of(binaryCrossEntropyWithLogits(0.9, 2), binaryCrossEntropyWithLogits(0.09999999999999998, 2)));
    expect(logisticLoss([1, -1], [2, 2], { labelSmoothing: 0.2, reduction: "none" })).toEqual(got);
    expect(binaryCrossEntropyWithLogits([1, 0], [0, 0], { labelSmoothing: 1 })).toBe(Math.LN2);
  });

  test("makes an infinitely wrong hard prediction finite only through the label, as the formula says", () => {
    // y = 1 smoothed to 0.95 still has a (1 - y) log(1 - p) term: p = 1 costs Infinity.
    expect(binaryCrossEntropy([1], [1], { labelSmoothing: 0.1 })).toBe(Infinity);
    const y = 1 * (1 - 0.1) + 0.1 / 2; // 0.9500000000000001
    expect(binaryCrossEntropyWithLogits([1], [800], { labelSmoothing: 0.1 })).toBe((1 - y) * 800);
    expect(binaryCrossEntropyWithLogits([1], [800], { labelSmoothing: 0.1 })).toBe(binaryCrossEntropyWithLogits(y, 800));
  });
});

describe("epsilon clipping of probabilities", () => {
  test("off by default: a confidently wrong prediction costs Infinity, the true value", () => {
    expect(binaryCrossEntropy([1], [0])).toBe(Infinity);
    expect(binaryCrossEntropy([0], [1])).toBe(Infinity);
    expect(binaryCrossEntropy([1], [0], { epsilon: 0 })).toBe(Infinity);
    expect(binaryCrossEntropyAndGrad([1, 0], [0, 1], { reduction: "none" }).grad).toEqual(Float64Array.of(-Infinity, Infinity));
  });

  test("on: finite, and equal to the loss at the clipped probability", () => {
    const eps = 1e-7;
    const got = binaryCrossEntropyAndGrad([1, 0, 1, 0.3], [0, 1, 0.5, 0], { epsilon: eps, reduction: "none" });
    expect(got.loss).toEqual(Float64Array.of(binaryCrossEntropy(1, eps), binaryCrossEntropy(0, 1 - eps), Math.LN2, binaryCrossEntropy(0.3, eps)));
    expect(got.loss.every(Number.isFinite)).toBe(true);
    // The gradient is the derivative at the clipped probability.
    expect(got.grad).toEqual(
      Float64Array.of(binaryCrossEntropyGrad(1, eps), binaryCrossEntropyGrad(0, 1 - eps), -2, binaryCrossEntropyGrad(0.3, eps)),
    );
    expect(binaryCrossEntropy([1, 1], [0, 0.5], { epsilon: 0.5 })).toBe(Math.LN2);
  });

  test("leaves probabilities inside [epsilon, 1 - epsilon] alone", () => {
    const p = [0.001, 0.5, 0.999];
    expect(binaryCrossEntropy([1, 0, 1], p, { epsilon: 1e-4, reduction: "none" })).toEqual(binaryCrossEntropy([1, 0, 1], p, { reduction: "none" }));
  });
});

describe("gradOut", () => {
  const y = [1, 0, 0.3];
  const s = [0.5, -2, 40];
  const expected = binaryCrossEntropyWithLogitsGrad(y, s);

  test("is returned (the same buffer) with the gradient written into it, call after call", () => {
    const gradOut = new Float64Array(3).fill(NaN);
    const first = binaryCrossEntropyWithLogitsAndGrad(y, s, { gradOut });
    expect(first.grad).toBe(gradOut);
    expect(gradOut).toEqual(expected);
    const second = binaryCrossEntropyWithLogitsAndGrad(y, [1, 1, 1], { gradOut });
    expect(second.grad).toBe(gradOut);
    expect(gradOut).toEqual(binaryCrossEntropyWithLogitsGrad(y, [1, 1, 1]));
    expect(binaryCrossEntropyWithLogitsGrad(y, s, { gradOut })).toBe(gradOut);
    expect(gradOut).toEqual(expected);
  });

  test("may be a Float32Array (values rounded to float32) or a plain array", () => {
    const f32 = new Float32Array(3);
    expect(binaryCrossEntropyWithLogitsAndGrad(y, s, { gradOut: f32 }).grad).toBe(f32);
    expect(Array.from(f32)).toEqual(Array.from(expected, (g) => Math.fround(g)));
    const plain = [0, 0, 0];
    expect(logisticLossAndGrad([1, -1, 1], s, { gradOut: plain }).grad).toBe(plain);
    expect(plain).toEqual(Array.from(logisticLossGrad([1, -1, 1], s)));
    const p = new Float32Array(3);
    expect(binaryCrossEntropyAndGrad(y, [0.5, 0.25, 0.75], { gradOut: p, reduction: "sum" }).grad).toBe(p);
    expect(Array.from(p)).toEqual([-2, 4 / 3, (0.75 - 0.3) / (0.75 * 0.25)].map(Math.fround));
  });

  test("works with Float32Array inputs too", () => {
    const labels32 = Float32Array.of(1, 0, 0.25);
    const logits32 = Float32Array.of(0.5, -2, 40);
    const gradOut = new Float32Array(3);
    const { loss } = binaryCrossEntropyWithLogitsAndGrad(labels32, logits32, { gradOut, reduction: "sum" });
    expect(loss).toBe(binaryCrossEntropyWithLogits([1, 0, 0.25], [0.5, -2, 40], { reduction: "sum" }));
  });
});

describe("compensated sums", () => {
  test("the mean of 10^7 identical losses equals the single loss within 1 ulp (a naive sum drifts)", () => {
    const n = 10_000_000;
    const y = new Float64Array(n).fill(1);
    const s = new Float64Array(n).fill(0.1);
    const single = binaryCrossEntropyWithLogits(1, 0.1);
    expect(ulps(binaryCrossEntropyWithLogits(y, s), single)).toBeLessThanOrEqual(1);
    const p = new Float64Array(n).fill(0.3);
    expect(ulps(binaryCrossEntropy(y, p), binaryCrossEntropy(1, 0.3))).toBeLessThanOrEqual(1);
    // What the compensation buys: the plain loop is off by many ulps.
    let naive = 0;
    for (let i = 0; i < n; i++) naive += single;
    expect(ulps(naive / n, single)).toBeGreaterThan(100);
  });

  test("a shuffled batch of 1e5 mixed-magnitude losses gives the same mean within 2 ulps of the exact one", () => {
    const rand = rng(42);
    const n = 100_000;
    const ys: number[] = [];
    const ss: number[] = [];
    for (let i = 0; i < n; i++) {
      ys.push(rand() < 0.5 ? 1 : 0);
      // Logits from -700 to 40 on a log-like spread: losses from 4e-18 to 700.
      ss.push((rand() < 0.5 ? -1 : 1) * Math.exp(6.55 * rand()) * (rand() < 0.1 ? 1 : 0.05));
    }
    const losses = binaryCrossEntropyWithLogits(ys, ss, { reduction: "none" });
    expect(Math.min(...losses)).toBeLessThan(1e-10);
    expect(Math.max(...losses)).toBeGreaterThan(100);
    const exact = fsum(losses) / n;
    const index = Array.from({ length: n }, (_, i) => i);
    const results = new Set<number>();
    for (let round = 0; round < 5; round++) {
      const order = round === 0 ? index : round === 1 ? index.slice().reverse() : shuffled(index, rand);
      const got = binaryCrossEntropyWithLogits(
        Float64Array.from(order, (i) => ys[i]!),
        Float64Array.from(order, (i) => ss[i]!),
      );
      expect(ulps(got, exact)).toBeLessThanOrEqual(2);
      results.add(got);
    }
    // Sorted ascending and descending: the worst orders for a naive sum.
    const sorted = index.slice().sort((a, b) => losses[a]! - losses[b]!);
    for (const order of [sorted, sorted.slice().reverse()]) {
      const got = binaryCrossEntropyWithLogits(
        order.map((i) => ys[i]!),
        order.map((i) => ss[i]!),
      );
      expect(ulps(got, exact)).toBeLessThanOrEqual(2);
    }
  });
});

describe("empty batches and zero total weight", () => {
  const fns = [
    ["binaryCrossEntropy", binaryCrossEntropy],
    ["binaryCrossEntropyWithLogits", binaryCrossEntropyWithLogits],
    ["logisticLoss", logisticLoss],
  ] as const;

  test.each(fns)("%s: the mean of an empty batch throws a RangeError; sum is 0, none is empty", (name, f) => {
    expect(() => f([], [])).toThrow(RangeError);
    expect(() => f([], [])).toThrow(`${name}: the mean over a total weight of 0 is undefined (0 samples)`);
    expect(() => f([], [], { reduction: "batchmean" })).toThrow(`${name}: the batchmean of an empty batch is undefined`);
    expect(f([], [], { reduction: "sum" })).toBe(0);
    expect(f([], [], { reduction: "none" })).toEqual(new Float64Array(0));
  });

  test("a mean over all-zero weights throws; batchmean and sum are 0", () => {
    const options = { weights: [0, 0] };
    expect(() => binaryCrossEntropyWithLogits([1, 0], [1, 2], options)).toThrow(
      "binaryCrossEntropyWithLogits: the mean over a total weight of 0 is undefined (2 samples)",
    );
    expect(() => binaryCrossEntropyAndGrad([1, 0], [0.5, 0.5], options)).toThrow(RangeError);
    expect(() => logisticLossGrad([1, -1], [1, 2], options)).toThrow(RangeError);
    expect(binaryCrossEntropyWithLogits([1, 0], [1, 2], { ...options, reduction: "batchmean" })).toBe(0);
    expect(binaryCrossEntropyWithLogits([1, 0], [1, 2], { ...options, reduction: "sum" })).toBe(0);
  });
});

describe("exact limits", () => {
  test("BCE(0, 0) = 0, BCE(1, 0) = Infinity, and the logit forms at infinite logits", () => {
    expect(same(binaryCrossEntropy(0, 0), 0)).toBe(true);
    expect(binaryCrossEntropy(1, 0)).toBe(Infinity);
    expect(same(binaryCrossEntropyWithLogits(1, Infinity), 0)).toBe(true);
    expect(binaryCrossEntropyWithLogits(1, -Infinity)).toBe(Infinity);
  });

  test("the other corners, scalar and batch", () => {
    expect(same(binaryCrossEntropy(1, 1), 0)).toBe(true);
    expect(binaryCrossEntropy(0, 1)).toBe(Infinity);
    expect(binaryCrossEntropy(0.3, 0)).toBe(Infinity);
    expect(binaryCrossEntropy(0.3, 1)).toBe(Infinity);
    expect(same(binaryCrossEntropyWithLogits(0, -Infinity), 0)).toBe(true);
    expect(binaryCrossEntropyWithLogits(0, Infinity)).toBe(Infinity);
    expect(binaryCrossEntropyWithLogits(0.3, Infinity)).toBe(Infinity);
    expect(same(logisticLoss(1, Infinity), 0)).toBe(true);
    expect(logisticLoss(-1, Infinity)).toBe(Infinity);
    expect(logisticLoss(1, -Infinity)).toBe(Infinity);
    expect(same(logisticLoss(-1, -Infinity), 0)).toBe(true);
    expect(binaryCrossEntropy([0, 1, 1], [0, 1, 1], { reduction: "none" })).toEqual(new Float64Array(3));
    expect(binaryCrossEntropyWithLogits([1, 0], [Infinity, -Infinity])).toBe(0);
    expect(logisticLoss([1, -1], [Infinity, -Infinity], { reduction: "none" })).toEqual(new Float64Array(2));
  });

  test("gradients at the corners: finite where the one-sided limit is, infinite where the loss is", () => {
    expect(binaryCrossEntropyGrad(0, 0)).toBe(1);
    expect(binaryCrossEntropyGrad(1, 1)).toBe(-1);
    expect(binaryCrossEntropyGrad(1, 0)).toBe(-Infinity);
    expect(binaryCrossEntropyGrad(0, 1)).toBe(Infinity);
    expect(binaryCrossEntropyGrad(0.3, 0)).toBe(-Infinity);
    expect(binaryCrossEntropyGrad(0.3, 1)).toBe(Infinity);
    expect(binaryCrossEntropyWithLogitsGrad(1, Infinity)).toBe(-0); // sigmoid(s) - 1 -> 0 from below
    expect(binaryCrossEntropyWithLogitsGrad(1, -Infinity)).toBe(-1);
    expect(binaryCrossEntropyWithLogitsGrad(0, Infinity)).toBe(1);
    expect(binaryCrossEntropyWithLogitsGrad(0, -Infinity)).toBe(0);
    expect(binaryCrossEntropyWithLogitsGrad(0.3, Infinity)).toBe(0.7);
    expect(binaryCrossEntropyWithLogitsGrad(0.3, -Infinity)).toBe(-0.3);
    expect(logisticLossGrad(1, -Infinity)).toBe(-1);
    expect(logisticLossGrad(-1, Infinity)).toBe(1);
    expect(binaryCrossEntropyWithLogitsGrad([1, 0], [-Infinity, Infinity], { reduction: "sum" })).toEqual(Float64Array.of(-1, 1));
  });

  test("scalar special values", () => {
    expect(xent.sigmoid(Infinity)).toBe(1);
    expect(xent.sigmoid(-Infinity)).toBe(0);
    expect(xent.sigmoid(0)).toBe(0.5);
    expect(xent.sigmoid(-0)).toBe(0.5);
    expect(xent.logSigmoid(Infinity)).toBe(-0);
    expect(xent.logSigmoid(-Infinity)).toBe(-Infinity);
    expect(xent.logSigmoid(-1000)).toBe(-1000);
    expect(xent.softplus(Infinity)).toBe(Infinity);
    expect(xent.softplus(-Infinity)).toBe(0);
    expect(xent.softplus(-800)).toBe(0);
    expect(xent.logit(0)).toBe(-Infinity);
    expect(xent.logit(1)).toBe(Infinity);
    expect(xent.logit(0.5)).toBe(0);
  });

  test("softplus(x) is exactly x from x = 33.3 on (there log1p(e^-x) < ulp(x)/2 = 2^-48), logSigmoid(-x) is -x", () => {
    fc.assert(
      fc.property(fc.double({ min: 33.3, max: Number.MAX_VALUE, noNaN: true }), (x) => {
        expect(xent.softplus(x)).toBe(x);
        expect(xent.logSigmoid(-x)).toBe(-x);
        expect(binaryCrossEntropyWithLogits(0, x)).toBe(x);
        expect(logisticLoss(1, -x)).toBe(x);
      }),
      { numRuns: 1000 },
    );
    expect(xent.softplus(33)).toBe(33 + 2 ** -47); // e^-33 = 4.7e-15 is still more than half an ulp of 33
    expect(xent.softplus(33.3)).toBe(33.3);
  });
});
