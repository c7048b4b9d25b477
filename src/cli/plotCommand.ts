import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { type BinaryEvaluation, type BinaryMetrics, binaryCrossEntropy, logisticLoss, sigmoid } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type OptionSpec, type OptionValues, parseArgs } from "./args.js";
import { evalOptions, evaluateFiles } from "./evalCommand.js";
import { lossByGroupChart, precisionRecallChart, reliabilityChart, rocChart } from "./predictionCharts.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { readModelJson } from "./modelFile.js";
import { type PlotSpec, type Series, svgPlot } from "./svgPlot.js";
import { formatFigure } from "./format.js";
import { UsageError } from "./usageError.js";

/** The options of `xent eval` that make sense for a picture (not --json or --state-out). */
const readingOptions = evalOptions.filter((spec) => spec.name !== "json" && spec.name !== "state-out");

const plotOptions: OptionSpec[] = [
  { name: "out", type: "string", value: "FILE.svg", help: "write the SVG there (also -o; default: stdout)" },
  ...readingOptions,
];

/** The charts of a prediction file, and whether they need binary scores. */
const predictionKinds: Record<string, { binary: boolean }> = {
  roc: { binary: true },
  pr: { binary: true },
  reliability: { binary: true },
  "loss-by-group": { binary: false },
};

/** "preds.csv", or "preds.csv and 2 more files". */
export function sourceName(files: string[]): string {
  const first = files[0] === "-" ? "stdin" : basename(files[0]!);
  return files.length > 1 ? `${first} and ${files.length - 1} more file${files.length > 2 ? "s" : ""}` : first;
}

/** A chart of the user's predictions: the files read as by xent eval, the points from the evaluation state. */
async function predictionChart(kind: string, o: OptionValues, files: string[], io: CliIO): Promise<PlotSpec> {
  const usage = (m: string) => new UsageError("plot", m);
  if (files.length === 0) throw usage(`plot ${kind} needs a prediction file (or "-" for stdin): xent plot ${kind} FILE --label COLUMN --prob COLUMN`);
  if (predictionKinds[kind]!.binary && (o.probs !== undefined || o.logits !== undefined)) {
    throw usage(`plot ${kind} is for binary scores (--prob or --logit); multi-class files have plot loss-by-group and xent eval's per-class report`);
  }
  if (kind === "loss-by-group" && typeof o.by !== "string")
    throw usage("plot loss-by-group needs --by COLUMN (the column whose values are the groups)");
  const { run } = await evaluateFiles("plot", o, files, io);
  const source = sourceName(files);
  const where = run.files[0] ?? "-";
  if (kind === "loss-by-group") return lossByGroupChart(run.report(), source);
  const evaluation = run.totalEvaluation() as BinaryEvaluation;
  // The figures as xent eval reports them (with --clip, the clipped log loss and its MCB).
  const m = run.report().total as BinaryMetrics;
  const curves = evaluation.curves();
  const spec =
    kind === "roc" ? rocChart(curves, m, source) : kind === "pr" ? precisionRecallChart(curves, m, source) : reliabilityChart(curves, m, source);
  if (spec === null) {
    const need =
      kind === "roc"
        ? "rows of both classes (label 0 and 1) with weight > 0"
        : kind === "pr"
          ? "positive rows (label 1) with weight > 0"
          : "rows with weight > 0";
    throw new InputError(
      where,
      0,
      0,
      "nothing to draw",
      `plot ${kind} needs ${need}; the file has ${m.rows} rows, base rate ${formatFigure(m.baseRate)}`,
      false,
    );
  }
  return spec;
}

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

/**
 * The training curve of a model written by `xent train`, on a log axis: the suboptimality f_k - f_min of
 * the objective per iteration (f_min the smallest objective recorded, the solution's), floored at 4 ulps of
 * f_min (below that the difference is the rounding of f itself), and the gradient norm the optimizer
 * stopped on (projected for L1), when the model has it. Both fall by decades as the fit converges.
 */
