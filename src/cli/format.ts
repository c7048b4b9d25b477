/** Number and table formatting for people (tables) and programs (JSON). */

/** A figure for a table: 7 significant digits, integers in full, null as "-". */
export function formatFigure(x: number | null | undefined): string {
  if (x === null || x === undefined) return "-";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(7)));
}

/**
 * A figure for JSON: the exact double (shortest round-trip form), or null when it is undefined or not finite
 * (JSON numbers have no Infinity; where a figure can be infinite, a flag beside it says so).
 */
export function jsonFigure(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** A text table: the first row is the header; numeric-looking cells are right-aligned. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, j) => (widths[j] = Math.max(widths[j] ?? 0, cell.length)));
  const numeric = (s: string) => /^[-+]?(\d|Infinity|NaN)|^-$/.test(s);
  return rows
    .map((row, i) =>
      row
        .map((cell, j) => (j > 0 && (i === 0 || numeric(cell)) ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** "key   value" lines, keys padded. */
export function renderPairs(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map((p) => p[0].length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

/** What a fit reports: its iterations and how it stopped. */
interface FitOutcome {
  nIter: number;
  converged: boolean;
  stopReason: string;
}

/**
 * The text `xent train` prints: the objective per iteration, then `head` (classes, features, rows), how the fit
 * stopped, the training-set figures (the ROC AUC when there is one) and the model file.
 */
export function trainingSummaryText(
  objective: readonly number[],
  head: readonly (readonly [string, string])[],
  fit: FitOutcome,
  metrics: { logLoss?: unknown; accuracy?: unknown; brier?: unknown; rocAuc?: unknown },
  modelPath: string,
): string {
  const figure = (x: unknown) => formatFigure(x as number | null | undefined);
  const lines = ["iteration  objective"];
  objective.forEach((f, i) => lines.push(`${String(i).padStart(9)}  ${f}`));
  lines.push(
    "",
    renderPairs([
      ...head,
      ["iterations", `${fit.nIter} (${fit.converged ? "converged" : "not converged"}: ${fit.stopReason})`],
      ["log loss", figure(metrics.logLoss)],
      ["accuracy", figure(metrics.accuracy)],
      ["brier", figure(metrics.brier)],
      ...(metrics.rocAuc === undefined ? [] : [["roc auc", figure(metrics.rocAuc)] as const]),
      ["model", modelPath],
    ]),
  );
  return lines.join("\n") + "\n";
}
