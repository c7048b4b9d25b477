// logLossSql's DuckDB queries run for real (in process, @duckdb/node-api) on generated rows with hard points,
// compared with xent's own evaluation of the same rows: the library (BinaryEvaluation) for the metrics query,
// and `xent eval --json` against `xent merge --sql-rows` (the state query's exported rows) for the state path.
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinaryEvaluation, logLossSql, type LogLossSqlOptions, RocAucAccumulator } from "xent";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
let db: DuckDBInstance;
let c: DuckDBConnection;

interface Row {
  y: number;
  p: number;
  s: number;
  w: number;
  g: string;
}

/**
 * n rows; group "big" has full-precision scores (more than 65536 distinct: the histogram), group "small"
 * rounded ones (exact mode) when `rounded` is "small", every row when "all". Hard points: logits +-800,
 * +-40, 0; p exactly 0 (y = 0) and 1 (y = 1), 1e-300 (y = 1), 1 - 2^-53 (y = 0), 0.5; weights 0 to 3.
 */
function makeRows(n: number, seed: number, rounded: "small" | "all"): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % 3 === 0 ? "small" : "big";
    let y = r() < 0.4 ? 1 : 0;
    let s = (r() - 0.5) * 24 + (y === 1 ? 1.5 : -1.5);
    if (rounded === "all" || g === "small") s = Math.round(s * 100) / 100;
    let p = 1 / (1 + Math.exp(-s));
    if (rounded === "all" || g === "small") p = Math.min(0.999, Math.max(0.001, Math.round(p * 1000) / 1000));
    const w = Math.floor(r() * 4);
    if (i % 997 === 0) {
      const k = (i / 997) % 10;
      s = [800, -800, 40, -40, 0, 800, -800, 40, -40, 0][k]!;
      [y, p] = [
        [1, 1],
        [0, 0],
        [1, 1e-300],
        [0, 1 - 2 ** -53],
        [0, 0.5],
        [0, 0.999],
        [1, 0.001],
        [0, 1e-300],
        [1, 1 - 2 ** -53],
        [1, 0.5],
      ][k]! as [number, number];
    }
    rows.push({ y, p, s, w, g });
  }
  return rows;
}

async function load(table: string, rows: Row[], labelType = "INTEGER"): Promise<string> {
  const path = tmp.file(`${table}.csv`, "y,p,s,w,g\n" + rows.map((x) => `${x.y},${x.p},${x.s},${x.w},${x.g}`).join("\n") + "\n");
  await c.run(
    `CREATE TABLE ${table} AS SELECT * FROM read_csv('${path}', header = true, columns = {'y': '${labelType}', 'p': 'DOUBLE', 's': 'DOUBLE', 'w': 'DOUBLE', 'g': 'VARCHAR'})`,
  );
  return path;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

/** The library's evaluation of some rows (the reference for the metrics query). */
function evaluate(rows: Row[], scale: "probability" | "logit", weighted: boolean, labels: "01" | "pm1" = "01") {
  const e = new BinaryEvaluation(scale, { labels });
  e.add(
    rows.map((x) => x.y),
    rows.map((x) => (scale === "probability" ? x.p : x.s)),
    weighted ? rows.map((x) => x.w) : undefined,
  );
  return e.metrics();
}

function expectMetrics(got: Record<string, unknown>, rows: Row[], scale: "probability" | "logit", weighted: boolean, labels: "01" | "pm1" = "01") {
  const want = evaluate(rows, scale, weighted, labels);
  expect(Number(got.row_count)).toBe(want.rows);
  expect(got.weight).toBe(want.weight);
  expect(rel(got.log_loss as number, want.logLoss!)).toBeLessThanOrEqual(1e-14);
  expect(rel(got.brier as number, want.brier!)).toBeLessThanOrEqual(1e-14);
  expect(got.accuracy).toBe(want.accuracy);
  expect(Number(got.positive_count)).toBe(rows.filter((x) => x.y === 1).length);
  expect(Number(got.negative_count)).toBe(rows.filter((x) => x.y !== 1).length);
  expect(Number(got.infinite_loss_count)).toBe(0);
  expect(Number(got.invalid_count)).toBe(0);
}

/** Runs the state query, exports it as CSV and JSON Lines, merges each, and compares with `xent eval`. */
async function expectStatePath(name: string, csvPath: string, options: LogLossSqlOptions, evalArgs: string[]) {
  const q = logLossSql(options);
  const csv = `${tmp.dir}/${name}.rows.csv`;
  const jsonl = `${tmp.dir}/${name}.rows.json`;
  await c.run(`COPY (${q.state}) TO '${csv}' (HEADER)`);
  await c.run(`COPY (${q.state}) TO '${jsonl}'`);
  const ev = await xentInProcess(["eval", csvPath, "--json", ...evalArgs]);
  expect(ev.stderr).toBe("");
  const want = JSON.parse(ev.stdout) as Record<string, any>;
  for (const file of [csv, jsonl]) {
    const m = await xentInProcess(["merge", "--sql-rows", file, "--json"]);
    expect(m.stderr).toBe("");
    expect(m.code).toBe(0);
    const got = JSON.parse(m.stdout) as Record<string, any>;
    const same = (g: Record<string, any>, w: Record<string, any>) => {
      expect(g.rows).toBe(w.rows);
      expect(g.weight).toBe(w.weight);
      if (typeof w.logLoss === "number") expect(rel(g.logLoss, w.logLoss)).toBeLessThanOrEqual(1e-14);
      else expect(g.logLoss).toBe(w.logLoss);
      expect(rel(g.brier, w.brier)).toBeLessThanOrEqual(1e-14);
      expect(g.accuracy).toBe(w.accuracy);
      expect(g.rocAuc).toBe(w.rocAuc); // bit-identical
      expect(g.rocAucErrorBound).toBe(w.rocAucErrorBound);
    };
    same(got, want);
    expect(got.by ?? null).toBe(want.by ?? null);
    if (want.groups !== undefined) {
      expect(got.groups.map((g: any) => g.group)).toEqual(want.groups.map((g: any) => g.group));
      want.groups.forEach((w: any, i: number) => same(got.groups[i], w));
    }
  }
  return want;
}

let main: Row[];
let mainCsv: string;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  c = await db.connect();
  main = makeRows(210_000, 12, "small");
  mainCsv = await load("preds", main);
});

