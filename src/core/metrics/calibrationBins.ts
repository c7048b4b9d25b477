import { CompensatedSum } from "../numerics/compensatedSum.js";
import { type NumericArray } from "../common/reduction.js";
import { type JsonNumber, decodeSum, encodeSum, expectCount, expectObject } from "./stateJson.js";

/** Calibration errors over equal-width probability bins (null without weight). */
export interface CalibrationErrors {
  /** Expected calibration error: `sum_b W_b |mean p_b - mean y_b| / W`. */
  ece: number;
  /** Maximum calibration error: the largest `|mean p_b - mean y_b|` over the bins with weight. */
  mce: number;
  /** Root-mean-square calibration error: `sqrt(sum_b W_b (mean p_b - mean y_b)^2 / W)`. */
  rms: number;
  /** The weighted mean probability over the weighted base rate, `sum w p / sum w y` (null without positives). */
  calibrationRatio: number | null;
}

/** The JSON form of `CalibrationBins`. */
export interface CalibrationBinsState {
  bins: number;
  weight: [JsonNumber, JsonNumber][];
  probability: [JsonNumber, JsonNumber][];
  label: [JsonNumber, JsonNumber][];
}

/**
 * @internal Mergeable per-bin sums for the calibration errors: B equal-width bins of the probability,
 * bin b holding p in (b / B, (b + 1) / B] (bin 0 also holds p = 0; the index is `ceil(p B) - 1`, the
 * `lower < p <= upper` rule of Guo et al. 2017 and scikit-learn's calibration_curve), and in each the
 * compensated sums of w, w p and w y. Each batch is summed plainly per bin (at most a batch of terms) and
 * the batch sums added into the compensated sums.
 */
export class CalibrationBins {
  readonly bins: number;
  private weight: CompensatedSum[];
  private probability: CompensatedSum[];
  private label: CompensatedSum[];
  private scratch: Float64Array;

  constructor(bins = 15) {
    if (!(Number.isSafeInteger(bins) && bins >= 1 && bins <= 1e6))
      throw new RangeError(`CalibrationBins: bins = ${bins} is not an integer in [1, 1e6]`);
    this.bins = bins;
    this.weight = Array.from({ length: bins }, () => new CompensatedSum());
    this.probability = Array.from({ length: bins }, () => new CompensatedSum());
    this.label = Array.from({ length: bins }, () => new CompensatedSum());
    this.scratch = new Float64Array(3 * bins);
  }

  /** Adds a checked batch: labels in {0, 1}, probabilities in [0, 1], weights finite >= 0. */
  add(labels: NumericArray, probabilities: NumericArray, weights: NumericArray | undefined): void {
    const B = this.bins;
    const s = this.scratch;
    s.fill(0);
    for (let i = 0; i < labels.length; i++) {
      const p = probabilities[i]!;
      const w = weights === undefined ? 1 : weights[i]!;
      let b = Math.ceil(p * B) - 1;
      if (b < 0) b = 0;
      else if (b >= B) b = B - 1;
      s[3 * b]! += w;
      s[3 * b + 1]! += w * p;
      s[3 * b + 2]! += w * labels[i]!;
    }
    this.commit();
  }

  /**
   * @internal The batch's per-bin plain sums, zeroed: a fused pass (binaryProbabilityPass.ts) adds each row as
   * `add` does (`[3 b]` w, `[3 b + 1]` w p, `[3 b + 2]` w y), then calls `commit`.
   */
  batchScratch(): Float64Array {
    this.scratch.fill(0);
    return this.scratch;
  }

  /** @internal Adds the batch sums in the scratch into the compensated sums (the end of `add`). */
  commit(): void {
    const B = this.bins;
    const s = this.scratch;
    for (let b = 0; b < B; b++) {
      if (s[3 * b] === 0 && s[3 * b + 1] === 0) continue;
      this.weight[b]!.add(s[3 * b]!);
      this.probability[b]!.add(s[3 * b + 1]!);
      this.label[b]!.add(s[3 * b + 2]!);
    }
  }

  merge(other: CalibrationBins): void {
    if (other.bins !== this.bins) throw new RangeError(`CalibrationBins.merge: ${other.bins} bins cannot merge into ${this.bins}`);
    for (let b = 0; b < this.bins; b++) {
      this.weight[b]!.merge(other.weight[b]!);
      this.probability[b]!.merge(other.probability[b]!);
      this.label[b]!.merge(other.label[b]!);
    }
  }

  /** The per-bin weight, mean probability and observed frequency (NaN means for empty bins). */
  table(): { weight: number[]; meanProbability: number[]; frequency: number[] } {
    const weight = this.weight.map((s) => s.value());
    return {
      weight,
      meanProbability: this.probability.map((s, b) => s.value() / weight[b]!),
      frequency: this.label.map((s, b) => s.value() / weight[b]!),
    };
  }

  errors(): CalibrationErrors | null {
    const W = new CompensatedSum();
    const P = new CompensatedSum();
    const Y = new CompensatedSum();
    const ece = new CompensatedSum();
    const ms = new CompensatedSum();
    let mce = 0;
    for (let b = 0; b < this.bins; b++) {
      const w = this.weight[b]!.value();
      if (!(w > 0)) continue;
      const sp = this.probability[b]!.value();
      const sy = this.label[b]!.value();
      W.add(w);
      P.add(sp);
      Y.add(sy);
      // W_b |mean p - mean y| = |sum w p - sum w y|.
      const gap = Math.abs(sp - sy);
      ece.add(gap);
      ms.add((gap * gap) / w);
      mce = Math.max(mce, gap / w);
    }
    const w = W.value();
    if (!(w > 0)) return null;
    const y = Y.value();
    return { ece: ece.value() / w, mce, rms: Math.sqrt(ms.value() / w), calibrationRatio: y > 0 ? P.value() / y : null };
  }

  toJSON(): CalibrationBinsState {
    return { bins: this.bins, weight: this.weight.map(encodeSum), probability: this.probability.map(encodeSum), label: this.label.map(encodeSum) };
  }

  static fromJSON(value: unknown, what: string): CalibrationBins {
    const o = expectObject(value, what);
    const c = new CalibrationBins(expectCount(o.bins, `${what}.bins`));
    const read = (v: unknown, name: string): CompensatedSum[] => {
      if (!Array.isArray(v) || v.length !== c.bins) throw new TypeError(`${what}.${name} is not an array of ${c.bins} sums`);
      return v.map((x, b) => decodeSum(x, `${what}.${name}[${b}]`));
    };
    c.weight = read(o.weight, "weight");
    c.probability = read(o.probability, "probability");
    c.label = read(o.label, "label");
    return c;
  }
}
