// The curves of BinaryEvaluation.curves() against scikit-learn 1.2.1 (test/fixtures/generate_sklearn_curves.py
// writes test/fixtures/sklearn_curves.json): roc_curve, precision_recall_curve, calibration_curve and the
// isotonic fit of the CORP curve. Tolerances: the ROC and PR rates are ratios of integer (or two-decimal)
// weight sums, exact on both sides for counts: equal to 1 ulp (weighted sums: numpy's naive cumsum against
// our compensated one, relative 1e-13); calibration_curve's bin means and the isotonic fit relative 1e-12.
// Histogram mode (past maxDistinct scores) is checked by its invariants: the points at bin edges equal the
// exact curve's points at the same thresholds, and the area and step integral equal the reported AUC and AP.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BinaryEvaluation, RocAucAccumulator, type ScoreScale, poolAdjacentViolators, rocCurve } from "xent";

interface Case {
  name: string;
  scale: ScoreScale;
  labels: number[];
  scores: number[];
  weights: number[] | null;
  roc: { fpr: number[]; tpr: number[] };
  pr: { precision: number[]; recall: number[] };
  isotonic: { x: number[]; y: number[] };
  calibration: Record<string, { probTrue: number[]; probPred: number[] }>;
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "sklearn_curves.json"), "utf8")) as { cases: Case[] };

function closeArrays(got: ArrayLike<number>, want: number[], rel: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Math.abs(g - w) > rel * Math.max(Math.abs(w), 1e-300)) expect.fail(`[${i}]: got ${g}, want ${w} (relative ${rel})`);
  }
}

/** The trapezoid area under the ROC points (ties are diagonal steps: the half-counted pairs). */
function area(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return a;
}

/** The step integral sum (R_k - R_{k-1}) P_k of the PR points: average precision. */
function stepIntegral(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < recall.length; i++) a += (recall[i]! - recall[i - 1]!) * precision[i]!;
  return a;
}

for (const c of fixtures.cases) {
  describe(`curves on "${c.name}" (scikit-learn 1.2.1)`, () => {
    const weights = c.weights ?? undefined;
    const rel = c.weights === null ? 2 ** -52 : 1e-13;
    const evaluation = (options = {}) => new BinaryEvaluation(c.scale, options).add(c.labels, c.scores, weights);

    it("ROC points equal roc_curve(drop_intermediate=False)", () => {
      const k = evaluation().curves();
      expect(k.exact).toBe(true);
      closeArrays(k.roc!.falsePositiveRate, c.roc.fpr, rel);
      closeArrays(k.roc!.truePositiveRate, c.roc.tpr, rel);
    });

    it("PR points equal precision_recall_curve (read from its end)", () => {
      const k = evaluation().curves();
      closeArrays(k.precisionRecall!.precision, [...c.pr.precision].reverse(), rel);
      closeArrays(k.precisionRecall!.recall, [...c.pr.recall].reverse(), rel);
    });

    it("the area under the ROC points is the AUC, the PR step integral the average precision", () => {
      const e = evaluation();
      const k = e.curves();
      const m = e.metrics();
      expect(Math.abs(area(k.roc!.falsePositiveRate, k.roc!.truePositiveRate) - m.rocAuc!)).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(stepIntegral(k.precisionRecall!.recall, k.precisionRecall!.precision) - m.averagePrecision!)).toBeLessThanOrEqual(1e-14);
    });

    it("the CORP curve is scikit-learn's isotonic fit at the block ends, and non-decreasing", () => {
      const k = evaluation().curves().isotonic!;
      const fitted = new Map(c.isotonic.x.map((x, i) => [x, c.isotonic.y[i]!]));
      for (let i = 0; i < k.forecast.length; i++) {
        // Logits: our sigmoid and scipy's expit may differ by an ulp; take the nearest distinct x.
        let want = fitted.get(k.forecast[i]!);
        if (want === undefined) {
          const nearest = c.isotonic.x.reduce((a, b) => (Math.abs(b - k.forecast[i]!) < Math.abs(a - k.forecast[i]!) ? b : a));
          expect(Math.abs(nearest - k.forecast[i]!)).toBeLessThanOrEqual(4 * 2 ** -52 * nearest);
          want = fitted.get(nearest)!;
        }
        expect(Math.abs(k.calibrated[i]! - want)).toBeLessThanOrEqual(1e-12 * Math.max(want, 1e-300));
        if (i > 0) {
          expect(k.forecast[i]!).toBeGreaterThanOrEqual(k.forecast[i - 1]!);
          expect(k.calibrated[i]!).toBeGreaterThanOrEqual(k.calibrated[i - 1]!);
        }
      }
      expect(k.forecast[0]).toBe(c.isotonic.x[0]);
    });

    for (const [bins, ref] of Object.entries(c.calibration)) {
      it(`reliability bins equal calibration_curve(n_bins=${bins})`, () => {
        const r = evaluation({ bins: Number(bins) }).curves().reliability!;
        expect(r).toHaveLength(Number(bins));
        const full = r.filter((b) => b.weight > 0);
        closeArrays(
          full.map((b) => b.frequency),
          ref.probTrue,
          1e-12,
        );
        closeArrays(
          full.map((b) => b.meanProbability),
          ref.probPred,
          1e-12,
        );
        expect(r.reduce((s, b) => s + b.weight, 0)).toBe(c.labels.length);
      });
    }

    it("in histogram mode, the points at the bin edges are the exact curve's at those thresholds", () => {
      const e = evaluation({ maxDistinct: 8 });
      const k = e.curves();
      expect(k.exact).toBe(false);
      const m = e.metrics();
      expect(Math.abs(area(k.roc!.falsePositiveRate, k.roc!.truePositiveRate) - m.rocAuc!)).toBeLessThanOrEqual(1e-14);
      // Every histogram point is a point of the exact curve (the weight above a bin edge does not depend on the order inside bins).
      const exact = evaluation().curves().roc!;
      const near = (x: number, y: number) =>
        exact.falsePositiveRate.some((fx, j) => Math.abs(fx - x) <= 1e-13 && Math.abs(exact.truePositiveRate[j]! - y) <= 1e-13);
      for (let i = 0; i < k.roc!.falsePositiveRate.length; i++) expect(near(k.roc!.falsePositiveRate[i]!, k.roc!.truePositiveRate[i]!)).toBe(true);
      // The CORP curve's x are bin edges, increasing, inside [0, 1], and its y non-decreasing.
      const iso = k.isotonic!;
      for (let i = 1; i < iso.forecast.length; i++) {
        expect(iso.forecast[i]!).toBeGreaterThanOrEqual(iso.forecast[i - 1]!);
        expect(iso.calibrated[i]!).toBeGreaterThanOrEqual(iso.calibrated[i - 1]!);
      }
      expect(iso.forecast[0]!).toBeGreaterThanOrEqual(0);
      expect(iso.forecast[iso.forecast.length - 1]!).toBeLessThanOrEqual(1);
      // Each distinct score lies within its bin's edges: the smallest score is >= the first edge, the largest <= the last.
      const probabilities = c.scores.map((s) => (c.scale === "logit" ? 1 / (1 + Math.exp(-s)) : s));
      expect(iso.forecast[0]!).toBeLessThanOrEqual(Math.min(...probabilities));
      expect(iso.forecast[iso.forecast.length - 1]!).toBeGreaterThanOrEqual(Math.max(...probabilities) - 1e-15);
    });
  });
}

