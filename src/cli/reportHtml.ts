import { escapeXml } from "./svgPlot.js";
import { formatFigure } from "./format.js";

/**
 * The page of `xent report`: one self-contained HTML document (inline CSS and SVG, no script, no font, no
 * request of any kind) with the input summary, every figure of `xent eval --json` and the charts. Every
 * piece of user text (file and column names, group values, class names) goes through `escapeXml`.
 *
 * The figures table is made from the parsed `xent eval --json` object itself (`evalJson`): each number of
 * its total is a row, so the page shows whatever eval computes, labelled from the table below where the key
 * is known (by its path otherwise). Each value cell keeps the exact double in `data-value` (shortest
 * round-trip form) beside the rounded text, so a test can compare it with `xent eval --json`.
 */

/** What was read: shown above the figures. */
export interface ReportInput {
  files: string[];
  label: string;
  /** "--prob p", "--logits p_", ... */
  scores: string;
  weight: string | null;
  by: string | null;
  /** Options that change the figures, as given (e.g. "--threshold 0.3", "--clip 1e-15"). */
  options: string[];
  version: string;
}

/** A chart on the page: its id (also the SVG's id prefix), a heading, the SVG and a sentence on how to read it. */
export interface ReportChart {
  id: string;
  heading: string;
  svg: string;
  caption: string;
}

type Json = Record<string, unknown>;

const LABELS: Record<string, string | ((o: Json) => string)> = {
  rows: "rows",
  weight: "total weight",
  logLoss: "log loss (mean cross-entropy, nats)",
  accuracy: "accuracy (p > 0.5)",
  brier: "Brier score",
  rocAuc: "ROC AUC",
  rocAucErrorBound: "ROC AUC: error bound (±)",
  averagePrecision: "average precision (PR AUC)",
  averagePrecisionErrorBound: "average precision: error bound (±)",
  baseRate: "base rate (fraction of positives)",
  normalizedEntropy: "normalized entropy (log loss / entropy of the base rate)",
  "confusion.threshold": "threshold (scores above it predict 1)",
  "confusion.truePositive": "true positives (TP)",
  "confusion.falsePositive": "false positives (FP)",
  "confusion.falseNegative": "false negatives (FN)",
  "confusion.trueNegative": "true negatives (TN)",
  "confusion.precision": "precision TP / (TP + FP)",
  "confusion.recall": "recall TP / (TP + FN)",
  "confusion.f1": "F1",
  "calibration.calibrationRatio": "calibration ratio (sum p / sum y)",
  "calibration.ece": (o) => `ECE, ${binsOf(o, "calibration")} equal-width bins`,
  "calibration.mce": (o) => `MCE, ${binsOf(o, "calibration")} equal-width bins`,
  "calibration.rms": (o) => `RMS calibration error, ${binsOf(o, "calibration")} equal-width bins`,
  "equalMassCalibration.ece": (o) => `ECE, ${binsOf(o, "equalMassCalibration")} equal-mass bins`,
  "equalMassCalibration.mce": (o) => `MCE, ${binsOf(o, "equalMassCalibration")} equal-mass bins`,
  "equalMassCalibration.rms": (o) => `RMS calibration error, ${binsOf(o, "equalMassCalibration")} equal-mass bins`,
  "brierDecomposition.reliability": "Brier = REL - RES + UNC: reliability REL",
  "brierDecomposition.resolution": "Brier: resolution RES",
  "brierDecomposition.uncertainty": "Brier: uncertainty UNC",
  "logLossDecomposition.miscalibration": "log loss = MCB - DSC + UNC (CORP): miscalibration MCB",
  "logLossDecomposition.discrimination": "log loss (CORP): discrimination DSC",
  "logLossDecomposition.uncertainty": "log loss (CORP): uncertainty UNC (entropy of the base rate)",
  calibration: "ECE / MCE / RMS, equal-width bins (not in the state read)",
  equalMassCalibration: "ECE / MCE / RMS, equal-mass bins (only while the scores are kept exactly: under 65536 distinct)",
  "oneVsRest.rocAucMacro": "ROC AUC one-vs-rest, macro average",
  "oneVsRest.rocAucWeighted": "ROC AUC one-vs-rest, weighted by support",
  "oneVsRest.rocAucErrorBound": "ROC AUC one-vs-rest: error bound (±)",
};

