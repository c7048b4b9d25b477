import { type SqlPlan } from "./sqlOptions.js";
import { expMinusAbs, infinity, log1p, negativeLog1pMinus, squared, toDouble } from "./stableTerms.js";

/**
 * @internal The CTE chain shared by the queries: `xent_input` (the table's columns and the row check),
 * `xent_rows` (label y in {0, 1}, score s and weight w as doubles; an invalid row gets y = 0, s = 0, w = 0,
 * so that no function sees a bad value, and its terms are 0) and `xent_terms`, one row per input row:
 * - `ok` 1 for a valid row, 0 for one left out (counted as `invalid_count`),
 * - `loss` the row's loss L when finite (0 when infinite), `infinite` 1 when L = Infinity,
 * - `brier_term` (p - y)^2, `correct` 1 when the prediction (score above 0.5 / logit 0) is y.
 * Columns: group_key (with by), ok, y, s, w, loss, infinite, brier_term, correct.
 * Returned without the leading WITH, ending with a comma-free CTE; the queries append theirs.
 */
export function scoredRowsCtes(plan: SqlPlan): string {
  const { d, label, score, weight, by, from, scale } = plan;
  const inf = infinity(d);
  const g = by === null ? "" : "group_key, ";
  const negativeLabel = plan.labels === "pm1" ? "-1" : "0";
  const checks = [`(${label} = 1 OR ${label} = ${negativeLabel})`];
  // NaN fails these comparisons both where NaN compares false (BigQuery, Trino) and where it sorts above
  // every number (DuckDB, PostgreSQL, Spark, Snowflake); NULL fails them too.
  checks.push(scale === "probability" ? `${score} >= 0 AND ${score} <= 1` : `${score} >= -${inf} AND ${score} <= ${inf}`);
  if (weight !== null) checks.push(`${weight} >= 0 AND ${weight} < ${inf}`);
  const input = [
    ...(by === null ? [] : [`${by} AS group_key`]),
    `CASE WHEN ${checks.join(" AND ")} THEN 1 ELSE 0 END AS ok`,
    `${label} AS label_raw`,
    `${score} AS score_raw`,
    ...(weight === null ? [] : [`${weight} AS weight_raw`]),
  ];
  const rows = [
    `CASE WHEN ok = 1 AND label_raw = 1 THEN 1 ELSE 0 END AS y`,
    `CASE WHEN ok = 1 THEN ${toDouble(d, "score_raw")} ELSE ${toDouble(d, "0")} END AS s`,
    `CASE WHEN ok = 1 THEN ${toDouble(d, weight === null ? "1" : "weight_raw")} ELSE ${toDouble(d, "0")} END AS w`,
  ];
  let terms: string;
  if (scale === "logit") {
    // Stable logit form, with e = exp(-|s|) and a = log1p(e) = softplus(-|s|):
    //   L(1, s) = softplus(-s) = a + max(-s, 0),   L(0, s) = softplus(s) = a + max(s, 0).
    // Both are sums of two non-negative terms (nothing cancels), exp never overflows (its argument is <= 0)
    // and never underflows into an error (guarded, see expMinusAbs); p = sigmoid(s) for the Brier score is
    // 1 / (1 + e) or e / (1 + e), without cancellation either. Infinite logits take the exact limits.
    terms = `xent_e AS ${d.materialized}(
  SELECT ${g}ok, y, s, w, ${expMinusAbs(d, "s")} AS e
  FROM xent_rows
),
xent_terms AS (
  SELECT ${g}ok, y, s, w,
    CASE WHEN ok = 0 OR (y = 1 AND s = -${inf}) OR (y = 0 AND s = ${inf}) THEN 0
      WHEN y = 1 THEN ${log1p(d, "e")} + CASE WHEN s < 0 THEN -s ELSE 0 END
      ELSE ${log1p(d, "e")} + CASE WHEN s > 0 THEN s ELSE 0 END END AS loss,
    CASE WHEN (y = 1 AND s = -${inf}) OR (y = 0 AND s = ${inf}) THEN 1 ELSE 0 END AS infinite,
    CASE WHEN ok = 0 THEN 0 ELSE ${squared(d, "CASE WHEN s >= 0 THEN 1 / (1 + e) ELSE e / (1 + e) END - y")} END AS brier_term,
    CASE WHEN ok = 0 THEN 0 WHEN s > 0 THEN y ELSE 1 - y END AS correct
  FROM xent_e
)`;
  } else {
    // Probability form: L(1, p) = -ln(p), L(0, p) = -log1p(-p) (not -ln(1 - p), which loses every digit of a
    // small p); p = 0 for a positive or p = 1 for a negative is an infinite loss, flagged, not computed (ln(0)
    // raises in DuckDB and PostgreSQL and is NULL in Spark, which AVG and SUM would skip).
    terms = `xent_terms AS (
  SELECT ${g}ok, y, s, w,
    CASE WHEN ok = 0 OR (y = 1 AND s = 0) OR (y = 0 AND s = 1) THEN 0
      WHEN y = 1 THEN -LN(s)
      ELSE ${negativeLog1pMinus(d, "s")} END AS loss,
    CASE WHEN (y = 1 AND s = 0) OR (y = 0 AND s = 1) THEN 1 ELSE 0 END AS infinite,
    CASE WHEN ok = 0 THEN 0 ELSE ${squared(d, "s - y")} END AS brier_term,
    CASE WHEN ok = 0 THEN 0 WHEN s > 0.5 THEN y ELSE 1 - y END AS correct
  FROM xent_rows
)`;
  }
  return `xent_input AS (
  SELECT ${input.join(",\n    ")}
  FROM ${from}
),
xent_rows AS (
  SELECT ${g}ok,
    ${rows.join(",\n    ")}
  FROM xent_input
),
${terms}`;
}

/**
 * @internal The per-group sums (CTE `xent_sums`): row_count, positive_count, negative_count, invalid_count,
 * infinite_loss_count (rows of weight > 0 with an infinite loss), weight, loss_sum (the finite losses),
 * brier_sum, correct_weight; sums with the dialect's most exact summation (`DialectSpec.exactSum`).
 */
export function sumsCte(plan: SqlPlan): string {
  const { d, weight, by } = plan;
  const weighted = weight !== null;
  const sumW = (x: string) => (weighted ? d.exactSumProduct("w", x) : d.exactSum(x));
  const cols = [
    ...(by === null ? [] : ["group_key"]),
    "COUNT(CASE WHEN ok = 1 THEN 1 END) AS row_count",
    "COUNT(CASE WHEN ok = 1 AND y = 1 THEN 1 END) AS positive_count",
    "COUNT(CASE WHEN ok = 1 AND y = 0 THEN 1 END) AS negative_count",
    "COUNT(CASE WHEN ok = 0 THEN 1 END) AS invalid_count",
    "COUNT(CASE WHEN infinite = 1 AND w > 0 THEN 1 END) AS infinite_loss_count",
    `${weighted ? d.exactSum("w") : toDouble(d, "COUNT(CASE WHEN ok = 1 THEN 1 END)")} AS weight`,
    `${sumW("loss")} AS loss_sum`,
    `${sumW("brier_term")} AS brier_sum`,
    `${d.exactSum(weighted ? "CASE WHEN correct = 1 THEN w ELSE 0 END" : "CASE WHEN ok = 1 AND correct = 1 THEN 1 ELSE 0 END")} AS correct_weight`,
  ];
  return `xent_sums AS (
  SELECT ${cols.join(",\n    ")}
  FROM xent_terms${by === null ? "" : "\n  GROUP BY group_key"}
)`;
}
