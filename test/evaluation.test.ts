// The evaluation metrics of src/core: Brier score, accuracy, ROC AUC (exact and histogram), and the
// mergeable BinaryEvaluation state.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BinaryEvaluation,
  MulticlassEvaluation,
  RocAucAccumulator,
  accuracy,
  binaryCrossEntropy,
  brierScore,
  categoricalAccuracy,
  categoricalBrierScore,
  rocAuc,
} from "xent";
import { binaryScoreSums } from "../src/core/metrics/binaryScoreSums.js";
import { ulps } from "./cliHelpers.js";
import { rng } from "./rng.js";

/** The AUC by its definition: all pairs, ties one half. */
function bruteAuc(labels: number[], scores: number[], weights?: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      const w = (weights?.[i] ?? 1) * (weights?.[j] ?? 1);
      den += w;
      num += w * (scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

const sample = fc
  .array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 4 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some((r) => r[0] === 1 && r[2] > 0) && rows.some((r) => r[0] === 0 && r[2] > 0));

describe("brierScore and accuracy", () => {
  it("match their definitions", () => {
    expect(brierScore([1, 0, 1], [1, 0, 0])).toBe(1 / 3);
    expect(brierScore([1, 0], [0.5, 0.5], { reduction: "none" })).toEqual(new Float64Array([0.25, 0.25]));
    expect(brierScore([1, 0], [0.5, 0.5], { weights: [3, 1] })).toBe(0.25);
    expect(accuracy([1, 0, 1, 0], [0.9, 0.4, 0.5, 0.6])).toBe(0.5); // 0.5 predicts 0
    expect(accuracy([1, 0], [0.9, 0.8], { weights: [3, 1] })).toBe(0.75);
  });
  it("reject bad input with a message naming the argument and index", () => {
    expect(() => brierScore([1, 2], [0.5, 0.5])).toThrow(new RangeError("brierScore: labels[1] = 2 is not 0 or 1"));
    expect(() => brierScore([1], [1.5])).toThrow(new RangeError("brierScore: probabilities[0] = 1.5 is not in [0, 1]"));
    expect(() => accuracy([1], [NaN])).toThrow(new RangeError("accuracy: scores[0] = NaN is not a number"));
    expect(() => brierScore([], [])).toThrow(RangeError);
    expect(brierScore([], [], { reduction: "sum" })).toBe(0);
  });
  it("sum a million equal terms exactly (compensated)", () => {
    const n = 1_000_000;
    const labels = new Float64Array(n).fill(1);
    const probs = new Float64Array(n).fill(0.9);
    const term = (0.9 - 1) ** 2;
    expect(brierScore(labels, probs)).toBe(term);
  });
});

describe("rocAuc", () => {
  it("is the pairwise definition, with ties one half and weights", () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const labels = rows.map((r) => r[0]);
        const scores = rows.map((r) => r[1] / 20);
        const weights = rows.map((r) => r[2]);
        expect(rocAuc(labels, scores, { weights })).toBeCloseTo(bruteAuc(labels, scores, weights), 12);
      }),
    );
  });
  it("throws when a class is absent", () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/undefined/);
  });
});

