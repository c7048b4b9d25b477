import { checkOptions, fail } from "../common/checks.js";
import { MetricSum, setupMetric } from "./metricBatch.js";
import { type NumericArray, type Reduction, type ReductionOptions } from "../common/reduction.js";

/** Options of `accuracy`. */
export interface AccuracyOptions extends ReductionOptions {
  /**
   * A sample is predicted positive when its score is strictly above the threshold: 0.5 (the default) for
   * probabilities, 0 for logits. A score exactly at the threshold predicts 0.
   */
  threshold?: number;
}

type Reduced = AccuracyOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = AccuracyOptions & { reduction: "none" };

/**
 * Binary accuracy: the (weighted) fraction of samples whose predicted class `score > threshold ? 1 : 0`
 * equals the label in {0, 1}. With reduction "sum" it is the total weight of the correct samples, which is
 * what a streaming or sharded evaluation accumulates (compensated, like every sum in xent).
 *
 * @example accuracy([1, 0, 1], [0.9, 0.2, 0.4]) // 0.6666666666666666
 * @example accuracy([1, 0], [2.5, -1], { threshold: 0 }) // 1
 */
export function accuracy(labels: NumericArray, scores: NumericArray, options?: Reduced): number;
export function accuracy(labels: NumericArray, scores: NumericArray, options: PerSample): Float64Array;
export function accuracy(labels: NumericArray, scores: NumericArray, options: AccuracyOptions = {}): number | Float64Array {
  const fn = "accuracy";
  checkOptions(fn, options, ["reduction", "weights", "threshold"]);
  const setup = setupMetric(fn, labels, scores, "scores", options);
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== "number" || threshold !== threshold) fail(`${fn}: options.threshold`, threshold, "is not a number");
  const out = new MetricSum(setup);
  for (let i = 0; i < setup.n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) fail(`${fn}: labels[${i}]`, y, "is not 0 or 1");
    const s = scores[i]!;
    if (s !== s) fail(`${fn}: scores[${i}]`, s, "is not a number");
    out.add(i, (s > threshold ? 1 : 0) === y ? 1 : 0);
  }
  return out.result();
}
