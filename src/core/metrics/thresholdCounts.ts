import { CompensatedSum } from "../numerics/compensatedSum.js";
import { type NumericArray } from "../common/reduction.js";
import { type JsonNumber, decodeNumber, decodeSum, encodeNumber, encodeSum, expectObject } from "./stateJson.js";

/** The weighted confusion matrix at a threshold, and the figures from it (null when undefined: 0 / 0). */
export interface ThresholdMetrics {
  /** Rows predicted positive: score > threshold. */
  threshold: number;
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  trueNegative: number;
  /** TP / (TP + FP). */
  precision: number | null;
  /** TP / (TP + FN). */
  recall: number | null;
  /** 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall. */
  f1: number | null;
}

/** The JSON form of `ThresholdCounts`. */
export interface ThresholdCountsState {
  threshold: JsonNumber;
  /** TP, FP, FN, TN weights. */
  counts: [JsonNumber, JsonNumber][];
}

/**
 * @internal Mergeable weighted confusion matrix at a fixed threshold on the score (probability or logit):
 * a row is predicted positive when its score is above the threshold (at it, negative: the rule of the
 * accuracy). Per batch the four weights are summed plainly, then added into compensated sums.
 */
export class ThresholdCounts {
  private sums = [new CompensatedSum(), new CompensatedSum(), new CompensatedSum(), new CompensatedSum()];

  constructor(readonly threshold: number) {
    if (threshold !== threshold) throw new RangeError("ThresholdCounts: threshold is NaN");
  }

  /** Adds a checked batch: labels in {0, 1}, scores, weights finite >= 0. */
  add(labels: NumericArray, scores: NumericArray, weights: NumericArray | undefined): void {
    const t = this.threshold;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let i = 0; i < labels.length; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      if (scores[i]! > t) {
        if (labels[i] === 1) tp += w;
        else fp += w;
      } else if (labels[i] === 1) fn += w;
      else tn += w;
    }
    this.addTotals(tp, fp, fn, tn);
  }

  /** @internal Adds a batch's four plain sums (TP, FP, FN, TN weights), as `add` does after its loop. */
  addTotals(tp: number, fp: number, fn: number, tn: number): void {
    this.sums[0]!.add(tp);
    this.sums[1]!.add(fp);
    this.sums[2]!.add(fn);
    this.sums[3]!.add(tn);
  }

  merge(other: ThresholdCounts): void {
    if (other.threshold !== this.threshold)
      throw new RangeError(`ThresholdCounts.merge: threshold ${other.threshold} differs from ${this.threshold}`);
    this.sums.forEach((s, k) => s.merge(other.sums[k]!));
  }

  metrics(): ThresholdMetrics {
    const [tp, fp, fn, tn] = this.sums.map((s) => s.value()) as [number, number, number, number];
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    return {
      threshold: this.threshold,
      truePositive: tp,
      falsePositive: fp,
      falseNegative: fn,
      trueNegative: tn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    };
  }

  toJSON(): ThresholdCountsState {
    return { threshold: encodeNumber(this.threshold), counts: this.sums.map(encodeSum) };
  }

  static fromJSON(value: unknown, what: string): ThresholdCounts {
    const o = expectObject(value, what);
    const c = new ThresholdCounts(decodeNumber(o.threshold, `${what}.threshold`));
    if (!Array.isArray(o.counts) || o.counts.length !== 4) throw new TypeError(`${what}.counts is not 4 sums (TP, FP, FN, TN)`);
    c.sums = o.counts.map((v, k) => decodeSum(v, `${what}.counts[${k}]`));
    return c;
  }
}
