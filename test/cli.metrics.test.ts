// `xent eval`'s metrics beyond log loss (issue 11): --pos-label, and (below) the figures checked against
// scikit-learn through test/fixtures/sklearn_metrics.json. In process (main), on small files made here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function evalJson(args: string[]): Promise<Record<string, any>> {
  const run = await xentInProcess(["eval", ...args, "--json", "--no-progress"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, any>;
}

const random = rng(11);
const rows = Array.from({ length: 300 }, () => {
  const p = Number(random().toFixed(2));
  return { y: random() < p ? 1 : 0, p };
});

describe("--pos-label", () => {
  it("reads text labels as the 0/1 file gives the same figures (AUC and Brier included)", async () => {
    const numeric = tmp.file("num.csv", "y,p\n" + rows.map((r) => `${r.y},${r.p}`).join("\n") + "\n");
    const text = tmp.file("text.csv", "churned,p_yes\n" + rows.map((r) => `${r.y === 1 ? "yes" : "no"},${r.p}`).join("\n") + "\n");
    const a = await evalJson([numeric, "--label", "y", "--prob", "p"]);
    const b = await evalJson([text, "--label", "churned", "--prob", "p_yes", "--pos-label", "yes"]);
    expect(b.files).not.toEqual(a.files);
    delete a.files;
    delete b.files;
    expect(b).toEqual(a);
    // The other side: pos-label "no" with 1 - p is the mirror (same AUC).
    const c = await evalJson([text, "--label", "churned", "--prob", "p_yes", "--pos-label", "no"]);
    expect(c.rocAuc).toBeCloseTo(1 - a.rocAuc, 14);
  });

  it("rejects a third class, naming the two classes and where the negative one was first seen", async () => {
    const f = tmp.file("three.csv", "y,p\nTrue,0.5\nFalse,0.2\nmaybe,0.3\n");
    const run = await xentInProcess(["eval", f, "--label", "y", "--prob", "p", "--pos-label", "True", "--no-progress"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(":4:");
    expect(run.stderr).toContain("third class");
    expect(run.stderr).toContain("three.csv:3");
  });

  it("is a usage error with --labels or multi-class scores", async () => {
    const f = tmp.file("two.csv", "y,p\nyes,0.5\n");
    expect((await xentInProcess(["eval", f, "--label", "y", "--prob", "p", "--pos-label", "yes", "--labels", "01"])).code).toBe(2);
    expect((await xentInProcess(["eval", f, "--label", "y", "--probs", "p", "--pos-label", "yes"])).code).toBe(2);
  });
});

// The scikit-learn figures (test/fixtures/generate_sklearn_metrics.py); relative tolerance 1e-12 (naive numpy
// sums against our compensated ones).
const fixtures = join(import.meta.dirname, "fixtures");
const all = JSON.parse(readFileSync(join(fixtures, "sklearn_metrics.json"), "utf8")) as {
  binary: Record<string, any>;
  multiclass: Record<string, any>;
};
const ref = all.binary;
const textFile = join(fixtures, "metrics", "binary_text.csv");

function close(got: number | null, want: number, rel = 1e-12): void {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(rel * Math.abs(want));
}

describe("xent eval: the metrics of issue 11 against scikit-learn", () => {
  it("--json has AP, base rate, normalized entropy, confusion at --threshold, calibration errors, decompositions", async () => {
    const want = ref["binary_text.csv"];
    const out = await evalJson([
      textFile,
      "--label",
      "churned",
      "--prob",
      "p_yes",
      "--pos-label",
      "yes",
      "--weight",
      "w",
      "--threshold",
      "0.3",
      "--bins",
      "10",
    ]);
    close(out.averagePrecision, want.averagePrecision);
    expect(out.averagePrecisionErrorBound).toBe(0);
    close(out.baseRate, want.baseRate);
    close(out.normalizedEntropy, want.normalizedEntropy);
    expect(out.confusion.threshold).toBe(0.3);
    for (const k of ["truePositive", "falsePositive", "falseNegative", "trueNegative", "precision", "recall", "f1"])
      close(out.confusion[k], want.confusion["0.3"][k]);
    expect(out.calibration.bins).toBe(10);
    for (const k of ["ece", "mce", "rms"]) close(out.calibration[k], want.calibration["10"][k]);
    close(out.calibration.calibrationRatio, want.calibrationRatio);
    close(out.brierDecomposition.reliability, want.brierDecomposition.reliability, 1e-10);
    close(out.logLossDecomposition.miscalibration, want.logLossDecomposition.miscalibration, 1e-10);
    expect(out.logLossDecomposition.exact).toBe(true);
  });

  it("sharded --state-out + xent merge gives the whole-file figures", async () => {
    const [header, ...lines] = readFileSync(textFile, "utf8").trim().split("\n");
    const parts = [0, 1, 2].map((s) => tmp.file(`shard${s}.csv`, [header, ...lines.filter((_, i) => i % 3 === s)].join("\n") + "\n"));
    const args = ["--label", "churned", "--prob", "p_yes", "--pos-label", "yes", "--weight", "w"];
    const whole = await evalJson([textFile, ...args]);
    const states = parts.map((f, s) => join(tmp.dir, `s${s}.json`));
    for (const [s, f] of parts.entries()) await evalJson([f, ...args, "--state-out", states[s]!]);
    const merged = await xentInProcess(["merge", ...states, "--json"]);
    expect(merged.stderr).toBe("");
    const m = JSON.parse(merged.stdout) as Record<string, any>;
    close(m.averagePrecision, whole.averagePrecision, 1e-14);
    close(m.normalizedEntropy, whole.normalizedEntropy, 1e-14);
    close(m.confusion.f1, whole.confusion.f1, 1e-14);
    close(m.calibration.ece, whole.calibration.ece, 1e-13);
    close(m.logLossDecomposition.discrimination, whole.logLossDecomposition.discrimination, 1e-12);
    close(m.brierDecomposition.resolution, whole.brierDecomposition.resolution, 1e-12);
  });

  it("prints the figures for people, and rejects a bad --threshold or --bins", async () => {
    const run = await xentInProcess(["eval", textFile, "--label", "churned", "--prob", "p_yes", "--pos-label", "yes", "--no-progress"]);
    expect(run.code).toBe(0);
    for (const k of [
      "average precision",
      "normalized entropy",
      "precision / recall / F1",
      "ECE / MCE / RMS (15 bins)",
      "brier = REL - RES + UNC",
      "log loss = MCB - DSC + UNC",
    ])
      expect(run.stdout).toContain(k);
    expect((await xentInProcess(["eval", textFile, "--label", "churned", "--prob", "p_yes", "--pos-label", "yes", "--threshold", "2"])).code).toBe(2);
    expect((await xentInProcess(["eval", textFile, "--label", "churned", "--prob", "p_yes", "--pos-label", "yes", "--bins", "0"])).code).toBe(2);
  });
});

describe("xent eval, multi-class: one-vs-rest AUC and the per-class report against scikit-learn", () => {
  const file = join(fixtures, "metrics", "multiclass.csv");
  const want = all.multiclass["multiclass.csv"];
  it("--json, text, and sharded --state-out + merge", async () => {
    const args = ["--label", "animal", "--probs", "p_", "--weight", "w"];
    const out = await evalJson([file, ...args]);
    close(out.oneVsRest.rocAucMacro, want.rocAucMacro);
    close(out.oneVsRest.rocAucWeighted, want.rocAucWeighted);
    expect(out.oneVsRest.perClass.map((c: any) => c.class)).toEqual(["cat", "dog", "bird"]);
    want.perClass.forEach((c: any, j: number) => {
      for (const k of ["precision", "recall", "f1", "support", "rocAuc"]) close(out.oneVsRest.perClass[j][k], c[k]);
    });
    const text = await xentInProcess(["eval", file, ...args, "--no-progress"]);
    expect(text.stdout).toMatch(/^class\s+support\s+precision\s+recall\s+f1\s+roc auc ovr$/m);
    expect(text.stdout).toMatch(/^bird\s+721\.53\s/m);
    const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
    const states = [0, 1].map((s) => join(tmp.dir, `m${s}.json`));
    for (const s of [0, 1]) {
      const part = tmp.file(`mpart${s}.csv`, [header, ...lines.filter((_, i) => i % 2 === s)].join("\n") + "\n");
      await evalJson([part, ...args, "--state-out", states[s]!]);
    }
    const merged = JSON.parse((await xentInProcess(["merge", ...states, "--json"])).stdout) as Record<string, any>;
    close(merged.oneVsRest.rocAucMacro, want.rocAucMacro);
    expect(merged.oneVsRest.perClass[2].class).toBe("bird");
    close(merged.oneVsRest.perClass[2].f1, want.perClass[2].f1);
  });
});
