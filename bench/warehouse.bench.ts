// Log loss inside the database: the usual query, the clipped one and xent's (`logLossSql`) on DuckDB and
// PostgreSQL, on 1M generated rows with 0.12% saturated logits (test/helpers/warehouseRows.ts): the value each
// returns (or its error), its relative error against xent's own evaluation of the same rows, and its time.
//
//   npm run bench:warehouse               1M rows (README "At warehouse scale")
//   npm run bench:warehouse -- --rows N   any size
//   npm run bench:warehouse -- --repeat R time each query R times (default 3), print the median
//
// PostgreSQL runs in a throwaway cluster (Debian's server binaries; test/helpers/postgresCluster.ts); without
// them its rows are skipped with a note. Times are wall times of the query (the data already loaded), on
// whatever else the machine is doing: compare within a table, not across runs.
import { join } from "node:path";
import { BinaryEvaluation, logLossSql } from "../src/index.js";
import { clippedLogLossSql, naiveLogLossSql, type ScoreForm, SKLEARN_EPS } from "../test/helpers/naiveLogLossSql.js";
import { PostgresNotInstalled } from "../test/helpers/postgresCluster.js";
import { openDuckdb, openPostgres, type WarehouseEngine } from "../test/helpers/warehouseEngines.js";
import { warehouseRows, writeWarehouseCsv } from "../test/helpers/warehouseRows.js";

const args = process.argv.slice(2);
function numberArg(name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const n = numberArg("--rows", 1_000_000);
const repeat = numberArg("--repeat", 3);

const rows = warehouseRows(n);

// xent's own value of each form: the reference (BinaryEvaluation; `xent eval` gives the same bits).
const exact: Record<ScoreForm, number> = { prob: NaN, logit: NaN };
const xentSeconds: Record<ScoreForm, number> = { prob: NaN, logit: NaN };
for (const form of ["prob", "logit"] as const) {
  const t0 = performance.now();
  exact[form] = new BinaryEvaluation(form === "prob" ? "probability" : "logit")
    .add(rows.label, form === "prob" ? rows.prob : rows.logit)
    .metrics().logLoss!;
  xentSeconds[form] = (performance.now() - t0) / 1000;
}

interface Line {
  engine: string;
  form: ScoreForm;
  query: string;
  value: string;
  relativeError: string;
  seconds: number;
}
const lines: Line[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Runs a query `repeat` times: its log loss (or its error message) and the median time. */
async function measure(engine: WarehouseEngine, form: ScoreForm, name: string, sql: string): Promise<void> {
  const times: number[] = [];
  let value = NaN;
  let error: string | null = null;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    try {
      const [row] = await engine.query(sql);
      value = Number(row?.log_loss);
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    }
    times.push((performance.now() - t0) / 1000);
  }
  const rel = (value - exact[form]) / exact[form];
  lines.push({
    engine: engine.version,
    form,
    query: name,
    value: error !== null ? `error: ${error}` : String(value),
    relativeError: error !== null ? "-" : rel === 0 ? "0" : rel.toExponential(1),
    seconds: median(times),
  });
}

async function run(engine: WarehouseEngine): Promise<void> {
  // In the engine's own temp dir (removed with it): PostgreSQL's server reads it there.
  const csv = join(engine.dir, "rows.csv");
  writeWarehouseCsv(csv, rows);
  await engine.load("preds", csv);
  for (const form of ["prob", "logit"] as const) {
    const xent = logLossSql({ dialect: engine.dialect, table: "preds", label: "label", [form]: form }).metrics;
    await measure(engine, form, "naive", naiveLogLossSql(form, "preds"));
    await measure(engine, form, `clipped (eps ${SKLEARN_EPS})`, clippedLogLossSql(form, "preds"));
    await measure(engine, form, "xent sql", xent);
  }
}

const duckdb = await openDuckdb();
try {
  await run(duckdb);
} finally {
  await duckdb.close();
}
let postgresNote = "";
try {
  const postgres = await openPostgres();
  try {
    await run(postgres);
  } finally {
    await postgres.close();
  }
} catch (e) {
  if (!(e instanceof PostgresNotInstalled)) throw e;
  postgresNote = `PostgreSQL skipped: ${e.message}`;
}

const saturated = ((100 * rows.hard) / n).toFixed(2);
console.log(`${n} rows, ${rows.hard} (${saturated}%) with saturated logits (|s| = 40 or 800) or p in {0, 1, 1e-300, 5e-324, 1 - 2^-53}`);
console.log(
  `xent's value (BinaryEvaluation, in process): prob ${exact.prob} (${xentSeconds.prob.toFixed(2)} s), logit ${exact.logit} (${xentSeconds.logit.toFixed(2)} s)`,
);
console.log(`times: median of ${repeat} runs, wall, data loaded\n`);
const header = ["engine", "form", "query", "log loss", "rel. error", "time (s)"];
const table = lines.map((l) => [l.engine, l.form, l.query, l.value, l.relativeError, l.seconds.toFixed(3)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
console.log(`| ${header.map((h, i) => h.padEnd(widths[i]!)).join(" | ")} |`);
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of table) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`);
if (postgresNote) console.log(`\n${postgresNote}`);
