// Command-line behaviours a user's review asked for, each pinned by a test (in process: `main` from src/cli).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BinaryEvaluation, MulticlassEvaluation, categoricalCrossEntropy, rocAuc } from "xent";
import { commonPrefix } from "../src/cli/multiclassRows.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

describe("multi-class labels are class names, always (positions only with --class-ids)", () => {
  it("numeric labels match the column suffixes by name, wherever the column stands", async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--probs", "p_", "--json"], ["y,p_1,p_0\n0,0.1,0.9\n1,0.8,0.2\n"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).logLoss).toBe(categoricalCrossEntropy([0, 0], [0.9, 0.1, 0.8, 0.2], { classes: 2 }));
  });

  it("labels 1, 2, 3 with columns p_1, p_2, p_3 (xent predict's output)", async () => {
    const input = "y,p_1,p_2,p_3\n1,0.7,0.2,0.1\n2,0.1,0.8,0.1\n3,0.2,0.2,0.6\n";
    const want = categoricalCrossEntropy([0, 1, 2], [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6], { classes: 3 });
    for (const probs of ["p_", "p_1,p_2,p_3"]) {
      const run = await xentInProcess(["eval", "-", "--label", "y", "--probs", probs, "--json"], [input]);
      expect(run.stderr, probs).toBe("");
      expect(JSON.parse(run.stdout).logLoss, probs).toBe(want);
    }
  });

  it("--class-ids takes labels as positions in the column order, and only then", async () => {
    const input = "y,a,b\n0,0.9,0.1\n1,0.2,0.8\n";
    const run = await xentInProcess(["eval", "-", "--label", "y", "--probs", "a,b", "--class-ids", "--json"], [input]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).logLoss).toBe(categoricalCrossEntropy([0, 1], [0.9, 0.1, 0.2, 0.8], { classes: 2 }));
    const names = await xentInProcess(["eval", "-", "--label", "y", "--probs", "a,b"], [input]);
    expect(names.code).toBe(1);
    expect(names.stderr).toMatch(/<stdin>:2:1: label "0" is not a class name \("a", "b": .*pass --class-ids/);
    const out = await xentInProcess(["eval", "-", "--label", "y", "--probs", "a,b", "--class-ids"], ["y,a,b\n2,0.5,0.5\n"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/label "2" is not a class id in \[0, 1\]/);
    const binary = await xentInProcess(["eval", "-", "--label", "y", "--prob", "a", "--class-ids"], [input]);
    expect(binary.code).toBe(2);
  });

  it("an explicit list of text-named columns: the class names follow the common prefix", async () => {
    const input = "y,p_setosa,p_versicolor,p_virginica\nsetosa,0.8,0.1,0.1\nvirginica,0.1,0.2,0.7\n";
    const run = await xentInProcess(["eval", "-", "--label", "y", "--probs", "p_setosa,p_versicolor,p_virginica", "--json"], [input]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).logLoss).toBe(categoricalCrossEntropy([0, 2], [0.8, 0.1, 0.1, 0.1, 0.2, 0.7], { classes: 3 }));
    const two = await xentInProcess(
      ["eval", "-", "--label", "y", "--probs", "p_versicolor,p_virginica"],
      ["y,p_versicolor,p_virginica\nvirginica,0.3,0.7\n"],
    );
    expect(two.stderr).toBe("");
  });

  it("the common prefix never splits a word or a number, and leaves every name non-empty", () => {
    expect(commonPrefix(["p0", "p1", "p2"])).toBe("p");
    expect(commonPrefix(["x10", "x11"])).toBe("x");
    expect(commonPrefix(["p_versicolor", "p_virginica"])).toBe("p_");
    expect(commonPrefix(["prob.cat", "prob.car"])).toBe("prob.");
    expect(commonPrefix(["cat", "car"])).toBe("");
    expect(commonPrefix(["p", "p1"])).toBe("");
    expect(commonPrefix(["p_", "p_1"])).toBe("p");
  });
});

describe("an unclosed quote always stops, --skip-invalid or not", () => {
  it("exit 1, naming the line of the quote and why it cannot be skipped", async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--skip-invalid"], ['y,p\n1,0.9\n"1,0.4\n1,0.8\n']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/<stdin>:3:1: a quoted field is never closed: .*cannot be read or counted \(this is never skipped\)/);
  });
});

