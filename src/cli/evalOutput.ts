import { type BootstrapFigure, type BootstrapIntervals, type BootstrapInterval, type OneVsRestMetrics } from "../index.js";
import { type CiReport, type EvalReport, type Metrics } from "./evalRun.js";
import { formatFigure, jsonFigure, renderPairs, renderTable } from "./format.js";

function aucCell(m: Metrics): string {
  if (!("rocAuc" in m) || m.rocAuc === null) return "-";
  if (m.rocAucErrorBound === 0 || m.rocAucErrorBound === null) return formatFigure(m.rocAuc);
  return `${formatFigure(m.rocAuc)} ±${m.rocAucErrorBound.toPrecision(2)}`;
}

/** A figure with its error bound ("0.7489 ±1.2e-05"), or the figure alone when exact. */
function bounded(x: number | null, bound: number | null): string {
  if (x === null) return "-";
  if (bound === 0 || bound === null) return formatFigure(x);
  return `${formatFigure(x)} ±${bound.toPrecision(2)}`;
}

/** The binary figures beyond the first five, as "name  value" pairs (text report without --by). */
function binaryPairs(m: Metrics): [string, string][] {
  if (!("averagePrecision" in m)) return [];
  const f = formatFigure;
  const pairs: [string, string][] = [
    ["average precision", bounded(m.averagePrecision, m.averagePrecisionErrorBound)],
    ["base rate", f(m.baseRate)],
    ["normalized entropy", f(m.normalizedEntropy)],
  ];
  const c = m.confusion;
  if (c !== null) {
    pairs.push([
      `at threshold ${c.threshold}`,
      `TP ${f(c.truePositive)}  FP ${f(c.falsePositive)}  FN ${f(c.falseNegative)}  TN ${f(c.trueNegative)}`,
    ]);
    pairs.push(["precision / recall / F1", `${f(c.precision)} / ${f(c.recall)} / ${f(c.f1)}`]);
  }
  const k = m.calibration;
  if (k !== null) {
    pairs.push(["calibration ratio", f(k.calibrationRatio)]);
    pairs.push([`ECE / MCE / RMS (${k.bins} bins)`, `${f(k.ece)} / ${f(k.mce)} / ${f(k.rms)}`]);
  }
  const e = m.equalMassCalibration;
  if (e !== null) pairs.push([`ECE / MCE / RMS (equal mass)`, `${f(e.ece)} / ${f(e.mce)} / ${f(e.rms)}`]);
  const b = m.brierDecomposition;
  if (b !== null)
    pairs.push([`brier = REL - RES + UNC${b.exact ? "" : " (bins)"}`, `${f(b.reliability)} - ${f(b.resolution)} + ${f(b.uncertainty)}`]);
  const d = m.logLossDecomposition;
  if (d !== null)
    pairs.push([`log loss = MCB - DSC + UNC${d.exact ? "" : " (bins)"}`, `${f(d.miscalibration)} - ${f(d.discrimination)} + ${f(d.uncertainty)}`]);
  return pairs;
}

function classNames(report: EvalReport): string[] {
  const w = report.what;
  return w.kind === "multiclass" ? (w.names ?? Array.from({ length: w.classes }, (_, j) => String(j))) : [];
}

/** The per-class report: support, precision, recall, F1 (argmax) and one-vs-rest AUC. */
function classTable(o: OneVsRestMetrics, names: string[]): string {
  const f = formatFigure;
  const rows = [["class", "support", "precision", "recall", "f1", "roc auc ovr"]];
  o.perClass.forEach((c, j) =>
    rows.push([names[j] ?? String(j), f(c.support), f(c.precision), f(c.recall), f(c.f1), bounded(c.rocAuc, c.rocAucErrorBound)]),
  );
  return renderTable(rows);
}

function skippedText(skipped: Record<string, number>): string | null {
  const entries = Object.entries(skipped).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return null;
  const total = entries.reduce((s, e) => s + e[1], 0);
  return `${total} (${entries.map(([r, n]) => `${r}: ${n}`).join(", ")})`;
}

/** "2 rows: a.csv:3, a.csv:9" (and ", ..." past the first few), or null when no row has an infinite loss. */
function infiniteText(inf: EvalReport["infiniteLoss"]): string | null {
  if (inf.rows === 0) return null;
  return `${inf.rows} row${inf.rows === 1 ? "" : "s"}: ${inf.first.join(", ")}${inf.rows > inf.first.length ? ", ..." : ""}`;
}

/** "[1e-15, 1 - 1e-15] before the log loss: 3 rows", or null without --clip. */
function clipText(clip: EvalReport["clip"]): string | null {
  if (clip === null) return null;
  return `log loss of probabilities clipped to [${clip.eps}, 1 - ${clip.eps}]: ${clip.rows} row${clip.rows === 1 ? "" : "s"} clipped`;
}

/** The figures with bootstrap intervals, in the order printed, with their names for people. */
const CI_FIGURES: [BootstrapFigure, string][] = [
  ["logLoss", "log loss"],
  ["brier", "brier"],
  ["accuracy", "accuracy"],
  ["baseRate", "base rate"],
  ["normalizedEntropy", "normalized entropy"],
  ["calibrationRatio", "calibration ratio"],
];

