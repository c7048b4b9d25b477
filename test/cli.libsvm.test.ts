// `xent train --format libsvm` and `xent predict --format libsvm`: the same fit as the library's TRON (and so as
// liblinear's -s 0 objective with --no-intercept), streamed predictions, gzip and stdin, file:line errors; several
// classes (multinomial) and the other penalties through the library's sparse lbfgs path.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { LogisticRegression, parseLibsvmToCsr } from "xent";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { multiclassLibsvmLines, sparseMulticlass } from "./fixtures/sparse/sparseMulticlass.js";

const heartText = readFileSync(new URL("./fixtures/sparse/heart_scale", import.meta.url), "utf8");
const liblinear = JSON.parse(readFileSync(new URL("./fixtures/liblinear_fits.json", import.meta.url), "utf8")) as {
  cases: { name: string; C: number; objective: number }[];
};

describe("xent train / predict --format libsvm", () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const heart = t.file("heart_scale", heartText);
  const heartGz = t.file("heart_scale.gz", gzipSync(Buffer.from(heartText)));

  it("fits liblinear's objective with --no-intercept and writes a model predict reads back", async () => {
    const model = `${t.dir}/m.json`;
    const r = await xentInProcess(["train", heartGz, "--format", "libsvm", "--no-intercept", "--C", "10", "--json", "--out", model]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { converged: boolean; objective: number[]; rows: number; nFeatures: number };
    expect(summary.converged).toBe(true);
    expect(summary.rows).toBe(270);
    expect(summary.nFeatures).toBe(13);
    const f = summary.objective.at(-1)!;
    const ref = liblinear.cases.find((c) => c.name === "heart_scale" && c.C === 10)!.objective;
    expect(Math.abs(f - ref) / ref).toBeLessThan(1e-12);

    const p = await xentInProcess(["predict", model, heart, "--format", "libsvm"]);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split("\n");
    expect(lines[0]).toBe("line,label,p_-1,p_1");
    expect(lines.length).toBe(271);
    // The library's probabilities for the same data and model.
    const d = parseLibsvmToCsr(heartText);
    const lib = new LogisticRegression({ C: 10, fitIntercept: false, solver: "tron" }).fit(d.X, Array.from(d.y));
    const proba = lib.predictProba(d.X);
    const row5 = lines[5]!.split(",");
    expect(row5.slice(0, 2)).toEqual(["5", String(d.y[4])]);
    expect(Number(row5[3])).toBe(proba[9]);

    const fromStdin = await xentInProcess(["predict", model, "-", "--format", "libsvm"], [heartText.slice(0, 1000), heartText.slice(1000)]);
    expect(fromStdin.stdout).toBe(p.stdout);
  });

  it("stops on a bad line with file:line:column, and refuses options that do not apply", async () => {
    const bad = t.file("bad.svm", "+1 1:0.5\n-1 2:1 1:3\n");
    const r = await xentInProcess(["train", bad, "--format", "libsvm", "--out", `${t.dir}/x.json`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:2:8: the index is not greater than the previous index, 2: "1:3"`);
    const u = await xentInProcess(["train", heart, "--format", "libsvm", "--label", "y", "--out", `${t.dir}/x.json`]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("--label does not apply to --format libsvm");
    const three = t.file("three.svm", "1 1:1\n2 1:2\n3 1:3\n");
    const c = await xentInProcess(["train", three, "--format", "libsvm", "--solver", "tron", "--out", `${t.dir}/x.json`]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("--solver tron fits two classes only (liblinear's -s 0), and the data has 3: leave --solver out (lbfgs)");
    const l1tron = await xentInProcess(["train", heart, "--format", "libsvm", "--solver", "tron", "--penalty", "l1", "--out", `${t.dir}/x.json`]);
    expect(l1tron.code).toBe(2);
    expect(l1tron.stderr).toContain("--solver tron fits the L2 penalty only (liblinear's -s 0); --penalty l1 is fitted by lbfgs (OWL-QN)");
    const model = `${t.dir}/m2.json`;
    expect((await xentInProcess(["train", heart, "--format", "libsvm", "--out", model])).code).toBe(0);
    const wide = t.file("wide.svm", "1 14:1\n");
    const w = await xentInProcess(["predict", model, wide, "--format", "libsvm"]);
    expect(w.code).toBe(1);
    expect(w.stderr).toContain(`${wide}:1:1: feature 14 is past the model's 13 features`);
    const csv = await xentInProcess(["predict", model, heart]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain("was trained on libsvm data: give --format libsvm");
  });

  it("fits several classes (the multinomial model) and other penalties, and predict gives every class's probability", async () => {
    const p = sparseMulticlass(300, 60, 3, 0.1, 3);
    const text = [...multiclassLibsvmLines(p)].join("");
    const file = t.file("three.svm", text);
    const model = `${t.dir}/multi.json`;
    const r = await xentInProcess(["train", file, "--format", "libsvm", "--C", "0.5", "--class-weight", "balanced", "--json", "--out", model]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { converged: boolean; classes: number[]; objective: number[]; training: { accuracy: number } };
    expect(summary.converged).toBe(true);
    expect(summary.classes).toEqual([0, 1, 2]);
    // The library's fit of the same data and options.
    const d = parseLibsvmToCsr(text);
    const lib = new LogisticRegression({ C: 0.5, classWeight: "balanced" }).fit(d.X, Array.from(d.y));
    expect(summary.objective.at(-1)).toBe(lib.objective);
    const proba = lib.predictProba(d.X);
    const out = await xentInProcess(["predict", model, file, "--format", "libsvm"]);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split("\n");
    expect(lines[0]).toBe("line,label,p_0,p_1,p_2");
    expect(lines.length).toBe(301);
    const row7 = lines[7]!.split(",").map(Number);
    expect(row7.slice(0, 2)).toEqual([7, d.y[6]]);
    expect(row7.slice(2)).toEqual(Array.from(proba.subarray(18, 21)));

    const l1 = await xentInProcess(["train", file, "--format", "libsvm", "--penalty", "l1", "--json", "--out", `${t.dir}/l1.json`]);
    expect(l1.code).toBe(0);
    const saved = JSON.parse(readFileSync(`${t.dir}/l1.json`, "utf8")) as {
      model: { coef: number[][]; options: { solver: string; penalty: string } };
    };
    expect(saved.model.options).toMatchObject({ solver: "lbfgs", penalty: "l1" });
    expect(saved.model.coef.flat().filter((v) => v === 0).length).toBeGreaterThan(0);
  });
});
