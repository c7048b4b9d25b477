// BinaryEvaluation's metrics against scikit-learn 1.2.1 (test/fixtures/generate_sklearn_metrics.py writes the
// data sets into test/fixtures/metrics/ and the figures into test/fixtures/sklearn_metrics.json).
// Tolerances: relative 1e-12 against scikit-learn (its sums are naive numpy sums, ours compensated: they
// differ in the last digits of a 3000-term sum); the decomposition identities to 8 ulps of the largest term.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BinaryEvaluation, type BinaryEvaluationOptions, MulticlassEvaluation, logit } from "xent";

const dir = join(import.meta.dirname, "fixtures");
const fixtures = JSON.parse(readFileSync(join(dir, "sklearn_metrics.json"), "utf8")) as {
  binary: Record<string, any>;
  multiclass: Record<string, any>;
};

function load(name: string): { y: number[]; p: number[]; w: number[] | undefined } {
  const [header, ...lines] = readFileSync(join(dir, "metrics", name), "utf8")
    .trim()
    .split("\n");
  const cols = header!.split(",");
  const rows = lines.map((l) => l.split(","));
  const y = rows.map((r) => (r[0] === "yes" || r[0] === "1" ? 1 : 0));
  const p = rows.map((r) => Number(r[1]));
  const w = cols.length > 2 ? rows.map((r) => Number(r[2])) : undefined;
  return { y, p, w };
}

function close(got: number | null | undefined, want: number, rel = 1e-12): void {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-300));
}

const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

for (const [name, ref] of Object.entries(fixtures.binary)) {
  describe(`BinaryEvaluation metrics on ${name} (scikit-learn 1.2.1)`, () => {
    const { y, p, w } = load(name);

    it("average precision, ROC AUC, log loss, Brier, base rate, normalized entropy, calibration ratio", () => {
      const m = new BinaryEvaluation().add(y, p, w).metrics();
      close(m.averagePrecision, ref.averagePrecision);
      expect(m.averagePrecisionErrorBound).toBe(0);
      close(m.rocAuc, ref.rocAuc);
      close(m.logLoss, ref.logLoss);
      close(m.brier, ref.brier);
      close(m.baseRate, ref.baseRate);
      close(m.normalizedEntropy, ref.normalizedEntropy);
      close(m.calibration!.calibrationRatio, ref.calibrationRatio);
    });

    it("confusion matrix, precision, recall and F1 at thresholds 0.5 (default) and 0.3, and on the logit scale", () => {
      for (const t of [0.5, 0.3]) {
        const want = ref.confusion[String(t)];
        const options: BinaryEvaluationOptions = t === 0.5 ? {} : { threshold: t };
        const c = new BinaryEvaluation("probability", options).add(y, p, w).metrics().confusion!;
        for (const k of ["truePositive", "falsePositive", "falseNegative", "trueNegative", "precision", "recall", "f1"])
          close((c as any)[k], want[k]);
      }
      // Logits: the default threshold 0 is p = 0.5 (logit(0.5) = 0 exactly, predicted negative on both scales).
      const c = new BinaryEvaluation("logit")
        .add(
          y,
          p.map((x) => logit(x)),
          w,
        )
        .metrics().confusion!;
      close(c.f1, ref.confusion["0.5"].f1);
    });

    it("ECE, MCE and RMS calibration error with 15 (default) and 10 equal-width and equal-mass bins", () => {
      for (const bins of [15, 10]) {
        const want = ref.calibration[String(bins)];
        const c = new BinaryEvaluation("probability", bins === 15 ? {} : ({ bins } as BinaryEvaluationOptions)).add(y, p, w).metrics().calibration!;
        expect(c.bins).toBe(bins);
        close(c.ece, want.ece);
        close(c.mce, want.mce);
        close(c.rms, want.rms);
        // Equal-mass bins: our own Python reference (the same definition; the bin boundaries fall on sums of
        // weights, so a rounding difference could move a group: the data sets avoid that, as the match shows).
        const e = new BinaryEvaluation("probability", bins === 15 ? {} : ({ bins } as BinaryEvaluationOptions))
          .add(y, p, w)
          .metrics().equalMassCalibration!;
        const r = ref.equalMassCalibration[String(bins)];
        close(e.ece, r.ece, 1e-10);
        close(e.mce, r.mce, 1e-10);
        close(e.rms, r.rms, 1e-10);
      }
    });

    it("Murphy's Brier decomposition and the CORP log-loss decomposition, each identity to a few ulps", () => {
      const m = new BinaryEvaluation().add(y, p, w).metrics();
      const b = m.brierDecomposition!;
      expect(b.exact).toBe(true);
      close(b.reliability, ref.brierDecomposition.reliability, 1e-10);
      close(b.resolution, ref.brierDecomposition.resolution, 1e-10);
      close(b.uncertainty, ref.brierDecomposition.uncertainty);
      expect(Math.abs(b.reliability - b.resolution + b.uncertainty - m.brier!)).toBeLessThanOrEqual(8 * ulp(b.uncertainty));
      const d = m.logLossDecomposition!;
      expect(d.exact).toBe(true);
      close(d.miscalibration, ref.logLossDecomposition.miscalibration, 1e-10);
      close(d.discrimination, ref.logLossDecomposition.discrimination, 1e-12);
      close(d.uncertainty, ref.logLossDecomposition.uncertainty);
      expect(Math.abs(d.miscalibration - d.discrimination + d.uncertainty - m.logLoss!)).toBeLessThanOrEqual(4 * ulp(d.uncertainty));
    });

    it("histogram mode: AP within its error bound of the exact value; decomposition bounds on the right side", () => {
      const exact = new BinaryEvaluation().add(y, p, w).metrics();
      const h = new BinaryEvaluation("probability", { maxDistinct: 4 }).add(y, p, w).metrics();
      expect(h.averagePrecisionErrorBound!).toBeGreaterThan(0);
      expect(Math.abs(h.averagePrecision! - exact.averagePrecision!)).toBeLessThanOrEqual(h.averagePrecisionErrorBound! * (1 + 1e-12));
      expect(h.brierDecomposition!.exact).toBe(false);
      expect(h.brierDecomposition!.resolution).toBeLessThanOrEqual(exact.brierDecomposition!.resolution * (1 + 1e-12));
      expect(h.logLossDecomposition!.discrimination).toBeLessThanOrEqual(exact.logLossDecomposition!.discrimination * (1 + 1e-12));
    });

    it("sharded and merged (through JSON) gives the whole-data figures", () => {
      const whole = new BinaryEvaluation().add(y, p, w).metrics();
      const shards = [0, 1, 2].map((s) => {
        const idx = y.map((_, i) => i).filter((i) => i % 3 === s);
        const e = new BinaryEvaluation().add(
          idx.map((i) => y[i]!),
          idx.map((i) => p[i]!),
          w === undefined ? undefined : idx.map((i) => w[i]!),
        );
        return BinaryEvaluation.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
      });
      const merged = shards[0]!.merge(shards[1]!).merge(shards[2]!).metrics();
      for (const k of ["averagePrecision", "rocAuc", "logLoss", "brier", "normalizedEntropy"] as const) close(merged[k], whole[k]!, 1e-14);
      for (const k of ["ece", "mce", "rms", "calibrationRatio"] as const) close(merged.calibration![k], whole.calibration![k]!, 1e-13);
      for (const k of ["truePositive", "f1"] as const) close(merged.confusion![k], whole.confusion![k]!, 1e-14);
      close(merged.logLossDecomposition!.miscalibration, whole.logLossDecomposition!.miscalibration, 1e-12);
      close(merged.brierDecomposition!.reliability, whole.brierDecomposition!.reliability, 1e-12);
    });
  });
}