describe("RocAucAccumulator", () => {
  it("stays exact below maxDistinct, and merges shards into the whole", () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 0, max: 60 }), (rows, cut) => {
        const labels = rows.map((r) => r[0]);
        const scores = rows.map((r) => r[1] / 20);
        const whole = new RocAucAccumulator().add(labels, scores);
        const k = Math.min(cut, rows.length);
        const a = new RocAucAccumulator().add(labels.slice(0, k), scores.slice(0, k));
        const b = new RocAucAccumulator().add(labels.slice(k), scores.slice(k));
        const merged = RocAucAccumulator.fromJSON(JSON.parse(JSON.stringify(a))).merge(b);
        if (!labels.includes(0) || !labels.includes(1)) return;
        expect(merged.result()).toEqual(whole.result());
        expect(whole.result()!.errorBound).toBe(0);
      }),
    );
  });
  it("switches to the histogram past maxDistinct, within its stated error bound", () => {
    const r = rng(3);
    const n = 20000;
    const labels: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = r();
      scores.push(p);
      labels.push(r() < p ? 1 : 0);
    }
    const exact = rocAuc(labels, scores);
    const acc = new RocAucAccumulator("probability", { maxDistinct: 1000 }).add(labels, scores);
    expect(acc.exact).toBe(false);
    const { auc, errorBound } = acc.result()!;
    expect(errorBound).toBeGreaterThan(0);
    expect(errorBound).toBeLessThan(1e-3);
    expect(Math.abs(auc - exact)).toBeLessThanOrEqual(errorBound);
    // Shards, each exact, merge into the same histogram as the whole.
    const parts = [0, 1, 2, 3].map((k) =>
      new RocAucAccumulator("probability", { maxDistinct: 1000 }).add(labels.slice(k * 5000, (k + 1) * 5000), scores.slice(k * 5000, (k + 1) * 5000)),
    );
    const merged = parts.reduce(
      (m, p) => m.merge(RocAucAccumulator.fromJSON(JSON.parse(JSON.stringify(p)))),
      new RocAucAccumulator("probability", { maxDistinct: 1000 }),
    );
    expect(merged.result()).toEqual(acc.result());
  });
  it("keeps the histogram's bins in score order, so the error bound holds for any data", () => {
    const score = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5, 1e-300, 1 - 2 ** -53, 2 ** -64));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1), score), { minLength: 2, maxLength: 40 }), fc.boolean(), (rows, logit) => {
        const labels = rows.map((r) => r[0]);
        if (!labels.includes(0) || !labels.includes(1)) return;
        const scores = rows.map((r) => (logit ? (r[1] - 0.5) * 200 : r[1]));
        const acc = new RocAucAccumulator(logit ? "logit" : "probability", { maxDistinct: 1 }).add(labels, scores);
        const { auc, errorBound } = acc.result()!;
        expect(Math.abs(auc - bruteAuc(labels, scores))).toBeLessThanOrEqual(errorBound + 1e-12);
      }),
    );
  });
  it("bins logits, including the infinities", () => {
    const acc = new RocAucAccumulator("logit", { maxDistinct: 1 }).add([0, 1, 0, 1], [-Infinity, Infinity, -3, 3]);
    expect(acc.result()).toEqual({ auc: 1, errorBound: 0 });
    const back = RocAucAccumulator.fromJSON(JSON.parse(JSON.stringify(new RocAucAccumulator("logit").add([0, 1], [-Infinity, Infinity]))));
    expect(back.result()!.auc).toBe(1);
  });
});

