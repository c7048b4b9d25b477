// Throughput of `xent eval` on a generated CSV of label,probability rows: MB/s and rows/s, one core.
//
//   npm run bench:eval              1 GB file (the real measurement; needs ~1 GB in the temp dir)
//   (that is `tsx bench/eval.bench.ts`: the CLI's `main` from the sources, in this process)
//   npm run bench:eval -- --quick   64 MB
//   npm run bench:eval -- --mb 256  any size
//   --file PATH reuses a file made before with --keep (label,probability rows)
//   --decimals N prints the probabilities with N decimals (default 7: the AUC goes to its histogram; with 3,
//     at most 1001 distinct scores, it stays exact)
//   profile with: node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/eval.bench.ts --quick
//
// The file goes to the OS temp dir (never the repository) and is deleted afterwards. The result is checked
// against an independent sum over the same rows so that no work can be optimized away.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";

const args = process.argv.slice(2);
const mbArg = args.indexOf("--mb");
const megabytes = mbArg >= 0 ? Number(args[mbArg + 1]) : args.includes("--quick") ? 64 : 1024;
const keep = args.includes("--keep");
const decimalsArg = args.indexOf("--decimals");
const decimals = decimalsArg >= 0 ? Number(args[decimalsArg + 1]) : 7;
const fileArg = args.indexOf("--file");

// mulberry32: reproducible data.
let seed = 12345;
function random(): number {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

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

// In process, so that the CPU time of the evaluation itself can be measured (process.cpuUsage): the machine
// may be shared, and wall time then measures the neighbours too. Both are reported.
let stdout = "";
const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => process.stderr.write(s) } };
const cpu0 = process.cpuUsage();
const t1 = performance.now();
const code = await main(["eval", file, "--label", "label", "--prob", "probability", "--json"], io);
const seconds = (performance.now() - t1) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
if (code !== 0) process.exit(1);
const out = JSON.parse(stdout) as { rows: number; logLoss: number; rocAuc: number; rocAucErrorBound: number };
if (out.rows !== rows || (check === check && Math.abs(out.logLoss - check / rows) > 1e-9)) {
  console.error("wrong result", out, check / rows);
  process.exit(1);
}
const mb = bytes / 1e6;
console.log(
  `xent eval, ${mb.toFixed(0)} MB, ${rows} rows:\n` +
    `  wall ${seconds.toFixed(2)} s: ${(mb / seconds).toFixed(1)} MB/s, ${(rows / 1e6 / seconds).toFixed(2)} M rows/s\n` +
    `  cpu  ${cpuSeconds.toFixed(2)} s: ${(mb / cpuSeconds).toFixed(1)} MB/s, ${(rows / 1e6 / cpuSeconds).toFixed(2)} M rows/s ` +
    `(user+system; includes the gzip-free read and GC)\n` +
    `  log loss ${out.logLoss}, AUC ${out.rocAuc} ± ${out.rocAucErrorBound}\n` +
    `  peak resident memory of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (bounded: independent of the file size)`,
);
// A reused file is the caller's; a generated one is removed unless --keep.
if (dir !== null && !keep) rmSync(dir, { recursive: true, force: true });
else if (dir !== null) console.log(`kept ${file}`);
