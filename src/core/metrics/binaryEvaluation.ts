import { binaryCrossEntropy } from "../binary/binaryCrossEntropy.js";
import { binaryCrossEntropyWithLogits } from "../binary/binaryCrossEntropyWithLogits.js";
import { binaryScoreSums } from "./binaryScoreSums.js";
import { PASS_SUMS, binaryProbabilityPass } from "./binaryProbabilityPass.js";
import { checkOptions, checkSignLabel, fail } from "../common/checks.js";
import { EvaluationSums, type EvaluationSumsState } from "./evaluationSums.js";
import { type NumericArray } from "../common/reduction.js";
import { type RocAucOptions, type RocAucState, RocAucAccumulator, type ScoreScale } from "./rocAuc.js";
import { sigmoidUnchecked } from "../scalar/sigmoid.js";
import { expectObject } from "./stateJson.js";
import { type AveragePrecisionResult, averagePrecision } from "./averagePrecision.js";
import { type BrierDecomposition, brierDecomposition } from "./brierDecomposition.js";
import { type CalibrationBinsState, type CalibrationErrors, CalibrationBins } from "./calibrationBins.js";
import { type LogLossDecomposition, corpDecomposition } from "./corpDecomposition.js";
import { type EqualMassCalibration, equalMassCalibration } from "./equalMassCalibration.js";
import { type ThresholdCountsState, type ThresholdMetrics, ThresholdCounts } from "./thresholdCounts.js";
import { type RocCurve, rocCurve } from "./rocCurve.js";
import { type PrecisionRecallCurve, precisionRecallCurve } from "./precisionRecallCurve.js";
import { type IsotonicCalibrationCurve, isotonicCalibrationCurve } from "./isotonicCalibrationCurve.js";

/** The figures of a binary evaluation. A figure that is undefined (no weight, or one class only) is null. */
export interface BinaryMetrics {
  /** Number of samples (rows), as `xent eval` prints it. */
  rows: number;
  /** Sum of the weights (the row count when unweighted). */
  weight: number;
  /** Weighted mean binary cross-entropy, `sum w L / sum w` (Infinity if a weighted sample is confidently wrong). */
  logLoss: number | null;
  /** Weighted fraction of samples on the right side of p = 0.5 (logit 0); a score exactly there predicts 0. */
  accuracy: number | null;
  /** Weighted mean of `(p - y)^2`. */
  brier: number | null;
  /** Area under the ROC curve; null without both classes. */
  rocAuc: number | null;
  /** The AUC is exact within ± this (0 while exact, see `RocAucAccumulator`). */
  rocAucErrorBound: number | null;
  /** Average precision (scikit-learn's step-function PR-AUC); null without positives. */
  averagePrecision: number | null;
  /** The AP is exact within ± this (0 while the score map is exact, see `averagePrecision`). */
  averagePrecisionErrorBound: number | null;
  /** The weighted fraction of positives, `sum w y / sum w`. */
  baseRate: number | null;
  /** Log loss over the entropy of the base rate (1: no better than always predicting the base rate). */
  normalizedEntropy: number | null;
  /** The weighted confusion matrix, precision, recall and F1 at the threshold (null without weight, or for a state without it). */
  confusion: ThresholdMetrics | null;
  /** ECE, MCE, RMS calibration error over equal-width bins and the calibration ratio (null without weight). */
  calibration: (CalibrationErrors & { bins: number }) | null;
  /** ECE, MCE, RMS over equal-mass bins (as many as `calibration.bins`); null in histogram mode (see `equalMassCalibration`). */
  equalMassCalibration: EqualMassCalibration | null;
  /** Murphy's Brier decomposition; `exact` false when computed over histogram bins (see `brierDecomposition`). */
  brierDecomposition: (BrierDecomposition & { exact: boolean }) | null;
  /** The CORP log-loss decomposition; `exact` false when over histogram bins (see `corpDecomposition`). */
  logLossDecomposition: (LogLossDecomposition & { exact: boolean }) | null;
}

/** One equal-width bin of a reliability diagram: probabilities in (lower, upper] (the first bin holds 0 too). */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Total weight of the rows in the bin (0: empty, and the two means are NaN). */
  weight: number;
  /** Weighted mean predicted probability. */
  meanProbability: number;
  /** Weighted fraction of positives (the observed frequency). */
  frequency: number;
}