describe("BinaryEvaluation", () => {
  it("state survives JSON, Infinity included, and merges to the whole within a few ulps", () => {
    const r = rng(5);
    const n = 5000;
    const labels = Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
    const probs = Array.from({ length: n }, () => r());
    const weights = Array.from({ length: n }, () => r() * 2);
    const whole = new BinaryEvaluation().add(labels, probs, weights).metrics();
    const merged = new BinaryEvaluation();
    for (let k = 0; k < n; k += 777) {
      const part = new BinaryEvaluation().add(labels.slice(k, k + 777), probs.slice(k, k + 777), weights.slice(k, k + 777));
      merged.merge(BinaryEvaluation.fromJSON(JSON.parse(JSON.stringify(part))));
    }
    const m = merged.metrics();
    expect(m.rows).toBe(n);
    for (const key of ["weight", "logLoss", "accuracy", "brier"] as const) expect(ulps(m[key]!, whole[key]!)).toBeLessThanOrEqual(4);
    expect(ulps(whole.logLoss!, binaryCrossEntropy(labels, probs, { weights }))).toBeLessThanOrEqual(2);
    const inf = new BinaryEvaluation().add([1], [0]);
    expect(BinaryEvaluation.fromJSON(JSON.parse(JSON.stringify(inf))).metrics().logLoss).toBe(Infinity);
  });
  it("sums compensated across batches: 10^6 copies of one row give that row's loss exactly", () => {
    const batch = 16384;
    const labels = new Float64Array(batch).fill(1);
    const probs = new Float64Array(batch).fill(0.7);
    const e = new BinaryEvaluation();
    let n = 0;
    while (n + batch <= 1_000_000) {
      e.add(labels, probs);
      n += batch;
    }
    e.add(labels.subarray(0, 1_000_000 - n), probs.subarray(0, 1_000_000 - n));
    const m = e.metrics();
    expect(m.rows).toBe(1_000_000);
    expect(m.logLoss).toBe(binaryCrossEntropy(1, 0.7));
    expect(m.brier).toBe((0.7 - 1) ** 2);
  });
  it("its fused Brier/accuracy pass gives brierScore's and accuracy's sums bit for bit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })), {
          maxLength: 50,
        }),
        (rows) => {
          const y = rows.map((r) => r[0]);
          const p = rows.map((r) => r[1]);
          const w = rows.map((r) => r[2]);
          expect(binaryScoreSums("t", y, p, p, 0.5, w)).toEqual({
            brier: brierScore(y, p, { weights: w, reduction: "sum" }),
            correct: accuracy(y, p, { weights: w, reduction: "sum" }),
          });
        },
      ),
    );
  });
  it("addValidated (the CLI's one fused pass) leaves the same state as add, bit for bit", () => {
    const r = rng(14);
    for (const [n, weighted, maxDistinct, threshold, bins] of [
      [5000, false, 65536, undefined, undefined],
      [5000, true, 300, 0.3, 7],
      [9000, false, 1000, 0.5, 15],
      [3000, true, 65536, 0.9, 1],
    ] as const) {
      const options = { maxDistinct, ...(threshold === undefined ? {} : { threshold }), ...(bins === undefined ? {} : { bins }) };
      const a = new BinaryEvaluation("probability", options);
      const b = new BinaryEvaluation("probability", options);
      for (let batch = 0; batch < 3; batch++) {
        const y = new Float64Array(n);
        const p = new Float64Array(n);
        const w = weighted ? new Float64Array(n) : undefined;
        for (let i = 0; i < n; i++) {
          y[i] = r() < 0.4 ? 1 : 0;
          const u = r();
          // Exact ties (two decimals), the ends 0 and 1 (infinite losses), 0.5 (the threshold), tiny values.
          p[i] = u < 0.3 ? Math.round(r() * 100) / 100 : u < 0.33 ? [0, 1, 0.5, 1e-300, 1 - 2 ** -53][Math.floor(r() * 5)]! : r();
          if (w !== undefined) w[i] = r() < 0.1 ? [0, -0, 1][Math.floor(r() * 3)]! : r() * 3;
        }
        a.add(y, p, w);
        b.addValidated(y, p, w);
      }
      expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
      expect(JSON.stringify(b.metrics())).toBe(JSON.stringify(a.metrics()));
    }
  });
  it("an empty evaluation has null figures, not NaN", () => {
    expect(new BinaryEvaluation().metrics()).toEqual({
      rows: 0,
      weight: 0,
      logLoss: null,
      accuracy: null,
      brier: null,
      rocAuc: null,
      rocAucErrorBound: null,
      averagePrecision: null,
      averagePrecisionErrorBound: null,
      baseRate: null,
      normalizedEntropy: null,
      confusion: null,
      calibration: null,
      equalMassCalibration: null,
      brierDecomposition: null,
      logLossDecomposition: null,
    });
  });
  it("rejects malformed states with a TypeError naming the field", () => {
    expect(() => BinaryEvaluation.fromJSON({ kind: "binary", scale: "probability", count: -1 })).toThrow(/state\.count/);
    expect(() => BinaryEvaluation.fromJSON({ kind: "multiclass" })).toThrow(/state\.kind/);
  });
});

