import { DIALECTS, type DialectSpec } from "./dialects.js";
import { identifier, tableReference } from "./identifiers.js";
import { type LogLossSqlOptions, SQL_DIALECTS } from "./logLossSql.js";

/** @internal The options of `logLossSql`, checked and rendered as SQL fragments. */
export interface SqlPlan {
  d: DialectSpec;
  /** The FROM item. */
  from: string;
  label: string;
  score: string;
  scale: "probability" | "logit";
  weight: string | null;
  by: string | null;
  /** The by column's name as given (for the state's `by`). */
  byName: string | null;
  labels: "01" | "pm1";
}

const KNOWN = ["dialect", "table", "label", "prob", "logit", "weight", "by", "labels"];

/** @internal Checks `logLossSql`'s options: a TypeError or RangeError naming the option. */
export function checkLogLossSqlOptions(options: LogLossSqlOptions): SqlPlan {
  if (options === null || typeof options !== "object") throw new TypeError("logLossSql: options is not an object");
  for (const k of Object.keys(options)) {
    if (!KNOWN.includes(k)) throw new RangeError(`logLossSql: unknown option ${JSON.stringify(k)} (options: ${KNOWN.join(", ")})`);
  }
  const dialect = options.dialect;
  if (!(SQL_DIALECTS as readonly unknown[]).includes(dialect)) {
    throw new RangeError(`logLossSql: options.dialect = ${JSON.stringify(dialect)} is not one of ${SQL_DIALECTS.join(", ")}`);
  }
  const d = DIALECTS[dialect];
  const hasProb = options.prob !== undefined;
  const hasLogit = options.logit !== undefined;
  if (hasProb === hasLogit) throw new RangeError("logLossSql: give exactly one of options.prob and options.logit");
  const labels = options.labels ?? "01";
  if (labels !== "01" && labels !== "pm1") throw new RangeError(`logLossSql: options.labels = ${JSON.stringify(labels)} is not "01" or "pm1"`);
  return {
    d,
    from: tableReference(d, options.table),
    label: identifier(d, options.label, "options.label"),
    score: hasProb ? identifier(d, options.prob!, "options.prob") : identifier(d, options.logit!, "options.logit"),
    scale: hasProb ? "probability" : "logit",
    weight: options.weight === undefined ? null : identifier(d, options.weight, "options.weight"),
    by: options.by === undefined ? null : identifier(d, options.by, "options.by"),
    byName: options.by ?? null,
    labels,
  };
}
