/**
 * Seeded inputs for the benchmarks, made up front so every implementation sees the same numbers.
 * mulberry32 (Tommy Ettinger's 32-bit generator, test/rng.ts, shared with the tests): small, fast, and good enough
 * for test data.
 */
import { rng as mulberry32 } from "../test/rng.js";

export { mulberry32 };

/** A standard normal deviate by Box-Muller from two uniforms. */
export function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export type FloatArray = Float32Array | Float64Array;
export type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

/**
 * A binary batch: logits ~ 4 N(0, 1) (a model part-way through training, a few logits beyond ±12) and
 * labels drawn from Bernoulli(sigmoid(logit + noise)), so most losses are moderate and some are tiny or large.
 */
export function binaryInputs(n: number, Type: FloatArrayConstructor, seed = 7): { labels: FloatArray; logits: FloatArray } {
  const random = mulberry32(seed);
  const labels = new Type(n);
  const logits = new Type(n);
  for (let i = 0; i < n; i++) {
    const s = 4 * normal(random);
    logits[i] = s;
    const p = 1 / (1 + Math.exp(-(s + normal(random))));
    labels[i] = random() < p ? 1 : 0;
  }
  return { labels, logits };
}

/** A multi-class batch: rows of logits ~ 3 N(0, 1) with the true class nudged up by 2, integer labels. */
export function categoricalInputs(rows: number, classes: number, seed = 11): { labels: Int32Array; logits: Float64Array } {
  const random = mulberry32(seed);
  const labels = new Int32Array(rows);
  const logits = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const y = Math.floor(random() * classes);
    labels[r] = y;
    for (let k = 0; k < classes; k++) logits[r * classes + k] = 3 * normal(random) + (k === y ? 2 : 0);
  }
  return { labels, logits };
}
