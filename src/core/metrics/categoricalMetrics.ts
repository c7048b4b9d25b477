import { checkOptions, fail } from "../common/checks.js";
import { MetricSum, setupMetric } from "./metricBatch.js";
import { type NumericArray, type Reduction, type ReductionOptions } from "../common/reduction.js";

/** Options of the multi-class metrics: rows of `classes` values, row-major. */
export interface CategoricalMetricOptions extends ReductionOptions {
  /** The number of classes k (an integer >= 2): the inputs are n rows of k values. */
  classes: number;
}

type Reduced = CategoricalMetricOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = CategoricalMetricOptions & { reduction: "none" };

function checkShape(fn: string, labels: NumericArray, inputs: NumericArray, name: string, options: CategoricalMetricOptions): number {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object with a classes field");
  checkOptions(fn, options, ["classes", "reduction", "weights"]);
  const k = options.classes;
  if (!(Number.isInteger(k) && k >= 2)) fail(`${fn}: options.classes`, k, "is not an integer >= 2");
  if (labels == null || typeof labels.length !== "number") fail(`${fn}: labels`, labels, "is not an array");
  if (inputs == null || typeof inputs.length !== "number") fail(`${fn}: ${name}`, inputs, "is not an array");
  if (inputs.length !== labels.length * k) {
    throw new RangeError(`${fn}: ${name} has length ${inputs.length} but labels has ${labels.length} rows of ${k} classes`);
  }
  return k;
}

function classId(fn: string, labels: NumericArray, i: number, k: number): number {
  const y = labels[i]!;
  if (!(Number.isInteger(y) && y >= 0 && y < k)) fail(`${fn}: labels[${i}]`, y, `is not a class id in [0, ${k - 1}]`);
  return y;
}

/**
 * The multi-class Brier score (Brier's original definition): `sum_j (p_j - [y = j])^2` per row, the squared
 * distance between the probability row and the one-hot row of the class id y; weighted mean over the rows.
 * It ranges over [0, 2]. Probabilities in [0, 1], used as given (rows are not renormalized).
 *
 * ## Method
 * Each difference is exact (Sterbenz) for the true class and trivially for the others; the k squares of a
 * row and the rows themselves are added with Neumaier's compensated sum (all terms >= 0).
 *
 * @example categoricalBrierScore([1], [0.25, 0.5, 0.25], { classes: 3 }) // 0.375
 */
export function categoricalBrierScore(labels: NumericArray, probabilities: NumericArray, options: Reduced): number;
export function categoricalBrierScore(labels: NumericArray, probabilities: NumericArray, options: PerSample): Float64Array;
export function categoricalBrierScore(labels: NumericArray, probabilities: NumericArray, options: CategoricalMetricOptions): number | Float64Array {
  const fn = "categoricalBrierScore";
  const k = checkShape(fn, labels, probabilities, "probabilities", options);
  const setup = setupMetric(fn, labels, labels, "labels", options);
  const out = new MetricSum(setup);
  for (let i = 0; i < setup.n; i++) {
    const y = classId(fn, labels, i, k);
    let rs = 0;
    let rc = 0;
    for (let j = 0; j < k; j++) {
      const p = probabilities[i * k + j]!;
      if (!(p >= 0 && p <= 1)) fail(`${fn}: probabilities[${i * k + j}] (row ${i}, class ${j})`, p, "is not in [0, 1]");
      const d = j === y ? p - 1 : p;
      const v = d * d;
      const t = rs + v;
      rc += rs >= v ? rs - t + v : v - t + rs;
      rs = t;
    }
    out.add(i, rs + rc);
  }
  return out.result();
}

/**
 * Multi-class accuracy: the weighted fraction of rows whose largest score (probability or logit: the
 * argmax is the same) is at the class id y. A tie for the largest counts as the first of the tied classes.
 *
 * @example categoricalAccuracy([2, 0], [0.1, 0.2, 0.7, 0.3, 0.6, 0.1], { classes: 3 }) // 0.5
 */
export function categoricalAccuracy(labels: NumericArray, scores: NumericArray, options: Reduced): number;
export function categoricalAccuracy(labels: NumericArray, scores: NumericArray, options: PerSample): Float64Array;
export function categoricalAccuracy(labels: NumericArray, scores: NumericArray, options: CategoricalMetricOptions): number | Float64Array {
  const fn = "categoricalAccuracy";
  const k = checkShape(fn, labels, scores, "scores", options);
  const setup = setupMetric(fn, labels, labels, "labels", options);
  const out = new MetricSum(setup);
  for (let i = 0; i < setup.n; i++) {
    const y = classId(fn, labels, i, k);
    let best = 0;
    let top = -Infinity;
    for (let j = 0; j < k; j++) {
      const s = scores[i * k + j]!;
      if (s !== s) fail(`${fn}: scores[${i * k + j}] (row ${i}, class ${j})`, s, "is not a number");
      if (s > top || j === 0) {
        top = s;
        best = j;
      }
    }
    out.add(i, best === y ? 1 : 0);
  }
  return out.result();
}
