// `xent plot`: the tutorial's graphs as SVG (snapshots with rounded coordinates), and a model's training curve.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BinaryEvaluation } from "xent";
import { logTicks, niceTicks, svgPlot } from "../src/cli/svgPlot.js";
import { tempDir, xent, xentInProcess } from "./cliHelpers.js";
import { predictionCsv } from "./helpers/predictionCsv.js";

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

  it("draws the training curve of a saved model on a log axis, to --out", () => {
    const objective = [69.3, 20.1, 12.5, 11.9, 11.88, 11.88];
    const gradientNorm = [40, 9, 1, 0.05, 1e-4, 1e-9];
    const model = tmp.file("model.json", JSON.stringify({ format: "xent-model", training: { objective, gradientNorm } }));
    const out = join(tmp.dir, "curve.svg");
    const run = xent(tmp.dir, ["plot", model, "--out", out]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const svg = readFileSync(out, "utf8");
    expect(svg).toContain(">Training curve (model.json), best objective 11.88</text>");
    expect(svg).toContain(">iteration</text>");
    expect(svg).toContain(">objective - min (floor: 4 ulps of min)</text>");
    expect(svg).toContain(">gradient norm</text>");
    // Every third decade from the floor (4 ulps of 11.88 = 1.06e-14) to 100: 1e-12 ... 1.
    for (const t of ["1e-12", "1e-9", "1e-6", "0.001", "1"]) expect(svg).toContain(`>${t}</text>`);
    expect(svg.match(/<path d="M[^"]+"/g)).toHaveLength(2);
  });

  it("rejects an unknown graph (exit 2) and a file that is not a model (exit 1)", () => {
    expect(xent(tmp.dir, ["plot", "cosine"]).code).toBe(2);
    const bad = tmp.file("bad.json", '{"hello": 1}');
    const run = xent(tmp.dir, ["plot", bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json: not a model written by xent train/);
  });

  it("picks decade ticks on a log axis", () => {
    expect(logTicks(1e-15, 1000)).toEqual([1e-15, 1e-12, 1e-9, 1e-6, 0.001, 1, 1000]);
    expect(logTicks(0.01, 10)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(2, 30)).toEqual([2, 5, 10, 20]);
    expect(logTicks(0.15, 0.9)).toEqual([0.2, 0.5]);
    expect(() => svgPlot({ title: "t", xLabel: "x", yLabel: "y", yScale: "log", yDomain: [0, 1], series: [] })).toThrow(
      /log axis needs a positive domain/,
    );
  });

  it("picks round ticks", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-8, 8)).toEqual([-5, 0, 5]);
    expect(niceTicks(-5, 5)).toEqual([-4, -2, 0, 2, 4]);
  });
});

/** A small prediction file: labels y, probabilities p (ties included), logits s, weights w, a group column g. */
function predictions(): { path: string; y: number[]; p: number[]; w: number[]; g: string[] } {
  const y: number[] = [];
  const p: number[] = [];
  const w: number[] = [];
  const g: string[] = [];
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 400; i++) {
    const q = Math.round(random() * 100) / 100;
    p.push(q);
    y.push(random() < q ** 1.2 ? 1 : 0);
    w.push(1 + (i % 3));
    g.push(["north", "south", "<east & west>"][i % 3]!);
  }
  const lines = ["y,p,s,w,g", ...p.map((q, i) => `${y[i]},${q},${Math.log(q / (1 - q))},${w[i]},"${g[i]}"`)];
  return { path: tmp.file("preds.csv", lines.join("\n") + "\n"), y, p, w, g };
}