describe("MulticlassEvaluation one-vs-rest figures on multiclass.csv (scikit-learn 1.2.1)", () => {
  const ref = fixtures.multiclass["multiclass.csv"];
  const [, ...lines] = readFileSync(join(dir, "metrics", "multiclass.csv"), "utf8")
    .trim()
    .split("\n");
  const rows = lines.map((l) => l.split(","));
  const y = rows.map((r) => (ref.classes as string[]).indexOf(r[0]!));
  const p = rows.flatMap((r) => [Number(r[1]), Number(r[2]), Number(r[3])]);
  const w = rows.map((r) => Number(r[4]));

  function check(o: any): void {
    close(o.rocAucMacro, ref.rocAucMacro);
    close(o.rocAucWeighted, ref.rocAucWeighted);
    expect(o.rocAucErrorBound).toBe(0);
    ref.perClass.forEach((c: any, j: number) => {
      for (const k of ["precision", "recall", "f1", "support", "rocAuc"]) close(o.perClass[j][k], c[k]);
    });
  }

  it("OvR ROC AUC macro and weighted, per-class precision, recall, F1, support, AUC", () => {
    check(new MulticlassEvaluation(3).add(y, p, w).metrics().oneVsRest);
    // Logits: the AUCs rank the softmax probabilities, the predictions are the argmax: the same figures.
    const z = p.map((x) => Math.log(Math.max(x, 1e-300)));
    const o = new MulticlassEvaluation(3, "logit").add(y, z, w).metrics().oneVsRest!;
    for (const k of ["precision", "recall", "f1"] as const) close(o.perClass[0]![k], ref.perClass[0][k]);
  });

  it("sharded and merged through JSON gives the whole-data figures", () => {
    const shards = [0, 1].map((s) => {
      const idx = y.map((_, i) => i).filter((i) => i % 2 === s);
      const e = new MulticlassEvaluation(3).add(
        idx.map((i) => y[i]!),
        idx.flatMap((i) => [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!]),
        idx.map((i) => w[i]!),
      );
      return MulticlassEvaluation.fromJSON(JSON.parse(JSON.stringify(e.toJSON())));
    });
    check(shards[0]!.merge(shards[1]!).metrics().oneVsRest);
  });
});
