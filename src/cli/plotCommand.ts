import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { binaryCrossEntropy, logisticLoss, sigmoid } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { readModelJson } from "./modelFile.js";
import { type PlotSpec, svgPlot } from "./svgPlot.js";
import { UsageError } from "./usageError.js";

const plotOptions: OptionSpec[] = [{ name: "out", type: "string", value: "FILE.svg", help: "write the SVG there (default: stdout)" }];

const N = 400;

function grid(lo: number, hi: number, n = N): number[] {
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}

/** The tutorial's graphs, every value from the library. */
const charts: Record<string, () => PlotSpec> = {
  loss: () => ({
    title: "Binary cross-entropy L against the predicted probability p",
    xLabel: "p (predicted probability of y = 1)",
    yLabel: "L",
    xDomain: [0, 1],
    yDomain: [0, 5],
    legend: "top-center",
    series: [
      { label: "y = 1: L = -log p", points: grid(0, 1).map((p) => [p, binaryCrossEntropy(1, p)] as const) },
      { label: "y = 0: L = -log(1 - p)", points: grid(0, 1).map((p) => [p, binaryCrossEntropy(0, p)] as const) },
    ],
  }),
  sigmoid: () => ({
    title: "The sigmoid turns a logit s into a probability",
    xLabel: "s (logit)",
    yLabel: "p = sigmoid(s)",
    xDomain: [-8, 8],
    yDomain: [0, 1],
    xRules: [0],
    yRules: [0.5],
    legend: "top-left",
    series: [{ label: "sigmoid(s) = 1/(1+e^-s)", points: grid(-8, 8).map((s) => [s, sigmoid(s)] as const) }],
  }),
  margin: () => ({
    title: "Logistic loss against the margin y s (labels in {-1, +1})",
    xLabel: "margin y s",
    yLabel: "L",
    xDomain: [-5, 5],
    yDomain: [0, 5],
    xRules: [0],
    series: [
      { label: "log(1 + e^(-y s))", points: grid(-5, 5).map((m) => [m, logisticLoss(1, m)] as const) },
      {
        label: "0-1 loss",
        dash: "6 4",
        color: "#777",
        points: [
          [-5, 1],
          [0, 1],
          [0, 0],
          [5, 0],
        ],
      },
    ],
  }),
};

/** The training curve of a model written by `xent train`: the objective per iteration. */
function modelChart(path: string): PlotSpec {
  const m = readModelJson(path) as { format?: unknown; training?: { objective?: unknown } };
  const objective = m?.training?.objective;
  if (m?.format !== "xent-model" || !Array.isArray(objective) || !objective.every((v) => typeof v === "number")) {
    throw new InputError(path, 0, 0, "invalid model", "not a model written by xent train (no training.objective)", false);
  }
  const values = objective as number[];
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    title: `Training curve (${basename(path)})`,
    xLabel: "iteration",
    yLabel: "objective 0.5 ||w||^2 + C sum L_i",
    xDomain: [0, Math.max(values.length - 1, 1)],
    yDomain: [Math.min(min, max - 1e-12) - 0.05 * (max - min), max + 0.05 * (max - min) + 1e-12],
    series: [{ label: "objective", points: values.map((v, i) => [i, v] as const) }],
  };
}

export const plotCommand: Command = {
  name: "plot",
  summary: "SVG graphs: loss against p, sigmoid, loss against margin, a model's training curve",
  options: plotOptions,
  help: `xent plot (loss | sigmoid | margin | MODEL.json) [--out FILE.svg]

Draws one of the tutorial's graphs as SVG, every value computed by the library:
  loss      L against p for y = 1 (-log p) and y = 0 (-log(1 - p))
  sigmoid   p = sigmoid(s) against the logit s
  margin    the logistic loss log(1 + e^(-y s)) against the margin y s, with the 0-1 loss
  MODEL     the objective per iteration of a model written by xent train
SVG only (no PNG: that would need a rasterizer dependency; any browser or rsvg-convert can convert it).

Options:
{{options}}

Examples:
  xent plot loss --out loss.svg
  xent plot model.json > training.svg
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals } = parseArgs("plot", argv, plotOptions);
    if (positionals.length !== 1) throw new UsageError("plot", `give one graph: ${Object.keys(charts).join(", ")} or a model file`);
    const what = positionals[0]!;
    const chart = charts[what];
    let spec: PlotSpec;
    if (chart !== undefined) spec = chart();
    else if (what.endsWith(".json")) spec = modelChart(what);
    else throw new UsageError("plot", `unknown graph ${JSON.stringify(what)} (graphs: ${Object.keys(charts).join(", ")}, or a model .json)`);
    const svg = svgPlot(spec);
    if (typeof o.out === "string") {
      try {
        writeFileSync(o.out, svg);
      } catch (e) {
        throw new InputError(o.out, 0, 0, "unwritable", `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`, false);
      }
    } else await writeOut(io.stdout, svg);
    return 0;
  },
};