function intervalText(i: BootstrapInterval): string {
  return i === null ? "-" : `[${formatFigure(i[0])}, ${formatFigure(i[1])}]`;
}

/** "95% interval (bootstrap: 200 replicates, seed 0)". */
function ciTitle(ci: CiReport): string {
  return `${Number((ci.level * 100).toPrecision(10))}% interval (bootstrap: ${ci.replicates} replicates, seed ${ci.seed})`;
}

/** The intervals as text: a list for the total; with `--by`, a table of the main three per group. */
function ciText(ci: CiReport, binary: boolean): string {
  if (ci.groups === null) {
    const t = ci.total;
    const pairs: [string, string][] = CI_FIGURES.filter(
      ([f]) => binary || (f !== "baseRate" && f !== "normalizedEntropy" && f !== "calibrationRatio"),
    ).map(([f, name]) => {
      const se = t.standardErrors[f];
      const undefinedCount = t.undefinedReplicates[f];
      return [
        name,
        `${intervalText(t[f])}${se === null ? "" : `  se ${formatFigure(se)}`}${undefinedCount === undefined ? "" : `  (undefined in ${undefinedCount} replicates)`}`,
      ];
    });
    return `${ciTitle(ci)}\n${renderPairs(pairs)}`;
  }
  const rows = [["group", "log loss", "brier", "accuracy"]];
  const row = (name: string, t: BootstrapIntervals) => [name, intervalText(t.logLoss), intervalText(t.brier), intervalText(t.accuracy)];
  for (const g of ci.groups) rows.push(row(g.group === "" ? '""' : g.group, g.intervals));
  rows.push(row("(all)", ci.total));
  return `${ciTitle(ci)}\n${renderTable(rows)}`;
}

/** The intervals as JSON: [lower, upper] per figure (null where undefined; an infinite end is null, flagged). */
function ciJson(t: BootstrapIntervals, binary: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [f] of CI_FIGURES) {
    if (!binary && (f === "baseRate" || f === "normalizedEntropy" || f === "calibrationRatio")) continue;
    const i = t[f];
    out[f] = i === null ? null : [jsonFigure(i[0]), jsonFigure(i[1])];
    // JSON has no Infinity: as for the log loss itself, an infinite end is null with a flag.
    if (f === "logLoss" || f === "normalizedEntropy") out[`${f}Infinite`] = i === null ? [false, false] : [i[0] === Infinity, i[1] === Infinity];
  }
  out.standardErrors = Object.fromEntries(
    Object.keys(out)
      .filter((k) => !k.endsWith("Infinite"))
      .map((k) => [k, jsonFigure(t.standardErrors[k as BootstrapFigure])]),
  );
  out.undefinedReplicates = t.undefinedReplicates;
  return out;
}

/** The report as text for people: a list of figures, or a table per group with `--by`. */
export function reportText(report: EvalReport): string {
  const lines: string[] = [];
  const binary = report.what.kind === "binary";
  if (report.groups === null) {
    const m = report.total;
    const pairs: [string, string][] = [
      ["rows", formatFigure(m.rows)],
      ["weight", formatFigure(m.weight)],
      ["log loss", formatFigure(m.logLoss)],
      ["accuracy", formatFigure(m.accuracy)],
      ["brier", formatFigure(m.brier)],
    ];
    if (binary) pairs.push(["roc auc", aucCell(m)]);
    else {
      pairs.push(["classes", String(report.what.kind === "multiclass" ? report.what.classes : 2)]);
      if ("oneVsRest" in m && m.oneVsRest !== null) {
        const o = m.oneVsRest;
        pairs.push(["roc auc ovr", `macro ${bounded(o.rocAucMacro, o.rocAucErrorBound)}, weighted ${bounded(o.rocAucWeighted, o.rocAucErrorBound)}`]);
      }
    }
    const infinite = infiniteText(report.infiniteLoss);
    if (infinite !== null) pairs.push(["infinite loss", infinite]);
    const clipped = clipText(report.clip);
    if (clipped !== null) pairs.push(["clip", clipped]);
    const skipped = skippedText(report.skipped);
    if (skipped !== null) pairs.push(["skipped", skipped]);
    lines.push(renderPairs(pairs));
    // The ranking and calibration figures: a second block (its own alignment) after a blank line.
    const more = binary ? binaryPairs(m) : [];
    if (more.length > 0) lines.push("", renderPairs(more));
    if ("oneVsRest" in m && m.oneVsRest !== null) lines.push("", classTable(m.oneVsRest, classNames(report)));
    if (report.ci !== null) lines.push("", ciText(report.ci, binary));
  } else {
    const ovr = (m: Metrics) => ("oneVsRest" in m && m.oneVsRest !== null ? [bounded(m.oneVsRest.rocAucMacro, m.oneVsRest.rocAucErrorBound)] : ["-"]);
    const row = (name: string, m: Metrics) => [
      name,
      formatFigure(m.rows),
      formatFigure(m.weight),
      formatFigure(m.logLoss),
      formatFigure(m.accuracy),
      formatFigure(m.brier),
      ...(binary && "averagePrecision" in m
        ? [
            aucCell(m),
            bounded(m.averagePrecision, m.averagePrecisionErrorBound),
            formatFigure(m.normalizedEntropy),
            formatFigure(m.calibration?.ece ?? null),
            formatFigure(m.confusion?.f1 ?? null),
          ]
        : binary
          ? []
          : ovr(m)),
    ];
    const rows = [
      [
        report.by!,
        "rows",
        "weight",
        "log loss",
        "accuracy",
        "brier",
        ...(binary ? ["roc auc", "avg prec", "norm ent", "ece", "f1"] : ["auc ovr macro"]),
      ],
    ];
    for (const g of report.groups) rows.push(row(g.group === "" ? '""' : g.group, g.metrics)); // the empty group shown as ""
    rows.push(row("(all)", report.total));
    lines.push(renderTable(rows));
    const infinite = infiniteText(report.infiniteLoss);
    if (infinite !== null) lines.push(`infinite loss  ${infinite}`);
    const clipped = clipText(report.clip);
    if (clipped !== null) lines.push(`clip  ${clipped}`);
    const skipped = skippedText(report.skipped);
    if (skipped !== null) lines.push(`skipped  ${skipped}`);
    if (report.ci !== null) lines.push("", ciText(report.ci, binary));
  }
  return lines.join("\n") + "\n";
}

