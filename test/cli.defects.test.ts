// The defects of issue 11 found in use, each with the test that failed before its fix: duplicate header
// names, predict on a scored file, the gzip progress, a fit stopped at --max-iter, error messages that name
// the fix, --delimiter and predict --no-header, and the README's install steps. Run in process (`main`).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "../src/io/tableReader.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// A binary training set: two features, labels from a logistic model.
const r = rng(41);
const train = Array.from({ length: 200 }, () => {
  const a = Number((r() * 4 - 2).toFixed(4));
  const b = Number((r() * 10).toFixed(3));
  return { a, b, y: r() < 1 / (1 + Math.exp(-(1.5 * a - 0.3 * b + 1))) ? 1 : 0 };
});
const trainCsv = tmp.file("train.csv", "a,b,y\n" + train.map((x) => `${x.a},${x.b},${x.y}`).join("\n") + "\n");
const model = join(tmp.dir, "model.json");

async function trained(): Promise<string> {
  const run = await xentInProcess(["train", trainCsv, "--label", "y", "--out", model, "--json"]);
  expect(run).toMatchObject({ code: 0, stderr: "" });
  return model;
}

describe("duplicate header names", () => {
  it("are an error naming both columns by position and the name, at file:line:column", async () => {
    const f = tmp.file("dup.csv", "y,p,y\n1,0.5,0\n");
    const run = await xentInProcess(["eval", f, "--label", "y", "--prob", "p"]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toBe(
      `xent eval: ${f}:1:5: columns 1 and 3 of the header are both named "y": a column name must be unique (rename one of them)\n`,
    );
    // Names are compared as read (quotes removed, spaces trimmed), after blank lines, in TSV too.
    const q = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--format", "tsv"], ["\ny\tp\t p \n1\t0.5\t0.5\n"]);
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/<stdin>:2:5: columns 2 and 3 of the header are both named "p"/);
    const c = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p"], ['y,"p", p \n1,0.5,0.5\n']);
    expect(c.stderr).toMatch(/<stdin>:1:7: columns 2 and 3 of the header are both named "p"/);
    // train and predict read through the same reader.
    const t = await xentInProcess(["train", f, "--label", "y", "--out", join(tmp.dir, "never.json")]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/columns 1 and 3 of the header are both named "y"/);
  });
});

