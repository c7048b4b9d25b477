// xent eval --ci (bootstrap confidence intervals) and xent merge of their states, in process.
import { DuckDBInstance } from "@duckdb/node-api";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xent, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A binary predictions file of n rows (y, p, group), seeded. */
function binaryCsv(name: string, n: number, seed: number): string {
  const random = rng(seed);
  const lines = ["y,p,g"];
  for (let i = 0; i < n; i++) {
    const p = Math.round(random() * 1000) / 1000;
    lines.push(`${random() < p ? 1 : 0},${p},${random() < 0.3 ? "a" : "b"}`);
  }
  return tmp.file(name, lines.join("\n") + "\n");
}

const parts = [binaryCsv("part-0.csv", 3000, 1), binaryCsv("part-1.csv", 5000, 2), binaryCsv("part-2.csv", 700, 3)];
const args = ["--label", "y", "--prob", "p"];

/**
 * Equal figures: the same keys, integers and text exactly, sums to 1e-13 relative. Without --ci a CSV is read in
 * pieces (one per file at least, merged in order: evalPieces.ts), with --ci as a whole, so a sum's last bits
 * can differ.
 */
function expectSameFigures(a: unknown, b: unknown, path = "figures"): void {
  if (typeof a === "number" && typeof b === "number" && !(Number.isInteger(a) && Number.isInteger(b))) {
    expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-13 * Math.max(Math.abs(a), Math.abs(b)));
  } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a), path).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) expectSameFigures((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(a, path).toEqual(b);
}

async function json(argv: string[]): Promise<Record<string, unknown>> {
  const run = await xentInProcess(argv);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("xent eval --ci", () => {
  it("--json: ci {level, replicates, seed, [lo, hi] per figure, standard errors}; the other figures unchanged", async () => {
    const withCi = await json(["eval", ...parts, ...args, "--ci", "0.9", "--bootstrap", "100", "--seed", "7", "--json"]);
    const without = await json(["eval", ...parts, ...args, "--json"]);
    const { ci, ...figures } = withCi;
    expectSameFigures(figures, without);
    const c = ci as Record<string, unknown>;
    expect(Object.keys(c)).toEqual([
      "level",
      "replicates",
      "seed",
      "logLoss",
      "logLossInfinite",
      "brier",
      "accuracy",
      "baseRate",
      "normalizedEntropy",
      "normalizedEntropyInfinite",
      "calibrationRatio",
      "standardErrors",
      "undefinedReplicates",
    ]);
    expect(c).toMatchObject({ level: 0.9, replicates: 100, seed: 7, logLossInfinite: [false, false], undefinedReplicates: {} });
    for (const [figure, point] of [
      ["logLoss", without.logLoss],
      ["brier", without.brier],
      ["accuracy", without.accuracy],
      ["baseRate", without.baseRate],
      ["normalizedEntropy", without.normalizedEntropy],
    ] as const) {
      const [lo, hi] = c[figure] as [number, number];
      expect(lo, figure).toBeLessThan(point as number);
      expect(hi, figure).toBeGreaterThan(point as number);
      const se = (c.standardErrors as Record<string, number>)[figure]!;
      // A 90% percentile interval spans about 2 * 1.645 standard errors.
      expect((hi - lo) / se, figure).toBeGreaterThan(2.5);
      expect((hi - lo) / se, figure).toBeLessThan(4.2);
    }
  });

  it("is seeded: the same seed gives the same bits, another seed other intervals; the text says how it was made", async () => {
    const a = await json(["eval", parts[0]!, ...args, "--ci", "0.95", "--json"]);
    const b = await json(["eval", parts[0]!, ...args, "--ci", "0.95", "--json"]);
    const c = await json(["eval", parts[0]!, ...args, "--ci", "0.95", "--seed", "1", "--json"]);
    expect(b.ci).toEqual(a.ci);
    expect((a.ci as { replicates: number; seed: number }).replicates).toBe(200); // the defaults
    expect((a.ci as { seed: number }).seed).toBe(0);
    expect((c.ci as { logLoss: number[] }).logLoss).not.toEqual((a.ci as { logLoss: number[] }).logLoss);
    const text = (await xentInProcess(["eval", parts[0]!, ...args, "--ci", "0.95"])).stdout;
    expect(text).toMatch(/\n95% interval \(bootstrap: 200 replicates, seed 0\)\nlog loss +\[0\.\d+, 0\.\d+\] +se 0\.\d+\n/);
    expect(text).toMatch(/\ncalibration ratio +\[\d\.\d+, \d\.\d+\]/);
  });

  it("shards merged (in any order, through merged states too) give the intervals of one run bit for bit", async () => {
    const one = await json(["eval", ...parts, ...args, "--by", "g", "--ci", "0.95", "--bootstrap", "50", "--json"]);
    const s0 = join(tmp.dir, "s0.json");
    const s12 = join(tmp.dir, "s12.json");
    const s2 = join(tmp.dir, "s2.json");
    const s01 = join(tmp.dir, "s01.json");
    const eval1 = (files: string[], out: string) =>
      xentInProcess(["eval", ...files, ...args, "--by", "g", "--ci", "0.95", "--bootstrap", "50", "--state-out", out]);
    await eval1([parts[0]!], s0);
    await eval1([parts[1]!, parts[2]!], s12);
    await eval1([parts[2]!], s2);
    const merged = await json(["merge", s12, s0, "--json"]);
    expect(merged.ci).toEqual(one.ci);
    expect((merged.groups as { ci: unknown }[]).map((g) => g.ci)).toEqual((one.groups as { ci: unknown }[]).map((g) => g.ci));
    // part-0 + part-1 as one shard, merged, then merged with part-2.
    await eval1([parts[0]!, parts[1]!], s01);
    const again = join(tmp.dir, "again.json");
    await xentInProcess(["merge", s01, "--state-out", again]);
    const twice = await json(["merge", s2, again, "--json"]);
    expect(twice.ci).toEqual(one.ci);
    // merge --ci LEVEL: another level from the same sums.
    const at90 = await json(["merge", s12, s0, "--ci", "0.9", "--json"]);
    expect((at90.ci as { level: number }).level).toBe(0.9);
    const [lo90, hi90] = (at90.ci as { logLoss: number[] }).logLoss as [number, number];
    const [lo95, hi95] = (one.ci as { logLoss: number[] }).logLoss as [number, number];
    expect(lo90).toBeGreaterThan(lo95);
    expect(hi90).toBeLessThan(hi95);
    // The state holds the bootstrap sums with the level and the sources.
    const state = JSON.parse(readFileSync(s12, "utf8")) as { ci: { level: number; total: { sources: string[]; replicates: number } } };
    expect(state.ci.level).toBe(0.95);
    expect(state.ci.total.sources).toEqual([parts[1], parts[2]]);
    expect(state.ci.total.replicates).toBe(50);
  });

  it("merge refuses states that would not make one run: with and without --ci, another seed, a file twice, stdin twice", async () => {
    const plain = join(tmp.dir, "plain.json");
    const seeded = join(tmp.dir, "seeded.json");
    const first = join(tmp.dir, "first.json");
    const stdin1 = join(tmp.dir, "stdin1.json");
    const stdin2 = join(tmp.dir, "stdin2.json");
    await xentInProcess(["eval", parts[0]!, ...args, "--state-out", plain]);
    await xentInProcess(["eval", parts[1]!, ...args, "--ci", "0.95", "--seed", "3", "--state-out", seeded]);
    await xentInProcess(["eval", parts[0]!, ...args, "--ci", "0.95", "--state-out", first]);
    const noCi = await xentInProcess(["merge", first, plain]);
    expect(noCi.code).toBe(1);
    expect(noCi.stderr).toContain("evaluated without --ci but");
    const otherSeed = await xentInProcess(["merge", first, seeded]);
    expect(otherSeed.code).toBe(1);
    expect(otherSeed.stderr).toContain("with --ci (200 replicates, seed 3) but");
    const twice = await xentInProcess(["merge", first, first]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`both bootstraps hold rows of ${JSON.stringify(parts[0])}`);
    const csv = readFileSync(parts[2]!, "utf8");
    await xentInProcess(["eval", "-", ...args, "--ci", "0.95", "--state-out", stdin1], [csv]);
    await xentInProcess(["eval", "-", ...args, "--ci", "0.95", "--state-out", stdin2], [csv]);
    const piped = await xentInProcess(["merge", stdin1, stdin2]);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain("shards read from stdin all have the name <stdin>: save each shard to a file");
    const levelWithout = await xentInProcess(["merge", plain, "--ci", "0.9"]);
    expect(levelWithout.code).toBe(1);
    expect(levelWithout.stderr).toContain("has no bootstrap sums for --ci");
  });

  it("bad --ci, --bootstrap, --seed: exit 2 with a clear message", async () => {
    const cases: [string[], string][] = [
      [["--ci", "1.5"], '--ci "1.5" is not a confidence level in (0, 1), e.g. 0.95'],
      [["--ci", "95"], '--ci "95" is not a confidence level in (0, 1), e.g. 0.95 (for 95%, give --ci 0.95)'],
      [["--ci", "0"], '--ci "0" is not a confidence level'],
      [["--ci", "abc"], '--ci "abc" is not a confidence level'],
      [["--ci", "0.95", "--bootstrap", "5"], '--bootstrap "5" is not an integer number of replicates in [10, 100000]'],
      [["--ci", "0.95", "--bootstrap", "2.5"], '--bootstrap "2.5" is not an integer'],
      [["--ci", "0.95", "--seed", "-1"], '--seed "-1" is not an integer in [0, 4294967295]'],
      [["--seed", "3"], "--bootstrap and --seed are for confidence intervals: give --ci LEVEL too"],
    ];
    for (const [extra, message] of cases) {
      const run = await xentInProcess(["eval", parts[0]!, ...args, ...extra]);
      expect(run.code, extra.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(message);
    }
    const merge = await xentInProcess(["merge", "x.json", "--ci", "2"]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('xent merge: --ci "2" is not a confidence level in (0, 1)');
  });

  it("an infinite loss: the upper end is null with logLossInfinite [false, true] (valid JSON, no Infinity)", async () => {
    const lines = ["y,p"];
    for (let i = 0; i < 300; i++) lines.push(`${i % 2},${i % 2 === 1 ? 0.7 : 0.4}`);
    lines.push("1,0");
    const file = tmp.file("infinite.csv", lines.join("\n") + "\n");
    const run = await xentInProcess(["eval", file, ...args, "--ci", "0.95", "--json"]);
    expect(run.stdout).not.toContain("Infinity");
    const ci = (JSON.parse(run.stdout) as { ci: Record<string, unknown> }).ci;
    expect(ci.logLoss).toEqual([expect.any(Number), null]);
    expect(ci.logLossInfinite).toEqual([false, true]);
    expect((ci.standardErrors as Record<string, unknown>).logLoss).toBeNull();
    expect(ci.brier).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it("multi-class: log loss, Brier and accuracy intervals (no binary-only figures)", async () => {
    const random = rng(9);
    const lines = ["y,p_a,p_b,p_c"];
    for (let i = 0; i < 600; i++) {
      const a = 0.2 + 0.6 * random();
      const b = (1 - a) / 2;
      lines.push(`${["a", "b", "c"][i % 3]},${a},${b},${1 - a - b}`);
    }
    const file = tmp.file("multi.csv", lines.join("\n") + "\n");
    const out = await json(["eval", file, "--label", "y", "--probs", "p_", "--ci", "0.95", "--bootstrap", "40", "--json"]);
    const ci = out.ci as Record<string, unknown>;
    expect(Object.keys(ci)).toEqual([
      "level",
      "replicates",
      "seed",
      "logLoss",
      "logLossInfinite",
      "brier",
      "accuracy",
      "standardErrors",
      "undefinedReplicates",
    ]);
    const [lo, hi] = ci.logLoss as [number, number];
    expect(lo).toBeLessThan(out.logLoss as number);
    expect(hi).toBeGreaterThan(out.logLoss as number);
    const text = (await xentInProcess(["eval", file, "--label", "y", "--probs", "p_", "--ci", "0.95", "--bootstrap", "40"])).stdout;
    expect(text).toContain("95% interval (bootstrap: 40 replicates, seed 0)");
    expect(text).not.toContain("calibration ratio");
  });

  it("--weight and --calibration: the intervals of the weighted, calibrated figures", async () => {
    const random = rng(4);
    const lines = ["y,p,w"];
    for (let i = 0; i < 2000; i++) {
      const p = 0.05 + 0.9 * random();
      lines.push(`${random() < p ? 1 : 0},${p},${1 + (i % 4)}`);
    }
    const file = tmp.file("weighted.csv", lines.join("\n") + "\n");
    const weighted = await json(["eval", file, ...args, "--weight", "w", "--ci", "0.95", "--bootstrap", "50", "--json"]);
    const [lo, hi] = (weighted.ci as { logLoss: [number, number] }).logLoss;
    expect(lo).toBeLessThan(weighted.logLoss as number);
    expect(hi).toBeGreaterThan(weighted.logLoss as number);
    const cal = join(tmp.dir, "cal.json");
    expect((await xentInProcess(["calibrate", file, ...args, "--out", cal])).code).toBe(0);
    const calibrated = await json(["eval", file, ...args, "--calibration", cal, "--ci", "0.95", "--bootstrap", "50", "--json"]);
    const [clo, chi] = (calibrated.ci as { logLoss: [number, number] }).logLoss;
    expect(clo).toBeLessThan(calibrated.logLoss as number);
    expect(chi).toBeGreaterThan(calibrated.logLoss as number);
  });

  it("Parquet: rows known by their row number across row groups; shards merged give one run's intervals", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const con = await instance.connect();
    await con.run("SELECT setseed(0.5)");
    await con.run("CREATE TABLE t AS SELECT (random() < 0.4)::INT AS y, random() AS p FROM range(5000)");
    const a = join(tmp.dir, "a.parquet");
    const b = join(tmp.dir, "b.parquet");
    await con.run(`COPY (SELECT * FROM t LIMIT 3000) TO '${a}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
    await con.run(`COPY (SELECT * FROM t OFFSET 3000) TO '${b}' (FORMAT parquet, ROW_GROUP_SIZE 700)`);
    con.closeSync();
    const one = await json(["eval", a, b, ...args, "--ci", "0.95", "--bootstrap", "40", "--json"]);
    const sa = join(tmp.dir, "pa.json");
    const sb = join(tmp.dir, "pb.json");
    await xentInProcess(["eval", a, ...args, "--ci", "0.95", "--bootstrap", "40", "--state-out", sa]);
    await xentInProcess(["eval", b, ...args, "--ci", "0.95", "--bootstrap", "40", "--state-out", sb]);
    expect((await json(["merge", sb, sa, "--json"])).ci).toEqual(one.ci);
    const [lo, hi] = (one.ci as { logLoss: [number, number] }).logLoss;
    expect(lo).toBeLessThan(one.logLoss as number);
    expect(hi).toBeGreaterThan(one.logLoss as number);
  });

  it("through the binary: the option is listed in --help", () => {
    const help = xent(".", ["eval", "--help"]);
    expect(help.stdout).toContain("--ci LEVEL");
    expect(help.stdout).toContain("Confidence intervals (--ci 0.95): the Poisson bootstrap");
  });
});
