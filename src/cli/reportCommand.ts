import { writeFileSync } from "node:fs";
import { type BinaryEvaluation, type BinaryMetrics } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { evalOptions, evaluateFiles, writeState } from "./evalCommand.js";
import { reportJson } from "./evalOutput.js";
import { sourceName } from "./plotCommand.js";
import { lossByGroupChart, precisionRecallChart, reliabilityChart, rocChart } from "./predictionCharts.js";
import { type ReportChart, reportHtml } from "./reportHtml.js";
import { svgPlot } from "./svgPlot.js";
import { version } from "./version.js";

const reportOptions: OptionSpec[] = [
  { name: "out", type: "string", value: "FILE.html", help: "write the page there (also -o; default: stdout)" },
  ...evalOptions.filter((spec) => spec.name !== "json"),
];

/** The options that change the figures, echoed on the page (reading options such as --format are not). */
const FIGURE_OPTIONS = ["labels", "pos-label", "threshold", "bins", "clip", "calibration", "class-ids", "skip-invalid"];

export const reportCommand: Command = {
  name: "report",
  summary: "one self-contained HTML page: every figure of xent eval, ROC, PR, reliability and loss-by-group charts",
  options: reportOptions,
  help: `xent report FILE... --label COLUMN (--prob | --logit | --probs | --logits) COLUMNS [-o report.html] [options]

Writes one HTML page about a file of predictions, read as by xent eval (the same formats and options):
the input (files, rows, columns), a table of every figure xent eval --json computes (log loss, accuracy,
Brier score and its Murphy decomposition, ROC AUC, average precision, precision, recall and F1 at the
threshold, normalized entropy, calibration ratio, ECE/MCE/RMS, the CORP log-loss decomposition; for
multi-class files the one-vs-rest AUC and a per-class table), and the charts of xent plot: ROC and
precision-recall curves and the reliability diagram with the CORP isotonic curve (binary scores), and
the log loss by group with --by (any scores).

The page is self-contained and works offline: inline CSS and SVG, no script, no font, no request of
any kind (its Content-Security-Policy forbids them). File, column, group and class names are escaped.

Options:
{{options}}

Examples:
  xent report preds.csv --label y --prob p -o report.html
  xent report preds.csv.gz --label y --logit score --by country -o report.html
  xent predict model.json iris.csv | xent report - --label species --probs p_ > iris-report.html
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    // -o FILE is --out FILE (the usual short form for an output file).
    const args = argv.map((a) => (a === "-o" ? "--out" : a.startsWith("-o=") ? `--out=${a.slice(3)}` : a));
    const { options: o, positionals: files } = parseArgs("report", args, reportOptions);
    const { run } = await evaluateFiles("report", o, files, io);
    const report = run.report();
    if (typeof o["state-out"] === "string") writeState(o["state-out"], run.state());
    const json = JSON.parse(reportJson(report)) as Record<string, unknown>;
    const source = sourceName(files);
    const charts: ReportChart[] = [];
    if (run.what.kind === "binary") {
      const evaluation = run.totalEvaluation() as BinaryEvaluation;
      // The figures as xent eval reports them (with --clip, the clipped log loss and its MCB).
      const m = report.total as BinaryMetrics;
      const curves = evaluation.curves();
      const roc = rocChart(curves, m, source, "roc");
      if (roc !== null)
        charts.push({
          id: "roc",
          heading: "ROC curve",
          svg: svgPlot(roc),
          caption: "True against false positive rate as the threshold falls; the area under the curve is the ROC AUC.",
        });
      const pr = precisionRecallChart(curves, m, source, "pr");
      if (pr !== null)
        charts.push({
          id: "pr",
          heading: "Precision-recall curve",
          svg: svgPlot(pr),
          caption: "Precision against recall as the threshold falls; the area under the steps is the average precision.",
        });
      const rel = reliabilityChart(curves, m, source, "reliability");
      if (rel !== null)
        charts.push({
          id: "reliability",
          heading: "Reliability diagram",
          svg: svgPlot(rel),
          caption:
            "Observed frequency against predicted probability: dots per equal-width bin, the red CORP curve the isotonic recalibration (its gap to the diagonal is the miscalibration MCB), grey bars the rows per bin.",
        });
    }
    if (report.groups !== null) {
      charts.push({
        id: "loss-by-group",
        heading: "Log loss by group",
        svg: svgPlot(lossByGroupChart(report, source, "loss-by-group")),
        caption: `Mean log loss of the rows of each value of ${report.by}, with the number of rows; the dashed line is all rows.`,
      });
    }
    const scoreOption = (["prob", "logit", "probs", "logits"] as const).find((k) => o[k] !== undefined)!;
    const html = reportHtml(
      {
        files: run.files,
        label: o.label as string,
        scores: `--${scoreOption} ${o[scoreOption] as string}`,
        weight: (o.weight as string | undefined) ?? null,
        by: (o.by as string | undefined) ?? null,
        options: FIGURE_OPTIONS.filter((k) => o[k] !== undefined).map((k) => (o[k] === true ? `--${k}` : `--${k} ${String(o[k])}`)),
        version: version(),
      },
      json,
      charts,
    );
    if (typeof o.out === "string") {
      try {
        writeFileSync(o.out, html);
      } catch (e) {
        throw new InputError(o.out, 0, 0, "unwritable", `cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`, false);
      }
    } else await writeOut(io.stdout, html);
    return 0;
  },
};