describe("xent predict on a file that already has the output columns", () => {
  it("stops naming the clashing columns, with the options that resolve it", async () => {
    await trained();
    const first = await xentInProcess(["predict", model, trainCsv]);
    expect(first.code).toBe(0);
    const scored = tmp.file("scored.csv", first.stdout);
    const again = await xentInProcess(["predict", model, scored]);
    expect(again).toMatchObject({ code: 1, stdout: "" });
    expect(again.stderr).toMatch(
      /scored\.csv:1:1: the input already has the output columns "p_0", "p_1" \(a file scored before\?\): pass --replace to overwrite them .* or --prefix/,
    );
    const out = join(tmp.dir, "never.csv");
    expect((await xentInProcess(["predict", model, scored, "--out", out])).code).toBe(1);
    expect(() => statSync(out)).toThrow();
  });

  it("--replace writes the new values in place: the same model gives the same file", async () => {
    await trained();
    const scored = tmp.file("scored2.csv", (await xentInProcess(["predict", model, trainCsv])).stdout);
    const re = await xentInProcess(["predict", model, scored, "--replace"]);
    expect(re).toMatchObject({ code: 0, stderr: "" });
    expect(re.stdout).toBe(readFileSync(scored, "utf8"));
    // Only p_1 there (in the middle, stale): replaced in place, p_0 appended; quoted text stays quoted.
    const partial = tmp.file("partial.csv", 'id,p_1,a,b\n"x, y",0.123,0.5,3\n');
    const got = await xentInProcess(["predict", model, partial, "--replace"]);
    const [head, row] = got.stdout.trim().split("\n");
    expect(head).toBe("id,p_1,a,b,p_0");
    const fields = row!.split(/,(?=[^"]*$)/); // the quoted first field holds a comma
    expect(fields[0]).toBe('"x, y"');
    expect(Number(fields[1]) + Number(fields[4])).toBeCloseTo(1, 15);
    expect(Number(fields[1])).not.toBe(0.123);
  });

  it("--prefix writes the new predictions beside the old ones", async () => {
    await trained();
    const scored = tmp.file("scored3.csv", (await xentInProcess(["predict", model, trainCsv])).stdout);
    const both = await xentInProcess(["predict", model, scored, "--prefix", "q_"]);
    expect(both.code).toBe(0);
    const lines = both.stdout.trim().split("\n");
    expect(lines[0]).toBe("a,b,y,p_0,p_1,q_0,q_1");
    const [p0, p1, q0, q1] = lines[1]!.split(",").slice(3).map(Number);
    expect([q0, q1]).toEqual([p0, p1]);
    expect((await xentInProcess(["predict", model, scored, "--prefix", ""])).code).toBe(2);
  });

  it("JSON Lines: a row that has an output key stops at its line; --replace overwrites it", async () => {
    await trained();
    const f = tmp.file("scored.jsonl", '{"a": 0.5, "b": 3}\n{"a": 1, "b": 2, "p_1": null}\n');
    const run = await xentInProcess(["predict", model, f]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/scored\.jsonl:2:\d+: the row already has the output key "p_1" .*--replace/);
    const re = await xentInProcess(["predict", model, f, "--replace"]);
    expect(re.code).toBe(0);
    const rows = re.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(Object.keys(rows[1]!)).toEqual(["a", "b", "p_1", "p_0"]);
    expect(rows[1]!.p_0! + rows[1]!.p_1!).toBeCloseTo(1, 15);
  });

  it("--help documents the choice", async () => {
    const help = (await xentInProcess(["predict", "--help"])).stdout;
    expect(help).toMatch(/--replace/);
    expect(help).toMatch(/--prefix PREFIX/);
    expect(help).toMatch(/A scored file/);
  });
});

describe("progress of a gzip file", () => {
  it("counts the compressed bytes the decompressor consumed, not those read ahead", async () => {
    // About 1.2 MB of gzip (random digits compress evenly), delivered in ~13 decompressed chunks of 256 KB.
    const g = rng(5);
    const n = 300_000;
    let csv = "y,p\n";
    for (let i = 0; i < n; i++) csv += `${g() < 0.5 ? 1 : 0},${g().toFixed(6)}\n`;
    const path = tmp.file("big.csv.gz", gzipSync(csv));
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(1 << 20); // more than one read of the file
    let rows = 0;
    const seen: [number, number][] = [];
    await readTable({ path, onChunk: (src) => seen.push([src.bytesRead() / size!, rows / n]) }, { header: () => {}, row: () => void rows++ });
    expect(rows).toBe(n);
    expect(seen.length).toBeGreaterThan(8);
    // The fraction shown follows the rows consumed (it read 0.87 at 8% of the rows before the fix).
    for (const [bytes, done] of seen) expect(Math.abs(bytes - done), `${bytes} at ${done} of the rows`).toBeLessThan(0.05);
    expect(seen.at(-1)![0]).toBe(1);
  });
});

describe("a fit stopped by --max-iter", () => {
  it("warns on stderr naming the iteration count and the fixes, writes the model, exits 0", async () => {
    const out = join(tmp.dir, "short.json");
    // The default (exact) fit: the library's message, its rule and budget, once.
    const exact = await xentInProcess(["train", trainCsv, "--label", "y", "--max-iter", "2", "--out", out]);
    expect(exact.code).toBe(0);
    expect(exact.stderr).toMatch(
      /^xent train: warning: LogisticRegression\.fit: not converged: stopped at maxIter = 2 iterations before meeting the default rule .*raise --max-iter, or standardize the features\.\n$/,
    );
    // With --tol (scikit-learn's rule): the options to change.
    const run = await xentInProcess(["train", trainCsv, "--label", "y", "--max-iter", "2", "--tol", "1e-4", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "xent train: warning: the fit stopped at --max-iter 2 iterations before the gradient reached --tol 0.0001: the model was written, " +
        "but it is not converged (not the optimum); raise --max-iter (e.g. --max-iter 1000), or loosen --tol (e.g. --tol 0.001)\n",
    );
    expect(run.stdout).toMatch(/^iterations\s+2 \(not converged: maxIterations\)$/m);
    expect(JSON.parse(readFileSync(out, "utf8")).model.converged).toBe(false);
    const raw = await xentInProcess(["train", trainCsv, "--label", "y", "--max-iter", "1", "--no-standardize", "--tol", "0", "--out", out, "--json"]);
    expect(raw.code).toBe(0);
    expect(raw.stderr).toMatch(
      /--max-iter 1 iteration before .*--tol 0\b.*e\.g\. --tol 0\.0001.*standardize the features \(leave out --no-standardize\)/,
    );
    expect(JSON.parse(raw.stdout).converged).toBe(false);
    expect((await xentInProcess(["train", trainCsv, "--label", "y", "--out", out])).stderr).toBe("");
  });
});

describe("error messages that name the fix", () => {
  const evalOf = (input: string, ...args: string[]) =>
    xentInProcess(["eval", "-", "--label", "y", ...(args.length ? args : ["--prob", "p"])], [input]);
  it("a semicolon or tab file read as CSV: --delimiter ';', --format tsv", async () => {
    const semi = await evalOf("y;p\n1;0.9\n");
    expect(semi.code).toBe(1);
    expect(semi.stderr).toMatch(
      /no column "y" in the header \(the columns are "y;p"\): the header is one column holding ';'; for a file separated by ';' pass --delimiter ';'/,
    );
    const tab = await xentInProcess(["eval", tmp.file("tabs.csv", "y\tp\n1\t0.9\n"), "--label", "y", "--prob", "p"]);
    expect(tab.stderr).toMatch(/the header is one column holding tabs; for a tab-separated file pass --format tsv/);
    const comma = await evalOf("y,p\n1,0.9\n", "--prob", "p", "--delimiter", ";");
    expect(comma.stderr).toMatch(/holding commas; for a comma-separated file leave out --delimiter/);
  });
  it("a header row of numbers: --no-header", async () => {
    const run = await evalOf("1,0.9\n0,0.2\n");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /<stdin>:1:1: no column "y" .*the header row is all numbers, so it looks like data; for a file without a header pass --no-header/,
    );
    // A header with a name is not data: no hint.
    expect((await evalOf("1,q\n1,0.9\n")).stderr).not.toMatch(/--no-header/);
    // A column named by position in a file read with a header.
    const pos = await xentInProcess(["eval", "-", "--label", "1", "--prob", "2"], ["y,p\n1,0.9\n"]);
    expect(pos.stderr).toMatch(/no column "1" in the header \(the columns are "y", "p"\): columns are named by position \(1\) only with --no-header/);
  });
  it("probabilities outside [0, 1]: --logit / --logits", async () => {
    const run = await evalOf("y,s\n1,2.5\n", "--prob", "s");
    expect(run.stderr).toBe(
      'xent eval: <stdin>:2:3: probability "2.5" (column "s") is not in [0, 1] (scores outside [0, 1] look like logits: for logits, pass --logit s instead)\n',
    );
    const multi = await xentInProcess(["eval", "-", "--label", "y", "--probs", "a,b"], ["y,a,b\na,-1.5,2\n"]);
    expect(multi.stderr).toMatch(
      /probability "-1\.5" \(column "a"\) is not in \[0, 1\] \(scores outside \[0, 1\] look like logits: for logits, pass --logits a,b instead\)/,
    );
  });
});

describe("--delimiter and predict --no-header", () => {
  const comma = 'y,p,g\n1,0.9,"a"\n0,0.2,"b;c"\n1,0.6,"b;c"\n';
  const semi = 'y;p;g\n1;0.9;"a"\n0;0.2;"b;c"\n1;0.6;"b;c"\n';
  it("eval reads a semicolon CSV (quotes as in CSV) as its comma twin", async () => {
    const a = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--by", "g", "--json"], [comma]);
    const b = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--by", "g", "--json", "--delimiter", ";"], [semi]);
    expect(b).toEqual(a);
    expect(JSON.parse(b.stdout).groups.map((x: { group: string }) => x.group)).toEqual(["a", "b;c"]);
    const piped = tmp.file("piped.txt", comma.replaceAll(",", "|"));
    const c = await xentInProcess(["eval", piped, "--label", "y", "--prob", "p", "--by", "g", "--json", "--delimiter", "|"]);
    expect(JSON.parse(c.stdout).logLoss).toBe(JSON.parse(a.stdout).logLoss);
    // A tab with CSV quoting, whatever the extension.
    const t = tmp.file("quoted.tsv", comma.replaceAll(",", "\t"));
    const d = await xentInProcess(["eval", t, "--label", "y", "--prob", "p", "--by", "g", "--json", "--delimiter", "\\t"]);
    expect(JSON.parse(d.stdout).groups.map((x: { group: string }) => x.group)).toEqual(["a", "b;c"]);
  });
  it("train and predict: semicolon in, semicolon out", async () => {
    const semiTrain = tmp.file("train-semi.csv", readFileSync(trainCsv, "utf8").replaceAll(",", ";"));
    const m2 = join(tmp.dir, "semi.json");
    expect((await xentInProcess(["train", semiTrain, "--label", "y", "--out", m2, "--delimiter", ";"])).code).toBe(0);
    await trained();
    expect(JSON.parse(readFileSync(m2, "utf8")).model).toEqual(JSON.parse(readFileSync(model, "utf8")).model);
    const plain = await xentInProcess(["predict", model, trainCsv]);
    const run = await xentInProcess(["predict", model, semiTrain, "--delimiter", ";"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(plain.stdout.replaceAll(",", ";"));
  });
  it("predict --no-header: columns by position, no header line written", async () => {
    const noHead = tmp.file("nohead.csv", train.map((x) => `${x.a},${x.b},${x.y}`).join("\n") + "\n");
    const m3 = join(tmp.dir, "nohead.json");
    expect((await xentInProcess(["train", noHead, "--no-header", "--label", "3", "--features", "1,2", "--out", m3])).code).toBe(0);
    const run = await xentInProcess(["predict", m3, noHead, "--no-header"]);
    expect(run.code).toBe(0);
    const withHead = (await xentInProcess(["predict", model, trainCsv])).stdout.split("\n").slice(1).join("\n");
    expect(run.stdout).toBe(withHead);
  });
  it("bad usage: not one ASCII character, a quote, with TSV or JSON Lines", async () => {
    for (const d of [";;", "", '"', "\n", "é"]) {
      const run = await xentInProcess(["eval", trainCsv, "--label", "y", "--prob", "a", "--delimiter", d]);
      expect(run.code, JSON.stringify(d)).toBe(2);
      expect(run.stderr).toMatch(/--delimiter .* is not one ASCII character/);
    }
    expect((await xentInProcess(["eval", trainCsv, "--label", "y", "--prob", "a", "--delimiter", ";", "--format", "tsv"])).code).toBe(2);
    const j = tmp.file("x.jsonl", '{"y": 1, "p": 0.5}\n');
    expect((await xentInProcess(["eval", j, "--label", "y", "--prob", "p", "--delimiter", ";"])).stderr).toMatch(
      /--delimiter is for CSV; .*x\.jsonl is JSON Lines/,
    );
    expect((await xentInProcess(["predict", model, j, "--no-header"])).code).toBe(2);
    for (const c of ["eval", "train", "predict"]) expect((await xentInProcess([c, "--help"])).stdout).toMatch(/--delimiter CHAR/);
    expect((await xentInProcess(["predict", "--help"])).stdout).toMatch(/--no-header/);
  });
});

describe("the README's install steps", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  it("agree (npm ci, from the lockfile) and say that the command is npx xent in a clone", () => {
    expect(readme).not.toMatch(/^npm install\s*(#.*)?$/m);
    const quick = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## Library"));
    expect(quick).toMatch(/npm ci/);
    expect(quick).toMatch(/npx xent/);
    const cli = readme.slice(readme.indexOf("## Command line: `xent`"));
    expect(cli).toMatch(/npx xent/);
    expect(cli).toMatch(/npm link/);
  });
});

describe("--json writes JSON numbers: an infinite loss is null with a flag", () => {
  it("eval: null and logLossInfinite, in total and per group; never the string Infinity", async () => {
    const input = "y,p,g\n1,0,a\n0,0.5,b\n0,1,a\n1,0.7,b\n";
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--by", "g", "--json"], [input]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/Infinity|NaN/);
    const out = JSON.parse(run.stdout);
    expect(out.logLoss).toBeNull();
    expect(out.logLossInfinite).toBe(true);
    expect(out.groups.map((g: { logLoss: number | null; logLossInfinite: boolean }) => [g.logLoss, g.logLossInfinite])).toEqual([
      [null, true],
      [expect.any(Number), false],
    ]);
    // A finite loss and an undefined one (no rows) both say false.
    const ok = JSON.parse((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json"], ["y,p\n1,0.9\n"])).stdout);
    expect(ok.logLossInfinite).toBe(false);
    const none = JSON.parse((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json"], ["y,p\n"])).stdout);
    expect([none.logLoss, none.logLossInfinite]).toEqual([null, false]);
  });

  it("merge: the same, from states (which keep their own format)", async () => {
    const a = tmp.file("inf-a.csv", "y,p\n1,0\n0,0.5\n");
    const b = tmp.file("inf-b.csv", "y,p\n1,0.5\n0,1\n");
    const sa = join(tmp.dir, "inf-a.json");
    const sb = join(tmp.dir, "inf-b.json");
    expect((await xentInProcess(["eval", a, "--label", "y", "--prob", "p", "--state-out", sa])).code).toBe(0);
    expect((await xentInProcess(["eval", b, "--label", "y", "--prob", "p", "--state-out", sb])).code).toBe(0);
    const run = await xentInProcess(["merge", sa, sb, "--json"]);
    expect(run.stdout).not.toMatch(/Infinity/);
    const out = JSON.parse(run.stdout);
    expect([out.logLoss, out.logLossInfinite]).toEqual([null, true]);
    expect(out.infiniteLoss).toEqual({ rows: 2, first: [`${a}:2`, `${b}:3`] });
  });
});

describe("rows with an infinite loss: how many, and the first few as file:line", () => {
  const evalOf = (input: string, ...args: string[]) => xentInProcess(["eval", "-", "--label", "y", ...args], [input]);
  it("binary probabilities and logits; rows of weight 0 add nothing", async () => {
    const input = "y,p,s,w\n1,0,-inf,1\n0,0.5,0,1\n0,1,inf,0\n1,0.7,1,1\n0,1,-inf,2\n";
    const text = await evalOf(input, "--prob", "p", "--weight", "w");
    expect(text.stdout).toMatch(/^log loss\s+Infinity$/m);
    expect(text.stdout).toMatch(/^infinite loss\s+2 rows: <stdin>:2, <stdin>:6$/m);
    const json = JSON.parse((await evalOf(input, "--prob", "p", "--weight", "w", "--json")).stdout);
    expect(json.infiniteLoss).toEqual({ rows: 2, first: ["<stdin>:2", "<stdin>:6"] });
    // Logits: -inf for y = 1 only (y = 0 with -inf costs 0).
    const logit = JSON.parse((await evalOf(input, "--logit", "s", "--weight", "w", "--json")).stdout);
    expect(logit.infiniteLoss).toEqual({ rows: 1, first: ["<stdin>:2"] });
    const finite = await evalOf("y,p\n1,0.9\n", "--prob", "p");
    expect(finite.stdout).not.toMatch(/infinite/);
    expect(JSON.parse((await evalOf("y,p\n1,0.9\n", "--prob", "p", "--json")).stdout).infiniteLoss).toEqual({ rows: 0, first: [] });
  });
  it("past the first five: the count, five places and an ellipsis; --by prints it under the table", async () => {
    const input = "y,p,g\n" + Array.from({ length: 8 }, (_, i) => `1,0,${"ab"[i % 2]}\n0,0.5,a\n`).join("");
    const run = await evalOf(input, "--prob", "p", "--by", "g");
    expect(run.stdout).toMatch(/^infinite loss {2}8 rows: <stdin>:2, <stdin>:4, <stdin>:6, <stdin>:8, <stdin>:10, \.\.\.$/m);
  });
  it("multi-class: probability 0 for the label; logits by the library's limits", async () => {
    const probs = await evalOf("y,p_a,p_b\na,0,1\nb,0,1\nb,1,0\n", "--probs", "p_", "--json");
    expect(JSON.parse(probs.stdout).infiniteLoss).toEqual({ rows: 2, first: ["<stdin>:2", "<stdin>:4"] });
    const logits = await evalOf("y,z_a,z_b,z_c\na,-inf,1,2\na,inf,0,0\nb,inf,0,0\nc,1,2,3\n", "--logits", "z_", "--json");
    expect(JSON.parse(logits.stdout).infiniteLoss).toEqual({ rows: 2, first: ["<stdin>:2", "<stdin>:4"] });
  });
});

describe("--clip EPS: the log loss of clipped probabilities (scikit-learn, Kaggle)", () => {
  // Reference: each row's -log of its clipped probability by Math.log, summed in order (n is small).
  const clippedLoss = (rows: [number, number, number][], eps: number) => {
    let sum = 0;
    let weight = 0;
    for (const [y, p, w] of rows) {
      const q = Math.min(Math.max(p, eps), 1 - eps);
      sum += w * -(y === 1 ? Math.log(q) : Math.log1p(-q));
      weight += w;
    }
    return sum / weight;
  };
  const rows: [number, number, number][] = [
    [1, 0, 1],
    [0, 1, 2],
    [1, 0.3, 1],
    [0, 1e-20, 1],
    [1, 0.9999999999999999, 0.5],
    [0, 0.25, 1],
    [1, 0.8, 3],
    [0, 0.995, 1],
  ];
  const csv = "y,p,w\n" + rows.map((r) => r.join(",")).join("\n") + "\n";
  const ev = (...args: string[]) => xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--weight", "w", ...args], [csv]);

  it("clips to [eps, 1 - eps] before the loss only: Brier, accuracy and AUC are those of the data", async () => {
    const exact = JSON.parse((await ev("--json")).stdout);
    for (const [arg, eps] of [
      ["1e-15", 1e-15],
      ["auto", 2 ** -52],
      ["0.01", 0.01],
    ] as const) {
      const out = JSON.parse((await ev("--json", "--clip", arg)).stdout);
      expect(Math.abs(out.logLoss - clippedLoss(rows, eps)) / out.logLoss, arg).toBeLessThan(4e-16);
      expect(out.logLossInfinite).toBe(false);
      expect(out.clip).toEqual({ eps, rows: eps === 0.01 ? 5 : 4 });
      expect([out.brier, out.accuracy, out.rocAuc, out.weight]).toEqual([exact.brier, exact.accuracy, exact.rocAuc, exact.weight]);
      // The rows whose true loss is infinite are still reported.
      expect(out.infiniteLoss).toEqual({ rows: 2, first: ["<stdin>:2", "<stdin>:3"] });
    }
    // -log(1e-15) for a single confidently wrong row: the figure scikit-learn < 1.2 printed.
    const one = JSON.parse((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json", "--clip", "1e-15"], ["y,p\n1,0\n"])).stdout);
    expect(one.logLoss).toBe(-Math.log(1e-15));
    const text = await ev("--clip", "1e-15");
    expect(text.stdout).toMatch(/^clip\s+log loss of probabilities clipped to \[1e-15, 1 - 1e-15\]: 4 rows clipped$/m);
    expect(text.stdout).toMatch(/^log loss\s+\d+\.\d+$/m);
  });

  it("multi-class rows, clipped entry by entry (not renormalized)", async () => {
    const input = "y,p_a,p_b,p_c\na,0,0.5,0.5\nb,0.2,0.8,0\nc,0.1,0.1,0.8\n";
    const out = JSON.parse((await xentInProcess(["eval", "-", "--label", "y", "--probs", "p_", "--json", "--clip", "1e-15"], [input])).stdout);
    const expected = (-Math.log(1e-15) - Math.log(0.8) - Math.log(0.8)) / 3;
    expect(Math.abs(out.logLoss - expected) / expected).toBeLessThan(4e-16);
    expect(out.clip).toEqual({ eps: 1e-15, rows: 2 });
  });

  it("per group, through --state-out and merge; states with and without --clip do not merge", async () => {
    const lines = csv.trim().split("\n").slice(1);
    const whole = tmp.file("clip-whole.csv", "y,p,w,g\n" + lines.map((l, i) => `${l},${"ab"[i % 2]}`).join("\n") + "\n");
    const parts = [lines.slice(0, 3), lines.slice(3)].map((part, j) =>
      tmp.file(`clip-${j}.csv`, "y,p,w,g\n" + part.map((l, i) => `${l},${"ab"[(i + 3 * j) % 2]}`).join("\n") + "\n"),
    );
    const args = ["--label", "y", "--prob", "p", "--weight", "w", "--by", "g", "--clip", "1e-15"];
    const direct = JSON.parse((await xentInProcess(["eval", whole, ...args, "--json"])).stdout);
    const states = parts.map((_, j) => join(tmp.dir, `clip-${j}.json`));
    for (let j = 0; j < 2; j++) expect((await xentInProcess(["eval", parts[j]!, ...args, "--state-out", states[j]!])).code).toBe(0);
    const merged = JSON.parse((await xentInProcess(["merge", ...states, "--json"])).stdout);
    expect(merged.clip).toEqual(direct.clip);
    expect(Math.abs(merged.logLoss - direct.logLoss) / direct.logLoss).toBeLessThan(1e-15);
    for (let g = 0; g < 2; g++) expect(Math.abs(merged.groups[g].logLoss - direct.groups[g].logLoss) / direct.groups[g].logLoss).toBeLessThan(1e-15);
    const plain = join(tmp.dir, "clip-plain.json");
    await xentInProcess(["eval", parts[0]!, "--label", "y", "--prob", "p", "--weight", "w", "--by", "g", "--state-out", plain]);
    const mixed = await xentInProcess(["merge", states[1]!, plain]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/clip-plain\.json: evaluated without --clip but .*clip-1\.json with --clip 1e-15/);
  });

  it("bad usage: logits, eps outside (0, 0.5)", async () => {
    const logit = await xentInProcess(["eval", "-", "--label", "y", "--logit", "p", "--clip", "1e-15"], ["y,p\n1,0\n"]);
    expect(logit.code).toBe(2);
    expect(logit.stderr).toMatch(/--clip is for probabilities/);
    for (const bad of ["0", "0.5", "-1e-15", "x", ""]) expect((await ev("--clip", bad)).code, bad).toBe(2);
    expect((await xentInProcess(["eval", "--help"])).stdout).toMatch(/--clip EPS\|auto/);
  });
});
