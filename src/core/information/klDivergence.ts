import { type InformationOptions, checkPair, logBase } from "./distributions.js";
import { type NumericArray } from "../common/reduction.js";

/**
 * The Kullback–Leibler divergence `KL(p || q) = sum_i p_i log(p_i / q_i)`, in nats (or `options.base`):
 * `crossEntropy(p, q) - entropy(p)`, >= 0, and 0 only for p = q. What a model's cross-entropy loses to the
 * best possible one.
 *
 * ## Method
 * The terms p_i log(p_i / q_i) have both signs and cancel when q is close to p (then KL is about
 * sum (p_i - q_i)^2 / (2 q_i), far below the terms). Each term is split as
 *   `p log(p/q) = g + (p - q)`,   `g = q h(p/q)`,   `h(r) = r log r - r + 1 >= 0`,
 * and the sum is `sum g_i + sum (p_i - q_i)`: the first sum has no cancellation, the second is exact up
 * to the compensated sum's rounding (each difference is split exactly by TwoSum) and is 0 for exactly
 * normalized inputs. h near r = 1 is the series in x = (p - q)/q (p - q is exact there, Sterbenz):
 *   `h = x^2 (1/2 - x/6 + x^2/12 - ...) = x^2 sum_{n >= 2} (-x)^(n-2) / (n (n - 1))`, for -0.5 <= x <= 0.75;
 * elsewhere `g = p log(p/q) - (p - q)` cancels by at most a factor of 4.3. `log(p/q)` is one rounded
 * quotient and a log (relative 1.5 ulps for |log(p/q)| > 0.4); when p/q overflows or underflows it is
 * `log p - log q`, then of magnitude > 708.
 *
 * ## Special cases
 * Terms with p_i = 0 are 0 (0 log 0 = 0); q_i = 0 < p_i gives Infinity. p and q must be distributions of
 * the same length (in [0, 1], summing to 1 within 1e-5), else a RangeError.
 *
 * @example klDivergence([0.5, 0.5], [0.25, 0.75]) // 0.14384103622589045
 * @example klDivergence([1, 0], [0.5, 0.5], { base: 2 }) // 1
 */
export function klDivergence(p: NumericArray, q: NumericArray, options?: InformationOptions): number {
  const fn = "klDivergence";
  checkPair(fn, p, q);
  const divisor = logBase(fn, options);
  let g = 0;
  let gc = 0;
  let d = 0;
  let dc = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return Infinity;
    // p - q = diff + err exactly (TwoSum).
    const diff = pi - qi;
    const bb = diff - pi;
    const err = pi - (diff - bb) + (-qi - bb);
    let term: number;
    const x = diff / qi;
    if (x >= -0.5 && x <= 0.75) term = diff * x * series(x);
    else {
      const r = pi / qi;
      const logRatio = r < Infinity && r >= 2.2250738585072014e-308 ? Math.log(r) : Math.log(pi) - Math.log(qi);
      term = pi * logRatio - diff;
    }
    let t = g + term;
    gc += g >= term ? g - t + term : term - t + g;
    g = t;
    t = d + diff;
    dc += Math.abs(d) >= Math.abs(diff) ? d - t + diff : diff - t + d;
    d = t;
    dc += err;
  }
  // sum (p_i - q_i) is 0 for exactly normalized p and q; for inputs normalized only within the tolerance
  // it is kept (the value is that of the given numbers, which can then be slightly negative).
  return (g + gc + (d + dc)) / divisor;
}

/** `h(1 + x) / x^2 = sum_{n >= 2} (-x)^(n-2) / (n (n - 1))`, summed until the terms stop mattering. */
function series(x: number): number {
  let sum = 0.5;
  let power = 1;
  for (let n = 3; n < 200; n++) {
    power *= -x;
    const term = power / (n * (n - 1));
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}
