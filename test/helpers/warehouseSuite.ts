// The warehouse tests, one suite per real engine (test/warehouse.duckdb.test.ts, test/warehouse.postgres.test.ts):
// xent's generated SQL (logLossSql) run on 1M rows with saturated logits, compared with xent's own evaluation
// of the same rows; the state query's exported rows merged into an xent state (AUC bit-identical); the naive
// and clipped queries shown failing on the same rows; an infinite loss reported.
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BinaryEvaluation, type BinaryMetrics, logLossSql, stateFromSqlRows } from "xent";
import { main } from "../../src/cli/main.js";
import { clippedLogLossSql, naiveLogLossSql, type ScoreForm } from "./naiveLogLossSql.js";
import { type ResultRow, type WarehouseEngine } from "./warehouseEngines.js";
import { GROUPS, infiniteLossRows, type WarehouseRows, warehouseRows, writeWarehouseCsv } from "./warehouseRows.js";

/** The size of the main table, `preds`: a million rows, generated and loaded on every test run. */
export const WAREHOUSE_TEST_ROWS = 1_000_000;

/** Relative tolerance of the log loss (the bar) and the Brier score against xent's own figures. */
const TOLERANCE = 1e-14;

/** Options of a suite. */
export interface WarehouseSuiteOptions {
  /**
   * When set, the weighted and the grouped cases and the state queries run on a second table of this many rows
   * (`preds_small`, generated the same way, its AUC still in histogram mode) instead of the million: for
   * PostgreSQL, whose run of xent's query on a million rows takes 5 to 25 s on the loaded 2-core machine. The
   * unweighted, ungrouped metrics and the naive queries always run on the million.
   */
  smallRows?: number;
  /** Also export the state query through the engine's command-line client (`exportCsvByClient`) and merge it. */
  clientExport?: boolean;
  /**
   * A known bug of the generated queries on this engine: their sums are not exact (PostgreSQL's
   * `CAST(x AS NUMERIC)` keeps 15 significant digits of a double). The "exact sums" test is then marked
   * `test.fails`: it passes while the bug is there and fails, as a reminder to drop this flag, once fixed.
   */
  knownInexactSums?: boolean;
}

interface Case {
  form: ScoreForm;
  weighted: boolean;
  by: boolean;
}
const CASES: Case[] = [];
for (const form of ["prob", "logit"] as const) {
  for (const weighted of [false, true]) for (const by of [false, true]) CASES.push({ form, weighted, by });
}

function caseName(c: Case): string {
  return `${c.form}${c.weighted ? ", weighted" : ""}${c.by ? ", by grp" : ""}`;
}

/** xent's evaluation of the rows (of one group, or all): the reference. */
function evaluate(rows: WarehouseRows, form: ScoreForm, weighted: boolean, group?: number): BinaryEvaluation {
  const e = new BinaryEvaluation(form === "prob" ? "probability" : "logit");
  const scores = form === "prob" ? rows.prob : rows.logit;
  if (group === undefined) return e.add(rows.label, scores, weighted ? rows.weight : undefined);
  const pick = (a: Float64Array): Float64Array => a.filter((_, i) => rows.grp[i] === group);
  return e.add(pick(rows.label), pick(scores), weighted ? pick(rows.weight) : undefined);
}

function relativeError(got: number, want: number): number {
  return got === want ? 0 : Math.abs(got - want) / Math.abs(want);
}

/** Checks one row of the metrics query against xent's figures of the same rows. */
function expectMetricsRow(row: ResultRow, want: BinaryMetrics, what: string): void {
  const got = (k: string): number => {
    const v = row[k];
    if (typeof v !== "number") throw new Error(`${what}: column ${k} is ${JSON.stringify(v)}, not a number`);
    return v;
  };
  expect(got("row_count"), `${what}: row_count`).toBe(want.rows);
  expect(got("invalid_count"), `${what}: invalid_count`).toBe(0);
  expect(got("infinite_loss_count"), `${what}: infinite_loss_count`).toBe(0);
  expect(relativeError(got("weight"), want.weight), `${what}: weight ${got("weight")} vs ${want.weight}`).toBeLessThanOrEqual(1e-15);
  expect(relativeError(got("log_loss"), want.logLoss!), `${what}: log_loss ${got("log_loss")} vs xent ${want.logLoss}`).toBeLessThanOrEqual(
    TOLERANCE,
  );
  expect(relativeError(got("brier"), want.brier!), `${what}: brier ${got("brier")} vs xent ${want.brier}`).toBeLessThanOrEqual(TOLERANCE);
  expect(relativeError(got("accuracy"), want.accuracy!), `${what}: accuracy ${got("accuracy")} vs xent ${want.accuracy}`).toBeLessThanOrEqual(1e-15);
  expect(got("positive_count") + got("negative_count"), `${what}: positive_count + negative_count`).toBe(want.rows);
}

