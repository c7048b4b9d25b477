// `xent train --penalty l2|l1|elasticnet|none --l1-ratio R --class-weight balanced|JSON`: the library's fit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LogisticRegression, StandardScaler } from "../src/index.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// Imbalanced binary data (about 1 in 5 positive), 4 features of which 2 carry no signal (L1 zeroes them).
const r = rng(77);
const rows = Array.from({ length: 400 }, () => {
  const x = Array.from({ length: 4 }, () => Number((r() * 4 - 2).toFixed(4)));
  const y = r() < 1 / (1 + Math.exp(-(1.2 * x[0]! - 0.8 * x[1]! - 1.6))) ? 1 : 0;
  return { x, y };
});
const train = tmp.file("train.csv", "a,b,c,d,y\n" + rows.map((row) => `${row.x.join(",")},${row.y}`).join("\n") + "\n");
const X = rows.map((row) => row.x);
const y = rows.map((row) => row.y);
const scaler = new StandardScaler().fit(X);
const Xs = scaler.transform(X);

async function trainModel(args: string[]) {
  const out = join(tmp.dir, `m${Math.random().toString(36).slice(2)}.json`);
  const run = await xentInProcess(["train", train, "--label", "y", "--no-progress", "--out", out, ...args]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")).model as { coef: number[][]; intercept: number[]; options: Record<string, unknown> };
}

describe("xent train: penalties and class weights", () => {
  it.each([
    [["--penalty", "l1", "--C", "0.05"], { penalty: "l1", C: 0.05 }],
    [["--penalty", "elasticnet", "--l1-ratio", "0.5", "--C", "0.05"], { penalty: "elasticnet", l1Ratio: 0.5, C: 0.05 }],
    [["--penalty", "none"], { penalty: "none" }],
    [["--penalty", "l2", "--class-weight", "balanced"], { classWeight: "balanced" }],
    [["--class-weight", '{"0": 1, "1": 4}'], { classWeight: { "0": 1, "1": 4 } }],
    [["--penalty", "l1", "--C", "0.1", "--class-weight", "balanced"], { penalty: "l1", C: 0.1, classWeight: "balanced" }],
  ] as const)("%j is the library's fit with %j (the same coefficients, bit for bit)", async (args, options) => {
    const model = await trainModel([...args]);
    const lib = new LogisticRegression(options as never).fit(Xs, y, { onWarning: () => {} });
    expect(model.coef).toEqual(lib.coef);
    expect(model.intercept).toEqual(lib.intercept);
    expect(model.options).toMatchObject(options);
  });

  it("L1 gives exact zeros on the noise features; balanced weights raise the positives' probability", async () => {
    const l1 = await trainModel(["--penalty", "l1", "--C", "0.05"]);
    expect(l1.coef[0]!.filter((w) => w === 0).length).toBeGreaterThanOrEqual(1);
    const plain = await trainModel([]);
    const balanced = await trainModel(["--class-weight", "balanced"]);
    expect(balanced.intercept[0]!).toBeGreaterThan(plain.intercept[0]!);
  });

  it("rejects inconsistent options with exit 2 and says why", async () => {
    const out = join(tmp.dir, "x.json");
    const usage = async (args: string[], message: RegExp) => {
      const run = await xentInProcess(["train", train, "--label", "y", "--out", out, ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
    };
    await usage(["--penalty", "l3"], /--penalty "l3" is not l2, l1, elasticnet or none/);
    await usage(["--penalty", "elasticnet"], /--penalty elasticnet needs --l1-ratio R/);
    await usage(["--l1-ratio", "0.5"], /--l1-ratio is only used with --penalty elasticnet \(the penalty is l2\)/);
    await usage(["--penalty", "l1", "--l1-ratio", "0.5"], /--l1-ratio is only used with --penalty elasticnet \(the penalty is l1\)/);
    await usage(["--penalty", "elasticnet", "--l1-ratio", "1.5"], /--l1-ratio 1.5 is not a number in \[0, 1\]/);
    await usage(["--penalty", "l1", "--solver", "newton-cg"], /--solver newton-cg takes --penalty l2 or none/);
    await usage(["--class-weight", "equal"], /--class-weight "equal" is not "balanced" or a JSON object/);
    await usage(["--class-weight", "[1, 2]"], /is not "balanced" or a JSON object/);
    await usage(["--class-weight", '{"1": -2}'], /the weight of class "1", -2, is not a finite number >= 0/);
    // The libsvm path takes both now (sparse X fits every penalty and class weights), with the same checks.
    const svm = tmp.file("a.libsvm", "1 1:1\n-1 2:1\n1 1:2 2:1\n");
    const ratio = await xentInProcess(["train", svm, "--format", "libsvm", "--out", out, "--l1-ratio", "0.5"]);
    expect(ratio.code).toBe(2);
    expect(ratio.stderr).toMatch(/--l1-ratio is only used with --penalty elasticnet \(the penalty is l2\)/);
    const balanced = await xentInProcess(["train", svm, "--format", "libsvm", "--out", out, "--class-weight", "balanced"]);
    expect(balanced.stderr).toBe("");
    expect(balanced.code).toBe(0);
    const unknown = await xentInProcess(["train", svm, "--format", "libsvm", "--out", out, "--class-weight", '{"2": 3}']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/classWeight has class "2", which is not in y/);
  });

  it("a class weight for a class not in the data is bad input (exit 1), naming the class", async () => {
    const run = await xentInProcess(["train", train, "--label", "y", "--out", join(tmp.dir, "y.json"), "--class-weight", '{"2": 3}']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/classWeight has class "2", which is not in y/);
  });
});