function modelChart(path: string): PlotSpec {
  const m = readModelJson(path) as { format?: unknown; training?: { objective?: unknown; gradientNorm?: unknown } };
  const objective = m?.training?.objective;
  if (m?.format !== "xent-model" || !Array.isArray(objective) || !objective.every((v) => typeof v === "number")) {
    throw new InputError(path, 0, 0, "invalid model", "not a model written by xent train (no training.objective)", false);
  }
  const values = objective as number[];
  const best = Math.min(...values);
  const floor = Math.max(4 * Number.EPSILON * Math.abs(best), Number.MIN_VALUE);
  const series: Series[] = [
    { label: "objective - min (floor: 4 ulps of min)", points: values.map((v, i) => [i, Math.max(v - best, floor)] as const) },
  ];
  const gradient = m.training?.gradientNorm;
  if (Array.isArray(gradient) && gradient.length === values.length && gradient.every((v) => typeof v === "number")) {
    series.push({ label: "gradient norm", dash: "6 4", points: (gradient as number[]).map((g, i) => [i, g] as const) });
  }
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0 && Number.isFinite(y));
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  return {
    title: `Training curve (${basename(path)}), best objective ${formatFigure(best)}`,
    xLabel: "iteration",
    yLabel: "log scale",
    xDomain: [0, Math.max(values.length - 1, 1)],
    yScale: "log",
    // Whole decades around the data, so the ticks sit at the ends.
    yDomain: [10 ** Math.floor(Math.log10(lo)), 10 ** Math.max(Math.ceil(Math.log10(hi)), Math.floor(Math.log10(lo)) + 1)],
    series,
  };
}

export const plotCommand: Command = {
  name: "plot",
  summary: "SVG graphs: ROC, PR, reliability, loss by group of a predictions file; tutorial graphs; a training curve",
  options: plotOptions,
  help: `xent plot (roc | pr | reliability | loss-by-group) FILE... --label COLUMN (--prob | --logit) COLUMN [options]
xent plot (loss | sigmoid | margin | MODEL.json) [--out FILE.svg]

Draws a chart as SVG. Of a file of predictions (read as by xent eval: CSV, TSV, JSON Lines, gzip,
Parquet, Arrow; the same options), every point from the library's evaluation of it:
  roc            the ROC curve, the chance diagonal, the AUC in the legend
  pr             the precision-recall curve (steps: its area is the average precision) and the base rate
  reliability    mean predicted probability against observed frequency in --bins equal-width bins
                 (default 15), the CORP isotonic recalibration curve, the diagonal, rows per bin
  loss-by-group  the mean log loss of each value of --by (required), with row counts, and of all rows
ROC, PR and reliability need binary scores (--prob or --logit); loss-by-group takes multi-class ones too.
Past 65536 distinct scores the curves are drawn at histogram-bin edges (as the AUC's bound says).

Tutorial graphs, every value computed by the library:
  loss      L against p for y = 1 (-log p) and y = 0 (-log(1 - p))
  sigmoid   p = sigmoid(s) against the logit s
  margin    the logistic loss log(1 + e^(-y s)) against the margin y s, with the 0-1 loss
  MODEL     a model written by xent train: objective - min objective and the gradient norm per
            iteration, on a log axis
SVG only (no PNG: that would need a rasterizer dependency; any browser or rsvg-convert can convert it).
For all the figures and charts of a predictions file on one page: xent report.

Options:
{{options}}

Examples:
  xent plot roc preds.csv --label y --prob p --out roc.svg
  xent plot reliability preds.csv --label y --logit score --bins 10 > reliability.svg
  xent plot loss-by-group preds.csv --label y --prob p --by country --out by-country.svg
  xent plot model.json > training.svg
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    // -o FILE is --out FILE (the usual short form for an output file).
    const args = argv.map((a) => (a === "-o" ? "--out" : a.startsWith("-o=") ? `--out=${a.slice(3)}` : a));
    const { options: o, positionals } = parseArgs("plot", args, plotOptions);
    const what = positionals[0];
    if (what === undefined)
      throw new UsageError("plot", `give one graph: ${[...Object.keys(charts), ...Object.keys(predictionKinds)].join(", ")} or a model file`);
    const chart = charts[what];
    let spec: PlotSpec;
    if (what in predictionKinds) spec = await predictionChart(what, o, positionals.slice(1), io);
    else if (positionals.length !== 1)
      throw new UsageError("plot", `plot ${what} takes no file (only roc, pr, reliability and loss-by-group read predictions)`);
    else if (readingOptions.some((spec) => o[spec.name] !== undefined)) {
      throw new UsageError(
        "plot",
        `the options of a prediction file (--label, --prob, ...) are for plot roc, pr, reliability and loss-by-group, not ${what}`,
      );
    } else if (chart !== undefined) spec = chart();
    else if (what.endsWith(".json")) spec = modelChart(what);
    else
      throw new UsageError(
        "plot",
        `unknown graph ${JSON.stringify(what)} (graphs: ${[...Object.keys(charts), ...Object.keys(predictionKinds)].join(", ")}, or a model .json)`,
      );
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
