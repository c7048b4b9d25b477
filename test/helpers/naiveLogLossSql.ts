// The log-loss queries people write, for the comparison with xent's: the textbook form and the clipped one
// (scikit-learn's log_loss clipped to [eps, 1 - eps] with eps = 1e-15 before version 1.5). The same SQL
// runs in PostgreSQL and DuckDB (ln, exp, greatest, least, avg).

/** Which column holds the score: a probability, or a logit turned into one by `1 / (1 + exp(-s))`. */
export type ScoreForm = "prob" | "logit";

/** scikit-learn's historical clipping constant. */
export const SKLEARN_EPS = 1e-15;

/** The probability of y = 1 as the usual query forms it. */
function probabilityExpression(form: ScoreForm): string {
  return form === "prob" ? "prob" : "1 / (1 + exp(-logit))";
}

/**
 * `-avg(y ln p + (1 - y) ln(1 - p))`: raises on ln(0) (p = 0 or 1 exactly, or sigmoid rounding to 1 for a
 * logit above 37) in both engines, and on exp overflow / underflow of a logit beyond ±709 in PostgreSQL.
 */
export function naiveLogLossSql(form: ScoreForm, table: string): string {
  return `SELECT -avg(label * ln(p) + (1 - label) * ln(1 - p)) AS log_loss FROM (SELECT label, ${probabilityExpression(form)} AS p FROM ${table}) AS scored`;
}

/**
 * The same with p clipped to [eps, 1 - eps]: no ln(0), but every loss above -ln(eps) (34.5 for 1e-15) is
 * counted as -ln(eps), and PostgreSQL still raises on exp of a saturated logit.
 */
export function clippedLogLossSql(form: ScoreForm, table: string, eps = SKLEARN_EPS): string {
  const clipped = `greatest(least(${probabilityExpression(form)}, 1 - ${eps}), ${eps})`;
  return `SELECT -avg(label * ln(p) + (1 - label) * ln(1 - p)) AS log_loss FROM (SELECT label, ${clipped} AS p FROM ${table}) AS scored`;
}
