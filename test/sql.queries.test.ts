// The generated SQL as text: every function it calls is in its dialect's documented allow-list (dialects.ts),
// the queries of the engines not run here (Spark, BigQuery, Trino, Snowflake) and the others match golden files
// (XENT_UPDATE_GOLDEN=1 rewrites them), and bad options are refused with a message naming the option.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logLossSql, type LogLossSqlOptions, SQL_DIALECTS } from "xent";
import { DIALECTS } from "../src/sql/dialects.js";

const fixtures = join(import.meta.dirname, "fixtures", "sql");
const update = process.env.XENT_UPDATE_GOLDEN === "1";

/** Every option combination: scale, weight, by, label convention. */
function combinations(dialect: (typeof SQL_DIALECTS)[number]): LogLossSqlOptions[] {
  const out: LogLossSqlOptions[] = [];
  for (const score of [{ prob: "p" }, { logit: "s" }])
    for (const weight of [{}, { weight: "w" }])
      for (const by of [{}, { by: "g" }])
        for (const labels of [{}, { labels: "pm1" as const }])
          out.push({ dialect, table: "preds", label: "y", ...score, ...weight, ...by, ...labels });
  return out;
}

/** The function calls of a query: a name directly followed by "(" (the builders write keywords with a space). */
function calls(sql: string): Set<string> {
  const withoutStrings = sql.replace(/'[^']*'/g, "''");
  return new Set([...withoutStrings.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => m[1]!.toUpperCase()));
}

describe("logLossSql: functions", () => {
  for (const dialect of SQL_DIALECTS) {
    it(`${dialect}: every call is in the dialect's documented list`, () => {
      const allowed = new Set(DIALECTS[dialect].functions.map((f) => f.name));
      const used = new Set<string>();
      for (const options of combinations(dialect)) {
        const q = logLossSql(options);
        for (const sql of [q.metrics, q.rocAuc, q.state]) for (const f of calls(sql)) used.add(f);
      }
      expect([...used].filter((f) => !allowed.has(f))).toEqual([]);
      // The list is not padded: every listed function is used, and has a documentation address.
      expect([...allowed].filter((f) => !used.has(f))).toEqual([]);
      for (const f of DIALECTS[dialect].functions) expect(f.url).toMatch(/^https:\/\//);
    });
  }

  it("only Spark gets LOG1P; the others use LN (Kahan's log1p)", () => {
    for (const dialect of SQL_DIALECTS) {
      const q = logLossSql({ dialect, table: "t", label: "y", logit: "s" }).metrics;
      expect(calls(q).has("LOG1P")).toBe(dialect === "spark");
    }
  });

  it("the extractor sees calls (it can fail)", () => {
    expect([...calls("SELECT GREATEST(a, b), x AS (y) FROM t WHERE f ('x(')")]).toEqual(["GREATEST"]);
  });
});

describe("logLossSql: golden queries", () => {
  const goldens: [string, LogLossSqlOptions][] = [];
  for (const dialect of SQL_DIALECTS) {
    goldens.push([`${dialect}.logit-weight-by.sql`, { dialect, table: "analytics.preds", label: "y", logit: "score", weight: "w", by: "country" }]);
    goldens.push([`${dialect}.prob.sql`, { dialect, table: "preds", label: "label", prob: "p" }]);
  }
  for (const [file, options] of goldens) {
    it(file, () => {
      const q = logLossSql(options);
      const text = `-- ${JSON.stringify(options)}\n-- metrics\n${q.metrics}\n-- rocAuc\n${q.rocAuc}\n-- state\n${q.state}`;
      const path = join(fixtures, file);
      if (update) writeFileSync(path, text);
      expect(text).toBe(readFileSync(path, "utf8"));
    });
  }
});

describe("logLossSql: identifiers and options", () => {
  it("quotes what needs quoting, per dialect", () => {
    const q = (dialect: (typeof SQL_DIALECTS)[number], table: string, label: string) => logLossSql({ dialect, table, label, prob: "p" }).metrics;
    expect(q("duckdb", "my schema.t", "Label")).toContain('FROM "my schema".t');
    expect(q("duckdb", "t", "select")).toContain('"select" AS label_raw');
    expect(q("spark", "db.t", "order")).toContain("`order` AS label_raw");
    expect(q("bigquery", "my-project.ds.t", "y")).toContain("FROM `my-project`.ds.t");
    expect(q("snowflake", "DB.PUBLIC.PREDS", "Y")).toContain("FROM DB.PUBLIC.PREDS");
    expect(q("trino", "(SELECT y, p FROM t WHERE d = 'x;)')", "y")).toContain("FROM (SELECT y, p FROM t WHERE d = 'x;)') AS xent_source");
  });

  it("refuses bad options with a message naming the option", () => {
    const base = { dialect: "duckdb", table: "t", label: "y", prob: "p" } as LogLossSqlOptions;
    expect(() => logLossSql({ ...base, dialect: "mysql" as never })).toThrow(/options\.dialect = "mysql" is not one of duckdb, postgres/);
    expect(() => logLossSql({ ...base, logit: "s" })).toThrow(/exactly one of options\.prob and options\.logit/);
    expect(() => logLossSql({ dialect: "duckdb", table: "t", label: "y" })).toThrow(/exactly one/);
    expect(() => logLossSql({ ...base, label: 'y"; DROP TABLE t; --' })).toThrow(/options\.label = .* contains a quote/);
    expect(() => logLossSql({ ...base, weight: "" })).toThrow(/options\.weight = "" is not a non-empty string/);
    expect(() => logLossSql({ ...base, table: "(SELECT 1); DROP TABLE t; (SELECT 1)" })).toThrow(/subquery but it contains ";"|does not end/);
    expect(() => logLossSql({ ...base, table: "(SELECT (1)" })).toThrow(/are not all closed/);
    expect(() => logLossSql({ ...base, table: "a..b" })).toThrow(/options\.table \(part 2/);
    expect(() => logLossSql({ ...base, labels: "-1/1" as never })).toThrow(/options\.labels/);
    expect(() => logLossSql({ ...base, clip: 1e-15 } as never)).toThrow(/unknown option "clip"/);
  });
});
