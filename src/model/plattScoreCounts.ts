import { type PlattData } from "./plattScaling.js";
import { versionedJson } from "./versionedJson.js";

/** The JSON of a `PlattScoreCounts`: the distinct scores with their positive and negative weights. */
export interface PlattScoreCountsJSON {
  type: "xent.PlattScoreCounts";
  version: 1;
  /** [score, positive weight, negative weight] per distinct finite score, sorted by score. */
  scores: [number, number, number][];
  /** Weight of the rows with an infinite score (left out of the fit): [positive, negative] at -Infinity and at +Infinity. */
  infinite: { negative: [number, number]; positive: [number, number] };
}

/**
 * The sufficient statistic of a Platt fit, built row by row and mergeable: for each distinct logit, the total
 * weight of its positives and of its negatives (as RocAucAccumulator's exact mode keeps them). The Platt
 * objective is a sum over rows that only depends on (score, label, weight), so the fit on these counts is
 * exactly the fit on the rows, with memory proportional to the number of distinct scores, not of rows.
 *
 * Infinite logits (probabilities 0 or 1) are counted apart and left out of the fit: no finite (a, b) is
 * affected by them except through the sign of a (a > 0 keeps them infinite and, on the right side, free).
 *
 * The map holds at most 2^24 distinct scores (V8's limit for a Map is near that): beyond, `add` throws a
 * RangeError (round the scores, or fit on a sample).
 */
export class PlattScoreCounts {
  private readonly index = new Map<number, number>();
  private scores = new Float64Array(1024);
  private positive = new Float64Array(1024);
  private negative = new Float64Array(1024);
  private n = 0;
  /** [positive, negative] weight at -Infinity and at +Infinity. */
  readonly infinite = { negative: [0, 0] as [number, number], positive: [0, 0] as [number, number] };

  static readonly MAX_DISTINCT = 1 << 24;

  /** Adds a row: label 1 or 0, a logit (any number but NaN), a weight (finite, >= 0). */
  add(label: number, score: number, weight = 1): this {
    if (label !== 0 && label !== 1) throw new RangeError(`PlattScoreCounts.add: label ${label} is not 0 or 1`);
    if (score !== score) throw new RangeError("PlattScoreCounts.add: score is NaN");
    if (!(weight >= 0 && weight < Infinity)) throw new RangeError(`PlattScoreCounts.add: weight ${weight} is not a finite number >= 0`);
    if (score === Infinity || score === -Infinity) {
      const at = score > 0 ? this.infinite.positive : this.infinite.negative;
      at[label === 1 ? 0 : 1] += weight;
      return this;
    }
    // -0 and +0 are one score.
    const key = score === 0 ? 0 : score;
    let i = this.index.get(key);
    if (i === undefined) {
      if (this.n >= PlattScoreCounts.MAX_DISTINCT) {
        throw new RangeError(
          `PlattScoreCounts.add: more than ${PlattScoreCounts.MAX_DISTINCT} distinct scores (round the scores, or calibrate on a sample)`,
        );
      }
      i = this.n++;
      if (i === this.scores.length) this.grow();
      this.index.set(key, i);
      this.scores[i] = key;
    }
    if (label === 1) this.positive[i]! += weight;
    else this.negative[i]! += weight;
    return this;
  }

  private grow(): void {
    const m = this.scores.length * 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(m);
      b.set(a);
      return b;
    };
    this.scores = grow(this.scores);
    this.positive = grow(this.positive);
    this.negative = grow(this.negative);
  }

  /** The number of distinct finite scores. */
  get distinct(): number {
    return this.n;
  }

  /** The counts of the finite scores, for `fitPlattScaling` (views, not copies). */
  data(): PlattData {
    return { scores: this.scores.subarray(0, this.n), positive: this.positive.subarray(0, this.n), negative: this.negative.subarray(0, this.n) };
  }

  merge(other: PlattScoreCounts): this {
    const d = other.data();
    for (let i = 0; i < d.scores.length; i++) {
      const s = d.scores[i]!;
      if (d.positive[i]! > 0) this.add(1, s, d.positive[i]!);
      if (d.negative[i]! > 0) this.add(0, s, d.negative[i]!);
    }
    for (const side of ["negative", "positive"] as const) {
      this.infinite[side][0] += other.infinite[side][0];
      this.infinite[side][1] += other.infinite[side][1];
    }
    return this;
  }

  toJSON(): PlattScoreCountsJSON {
    const order = Array.from({ length: this.n }, (_, i) => i).sort((i, j) => this.scores[i]! - this.scores[j]!);
    return {
      type: "xent.PlattScoreCounts",
      version: 1,
      scores: order.map((i) => [this.scores[i]!, this.positive[i]!, this.negative[i]!]),
      infinite: { negative: [...this.infinite.negative], positive: [...this.infinite.positive] },
    };
  }

  static fromJSON(json: unknown): PlattScoreCounts {
    const fn = "PlattScoreCounts.fromJSON";
    const o = versionedJson<PlattScoreCountsJSON>(fn, json, "PlattScoreCounts");
    const c = new PlattScoreCounts();
    if (!Array.isArray(o.scores)) throw new TypeError(`${fn}: "scores" is not an array`);
    o.scores.forEach((t, i) => {
      if (!Array.isArray(t) || t.length !== 3 || !t.every((x) => typeof x === "number"))
        throw new TypeError(`${fn}: scores[${i}] is not [score, positive, negative]`);
      const [s, p, q] = t;
      if (!Number.isFinite(s)) throw new TypeError(`${fn}: scores[${i}][0] is not a finite number`);
      if (p > 0) c.add(1, s, p);
      if (q > 0) c.add(0, s, q);
      if (!(p >= 0 && q >= 0)) throw new TypeError(`${fn}: scores[${i}] has a negative weight`);
    });
    const inf = o.infinite;
    const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && x >= 0 && x < Infinity);
    if (inf == null || !pair(inf.negative) || !pair(inf.positive))
      throw new TypeError(`${fn}: "infinite" is not {negative: [w+, w-], positive: [w+, w-]}`);
    for (const side of ["negative", "positive"] as const) {
      c.infinite[side][0] = inf[side][0];
      c.infinite[side][1] = inf[side][1];
    }
    return c;
  }
}
