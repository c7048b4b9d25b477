import { CompensatedSum } from "../numerics/compensatedSum.js";
import { type NumericArray } from "../common/reduction.js";
import { type RocAucState, RocAucAccumulator } from "./rocAuc.js";
import { decodeSum, encodeSum, expectObject, type JsonNumber } from "./stateJson.js";

/** One class's figures: one-vs-rest ROC AUC, and precision / recall / F1 of the argmax prediction. */
export interface ClassReport {
  /** Weighted count of rows of this class (scikit-learn's "support", weighted). */
  support: number;
  /** TP / predicted: of the rows whose argmax is this class, the weighted fraction that are (null if none). */
  precision: number | null;
  /** TP / support (null without support). */
  recall: number | null;
  /** 2 TP / (predicted + support) (null when both are 0). */
  f1: number | null;
  /** AUC of p_class separating this class from the rest (null without both). */
  rocAuc: number | null;
  /** Its error bound (0 while exact; see `RocAucAccumulator`). */
  rocAucErrorBound: number | null;
}

/** The one-vs-rest figures of a multi-class evaluation. */
export interface OneVsRestMetrics {
  /** Unweighted mean of the classes' AUCs, scikit-learn's `roc_auc_score(multi_class="ovr", average="macro")`; null if one is undefined. */
  rocAucMacro: number | null;
  /** Mean weighted by the classes' (weighted) support, `average="weighted"`. */
  rocAucWeighted: number | null;
  /** The largest of the classes' AUC error bounds: both averages are exact within it. */
  rocAucErrorBound: number | null;
  perClass: ClassReport[];
}

/** The JSON form of `OneVsRest`. */
export interface OneVsRestState {
  rocAuc: RocAucState[];
  truePositive: [JsonNumber, JsonNumber][];
  predicted: [JsonNumber, JsonNumber][];
  support: [JsonNumber, JsonNumber][];
}

/**
 * @internal Mergeable one-vs-rest accumulators of a k-class evaluation: per class a `RocAucAccumulator` of
 * (y = j, p_j) (probabilities: the ranking scikit-learn uses; logits are softmaxed first, since a logit's
 * order across rows is not its probability's), and the weighted counts of true positives, predictions
 * (argmax, ties to the first class, as the accuracy) and support. Per batch the counts are summed plainly,
 * then added into compensated sums.
 */
export class OneVsRest {
  readonly classes: number;
  private roc: RocAucAccumulator[];
  private tp: CompensatedSum[];
  private predicted: CompensatedSum[];
  private support: CompensatedSum[];
  private column = new Float64Array(0);
  private isClass = new Float64Array(0);
  private counts: Float64Array;

  constructor(classes: number) {
    this.classes = classes;
    this.roc = Array.from({ length: classes }, () => new RocAucAccumulator("probability"));
    this.tp = Array.from({ length: classes }, () => new CompensatedSum());
    this.predicted = Array.from({ length: classes }, () => new CompensatedSum());
    this.support = Array.from({ length: classes }, () => new CompensatedSum());
    this.counts = new Float64Array(3 * classes);
  }

  /** Adds a checked batch: class ids, row-major probabilities (n * k), the scores whose argmax predicts, weights. */
  add(labels: NumericArray, probabilities: NumericArray, scores: NumericArray, weights: NumericArray | undefined): void {
    const k = this.classes;
    const n = labels.length;
    const c = this.counts;
    c.fill(0);
    for (let i = 0; i < n; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      let best = 0;
      let top = scores[i * k]!;
      for (let j = 1; j < k; j++) {
        const s = scores[i * k + j]!;
        if (s > top) {
          top = s;
          best = j;
        }
      }
      const y = labels[i]!;
      c[3 * best + 1]! += w;
      c[3 * y + 2]! += w;
      if (best === y) c[3 * y]! += w;
    }
    for (let j = 0; j < k; j++) {
      this.tp[j]!.add(c[3 * j]!);
      this.predicted[j]!.add(c[3 * j + 1]!);
      this.support[j]!.add(c[3 * j + 2]!);
    }
    if (this.column.length < n) {
      this.column = new Float64Array(n);
      this.isClass = new Float64Array(n);
    }
    const col = this.column.subarray(0, n);
    const is = this.isClass.subarray(0, n);
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < n; i++) {
        col[i] = probabilities[i * k + j]!;
        is[i] = labels[i] === j ? 1 : 0;
      }
      this.roc[j]!.addChecked(is, col, weights);
    }
  }

  merge(other: OneVsRest): void {
    for (let j = 0; j < this.classes; j++) {
      this.roc[j]!.merge(other.roc[j]!);
      this.tp[j]!.merge(other.tp[j]!);
      this.predicted[j]!.merge(other.predicted[j]!);
      this.support[j]!.merge(other.support[j]!);
    }
  }

  metrics(): OneVsRestMetrics {
    const perClass: ClassReport[] = [];
    const macro = new CompensatedSum();
    const weighted = new CompensatedSum();
    const total = new CompensatedSum();
    let defined = true;
    let bound = 0;
    for (let j = 0; j < this.classes; j++) {
      const tp = this.tp[j]!.value();
      const pred = this.predicted[j]!.value();
      const support = this.support[j]!.value();
      const r = this.roc[j]!.result();
      perClass.push({
        support,
        precision: pred > 0 ? tp / pred : null,
        recall: support > 0 ? tp / support : null,
        f1: pred + support > 0 ? (2 * tp) / (pred + support) : null,
        rocAuc: r === null ? null : r.auc,
        rocAucErrorBound: r === null ? null : r.errorBound,
      });
      if (r === null) defined = false;
      else {
        macro.add(r.auc);
        weighted.add(support * r.auc);
        bound = Math.max(bound, r.errorBound);
      }
      total.add(support);
    }
    return {
      rocAucMacro: defined ? macro.value() / this.classes : null,
      rocAucWeighted: defined ? weighted.value() / total.value() : null,
      rocAucErrorBound: defined ? bound : null,
      perClass,
    };
  }

  toJSON(): OneVsRestState {
    return {
      rocAuc: this.roc.map((r) => r.toJSON()),
      truePositive: this.tp.map(encodeSum),
      predicted: this.predicted.map(encodeSum),
      support: this.support.map(encodeSum),
    };
  }

  static fromJSON(value: unknown, classes: number, what: string): OneVsRest {
    const o = expectObject(value, what);
    const e = new OneVsRest(classes);
    const list = (v: unknown, name: string): unknown[] => {
      if (!Array.isArray(v) || v.length !== classes) throw new TypeError(`${what}.${name} is not an array of ${classes} (one per class)`);
      return v;
    };
    e.roc = list(o.rocAuc, "rocAuc").map((v, j) => RocAucAccumulator.fromJSON(v, `${what}.rocAuc[${j}]`));
    e.tp = list(o.truePositive, "truePositive").map((v, j) => decodeSum(v, `${what}.truePositive[${j}]`));
    e.predicted = list(o.predicted, "predicted").map((v, j) => decodeSum(v, `${what}.predicted[${j}]`));
    e.support = list(o.support, "support").map((v, j) => decodeSum(v, `${what}.support[${j}]`));
    return e;
  }
}
