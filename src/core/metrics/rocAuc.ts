import { checkOptions, fail } from "../common/checks.js";
import { CompensatedSum } from "../numerics/compensatedSum.js";
import { type NumericArray } from "../common/reduction.js";
import { ScoreIndex } from "./scoreIndex.js";
import { type JsonNumber, decodeNumberArray, encodeNumber, expectCount, expectObject } from "./stateJson.js";

/** The scale of a score: a probability of y = 1 in [0, 1], or a logit (any number, ±Infinity allowed). */
export type ScoreScale = "probability" | "logit";

/** Options of a `RocAucAccumulator`. */
export interface RocAucOptions {
  /** How many distinct scores are kept exactly before switching to the histogram; default 65536. */
  maxDistinct?: number;
}

/** The AUC and a bound on its error: the true AUC of the data is within `auc ± errorBound`. */
export interface RocAucResult {
  auc: number;
  /** 0 while the accumulator is exact; the half-weight of the pairs sharing a histogram bin, after. */
  errorBound: number;
}

/** The JSON form of a `RocAucAccumulator` (see `toJSON`). */
export interface RocAucState {
  mode: "exact" | "histogram";
  scale: ScoreScale;
  maxDistinct: number;
  /** Exact mode: the distinct scores; histogram mode: the indices of the non-empty bins. */
  keys: JsonNumber[];
  positive: number[];
  negative: number[];
}

/**
 * Histogram geometry: 32770 bins either way, spread where classifiers put their scores (near p = 0 and 1 as
 * much as near 0.5), so that ties within a bin stay rare.
 * - Logits: bins of width 1/256 over [-64, 64) (a probability near 0.5 is resolved to about 0.001, one near
 *   1e-6 to a relative 0.4%); bin 0 holds the logits below -64 (with -Infinity) and the last bin those >= 64.
 * - Probabilities: the same resolution without a log. With q = min(p, 1 - p) (1 - p is exact for p >= 0.5),
 *   the top 20 bits of q's IEEE-754 pattern (exponent and the first 8 bits of the significand) are a
 *   piecewise-linear log2 of q, monotone in q: 256 bins per factor of 2 of q (a relative width of 2^-8, like
 *   1/256 of a logit), for q from 2^-64 to 0.5; q below 2^-64 (p = 0 and p = 1 included) has one bin per side.
 *   The p > 0.5 side is mirrored above the p <= 0.5 side, so bins are ordered as the probabilities.
 */
const BINS_PER_UNIT = 256;
const RANGE = 64;
const BINS = 2 * RANGE * BINS_PER_UNIT + 2;

function binOfLogit(s: number): number {
  if (s < -RANGE) return 0;
  if (s >= RANGE) return BINS - 1;
  return 1 + Math.floor((s + RANGE) * BINS_PER_UNIT);
}

const scratch = new Float64Array(1);
/** The word with the sign, exponent and top significand bits (the second one on little-endian machines). */
const high = new Uint32Array(scratch.buffer, new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 4 : 0, 1);
/** The high word of 2^-64: exponent 1023 - 64. */
const LOW_LIMIT = (1023 - 64) << 20;
/**
 * The bin of q in [0, 0.5] on one side: 0 below 2^-64, then 256 per octave (1 + 64 * 256 = BINS / 2 bins).
 * The sign bit is dropped: q = -0 (a probability written "-0") is in bin 0 with +0, not past the histogram.
 */
function sideBin(q: number): number {
  scratch[0] = q;
  const h = high[0]! & 0x7fffffff;
  return h < LOW_LIMIT ? 0 : 1 + ((h - LOW_LIMIT) >>> 12);
}

/** @internal The histogram bin of probability p (exported for the fused pass of binaryProbabilityPass.ts). */
export function binOfProbability(p: number): number {
  return p <= 0.5 ? sideBin(p) : BINS - 1 - sideBin(1 - p);
}

