// The cost of `xent eval --ci` (the Poisson bootstrap) per row: CPU time of the CLI's `main` in this
// process on a generated CSV of label,probability rows, without --ci and with --ci at 50 and 200 replicates,
// the runs alternated (A/B/C, A/B/C, ...) so that a changing machine load hits each alike.
//
//   npm run bench:ci                 200000 rows, 3 rounds
//   npm run bench:ci -- --rows N --rounds R
//
// The file goes to the OS temp dir and is deleted afterwards. Each run's log loss is checked to be the same
// bits with and without --ci (the bootstrap must leave the evaluation alone), so no work is skipped.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import { mulberry32 } from "./random.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rows = option("--rows", 200000);
const rounds = option("--rounds", 3);

// mulberry32 (bench/random.ts): reproducible data.
const random = mulberry32(12345);

const dir = mkdtempSync(join(tmpdir(), "xent-bench-ci-"));
const file = join(dir, "preds.csv");
const fd = openSync(file, "w");
writeSync(fd, "label,probability\n");
let chunk = "";
for (let i = 0; i < rows; i++) {
  const p = random();
  chunk += `${random() < p ? 1 : 0},${p.toFixed(7)}\n`;
  if (chunk.length > 1 << 20) {
    writeSync(fd, chunk);
    chunk = "";
  }
}
writeSync(fd, chunk);
closeSync(fd);

const variants: [string, string[]][] = [
  ["eval", []],
  ["eval --ci 0.95 --bootstrap 50", ["--ci", "0.95", "--bootstrap", "50"]],
  ["eval --ci 0.95 (200 replicates)", ["--ci", "0.95"]],
];
const cpu: number[][] = variants.map(() => []);
let logLoss: number | null = null;
try {
  for (let round = 0; round < rounds; round++) {
    for (const [v, [, extra]] of variants.entries()) {
      let out = "";
      const io = {
        stdin: process.stdin,
        stdout: { write: (s: string) => ((out += s), true) },
        stderr: { write: (s: string) => (process.stderr.write(s), true) },
        stderrIsTTY: false,
      };
      const t = process.cpuUsage();
      const code = await main(["eval", file, "--label", "label", "--prob", "probability", "--json", "--no-progress", ...extra], io);
      const u = process.cpuUsage(t);
      if (code !== 0) throw new Error(`exit ${code}`);
      const got = (JSON.parse(out) as { logLoss: number }).logLoss;
      if (logLoss !== null && got !== logLoss) throw new Error(`log loss ${got} differs from ${logLoss}`);
      logLoss = got;
      cpu[v]!.push((u.user + u.system) / 1e6);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const best = cpu.map((c) => Math.min(...c));
console.log(`${rows} rows, ${rounds} rounds alternated; CPU seconds (best of the rounds) and ns per row:`);
variants.forEach(([name], v) => {
  console.log(
    `  ${name.padEnd(34)} ${best[v]!.toFixed(3)} s  ${((best[v]! * 1e9) / rows).toFixed(0).padStart(6)} ns/row  x${(best[v]! / best[0]!).toFixed(1)}  (all: ${cpu[v]!.map((c) => c.toFixed(3)).join(", ")})`,
  );
});