/** Checks the figures `xent merge --sql-rows` printed (JSON) against xent's own: the AUC bit for bit. */
function expectMergedFigures(got: Record<string, unknown>, want: BinaryMetrics, what: string): void {
  expect(got.rows, `${what}: rows`).toBe(want.rows);
  expect(got.weight, `${what}: weight`).toBe(want.weight);
  expect(relativeError(got.logLoss as number, want.logLoss!), `${what}: logLoss ${String(got.logLoss)} vs ${want.logLoss}`).toBeLessThanOrEqual(
    TOLERANCE,
  );
  expect(relativeError(got.brier as number, want.brier!), `${what}: brier`).toBeLessThanOrEqual(TOLERANCE);
  expect(got.accuracy, `${what}: accuracy`).toBe(want.accuracy);
  expect(got.rocAuc, `${what}: rocAuc`).toBe(want.rocAuc);
  expect(got.rocAucErrorBound, `${what}: rocAucErrorBound`).toBe(want.rocAucErrorBound);
}

/** Runs `xent merge ...args --json` in process. */
async function xentMerge(args: string[]): Promise<Record<string, unknown>> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) } };
  const code = await main(["merge", ...args, "--json"], io);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** One row per group, label 0, probabilities with 16 to 17 significant digits. */
function singleRowGroups(): WarehouseRows {
  const prob = Float64Array.from([1 / 3, 2 / 3, 0.1234567890123456, 1 / 7]);
  return {
    n: 4,
    label: new Float64Array(4),
    prob,
    logit: prob.map((p) => Math.log(p / (1 - p))),
    weight: new Float64Array(4).fill(1),
    grp: Uint8Array.from([0, 1, 2, 3]),
    hard: 0,
  };
}