function metricsJson(m: Metrics, names: string[]): Record<string, unknown> {
  return {
    rows: m.rows,
    weight: jsonFigure(m.weight),
    logLoss: jsonFigure(m.logLoss),
    // JSON has no Infinity: an infinite loss is null, told from an undefined one (no rows) by this flag.
    logLossInfinite: m.logLoss === Infinity,
    accuracy: jsonFigure(m.accuracy),
    brier: jsonFigure(m.brier),
    ...("rocAuc" in m ? { rocAuc: jsonFigure(m.rocAuc), rocAucErrorBound: jsonFigure(m.rocAucErrorBound) } : {}),
    ...("averagePrecision" in m
      ? {
          averagePrecision: jsonFigure(m.averagePrecision),
          averagePrecisionErrorBound: jsonFigure(m.averagePrecisionErrorBound),
          baseRate: jsonFigure(m.baseRate),
          // Infinite with the log loss (null, with logLossInfinite above).
          normalizedEntropy: jsonFigure(m.normalizedEntropy),
          confusion: m.confusion === null ? null : figures(m.confusion),
          calibration: m.calibration === null ? null : figures(m.calibration),
          equalMassCalibration: m.equalMassCalibration === null ? null : figures(m.equalMassCalibration),
          brierDecomposition: m.brierDecomposition === null ? null : figures(m.brierDecomposition),
          logLossDecomposition: m.logLossDecomposition === null ? null : figures(m.logLossDecomposition),
        }
      : {}),
    ...("oneVsRest" in m
      ? {
          oneVsRest:
            m.oneVsRest === null
              ? null
              : {
                  ...figures({
                    rocAucMacro: m.oneVsRest.rocAucMacro,
                    rocAucWeighted: m.oneVsRest.rocAucWeighted,
                    rocAucErrorBound: m.oneVsRest.rocAucErrorBound,
                  }),
                  perClass: m.oneVsRest.perClass.map((c, j) => ({ class: names[j] ?? String(j), ...figures(c) })),
                },
        }
      : {}),
  };
}

/** An object of figures with each number made a JSON figure (non-finite: null). */
function figures(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? jsonFigure(v) : v]));
}

/**
 * The report as JSON for programs: exact doubles, null for undefined figures; an infinite log loss is null
 * with `"logLossInfinite": true`, and `infiniteLoss` counts its rows and gives the first few as file:line.
 */
export function reportJson(report: EvalReport): string {
  const binary = report.what.kind === "binary";
  const skippedTotal = Object.values(report.skipped).reduce((s, n) => s + n, 0);
  const out: Record<string, unknown> = {
    kind: report.what.kind,
    input: report.what.scale,
    ...(report.what.kind === "multiclass" ? { classes: report.what.classes } : {}),
    files: report.files,
    ...metricsJson(report.total, classNames(report)),
    infiniteLoss: report.infiniteLoss,
    ...(report.clip === null ? {} : { clip: report.clip }),
    ...(report.ci === null
      ? {}
      : { ci: { level: report.ci.level, replicates: report.ci.replicates, seed: report.ci.seed, ...ciJson(report.ci.total, binary) } }),
    skipped: { total: skippedTotal, byReason: report.skipped },
  };
  if (report.groups !== null) {
    out.by = report.by;
    const ciGroups = report.ci?.groups ?? null;
    out.groups = report.groups.map((g, j) => ({
      group: g.group,
      ...metricsJson(g.metrics, classNames(report)),
      ...(ciGroups === null ? {} : { ci: ciJson(ciGroups[j]!.intervals, binary) }),
    }));
  }
  return JSON.stringify(out, null, 2) + "\n";
}