afterAll(() => {
  c?.closeSync();
  tmp.cleanup();
});

describe("logLossSql on DuckDB, 210k rows with hard points", () => {
  const cases = [
    { scale: "probability", weighted: false, by: false },
    { scale: "probability", weighted: true, by: true },
    { scale: "logit", weighted: false, by: true },
    { scale: "logit", weighted: true, by: false },
  ] as const;
  for (const k of cases) {
    const col = k.scale === "probability" ? { prob: "p" } : { logit: "s" };
    const options: LogLossSqlOptions = {
      dialect: "duckdb",
      table: "preds",
      label: "y",
      ...col,
      ...(k.weighted ? { weight: "w" } : {}),
      ...(k.by ? { by: "g" } : {}),
    };
    const label = `${k.scale}, ${k.weighted ? "weighted" : "unweighted"}${k.by ? ", by group" : ""}`;

    it(`metrics: ${label}: log loss within 1e-14 of BinaryEvaluation, counts exact`, async () => {
      const got = await query(logLossSql(options).metrics);
      if (!k.by) {
        expect(got).toHaveLength(1);
        expectMetrics(got[0]!, main, k.scale, k.weighted);
      } else {
        expect(got.map((r) => r.group_key)).toEqual(["big", "small"]);
        for (const r of got)
          expectMetrics(
            r,
            main.filter((x) => x.g === r.group_key),
            k.scale,
            k.weighted,
          );
      }
    });

    it(`state: ${label}: xent merge --sql-rows gives xent eval's AUC and error bound bit for bit`, async () => {
      const flag = k.scale === "probability" ? ["--prob", "p"] : ["--logit", "s"];
      const want = await expectStatePath(`main-${k.scale}-${k.weighted}-${k.by}`, mainCsv, options, [
        "--label",
        "y",
        ...flag,
        ...(k.weighted ? ["--weight", "w"] : []),
        ...(k.by ? ["--by", "g"] : []),
      ]);
      expect(want.rocAucErrorBound).toBeGreaterThan(0); // the histogram mode was exercised
      if (k.by) expect(want.groups.find((g: any) => g.group === "small").rocAucErrorBound).toBe(0); // and the exact one
    });
  }

  it("rocAuc query: exact rows per distinct score in the small group, histogram bins in the big one", async () => {
    const rows = await query(logLossSql({ dialect: "duckdb", table: "preds", label: "y", prob: "p", by: "g" }).rocAuc);
    const modes = new Set(rows.map((r) => `${String(r.group_key)}:${String(r.mode)}`));
    expect([...modes].sort()).toEqual(["big:histogram", "small:exact"]);
    const bins = rows.filter((r) => r.mode === "histogram").map((r) => r.score_key as number);
    expect(bins.every((b) => Number.isInteger(b) && b >= 0 && b <= 32769)).toBe(true);
    expect(bins).toContain(0); // p = 0 and 1e-300
    expect(bins).toContain(32769); // p = 1 and 1 - 2^-53
  });
});

