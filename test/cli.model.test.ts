// `xent train`, `xent predict` and `xent plot MODEL` end to end through the built binary.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LogisticRegression, StandardScaler } from "xent";
import { tempDir, ulps, xent, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const iris = join(import.meta.dirname, "..", "data", "iris.csv");

// A binary problem: two features, labels from a logistic model.
const r = rng(31);
const rows = Array.from({ length: 300 }, () => {
  const a = Number((r() * 4 - 2).toFixed(4));
  const b = Number((r() * 10).toFixed(3));
  const y = r() < 1 / (1 + Math.exp(-(1.5 * a - 0.3 * b + 1))) ? 1 : 0;
  return { a, b, y };
});
const train = tmp.file("train.csv", "a,b,y\n" + rows.map((x) => `${x.a},${x.b},${x.y}`).join("\n") + "\n");

describe("xent train", () => {
  it("says on stderr when the fit stops at --max-iter without converging (and still writes the model)", async () => {
    const model = join(tmp.dir, "short.json");
    const run = await xentInProcess(["train", train, "--label", "y", "--max-iter", "2", "--no-progress", "--out", model]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^xent train: warning: LogisticRegression\.fit: not converged: stopped at maxIter = 2 iterations/m);
    expect(existsSync(model)).toBe(true);
  });

  it("fits the library's model on standardized features and writes it with its training curve", () => {
    const model = join(tmp.dir, "model.json");
    const run = xent(tmp.dir, ["train", train, "--label", "y", "--out", model]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^iteration {2}objective\n {8}0 {2}207\.9441541679835\d*\n/); // 300 log 2
    expect(run.stdout).toMatch(/^iterations\s+\d+ \(converged/m);
    expect(run.stdout).toMatch(/^log loss\s+0\.\d+$/m);
    const file = JSON.parse(readFileSync(model, "utf8"));
    expect(file.format).toBe("xent-model");
    expect(file.features).toEqual(["a", "b"]);
    // The same fit through the library directly.
    const X = rows.map((x) => [x.a, x.b]);
    const scaler = new StandardScaler().fit(X);
    const lr = new LogisticRegression().fit(
      scaler.transform(X),
      rows.map((x) => x.y),
    );
    expect(file.model.coef).toEqual(lr.coef);
    expect(file.model.intercept).toEqual(lr.intercept);
    expect(file.training.objective).toEqual(lr.history.objective);
  });

  it("--json, --features, --C, --no-standardize", () => {
    const run = xent(tmp.dir, [
      "train",
      train,
      "--label",
      "y",
      "--features",
      "a",
      "--C",
      "0.5",
      "--no-standardize",
      "--out",
      join(tmp.dir, "m2.json"),
      "--json",
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.features).toEqual(["a"]);
    expect(out.classes).toEqual([0, 1]);
    const lr = new LogisticRegression({ C: 0.5 }).fit(
      rows.map((x) => [x.a]),
      rows.map((x) => x.y),
    );
    expect(JSON.parse(readFileSync(join(tmp.dir, "m2.json"), "utf8")).model.coef).toEqual(lr.coef);
    expect(JSON.parse(readFileSync(join(tmp.dir, "m2.json"), "utf8")).scaler).toBeNull();
  });

  it("bad input and bad usage", () => {
    const bad = tmp.file("bad.csv", "a,b,y\n1,2,0\n1,x,1\n");
    const run = xent(tmp.dir, ["train", bad, "--label", "y", "--out", join(tmp.dir, "bad.json")]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/bad\.csv:3:3: feature "b" "x" is not a finite number/);
    const one = tmp.file("one.csv", "a,y\n1,0\n2,0\n");
    expect(xent(tmp.dir, ["train", one, "--label", "y", "--out", join(tmp.dir, "one.json")]).stderr).toMatch(/single class/);
    expect(xent(tmp.dir, ["train", train, "--label", "y"]).code).toBe(2);
    expect(xent(tmp.dir, ["train", train, "--label", "y", "--out", "m.json", "--solver", "sgd"]).code).toBe(2);
  });
});

describe("xent predict", () => {
  it("writes the input rows plus p_CLASS columns; xent eval of them gives the training figures", () => {
    const model = join(tmp.dir, "iris.json");
    const trained = xent(tmp.dir, ["train", iris, "--label", "species", "--out", model, "--json"]);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout);
    expect(summary.classes).toEqual(["setosa", "versicolor", "virginica"]);
    const run = xent(tmp.dir, ["predict", model, iris]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    const input = readFileSync(iris, "utf8").trim().split(/\r?\n/);
    expect(lines).toHaveLength(input.length);
    expect(lines[0]).toBe(`${input[0]},p_setosa,p_versicolor,p_virginica`);
    expect(lines[1]!.startsWith(`${input[1]},`)).toBe(true);
    const scored = tmp.file("scored.csv", run.stdout);
    const ev = JSON.parse(xent(tmp.dir, ["eval", scored, "--label", "species", "--probs", "p_", "--json"]).stdout);
    expect(ulps(ev.logLoss, summary.training.logLoss)).toBeLessThanOrEqual(4);
    expect(ev.accuracy).toBe(summary.training.accuracy);
  });

  it("reads JSON Lines (adding keys) and writes to --out", () => {
    const model = join(tmp.dir, "model.json");
    xent(tmp.dir, ["train", train, "--label", "y", "--out", model]);
    const jsonl = tmp.file("new.jsonl", '{"id": "a", "a": 0.5, "b": 3}\n{"id": "b", "a": -1, "b": 7}\n');
    const out = join(tmp.dir, "pred.jsonl");
    expect(xent(tmp.dir, ["predict", model, jsonl, "--out", out])).toEqual({ code: 0, stdout: "", stderr: "" });
    const got = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(got[0].id).toBe("a");
    expect(got[0].p_0 + got[0].p_1).toBeCloseTo(1, 15);
    expect(got[1].p_1).toBeLessThan(got[0].p_1);
  });

  it("a bad row: exit 1 with file:line:column, and no partial --out file", () => {
    const model = join(tmp.dir, "model.json");
    xent(tmp.dir, ["train", train, "--label", "y", "--out", model]);
    const bad = tmp.file("badpred.csv", "a,b\n1,2\n1,\n");
    const out = join(tmp.dir, "never.csv");
    const run = xent(tmp.dir, ["predict", model, bad, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/badpred\.csv:3:3: feature "b" is missing/);
    expect(existsSync(out)).toBe(false);
    const nomodel = xent(tmp.dir, ["predict", train, bad]);
    expect(nomodel.code).toBe(1);
    expect(nomodel.stderr).toMatch(/not a model file/);
  });

  it("xent plot draws the training curve of a trained model", () => {
    const model = join(tmp.dir, "model.json");
    xent(tmp.dir, ["train", train, "--label", "y", "--out", model]);
    const run = xent(tmp.dir, ["plot", model]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/>Training curve \(model\.json\), best objective [\d.]+<\/text>/);
    expect(run.stdout).toContain(">gradient norm</text>");
  });
});
