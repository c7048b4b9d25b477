// Throughput of `xent eval` on a generated CSV of label,probability rows: MB/s and rows/s, one thread and
// `--threads N` (default 2) alternating, with the same bits checked; and
// DuckDB's time for the same file with xent's SQL (logLossSql) and with the naive query.
//
//   npm run bench:eval              1 GB file (the real measurement; needs ~1 GB in the temp dir)
//   (that is `tsx bench/eval.bench.ts`: the CLI's `main` from the sources, in this process)
//   npm run bench:eval -- --quick   64 MB
//   npm run bench:eval -- --mb 256  any size
//   --file PATH reuses a file made before with --keep (label,probability rows)
//   --decimals N prints the probabilities with N decimals (default 7: the AUC goes to its histogram; with 3,
//     at most 1001 distinct scores, it stays exact)
//   --threads N the other thread count beside one (default 2); --repeat R runs of each (default 2)
//   --no-duckdb leaves out DuckDB's time on the same file (read_csv + xent's SQL, and the naive query)
//   profile with: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/eval.bench.ts --quick
//
// The file goes to the OS temp dir (never the repository) and is deleted afterwards. The result is checked
// against an independent sum over the same rows so that no work can be optimized away.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { mulberry32 } from "./random.js";

const args = process.argv.slice(2);
const mbArg = args.indexOf("--mb");
const megabytes = mbArg >= 0 ? Number(args[mbArg + 1]) : args.includes("--quick") ? 64 : 1024;
const keep = args.includes("--keep");
const decimalsArg = args.indexOf("--decimals");
const decimals = decimalsArg >= 0 ? Number(args[decimalsArg + 1]) : 7;
const fileArg = args.indexOf("--file");

// mulberry32 (bench/random.ts): reproducible data.
const random = mulberry32(12345);