describe("logLossSql on DuckDB, special cases", () => {
  it("exact mode everywhere when there are at most 65536 distinct scores: error bound 0", async () => {
    const rows = makeRows(30_000, 5, "all");
    const path = await load("rounded", rows);
    for (const [flag, col] of [
      ["--prob", "p"],
      ["--logit", "s"],
    ] as const) {
      const want = await expectStatePath(
        `rounded${flag}`,
        path,
        { dialect: "duckdb", table: "rounded", label: "y", [flag.slice(2)]: col, weight: "w", by: "g" },
        ["--label", "y", flag, col, "--weight", "w", "--by", "g"],
      );
      expect(want.rocAucErrorBound).toBe(0);
    }
  });

  it("labels -1/+1 (labels: pm1)", async () => {
    const rows = makeRows(20_000, 9, "small").map((x) => ({ ...x, y: x.y === 1 ? 1 : -1 }));
    const path = await load("signs", rows);
    for (const [key, col, scale] of [
      ["prob", "p", "probability"],
      ["logit", "s", "logit"],
    ] as const) {
      const options: LogLossSqlOptions = { dialect: "duckdb", table: "signs", label: "y", [key]: col, labels: "pm1" };
      const [got] = await query(logLossSql(options).metrics);
      expectMetrics(got!, rows, scale, false, "pm1");
      await expectStatePath(`signs-${key}`, path, options, ["--label", "y", `--${key}`, col, "--labels", "pm1"]);
    }
  });

  it("an infinite loss is reported (log_loss Infinity, infinite_loss_count), not dropped; weight 0 makes it 0", async () => {
    const rows: Row[] = [
      { y: 1, p: 0.8, s: 2, w: 1, g: "a" },
      { y: 0, p: 0.3, s: -1, w: 2, g: "a" },
      { y: 1, p: 0, s: -Infinity, w: 1, g: "a" }, // infinite loss
      { y: 0, p: 1, s: Infinity, w: 0, g: "a" }, // infinite loss of weight 0: counts 0 when weighted
      { y: 1, p: 1, s: Infinity, w: 1, g: "b" },
      { y: 0, p: 0, s: -Infinity, w: 3, g: "b" },
    ];
    const path = await load("infinite", rows);
    for (const [key, col] of [
      ["prob", "p"],
      ["logit", "s"],
    ] as const) {
      const unweighted = await query(logLossSql({ dialect: "duckdb", table: "infinite", label: "y", [key]: col }).metrics);
      expect(unweighted[0]!.log_loss).toBe(Infinity);
      expect(Number(unweighted[0]!.infinite_loss_count)).toBe(2);
      const weighted = await query(logLossSql({ dialect: "duckdb", table: "infinite", label: "y", [key]: col, weight: "w", by: "g" }).metrics);
      expect(weighted[0]!.log_loss).toBe(Infinity);
      expect(Number(weighted[0]!.infinite_loss_count)).toBe(1);
      expect(weighted[1]!.log_loss).toBe(0);
      const want = await expectStatePath(
        `infinite-${key}`,
        path,
        { dialect: "duckdb", table: "infinite", label: "y", [key]: col, weight: "w", by: "g" },
        ["--label", "y", `--${key}`, col, "--weight", "w", "--by", "g"],
      );
      expect(want.logLoss).toBe(null); // --json: an infinite loss is null plus a flag
      expect(want.logLossInfinite).toBe(true);
    }
  });

  it("invalid rows (NULL or out-of-range label, score or weight, NaN) are counted, and the figures are those of the valid rows", async () => {
    await c.run(`CREATE TABLE bad AS SELECT * FROM (VALUES
      (1, 0.9, 1.0), (0, 0.2, 1.0), (1, 0.6, 2.0),
      (NULL, 0.5, 1.0), (2, 0.5, 1.0), (1, 1.5, 1.0), (1, NULL, 1.0), (0, 'NaN'::DOUBLE, 1.0), (0, 0.5, -1.0), (1, 0.5, 'Infinity'::DOUBLE), (1, 0.5, NULL)
    ) v(y, p, w)`);
    const [got] = await query(logLossSql({ dialect: "duckdb", table: "bad", label: "y", prob: "p", weight: "w" }).metrics);
    expect(Number(got!.invalid_count)).toBe(8);
    const valid: Row[] = [
      { y: 1, p: 0.9, s: 0, w: 1, g: "" },
      { y: 0, p: 0.2, s: 0, w: 1, g: "" },
      { y: 1, p: 0.6, s: 0, w: 2, g: "" },
    ];
    const want = evaluate(valid, "probability", true);
    expect(rel(got!.log_loss as number, want.logLoss!)).toBeLessThanOrEqual(1e-15);
    expect(got!.accuracy).toBe(want.accuracy);
    const [logits] = await query(logLossSql({ dialect: "duckdb", table: "bad", label: "y", logit: "p", weight: "w" }).metrics);
    expect(Number(logits!.invalid_count)).toBe(7); // 1.5 is a valid logit
  });

  it("a subquery as the table, and names that need quoting", async () => {
    await c.run(`CREATE TABLE "Odd Table" AS SELECT y AS "Label", p AS "select", w AS "my weight" FROM preds LIMIT 1000`);
    const a = await query(logLossSql({ dialect: "duckdb", table: "Odd Table", label: "Label", prob: "select", weight: "my weight" }).metrics);
    const b = await query(
      logLossSql({ dialect: "duckdb", table: "(SELECT y, p, w FROM preds LIMIT 1000)", label: "y", prob: "p", weight: "w" }).metrics,
    );
    expect(a[0]!.log_loss).toBe(b[0]!.log_loss);
    expectMetrics(a[0]!, main.slice(0, 1000), "probability", true);
  });
});