/** The keys of eval's JSON that describe the run, not a figure of the total (shown in the summary instead). */
const NOT_FIGURES = new Set(["kind", "input", "classes", "files", "infiniteLoss", "skipped", "by", "groups", "clip", "logLossInfinite"]);

function binsOf(o: Json, key: string): string {
  const v = (o[key] as Json | undefined)?.bins;
  return typeof v === "number" ? String(v) : "?";
}

const SECTIONS: Record<string, string> = {
  "": "Loss, accuracy, ranking",
  confusion: "At the threshold",
  calibration: "Calibration",
  equalMassCalibration: "Calibration",
  brierDecomposition: "Decompositions",
  logLossDecomposition: "Decompositions",
  oneVsRest: "One-vs-rest",
};

/** The numeric leaves of eval's JSON total, with their paths ("confusion.precision"), in the JSON's order. */
export function figureRows(json: Json): { path: string; label: string; value: number | null; section: string }[] {
  const rows: { path: string; label: string; value: number | null; section: string }[] = [];
  const visit = (o: Json, prefix: string, top: Json) => {
    for (const [k, v] of Object.entries(o)) {
      if (prefix === "" && NOT_FIGURES.has(k)) continue;
      const path = prefix === "" ? k : `${prefix}.${k}`;
      if (k === "bins" || k === "exact" || Array.isArray(v)) continue;
      if (v !== null && typeof v === "object") visit(v as Json, path, top);
      else if (typeof v === "number" || v === null) {
        // An error bound of 0 says "exact": one row less to read.
        if (k.endsWith("ErrorBound") && v === 0) continue;
        const label = LABELS[path];
        // The section of the top-level key; a figure of a new nested kind gets its key as the section.
        const head = path.split(".")[0]!;
        const section = path.includes(".") ? (SECTIONS[head] ?? head) : (SECTIONS[head] ?? SECTIONS[""]!);
        rows.push({ path, label: typeof label === "function" ? label(top) : (label ?? path), value: v, section });
      }
    }
  };
  visit(json, "", json);
  return rows;
}

