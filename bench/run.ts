/**
 * `npm run bench [-- --quick] [-- --only=substring]`: xent against its peers, one table per case, same
 * inputs, same run. Runs on the built package (dist/), as users get it. See the README's "Benchmarks and speed".
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { binaryImplementations } from "./binaryCases.js";
import { categoricalImplementations } from "./categoricalCases.js";
import { type CaseResult, DisagreementError, formatTable, runCase } from "./harness.js";
import { binaryInputs, categoricalInputs } from "./random.js";
import { type Backend, initWasm } from "./tfjs.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);

async function main(): Promise<void> {
  const started = Date.now();
  const backends: Backend[] = ["cpu"];
  if (await initWasm()) backends.unshift("wasm");
  else console.log("tfjs-wasm: the WebAssembly backend did not start; its rows are left out (see the error above).");
  const repetitions = quick ? 5 : 7;
  const warmup = quick ? 1 : 2;
  const sizes = quick ? [1e6] : [1e6, 1e7];
  const results: CaseResult[] = [];
  const header = `xent bench ${quick ? "(quick)" : "(full)"}: node ${process.version}, ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
  console.log(header + "\n");

  for (const n of sizes) {
    for (const Type of [Float64Array, Float32Array]) {
      const { labels, logits } = binaryInputs(n, Type);
      for (const withGrad of [false, true]) {
        const name = `BCE with logits, ${withGrad ? "loss+grad" : "loss (mean)"}, N = ${n.toExponential(0).replace("+", "")}, ${Type.name}`;
        if (only && !name.includes(only)) continue;
        console.log(`${name} ...`);
        const result = await runCase({
          name,
          elements: n,
          repetitions,
          warmup,
          implementations: binaryImplementations(Type, labels, logits, withGrad, backends),
        });
        console.log("\n" + formatTable(result));
        results.push(result);
      }
    }
  }

  const shapes: [number, number][] = quick
    ? [
        [1e4, 100],
        [1e3, 1000],
      ]
    : [
        [1e5, 100],
        [1e4, 1000],
      ];
  for (const [rows, k] of shapes) {
    const name = `softmax CE, integer labels, loss+grad, [${rows.toExponential(0).replace("+", "")} x ${k}]`;
    if (only && !name.includes(only)) continue;
    console.log(`${name} ...`);
    const { labels, logits } = categoricalInputs(rows, k);
    const result = await runCase({
      name,
      elements: rows * k,
      repetitions,
      warmup,
      implementations: categoricalImplementations(labels, logits, k, backends),
    });
    console.log("\n" + formatTable(result));
    results.push(result);
  }

  const seconds = (Date.now() - started) / 1000;
  // This file runs as bench/build/bench/run.js: the results go to bench/results/ (gitignored).
  const dir = new URL("../../results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = new URL(`bench-${quick ? "quick" : "full"}-${stamp}.json`, dir);
  writeFileSync(file, JSON.stringify({ header, date: new Date().toISOString(), quick, seconds, cases: results }, null, 2));
  console.log(`${results.length} cases in ${seconds.toFixed(1)} s; JSON in bench/results/`);
}

main().catch((error: unknown) => {
  if (error instanceof DisagreementError) console.error(`\nFAILED: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