let file: string;
let dir: string | null = null;
let rows = 0;
let check = NaN; // naive sum of the losses over the generated rows, for a sanity check of the result
if (fileArg >= 0) {
  file = args[fileArg + 1]!;
  // Count the rows (newlines minus the header) so the result can still be checked.
  const { createReadStream } = await import("node:fs");
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  rows = lines - 1;
} else {
  dir = mkdtempSync(join(tmpdir(), "xent-bench-"));
  file = join(dir, "preds.csv");
  const target = megabytes * 1e6;
  console.log(`generating ${megabytes} MB of label,probability rows in ${file} ...`);
  const t0 = performance.now();
  const fd = openSync(file, "w");
  writeSync(fd, "label,probability\n");
  let written = 18;
  check = 0;
  while (written < target) {
    let chunk = "";
    for (let i = 0; i < 50000; i++) {
      const p = Number((0.0005 + 0.999 * random()).toFixed(decimals));
      const y = random() < p ? 1 : 0;
      chunk += `${y},${p}\n`;
      check += y === 1 ? -Math.log(p) : -Math.log1p(-p);
      rows++;
    }
    writeSync(fd, chunk);
    written += chunk.length;
  }
  closeSync(fd);
  console.log(`generated ${rows} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;

// In process, so that the CPU time of the evaluation itself can be measured (process.cpuUsage, which counts
// the worker threads too): the machine may be shared, and wall time then measures the neighbours too. Both
// are reported. One thread and `--threads N` (default 2, `--threads N` here) alternate, `--repeat R` times
// each (default 2), the best wall time of each kept; their JSON outputs must be the same bits.
const threadsArg = args.indexOf("--threads");
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : 2;
const repeatArg = args.indexOf("--repeat");
const repeat = repeatArg >= 0 ? Number(args[repeatArg + 1]) : 2;
const best = new Map<number, { wall: number; cpu: number }>();
const outputs = new Map<number, string>();
for (let r = 0; r < repeat; r++) {
  for (const t of [1, threads]) {
    let stdout = "";
    const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => process.stderr.write(s) } };
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const code = await main(["eval", file, "--label", "label", "--prob", "probability", "--json", "--threads", String(t)], io);
    const wall = (performance.now() - t1) / 1000;
    const c = process.cpuUsage(cpu0);
    if (code !== 0) process.exit(1);
    const b = best.get(t);
    if (b === undefined || wall < b.wall) best.set(t, { wall, cpu: (c.user + c.system) / 1e6 });
    outputs.set(t, stdout);
  }
}
if (outputs.get(1) !== outputs.get(threads)) {
  console.error(`--threads ${threads} gave other bits than one thread`);
  process.exit(1);
}
const { wall: seconds, cpu: cpuSeconds } = best.get(threads)!;
const out = JSON.parse(outputs.get(1)!) as { rows: number; logLoss: number; rocAuc: number; rocAucErrorBound: number };
if (out.rows !== rows || (check === check && Math.abs(out.logLoss - check / rows) > 1e-9)) {
  console.error("wrong result", out, check / rows);
  process.exit(1);
}
const mb = bytes / 1e6;
console.log(
  `xent eval, ${mb.toFixed(0)} MB, ${rows} rows (best of ${repeat}, alternating; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}):`,
);
for (const [t, { wall, cpu }] of [...best.entries()].sort((a, b) => a[0] - b[0])) {
  console.log(
    `  ${t} thread${t === 1 ? ": " : "s:"} wall ${wall.toFixed(2)} s: ${(mb / wall).toFixed(1)} MB/s, ${(rows / 1e6 / wall).toFixed(2)} M rows/s; ` +
      `cpu ${cpu.toFixed(2)} s (${(mb / cpu).toFixed(1)} MB/s per cpu-second)`,
  );
}
console.log(
  `  ${threads} threads / 1: wall x${(best.get(1)!.wall / seconds).toFixed(2)} faster, the same bits\n` +
    `  log loss ${out.logLoss}, AUC ${out.rocAuc} ± ${out.rocAucErrorBound}\n` +
    `  peak resident memory of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (bounded: independent of the file size)`,
);
// DuckDB on the same file: read_csv + xent's metrics query (log loss, Brier, accuracy, counts), xent's state
// query (the same sums plus the ROC AUC histogram: everything `xent eval` computes), and the naive log loss,
// with one thread (like xent eval) and with DuckDB's default (every core). CPU time is this process's, which
// runs DuckDB's threads. `--no-duckdb` leaves it out.
if (!args.includes("--no-duckdb")) {
  const { logLossSql } = await import("../src/index.js");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const source = `(SELECT label, probability FROM read_csv('${file.replaceAll("'", "''")}', header = true, columns = {'label': 'INTEGER', 'probability': 'DOUBLE'}))`;
  const queries = logLossSql({ dialect: "duckdb", table: source, label: "label", prob: "probability" });
  const naive = `SELECT -avg(label * ln(probability) + (1 - label) * ln(1 - probability)) AS log_loss FROM ${source} AS t`;
  console.log(`DuckDB on the same file (ratio: DuckDB's time / xent eval's with ${threads} threads):`);
  for (const threads of [1, 0]) {
    const instance = await DuckDBInstance.create(":memory:", threads > 0 ? { threads: String(threads) } : {});
    const connection = await instance.connect();
    const threadCount = (await connection.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0]!.t;
    for (const [name, sql] of [
      ["xent metrics query", queries.metrics],
      ["xent state query (+ AUC bins)", queries.state],
      ["naive log loss", naive],
    ] as const) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const rowsOut = (await connection.runAndReadAll(sql)).getRowObjectsJS();
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cpuS = (c.user + c.system) / 1e6;
      let value = "";
      if (name !== "xent state query (+ AUC bins)") {
        const loss = Number(rowsOut[0]!.log_loss);
        if (check === check && Math.abs(loss - check / rows) > 1e-9) {
          console.error(`DuckDB ${name}: wrong result ${loss}, expected ${check / rows}`);
          process.exit(1);
        }
        value = `, log loss ${loss}`;
      }
      console.log(
        `  ${`${name}, ${String(threadCount)} thread${threadCount === 1n || threadCount === 1 ? "" : "s"}:`.padEnd(44)}` +
          `wall ${wall.toFixed(2)} s (x${(wall / seconds).toFixed(2)}), cpu ${cpuS.toFixed(2)} s (x${(cpuS / cpuSeconds).toFixed(2)})${value}`,
      );
    }
    connection.closeSync();
    instance.closeSync();
  }
}
// A reused file is the caller's; a generated one is removed unless --keep.
if (dir !== null && !keep) rmSync(dir, { recursive: true, force: true });
else if (dir !== null) console.log(`kept ${file}`);
