// `npm run bench [-- --quick]`: every benchmark in one run, each given the same arguments:
// the loss kernels against their peers (run.ts), where xent/threads pays (threads.bench.ts),
// the loss alone against tfjs-wasm (lossOnly.bench.ts), logistic-regression fits (logisticRegression.bench.ts),
// sparse fits against liblinear (sparse.bench.ts), online FTRL (online.bench.ts) and `xent eval` throughput
// (eval.bench.ts, one thread and two, DuckDB beside). All run compiled by tsc under plain node (see run.ts for why).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
for (const script of [
  "run.js",
  "threads.bench.js",
  "lossOnly.bench.js",
  "logisticRegression.bench.js",
  "sparse.bench.js",
  "online.bench.js",
  "eval.bench.js",
]) {
  const path = fileURLToPath(new URL(`./build/bench/${script}`, import.meta.url));
  console.log(`\n=== ${script.replace(/\.js$/, ".ts")} ${args.join(" ")}\n`);
  const run = spawnSync(process.execPath, ["--expose-gc", path, ...args], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