describe("xent plot of a prediction file", () => {
  const data = predictions();
  const metrics = new BinaryEvaluation().add(data.y, data.p).metrics();
  const format = (x: number) => String(Number(x.toPrecision(7)));
  const paths = (svg: string) => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);

  it("roc: the curve, the diagonal and the AUC of xent eval in the legend", async () => {
    const run = await xentInProcess(["plot", "roc", data.path, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`>ROC, AUC ${format(metrics.rocAuc!)}</text>`);
    expect(run.stdout).toContain(">chance, AUC 0.5</text>");
    const [curve, diagonal] = paths(run.stdout);
    expect(curve!.split("L").length).toBeGreaterThan(50);
    expect(diagonal).toBe("M64 368L620 40");
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
  });

  it("pr: the steps, the base rate and the average precision; logits give the same curve", async () => {
    const run = await xentInProcess(["plot", "pr", data.path, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`>PR, AP ${format(metrics.averagePrecision!)}</text>`);
    expect(run.stdout).toContain(`>base rate ${format(metrics.baseRate!)} (no skill)</text>`);
    const logits = await xentInProcess(["plot", "pr", data.path, "--label", "y", "--logit", "s"]);
    expect(paths(logits.stdout)[0]).toBe(paths(run.stdout)[0]);
  });

  it("reliability: bins as dots, the CORP curve, the diagonal, rows per bin, with --bins and --weight", async () => {
    const run = await xentInProcess([
      "plot",
      "reliability",
      data.path,
      "--label",
      "y",
      "--prob",
      "p",
      "--bins",
      "10",
      "--weight",
      "w",
      "--out",
      join(tmp.dir, "r.svg"),
    ]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const svg = readFileSync(join(tmp.dir, "r.svg"), "utf8");
    const weighted = new BinaryEvaluation("probability", { bins: 10 }).add(data.y, data.p, data.w).metrics();
    expect(svg).toContain(`>10 bins, ECE ${format(weighted.calibration!.ece)}</text>`);
    expect(svg).toContain(`>CORP isotonic, MCB ${format(weighted.logLossDecomposition!.miscalibration)}</text>`);
    expect(svg.match(/<circle cx=/g)!.length).toBeGreaterThanOrEqual(10); // 10 bins (all full here) + legend dots
    expect(svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#bbb"/g)).toHaveLength(10);
  });

  it("loss-by-group: one dot per group with its rows, escaped names, a line for all rows", async () => {
    const run = await xentInProcess(["plot", "loss-by-group", data.path, "--label", "y", "--prob", "p", "--by", "g"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(">&lt;east &amp; west&gt;</text>");
    expect(run.stdout).toContain(">north</text>");
    expect(run.stdout).toMatch(/>\d\.\d+ \(134 rows\)<\/text>/);
    expect(run.stdout).toContain(`>all rows ${format(metrics.logLoss!)}</text>`);
    expect(run.stdout.match(/<circle /g)!.length).toBe(3 + 1);
  });

  it("the legends carry xent eval's figures, --clip included (the clipped log loss's MCB); -o is --out", async () => {
    const csv = tmp.file("clip.csv", "y,p\n1,0\n0,0.2\n1,0.7\n0,0.4\n1,0.9\n0,0.1\n");
    const args = [csv, "--label", "y", "--prob", "p", "--clip", "1e-15"];
    const json = JSON.parse((await xentInProcess(["eval", ...args, "--json"])).stdout) as { logLossDecomposition: { miscalibration: number } };
    const out = join(tmp.dir, "clip.svg");
    expect((await xentInProcess(["plot", "reliability", ...args, "-o", out])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(`>CORP isotonic, MCB ${format(json.logLossDecomposition.miscalibration)}</text>`);
    expect(json.logLossDecomposition.miscalibration).toBeGreaterThan(1);
  });

  it("usage errors: no file, loss-by-group without --by, roc of multi-class scores, eval options on a tutorial graph", async () => {
    const noBy = await xentInProcess(["plot", "loss-by-group", data.path, "--label", "y", "--prob", "p"]);
    expect(noBy.code).toBe(2);
    expect(noBy.stderr).toContain("plot loss-by-group needs --by COLUMN");
    const noFile = await xentInProcess(["plot", "roc", "--label", "y", "--prob", "p"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("plot roc needs a prediction file");
    const multi = await xentInProcess(["plot", "reliability", data.path, "--label", "y", "--probs", "p"]);
    expect(multi.code).toBe(2);
    expect(multi.stderr).toContain("plot reliability is for binary scores");
    const tutorial = await xentInProcess(["plot", "loss", "--label", "y"]);
    expect(tutorial.code).toBe(2);
    const noColumn = await xentInProcess(["plot", "roc", data.path, "--label", "nope", "--prob", "p"]);
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr).toMatch(/no column "nope"/);
  });

  it("a file with one class has no ROC curve: exit 1 with what is missing", async () => {
    const one = tmp.file("one.csv", "y,p\n1,0.3\n1,0.8\n");
    const run = await xentInProcess(["plot", "roc", one, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("plot roc needs rows of both classes");
  });
});

describe("SVG text renders alike in Chromium and librsvg", () => {
  it("no generated SVG and no source file uses dominant-baseline (explicit dy offsets instead)", async () => {
    const data = predictions();
    const common = [data.path, "--label", "y", "--prob", "p", "--by", "g"];
    const svgs = await Promise.all(
      [["loss"], ["sigmoid"], ["margin"], ["roc", ...common], ["pr", ...common], ["reliability", ...common], ["loss-by-group", ...common]].map((a) =>
        xentInProcess(["plot", ...a]),
      ),
    );
    for (const run of svgs) {
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(/dominant-baseline|alignment-baseline/);
      expect(run.stdout).toMatch(/dy="0\.35em"/);
    }
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const path = join(dir, f);
        if (f === "node_modules" || f === "dist") return [];
        return statSync(path).isDirectory() ? files(path) : /\.(ts|css|html|svg)$/.test(f) ? [path] : [];
      });
    const root = join(import.meta.dirname, "..");
    for (const file of [...files(join(root, "src")), ...files(join(root, "web")), ...files(join(import.meta.dirname, "__snapshots__"))]) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/dominant-baseline\s*[=:]|dominantBaseline/);
    }
  });
});

describe("prediction charts by snapshot", () => {
  const file = tmp.file("snapshot.csv", predictionCsv(300));
  for (const kind of ["roc", "pr", "reliability", "loss-by-group"]) {
    it(`${kind} of a seeded file (rounded coordinates)`, async () => {
      const run = await xentInProcess(["plot", kind, file, "--label", "y", "--prob", "p", "--weight", "w", "--by", "region <&>", "--bins", "10"]);
      expect(run.code).toBe(0);
      await expect(run.stdout.replace(/\(snapshot\.csv\)/, "(FILE)")).toMatchFileSnapshot(`./__snapshots__/plot-${kind}.svg`);
    });
  }

  it("a log axis leaves out y <= 0 (the line breaks there)", () => {
    const svg = svgPlot({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      yScale: "log",
      yDomain: [0.01, 100],
      series: [
        {
          label: "s",
          points: [
            [0, 1],
            [1, 10],
            [2, 0],
            [3, -1],
            [4, 0.1],
            [5, 1],
          ],
        },
      ],
    });
    const d = /<path d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(2);
    for (const t of ["0.01", "0.1", "1", "10", "100"]) expect(svg).toContain(`>${t}</text>`);
  });
});