describe("multi-class metrics and MulticlassEvaluation", () => {
  it("categoricalBrierScore and categoricalAccuracy match their definitions", () => {
    // Rows: [0.7, 0.2, 0.1] for class 0, [0.1, 0.8, 0.1] for class 2.
    const p = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1];
    const brier0 = (0.7 - 1) ** 2 + 0.2 ** 2 + 0.1 ** 2;
    const brier1 = 0.1 ** 2 + 0.8 ** 2 + (0.1 - 1) ** 2;
    expect(categoricalBrierScore([0, 2], p, { classes: 3, reduction: "none" })).toEqual(new Float64Array([brier0, brier1]));
    expect(categoricalAccuracy([0, 2], p, { classes: 3 })).toBe(0.5);
    expect(categoricalAccuracy([1], [5, 5], { classes: 2 })).toBe(0); // a tie goes to the first class
    expect(() => categoricalAccuracy([3], [1, 2, 3], { classes: 3 })).toThrow("categoricalAccuracy: labels[0] = 3 is not a class id in [0, 2]");
    expect(() => categoricalBrierScore([0], [1, 2], { classes: 3 })).toThrow(RangeError);
  });
  it("two classes agree with the binary evaluation (Brier doubled)", () => {
    const r = rng(9);
    const y = Array.from({ length: 500 }, () => (r() < 0.5 ? 1 : 0));
    const p1 = Array.from({ length: 500 }, () => r());
    const rows = p1.flatMap((p) => [1 - p, p]);
    const m = new MulticlassEvaluation(2).add(y, rows).metrics();
    const b = new BinaryEvaluation().add(y, p1).metrics();
    expect(ulps(m.logLoss!, b.logLoss!)).toBeLessThanOrEqual(4);
    expect(m.brier! / 2).toBeCloseTo(b.brier!, 14);
  });
  it("merges shards through JSON into the whole", () => {
    const r = rng(13);
    const n = 1000;
    const y = Array.from({ length: n }, () => Math.floor(r() * 3));
    const z = Array.from({ length: 3 * n }, () => (r() - 0.5) * 10);
    const whole = new MulticlassEvaluation(3, "logit").add(y, z).metrics();
    const merged = new MulticlassEvaluation(3, "logit");
    for (let i = 0; i < n; i += 300) {
      const part = new MulticlassEvaluation(3, "logit").add(y.slice(i, i + 300), z.slice(3 * i, 3 * (i + 300)));
      merged.merge(MulticlassEvaluation.fromJSON(JSON.parse(JSON.stringify(part))));
    }
    const m = merged.metrics();
    for (const key of ["logLoss", "accuracy", "brier"] as const) expect(ulps(m[key]!, whole[key]!)).toBeLessThanOrEqual(4);
    expect(() => merged.merge(new MulticlassEvaluation(4, "logit"))).toThrow(/4 classes/);
  });
});

describe("RocAucAccumulator.add is all or nothing", () => {
  it("a bad element leaves the accumulator as it was", () => {
    const acc = new RocAucAccumulator().add([0, 1], [0.2, 0.8]);
    expect(() => acc.add([1, 0], [0.9, 1.5])).toThrow("RocAucAccumulator.add: scores[1] = 1.5 is not in [0, 1]");
    expect(acc.result()).toEqual({ auc: 1, errorBound: 0 });
  });
});

describe("merging partial sums and evaluations with an infinite loss", () => {
  it("gives Infinity, not NaN (the compensation of an infinite sum is not added)", async () => {
    const { CompensatedSum } = await import("xent");
    const inf = new CompensatedSum().add(1).add(Infinity);
    expect(new CompensatedSum().add(0.1).merge(inf).value()).toBe(Infinity);
    expect(inf.merge(new CompensatedSum().add(0.1)).value()).toBe(Infinity);
    const a = new BinaryEvaluation().add([1, 0], [0, 0.5]);
    const b = new BinaryEvaluation().add([1, 0], [0.5, 1]);
    expect(a.merge(b).metrics().logLoss).toBe(Infinity);
    const c = BinaryEvaluation.fromJSON(JSON.parse(JSON.stringify(new BinaryEvaluation().add([1], [0]).toJSON())));
    expect(c.merge(BinaryEvaluation.fromJSON(new BinaryEvaluation().add([0], [1]).toJSON())).metrics().logLoss).toBe(Infinity);
    const m = new MulticlassEvaluation(2).add([0], [0, 1]);
    expect(m.merge(new MulticlassEvaluation(2).add([1], [1, 0])).metrics().logLoss).toBe(Infinity);
  });
});
