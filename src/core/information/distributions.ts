import { checkOptions, fail } from "../common/checks.js";
import { TARGET_SUM_TOLERANCE } from "../categorical/categoricalBatch.js";
import { type NumericArray } from "../common/reduction.js";

/** Options of `entropy`, `crossEntropy` and `klDivergence`. */
export interface InformationOptions {
  /** The logarithm's base: e (nats) by default, 2 for bits, 10 for hartleys; finite, > 0 and != 1. */
  base?: number;
}

/**
 * @internal Checks that `p` is a discrete distribution: an array of numbers in [0, 1] summing to 1 within
 * the soft labels' tolerance (1e-5; used as given, not renormalized). Throws a RangeError naming the index.
 */
export function checkDistribution(fn: string, name: string, p: NumericArray): void {
  if (p == null || typeof p.length !== "number" || typeof p === "string") {
    throw new TypeError(`${fn}: ${name} is not an array of numbers`);
  }
  let sum = 0;
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) fail(`${fn}: ${name}[${i}]`, v, "is not a probability in [0, 1]");
    const t = sum + v;
    c += sum >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  sum += c;
  if (!(Math.abs(sum - 1) <= TARGET_SUM_TOLERANCE)) {
    throw new RangeError(`${fn}: ${name} sums to ${sum}, not 1 (tolerance ${TARGET_SUM_TOLERANCE})`);
  }
}

/** @internal Checks two distributions of the same length. */
export function checkPair(fn: string, p: NumericArray, q: NumericArray): void {
  checkDistribution(fn, "p", p);
  checkDistribution(fn, "q", q);
  if (p.length !== q.length) throw new RangeError(`${fn}: p has length ${p.length} but q has length ${q.length}`);
}

/** @internal The divisor that converts nats to the requested base: log(base) (1 for e, LN2 for bits). */
export function logBase(fn: string, options: InformationOptions | undefined): number {
  checkOptions(fn, options, ["base"]);
  const base = options?.base;
  if (base === undefined) return 1;
  if (!(base > 0 && base < Infinity && base !== 1)) fail(`${fn}: options.base`, base, "is not a finite number > 0 other than 1");
  return base === 2 ? Math.LN2 : Math.log(base);
}

/**
 * @internal `-sum_i p_i log q_i` in nats, the terms with p_i = 0 skipped (0 log 0 = 0), Neumaier-summed (every
 * term is >= 0): within a few ulps. Infinity where q_i = 0 < p_i. With q = p it is the entropy of p.
 */
export function crossEntropySum(p: NumericArray, q: NumericArray): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (v === 0) continue;
    const term = -v * Math.log(q[i]!);
    const t = sum + term;
    c += sum >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  return sum < Infinity ? sum + c : sum;
}
