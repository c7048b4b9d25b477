import { scoredRowsCtes } from "./scoredRows.js";
import { type SqlPlan } from "./sqlOptions.js";
import { toDouble } from "./stableTerms.js";

/** RocAucAccumulator's defaults (src/core/metrics/rocAuc.ts): exact up to this many distinct scores. */
export const MAX_DISTINCT = 65536;
/** The histogram's last bin: 2 * 64 * 256 + 2 bins, numbered from 0. */
const LAST_BIN = 2 * 64 * 256 + 1;

/**
 * @internal The CTEs after `xent_terms` that end in `xent_roc` (columns: group_key with by, mode, score_key,
 * positive, negative), the rows `RocAucAccumulator` would hold for each group:
 * - `xent_per_score`: the weights of y = 1 and y = 0 per distinct score (-0 counted as +0, as the
 *   accumulator does), and the group's number of distinct scores (weight-0 rows included, as in the
 *   accumulator, whose map keeps every score it saw).
 * - Groups with at most 65536 distinct scores: mode "exact", one row per score.
 * - Others: mode "histogram", the per-score weights summed into the accumulator's bins (the sums are exact
 *   for integer weights, so the bins equal the accumulator's whatever the order of the rows):
 *   - logits: bin 0 below -64, 1 + floor((s + 64) * 256) on [-64, 64), 32769 from 64 (the same double
 *     operations as `binOfLogit`);
 *   - probabilities: with q = min(p, 1 - p) (1 - p exact for p > 0.5), the top 20 bits of q's IEEE pattern,
 *     in exact arithmetic: m = q * 2^64 (a power-of-two scaling, exact), 0 when m < 1 (q < 2^-64); else the
 *     exponent e = floor(log2 m) found bit by bit (m >= 2^32? then e += 32 and m /= 2^32; then 16, 8, 4, 2,
 *     1; every step exact), leaving m in [1, 2) whose first 8 fraction bits are floor(m * 256) - 256, so
 *     bin = 1 + 256 e + floor(m * 256) - 256, mirrored to 32769 - bin for p > 0.5 (`binOfProbability`).
 *     No LOG2: a rounded logarithm would put the scores next to a power of two in the wrong bin.
 */
export function rocAucCtes(plan: SqlPlan): string {
  const { d, by, scale } = plan;
  const g = by === null ? "" : "group_key, ";
  const partition = by === null ? "" : "PARTITION BY group_key";
  const sum = d.exactSum;
  let bins: string;
  if (scale === "logit") {
    bins = `xent_bins AS (
  SELECT ${g}positive, negative,
    CASE WHEN score_key < -64 THEN 0 WHEN score_key >= 64 THEN ${LAST_BIN} ELSE 1 + FLOOR((score_key + 64) * 256) END AS bin
  FROM xent_per_score
  WHERE distinct_scores > ${MAX_DISTINCT}
)`;
  } else {
    const steps = [32, 16, 8, 4, 2, 1];
    const ctes = [
      `xent_m0 AS (
  SELECT ${g}positive, negative,
    CASE WHEN score_key <= 0.5 THEN 0 ELSE 1 END AS upper_side,
    (CASE WHEN score_key <= 0.5 THEN score_key ELSE 1 - score_key END) * 4294967296 * 4294967296 AS m0
  FROM xent_per_score
  WHERE distinct_scores > ${MAX_DISTINCT}
)`,
    ];
    steps.forEach((k, i) => {
      const p = 2 ** k;
      ctes.push(`xent_m${i + 1} AS (
  SELECT *, CASE WHEN m${i} >= ${p} THEN m${i} / ${p} ELSE m${i} END AS m${i + 1}, CASE WHEN m${i} >= ${p} THEN ${k} ELSE 0 END AS e${i + 1}
  FROM xent_m${i}
)`);
    });
    const exponent = steps.map((_, i) => `e${i + 1}`).join(" + ");
    const side = `CASE WHEN m0 < 1 THEN 0 ELSE 1 + (${exponent}) * 256 + FLOOR(m6 * 256) - 256 END`;
    ctes.push(`xent_bins AS (
  SELECT ${g}positive, negative,
    CASE WHEN upper_side = 0 THEN ${side} ELSE ${LAST_BIN} - (${side}) END AS bin
  FROM xent_m6
)`);
    bins = ctes.join(",\n");
  }
  return `xent_scores AS (
  SELECT ${g}CASE WHEN s = 0 THEN ${toDouble(d, "0")} ELSE s END AS score_key, y, w
  FROM xent_terms
  WHERE ok = 1
),
xent_per_score AS (
  SELECT ${g}score_key,
    ${sum("CASE WHEN y = 1 THEN w ELSE 0 END")} AS positive,
    ${sum("CASE WHEN y = 0 THEN w ELSE 0 END")} AS negative,
    COUNT(*) OVER (${partition}) AS distinct_scores
  FROM xent_scores
  GROUP BY ${g}score_key
),
${bins},
xent_roc AS (
  SELECT ${g}'exact' AS mode, score_key, positive, negative
  FROM xent_per_score
  WHERE distinct_scores <= ${MAX_DISTINCT}
  UNION ALL
  SELECT ${g}'histogram' AS mode, ${toDouble(d, "bin")} AS score_key, ${sum("positive")} AS positive, ${sum("negative")} AS negative
  FROM xent_bins
  GROUP BY ${g}bin
)`;
}

/** @internal The ROC AUC query (columns documented on `LogLossSqlQueries.rocAuc`). */
export function buildRocAucQuery(plan: SqlPlan): string {
  return `WITH ${scoredRowsCtes(plan)},
${rocAucCtes(plan)}
SELECT *
FROM xent_roc
ORDER BY ${plan.by === null ? "" : "group_key, "}mode, score_key
`;
}
