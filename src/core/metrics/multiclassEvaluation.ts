import { categoricalCrossEntropy } from "../categorical/categoricalCrossEntropy.js";
import { categoricalCrossEntropyWithLogits } from "../categorical/categoricalCrossEntropyWithLogits.js";
import { categoricalAccuracy, categoricalBrierScore } from "./categoricalMetrics.js";
import { fail } from "../common/checks.js";
import { EvaluationSums, type EvaluationSumsState } from "./evaluationSums.js";
import { type NumericArray } from "../common/reduction.js";
import { type ScoreScale } from "./rocAuc.js";
import { softmax } from "../categorical/softmax.js";
import { expectCount, expectObject } from "./stateJson.js";
import { type OneVsRestMetrics, type OneVsRestState, OneVsRest } from "./oneVsRest.js";

/** The figures of a multi-class evaluation; a figure that is undefined (no weight) is null. */
export interface MulticlassMetrics {
  /** Number of rows, as `xent eval` prints it. */
  rows: number;
  weight: number;
  /** Weighted mean categorical cross-entropy `-log p_y`. */
  logLoss: number | null;
  /** Weighted fraction of rows whose argmax is the label. */
  accuracy: number | null;
  /** Weighted mean multi-class Brier score `sum_j (p_j - [y = j])^2`, in [0, 2]. */
  brier: number | null;
  /** One-vs-rest ROC AUCs (macro and support-weighted) and the per-class report; null for a state without them. */
  oneVsRest: OneVsRestMetrics | null;
}

/** The JSON form of a `MulticlassEvaluation`. */
export interface MulticlassEvaluationState extends EvaluationSumsState {
  kind: "multiclass";
  scale: ScoreScale;
  classes: number;
  /** Absent in states written before (their one-vs-rest figures are null). */
  oneVsRest?: OneVsRestState;
}

/**
 * A mergeable evaluation of multi-class predictions (class-id labels; rows of k probabilities or logits,
 * row-major): log loss, accuracy and Brier score, batch by batch, with `merge` and JSON (de)serialization,
 * as `BinaryEvaluation` does for two classes (same method: per-batch compensated sums from the library's
 * batch functions with reduction "sum", kept with their compensation).
 *
 * @example new MulticlassEvaluation(3).add([1], [0.25, 0.5, 0.25]).metrics().logLoss // 0.6931471805599453
 */
export class MulticlassEvaluation {
  readonly classes: number;
  readonly scale: ScoreScale;
  private sums = new EvaluationSums();
  private ovr: OneVsRest | null;

  constructor(classes: number, scale: ScoreScale = "probability") {
    if (!(Number.isInteger(classes) && classes >= 2)) fail("MulticlassEvaluation: classes", classes, "is not an integer >= 2");
    if (scale !== "probability" && scale !== "logit") fail("MulticlassEvaluation: scale", scale, 'is not "probability" or "logit"');
    this.classes = classes;
    this.scale = scale;
    this.ovr = new OneVsRest(classes);
  }

  /** Adds a batch: n class ids, n * k scores (probabilities or logits), optional weights. */
  add(labels: NumericArray, scores: NumericArray, weights?: NumericArray): this {
    const k = this.classes;
    const options = weights === undefined ? { classes: k, reduction: "sum" as const } : { classes: k, reduction: "sum" as const, weights };
    let loss: number;
    let probabilities: NumericArray = scores;
    if (this.scale === "probability") loss = categoricalCrossEntropy(labels, scores, options);
    else {
      loss = categoricalCrossEntropyWithLogits(labels, scores, options);
      probabilities = softmax(scores, { classes: k });
    }
    const brier = categoricalBrierScore(labels, probabilities, options);
    const correct = categoricalAccuracy(labels, scores, options);
    this.sums.add(labels.length, weights, loss, brier, correct);
    this.ovr?.add(labels, probabilities, scores, weights);
    return this;
  }

  merge(other: MulticlassEvaluation): this {
    if (other.scale !== this.scale || other.classes !== this.classes) {
      throw new RangeError(
        `MulticlassEvaluation.merge: cannot merge ${other.classes} classes of ${other.scale}s into ${this.classes} classes of ${this.scale}s`,
      );
    }
    this.sums.merge(other.sums);
    if (this.ovr !== null && other.ovr !== null) this.ovr.merge(other.ovr);
    else this.ovr = null;
    return this;
  }

  metrics(): MulticlassMetrics {
    const means = this.sums.means();
    return { ...means, oneVsRest: this.ovr === null || !(means.weight > 0) ? null : this.ovr.metrics() };
  }

  toJSON(): MulticlassEvaluationState {
    return {
      kind: "multiclass",
      scale: this.scale,
      classes: this.classes,
      ...this.sums.toJSON(),
      ...(this.ovr === null ? {} : { oneVsRest: this.ovr.toJSON() }),
    };
  }

  static fromJSON(value: unknown, what = "state"): MulticlassEvaluation {
    const o = expectObject(value, what);
    if (o.kind !== "multiclass") throw new TypeError(`${what}.kind = ${JSON.stringify(o.kind)} is not "multiclass"`);
    const scale = o.scale;
    if (scale !== "probability" && scale !== "logit") throw new TypeError(`${what}.scale = ${JSON.stringify(scale)} is not a scale`);
    const classes = expectCount(o.classes, `${what}.classes`);
    if (classes < 2) throw new TypeError(`${what}.classes = ${classes} is not >= 2`);
    const e = new MulticlassEvaluation(classes, scale);
    e.sums = EvaluationSums.fromJSON(o, what);
    e.ovr = o.oneVsRest === undefined ? null : OneVsRest.fromJSON(o.oneVsRest, classes, `${what}.oneVsRest`);
    return e;
  }
}
