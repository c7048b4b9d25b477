// Speed of the multi-class hot path (what a softmax-regression training step calls), against the usual
// formula (max-subtracted log-sum-exp minus z_y, softmax minus one-hot) written the plain way.
// Run: npx vitest bench --run bench/multiclass.bench.ts
import { bench, describe } from "vitest";
import { categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsAndGrad } from "xent";

const n = 10_000;
const k = 10;
let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const logits = Float64Array.from({ length: n * k }, () => 6 * (random() - 0.5));
const labels = Int32Array.from({ length: n }, () => Math.floor(random() * k));
const weights = Float64Array.from({ length: n }, () => 0.5 + random());
const gradOut = new Float64Array(n * k);
let sink = 0;

/** The plain formula: lse - z_y with the maximum subtracted, naive sums, gradient softmax - onehot. */
function naive(grad: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, logits[o + j]!);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[o + j]! - m);
      grad[o + j] = e;
      s += e;
    }
    const y = labels[i]!;
    const w = weights[i]!;
    loss += w * (m + Math.log(s) - logits[o + y]!);
    for (let j = 0; j < k; j++) grad[o + j] = (w * grad[o + j]!) / s;
    grad[o + y] = grad[o + y]! - w;
  }
  return loss;
}

describe(`softmax cross-entropy, ${n} rows x ${k} classes, row weights, reduction "sum"`, () => {
  bench("xent categoricalCrossEntropyWithLogitsAndGrad (gradOut)", () => {
    const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad(labels, logits, { classes: k, weights, reduction: "sum", gradOut });
    sink += loss + grad[0]!;
  });
  bench("plain formula, loss and gradient", () => {
    sink += naive(gradOut) + gradOut[0]!;
  });
  bench("xent categoricalCrossEntropyWithLogits (loss only)", () => {
    sink += categoricalCrossEntropyWithLogits(labels, logits, { classes: k, weights, reduction: "sum" });
  });
});

if (sink === 42) console.log(sink);
