// The Poisson bootstrap of xent eval --ci: the Poisson(1) draw against its mpmath table and a BigInt
// inversion, the exact sum against BigInt arithmetic, the coverage of the intervals by simulation, the
// bootstrap standard error against the analytic one, determinism, and merges of shards bit for bit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BinaryEvaluation,
  BootstrapSums,
  ExactSum,
  binaryBootstrapTerms,
  binaryCrossEntropy,
  multiclassBootstrapTerms,
  poissonOneDraw,
  quantileSorted,
} from "xent";
import { counterWord, counterWordLow, fmix32, rowKey } from "../src/core/numerics/counterHash.js";
import { POISSON_ONE_MAX, poissonOneTable } from "../src/core/numerics/poissonOne.js";
import { rng } from "./rng.js";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "poisson_one_table.json"), "utf8")) as {
  table: { k: number; high: number; low: number; tail: number }[];
};

/** K = min{k : U < G[k]} for the 64-bit integer U = u1 * 2^32 + u2, in BigInt arithmetic (20 past the table). */
function referenceDraw(u1: number, u2: number): number {
  const u = (BigInt(u1) << 32n) | BigInt(u2);
  for (const row of fixture.table) if (u < ((BigInt(row.high) << 32n) | BigInt(row.low))) return row.k;
  return fixture.table.length;
}

/** The multiplicative inverse of an odd 32-bit number modulo 2^32 (Newton's iteration). */
function inverse32(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x >>> 0;
}

/** The inverse of fmix32, to build keys whose first word is chosen (the rare branch of the draw). */
function unfmix32(y: number): number {
  const unshift = (x: number, s: number) => {
    let r = x;
    for (let i = 0; i < 32 / s; i++) r = x ^ (r >>> s);
    return r >>> 0;
  };
  let x = unshift(y, 16);
  x = Math.imul(x, inverse32(0xc2b2ae35)) >>> 0;
  x = unshift(x, 13);
  x = Math.imul(x, inverse32(0x85ebca6b)) >>> 0;
  return unshift(x, 16);
}