describe("pool adjacent violators and the curves' edge cases", () => {
  it("pools violators and tracks which groups each block spans", () => {
    // Frequencies 1, 0, 1/2, 1 by group: the first two pool to 1/2, then with the third (1/2 >= 1/2).
    expect(poolAdjacentViolators([1, 0, 1, 2], [0, 1, 1, 0])).toEqual({ pos: [2, 2], neg: [2, 0], first: [0, 3], last: [2, 3] });
  });

  it("a group without weight adds no point; one class only gives no ROC curve", () => {
    expect(Array.from(rocCurve([1, 0, 0], [0, 0, 1])!.falsePositiveRate)).toEqual([0, 1, 1]);
    expect(rocCurve([1, 2], [0, 0])).toBeNull();
    expect(new BinaryEvaluation().add([1, 1], [0.2, 0.7]).curves().precisionRecall!.recall).toEqual(Float64Array.from([0, 0.5, 1]));
  });
});

describe("histogram bin edges (RocAucAccumulator.sortedWeights().bins)", () => {
  // Each score must lie between its bin's edges (inclusive): the CORP curve of a histogram is drawn between them.
  const probabilities = [0, 1, 0.5, 2 ** -70, 2 ** -64, 1e-12, 0.001, 0.1, 0.3, 0.4999999, 0.5000001, 0.7, 0.9, 0.999, 1 - 1e-12, 1 - 2 ** -53];
  const logits = [-Infinity, -1e6, -64, -63.99, -10, -0.001, 0, 0.001, 3.3, 63.99, 64, 1e6, Infinity];
  for (const [scale, scores] of [
    ["probability", probabilities],
    ["logit", logits],
  ] as const) {
    it(`${scale}: every score lies between the edges of its bin`, () => {
      for (const s of scores) {
        // Two distinct scores past maxDistinct 1: the accumulator is a histogram; s is the only positive.
        const acc = new RocAucAccumulator(scale, { maxDistinct: 1 }).add([1, 0], [s, s === 0.5 ? 0.25 : 0.5]);
        const w = acc.sortedWeights();
        expect(w.exact).toBe(false);
        const k = w.pos.findIndex((p) => p > 0);
        const lower = w.bins!.lower[k]!;
        const upper = w.bins!.upper[k]!;
        expect(lower, `${s}`).toBeLessThanOrEqual(s);
        expect(s, `${s}`).toBeLessThanOrEqual(upper);
        // And the bin is narrow where it is finite: a relative 2^-8 of min(p, 1 - p), or 1/256 of a logit.
        if (scale === "logit" && Number.isFinite(lower) && Number.isFinite(upper)) expect(upper - lower).toBe(1 / 256);
        if (scale === "probability" && s > 2 ** -64 && s < 1 - 2 ** -53)
          expect(upper - lower).toBeLessThanOrEqual(Math.min(s, 1 - s) * 2 ** -8 * 1.0001);
      }
    });
  }
});
