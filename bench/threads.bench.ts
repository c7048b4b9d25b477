/**
 * `npm run bench:threads [-- --quick]`: where xent/threads starts to pay. BCE with logits, loss and gradient
 * (Float64Array, `gradOut`), one thread against the calling thread plus one worker, over batch sizes from
 * 2 to 1,220 kernel chunks (8,192 samples each); the results are the same bits (checked here too). Prints
 * the median ns per sample of each and their ratio, and the crossover: the smallest size from which two
 * threads are at least 5% faster at every larger size measured.
 */
import os from "node:os";
import { binaryCrossEntropyWithLogitsAndGrad } from "../src/index.js";
import { setBinaryThreadsMinSamples, startBinaryThreads, stopBinaryThreads } from "../src/parallel/binaryThreads.js";
import { binaryInputs } from "./random.js";

const quick = process.argv.includes("--quick");
const sizes = quick ? [16_384, 65_536, 262_144, 1_048_576] : [16_384, 32_768, 65_536, 131_072, 262_144, 524_288, 1_048_576, 4_194_304, 10_000_000];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

await startBinaryThreads({ threads: 1, minSamples: Infinity });
console.log(
  `xent threads crossover ${quick ? "(quick)" : "(full)"}: node ${process.version}, ${os.cpus()[0]?.model ?? "?"} x ${os.cpus().length}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
console.log("| samples | 1 thread ns/sample | 2 threads ns/sample | speed-up |");
console.log("|---:|---:|---:|---:|");
const ratios: number[] = [];
for (const n of sizes) {
  const { labels, logits } = binaryInputs(n, Float64Array);
  const gradOne = new Float64Array(n);
  const gradTwo = new Float64Array(n);
  // Enough calls for about 50 ms per round, 7 rounds, alternating the two so that load changes hit both.
  const calls = Math.max(1, Math.round(5e6 / n));
  const one: number[] = [];
  const two: number[] = [];
  let lossOne = 0;
  let lossTwo = 0;
  for (let round = -1; round < 7; round++) {
    for (const threaded of [false, true]) {
      setBinaryThreadsMinSamples(threaded ? 0 : Infinity);
      const gradOut = threaded ? gradTwo : gradOne;
      const t0 = process.hrtime.bigint();
      let loss = 0;
      for (let c = 0; c < calls; c++) loss = binaryCrossEntropyWithLogitsAndGrad(labels, logits, { gradOut }).loss;
      const ns = Number(process.hrtime.bigint() - t0) / calls / n;
      if (round >= 0) (threaded ? two : one).push(ns); // round -1 warms up
      if (threaded) lossTwo = loss;
      else lossOne = loss;
    }
  }
  if (!Object.is(lossOne, lossTwo)) throw new Error(`n = ${n}: the two-thread loss ${lossTwo} differs from one thread's ${lossOne}`);
  for (let i = 0; i < n; i++) {
    if (!Object.is(gradOne[i], gradTwo[i])) throw new Error(`n = ${n}: gradient [${i}] differs: ${gradTwo[i]} vs ${gradOne[i]}`);
  }
  const a = median(one);
  const b = median(two);
  ratios.push(a / b);
  console.log(`| ${n.toLocaleString("en-US")} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}x |`);
}
let crossover = -1;
for (let i = sizes.length - 1; i >= 0 && ratios[i]! >= 1.05; i--) crossover = i;
console.log(
  crossover >= 0
    ? `\ncrossover: two threads at least 5% faster from ${sizes[crossover]!.toLocaleString("en-US")} samples up (startBinaryThreads' default minSamples is 131,072)`
    : "\ncrossover: two threads were not 5% faster at the largest size measured (a busy machine?)",
);
await stopBinaryThreads();
