// `xent train --threads N|auto`: a binary fit's passes over X on worker threads (xent/threads' startFitThreads),
// through the built binary (a worker thread loads a built file). The model is the same bits whatever N.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xent } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// 22,000 rows x 48 features = 1,056,000 values: above the 2^20 from which a pass is cut into parts.
const r = rng(31);
const d = 48;
const lines = [[...Array.from({ length: d }, (_, j) => `f${j}`), "y"].join(",")];
for (let i = 0; i < 22_000; i++) {
  const x = Array.from({ length: d }, () => Number((r() * 4 - 2).toFixed(3)));
  const s = x.reduce((acc, v, j) => acc + ((j % 3) - 1) * 0.4 * v, 0.3);
  lines.push(`${x.join(",")},${r() < 1 / (1 + Math.exp(-s)) ? 1 : 0}`);
}
const train = tmp.file("wide.csv", lines.join("\n") + "\n");

function model(args: string[]): { coef: number[][]; intercept: number[]; nIter: number } {
  const out = join(tmp.dir, `m${Math.random().toString(36).slice(2)}.json`);
  const run = xent(tmp.dir, ["train", train, "--label", "y", "--no-progress", "--tol", "1e-8", "--out", out, ...args]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")).model;
}

describe("xent train --threads", () => {
  it("gives the same model bits on 1, 2 and 3 threads and with auto", () => {
    const one = model(["--threads", "1"]);
    expect(one.nIter).toBeGreaterThan(10);
    for (const threads of ["2", "3", "auto"]) {
      const m = model(["--threads", threads]);
      expect(m.nIter).toBe(one.nIter);
      expect(m.coef[0]!.every((v, j) => Object.is(v, one.coef[0]![j]))).toBe(true);
      expect(Object.is(m.intercept[0], one.intercept[0])).toBe(true);
    }
  }, 120_000);

  it("refuses a bad --threads", () => {
    const run = xent(tmp.dir, ["train", train, "--label", "y", "--out", join(tmp.dir, "x.json"), "--threads", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--threads "0" is not an integer in [1, 64] or auto');
  });
});