/** Defines the suite for one engine (inside the caller's describe). */
export function warehouseSuite(open: () => Promise<WarehouseEngine>, options: WarehouseSuiteOptions = {}): void {
  let engine: WarehouseEngine | null = null;
  const tables: Record<string, WarehouseRows> = {};
  const references = new Map<string, BinaryMetrics>();
  /** xent's figures of a table's rows (all, or group g), cached: the same references serve several tests. */
  const reference = (table: string, form: ScoreForm, weighted: boolean, group?: number): BinaryMetrics => {
    const key = `${table} ${form} ${weighted} ${group}`;
    let m = references.get(key);
    if (m === undefined) references.set(key, (m = evaluate(tables[table]!, form, weighted, group).metrics()));
    return m;
  };
  const tableFor = (c: Case): string => (options.smallRows !== undefined && (c.weighted || c.by) ? "preds_small" : "preds");

  const db = (): WarehouseEngine => {
    if (engine === null) throw new Error("the engine did not start (see beforeAll's error)");
    return engine;
  };

  beforeAll(async () => {
    engine = await open();
    tables.preds = warehouseRows(WAREHOUSE_TEST_ROWS);
    tables.inf = infiniteLossRows();
    tables.single = singleRowGroups();
    if (options.smallRows !== undefined) tables.preds_small = warehouseRows(options.smallRows, 99);
    for (const [name, rows] of Object.entries(tables)) {
      const csv = join(db().dir, `${name}.csv`);
      writeWarehouseCsv(csv, rows);
      await db().load(name, csv);
    }
  }, 240_000);

  afterAll(async () => {
    await engine?.close();
  });

  test(`the rows: ${WAREHOUSE_TEST_ROWS} loaded, 0.12% saturated, and xent eval agrees with the references`, async () => {
    const rows = tables.preds!;
    const [count] = await db().query("SELECT count(*) AS n FROM preds");
    expect(Number(count?.n)).toBe(WAREHOUSE_TEST_ROWS);
    expect(rows.hard / rows.n).toBeGreaterThan(0.001);
    expect(rows.hard / rows.n).toBeLessThan(0.0014);
    // The references are BinaryEvaluation's; `xent eval` on the same CSV gives the same bits.
    let stdout = "";
    const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => (process.stderr.write(s), true) } };
    const code = await main(["eval", join(db().dir, "preds.csv"), "--label", "label", "--logit", "logit", "--weight", "weight", "--json"], io);
    expect(code).toBe(0);
    const cli = JSON.parse(stdout) as BinaryMetrics;
    const want = reference("preds", "logit", true);
    expect(cli.logLoss).toBe(want.logLoss);
    expect(cli.brier).toBe(want.brier);
    expect(cli.accuracy).toBe(want.accuracy);
    expect(cli.rocAuc).toBe(want.rocAuc);
  }, 120_000);

  for (const c of CASES) {
    const table = tableFor(c);
    const size = table === "preds" ? `${WAREHOUSE_TEST_ROWS}` : `${options.smallRows}`;
    test(`metrics query on ${size} rows, ${caseName(c)}: log loss within 1e-14 of xent, Brier, accuracy, counts`, async () => {
      const sql = logLossSql({
        dialect: db().dialect,
        table,
        label: "label",
        [c.form]: c.form,
        ...(c.weighted ? { weight: "weight" } : {}),
        ...(c.by ? { by: "grp" } : {}),
      }).metrics;
      const result = await db().query(sql);
      if (!c.by) {
        expect(result).toHaveLength(1);
        expectMetricsRow(result[0]!, reference(table, c.form, c.weighted), caseName(c));
        return;
      }
      expect(result.map((r) => r.group_key).sort()).toEqual([...GROUPS]);
      for (const row of result) {
        const g = GROUPS.indexOf(row.group_key as (typeof GROUPS)[number]);
        expectMetricsRow(row, reference(table, c.form, c.weighted, g), `${caseName(c)}, group ${String(row.group_key)}`);
      }
    }, 120_000);
  }

  // The AUC path: the state query's result exported by the engine (COPY ... TO CSV), `xent merge --sql-rows`.
  const stateCases: Case[] = [
    { form: "logit", weighted: false, by: false },
    { form: "prob", weighted: false, by: true },
  ];
  for (const c of stateCases) {
    const table = options.smallRows !== undefined ? "preds_small" : "preds";
    const size = table === "preds" ? `${WAREHOUSE_TEST_ROWS}` : `${options.smallRows}`;
    test(`state query on ${size} rows, ${caseName(c)}: xent merge --sql-rows gives xent's AUC and error bound bit for bit`, async () => {
      const sql = logLossSql({ dialect: db().dialect, table, label: "label", [c.form]: c.form, ...(c.by ? { by: "grp" } : {}) }).state;
      const csv = join(db().dir, `state-${c.form}.csv`);
      await db().exportCsv(sql, csv);
      const got = await xentMerge(["--sql-rows", csv]);
      const want = reference(table, c.form, false);
      expect(want.rocAucErrorBound, "the AUC is in histogram mode (more than 65536 distinct scores)").toBeGreaterThan(0);
      expectMergedFigures(got, want, caseName(c));
      // The library path: the rows as the driver returns them, stateFromSqlRows, BinaryEvaluation.fromJSON.
      const state = stateFromSqlRows(await db().query(sql), "driver rows");
      const fromRows = BinaryEvaluation.fromJSON(state.total).metrics();
      expect(fromRows.rocAuc, "stateFromSqlRows: rocAuc").toBe(want.rocAuc);
      expect(fromRows.rocAucErrorBound, "stateFromSqlRows: rocAucErrorBound").toBe(want.rocAucErrorBound);
      // Not to the bit: this is a second run of the query, and DuckDB's fsum (compensated, not exact) combines
      // its parallel partial sums in varying order, so loss_sum moves by an ulp between runs (measured:
      // 378483.4738661981 and 378483.47386619804 on these rows); the total of --by groups depends on their order.
      const ulp = 2 ** (Math.floor(Math.log2(want.logLoss!)) - 52);
      expect(Math.abs(fromRows.logLoss! - (got.logLoss as number)), "stateFromSqlRows: the CSV's state").toBeLessThanOrEqual(2 * ulp);
      if (c.by) {
        const groups = got.groups as Record<string, unknown>[];
        expect(groups.map((g) => g.group)).toEqual([...GROUPS]);
        groups.forEach((g, i) => expectMergedFigures(g, reference(table, c.form, false, i), `${caseName(c)}, group ${GROUPS[i]}`));
      }
    }, 120_000);
  }

  test.runIf(options.clientExport === true)(
    "state query exported by the command-line client (psql --csv), merged by xent merge --sql-rows: the same figures",
    async () => {
      const table = options.smallRows !== undefined ? "preds_small" : "preds";
      const sql = logLossSql({ dialect: db().dialect, table, label: "label", logit: "logit", weight: "weight" }).state;
      const csv = join(db().dir, "state-client.csv");
      await db().exportCsvByClient!(sql, csv);
      const got = await xentMerge(["--sql-rows", csv]);
      const want = reference(table, "logit", true);
      // Weighted (3-decimal weights): the AUC to the rounding of the per-bin weight sums, the rest as above.
      expect(got.rows).toBe(want.rows);
      expect(relativeError(got.weight as number, want.weight)).toBeLessThanOrEqual(1e-15);
      expect(relativeError(got.logLoss as number, want.logLoss!)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(got.brier as number, want.brier!)).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(got.accuracy as number, want.accuracy!)).toBeLessThanOrEqual(1e-15);
      expect(relativeError(got.rocAuc as number, want.rocAuc!)).toBeLessThanOrEqual(1e-14);
      expect(relativeError(got.rocAucErrorBound as number, want.rocAucErrorBound!)).toBeLessThanOrEqual(1e-12);
    },
    120_000,
  );

  // One row per group: each group's sum is one term, so exact sums give the term itself. The Brier term
  // (p - y)^2 is one correctly rounded multiplication in SQL and in xent alike, so the result must be xent's
  // to the bit; with 17-digit probabilities (1/3, ...) a sum that rounds its terms to 15 digits is not.
  (options.knownInexactSums === true ? test.fails : test)(
    "exact sums: one row per group gives xent's Brier term to the bit (17 significant digits)",
    async () => {
      const got = await db().query(logLossSql({ dialect: db().dialect, table: "single", label: "label", prob: "prob", by: "grp" }).metrics);
      for (const row of got) {
        const g = GROUPS.indexOf(row.group_key as (typeof GROUPS)[number]);
        const want = evaluate(tables.single!, "prob", false, g).metrics();
        expect(row.row_count).toBe(1);
        expect(row.brier, `group ${String(row.group_key)}`).toBe(want.brier);
      }
      expect(got).toHaveLength(GROUPS.length);
    },
    60_000,
  );

  test("an infinite true loss is reported as Infinity and counted, for probabilities and logits", async () => {
    const inf = tables.inf!;
    for (const form of ["prob", "logit"] as const) {
      expect(evaluate(inf, form, false).metrics().logLoss).toBe(Infinity);
      const [row] = await db().query(logLossSql({ dialect: db().dialect, table: "inf", label: "label", [form]: form }).metrics);
      expect(row?.log_loss, form).toBe(Infinity);
      expect(row?.infinite_loss_count, form).toBe(1);
      expect(row?.row_count, form).toBe(inf.n);
    }
  }, 60_000);

  test(`the usual queries on the ${WAREHOUSE_TEST_ROWS} rows: the naive form raises, the clipped one is several % low`, async () => {
    const dialect = db().dialect;
    for (const form of ["prob", "logit"] as const) {
      const want = reference("preds", form, false).logLoss!;
      // ln(0): p = 0 or 1 exactly in the data, or 1 / (1 + exp(-s)) rounding to 1 (s >= 37) or to 0 (s <= -745);
      // PostgreSQL raises on exp(800) (overflow) or exp(-800) (underflow) before that.
      const naiveError = dialect === "postgres" && form === "logit" ? /underflow|overflow/ : /logarithm of zero/;
      await expect(db().query(naiveLogLossSql(form, "preds")), `naive ${form}`).rejects.toThrow(naiveError);
      if (dialect === "postgres" && form === "logit") {
        await expect(db().query(clippedLogLossSql(form, "preds")), `clipped ${form}`).rejects.toThrow(/underflow|overflow/);
        continue;
      }
      const [row] = await db().query(clippedLogLossSql(form, "preds"));
      const clipped = Number(row?.log_loss);
      // Each confidently wrong row counts -ln(1e-15) = 34.5 instead of 36.7 to 800.
      expect((want - clipped) / want, `clipped ${form}: ${clipped} vs ${want}`).toBeGreaterThan(0.01);
    }
  }, 120_000);
}