describe("exit codes: an option value that is not valid is bad usage (2), bad data is bad input (1)", () => {
  it("xent loss", async () => {
    for (const args of [
      ["--label", "1", "--prob", "abc"],
      ["--label", "1", "--prob", "1.5"],
      ["--label", "1", "--prob", "-0.1"],
      ["--label", "2", "--prob", "0.5"],
      ["--label", "-2", "--logit", "0"],
      ["--label", "nan", "--logit", "0"],
    ]) {
      const run = await xentInProcess(["loss", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
    }
    const label = await xentInProcess(["loss", "--label", "2", "--prob", "0.5"]);
    expect(label.stderr).toMatch(/--label 2 is not in \[0, 1\] \(soft labels allowed\) or -1/);
    expect((await xentInProcess(["loss", "--label", "-1", "--prob", "0.5"])).code).toBe(0);
    expect((await xentInProcess(["loss", "--label", "0.3", "--logit", "-inf"])).code).toBe(0);
  });

  it("xent train: --C, --tol, --max-iter before any data is read; bad data stays 1", async () => {
    const data = "a,y\n1,0\n2,1\n3,0\n4,1\n";
    for (const args of [
      ["--C", "abc"],
      ["--C", "0"],
      ["--C", "-1"],
      ["--C", "inf"],
      ["--tol", "-1"],
      ["--max-iter", "2.5"],
      ["--max-iter", "-1"],
    ]) {
      const run = await xentInProcess(["train", "-", "--label", "y", "--out", "/nonexistent/m.json", ...args], [data]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(new RegExp(`${args[0]} `));
    }
    const bad = await xentInProcess(["train", "-", "--label", "y", "--out", "/nonexistent/m.json"], ["a,y\nx,0\n"]);
    expect(bad.code).toBe(1);
  });
});

describe("xent predict on stdout: a bad row stops after every row before it has been written", () => {
  it("the header and the good rows, each with its probability columns, then exit 1", async () => {
    const tmp = tempDir();
    try {
      const model = `${tmp.dir}/m.json`;
      expect((await xentInProcess(["train", "-", "--label", "y", "--out", model], ["a,y\n1,0\n2,1\n3,0\n4,1\n5,1\n"])).code).toBe(0);
      const run = await xentInProcess(["predict", model, "-"], ["a\n1\n2\nx\n4\n"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/<stdin>:4:1: feature "a" "x" is not a finite number/);
      const lines = run.stdout.trim().split("\n");
      expect(lines.map((l) => l.split(",").slice(0, 1).join())).toEqual(["a", "1", "2"]);
      expect(lines[0]).toBe("a,p_0,p_1");
      for (const l of lines.slice(1)) expect(l.split(",")).toHaveLength(3);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("messages and edge cases", () => {
  it("xent merge of mismatched states says probabilities and logits", async () => {
    const tmp = tempDir();
    try {
      const a = `${tmp.dir}/a.json`;
      const b = `${tmp.dir}/b.json`;
      expect((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--state-out", a], ["y,p\n1,0.9\n"])).code).toBe(0);
      expect((await xentInProcess(["eval", "-", "--label", "y", "--logit", "p", "--state-out", b], ["y,p\n1,0.9\n"])).code).toBe(0);
      const run = await xentInProcess(["merge", a, b]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/its scores are binary logits but .*a\.json has binary probabilities/);
    } finally {
      tmp.cleanup();
    }
  });

  it("--no-header with JSON Lines is an error, not ignored", async () => {
    const given = await xentInProcess(["eval", "x.jsonl", "--label", "1", "--prob", "2", "--no-header"]);
    expect(given.code).toBe(2);
    expect(given.stderr).toMatch(/--no-header is for CSV and TSV; x\.jsonl is JSON Lines/);
    const train = await xentInProcess(["train", "-", "--format", "jsonl", "--label", "1", "--out", "m.json", "--no-header"]);
    expect(train.code).toBe(2);
    const sniffed = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--no-header"], ['{"y": 1, "p": 0.9}\n']);
    expect(sniffed.code).toBe(1);
    expect(sniffed.stderr).toMatch(/<stdin>:1:1: this is JSON Lines, .*CSV or TSV only/);
  });

  it('an empty --by value is the group ""; an absent JSON key is missing', async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--by", "g", "--json"], ["y,p,g\n1,0.9,a\n0,0.2,\n1,0.6,\n"]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    expect(out.groups.map((g: any) => [g.group, g.rows])).toEqual([
      ["", 2],
      ["a", 1],
    ]);
    const table = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--by", "g"], ["y,p,g\n1,0.9,a\n0,0.2,\n"]);
    expect(table.stdout).toMatch(/^""\s+1\s/m);
    const jsonl = await xentInProcess(
      ["eval", "-", "--label", "y", "--prob", "p", "--by", "g", "--json"],
      ['{"y": 1, "p": 0.9, "g": ""}\n{"y": 0, "p": 0.1}\n'],
    );
    expect(jsonl.code).toBe(1);
    expect(jsonl.stderr).toMatch(/<stdin>:2:1: no group in column "g"/);
    const multi = await xentInProcess(["eval", "-", "--label", "y", "--probs", "p_", "--by", "g", "--json"], ["y,p_0,p_1,g\n0,0.9,0.1,\n"]);
    expect(JSON.parse(multi.stdout).groups.map((g: any) => g.group)).toEqual([""]);
  });
});

describe("BinaryEvaluation: {-1, +1} labels, and `rows` as in the CLI's JSON", () => {
  it('labels: "pm1" gives the figures of the {0, 1} labels, and checks them', () => {
    const a = new BinaryEvaluation("probability", { labels: "pm1" }).add([1, -1, 1], [0.9, 0.2, 0.4]).metrics();
    const b = new BinaryEvaluation().add([1, 0, 1], [0.9, 0.2, 0.4]).metrics();
    expect(a).toEqual(b);
    expect(() => new BinaryEvaluation("logit", { labels: "pm1" }).add([1, 0], [2, -1])).toThrow(
      /BinaryEvaluation\.add: labels\[1\] = 0 is not -1 or \+1/,
    );
    expect(() => new BinaryEvaluation().add([1, -1], [0.9, 0.2])).toThrow(RangeError);
    const restored = BinaryEvaluation.fromJSON(JSON.parse(JSON.stringify(new BinaryEvaluation("probability", { labels: "pm1" }).add([-1], [0.3]))));
    expect(restored.labels).toBe("pm1");
    expect(restored.add([1], [0.8]).metrics().rows).toBe(2);
  });

  it("metrics() and the state say rows (the CLI's --json name); states with the old `count` still load", async () => {
    const e = new BinaryEvaluation().add([1, 0], [0.9, 0.2]);
    expect(e.metrics().rows).toBe(2);
    const state = e.toJSON() as unknown as Record<string, unknown>;
    expect(state.rows).toBe(2);
    const { rows, ...rest } = state;
    expect(BinaryEvaluation.fromJSON({ ...rest, count: rows }).metrics()).toEqual(e.metrics());
    const m = new MulticlassEvaluation(2).add([0, 1], [0.9, 0.1, 0.3, 0.7]);
    expect(m.metrics().rows).toBe(2);
    const ms = m.toJSON() as unknown as Record<string, unknown>;
    const { rows: mr, ...mrest } = ms;
    expect(MulticlassEvaluation.fromJSON({ ...mrest, count: mr }).metrics()).toEqual(m.metrics());
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json"], ["y,p\n1,0.9\n0,0.2\n"]);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(expect.arrayContaining(Object.keys(e.metrics())));
  });
});

describe("the README's statement of the AUC bound (histogram mode)", () => {
  it("about 3e-4 for 10^5 uniformly spread probabilities; the actual error far smaller", () => {
    const random = rng(5);
    const n = 100_000;
    const y = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = random();
      y[i] = random() < p[i]! ? 1 : 0;
    }
    const m = new BinaryEvaluation().add(y, p).metrics();
    expect(m.rocAucErrorBound!).toBeGreaterThan(2e-4);
    expect(m.rocAucErrorBound!).toBeLessThan(4e-4);
    expect(Math.abs(m.rocAuc! - rocAuc(y, p))).toBeLessThan(m.rocAucErrorBound! / 100);
  });
});

describe("the README's command-line section", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  const cli = readme.slice(readme.indexOf("## Command line: `xent`"));
  it("installs from a clone (not published yet: no npm install -g xent), dist/ built first", () => {
    expect(cli).not.toMatch(/npm install -g xent\b/);
    expect(cli).toMatch(/npm run build/);
    expect(cli).toMatch(/npx xent/);
  });
  it("states the multi-class label rule and the exit-code rule", () => {
    expect(cli).toMatch(/--class-ids/);
    expect(cli).toMatch(/option\s+value that is not valid/);
    expect(cli).not.toMatch(/typically 1e-5 to 1e-4/);
  });
});

describe("a stray quote that closes lines later is not skipped either", () => {
  it("a malformed record whose quoted field spans lines always stops (the lines inside may be rows)", async () => {
    const input = 'y,p\n"1,0.4\n1,0.8\n"x",0.3\n1,0.9\n';
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--skip-invalid"], [input]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /<stdin>:4:2: text after a closing quote: .*spans lines 2-4: the lines inside it may be rows, so this is never skipped/,
    );
    const fits = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--skip-invalid"], ['y,p\n"1,0.4\n1,0.8\n",0.3\n1,0.9\n']);
    expect(fits.code).toBe(1);
    expect(fits.stderr).toMatch(/<stdin>:2:2: label .* is not in \{0, 1\} or \{-1, \+1\} \(a quoted field spans lines 2-4: .*never skipped\)/);
    const one = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--skip-invalid", "--json"], ['y,p\n"1"x,0.4\n1,0.9\n']);
    expect(JSON.parse(one.stdout).skipped).toEqual({ total: 1, byReason: { "malformed row": 1 } });
  });
});
