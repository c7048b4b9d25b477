import { buildMetricsQuery } from "./metricsQuery.js";
import { buildRocAucQuery } from "./rocAucQuery.js";
import { buildStateQuery } from "./stateQuery.js";
import { checkLogLossSqlOptions } from "./sqlOptions.js";

/** The SQL engines `logLossSql` writes for. */
export type SqlDialect = "duckdb" | "postgres" | "spark" | "bigquery" | "trino" | "snowflake";

/** The dialects, in the order `xent sql --help` lists them. */
export const SQL_DIALECTS: readonly SqlDialect[] = ["duckdb", "postgres", "spark", "bigquery", "trino", "snowflake"];

/** Options of `logLossSql`. */
export interface LogLossSqlOptions {
  dialect: SqlDialect;
  /**
   * The table: a name, optionally qualified (`schema.table`, `project.dataset.table`; each part quoted when it
   * is not a plain identifier), or a parenthesised subquery `(SELECT ...)` used as is (balanced parentheses,
   * no `;`).
   */
  table: string;
  /** The label column: 0/1 (or -1/+1 with `labels: "pm1"`). */
  label: string;
  /** The column of probabilities of y = 1 (exactly one of `prob` and `logit`). */
  prob?: string;
  /** The column of logits (log-odds of y = 1). */
  logit?: string;
  /** A column of weights (finite, >= 0); unweighted when absent. */
  weight?: string;
  /** A column to group by: one result row (or one set of rows) per value. */
  by?: string;
  /** The label convention: "01" (default) or "pm1" (-1 counts as 0). */
  labels?: "01" | "pm1";
}

/**
 * The queries `logLossSql` returns. Every query reads the table once and returns plain columns (numbers and
 * strings), so any client can export its result (CSV, JSON Lines).
 */
export interface LogLossSqlQueries {
  /**
   * One row per group (one row without `by`), columns:
   * - `group_key`: the group's value (only with `by`).
   * - `row_count`: rows evaluated (valid rows, weight 0 included). `invalid_count`: rows left out because the
   *   label is not 0/1 (-1/+1), the score is NULL, NaN or (probabilities) outside [0, 1], or the weight is
   *   NULL, negative, NaN or infinite. They are counted, never silently dropped: xent eval would stop there.
   * - `weight`: the sum of the weights (= row_count unweighted).
   * - `log_loss`: `sum w L / sum w`, within 1e-14 relative of `xent eval` where the dialect sums exactly
   *   (duckdb, postgres; see `dialects.ts`). Infinity when a row of weight > 0 has an infinite loss (p = 0 or
   *   1, or an infinite logit, on the wrong side); NULL without weight.
   * - `infinite_loss_count`: the rows of weight > 0 whose loss is infinite (0 when log_loss is finite).
   * - `brier`: weighted mean of `(p - y)^2`; `accuracy`: weighted fraction of rows with
   *   `(score > 0.5 (probabilities) or > 0 (logits)) = (y = 1)`: a score exactly at the threshold predicts 0.
   * - `positive_count`, `negative_count`: rows with y = 1 and y = 0 (-1).
   */
  metrics: string;
  /**
   * The ROC AUC histogram of `RocAucAccumulator`, per group: columns `group_key` (with `by`), `mode`
   * ("exact": one row per distinct score while a group has at most 65536; "histogram": one row per non-empty
   * bin of the accumulator's 32770 bins otherwise), `score_key` (the score, or the bin index), `positive` and
   * `negative` (the weights of y = 1 and y = 0 at that key).
   */
  rocAuc: string;
  /**
   * What `xent merge --sql-rows FILE` reads to build an xent evaluation state (the JSON of
   * `xent eval --state-out`): the sums row of each group (`row_kind` = "sums": `row_count`, `weight`,
   * `loss_sum` (finite part), `infinite_loss_count`, `brier_sum`, `correct_weight`, `invalid_count`) and the
   * `rocAuc` rows (`row_kind` = "exact" or "histogram"), plus `by_column` and `scale`, in one result.
   */
  state: string;
}

/**
 * SQL that computes xent's binary evaluation inside a database: log loss (exact, with the stable
 * logit and probability forms and a guarded log1p), Brier score, accuracy, the counts, and the ROC AUC
 * histogram that `xent merge --sql-rows` turns into an xent state (AUC and error bound bit-identical to
 * `xent eval` on the same unweighted or integer-weighted rows). Browser-safe: it only builds strings.
 *
 * Bad options throw a TypeError (not a string, unknown dialect) or a RangeError (both or neither of prob and
 * logit, an identifier with a quote or a control character, an unbalanced subquery) naming the option.
 *
 * @example logLossSql({ dialect: "duckdb", table: "preds", label: "y", prob: "p" }).metrics.startsWith("WITH") // true
 */
export function logLossSql(options: LogLossSqlOptions): LogLossSqlQueries {
  const checked = checkLogLossSqlOptions(options);
  return { metrics: buildMetricsQuery(checked), rocAuc: buildRocAucQuery(checked), state: buildStateQuery(checked) };
}
