import { rocAucCtes } from "./rocAucQuery.js";
import { scoredRowsCtes, sumsCte } from "./scoredRows.js";
import { type SqlPlan } from "./sqlOptions.js";
import { toDouble } from "./stableTerms.js";

/**
 * @internal The state query (see `LogLossSqlQueries.state`): the sums and the ROC rows of every group in one
 * result, every numeric column a double (counts below 2^53 are exact), with constant columns naming the
 * scale, the label convention and the by column, so that the result file alone rebuilds the state.
 *
 * The JSON state is built by `xent merge --sql-rows` (sqlRowsState.ts), not by the query: JSON functions, and
 * the text of a double inside a string, differ between engines (15 or 17 digits, "inf" or "Infinity", no
 * JSON type at all in some), and xent's state keeps the compensation of each sum, which no engine has; an
 * exported result is plain rows that one reader handles for all engines. The exported doubles must
 * round-trip (DuckDB, PostgreSQL >= 12, Spark, BigQuery and Trino write the shortest round-tripping form);
 * the AUC of `xent merge` is bit-identical to `xent eval`'s only then.
 */
export function buildStateQuery(plan: SqlPlan): string {
  const { d, by } = plan;
  const nul = toDouble(d, "NULL");
  const meta = [
    `'${plan.scale}' AS scale`,
    `'${plan.labels}' AS labels`,
    ...(by === null ? [] : [`'${plan.byName!}' AS by_column`, "group_key"]),
  ].join(", ");
  const sums = ["row_count", "weight", "loss_sum", "infinite_loss_count", "brier_sum", "correct_weight", "invalid_count"];
  return `WITH ${scoredRowsCtes(plan)},
${sumsCte(plan)},
${rocAucCtes(plan)}
SELECT 'sums' AS row_kind, ${meta},
  ${sums.map((c) => `${toDouble(d, c)} AS ${c}`).join(", ")},
  ${nul} AS score_key, ${nul} AS positive, ${nul} AS negative
FROM xent_sums
UNION ALL
SELECT mode AS row_kind, ${meta},
  ${sums.map((c) => `${nul} AS ${c}`).join(", ")},
  score_key, positive, negative
FROM xent_roc
`;
}