describe("the ROC AUC histogram bins in SQL are RocAucAccumulator's, at the edges", () => {
  /** x's neighbours: the doubles just below and above (x > 0 normal or subnormal). */
  const around = (x: number): number[] => {
    const b = new Float64Array([x]);
    const u = new BigInt64Array(b.buffer);
    const out = [x];
    for (const d of [-1n, 1n]) {
      u[0] = new BigInt64Array(new Float64Array([x]).buffer)[0]! + d;
      out.push(b[0]!);
    }
    return out.filter((v) => v >= 0);
  };
  const probabilities = [0, 1, 0.5, 5e-324, 2.2250738585072014e-308, 1e-300, 1 - 2 ** -53, 0.25 + 2 ** -54];
  for (let k = 1; k <= 70; k++) {
    probabilities.push(...around(2 ** -k), ...around(2 ** -k * 1.00390625), ...around(2 ** -k * 1.99609375));
    if (k > 1) probabilities.push(...around(1 - 2 ** -k), ...around(1 - 2 ** -k * 1.00390625));
  }
  const logits = [-Infinity, Infinity, 0, -0, -800, 800];
  for (const edge of [-64, 64, -63.99609375, 63.99609375, -1 / 256, 1 / 256, 0.5, -0.5, 31.25])
    logits.push(...(edge > 0 ? around(edge) : around(-edge).map((v) => -v)));

  for (const [scale, special] of [
    ["probability", probabilities],
    ["logit", logits],
  ] as const) {
    it(`${scale}: ${special.length} edge scores among 70000 others`, async () => {
      const r = rng(scale.length);
      const scores = [...special.filter((x) => scale === "logit" || (x >= 0 && x <= 1))];
      while (scores.length < 70_000) scores.push(scale === "probability" ? r() : (r() - 0.5) * 140);
      const labels = scores.map((_, i) => (i % 3 === 0 ? 1 : 0));
      const weights = scores.map((_, i) => 1 + (i % 4));
      const table = `edges_${scale}`;
      const path = tmp.file(`${table}.csv`, "y,x,w\n" + scores.map((x, i) => `${labels[i]},${x},${weights[i]}`).join("\n") + "\n");
      await c.run(
        `CREATE TABLE ${table} AS SELECT * FROM read_csv('${path}', header = true, columns = {'y': 'INTEGER', 'x': 'DOUBLE', 'w': 'DOUBLE'})`,
      );
      const rows = await query(
        logLossSql({ dialect: "duckdb", table, label: "y", [scale === "probability" ? "prob" : "logit"]: "x", weight: "w" }).rocAuc,
      );
      const acc = new RocAucAccumulator(scale).add(labels, scores, weights);
      expect(acc.exact).toBe(false);
      const want = acc.toJSON();
      expect(rows.every((x) => x.mode === "histogram")).toBe(true);
      expect(rows.map((x) => x.score_key)).toEqual(want.keys);
      expect(rows.map((x) => x.positive)).toEqual(want.positive);
      expect(rows.map((x) => x.negative)).toEqual(want.negative);
    });
  }
});

