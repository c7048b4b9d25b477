// Which Parquet reader `xent eval` uses, by measurement: hyparquet (pure JavaScript; zstd pages through
// hyparquet-compressors' fzstd, as xent reads them) against parquet-wasm
// (Rust's parquet crate compiled to WebAssembly, handing each row group over as Arrow IPC that apache-arrow
// decodes). Both read the two columns of an evaluation (label INT, p DOUBLE) of one file written by DuckDB,
// one row group at a time, as xent does; rows/s and peak memory (max RSS of a fresh process per run).
//
//   npm run bench:parquet                  5M rows (DuckDB's default row groups of 122880 rows)
//   npm run bench:parquet -- --rows 10000000
//
// The files go to the OS temp dir and are deleted afterwards. Every run's sums (rows, sum of p, labels = 1)
// are checked against DuckDB's own over the same file, so no reader can skip work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, openAsBlob, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decompressZstd } from "hyparquet-compressors";

interface Result {
  rows: number;
  sumP: number;
  ones: number;
  seconds: number;
  maxRssMB: number;
  baseRssMB: number;
}

const args = process.argv.slice(2);

/** Reads label and p of `file` one row group at a time with hyparquet. */
async function readHyparquet(file: string): Promise<Omit<Result, "seconds" | "maxRssMB" | "baseRssMB">> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead } = await import("hyparquet");
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  let rows = 0;
  let sumP = 0;
  let ones = 0;
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const parts: Record<string, ArrayLike<unknown>[]> = { label: [], p: [] };
    await parquetRead({
      file: buffer,
      metadata,
      columns: ["label", "p"],
      rowStart: start,
      rowEnd: end,
      compressors: { ZSTD: (input: Uint8Array, size: number) => decompressZstd(input, new Uint8Array(size)) },
      onChunk: (c) => parts[c.columnName]!.push(c.columnData as ArrayLike<unknown>),
    });
    for (const name of ["label", "p"]) if (parts[name]!.length !== 1) parts[name] = [parts[name]!.flatMap((a) => Array.from(a))];
    const label = parts.label![0]!;
    const p = parts.p![0]!;
    for (let i = 0; i < label.length; i++) {
      sumP += p[i] as number;
      if (label[i] === 1) ones++;
    }
    rows += label.length;
    start = end;
  }
  return { rows, sumP, ones };
}

/** Reads label and p of `file` one row group at a time with parquet-wasm, decoded by apache-arrow. */
async function readParquetWasm(file: string): Promise<Omit<Result, "seconds" | "maxRssMB" | "baseRssMB">> {
  const { ParquetFile } = await import("parquet-wasm/node");
  const { tableFromIPC } = await import("apache-arrow");
  const pf = await ParquetFile.fromFile(await openAsBlob(file));
  const groups = pf.metadata().numRowGroups();
  let rows = 0;
  let sumP = 0;
  let ones = 0;
  for (let g = 0; g < groups; g++) {
    const wasmTable = await pf.read({ rowGroups: [g], columns: ["label", "p"] });
    const table = tableFromIPC(wasmTable.intoIPCStream());
    for (const batch of table.batches) {
      const label = batch.getChild("label")!;
      const p = batch.getChild("p")!;
      // The values as typed arrays (no nulls in this file): what a reader of many rows would use.
      const ls = label.data[0]!.values as Int32Array;
      const ps = p.data[0]!.values as Float64Array;
      for (let i = 0; i < batch.numRows; i++) {
        sumP += ps[i]!;
        if (ls[i] === 1) ones++;
      }
      rows += batch.numRows;
    }
  }
  return { rows, sumP, ones };
}

if (args[0] === "--child") {
  const [, reader, file] = args as [string, string, string];
  const baseRssMB = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const r = reader === "hyparquet" ? await readHyparquet(file) : await readParquetWasm(file);
  const seconds = (performance.now() - t0) / 1000;
  const result: Result = { ...r, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, baseRssMB };
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

const rowsArg = args.indexOf("--rows");
const n = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 5_000_000;
const dir = mkdtempSync(join(tmpdir(), "xent-parquet-bench-"));
try {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  await con.run("SELECT setseed(0.42)");
  await con.run(`CREATE TABLE preds AS SELECT (random() < 0.3)::INT AS label, random() AS p FROM range(${n})`);
  const files: Record<string, string> = {};
  for (const codec of ["snappy", "zstd"]) {
    files[codec] = join(dir, `preds-${codec}.parquet`);
    await con.run(`COPY preds TO '${files[codec]}' (FORMAT parquet, COMPRESSION ${codec})`);
  }
  const reader = await con.runAndReadAll(`SELECT count(*)::DOUBLE, fsum(p), sum(label)::DOUBLE FROM '${files.snappy}'`);
  const [[duckRows, duckSum, duckOnes]] = reader.getRows() as [[number, number, number]];
  con.closeSync();
  instance.closeSync();
  const script = new URL(import.meta.url).pathname;
  console.log(`${n} rows (label INT, p DOUBLE), DuckDB default row groups; node ${process.version}; one fresh process per run`);
  console.log("reader        codec    MB     seconds   Mrows/s   peak RSS MB (at start)   check");
  for (const codec of ["snappy", "zstd"]) {
    const file = files[codec]!;
    const mb = statSync(file).size / 1e6;
    for (const name of ["hyparquet", "parquet-wasm"]) {
      const best: Result[] = [];
      let failure = "";
      for (let rep = 0; rep < 3 && failure === ""; rep++) {
        const run = spawnSync(process.execPath, [script, "--child", name, file], { encoding: "utf8" });
        if (run.status !== 0) failure = (run.stderr.split("\n").find((l) => l.startsWith("Error")) ?? run.stderr.slice(0, 200)).trim();
        else best.push(JSON.parse(run.stdout) as Result);
      }
      if (failure !== "") {
        console.log(`${name.padEnd(13)} ${codec.padEnd(7)} ${mb.toFixed(1).padStart(5)}   fails: ${failure}`);
        continue;
      }
      best.sort((a, b) => a.seconds - b.seconds);
      const r = best[0]!;
      // The sum of p is order-dependent in the last bits: 1e-9 relative is far below any skipped row.
      const ok = r.rows === duckRows && r.ones === duckOnes && Math.abs(r.sumP - duckSum) <= 1e-9 * duckSum;
      console.log(
        `${name.padEnd(13)} ${codec.padEnd(7)} ${mb.toFixed(1).padStart(5)}   ${r.seconds.toFixed(2).padStart(7)}   ${(r.rows / r.seconds / 1e6).toFixed(2).padStart(7)}   ${r.maxRssMB.toFixed(0).padStart(11)} (${r.baseRssMB.toFixed(0)})              ${ok ? "ok" : `WRONG (${r.rows} rows, sum ${r.sumP})`}`,
      );
    }
  }
  console.log("(best of 3 runs; peak RSS = the process's max resident set, including Node itself and the reader's code)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
