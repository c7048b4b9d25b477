import { BinaryEvaluation } from "../core/metrics/binaryEvaluation.js";
import { encodeNumber } from "../core/metrics/stateJson.js";
import { MAX_DISTINCT } from "./rocAucQuery.js";

/** One result row of the state query, as a CSV reader (strings) or a JSON Lines reader (values) gives it. */
export type SqlResultRow = Record<string, unknown>;

/** The evaluation state built from the rows: the JSON that `xent eval --state-out` writes. */
export interface SqlRowsState {
  format: "xent-eval-state";
  version: 1;
  kind: "binary";
  scale: "probability" | "logit";
  by: string | null;
  files: string[];
  skipped: Record<string, number>;
  total: unknown;
  groups: Record<string, unknown> | null;
}

/** The `skipped` reason under which the state records the rows the query left out (`invalid_count`). */
export const SQL_INVALID_REASON = "invalid row (label, score or weight; counted by the SQL query)";

/**
 * A number of the result: a JSON number, or the text an engine writes for a double ("0.25", "1.0E-5",
 * "inf", "-Infinity", ...). An empty text or NULL is null. Anything else throws a RangeError naming `what`.
 */
export function sqlNumber(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "string") throw new RangeError(`${what} = ${JSON.stringify(v)} is not a number`);
  const t = v.trim();
  if (t === "") return null;
  if (/^[+]?inf(inity)?$/i.test(t)) return Infinity;
  if (/^-inf(inity)?$/i.test(t)) return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new RangeError(`${what} = ${JSON.stringify(v)} is not a number`);
  return Number(t);
}

const SUM_COLUMNS = ["row_count", "weight", "loss_sum", "infinite_loss_count", "brier_sum", "correct_weight", "invalid_count"];

interface GroupRows {
  sums: SqlResultRow | null;
  mode: "exact" | "histogram" | null;
  keys: number[];
  positive: number[];
  negative: number[];
}

/**
 * Builds the xent evaluation state from the rows of `logLossSql(...).state` (any order; the rows of several
 * runs of the query on disjoint shards may be concatenated only if they are merged as separate files).
 * Per group: the sums row gives rows, weight, loss (Infinity when `infinite_loss_count` > 0), brier and
 * correct; the "exact" or "histogram" rows give the ROC AUC accumulator (maxDistinct 65536). The total is
 * the merge of the groups (exact as long as the per-score weight sums are: integer weights). A NULL group
 * value is the group "" (as an empty field of `xent eval --by`). Malformed rows
 * throw a RangeError naming the row (1-based, as `where(i)` describes it) and the column.
 */
export function stateFromSqlRows(rows: readonly SqlResultRow[], file: string, where: (i: number) => string = (i) => `row ${i + 1}`): SqlRowsState {
  let scale: "probability" | "logit" | null = null;
  let labels: string | null = null;
  let by: string | null | undefined;
  const groups = new Map<string, GroupRows>();
  rows.forEach((row, i) => {
    const at = where(i);
    const text = (name: string): string | null => {
      const v = row[name];
      return v === null || v === undefined ? null : String(v);
    };
    const num = (name: string): number => {
      const x = sqlNumber(row[name], `${at}: ${name}`);
      if (x === null || x !== x) throw new RangeError(`${at}: ${name} is ${x === null ? "empty" : "NaN"}`);
      return x;
    };
    const s = text("scale");
    if (s !== "probability" && s !== "logit")
      throw new RangeError(`${at}: scale = ${JSON.stringify(s)} is not "probability" or "logit" (not a row of the state query?)`);
    if (scale !== null && s !== scale) throw new RangeError(`${at}: scale ${s} differs from the first row's ${scale}`);
    scale = s;
    const l = text("labels") ?? "01";
    if (labels !== null && l !== labels) throw new RangeError(`${at}: labels ${l} differs from the first row's ${labels}`);
    labels = l;
    const b = "by_column" in row ? text("by_column") : null;
    if (by !== undefined && b !== by)
      throw new RangeError(`${at}: by_column ${JSON.stringify(b)} differs from the first row's ${JSON.stringify(by)}`);
    by = b;
    const key = b === null ? "" : (text("group_key") ?? "");
    let g = groups.get(key);
    if (g === undefined) {
      g = { sums: null, mode: null, keys: [], positive: [], negative: [] };
      groups.set(key, g);
    }
    const kind = text("row_kind");
    if (kind === "sums") {
      if (g.sums !== null) throw new RangeError(`${at}: a second sums row for group ${JSON.stringify(key)}`);
      g.sums = row;
      // A sum over no rows is NULL in SQL (an empty table or group): read as 0 below.
      for (const c of SUM_COLUMNS) if (sqlNumber(row[c], `${at}: ${c}`) !== null) num(c);
    } else if (kind === "exact" || kind === "histogram") {
      if (g.mode !== null && g.mode !== kind) throw new RangeError(`${at}: group ${JSON.stringify(key)} has both exact and histogram rows`);
      g.mode = kind;
      g.keys.push(num("score_key"));
      g.positive.push(num("positive"));
      g.negative.push(num("negative"));
    } else throw new RangeError(`${at}: row_kind = ${JSON.stringify(kind)} is not "sums", "exact" or "histogram"`);
  });
  if (scale === null) throw new RangeError(`${file}: no rows`);
  let invalid = 0;
  const evaluations: [string, BinaryEvaluation][] = [];
  for (const [key, g] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const name = by === null ? "the table" : `group ${JSON.stringify(key)}`;
    if (g.sums === null) throw new RangeError(`${file}: no sums row for ${name}`);
    const n = (c: string) => sqlNumber(g.sums![c], `${file}: ${name}: ${c}`) ?? 0;
    invalid += n("invalid_count");
    const rowCount = n("row_count");
    const state = {
      kind: "binary",
      scale,
      ...(labels === "pm1" ? { labels: "pm1" } : {}),
      rows: rowCount,
      weight: [encodeNumber(n("weight")), 0],
      loss: [encodeNumber(n("infinite_loss_count") > 0 ? Infinity : n("loss_sum")), 0],
      brier: [encodeNumber(n("brier_sum")), 0],
      correct: [encodeNumber(n("correct_weight")), 0],
      rocAuc: {
        mode: g.mode ?? "exact",
        scale,
        maxDistinct: MAX_DISTINCT,
        keys: g.keys.map(encodeNumber),
        positive: g.positive,
        negative: g.negative,
      },
    };
    try {
      evaluations.push([key, BinaryEvaluation.fromJSON(state, name)]);
    } catch (e) {
      throw new RangeError(`${file}: ${(e as Error).message}`);
    }
  }
  const total = new BinaryEvaluation(scale, labels === "pm1" ? { labels: "pm1" } : {});
  for (const [, e] of evaluations) total.merge(e);
  return {
    format: "xent-eval-state",
    version: 1,
    kind: "binary",
    scale,
    by: by ?? null,
    files: [file],
    skipped: invalid > 0 ? { [SQL_INVALID_REASON]: invalid } : {},
    total: total.toJSON(),
    groups: by === null || by === undefined ? null : Object.fromEntries(evaluations.map(([k, e]) => [k, e.toJSON()])),
  };
}