function valueCell(value: number | null, infinite = false): string {
  const text = value === null ? (infinite ? "Infinity" : "-") : formatFigure(value);
  // data-value is the JSON value (null for an infinite log loss, as in eval's JSON); the text says Infinity.
  return `<td class="num" data-value="${JSON.stringify(value)}">${escapeXml(text)}</td>`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
main { max-width: 1360px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 24px; margin: 4px 0 2px; }
h2 { font-size: 18px; margin: 26px 0 10px; }
.sub { color: #555; margin: 0 0 14px; }
.panel { background: white; border: 1px solid #dde1e6; border-radius: 8px; padding: 14px 16px; }
.top { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(420px, 2fr); gap: 18px; align-items: start; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; white-space: nowrap; }
th[scope="row"] { font-weight: normal; }
tr.section th { background: #f0f3f7; font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: #445; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dt { color: #555; } dd { margin: 0; word-break: break-all; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; margin-top: 6px; }
.warn { color: #a33; }
footer { color: #777; font-size: 12px; margin-top: 28px; }
@media (max-width: 900px) { .top { grid-template-columns: 1fr; } .charts { grid-template-columns: 1fr; } }
`;

/** The whole page. `evalJson`: `xent eval --json`'s object for the same input and options. */
export function reportHtml(input: ReportInput, evalJson: Json, charts: ReportChart[]): string {
  const e = escapeXml;
  const title = `Prediction report: ${input.files.join(", ")}`;
  const skipped = (evalJson.skipped as { total?: number } | undefined)?.total ?? 0;
  const infinite = evalJson.infiniteLoss as { rows: number; first: string[] } | undefined;
  const summary: [string, string][] = [
    ["file" + (input.files.length > 1 ? "s" : ""), input.files.map((f) => `<code>${e(f)}</code>`).join(", ")],
    ["rows", e(formatFigure(evalJson.rows as number))],
    ["label column", `<code>${e(input.label)}</code>`],
    [
      "scores",
      `<code>${e(input.scores)}</code> (${e(String(evalJson.input))}${evalJson.kind === "multiclass" ? `, ${e(String(evalJson.classes))} classes` : ", binary"})`,
    ],
  ];
  if (input.weight !== null) summary.push(["weight column", `<code>${e(input.weight)}</code>`]);
  if (input.by !== null) summary.push(["grouped by", `<code>${e(input.by)}</code>`]);
  if (input.options.length > 0) summary.push(["options", input.options.map((o) => `<code>${e(o)}</code>`).join(" ")]);
  summary.push(["skipped rows", e(String(skipped))]);
  if (infinite !== undefined && infinite.rows > 0) {
    summary.push([
      "infinite loss",
      `<span class="warn">${infinite.rows} row${infinite.rows === 1 ? "" : "s"} with p = 0 or 1 on the wrong side: ${infinite.first.map((w) => `<code>${e(w)}</code>`).join(", ")}${infinite.rows > infinite.first.length ? ", ..." : ""}</span>`,
    ]);
  }
  const rows: string[] = [];
  let section = "";
  for (const r of figureRows(evalJson)) {
    if (r.section !== section) {
      section = r.section;
      rows.push(`<tr class="section"><th colspan="2">${e(section)}</th></tr>`);
    }
    rows.push(
      `<tr data-key="${e(r.path)}"><th scope="row">${e(r.label)}</th>${valueCell(r.value, r.path === "logLoss" && evalJson.logLossInfinite === true)}</tr>`,
    );
  }
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No request of any kind: no script, style, font, image or frame from anywhere, not even this file's folder.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body><main>",
    `<h1>${e(title)}</h1>`,
    `<p class="sub">Every figure as <code>xent eval --json</code> computes it, and the curves from the same accumulated state.</p>`,
    '<div class="top">',
    `<section class="panel" id="input"><h2>Input</h2><dl>${summary.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join("")}</dl></section>`,
    `<section class="panel" id="figures"><h2>Figures</h2><table id="metrics">${rows.join("\n")}</table></section>`,
    "</div>",
  ];
  const perClass = (evalJson.oneVsRest as { perClass?: Json[] } | undefined)?.perClass;
  if (Array.isArray(perClass)) {
    parts.push(
      '<section class="panel" id="classes"><h2>Per class</h2><table><tr><th>class</th><th>support</th><th>precision</th><th>recall</th><th>F1</th><th>ROC AUC (one-vs-rest)</th></tr>',
      ...perClass.map(
        (c) =>
          `<tr><th scope="row">${e(String(c.class))}</th>${["support", "precision", "recall", "f1", "rocAuc"].map((k) => valueCell((c[k] as number | null) ?? null)).join("")}</tr>`,
      ),
      "</table></section>",
    );
  }
  if (charts.length > 0) {
    parts.push('<h2>Charts</h2><div class="charts">');
    for (const c of charts) {
      parts.push(`<figure class="panel" id="${e(c.id)}">${c.svg}<figcaption>${e(c.caption)}</figcaption></figure>`);
    }
    parts.push("</div>");
  }
  const groups = evalJson.groups as (Json & { group: string })[] | undefined;
  if (Array.isArray(groups)) {
    const cols: [string, string][] = [
      ["rows", "rows"],
      ["logLoss", "log loss"],
      ["accuracy", "accuracy"],
      ["brier", "Brier"],
      ...(evalJson.kind === "binary" ? ([["rocAuc", "ROC AUC"]] as [string, string][]) : []),
    ];
    parts.push(
      `<section class="panel" id="groups"><h2>By ${e(String(evalJson.by))}</h2><table><tr><th>${e(String(evalJson.by))}</th>${cols.map(([, h]) => `<th>${e(h)}</th>`).join("")}</tr>`,
      ...groups.map(
        (g) =>
          `<tr><th scope="row">${e(g.group)}</th>${cols.map(([k]) => valueCell((g[k] as number | null) ?? null, k === "logLoss" && g.logLossInfinite === true)).join("")}</tr>`,
      ),
      "</table></section>",
    );
  }
  parts.push(
    `<footer>Written by xent ${e(input.version)} (xent report). Self-contained: no script, no network.</footer>`,
    "</main></body>",
    "</html>",
  );
  return parts.join("\n") + "\n";
}
