import { type NumericArray } from "../common/reduction.js";

/**
 * @internal The rare paths of the batch reductions, kept out of the hot loops: a weighted sum that
 * overflows although its mean is finite, and weights so large or so tiny that their sum overflows or the
 * products `w_i L_i` underflow.
 *
 * ## Method
 * Multiplying by a power of two is exact (unless the result leaves the normal range), so the terms can be
 * re-accumulated scaled: with `2^a` and `2^b` chosen to bring the largest loss and the largest weight to
 * about 2^480, every product `(w_i 2^b)(L_i 2^a)` is below 2^962 and a sum of up to 2^53 of them stays finite.
 * The mean is `(T / (D 2^-d)) 2^(a' + b' - d)` with D's exponent d taken out first, so neither the
 * quotient nor the scaled sum can overflow or underflow; the final scaling back is exact unless the true
 * mean itself overflows (then Infinity, the correctly rounded value) or is subnormal. The result is the
 * same compensated sum and one division as on the common path: within the same few ulps.
 * A weighted mean is invariant under scaling all weights by 2^k, so extreme weights are rescaled before
 * the pass (`rescaledWeights`).
 */

/** floor(log2 x) for a finite x > 0, possibly off by one (the callers leave a factor 2 of slack). */
function exponent(x: number): number {
  return Math.floor(Math.log2(x));
}

/** x * 2^k, in steps that keep each factor a finite power of two. */
function scaleByPowerOfTwo(x: number, k: number): number {
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/** @internal Whether a weighted sum `sum + c` over `divisor` must be recomputed by `overflowedMean`. */
export function overflowed(total: number, divisor: number): boolean {
  return total === Infinity && divisor > 1;
}

/**
 * @internal `sum_i w_i L_i / divisor` from the unweighted per-sample losses L_i (>= 0) and the weights
 * (undefined: all 1), exactly scaled so that no intermediate overflows. Infinity when a sample of weight > 0
 * has an infinite loss (the true value), or when the mean itself exceeds the largest double.
 */
export function overflowedMean(losses: ArrayLike<number>, weights: NumericArray | undefined, divisor: number): number {
  const n = losses.length;
  let maxLoss = 0;
  let maxWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    if (w === 0) continue;
    const loss = losses[i]!;
    if (loss === Infinity) return Infinity;
    if (loss > maxLoss) maxLoss = loss;
    if (w > maxWeight) maxWeight = w;
  }
  if (maxLoss === 0) return 0;
  const a = 480 - exponent(maxLoss);
  const b = 480 - exponent(maxWeight);
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    if (w === 0) continue;
    const term = scaleByPowerOfTwo(w, b) * scaleByPowerOfTwo(losses[i]!, a);
    const t = sum + term;
    c += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  const d = exponent(divisor);
  return scaleByPowerOfTwo((sum + c) / scaleByPowerOfTwo(divisor, -d), -a - b - d);
}

/** Below this total weight the products `w_i L_i` may lose digits to underflow; a weighted mean then rescales. */
const TINY_WEIGHT_SUM = 2 ** -600;

/**
 * @internal Whether the weights of a weighted mean should be rescaled (`rescaledWeights`): their compensated
 * sum overflows (Infinity, or NaN from an infinite running sum plus its compensation) or is tiny.
 */
export function extremeWeights(weightSum: number): boolean {
  return !(weightSum < Infinity) || (weightSum < TINY_WEIGHT_SUM && weightSum > 0);
}

/**
 * @internal The weights (finite, >= 0, checked) times the power of two that brings the largest to about 1,
 * and their compensated sum: a weighted mean is unchanged, but neither the weight sum overflows nor a
 * subnormal weight turns `w_i L_i` into 0 or its smallest multiple.
 */
export function rescaledWeights(weights: NumericArray): { weights: Float64Array; sum: number } {
  let max = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > max) max = weights[i]!;
  const k = -exponent(max);
  const scaled = new Float64Array(weights.length);
  let sum = 0;
  let c = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = scaleByPowerOfTwo(weights[i]!, k);
    scaled[i] = w;
    const t = sum + w;
    c += sum >= w ? sum - t + w : w - t + sum;
    sum = t;
  }
  return { weights: scaled, sum: sum + c };
}

/**
 * @internal A compensated sum `sum + c`, divided. An infinite sum has a NaN compensation (Infinity - Infinity):
 * the sum itself is then the answer, unless the divisor may bring it back into range: then the unweighted
 * per-sample losses are recomputed (`losses`, only on this rare path) and re-summed scaled (extremeSums.ts).
 */
export function reduced(sum: number, c: number, divisor: number, weights: NumericArray | undefined, losses: () => number | Float64Array): number {
  const total = sum < Infinity ? sum + c : sum;
  return overflowed(total, divisor) ? overflowedMean(losses() as Float64Array, weights, divisor) : total / divisor;
}

/** @internal The options of a pass that recomputes the unweighted per-sample losses. */
export function unweighted<O extends object>(options: O): O {
  return { ...options, reduction: "none", weights: undefined };
}
