import { checkOptions, fail } from "../common/checks.js";
import { MetricSum, setupMetric } from "./metricBatch.js";
import { type NumericArray, type Reduction, type ReductionOptions } from "../common/reduction.js";

type Reduced = ReductionOptions & { reduction?: Exclude<Reduction, "none"> };
type PerSample = ReductionOptions & { reduction: "none" };

/**
 * The Brier score of binary probability forecasts (G. W. Brier, 1950): the mean squared error
 * `sum_i w_i (p_i - y_i)^2 / sum_i w_i` between the probability of y = 1 and the label in {0, 1}.
 * 0 is perfect, 0.25 is the score of always saying 0.5, 1 is confidently wrong everywhere. Unlike the log
 * loss it stays finite for p = 0 or 1, so it is a useful companion figure.
 *
 * ## Method
 * `p - y` is exact for y in {0, 1} and p in [0, 1] (Sterbenz for y = 1, trivially for y = 0), so each term is
 * one rounding; the terms are non-negative and summed with Neumaier's compensated sum, so the result is
 * within a few ulps of the exact value for any batch size. Reductions as for the losses.
 *
 * @example brierScore([1, 0], [0.9, 0.2]) // 0.025
 * @example brierScore([1, 0], [0.9, 0.2], { reduction: "sum" }) // 0.05
 */
export function brierScore(labels: NumericArray, probabilities: NumericArray, options?: Reduced): number;
export function brierScore(labels: NumericArray, probabilities: NumericArray, options: PerSample): Float64Array;
export function brierScore(labels: NumericArray, probabilities: NumericArray, options: ReductionOptions = {}): number | Float64Array {
  const fn = "brierScore";
  checkOptions(fn, options, ["reduction", "weights"]);
  const setup = setupMetric(fn, labels, probabilities, "probabilities", options);
  const out = new MetricSum(setup);
  for (let i = 0; i < setup.n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) fail(`${fn}: labels[${i}]`, y, "is not 0 or 1");
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) fail(`${fn}: probabilities[${i}]`, p, "is not in [0, 1]");
    const d = p - y;
    out.add(i, d * d);
  }
  return out.result();
}