describe("logLossSql on DuckDB, an empty table", () => {
  it("gives no figures (NULL), and a state with 0 rows", async () => {
    await c.run("CREATE TABLE empty_preds (y INTEGER, p DOUBLE)");
    const q = logLossSql({ dialect: "duckdb", table: "empty_preds", label: "y", prob: "p" });
    const [m] = await query(q.metrics);
    expect(Number(m!.row_count)).toBe(0);
    expect(m!.log_loss).toBe(null);
    const file = `${tmp.dir}/empty.rows.csv`;
    await c.run(`COPY (${q.state}) TO '${file}' (HEADER)`);
    const r = await xentInProcess(["merge", "--sql-rows", file, "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out.rows).toBe(0);
    expect(out.logLoss).toBe(null);
    expect(out.rocAuc).toBe(null);
  });
});

describe("the Spark, BigQuery, Trino and Snowflake queries, read by DuckDB", () => {
  // Not those engines, but a check of the queries' structure and arithmetic: DuckDB reads their syntax once
  // FLOAT64 is a type name and LOG1P a macro (Kahan's form, accurate). Their sums are plain SUM, hence 1e-13.
  beforeAll(async () => {
    await c.run("CREATE TYPE FLOAT64 AS DOUBLE");
    await c.run("CREATE MACRO log1p(x) AS CASE WHEN 1 + x = 1 THEN x ELSE x * ln(1 + x) / ((1 + x) - 1) END");
  });
  for (const dialect of ["spark", "bigquery", "trino", "snowflake"] as const) {
    it(`${dialect}: the figures of the DuckDB query, AUC bit for bit`, async () => {
      for (const col of [{ prob: "p" }, { logit: "s" }]) {
        const options = { table: "preds", label: "y", ...col, weight: "w", by: "g" };
        const own = await query(logLossSql({ dialect: "duckdb", ...options }).metrics);
        const q = logLossSql({ dialect, ...options });
        const got = await query(q.metrics);
        expect(got.map((r) => r.group_key)).toEqual(own.map((r) => r.group_key));
        got.forEach((r, i) => {
          for (const k of ["log_loss", "brier", "accuracy", "weight"]) expect(rel(Number(r[k]), Number(own[i]![k]))).toBeLessThanOrEqual(1e-13);
          for (const k of ["row_count", "positive_count", "negative_count", "infinite_loss_count", "invalid_count"])
            expect(Number(r[k])).toBe(Number(own[i]![k]));
        });
        const file = `${tmp.dir}/${dialect}.rows.csv`;
        await c.run(`COPY (${q.state}) TO '${file}' (HEADER)`);
        const ownFile = `${tmp.dir}/${dialect}.own.rows.csv`;
        await c.run(`COPY (${logLossSql({ dialect: "duckdb", ...options }).state}) TO '${ownFile}' (HEADER)`);
        const a = JSON.parse((await xentInProcess(["merge", "--sql-rows", file, "--json"])).stdout) as Record<string, any>;
        const b = JSON.parse((await xentInProcess(["merge", "--sql-rows", ownFile, "--json"])).stdout) as Record<string, any>;
        expect(a.rocAuc).toBe(b.rocAuc);
        expect(a.rocAucErrorBound).toBe(b.rocAucErrorBound);
        expect(a.rocAucErrorBound).toBeGreaterThan(0);
      }
    });
  }
});