/** The points of the figures of a binary evaluation, from the same accumulated state as the metrics. */
export interface BinaryCurves {
  /** False when the score map has become a histogram: the points are then at the bin edges. */
  exact: boolean;
  /** Null without both classes. */
  roc: RocCurve | null;
  /** Null without positives. */
  precisionRecall: PrecisionRecallCurve | null;
  /** The equal-width bins of the calibration errors (all of them, empty ones included); null for a state without them. */
  reliability: ReliabilityBin[] | null;
  /** The CORP isotonic recalibration, forecasts as probabilities; null without weight. */
  isotonic: IsotonicCalibrationCurve | null;
}

/** Options of a `BinaryEvaluation`: the AUC accumulator's, and the label convention. */
export interface BinaryEvaluationOptions extends RocAucOptions {
  /** The labels `add` takes: "01" (default), 0 and 1; or "pm1", -1 and +1 (-1 counts as 0). */
  labels?: "01" | "pm1";
  /** Scores above it are predicted positive, for the confusion matrix; default 0.5 (probabilities) or 0 (logits). */
  threshold?: number;
  /** Equal-width probability bins of the calibration errors; default 15. */
  bins?: number;
}

/** The JSON form of a `BinaryEvaluation`. */
export interface BinaryEvaluationState extends EvaluationSumsState {
  kind: "binary";
  scale: ScoreScale;
  /** Present for the {-1, +1} convention only. */
  labels?: "pm1";
  rocAuc: RocAucState;
  /** Absent in states written before (their confusion and calibration figures are null). */
  confusion?: ThresholdCountsState;
  calibration?: CalibrationBinsState;
}

/**
 * A mergeable evaluation of binary predictions: log loss, accuracy, Brier score and ROC AUC, accumulated
 * batch by batch in bounded memory, mergeable across shards (`merge`) and savable as JSON (`toJSON`,
 * `BinaryEvaluation.fromJSON`), so that a file can be evaluated in pieces on different machines.
 *
 * ## Method
 * Each batch is reduced by the library's batch functions with reduction "sum" (`binaryCrossEntropy` or
 * `binaryCrossEntropyWithLogits`; `brierScore` and `accuracy` fused in one pass), each a compensated sum;
 * the batch sums are added into `CompensatedSum`s, which keep their compensation in the saved state. All
 * terms are non-negative, so the rounding of each batch sum is at most half an ulp of a part of the total:
 * the final figures are within a few ulps of exact arithmetic over any number of rows and shards, and the
 * sharded result equals the whole-file one to a few ulps. The AUC uses `RocAucAccumulator` (exact up to
 * 65536 distinct scores, then a logit-scale histogram with a reported error bound).
 *
 * Labels are hard: 0 or 1, or -1 and +1 with `{ labels: "pm1" }` (-1 counts as 0). Scores are
 * probabilities or logits (`scale`).
 *
 * @example new BinaryEvaluation().add([1, 0], [0.9, 0.2]).metrics().logLoss // 0.16425203348601802
 */
export class BinaryEvaluation {
  readonly scale: ScoreScale;
  readonly labels: "01" | "pm1";
  private sums = new EvaluationSums();
  private roc: RocAucAccumulator;
  private counts: ThresholdCounts | null;
  private calibration: CalibrationBins | null;
  private probabilities = new Float64Array(0);
  private mapped = new Float64Array(0);

  constructor(scale: ScoreScale = "probability", options: BinaryEvaluationOptions = {}) {
    checkOptions("BinaryEvaluation", options, ["maxDistinct", "labels", "threshold", "bins"]);
    const { labels = "01", threshold = scale === "logit" ? 0 : 0.5, bins = 15, ...rocOptions } = options;
    if (typeof threshold !== "number" || threshold !== threshold) fail("BinaryEvaluation: options.threshold", threshold, "is not a number");
    if (!(Number.isSafeInteger(bins) && bins >= 1 && bins <= 1e6)) fail("BinaryEvaluation: options.bins", bins, "is not an integer in [1, 1e6]");
    this.counts = new ThresholdCounts(threshold);
    this.calibration = new CalibrationBins(bins);
    if (labels !== "01" && labels !== "pm1") fail("BinaryEvaluation: options.labels", labels, 'is not "01" or "pm1"');
    this.roc = new RocAucAccumulator(scale, rocOptions);
    this.scale = scale;
    this.labels = labels;
  }

