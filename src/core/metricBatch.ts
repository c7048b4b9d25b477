import { fail } from "./checks.js";
import { type NumericArray, type ReductionOptions, checkReduction, checkSameLength, reductionDivisor } from "./reduction.js";

/**
 * @internal The shared skeleton of the metric batches (Brier score, accuracy): checks the options and
 * lengths, applies `term(i)` to every sample, weighs it and reduces with Neumaier's compensated sum, as the
 * losses do (see `reduction.ts` for the meaning of each reduction). A sample of weight 0 contributes 0.
 */
export function reduceTerms(
  fn: string,
  labels: NumericArray,
  inputs: NumericArray,
  inputName: string,
  options: ReductionOptions,
  term: (i: number) => number,
): number | Float64Array {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object");
  const n = checkSameLength(fn, "labels", labels, inputName, inputs);
  const reduction = checkReduction(fn, options.reduction);
  const weights = options.weights;
  if (weights !== undefined) {
    if (weights == null || typeof weights.length !== "number") fail(`${fn}: options.weights`, weights, "is not an array");
    if (weights.length !== n) {
      throw new RangeError(`${fn}: options.weights has length ${weights.length} but labels has length ${n}`);
    }
  }
  const perSample = reduction === "none" ? new Float64Array(n) : null;
  let sum = 0;
  let c = 0;
  let wsum = 0;
  let wc = 0;
  for (let i = 0; i < n; i++) {
    let w = 1;
    if (weights !== undefined) {
      w = weights[i]!;
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: weights[${i}]`, w, "is not a finite number >= 0");
      const t = wsum + w;
      wc += wsum >= w ? wsum - t + w : w - t + wsum;
      wsum = t;
    }
    let v = term(i);
    if (w !== 1) v = w === 0 ? 0 : w * v;
    if (perSample !== null) perSample[i] = v;
    else {
      const t = sum + v;
      c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
    }
  }
  if (perSample !== null) return perSample;
  const weightSum = weights === undefined ? n : wsum + wc;
  return (sum + c) / reductionDivisor(fn, reduction, weightSum, n);
}

/** @internal A hard binary label: exactly 0 or 1. */
export function checkHardLabel(fn: string, labels: NumericArray, i: number): number {
  const y = labels[i]!;
  if (y !== 0 && y !== 1) fail(`${fn}: labels[${i}]`, y, "is not 0 or 1");
  return y;
}
