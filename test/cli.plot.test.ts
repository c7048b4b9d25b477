// `xent plot`: the tutorial's graphs as SVG (snapshots with rounded coordinates), and a model's training curve.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { niceTicks } from "../src/cli/svgPlot.js";
import { tempDir, xent, xentInProcess } from "./cliHelpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("xent plot", () => {
  for (const [graph, legend] of [
    ["loss", ["y = 1: L = -log p", "y = 0: L = -log(1 - p)"]],
    ["sigmoid", ["sigmoid(s) = 1/(1+e^-s)"]],
    ["margin", ["log(1 + e^(-y s))", "0-1 loss"]],
  ] as const) {
    it(`draws ${graph} with axes, ticks, labels and a legend`, async () => {
      const run = await xentInProcess(["plot", graph]);
      expect(run.code).toBe(0);
      const svg = run.stdout;
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg.trim().endsWith("</svg>")).toBe(true);
      for (const label of legend) expect(svg).toContain(`>${label.replace(/&/g, "&amp;")}</text>`);
      expect(svg.match(/<path /g)?.length).toBe(legend.length);
      expect(svg).not.toMatch(/NaN|Infinity/);
      await expect(svg).toMatchFileSnapshot(`./__snapshots__/plot-${graph}.svg`);
    });
  }

  it("draws the training curve of a saved model, to --out", () => {
    const model = tmp.file("model.json", JSON.stringify({ format: "xent-model", training: { objective: [69.3, 20.1, 12.5, 11.9, 11.88] } }));
    const out = join(tmp.dir, "curve.svg");
    const run = xent(tmp.dir, ["plot", model, "--out", out]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const svg = readFileSync(out, "utf8");
    expect(svg).toContain(">Training curve (model.json)</text>");
    expect(svg).toContain(">iteration</text>");
  });

  it("rejects an unknown graph (exit 2) and a file that is not a model (exit 1)", () => {
    expect(xent(tmp.dir, ["plot", "cosine"]).code).toBe(2);
    const bad = tmp.file("bad.json", '{"hello": 1}');
    const run = xent(tmp.dir, ["plot", bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json: not a model written by xent train/);
  });

  it("picks round ticks", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-8, 8)).toEqual([-5, 0, 5]);
    expect(niceTicks(-5, 5)).toEqual([-4, -2, 0, 2, 4]);
  });
});
