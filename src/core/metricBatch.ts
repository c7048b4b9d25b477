import { fail } from "./checks.js";
import { prepare } from "./binaryBatch.js";
import { type NumericArray, type ReductionOptions } from "./reduction.js";

/** @internal What a metric loop needs to know before it starts. */
export interface MetricSetup {
  n: number;
  weights: NumericArray | undefined;
  perSample: Float64Array | null;
  /** The divisor of the reduction (`reductionDivisor`). */
  divisor: number;
}

/**
 * @internal The shared checks of the metric batches (Brier score, accuracy): options, lengths, weights
 * (each finite and >= 0, checked here so the loops need not), as the losses check them (`prepare` in
 * binaryBatch.ts, given only the reduction and the weights). The loops then weigh each term, reduce with
 * Neumaier's compensated sum as the losses do, in `reduceMetric` (see `reduction.ts` for the meaning of each
 * reduction). A sample of weight 0 contributes 0.
 */
export function setupMetric(fn: string, labels: NumericArray, inputs: NumericArray, inputName: string, options: ReductionOptions): MetricSetup {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object");
  const reductionOptions = { reduction: options.reduction, weights: options.weights };
  const { n, weights, perSample, divisor } = prepare(fn, labels, inputs, inputName, reductionOptions, true, false);
  return { n, weights, perSample, divisor };
}

/**
 * @internal The metric loop: `term(i)` is sample i's unweighted value (>= 0; it checks sample i's inputs),
 * which is weighed, then kept per sample (reduction "none") or added up with Neumaier's compensated sum and
 * reduced.
 */
export function reduceMetric(setup: MetricSetup, term: (i: number) => number): number | Float64Array {
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
  return perSample ?? (sum + c) / setup.divisor;
}
