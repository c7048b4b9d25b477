// `xent train --online` and `xent predict` of an online model, in process and through the built binary.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { FtrlProximal, ProgressiveValidation, hashFeature, sigmoid } from "../src/index.js";
import { loadModel } from "../src/cli/modelFile.js";
import { tempDir, xent, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// 3000 examples of a logistic model: 4 categorical fields and 2 numeric features; the same rows as libsvm.
const random = rng(17);
const vwLines: string[] = [];
const svmLines: string[] = [];
const examples: { y: number; features: [string, string, number][] }[] = [];
for (let i = 0; i < 3000; i++) {
  const cats = Array.from({ length: 4 }, (_, f) => Math.floor(random() * 5 * (f + 1)));
  const xs = [Math.round((random() * 2 - 1) * 1000) / 1000, Math.round((random() * 2 - 1) * 1000) / 1000];
  const s = 0.5 * cats[0]! - 0.3 * cats[1]! + 0.1 * cats[3]! - 1 + 2 * xs[0]! - xs[1]!;
  const y = random() < 1 / (1 + Math.exp(-s)) ? 1 : -1;
  const features: [string, string, number][] = [
    ...cats.map((c, f) => ["c", `f${f}_${c}`, 1] as [string, string, number]),
    ["n", "x0", xs[0]!],
    ["n", "x1", xs[1]!],
  ];
  examples.push({ y, features });
  vwLines.push(`${y} |c ${cats.map((c, f) => `f${f}_${c}`).join(" ")} |n x0:${xs[0]} x1:${xs[1]}`);
  svmLines.push(`${y} ${cats.map((c, f) => `${f * 20 + c + 1}:1`).join(" ")} 100:${xs[0]} 101:${xs[1]}`.replace(/ 10[01]:0(?= |$)/g, ""));
}
const trainVw = tmp.file("train.vw", vwLines.join("\n") + "\n");
const trainGz = tmp.file("train.vw.gz", gzipSync(vwLines.join("\n") + "\n"));
const trainSvm = tmp.file("train.libsvm", svmLines.join("\n") + "\n");

/** The same training run through the library: FTRL and progressive validation over the examples, `passes` times. */
function libraryRun(passes: number, options = {}) {
  const m = new FtrlProximal({ bits: 12, alpha: 0.2, ...options });
  const pv = new ProgressiveValidation();
  const perPass: number[] = [];
  for (let p = 0; p < passes; p++) {
    const pass = new ProgressiveValidation();
    for (const e of examples) {
      const idx = Int32Array.from(e.features, ([ns, f]) => hashFeature(f, hashFeature(ns, 0)) & 4095);
      const val = Float64Array.from(e.features, ([, , v]) => v);
      const s = m.learn(idx, val, idx.length, e.y > 0 ? 1 : 0);
      pv.add(m.lastLoss, 1, e.y > 0 ? 1 : 0, sigmoid(s), idx.length + 1);
      pass.add(m.lastLoss, 1, 1, 0, 0);
    }
    perPass.push(pass.averageLoss);
  }
  return { m, pv, perPass };
}

describe("xent train --online", () => {
  it("learns as the library does (FTRL over the hashed VW features) and prints VW's progress table", async () => {
    const model = join(tmp.dir, "m.json");
    const run = await xentInProcess(["train", "--online", trainVw, "--bits", "12", "--alpha", "0.2", "--passes", "2", "--out", model]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("average  since         example        example        current        current  current");
    expect(lines[1]).toBe("loss     last          counter         weight          label        predict features");
    expect(lines[2]).toMatch(/^0\.693147 0\.693147 +1 +1\.0 +[01]\.0000 +0\.5000 +7$/);
    // Lines at 1, 2, 4, ..., 4096, then the last one at 6000.
    const counters = lines
      .slice(2)
      .filter((l) => /^\d/.test(l))
      .map((l) => Number(l.split(/ +/)[2]));
    expect(counters).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 6000]);
    const lib = libraryRun(2);
    const file = JSON.parse(readFileSync(model, "utf8"));
    expect(file).toMatchObject({ format: "xent-model", version: 1, kind: "online", input: "vw" });
    expect(file.model).toEqual(JSON.parse(JSON.stringify(lib.m.toJSON())));
    expect(file.training).toEqual({ examples: 6000, passes: 2, progressiveLoss: lib.perPass });
    expect(run.stdout).toContain(`average loss = ${lib.pv.averageLoss.toFixed(6)}\n`);
    expect(lib.perPass[1]!).toBeLessThan(lib.perPass[0]!);
  });

  it("reads gzip and libsvm (the same model: column j is VW's feature j), prints JSON with --json", async () => {
    const a = join(tmp.dir, "a.json");
    const b = join(tmp.dir, "b.json");
    const runA = await xentInProcess(["train", "--online", trainGz, "--bits", "12", "--alpha", "0.2", "--json", "--out", a]);
    expect(runA.code).toBe(0);
    const summary = JSON.parse(runA.stdout);
    expect(summary).toMatchObject({ format: "vw", examples: 3000, passes: 1, options: { bits: 12, alpha: 0.2, beta: 1, l1: 0, l2: 0 } });
    expect(summary.progressiveLoss[0]).toBe(libraryRun(1).perPass[0]);
    const runB = await xentInProcess(["train", "--online", trainSvm, "--bits", "12", "--json", "--out", b]);
    expect(runB.code).toBe(0);
    expect(JSON.parse(runB.stdout).format).toBe("libsvm");
    expect(JSON.parse(runB.stdout).examples).toBe(3000);
  });

  it("goes on learning from --initial-model written with --save-state: one pass + one pass = two passes", async () => {
    const one = join(tmp.dir, "one.json");
    const two = join(tmp.dir, "two.json");
    expect(
      (await xentInProcess(["train", "--online", trainVw, "--bits", "12", "--alpha", "0.2", "--save-state", "--quiet", "--out", one])).code,
    ).toBe(0);
    expect((await xentInProcess(["train", "--online", trainVw, "--initial-model", one, "--quiet", "--out", two])).code).toBe(0);
    const weights = JSON.parse(readFileSync(two, "utf8")).model;
    const lib = libraryRun(2).m.toJSON();
    expect(weights.index).toEqual(lib.index);
    expect(weights.weight).toEqual(lib.weight);
    expect(weights.examples).toBe(6000);
    // Without the state the model cannot go on.
    const frozen = join(tmp.dir, "frozen.json");
    await xentInProcess(["train", "--online", trainVw, "--bits", "12", "--quiet", "--out", frozen]);
    const r = await xentInProcess(["train", "--online", trainVw, "--initial-model", frozen, "--out", two]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/saved without FTRL's state: train it with --save-state/);
  });

  it("rejects bad usage (exit 2) and bad input (exit 1, file:line)", async () => {
    const out = join(tmp.dir, "x.json");
    const usage = async (args: string[], message: RegExp) => {
      const r = await xentInProcess(["train", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await usage(["--online", trainVw, "--label", "y", "--out", out], /--label is an option of the batch model, not of --online/);
    await usage(["--online", trainVw], /--out FILE is required/);
    await usage(["--online", trainVw, "--no-intercept", "--out", out], /--no-intercept is an option of the batch model, not of --online/);
    await usage([trainSvm, "--format", "libsvm", "--bits", "4", "--out", out], /--bits is an option of the online model: add --online/);
    await usage([trainVw, "--passes", "2", "--label", "y", "--out", out], /--passes is an option of the online model: add --online/);
    await usage(["--online", tmp.file("data.txt", "1 | a\n"), "--out", out], /give --format vw or --format libsvm/);
    await usage(["--online", trainVw, "--format", "csv", "--out", out], /--format "csv" is not vw or libsvm/);
    await usage(["--online", trainVw, "--bits", "31", "--out", out], /--bits 31 is not an integer in \[1, 30\]/);
    await usage(["--online", trainVw, "--passes", "0", "--out", out], /--passes 0 is not an integer >= 1/);
    await usage(["--online", trainVw, "--alpha", "0", "--out", out], /--alpha 0 is not a finite number > 0/);
    await usage(["--online", trainVw, "--l1", "-1", "--out", out], /--l1 -1 is not a finite number >= 0/);
    await usage(["--online", "-", "--format", "vw", "--passes", "2", "--out", out], /give a file, not stdin/);
    const noLabel = await xentInProcess(["train", "--online", tmp.file("nolabel.vw", "1 |a x\n1| a y\n"), "--out", out]);
    expect(noLabel.code).toBe(1);
    expect(noLabel.stderr).toMatch(/nolabel\.vw:2:1: no label: .*"1\| a" has no label; write "1 \| a"/);
    const badValue = await xentInProcess(["train", "--online", tmp.file("bad.vw", "1 |a x\n\n-1 |a x:1e999\n"), "--out", out]);
    expect(badValue.code).toBe(1);
    expect(badValue.stderr).toMatch(/bad\.vw:3:9: feature "x": value "1e999" is not a finite number/);
    const empty = await xentInProcess(["train", "--online", tmp.file("empty.vw", "\n"), "--out", out]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no examples to train on/);
  });

  it("reads stdin (one pass)", async () => {
    const out = join(tmp.dir, "stdin.json");
    const r = await xentInProcess(
      ["train", "--online", "-", "--format", "vw", "--bits", "12", "--alpha", "0.2", "--json", "--out", out],
      [vwLines.join("\n")],
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).progressiveLoss[0]).toBe(libraryRun(1).perPass[0]);
  });
});

describe("xent predict with an online model", () => {
  it("writes label,weight,logit,p,tag; xent eval reads it; the logits are the model's (binary round trip)", () => {
    const model = join(tmp.dir, "p.json");
    expect(xent(tmp.dir, ["train", "--online", trainVw, "--bits", "12", "--alpha", "0.2", "--quiet", "--out", model]).code).toBe(0);
    const test = tmp.file("test.vw", "1 2 'first |c f0_1 f1_2 |n x0:0.5\n|c f0_3\n-1 |n x1:-1\n");
    const r = xent(tmp.dir, ["predict", model, test]);
    expect(r.stderr).toBe("");
    const rows = r.stdout.trim().split("\n");
    expect(rows[0]).toBe("label,weight,logit,p,tag");
    const m = FtrlProximal.fromJSON(JSON.parse(readFileSync(model, "utf8")).model);
    const idx = (fs: [string, string][]) => Int32Array.from(fs, ([ns, f]) => hashFeature(f, hashFeature(ns, 0)) & 4095);
    const s0 = m.logit(
      idx([
        ["c", "f0_1"],
        ["c", "f1_2"],
        ["n", "x0"],
      ]),
      Float64Array.of(1, 1, 0.5),
      3,
    );
    expect(rows[1]).toBe(`1,2,${s0},${sigmoid(s0)},first`);
    expect(rows[2]).toMatch(/^,1,[-\d.e]+,[\d.e-]+,$/);
    expect(rows[3]).toMatch(/^0,1,/);
    // xent eval of the labeled rows.
    const labeled = tmp.file("pred.csv", [rows[0], rows[1], rows[3]].join("\n") + "\n");
    const ev = xent(tmp.dir, ["eval", labeled, "--label", "label", "--logit", "logit", "--weight", "weight", "--json"]);
    expect(ev.code).toBe(0);
    const figures = JSON.parse(ev.stdout);
    expect([figures.rows, figures.weight]).toEqual([2, 3]);
    const s3 = Number(rows[3]!.split(",")[2]);
    const expected = (2 * Math.log1p(Math.exp(-s0)) + Math.log1p(Math.exp(s3))) / 3;
    expect(Math.abs(figures.logLoss - expected)).toBeLessThan(1e-14);
  });

  it("reads the model's format by default (libsvm), gzip; rejects batch-only options and a bad line", async () => {
    const model = join(tmp.dir, "svm.json");
    expect((await xentInProcess(["train", "--online", trainSvm, "--bits", "12", "--quiet", "--out", model])).code).toBe(0);
    const test = tmp.file("t.gz", gzipSync("1 1:1 100:0.5\n"));
    const r = await xentInProcess(["predict", model, test]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[1]).toMatch(/^1,1,/);
    const bad = await xentInProcess(["predict", model, test, "--prefix", "q_"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--prefix does not apply to an online model/);
    const badLine = await xentInProcess(["predict", model, tmp.file("bad.libsvm", "1 1:1\n1 x\n")]);
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(/bad\.libsvm:2:3: /);
    // The batch model loader and xent plot say what is wrong with an online model.
    expect(() => loadModel(model)).toThrow(/an online model \(from xent train --online\): xent predict applies it/);
    const plot = await xentInProcess(["plot", model]);
    expect(plot.stderr).toMatch(/no training\.objective/);
  });
});
