import { type BinaryCurves, type BinaryMetrics } from "../index.js";
import { type EvalReport } from "./evalRun.js";
import { formatFigure } from "./format.js";
import { type PlotSpec, type Series } from "./svgPlot.js";

/**
 * The charts of a user's own predictions (`xent plot roc|pr|reliability|loss-by-group`, `xent report`),
 * every point from the library's evaluation state (`BinaryEvaluation.curves()` and `metrics()`): no figure
 * is computed here, only placed.
 */

const GREY = "#888";

function zip(x: ArrayLike<number>, y: ArrayLike<number>): [number, number][] {
  return Array.from({ length: x.length }, (_, i) => [x[i]!, y[i]!]);
}

/** "0.8123" or "0.8123 ±2.1e-05" when the figure is bounded, not exact. */
function withBound(x: number, bound: number | null): string {
  return bound === null || bound === 0 ? formatFigure(x) : `${formatFigure(x)} ±${bound.toPrecision(2)}`;
}

/** The ROC curve, the chance diagonal, the AUC in the legend. Null without both classes. */
export function rocChart(curves: BinaryCurves, m: BinaryMetrics, source: string, id?: string): PlotSpec | null {
  if (curves.roc === null || m.rocAuc === null) return null;
  return {
    id,
    title: `ROC curve (${source})`,
    xLabel: "false positive rate",
    yLabel: "true positive rate",
    xDomain: [0, 1],
    yDomain: [0, 1],
    legend: "bottom-right",
    series: [
      { label: `ROC, AUC ${withBound(m.rocAuc, m.rocAucErrorBound)}`, points: zip(curves.roc.falsePositiveRate, curves.roc.truePositiveRate) },
      {
        label: "chance, AUC 0.5",
        color: GREY,
        dash: "6 4",
        size: 1.5,
        points: [
          [0, 0],
          [1, 1],
        ],
      },
    ],
  };
}

/** The precision-recall steps, the base-rate line, the average precision in the legend. Null without positives. */
export function precisionRecallChart(curves: BinaryCurves, m: BinaryMetrics, source: string, id?: string): PlotSpec | null {
  if (curves.precisionRecall === null || m.averagePrecision === null || m.baseRate === null) return null;
  return {
    id,
    title: `Precision-recall curve (${source})`,
    xLabel: "recall",
    yLabel: "precision",
    xDomain: [0, 1],
    yDomain: [0, 1.02],
    legend: "bottom-right",
    series: [
      {
        label: `PR, AP ${withBound(m.averagePrecision, m.averagePrecisionErrorBound)}`,
        kind: "step",
        points: zip(curves.precisionRecall.recall, curves.precisionRecall.precision),
      },
      {
        label: `base rate ${formatFigure(m.baseRate)} (no skill)`,
        color: GREY,
        dash: "6 4",
        size: 1.5,
        points: [
          [0, m.baseRate],
          [1, m.baseRate],
        ],
      },
    ],
  };
}

/**
 * The reliability diagram: each non-empty equal-width bin's (mean predicted probability, observed
 * frequency), the CORP isotonic recalibration curve, the diagonal, and the rows per bin along the bottom.
 */
export function reliabilityChart(curves: BinaryCurves, m: BinaryMetrics, source: string, id?: string): PlotSpec | null {
  if (curves.reliability === null || curves.isotonic === null) return null;
  const full = curves.reliability.filter((b) => b.weight > 0);
  const d = m.logLossDecomposition;
  const series: Series[] = [
    {
      label: "perfectly calibrated",
      color: GREY,
      dash: "6 4",
      size: 1.5,
      points: [
        [0, 0],
        [1, 1],
      ],
    },
    {
      label: `CORP isotonic${d === null ? "" : `, MCB ${formatFigure(d.miscalibration)}`}${curves.exact ? "" : " (bins)"}`,
      color: "#d62728",
      points: zip(curves.isotonic.forecast, curves.isotonic.calibrated),
    },
    {
      label: `${curves.reliability.length} bins${m.calibration === null ? "" : `, ECE ${formatFigure(m.calibration.ece)}`}`,
      color: "#1f77b4",
      kind: "dots",
      points: full.map((b) => [b.meanProbability, b.frequency] as [number, number]),
    },
  ];
  return {
    id,
    title: `Reliability diagram (${source})`,
    xLabel: "predicted probability",
    yLabel: "observed frequency",
    xDomain: [0, 1],
    yDomain: [0, 1],
    legend: "top-left",
    series,
    histogram: { label: "rows per bin", bins: curves.reliability.map((b) => ({ lower: b.lower, upper: b.upper, count: b.weight })) },
  };
}

/** At most this many groups are drawn (those with the most rows); the title says so when more. */
export const MAX_GROUPS = 60;

/**
 * Mean log loss per value of the --by column: a dot per group with a stem from 0, its value and row count
 * beside it, groups top to bottom in the report's order, and a dashed line at the log loss of all rows.
 * An infinite log loss is drawn at the right edge, labelled Infinity.
 */
export function lossByGroupChart(report: EvalReport, source: string, id?: string): PlotSpec {
  if (report.groups === null || report.by === null) throw new Error("lossByGroupChart: the report has no groups");
  let groups = report.groups.filter((g) => g.metrics.logLoss !== null);
  const all = groups.length;
  if (groups.length > MAX_GROUPS) {
    const kept = new Set([...groups].sort((a, b) => b.metrics.rows - a.metrics.rows).slice(0, MAX_GROUPS));
    groups = groups.filter((g) => kept.has(g));
  }
  const n = groups.length;
  const finite = groups.map((g) => g.metrics.logLoss!).filter((v) => Number.isFinite(v));
  const total = report.total.logLoss;
  const most = Math.max(1e-3, ...finite, total !== null && Number.isFinite(total) ? total : 0);
  const xMax = most * 1.35;
  const yOf = (i: number) => n - 1 - i;
  const at = (v: number) => (Number.isFinite(v) ? v : xMax);
  const stems: [number, number][] = groups.flatMap(
    (g, i) =>
      [
        [0, yOf(i)],
        [at(g.metrics.logLoss!), yOf(i)],
        [NaN, NaN],
      ] as [number, number][],
  );
  const series: Series[] = [
    { label: "stems", color: "#9ecae1", size: 2, points: stems, noLegend: true },
    {
      label: "mean log loss of the group",
      color: "#1f77b4",
      kind: "dots",
      points: groups.map((g, i) => [at(g.metrics.logLoss!), yOf(i)] as [number, number]),
    },
  ];
  if (total !== null && Number.isFinite(total)) {
    series.push({
      label: `all rows ${formatFigure(total)}`,
      color: GREY,
      dash: "6 4",
      size: 1.5,
      points: [
        [total, -0.5],
        [total, n - 0.5],
      ],
    });
  }
  return {
    id,
    title: `Log loss by ${report.by} (${source})${all > n ? `, the ${n} of ${all} groups with the most rows` : ""}`,
    xLabel: "mean log loss (nats)",
    yLabel: report.by,
    xDomain: [0, xMax],
    // Room above the first group for the legend (three lines).
    yDomain: [-0.7, n + 2.2],
    yCategories: groups
      .map((g, i) => ({ name: g.group, y: yOf(i) }))
      .sort((a, b) => a.y - b.y)
      .map((c) => c.name),
    height: 140 + 24 * (n + 3),
    legend: "top-right",
    series,
    labels: groups.map((g, i) => ({ x: at(g.metrics.logLoss!), y: yOf(i), text: `${formatFigure(g.metrics.logLoss)} (${g.metrics.rows} rows)` })),
  };
}
