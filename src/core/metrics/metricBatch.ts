import { fail } from "../common/checks.js";
import { prepare } from "../binary/binaryBatch.js";
import { type NumericArray, type ReductionOptions } from "../common/reduction.js";

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
 * Neumaier's compensated sum as the losses do, in a `MetricSum` (see `reduction.ts` for the meaning of each
 * reduction). A sample of weight 0 contributes 0.
 */
export function setupMetric(fn: string, labels: NumericArray, inputs: NumericArray, inputName: string, options: ReductionOptions): MetricSetup {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object");
  const reductionOptions = { reduction: options.reduction, weights: options.weights };
  const { n, weights, perSample, divisor } = prepare(fn, labels, inputs, inputName, reductionOptions, true, false);
  return { n, weights, perSample, divisor };
}

/**
 * @internal The end of a metric loop: `add(i, v)` takes sample i's unweighted value v (>= 0), weighs it, and
 * keeps it per sample (reduction "none") or adds it up with Neumaier's compensated sum; `result()` reduces.
 * One class for every metric, so the call in each loop stays monomorphic (inlined).
 */
export class MetricSum {
  private sum = 0;
  private c = 0;
  private readonly setup: MetricSetup;

  constructor(setup: MetricSetup) {
    this.setup = setup;
  }

  add(i: number, value: number): void {
    const { weights, perSample } = this.setup;
    const v = weights === undefined ? value : value * weights[i]!;
    if (perSample !== null) perSample[i] = v;
    else {
      const t = this.sum + v;
      this.c += this.sum >= v ? this.sum - t + v : v - t + this.sum; // both >= 0
      this.sum = t;
    }
  }

  result(): number | Float64Array {
    return this.setup.perSample ?? (this.sum + this.c) / this.setup.divisor;
  }
}