describe("poissonOneDraw", () => {
  it("uses the mpmath table", () => {
    expect(poissonOneTable()).toEqual(fixture.table.map((r) => [r.high, r.low]));
    expect(POISSON_ONE_MAX).toBe(fixture.table.length);
  });

  it("is the exact inversion of a 64-bit uniform (BigInt reference), common and rare branches", () => {
    const key = new Uint32Array(2);
    for (let row = 0; row < 2000; row++) {
      rowKey(7, 11, 13, row, key);
      for (let r = 0; r < 50; r++) {
        const got = poissonOneDraw(key[0]!, key[1]!, r);
        expect(got).toBe(referenceDraw(counterWord(key[0]!, key[1]!, r), counterWordLow(key[0]!, key[1]!, r)));
      }
    }
    // Keys whose high word sits exactly on a boundary of the table (probability 2^-32 each at random): the low
    // word decides. With h2 = 0 and r = 0, the high word is fmix32(h1).
    expect(unfmix32(fmix32(123456789))).toBe(123456789);
    let rare = 0;
    for (const row of fixture.table) {
      for (const h2 of [0, 1, 2, 3, 4, 5, 6, 7]) {
        const h1 = unfmix32(row.high) ^ h2;
        expect(counterWord(h1, h2, 0)).toBe(row.high);
        const k = poissonOneDraw(h1, h2, 0);
        expect(k).toBe(referenceDraw(row.high, counterWordLow(h1, h2, 0)));
        rare += k;
      }
    }
    expect(rare).toBeGreaterThan(0);
    // The largest uniform gives the largest draw.
    const top = unfmix32(0xffffffff);
    expect(poissonOneDraw(top, 0, 0)).toBe(referenceDraw(0xffffffff, counterWordLow(top, 0, 0)));
  });

  it("draws Poisson(1): frequencies within 5 sigma, mean and variance 1, no correlation between replicates", () => {
    const key = new Uint32Array(2);
    const n = 200000;
    const counts = new Array<number>(21).fill(0);
    let sum = 0;
    let sum2 = 0;
    let cross = 0;
    for (let i = 0; i < n / 2; i++) {
      rowKey(3, 5, 9, i, key);
      const a = poissonOneDraw(key[0]!, key[1]!, 0);
      const b = poissonOneDraw(key[0]!, key[1]!, 1);
      for (const k of [a, b]) {
        counts[k]!++;
        sum += k;
        sum2 += k * k;
      }
      cross += (a - 1) * (b - 1);
    }
    let factorial = 1;
    for (let k = 0; k <= 6; k++) {
      if (k > 0) factorial *= k;
      const expected = (n * Math.exp(-1)) / factorial;
      expect(Math.abs(counts[k]! - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
    const mean = sum / n;
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(1 / n));
    expect(Math.abs(sum2 / n - mean * mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(cross / (n / 2))).toBeLessThan(5 / Math.sqrt(n / 2));
  });
});

/** The exact sum of doubles, correctly rounded: BigInt arithmetic at a scale of 2^1100, then Number(). */
function exactReference(xs: number[]): number {
  let total = 0n;
  const view = new DataView(new ArrayBuffer(8));
  for (const x of xs) {
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const exponent = Number((bits >> 52n) & 0x7ffn);
    const mantissa = (bits & ((1n << 52n) - 1n)) | (exponent === 0 ? 0n : 1n << 52n);
    const shift = BigInt(Math.max(exponent, 1) - 1075 + 1100);
    const v = mantissa << shift;
    total += bits >> 63n ? -v : v;
  }
  // Number(BigInt) rounds to nearest, ties to even; scaling by 2^-1100 in two exact steps (normal range).
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const len = magnitude.toString(2).length;
  const keep = len > 60 ? BigInt(len - 60) : 0n;
  // Round to 60 bits with sticky bit, then let Number() round to 53 (no double rounding: 60 > 53 + 2, sticky kept).
  let top = magnitude >> keep;
  if (keep > 0n && (magnitude & ((1n << keep) - 1n)) !== 0n) top |= 1n;
  const value = Number(top) * 2 ** (Number(keep) - 550) * 2 ** -550;
  return negative ? -value : value;
}

describe("ExactSum", () => {
  it("is the correctly rounded exact sum, whatever the order of the terms", () => {
    const random = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const xs = Array.from({ length: 1 + Math.floor(random() * 40) }, () => (random() - 0.3) * 2 ** Math.floor(random() * 120 - 60));
      const want = exactReference(xs);
      const forward = new ExactSum();
      for (const x of xs) forward.add(x);
      const backward = new ExactSum();
      for (const x of [...xs].reverse()) backward.add(x);
      expect(forward.value()).toBe(want);
      expect(backward.value()).toBe(want);
      // Split and merged, and restored from its parts.
      const a = new ExactSum();
      const b = new ExactSum();
      xs.forEach((x, i) => (i % 3 === 0 ? a : b).add(x));
      expect(b.merge(a).value()).toBe(want);
      expect(ExactSum.fromParts(forward.parts()).value()).toBe(want);
    }
  });

  it("keeps what naive and compensated sums lose; infinities apart", () => {
    expect(new ExactSum().add(1e100).add(1).add(-1e100).value()).toBe(1);
    expect(new ExactSum().add(1).add(1e100).add(1).add(-1e100).value()).toBe(2);
    const tenth = new ExactSum();
    for (let i = 0; i < 10; i++) tenth.add(0.1);
    expect(tenth.value()).toBe(1);
    // Half-way case: 1 + 2^-53 + 2^-106 rounds up (the tail breaks the tie), 1 + 2^-53 to even (1).
    expect(
      new ExactSum()
        .add(1)
        .add(2 ** -53)
        .add(2 ** -106)
        .value(),
    ).toBe(1 + 2 ** -52);
    expect(
      new ExactSum()
        .add(1)
        .add(2 ** -53)
        .value(),
    ).toBe(1);
    expect(new ExactSum().add(1).add(Infinity).add(2).value()).toBe(Infinity);
    expect(new ExactSum().add(Infinity).add(-Infinity).value()).toBeNaN();
    expect(ExactSum.fromParts(new ExactSum().add(3).add(Infinity).parts()).value()).toBe(Infinity);
  });
});

describe("quantileSorted", () => {
  it("interpolates between order statistics as numpy's default (Hyndman & Fan 7)", () => {
    const xs = [1, 2, 4, 8, 16];
    expect(quantileSorted(xs, 0)).toBe(1);
    expect(quantileSorted(xs, 1)).toBe(16);
    expect(quantileSorted(xs, 0.5)).toBe(4);
    expect(quantileSorted(xs, 0.1)).toBeCloseTo(1.4, 15); // numpy.quantile([1,2,4,8,16], 0.1) = 1.4
    expect(quantileSorted(xs, 0.975)).toBeCloseTo(15.2, 13); // numpy: 15.2
    expect(quantileSorted([1, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

/** n rows of a calibrated model: p uniform over {0.2, 0.5, 0.8}, y ~ Bernoulli(p). */
function calibratedRows(n: number, seed: number): { labels: Float64Array; scores: Float64Array } {
  const random = rng(seed);
  const labels = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = [0.2, 0.5, 0.8][Math.floor(random() * 3)]!;
    scores[i] = p;
    labels[i] = random() < p ? 1 : 0;
  }
  return { labels, scores };
}

const ordinals = (n: number, from = 0) => Float64Array.from({ length: n }, (_, i) => from + i);

describe("BootstrapSums: statistics", () => {
  it("95% intervals cover the true mean log loss and Brier score in about 95% of seeded runs", () => {
    // The population's expected log loss: the mean entropy of the three probabilities (calibrated model).
    const truthLoss = (binaryCrossEntropy(0.2, 0.2) + binaryCrossEntropy(0.5, 0.5) + binaryCrossEntropy(0.8, 0.8)) / 3;
    const truthBrier = (0.2 * 0.8 + 0.25 + 0.8 * 0.2) / 3;
    const runs = 200;
    const n = 400;
    let coveredLoss = 0;
    let coveredBrier = 0;
    let coveredNormal = 0;
    for (let run = 0; run < runs; run++) {
      const { labels, scores } = calibratedRows(n, 1000 + run);
      const terms = binaryBootstrapTerms(labels, scores);
      const b = new BootstrapSums({ replicates: 200, seed: run }).add("sample", ordinals(n), terms);
      const ci = b.intervals(0.95);
      if (ci.logLoss![0] <= truthLoss && truthLoss <= ci.logLoss![1]) coveredLoss++;
      if (ci.brier![0] <= truthBrier && truthBrier <= ci.brier![1]) coveredBrier++;
      // The textbook interval on the same sample, mean ± 1.96 s / sqrt(n): how lucky the samples are.
      let mean = 0;
      const losses = terms.losses;
      for (let i = 0; i < n; i++) mean += losses[i]!;
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (losses[i]! - mean) ** 2;
      if (Math.abs(mean - truthLoss) <= 1.96 * Math.sqrt(ss / (n - 1) / n)) coveredNormal++;
    }
    // 200 runs: a coverage's binomial standard deviation is 1.5%. Observed: 0.92 for both (over 1000 runs, 0.924
    // against the normal interval's 0.941 on the same samples: the percentile interval of 200 replicates is a
    // little narrow). Allowed: [0.90, 0.985], and within 4 points of the normal interval's coverage.
    for (const covered of [coveredLoss, coveredBrier]) {
      expect(covered / runs).toBeGreaterThanOrEqual(0.9);
      expect(covered / runs).toBeLessThanOrEqual(0.985);
    }
    expect(Math.abs(coveredLoss - coveredNormal) / runs).toBeLessThanOrEqual(0.04);
  });

  it("the bootstrap standard error of the mean log loss agrees with the analytic s / sqrt(n) within 5%", () => {
    const n = 20000;
    const { labels, scores } = calibratedRows(n, 77);
    const terms = binaryBootstrapTerms(labels, scores);
    const b = new BootstrapSums({ replicates: 2000, seed: 5 }).add("sample", ordinals(n), terms);
    const losses = terms.losses;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += losses[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (losses[i]! - mean) ** 2;
    const analytic = Math.sqrt(ss / (n - 1) / n);
    const bootstrap = b.intervals(0.95).standardErrors.logLoss!;
    // 2000 replicates: the bootstrap SD itself varies by about 1/sqrt(2 * 2000) = 1.6%; 5% is 3 sigma.
    expect(Math.abs(bootstrap / analytic - 1)).toBeLessThan(0.05);
  });

  it("sums the same terms as BinaryEvaluation (log loss, Brier, accuracy within 4 ulps of its figures)", () => {
    const { labels, scores } = calibratedRows(5000, 3);
    const weights = Float64Array.from(labels, (_, i) => 0.5 + (i % 7));
    const terms = binaryBootstrapTerms(labels, scores, { weights });
    const m = new BinaryEvaluation().add(labels, scores, weights).metrics();
    const sum = (a: ArrayLike<number>) => {
      const s = new ExactSum();
      for (let i = 0; i < a.length; i++) s.add(a[i]! * weights[i]!);
      return s.value();
    };
    const w = new ExactSum();
    for (const x of weights) w.add(x);
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(b));
    close(sum(terms.losses) / w.value(), m.logLoss!);
    close(sum(terms.brier) / w.value(), m.brier!);
    close(sum(terms.correct) / w.value(), m.accuracy!);
  });
});

describe("BootstrapSums: determinism and merges", () => {
  const sources = { a: calibratedRows(10000, 1), b: calibratedRows(3000, 2), c: calibratedRows(50, 3) };
  type Name = keyof typeof sources;
  const fill = (b: BootstrapSums, names: Name[], batch = 1000) => {
    for (const name of names) {
      const { labels, scores } = sources[name];
      for (let i = 0; i < labels.length; i += batch) {
        const j = Math.min(i + batch, labels.length);
        b.add(`${name}.csv`, ordinals(j - i, i + 2), binaryBootstrapTerms(labels.subarray(i, j), scores.subarray(i, j)));
      }
    }
    return b;
  };
  const options = { replicates: 100, seed: 12345 };

  it("the same seed gives the same bits; another seed other intervals", () => {
    const one = fill(new BootstrapSums(options), ["a", "b"]).intervals(0.9);
    const two = fill(new BootstrapSums(options), ["a", "b"]).intervals(0.9);
    expect(two).toEqual(one);
    const other = fill(new BootstrapSums({ ...options, seed: 12346 }), ["a", "b"]).intervals(0.9);
    expect(other.logLoss).not.toEqual(one.logLoss);
    // The batch size does not matter (blocks are cut by row count within a source).
    expect(fill(new BootstrapSums(options), ["a", "b"], 777).intervals(0.9)).toEqual(one);
    // Each interval holds the point estimate.
    const m = new BinaryEvaluation().add(sources.a.labels, sources.a.scores).add(sources.b.labels, sources.b.scores).metrics();
    expect(one.logLoss![0]).toBeLessThan(m.logLoss!);
    expect(one.logLoss![1]).toBeGreaterThan(m.logLoss!);
  });

  it("shards of whole sources, merged in any order (and through JSON), give the bits of one run", () => {
    const whole = fill(new BootstrapSums(options), ["a", "b", "c"]);
    const figures = whole.replicateFigures();
    const json = (b: BootstrapSums) => BootstrapSums.fromJSON(JSON.parse(JSON.stringify(b)));
    const splits: Name[][][] = [
      [["a"], ["b", "c"]],
      [["c"], ["a"], ["b"]],
      [["b"], ["c"], ["a"]],
    ];
    for (const split of splits) {
      const shards = split.map((names) => json(fill(new BootstrapSums(options), names)));
      const merged = shards.reduce((x, y) => x.merge(y));
      expect(merged.replicateFigures()).toEqual(figures);
      expect(merged.intervals(0.95)).toEqual(whole.intervals(0.95));
      expect(merged.rows).toBe(13050);
    }
  });

  it("refuses merges that would not be one run: a shared source, another seed or size", () => {
    const a = fill(new BootstrapSums(options), ["a"]);
    expect(() => a.merge(fill(new BootstrapSums(options), ["a", "c"]))).toThrow(/both bootstraps hold rows of "a.csv"/);
    expect(() => a.merge(new BootstrapSums({ ...options, seed: 1 }))).toThrow(/with seed 1 into a binary one of 100 with seed 12345/);
    expect(() => a.merge(new BootstrapSums({ ...options, replicates: 50 }))).toThrow(/of 50 replicates/);
  });
});

describe("BootstrapSums: input and edge cases", () => {
  it("checks its options and input, naming the argument; a bad batch adds nothing", () => {
    expect(() => new BootstrapSums({ replicates: 1 })).toThrow("BootstrapSums: options.replicates = 1 is not an integer in [2, 100000]");
    expect(() => new BootstrapSums({ seed: -1 })).toThrow("BootstrapSums: options.seed = -1 is not an integer in [0, 2^32 - 1]");
    expect(() => new BootstrapSums({ seed: 2 ** 32 })).toThrow(/options.seed = 4294967296/);
    const b = new BootstrapSums({ replicates: 20 });
    expect(() => b.intervals(1.5)).toThrow("BootstrapSums.intervals: level = 1.5 is not a number in (0, 1)");
    expect(() => b.intervals(0)).toThrow(/level = 0 is not/);
    const terms = binaryBootstrapTerms([1, 0], [0.9, 0.2]);
    expect(() => b.add("x", [0, -1], terms)).toThrow("BootstrapSums.add: ordinals[1] = -1 is not a safe integer >= 0");
    expect(() => b.add("x", [0, 1.5], terms)).toThrow(/ordinals\[1\] = 1.5/);
    expect(() => b.add("x", [0, 1], { ...terms, weights: [1, NaN] })).toThrow(
      "BootstrapSums.add: terms.weights[1] = NaN is not a finite number >= 0",
    );
    expect(() => b.add("x", [0], terms)).toThrow(/terms.losses = "length 2" differs from ordinals' length 1/);
    expect(() => b.add("x", [0, 1], { ...terms, labels: undefined })).toThrow(/terms.labels = undefined is missing/);
    expect(b.rows).toBe(0);
    expect(b.intervals(0.9).logLoss).toBeNull();
    expect(b.intervals(0.9).undefinedReplicates.logLoss).toBe(20);
  });

  it("weights multiply each row's terms: a constant weight leaves the intervals (to rounding); weight 0 drops the row", () => {
    const { labels, scores } = calibratedRows(3000, 8);
    const plain = new BootstrapSums({ replicates: 60 }).add("w", ordinals(3000), binaryBootstrapTerms(labels, scores)).intervals(0.9);
    const weights = new Float64Array(3000).fill(3);
    const tripled = new BootstrapSums({ replicates: 60 }).add("w", ordinals(3000), binaryBootstrapTerms(labels, scores, { weights })).intervals(0.9);
    for (const f of ["logLoss", "brier", "accuracy", "baseRate", "normalizedEntropy", "calibrationRatio"] as const) {
      for (const j of [0, 1]) expect(Math.abs(tripled[f]![j]! / plain[f]![j]! - 1), f).toBeLessThan(1e-12);
    }
    // Weight 0 on the second half: the intervals of the first half alone.
    weights.fill(1, 0, 1500).fill(0, 1500);
    const half = new BootstrapSums({ replicates: 60 }).add("w", ordinals(3000), binaryBootstrapTerms(labels, scores, { weights })).intervals(0.9);
    const first = new BootstrapSums({ replicates: 60 })
      .add("w", ordinals(1500), binaryBootstrapTerms(labels.subarray(0, 1500), scores.subarray(0, 1500)))
      .intervals(0.9);
    expect(half.logLoss).toEqual(first.logLoss);
  });

  it("an infinite loss makes the replicates that draw its row infinite, through JSON too", () => {
    const labels = Float64Array.from({ length: 200 }, (_, i) => i % 2);
    const scores = Float64Array.from(labels, (y) => (y === 1 ? 0.7 : 0.4));
    scores[1] = 0; // label 1, probability 0
    const b = new BootstrapSums({ replicates: 50 }).add("f", ordinals(200), binaryBootstrapTerms(labels, scores));
    const again = BootstrapSums.fromJSON(JSON.parse(JSON.stringify(b)));
    for (const x of [b, again]) {
      const ci = x.intervals(0.95);
      expect(ci.logLoss![1]).toBe(Infinity);
      expect(ci.brier![1]).toBeLessThan(1);
      expect(ci.standardErrors.logLoss).toBeNull();
    }
    expect(JSON.stringify(b)).toContain('"Infinity"');
  });

  it("multi-class: log loss, Brier and accuracy; the binary-only figures null", () => {
    const labels = Float64Array.from({ length: 300 }, (_, i) => i % 3);
    const scores = Float64Array.from({ length: 900 }, (_, j) => (j % 3 === labels[Math.floor(j / 3)] ? 0.6 : 0.2));
    const b = new BootstrapSums({ kind: "multiclass", replicates: 40 }).add("m", ordinals(300), multiclassBootstrapTerms(labels, scores, 3));
    const ci = b.intervals(0.9);
    expect(ci.logLoss![0]).toBeCloseTo(-Math.log(0.6), 12);
    expect(ci.accuracy).toEqual([1, 1]);
    expect(ci.baseRate).toBeNull();
    expect(ci.calibrationRatio).toBeNull();
    expect(ci.undefinedReplicates).toEqual({});
    expect(() => b.merge(new BootstrapSums({ replicates: 40 }))).toThrow(/a binary bootstrap/);
  });
});
