import { scoredRowsCtes, sumsCte } from "./scoredRows.js";
import { type SqlPlan } from "./sqlOptions.js";
import { infinity } from "./stableTerms.js";

/**
 * @internal The metrics query (columns documented on `LogLossSqlQueries.metrics`): the per-group sums of
 * `xent_sums`, divided by the weight as `BinaryEvaluation.metrics()` does (`sum / weight`, NULL without
 * weight), and log_loss = Infinity as soon as a row of weight > 0 has an infinite loss.
 */
export function buildMetricsQuery(plan: SqlPlan): string {
  const g = plan.by === null ? "" : "group_key,\n  ";
  return `WITH ${scoredRowsCtes(plan)},
${sumsCte(plan)}
SELECT ${g}row_count,
  weight,
  CASE WHEN infinite_loss_count > 0 THEN ${infinity(plan.d)} WHEN weight > 0 THEN loss_sum / weight END AS log_loss,
  infinite_loss_count,
  CASE WHEN weight > 0 THEN brier_sum / weight END AS brier,
  CASE WHEN weight > 0 THEN correct_weight / weight END AS accuracy,
  positive_count,
  negative_count,
  invalid_count
FROM xent_sums${plan.by === null ? "" : "\nORDER BY group_key"}
`;
}