/** The double whose high word is `h` and low word 0 (the lower edge of a probability bin). */
function fromHighWord(h: number): number {
  scratch[0] = 0;
  high[0] = h;
  return scratch[0];
}

/**
 * The score range of histogram bin b, [lower, upper] (the inverse of `binOfLogit` / `binOfProbability`):
 * the bin's scores lie between the two, inclusive (low side [lo, hi), mirrored side (1 - hi, 1 - lo]; the
 * bin of q = 0.5 exactly is [0.5, 0.5]). Probability side bins: j = 0 is [0, 2^-64); j >= 1 holds the q whose
 * high word lies in [LOW_LIMIT + (j - 1) 2^12, LOW_LIMIT + j 2^12), upper edge capped at q = 0.5; the
 * p > 0.5 side mirrors it through 1 - q (exact for q in [2^-64, 0.5] only up to rounding: an edge is off
 * by at most half an ulp of 1, well inside the bin's relative width of 2^-8).
 */
function binEdges(b: number, scale: ScoreScale): [number, number] {
  if (scale === "logit") {
    if (b === 0) return [-Infinity, -RANGE];
    if (b === BINS - 1) return [RANGE, Infinity];
    return [-RANGE + (b - 1) / BINS_PER_UNIT, -RANGE + b / BINS_PER_UNIT];
  }
  const side = (j: number): [number, number] =>
    j === 0 ? [0, fromHighWord(LOW_LIMIT)] : [fromHighWord(LOW_LIMIT + ((j - 1) << 12)), Math.min(0.5, fromHighWord(LOW_LIMIT + (j << 12)))];
  if (b < BINS / 2) return side(b);
  const [lo, hi] = side(BINS - 1 - b);
  return [1 - hi, 1 - lo];
}

/**
 * A mergeable, bounded-memory accumulator of the area under the ROC curve of binary scores: the probability
 * that a random positive scores above a random negative, ties counting one half (the Mann–Whitney U
 * statistic divided by P N), with weights: `sum_{i pos, j neg} w_i w_j [s_i > s_j] + 1/2 [s_i = s_j]` over
 * `(sum_pos w)(sum_neg w)`.
 *
 * ## Representation
 * - Exact while small: a map from each distinct score to the total weight of its positives and negatives.
 *   Scores printed with a few decimals (the usual prediction file) stay in this mode forever and the AUC is
 *   exact (up to the rounding of the weight sums; integer counts below 2^53 are exact).
 * - Past `maxDistinct` distinct scores (65536 by default, about 2 MB), the map is folded into a fixed
 *   histogram (see the geometry above: 32770 bins, 0.5 MB, whatever the data size).
 *   Within a bin the order of positives and negatives is lost and every such pair counts one half, so the
 *   reported AUC is within `errorBound = (1/2) sum_b pos_b neg_b / (P N)` of the exact one; `result()`
 *   returns that bound, computed from the data (typically 1e-5 to 1e-4 for a million well-spread scores).
 * (The exact map is a typed-array hash table, `ScoreIndex`.) Both modes are deterministic functions of the multiset of (score, label, weight), so merging shards gives
 * the same representation as accumulating the concatenated data, and the same AUC up to the rounding of the
 * per-score weight sums.
 *
 * The AUC itself is a sweep over the scores in increasing order, `sum_b pos_b (negBelow_b + neg_b / 2)`, with
 * compensated sums.
 */
export class RocAucAccumulator {
  readonly scale: ScoreScale;
  readonly maxDistinct: number;
  /** Exact mode: score -> slot in `pos`/`neg`. Null in histogram mode. */
  private index: ScoreIndex | null = new ScoreIndex();
  private keys: number[] = [];
  private pos: number[] = [];
  private neg: number[] = [];
  /** Histogram mode: interleaved [pos, neg] weight per bin. */
  private hist: Float64Array | null = null;

