/**
 * `npm run bench:loss [-- --n=10000000] [-- --rounds=9] [-- --f64]`: the loss alone (BCE with logits,
 * reduction mean), xent against tfjs-wasm, alternating the two in one process round by round, so that a
 * change of the machine's load hits both. Float32Array inputs by default (tfjs is float32 only). Prints per
 * implementation the median wall time and the median CPU time of the process (user + system, all threads)
 * per sample, their ratio, and the load average before and after.
 */
import os from "node:os";
import { binaryCrossEntropyWithLogits } from "../src/index.js";
import { binaryInputs } from "./random.js";
import { initWasm, tf, useBackend } from "./tfjs.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const n = arg("n", 1e7);
const rounds = arg("rounds", args.includes("--quick") ? 5 : 9);
const Type = args.includes("--f64") ? Float64Array : Float32Array;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

if (!(await initWasm()) || !(await useBackend("wasm"))) throw new Error("tfjs-wasm did not start");
const { labels, logits } = binaryInputs(n, Type);
const y = tf.tensor1d(Float32Array.from(labels), "float32");
const s = tf.tensor1d(Float32Array.from(logits), "float32");
const loadBefore = load();

interface Row {
  name: string;
  run(): number;
  wall: number[];
  cpu: number[];
  loss: number;
}
const rows: Row[] = [
  { name: "xent", run: () => binaryCrossEntropyWithLogits(labels, logits), wall: [], cpu: [], loss: NaN },
  {
    name: "tfjs-wasm",
    run: () => {
      const loss = tf.losses.sigmoidCrossEntropy(y, s);
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    },
    wall: [],
    cpu: [],
    loss: NaN,
  },
];
// Round -1 warms both up; then one call of each per round, in alternating order.
for (let round = -1; round < rounds; round++) {
  const order = round % 2 === 0 ? rows : [...rows].reverse();
  for (const row of order) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    row.loss = row.run();
    const wall = Number(process.hrtime.bigint() - t0) / n;
    const c = process.cpuUsage(c0);
    if (round >= 0) {
      row.wall.push(wall);
      row.cpu.push(((c.user + c.system) * 1000) / n);
    }
  }
}
y.dispose();
s.dispose();
const [xent, peer] = rows as [Row, Row];
if (!(Math.abs(peer.loss - xent.loss) <= 5e-2 * Math.abs(xent.loss))) throw new Error(`tfjs-wasm loss ${peer.loss} vs xent ${xent.loss}`);
console.log(
  `loss only (mean), BCE with logits, N = ${n}, ${Type.name}, ${rounds} alternating rounds: node ${process.version}, ${os.cpus()[0]?.model ?? "?"} x ${
    os.cpus().length
  }, load ${loadBefore} -> ${load()}\n`,
);
console.log("| implementation | wall ns/sample (median) | min | CPU ns/sample (median) | loss |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${median(r.wall).toFixed(2)} | ${Math.min(...r.wall).toFixed(2)} | ${median(r.cpu).toFixed(2)} | ${r.loss.toPrecision(12)} |`,
  );
}
console.log(
  `\ntfjs-wasm / xent: ${(median(peer.wall) / median(xent.wall)).toFixed(2)}x by wall time, ${(median(peer.cpu) / median(xent.cpu)).toFixed(2)}x by CPU time`,
);