  /**
   * Adds a batch: labels in {0, 1} (or {-1, +1} with `labels: "pm1"`), scores on this evaluation's scale,
   * optional weights (finite, >= 0).
   */
  add(labels: NumericArray, scores: NumericArray, weights?: NumericArray): this {
    if (this.labels === "pm1") {
      // -1 -> 0, +1 -> 1 into a reused buffer; anything else is a RangeError naming the index.
      if (this.mapped.length < labels.length) this.mapped = new Float64Array(Math.max(labels.length, 1024));
      const m = this.mapped.subarray(0, labels.length);
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i]!;
        if (y !== 1 && y !== -1) checkSignLabel(y, `BinaryEvaluation.add: labels[${i}]`);
        m[i] = y === 1 ? 1 : 0;
      }
      labels = m;
    }
    const options = weights === undefined ? { reduction: "sum" as const } : { reduction: "sum" as const, weights };
    let probabilities: NumericArray = scores;
    let loss: number;
    if (this.scale === "probability") {
      loss = binaryCrossEntropy(labels, scores, options);
    } else {
      loss = binaryCrossEntropyWithLogits(labels, scores, options);
      // Brier needs probabilities: p = sigmoid(s), one exp per sample, exact limits at ±Infinity.
      if (this.probabilities.length < scores.length) this.probabilities = new Float64Array(Math.max(scores.length, 1024));
      const p = this.probabilities.subarray(0, scores.length);
      for (let i = 0; i < scores.length; i++) p[i] = sigmoidUnchecked(scores[i]!);
      probabilities = p;
    }
    // brierScore and accuracy with reduction "sum", in one pass (binaryScoreSums; the same numbers).
    const { brier, correct } = binaryScoreSums(
      "BinaryEvaluation.add",
      labels,
      probabilities,
      scores,
      this.scale === "probability" ? 0.5 : 0,
      weights,
    );
    // Everything checked: commit the batch.
    this.roc.addChecked(labels, scores, weights); // checked by the two passes above
    this.sums.add(labels.length, weights, loss, brier, correct);
    this.counts?.add(labels, scores, weights);
    this.calibration?.add(labels, probabilities, weights);
    return this;
  }

  /**
   * @internal `add` for a batch its caller has validated (the rows of `xent eval`, cli/evalRun.ts): labels
   * 0 or 1 (already mapped from -1 and +1), scores on this evaluation's scale (probabilities in [0, 1],
   * logits not NaN), weights finite and >= 0. Probabilities take one fused pass (binaryProbabilityPass.ts)
   * with the same arithmetic as `add`'s passes, so the state has the same bits; logits, and the {-1, +1}
   * convention, go through `add`.
   */
  addValidated(labels: Float64Array, scores: Float64Array, weights?: Float64Array): this {
    if (this.scale !== "probability" || this.labels !== "01" || this.counts === null || this.calibration === null) {
      return this.add(labels, scores, weights);
    }
    const hist = this.roc.histogram();
    const cal = this.calibration;
    binaryProbabilityPass(labels, scores, weights, this.counts.threshold, cal.batchScratch(), cal.bins, hist);
    const r = PASS_SUMS;
    if (hist === null) this.roc.addChecked(labels, scores, weights);
    this.sums.add(labels.length, weights, r[0]!, r[1]!, r[2]!);
    this.counts.addTotals(r[3]!, r[4]!, r[5]!, r[6]!);
    cal.commit();
    return this;
  }

  /** Adds another evaluation's state (same scale) to this one. */
  merge(other: BinaryEvaluation): this {
    if (other.scale !== this.scale) {
      throw new RangeError(`BinaryEvaluation.merge: cannot merge an evaluation of ${other.scale}s into one of ${this.scale}s`);
    }
    this.sums.merge(other.sums);
    this.roc.merge(other.roc);
    // A state without these sums (written before they existed) makes the merged figures null.
    if (this.counts !== null && other.counts !== null) this.counts.merge(other.counts);
    else this.counts = null;
    if (this.calibration !== null && other.calibration !== null) this.calibration.merge(other.calibration);
    else this.calibration = null;
    return this;
  }

  metrics(): BinaryMetrics {
    const roc = this.roc.result();
    const means = this.sums.means();
    // AP and the decompositions come from the AUC's own map of distinct scores (or its histogram).
    const sorted = this.roc.sortedWeights();
    const ap: AveragePrecisionResult | null = averagePrecision(sorted.pos, sorted.neg, sorted.exact);
    const forecasts = sorted.scores === null ? null : this.scale === "logit" ? sorted.scores.map(sigmoidUnchecked) : sorted.scores;
    const murphy = means.brier === null ? null : brierDecomposition(sorted.pos, sorted.neg, forecasts, means.brier);
    const corp = means.logLoss === null ? null : corpDecomposition(sorted.pos, sorted.neg, means.logLoss);
    const errors = this.calibration?.errors() ?? null;
    const positives = this.counts === null || !(means.weight > 0) ? null : this.counts.metrics();
    let baseRate: number | null = null;
    if (murphy !== null) {
      let p = 0;
      let w = 0;
      for (let k = 0; k < sorted.pos.length; k++) {
        p += sorted.pos[k]!;
        w += sorted.pos[k]! + sorted.neg[k]!;
      }
      baseRate = p / w;
    }
    return {
      ...means,
      rocAuc: roc === null ? null : roc.auc,
      rocAucErrorBound: roc === null ? null : roc.errorBound,
      averagePrecision: ap === null ? null : ap.averagePrecision,
      averagePrecisionErrorBound: ap === null ? null : ap.errorBound,
      baseRate,
      // NE = logLoss / H(b): undefined (null) when H(b) = 0, one class only.
      normalizedEntropy: corp === null || means.logLoss === null || !(corp.uncertainty > 0) ? null : means.logLoss / corp.uncertainty,
      confusion: positives,
      calibration: errors === null ? null : { ...errors, bins: this.calibration!.bins },
      equalMassCalibration: this.calibration === null ? null : equalMassCalibration(sorted.pos, sorted.neg, forecasts, this.calibration.bins),
      brierDecomposition: murphy === null ? null : { ...murphy, exact: sorted.exact },
      logLossDecomposition: corp === null ? null : { ...corp, exact: sorted.exact },
    };
  }

  /**
   * The ROC and precision-recall curves, the reliability bins and the CORP isotonic curve, all from the
   * accumulated state (`rocCurve`, `precisionRecallCurve`, `isotonicCalibrationCurve` over the AUC's score
   * map; the bins of the calibration errors), so they agree with `metrics()`: the area under the ROC points
   * is the AUC, the step integral of the PR points the average precision.
   */
  curves(): BinaryCurves {
    const sorted = this.roc.sortedWeights();
    const toProbability = (a: Float64Array) => (this.scale === "logit" ? a.map(sigmoidUnchecked) : a);
    const lowest = sorted.scores !== null ? toProbability(sorted.scores) : toProbability(sorted.bins!.lower);
    const highest = sorted.scores !== null ? lowest : toProbability(sorted.bins!.upper);
    let reliability: ReliabilityBin[] | null = null;
    if (this.calibration !== null) {
      const B = this.calibration.bins;
      const t = this.calibration.table();
      reliability = t.weight.map((weight, b) => ({
        lower: b / B,
        upper: (b + 1) / B,
        weight,
        meanProbability: t.meanProbability[b]!,
        frequency: t.frequency[b]!,
      }));
    }
    return {
      exact: sorted.exact,
      roc: rocCurve(sorted.pos, sorted.neg),
      precisionRecall: precisionRecallCurve(sorted.pos, sorted.neg),
      reliability,
      isotonic: isotonicCalibrationCurve(sorted.pos, sorted.neg, lowest, highest),
    };
  }

  toJSON(): BinaryEvaluationState {
    return {
      kind: "binary",
      scale: this.scale,
      ...(this.labels === "pm1" ? { labels: "pm1" as const } : {}),
      ...this.sums.toJSON(),
      rocAuc: this.roc.toJSON(),
      ...(this.counts === null ? {} : { confusion: this.counts.toJSON() }),
      ...(this.calibration === null ? {} : { calibration: this.calibration.toJSON() }),
    };
  }

  /** Restores an evaluation from `toJSON()`'s output (parsed); a malformed state throws a TypeError naming the field. */
  static fromJSON(value: unknown, what = "state"): BinaryEvaluation {
    const o = expectObject(value, what);
    if (o.kind !== "binary") throw new TypeError(`${what}.kind = ${JSON.stringify(o.kind)} is not "binary"`);
    const scale = o.scale;
    if (scale !== "probability" && scale !== "logit") fail(`${what}.scale`, scale, 'is not "probability" or "logit"');
    if (o.labels !== undefined && o.labels !== "pm1") fail(`${what}.labels`, o.labels, 'is not "pm1"');
    const e = new BinaryEvaluation(scale, o.labels === "pm1" ? { labels: "pm1" } : {});
    e.sums = EvaluationSums.fromJSON(o, what);
    e.roc = RocAucAccumulator.fromJSON(o.rocAuc, `${what}.rocAuc`);
    if (e.roc.scale !== scale) throw new TypeError(`${what}.rocAuc.scale differs from ${what}.scale`);
    e.counts = o.confusion === undefined ? null : ThresholdCounts.fromJSON(o.confusion, `${what}.confusion`);
    e.calibration = o.calibration === undefined ? null : CalibrationBins.fromJSON(o.calibration, `${what}.calibration`);
    return e;
  }
}
