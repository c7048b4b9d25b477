// `xent eval` and `xent merge` end to end, through the built binary (dist/cli/bin.js), on small files made here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  accuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  brierScore,
  categoricalAccuracy,
  categoricalBrierScore,
  categoricalCrossEntropy,
  categoricalCrossEntropyWithLogits,
  rocAuc,
  sigmoid,
  softmax,
} from "xent";
import { tempDir, ulps, xent } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// 200 rows of (label, probability, logit, weight, group), deterministic.
const random = rng(7);
const rows = Array.from({ length: 200 }, (_, i) => {
  const s = (random() - 0.5) * 8;
  const p = Number(sigmoid(s).toFixed(6));
  const y = random() < sigmoid(s) ? 1 : 0;
  const w = Number((random() * 3).toFixed(3));
  return { y, p, s, w, g: ["north", "south", "east"][i % 3]! };
});
const labels = rows.map((r) => r.y);
const probs = rows.map((r) => r.p);
const csv = "y,p,s,w,g\n" + rows.map((r) => `${r.y},${r.p},${r.s},${r.w},${r.g}`).join("\n") + "\n";
const csvPath = tmp.file("preds.csv", csv);

function json(run: { code: number; stdout: string; stderr: string }): Record<string, any> {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, any>;
}

describe("xent eval, binary", () => {
  it("gives the library's figures (log loss, accuracy, Brier, ROC AUC)", () => {
    const out = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--json"]));
    expect(out.rows).toBe(200);
    expect(out.weight).toBe(200);
    expect(ulps(out.logLoss, binaryCrossEntropy(labels, probs))).toBeLessThanOrEqual(2);
    expect(out.accuracy).toBe(accuracy(labels, probs));
    expect(ulps(out.brier, brierScore(labels, probs))).toBeLessThanOrEqual(2);
    expect(out.rocAuc).toBe(rocAuc(labels, probs));
    expect(out.rocAucErrorBound).toBe(0);
    expect(out.skipped).toEqual({ total: 0, byReason: {} });
  });

  it("prints a table for people", () => {
    const run = xent(tmp.dir, ["eval", "preds.csv", "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rows\s+200$/m);
    expect(run.stdout).toMatch(/^log loss\s+0\.\d+$/m);
    expect(run.stdout).toMatch(/^roc auc\s+0\.\d+$/m);
  });

  it("reads logits, weights and {-1, +1} labels", () => {
    const out = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--logit", "s", "--weight", "w", "--json"]));
    const weights = rows.map((r) => r.w);
    const logits = rows.map((r) => r.s);
    expect(ulps(out.logLoss, binaryCrossEntropyWithLogits(labels, logits, { weights }))).toBeLessThanOrEqual(2);
    expect(out.accuracy).toBeCloseTo(accuracy(labels, logits, { weights, threshold: 0 }), 14);
    expect(out.rocAuc).toBeCloseTo(rocAuc(labels, logits, { weights }), 14);
    const pm = tmp.file("pm.csv", "y,p\n" + rows.map((r) => `${r.y === 1 ? "+1" : "-1"},${r.p}`).join("\n"));
    const a = json(xent(tmp.dir, ["eval", pm, "--label", "y", "--prob", "p", "--json"]));
    const b = json(xent(tmp.dir, ["eval", pm, "--label", "y", "--prob", "p", "--labels", "pm1", "--json"]));
    const c = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--json"]));
    expect({ ...a, files: null }).toEqual({ ...c, files: null });
    expect({ ...b, files: null }).toEqual({ ...c, files: null });
  });

  it("reads gzip files, stdin, gzip on stdin, TSV and JSON Lines alike", () => {
    const ref = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--json"]));
    const same = (out: Record<string, any>) => expect({ ...out, files: null }).toEqual({ ...ref, files: null });
    const gz = tmp.file("preds.csv.gz", gzipSync(csv));
    same(json(xent(tmp.dir, ["eval", gz, "--label", "y", "--prob", "p", "--json"])));
    const stdin = json(xent(tmp.dir, ["eval", "-", "--label", "y", "--prob", "p", "--json"], csv));
    expect(stdin.files).toEqual(["<stdin>"]);
    same(stdin);
    same(json(xent(tmp.dir, ["eval", "-", "--label", "y", "--prob", "p", "--json"], gzipSync(csv))));
    const tsv = tmp.file("preds.tsv", csv.replaceAll(",", "\t"));
    same(json(xent(tmp.dir, ["eval", tsv, "--label", "y", "--prob", "p", "--json"])));
    const jsonl = tmp.file("preds.jsonl", rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    same(json(xent(tmp.dir, ["eval", jsonl, "--label", "y", "--prob", "p", "--json"])));
    // CRLF line ends, quoted fields and blank lines change nothing.
    const crlf = tmp.file("crlf.csv", '"y","p"\r\n' + rows.map((r) => `"${r.y}",${r.p}`).join("\r\n") + "\r\n\r\n");
    same(json(xent(tmp.dir, ["eval", crlf, "--label", "y", "--prob", "p", "--json"])));
  });

  it("evaluates several files as one", () => {
    const head = csv.split("\n")[0]!;
    const body = csv.trim().split("\n").slice(1);
    const a = tmp.file("part-a.csv", [head, ...body.slice(0, 77)].join("\n") + "\n");
    const b = tmp.file("part-b.csv", [head, ...body.slice(77)].join("\n") + "\n");
    const ref = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--json"]));
    const out = json(xent(tmp.dir, ["eval", a, b, "--label", "y", "--prob", "p", "--json"]));
    expect(out.rows).toBe(200);
    expect(ulps(out.logLoss, ref.logLoss)).toBeLessThanOrEqual(4);
    expect(out.rocAuc).toBe(ref.rocAuc);
  });

  it("--by gives each group's figures, and the total", () => {
    const out = json(xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--by", "g", "--json"]));
    expect(out.by).toBe("g");
    expect(out.groups.map((g: any) => g.group)).toEqual(["east", "north", "south"]);
    for (const g of out.groups) {
      const mine = rows.filter((r) => r.g === g.group);
      expect(g.rows).toBe(mine.length);
      expect(
        ulps(
          g.logLoss,
          binaryCrossEntropy(
            mine.map((r) => r.y),
            mine.map((r) => r.p),
          ),
        ),
      ).toBeLessThanOrEqual(2);
      expect(g.rocAuc).toBe(
        rocAuc(
          mine.map((r) => r.y),
          mine.map((r) => r.p),
        ),
      );
    }
    expect(out.rows).toBe(200);
    const table = xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--by", "g"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^g\s+rows\s+weight\s+log loss\s+accuracy\s+brier\s+roc auc\s+avg prec\s+norm ent\s+ece\s+f1$/);
    expect(table.stdout).toMatch(/^\(all\)\s+200\s/m);
  });

  it("an empty file with a header evaluates to zero rows and undefined figures", () => {
    const empty = tmp.file("empty.csv", "y,p\n");
    const out = json(xent(tmp.dir, ["eval", empty, "--label", "y", "--prob", "p", "--json"]));
    expect(out.rows).toBe(0);
    expect(out.logLoss).toBeNull();
    expect(out.rocAuc).toBeNull();
  });

  it("a confidently wrong prediction gives an infinite log loss, not a clipped one", () => {
    const f = tmp.file("inf.csv", "y,p\n1,0\n0,0.5\n");
    const out = json(xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--json"]));
    expect(out.logLoss).toBeNull(); // JSON has no Infinity: null, with the flag
    expect(out.logLossInfinite).toBe(true);
    expect(xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p"]).stdout).toMatch(/^log loss\s+Infinity$/m);
  });
});

describe("sharded evaluation: --state-out and xent merge", () => {
  // 3000 rows in three uneven shards; the merged state must give the whole file's figures to a few ulps.
  const r = rng(11);
  const big = Array.from({ length: 3000 }, (_, i) => {
    const p = r();
    return `${r() < p ? 1 : 0},${p},${(r() * 2).toFixed(4)},${"abcd"[i % 4]}`;
  });
  const head = "y,p,w,g";
  const whole = tmp.file("whole.csv", [head, ...big].join("\n") + "\n");
  const cuts = [0, 1000, 1700, 3000];
  const shards = [0, 1, 2].map((k) => tmp.file(`shard${k}.csv`, [head, ...big.slice(cuts[k], cuts[k + 1])].join("\n") + "\n"));

  for (const by of [[], ["--by", "g"]]) {
    it(`merged shards equal the whole file ${by.length ? "(with --by)" : ""}`, () => {
      const args = ["--label", "y", "--prob", "p", "--weight", "w", ...by, "--json"];
      const ref = json(xent(tmp.dir, ["eval", whole, ...args]));
      const states = shards.map((s, k) => {
        const state = join(tmp.dir, `state${k}${by.length}.json`);
        json(xent(tmp.dir, ["eval", s, ...args, "--state-out", state]));
        return state;
      });
      const merged = json(xent(tmp.dir, ["merge", ...states, "--json"]));
      const check = (a: any, b: any) => {
        expect(a.rows).toBe(b.rows);
        for (const k of ["weight", "logLoss", "accuracy", "brier"]) expect(ulps(a[k], b[k]), k).toBeLessThanOrEqual(4);
        expect(Math.abs(a.rocAuc - b.rocAuc)).toBeLessThanOrEqual(1e-15);
      };
      check(merged, ref);
      if (by.length) merged.groups.forEach((g: any, i: number) => check(g, ref.groups[i]));
      // A merged state merges again: ((s0 + s1) + s2) = whole.
      const s01 = join(tmp.dir, `s01-${by.length}.json`);
      json(xent(tmp.dir, ["merge", states[0]!, states[1]!, "--state-out", s01, "--json"]));
      check(json(xent(tmp.dir, ["merge", s01, states[2]!, "--json"])), ref);
    });
  }

  it("refuses to merge states of different inputs, with exit code 1", () => {
    const a = join(tmp.dir, "prob.json");
    const b = join(tmp.dir, "logit.json");
    xent(tmp.dir, ["eval", whole, "--label", "y", "--prob", "p", "--state-out", a]);
    xent(tmp.dir, ["eval", whole, "--label", "y", "--logit", "p", "--state-out", b]);
    expect(JSON.parse(readFileSync(a, "utf8")).format).toBe("xent-eval-state");
    const run = xent(tmp.dir, ["merge", a, b]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("logit");
    const g = join(tmp.dir, "grouped.json");
    xent(tmp.dir, ["eval", whole, "--label", "y", "--prob", "p", "--by", "g", "--state-out", g]);
    const byRun = xent(tmp.dir, ["merge", a, g]);
    expect(byRun.code).toBe(1);
    expect(byRun.stderr).toMatch(/grouped by "g" but .*prob\.json by null/);
    const junk = tmp.file("junk.json", '{"hello": 1}');
    expect(xent(tmp.dir, ["merge", junk]).code).toBe(1);
  });
});

describe("bad input: exit code 1, file:line:column and the offending text, nothing on stdout", () => {
  const cases: [string, string, string[], RegExp][] = [
    ["a row with too few fields", "y,p\n1,0.5\n0\n", [], /bad\.csv:3:2: 1 field where the header has 2: "0"/],
    ["a row with too many fields", "y,p\n1,0.5,7\n", [], /bad\.csv:2:7: 3 fields where the header has 2: "1,0.5,7"/],
    ["a missing column", "y,q\n1,0.5\n", [], /bad\.csv:1:1: no column "p" in the header \(the columns are "y", "q"\)/],
    ["a probability above 1", "y,p\n1,0.5\n0, 1.5\n", [], /bad\.csv:3:3: probability " 1.5" \(column "p"\) is not in \[0, 1\]/],
    ["a negative probability", "y,p\n1,-0.1\n", [], /bad\.csv:2:3: probability "-0.1" .* is not in \[0, 1\]/],
    ["a label outside {0, 1}", "y,p\n2,0.5\n", ["--labels", "01"], /bad\.csv:2:1: label "2" is not in \{0, 1\}/],
    ["a label outside both conventions", "y,p\n1,0.5\n0.5,0.5\n", [], /bad\.csv:3:1: label "0.5" is not in \{0, 1\} or \{-1, \+1\}/],
    ["mixed label conventions", "y,p\n0,0.5\n-1,0.5\n", [], /bad\.csv:3:1: label "-1" mixes label conventions: .*bad\.csv:2 used \{0, 1\}/],
    ["a label 0 with --labels pm1", "y,p\n0,0.5\n", ["--labels", "pm1"], /bad\.csv:2:1: label "0" is not in \{-1, \+1\}/],
    ["text where a number goes", "y,p\n1,abc\n", [], /bad\.csv:2:3: probability "abc" \(column "p"\) is not a number/],
    ["a NaN probability", "y,p\n1,NaN\n", [], /bad\.csv:2:3: probability "NaN" .* is not a number/],
    ["an empty value", "y,p\n1,\n", [], /bad\.csv:2:3: no probability in column "p"/],
    ["a negative weight", "y,p,w\n1,0.5,-2\n", ["--weight", "w"], /bad\.csv:2:7: weight "-2" \(column "w"\) is not a finite number >= 0/],
    ["an unclosed quote", 'y,p\n1,"0.5\n0,0.5\n', [], /bad\.csv:2:3: a quoted field is never closed/],
    ["text after a closing quote", 'y,p\n1,"0.5"x\n', [], /bad\.csv:2:8: text after a closing quote: "1,\\"0.5\\"x"/],
  ];
  for (const [what, content, extra, message] of cases) {
    it(what, () => {
      const f = tmp.file("bad.csv", content);
      const run = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", ...extra]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    });
  }

  it("a column of a JSON Lines row", () => {
    const f = tmp.file("bad.jsonl", '{"y": 1, "p": 0.5}\n{"y": 0, "p": 7}\n');
    const run = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/bad\.jsonl:2:15: probability "7" .* is not in \[0, 1\]/);
    const g = tmp.file("bad2.jsonl", '{"y": 1, "p": 0.5}\n{"y": 0, "p": \n');
    expect(xent(tmp.dir, ["eval", g, "--label", "y", "--prob", "p"]).stderr).toMatch(/bad2\.jsonl:2:1: invalid JSON/);
  });

  it("a line number past a quoted field that spans lines", () => {
    const f = tmp.file("multi.csv", 'y,p,note\n1,0.5,"two\nlines"\n0,x,ok\n');
    const run = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p"]);
    expect(run.stderr).toMatch(/multi\.csv:4:3: probability "x"/);
  });

  it("a missing file and a corrupt gzip stream", () => {
    const run = xent(tmp.dir, ["eval", "nope.csv", "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nope\.csv: no such file/);
    const gz = gzipSync(csv);
    const broken = tmp.file("broken.csv.gz", gz.subarray(0, gz.length - 30));
    const r2 = xent(tmp.dir, ["eval", broken, "--label", "y", "--prob", "p"]);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toBe("");
    expect(r2.stderr).toMatch(/broken\.csv\.gz: gzip: /);
  });

  it("--skip-invalid counts every skipped row by reason", () => {
    const f = tmp.file("mixed.csv", "y,p,w\n1,0.9,1\n0,1.5,1\n1,abc,1\n2,0.5,1\n0,0.1\n1,,1\n0,0.3,-1\n0,0.2,1\n");
    const out = json(xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--weight", "w", "--skip-invalid", "--json"]));
    expect(out.rows).toBe(2);
    expect(out.skipped).toEqual({
      total: 6,
      byReason: {
        "probability out of range": 1,
        "not a number": 1,
        "invalid label": 1,
        "malformed row": 1,
        "missing value": 1,
        "invalid weight": 1,
      },
    });
    const table = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--weight", "w", "--skip-invalid"]);
    expect(table.stdout).toMatch(/^skipped\s+6 \(/m);
    // A missing column is never skipped.
    expect(xent(tmp.dir, ["eval", f, "--label", "nope", "--prob", "p", "--skip-invalid"]).code).toBe(1);
  });
});

describe("usage errors: exit code 2", () => {
  const cases: [string, string[], RegExp][] = [
    ["no file", ["eval", "--label", "y", "--prob", "p"], /no input file/],
    ["no label", ["eval", "x.csv", "--prob", "p"], /--label COLUMN is required/],
    ["both --prob and --logit", ["eval", "x.csv", "--label", "y", "--prob", "p", "--logit", "s"], /exactly one of --prob/],
    ["an unknown option", ["eval", "x.csv", "--lable", "y"], /unknown option --lable/],
    ["a missing value", ["eval", "x.csv", "--label"], /--label needs a value/],
    ["a bad --labels", ["eval", "x.csv", "--label", "y", "--prob", "p", "--labels", "yes"], /--labels "yes" is not 01, pm1 or auto/],
    ["an unknown command", ["evaluate"], /unknown command "evaluate"/],
    ["no command", [], /Usage: xent COMMAND/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const run = xent(tmp.dir, args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    });
  }
});

describe("xent eval, multi-class", () => {
  const r = rng(21);
  const k = 4;
  const mrows = Array.from({ length: 300 }, (_, i) => {
    const z = Array.from({ length: k }, () => (r() - 0.5) * 6);
    const p = Array.from(softmax(z), (v) => Number(v.toFixed(8)));
    const y = Math.floor(r() * k);
    return { y, z, p, g: i % 2 ? "odd" : "even" };
  });
  const head = ["y", ...mrows[0]!.z.map((_, j) => `z${j}`), ...mrows[0]!.p.map((_, j) => `prob_${j}`), "g"].join(",");
  const text = [head, ...mrows.map((m) => [m.y, ...m.z, ...m.p, m.g].join(","))].join("\n") + "\n";
  const file = tmp.file("multiclass.csv", text);
  const ys = mrows.map((m) => m.y);

  it("gives the library's categorical figures from probabilities (prefix) and logits (list)", () => {
    const a = json(xent(tmp.dir, ["eval", file, "--label", "y", "--probs", "prob_", "--json"]));
    expect(a.kind).toBe("multiclass");
    expect(a.classes).toBe(k);
    const probs = mrows.flatMap((m) => m.p);
    expect(ulps(a.logLoss, categoricalCrossEntropy(ys, probs, { classes: k }) as number)).toBeLessThanOrEqual(2);
    expect(a.accuracy).toBe(categoricalAccuracy(ys, probs, { classes: k }));
    expect(ulps(a.brier, categoricalBrierScore(ys, probs, { classes: k }))).toBeLessThanOrEqual(2);
    expect(a.rocAuc).toBeUndefined();
    const b = json(xent(tmp.dir, ["eval", file, "--label", "y", "--logits", "z0,z1,z2,z3", "--json"]));
    const logits = mrows.flatMap((m) => m.z);
    expect(ulps(b.logLoss, categoricalCrossEntropyWithLogits(ys, logits, { classes: k }) as number)).toBeLessThanOrEqual(2);
    const table = xent(tmp.dir, ["eval", file, "--label", "y", "--probs", "prob_"]).stdout;
    expect(table).toMatch(/^classes\s+4$/m);
    expect(table).not.toMatch(/^roc auc\s+[\d-]/m); // the binary AUC; the multi-class one-vs-rest line is "roc auc ovr"
    expect(table).toMatch(/^roc auc ovr\s+macro /m);
  });

  it("--by, shards and merge", () => {
    const args = ["--label", "y", "--probs", "prob_", "--by", "g", "--json"];
    const ref = json(xent(tmp.dir, ["eval", file, ...args]));
    expect(ref.groups.map((g: any) => g.rows)).toEqual([150, 150]);
    const lines = text.trim().split("\n");
    const s1 = tmp.file("m1.csv", [lines[0], ...lines.slice(1, 101)].join("\n"));
    const s2 = tmp.file("m2.csv", [lines[0], ...lines.slice(101)].join("\n"));
    json(xent(tmp.dir, ["eval", s1, ...args, "--state-out", join(tmp.dir, "ms1.json")]));
    json(xent(tmp.dir, ["eval", s2, ...args, "--state-out", join(tmp.dir, "ms2.json")]));
    const merged = json(xent(tmp.dir, ["merge", join(tmp.dir, "ms1.json"), join(tmp.dir, "ms2.json"), "--json"]));
    for (const key of ["logLoss", "accuracy", "brier"]) expect(ulps(merged[key], ref[key]), key).toBeLessThanOrEqual(4);
    expect(merged.groups.map((g: any) => g.rows)).toEqual([150, 150]);
  });

  it("bad multi-class input: class ids, probability rows, missing columns", () => {
    const cases: [string, string[], RegExp][] = [
      ["y,a,b\n2,0.5,0.5\n", ["--probs", "a,b", "--class-ids"], /bad\.csv:2:1: label "2" is not a class id in \[0, 1\]/],
      ["y,a,b\nb,0.5,0.5\n", ["--probs", "a,c"], /bad\.csv:1:1: no column "c"/],
      ["y,a,b\n1,0.5,0.4\n", ["--probs", "a,b", "--class-ids"], /bad\.csv:2:3: the 2 probabilities sum to 0\.9, not 1/],
      ["y,a,b\nb,0.5,x\n", ["--probs", "a,b"], /bad\.csv:2:7: probability "x" \(column "b"\) is not a number/],
      ["y,a,b\n1,0.5,0.5\n", ["--probs", "a,c"], /bad\.csv:1:1: no column "c"/],
      ["y,p0\n0,1\n", ["--probs", "p"], /1 column starts with "p"; a multi-class evaluation needs at least 2/],
    ];
    for (const [content, extra, message] of cases) {
      const f = tmp.file("bad.csv", content);
      const run = xent(tmp.dir, ["eval", f, "--label", "y", ...extra]);
      expect(run.code, content).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    }
  });
});

describe("xent eval, more inputs", () => {
  it("TSV without a header, columns by number; --format overrides the extension", () => {
    const f = tmp.file("nohead.txt", "1\t0.9\n0\t0.2\n");
    const out = json(xent(tmp.dir, ["eval", f, "--format", "tsv", "--no-header", "--label", "1", "--prob", "2", "--json"]));
    expect(out.rows).toBe(2);
    expect(out.logLoss).toBe(binaryCrossEntropy([1, 0], [0.9, 0.2]));
    const run = xent(tmp.dir, ["eval", f, "--format", "tsv", "--no-header", "--label", "y", "--prob", "2"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/columns are numbered from 1: "y" is not a column number/);
  });
  it("JSON Lines: booleans as labels, numeric strings, --by on a key", () => {
    const f = tmp.file("b.jsonl", '{"y": true, "p": "0.9", "g": 1}\n\n{"y": false, "p": 0.2, "g": 2}\n');
    const out = json(xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--by", "g", "--json"]));
    expect(out.rows).toBe(2);
    expect(out.groups.map((g: any) => g.group)).toEqual(["1", "2"]);
    const missing = tmp.file("c.jsonl", '{"y": 1, "p": 0.9}\n{"y": 0}\n');
    expect(xent(tmp.dir, ["eval", missing, "--label", "y", "--prob", "p"]).stderr).toMatch(/c\.jsonl:2:1: no probability in column "p"/);
  });
  it("quoted header names, and a second file without the column", () => {
    const a = tmp.file("qa.csv", '"the label","p, calibrated"\n1,0.9\n');
    const b = tmp.file("qb.csv", "y,p\n1,0.9\n");
    expect(json(xent(tmp.dir, ["eval", a, "--label", "the label", "--prob", "p, calibrated", "--json"])).rows).toBe(1);
    const run = xent(tmp.dir, ["eval", a, b, "--label", "the label", "--prob", "p, calibrated"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/qb\.csv:1:1: no column "the label"/);
  });
  it("an unwritable --state-out is exit 1, and stdin can be read once only (exit 2)", () => {
    const run = xent(tmp.dir, ["eval", csvPath, "--label", "y", "--prob", "p", "--state-out", join(tmp.dir, "no", "such", "dir.json")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot write the state/);
    expect(xent(tmp.dir, ["eval", "-", "-", "--label", "y", "--prob", "p"]).code).toBe(2);
  });
});
