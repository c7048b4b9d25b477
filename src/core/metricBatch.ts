import { fail } from "./checks.js";
import { extremeWeights, rescaledWeights } from "./extremeSums.js";
import { type NumericArray, type Reduction, type ReductionOptions, checkReduction, checkSameLength, reductionDivisor } from "./reduction.js";

/** @internal What a metric loop needs to know before it starts. */
export interface MetricSetup {
  n: number;
  reduction: Reduction;
  weights: NumericArray | undefined;
  perSample: Float64Array | null;
}

/**
 * @internal The shared checks of the metric batches (Brier score, accuracy): options, lengths, weights
 * (each finite and >= 0, checked here so the loops need not). The loops then weigh each term, reduce with
 * Neumaier's compensated sum as the losses do, in `reduceMetric` (see `reduction.ts` for the meaning
 * of each reduction). A sample of weight 0 contributes 0.
 */
export function setupMetric(fn: string, labels: NumericArray, inputs: NumericArray, inputName: string, options: ReductionOptions): MetricSetup {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object");
  const n = checkSameLength(fn, "labels", labels, inputName, inputs);
  const reduction = checkReduction(fn, options.reduction);
  let weights = options.weights;
  if (weights !== undefined) {
    if (weights == null || typeof weights.length !== "number") fail(`${fn}: options.weights`, weights, "is not an array");
    if (weights.length !== n) {
      throw new RangeError(`${fn}: options.weights has length ${weights.length} but labels has length ${n}`);
    }
    let sum = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: weights[${i}]`, w, "is not a finite number >= 0");
      const t = sum + w;
      c += sum >= w ? sum - t + w : w - t + sum;
      sum = t;
    }
    // A weighted mean is invariant under scaling the weights: bring extreme ones near 1 (extremeSums.ts).
    if (reduction === "mean" && extremeWeights(sum + c)) weights = rescaledWeights(weights).weights;
  }
  return { n, reduction, weights, perSample: reduction === "none" ? new Float64Array(n) : null };
}

/**
 * @internal The metric loop: `term(i)` is sample i's unweighted value (>= 0; it checks sample i's inputs),
 * which is weighed, then kept per sample (reduction "none") or added up with Neumaier's compensated sum and
 * reduced.
 */
export function reduceMetric(fn: string, setup: MetricSetup, term: (i: number) => number): number | Float64Array {
  const { n, weights, perSample } = setup;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    let v = term(i);
    if (weights !== undefined) v *= weights[i]!;
    if (perSample !== null) perSample[i] = v;
    else {
      const t = sum + v;
      c += sum >= v ? sum - t + v : v - t + sum; // both >= 0
      sum = t;
    }
  }
  return finishMetric(fn, setup, sum, c);
}

/** The reduced value from a compensated sum `sum + c`. */
function finishMetric(fn: string, setup: MetricSetup, sum: number, c: number): number | Float64Array {
  if (setup.perSample !== null) return setup.perSample;
  const { weights, n } = setup;
  let weightSum = n;
  if (weights !== undefined) {
    let s = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      const t = s + w;
      e += s >= w ? s - t + w : w - t + s;
      s = t;
    }
    weightSum = s + e;
  }
  return (sum + c) / reductionDivisor(fn, setup.reduction, weightSum, n);
}
