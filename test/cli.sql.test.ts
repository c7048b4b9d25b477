// `xent sql` (prints the queries) and `xent merge --sql-rows` (reads their exported result): usage, help,
// errors with their exit codes. The queries themselves are run in sql.duckdb.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { logLossSql } from "xent";
import { tempDir, xentInProcess } from "./cliHelpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("xent sql", () => {
  it("prints the metrics query of logLossSql", async () => {
    const r = await xentInProcess([
      "sql",
      "--dialect",
      "trino",
      "--table",
      "hive.ml.preds",
      "--label",
      "y",
      "--logit",
      "s",
      "--weight",
      "w",
      "--by",
      "g",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(logLossSql({ dialect: "trino", table: "hive.ml.preds", label: "y", logit: "s", weight: "w", by: "g" }).metrics);
  });

  it("--auc adds the ROC AUC query, --state prints the state query", async () => {
    const q = logLossSql({ dialect: "snowflake", table: "preds", label: "y", prob: "p", labels: "pm1" });
    const both = await xentInProcess([
      "sql",
      "--dialect",
      "snowflake",
      "--table",
      "preds",
      "--label",
      "y",
      "--prob",
      "p",
      "--labels",
      "pm1",
      "--auc",
    ]);
    expect(both.code).toBe(0);
    expect(both.stdout).toBe(`-- xent sql: metrics\n${q.metrics.trimEnd()};\n\n-- xent sql: ROC AUC bins\n${q.rocAuc.trimEnd()};\n`);
    const state = await xentInProcess([
      "sql",
      "--dialect",
      "snowflake",
      "--table",
      "preds",
      "--label",
      "y",
      "--prob",
      "p",
      "--labels",
      "pm1",
      "--state",
    ]);
    expect(state.stdout).toBe(q.state);
  });

  it("--help shows the options and examples", async () => {
    const r = await xentInProcess(["sql", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--dialect NAME\s+the engine: duckdb, postgres, spark, bigquery, trino, snowflake/);
    expect(r.stdout).toMatch(/Examples:\n {2}xent sql --dialect duckdb/);
    expect((await xentInProcess(["--help"])).stdout).toMatch(/^ {2}sql\s+print SQL/m);
  });

  const usage: [string[], RegExp][] = [
    [["--table", "t", "--label", "y", "--prob", "p"], /--dialect is required/],
    [["--dialect", "mysql", "--table", "t", "--label", "y", "--prob", "p"], /--dialect "mysql" is not one of duckdb/],
    [["--dialect", "duckdb", "--label", "y", "--prob", "p"], /--table is required/],
    [["--dialect", "duckdb", "--table", "t", "--prob", "p"], /--label COLUMN is required/],
    [["--dialect", "duckdb", "--table", "t", "--label", "y"], /exactly one of --prob and --logit/],
    [["--dialect", "duckdb", "--table", "t", "--label", "y", "--prob", "p", "--logit", "s"], /exactly one of --prob and --logit/],
    [["--dialect", "duckdb", "--table", "t", "--label", "y", "--prob", "p", "--labels", "auto"], /--labels "auto" is not 01 or pm1/],
    [["--dialect", "duckdb", "--table", "t", "--label", "y", "--prob", "p", "--auc", "--state"], /exclude each other/],
    [["--dialect", "duckdb", "--table", "t", "--label", "y'", "--prob", "p"], /--label = "y'" contains a quote/],
    [["--dialect", "duckdb", "--table", "(SELECT 1; DROP TABLE t)", "--label", "y", "--prob", "p"], /--table is a subquery but it contains ";"/],
    [["--dialect", "duckdb", "t", "--label", "y", "--prob", "p"], /unexpected argument "t"/],
  ];
  for (const [args, message] of usage) {
    it(`usage error (exit 2): ${args.join(" ")}`, async () => {
      const r = await xentInProcess(["sql", ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    });
  }
});

describe("xent merge --sql-rows", () => {
  const header =
    "row_kind,scale,labels,row_count,weight,loss_sum,infinite_loss_count,brier_sum,correct_weight,invalid_count,score_key,positive,negative";

  it("reads a CSV export: figures, AUC, skipped rows", async () => {
    const file = tmp.file(
      "rows.csv",
      `${header}\nsums,probability,01,3,3,0.9,0,0.3,2,1,,,\nexact,probability,01,,,,,,,,0.2,0,1\nexact,probability,01,,,,,,,,0.7,1,0\nexact,probability,01,,,,,,,,0.4,1,0\n`,
    );
    const r = await xentInProcess(["merge", "--sql-rows", file, "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out.rows).toBe(3);
    expect(out.logLoss).toBe(0.3);
    expect(out.accuracy).toBe(2 / 3);
    expect(out.rocAuc).toBe(1);
    expect(out.skipped.total).toBe(1);
  });

  it("reads JSON Lines with bare Infinity, and an infinite loss count makes the log loss Infinity", async () => {
    const file = tmp.file(
      "rows.json",
      [
        `{"ROW_KIND":"sums","SCALE":"logit","labels":"01","row_count":2,"weight":2,"loss_sum":0.5,"infinite_loss_count":1,"brier_sum":1,"correct_weight":1,"invalid_count":0,"score_key":null,"positive":null,"negative":null}`,
        `{"row_kind":"exact","scale":"logit","labels":"01","row_count":null,"weight":null,"loss_sum":null,"infinite_loss_count":null,"brier_sum":null,"correct_weight":null,"invalid_count":null,"score_key":-Infinity,"positive":1,"negative":0}`,
        `{"row_kind":"exact","scale":"logit","labels":"01","row_count":null,"weight":null,"loss_sum":null,"infinite_loss_count":null,"brier_sum":null,"correct_weight":null,"invalid_count":null,"score_key":"inf","positive":0,"negative":1}`,
      ].join("\n"),
    );
    const r = await xentInProcess(["merge", "--sql-rows", file, "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out.logLoss).toBe(null); // --json: an infinite loss is null plus a flag
    expect(out.logLossInfinite).toBe(true);
    expect(out.rocAuc).toBe(0);
  });

  it("bad rows are input errors (exit 1) naming the file, line and column", async () => {
    const cases: [string, RegExp][] = [
      [`${header}\nsums,probability,01,3,3,abc,0,0.3,2,0,,,\n`, /bad\.csv:2: loss_sum = "abc" is not a number/],
      [`${header}\nexact,probability,01,,,,,,,,0.2,0,1\n`, /no sums row for the table/],
      [`${header}\nsums,other,01,3,3,1,0,0.3,2,0,,,\n`, /bad\.csv:2: scale = "other" is not "probability" or "logit"/],
      [`${header}\nsums,probability,01,3,3,1,0,0.3,2,0\n`, /bad\.csv:2:0: 10 fields, but the header has 13/],
      ["", /empty file/],
    ];
    for (const [text, message] of cases) {
      const r = await xentInProcess(["merge", "--sql-rows", tmp.file("bad.csv", text)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("needs a state file or --sql-rows (exit 2)", async () => {
    const r = await xentInProcess(["merge"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/or --sql-rows FILE/);
  });
});