  constructor(scale: ScoreScale = "probability", options: RocAucOptions = {}) {
    if (scale !== "probability" && scale !== "logit") fail("RocAucAccumulator: scale", scale, 'is not "probability" or "logit"');
    checkOptions("RocAucAccumulator", options, ["maxDistinct"]);
    const maxDistinct = options.maxDistinct ?? 65536;
    if (!(Number.isSafeInteger(maxDistinct) && maxDistinct >= 1)) {
      fail("RocAucAccumulator: options.maxDistinct", maxDistinct, "is not an integer >= 1");
    }
    this.scale = scale;
    this.maxDistinct = maxDistinct;
  }

  /** True while the AUC is exact (no histogram yet). */
  get exact(): boolean {
    return this.hist === null;
  }

  /**
   * Adds a batch: labels in {0, 1}, scores on the accumulator's scale, optional weights (finite, >= 0).
   * Probabilities outside [0, 1] and NaN scores throw a RangeError naming the index.
   */
  add(labels: NumericArray, scores: NumericArray, weights?: NumericArray): this {
    const fn = "RocAucAccumulator.add";
    const n = labels.length;
    if (scores.length !== n) throw new RangeError(`${fn}: labels has length ${n} but scores has length ${scores.length}`);
    if (weights !== undefined && weights.length !== n) {
      throw new RangeError(`${fn}: weights has length ${weights.length} but labels has length ${n}`);
    }
    // Check everything first, so that a bad element leaves the accumulator as it was.
    const probability = this.scale === "probability";
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      if (y !== 0 && y !== 1) fail(`${fn}: labels[${i}]`, y, "is not 0 or 1");
      const s = scores[i]!;
      if (probability ? !(s >= 0 && s <= 1) : s !== s) {
        fail(`${fn}: scores[${i}]`, s, probability ? "is not in [0, 1]" : "is not a number");
      }
      const w = weights === undefined ? 1 : weights[i]!;
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: weights[${i}]`, w, "is not a finite number >= 0");
    }
    return this.addChecked(labels, scores, weights);
  }

  /**
   * @internal `add` for a batch already checked (labels 0 or 1, scores on this scale, weights finite and
   * >= 0, equal lengths): `BinaryEvaluation` checks them on its own passes.
   */
  addChecked(labels: NumericArray, scores: NumericArray, weights?: NumericArray): this {
    const n = labels.length;
    const probability = this.scale === "probability";
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      const s = scores[i]!;
      const w = weights === undefined ? 1 : weights[i]!;
      const hist = this.hist;
      if (hist !== null) {
        // The histogram's hot loop, inlined.
        const b = probability ? binOfProbability(s) : binOfLogit(s);
        hist[2 * b + 1 - y]! += w;
      } else this.addOne(y, s, w);
    }
    return this;
  }

  /**
   * @internal The histogram (interleaved [pos, neg] weight per bin, bins of `binOfProbability` or the logit's),
   * or null while exact: a fused pass adds a row of label y as `hist[2 b + 1 - y] += w`, as `addChecked` does.
   */
  histogram(): Float64Array | null {
    return this.hist;
  }

  private addOne(y: number, s: number, w: number): void {
    const hist = this.hist;
    if (hist !== null) {
      const b = this.scale === "probability" ? binOfProbability(s) : binOfLogit(s);
      hist[2 * b + (y === 1 ? 0 : 1)]! += w;
      return;
    }
    const index = this.index!;
    if (s === 0) s = 0; // -0 and +0 are one score
    let slot = index.get(s);
    if (slot < 0) {
      if (this.keys.length >= this.maxDistinct) {
        this.toHistogram();
        this.addOne(y, s, w);
        return;
      }
      slot = this.keys.length;
      index.set(s, slot);
      this.keys.push(s);
      this.pos.push(0);
      this.neg.push(0);
    }
    if (y === 1) this.pos[slot]! += w;
    else this.neg[slot]! += w;
  }

  private toHistogram(): void {
    const hist = new Float64Array(2 * BINS);
    const probability = this.scale === "probability";
    for (let k = 0; k < this.keys.length; k++) {
      const s = this.keys[k]!;
      const b = probability ? binOfProbability(s) : binOfLogit(s);
      hist[2 * b]! += this.pos[k]!;
      hist[2 * b + 1]! += this.neg[k]!;
    }
    this.hist = hist;
    this.index = null;
    this.keys = [];
    this.pos = [];
    this.neg = [];
  }

  /** Adds another accumulator's data (same scale) to this one. */
  merge(other: RocAucAccumulator): this {
    if (other.scale !== this.scale) {
      throw new RangeError(`RocAucAccumulator.merge: cannot merge scores on the ${other.scale} scale into the ${this.scale} scale`);
    }
    if (other.hist !== null) {
      if (this.hist === null) this.toHistogram();
      const hist = this.hist!;
      for (let i = 0; i < hist.length; i++) hist[i]! += other.hist[i]!;
      return this;
    }
    for (let k = 0; k < other.keys.length; k++) {
      const s = other.keys[k]!;
      this.addOne(1, s, other.pos[k]!);
      this.addOne(0, s, other.neg[k]!);
    }
    return this;
  }

  /**
   * The accumulated weights in increasing score order, for the figures computed from the same data as the
   * AUC (average precision, the calibration decompositions): exact mode, one entry per distinct score, with
   * the score; histogram mode, one entry per non-empty bin, scores null (a bin's scores are not kept).
   */
  sortedWeights(): {
    exact: boolean;
    scores: Float64Array | null;
    pos: Float64Array;
    neg: Float64Array;
    /** Histogram mode: each bin's score range [lower, upper] (inclusive) on the accumulator's scale; null while exact. */
    bins: { lower: Float64Array; upper: Float64Array } | null;
  } {
    const h = this.hist;
    if (h !== null) {
      const bins: number[] = [];
      for (let b = 0; b < BINS; b++) if (h[2 * b] !== 0 || h[2 * b + 1] !== 0) bins.push(b);
      return {
        exact: false,
        scores: null,
        pos: Float64Array.from(bins, (b) => h[2 * b]!),
        neg: Float64Array.from(bins, (b) => h[2 * b + 1]!),
        bins: {
          lower: Float64Array.from(bins, (b) => binEdges(b, this.scale)[0]),
          upper: Float64Array.from(bins, (b) => binEdges(b, this.scale)[1]),
        },
      };
    }
    const order = this.keys.map((_, k) => k).sort((a, b) => this.keys[a]! - this.keys[b]! || 0);
    return {
      exact: true,
      scores: Float64Array.from(order, (k) => this.keys[k]!),
      pos: Float64Array.from(order, (k) => this.pos[k]!),
      neg: Float64Array.from(order, (k) => this.neg[k]!),
      bins: null,
    };
  }

  /** The AUC and its error bound; null when there is no positive or no negative weight (AUC undefined). */
  result(): RocAucResult | null {
    let pos: number[];
    let neg: number[];
    const h = this.hist;
    const histogram = h !== null;
    if (h !== null) {
      pos = Array.from({ length: BINS }, (_, b) => h[2 * b]!);
      neg = Array.from({ length: BINS }, (_, b) => h[2 * b + 1]!);
    } else {
      const order = this.keys.map((_, k) => k).sort((a, b) => this.keys[a]! - this.keys[b]! || 0);
      pos = order.map((k) => this.pos[k]!);
      neg = order.map((k) => this.neg[k]!);
    }
    const area = new CompensatedSum();
    const ties = new CompensatedSum();
    const negBelow = new CompensatedSum();
    const totalPos = new CompensatedSum();
    for (let k = 0; k < pos.length; k++) {
      const p = pos[k]!;
      const q = neg[k]!;
      if (p !== 0) {
        area.add(p * negBelow.value());
        area.add(0.5 * p * q);
        if (histogram) ties.add(0.5 * p * q);
        totalPos.add(p);
      }
      negBelow.add(q);
    }
    const pairs = totalPos.value() * negBelow.value();
    if (!(pairs > 0)) return null;
    return { auc: area.value() / pairs, errorBound: ties.value() / pairs };
  }

  /** A JSON-ready snapshot (sparse in histogram mode: only the non-empty bins). */
  toJSON(): RocAucState {
    if (this.hist !== null) {
      const keys: number[] = [];
      const positive: number[] = [];
      const negative: number[] = [];
      for (let b = 0; b < BINS; b++) {
        const p = this.hist[2 * b]!;
        const q = this.hist[2 * b + 1]!;
        if (p !== 0 || q !== 0) {
          keys.push(b);
          positive.push(p);
          negative.push(q);
        }
      }
      return { mode: "histogram", scale: this.scale, maxDistinct: this.maxDistinct, keys, positive, negative };
    }
    return {
      mode: "exact",
      scale: this.scale,
      maxDistinct: this.maxDistinct,
      keys: this.keys.map(encodeNumber),
      positive: [...this.pos],
      negative: [...this.neg],
    };
  }

  /** Restores an accumulator from `toJSON()`'s output; a malformed state throws a TypeError naming the field. */
  static fromJSON(value: unknown, what = "rocAuc"): RocAucAccumulator {
    const o = expectObject(value, what);
    const scale = o.scale;
    if (scale !== "probability" && scale !== "logit") throw new TypeError(`${what}.scale = ${JSON.stringify(scale)} is not a scale`);
    const acc = new RocAucAccumulator(scale, { maxDistinct: expectCount(o.maxDistinct, `${what}.maxDistinct`) });
    const keys = decodeNumberArray(o.keys, `${what}.keys`);
    const positive = decodeNumberArray(o.positive, `${what}.positive`);
    const negative = decodeNumberArray(o.negative, `${what}.negative`);
    if (positive.length !== keys.length || negative.length !== keys.length) {
      throw new TypeError(`${what}: keys, positive and negative differ in length`);
    }
    for (let k = 0; k < keys.length; k++) {
      if (!(positive[k]! >= 0 && negative[k]! >= 0)) throw new TypeError(`${what}: weights at ${k} are not >= 0`);
    }
    if (o.mode === "histogram") {
      const hist = new Float64Array(2 * BINS);
      keys.forEach((b, k) => {
        if (!(Number.isInteger(b) && b >= 0 && b < BINS)) throw new TypeError(`${what}.keys[${k}] = ${b} is not a bin index`);
        hist[2 * b] = positive[k]!;
        hist[2 * b + 1] = negative[k]!;
      });
      acc.hist = hist;
      acc.index = null;
    } else if (o.mode === "exact") {
      keys.forEach((s, k) => {
        if (scale === "probability" ? !(s >= 0 && s <= 1) : s !== s) throw new TypeError(`${what}.keys[${k}] = ${s} is not a ${scale}`);
        acc.addOne(1, s, positive[k]!);
        acc.addOne(0, s, negative[k]!);
      });
    } else {
      throw new TypeError(`${what}.mode = ${JSON.stringify(o.mode)} is not "exact" or "histogram"`);
    }
    return acc;
  }
}

/**
 * The area under the ROC curve of a batch: labels in {0, 1}, scores (probabilities or logits: only their order
 * matters), optional weights; ties count one half. Exact (sorting), O(n log n). Throws a RangeError when the
 * batch has no positive or no negative weight: the AUC is then undefined.
 *
 * @example rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function rocAuc(labels: NumericArray, scores: NumericArray, options: { weights?: NumericArray } = {}): number {
  const acc = new RocAucAccumulator("logit", { maxDistinct: Number.MAX_SAFE_INTEGER });
  try {
    checkOptions("rocAuc", options, ["weights"]);
    acc.add(labels, scores, options.weights);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(e.message.replace("RocAucAccumulator.add", "rocAuc"));
    throw e;
  }
  const r = acc.result();
  if (r === null) throw new RangeError("rocAuc: the AUC is undefined without both positive and negative samples of weight > 0");
  return r.auc;
}
