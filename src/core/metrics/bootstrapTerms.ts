import { binaryCrossEntropy } from "../binary/binaryCrossEntropy.js";
import { binaryCrossEntropyWithLogits } from "../binary/binaryCrossEntropyWithLogits.js";
import { categoricalCrossEntropy } from "../categorical/categoricalCrossEntropy.js";
import { categoricalCrossEntropyWithLogits } from "../categorical/categoricalCrossEntropyWithLogits.js";
import { softmax } from "../categorical/softmax.js";
import { type NumericArray } from "../common/reduction.js";
import { sigmoidUnchecked } from "../scalar/sigmoid.js";
import { accuracy } from "./accuracy.js";
import { type BootstrapTerms } from "./bootstrapSums.js";
import { brierScore } from "./brierScore.js";
import { categoricalAccuracy, categoricalBrierScore } from "./categoricalMetrics.js";
import { type ScoreScale } from "./rocAuc.js";

/**
 * The per-row terms of a binary batch for `BootstrapSums.add`, computed by the library's per-sample
 * functions (reduction "none"): the loss (`binaryCrossEntropy` or `binaryCrossEntropyWithLogits`), the Brier
 * term `(p - y)^2`, 1 where `score > threshold` predicts the label (threshold 0.5 for probabilities, 0 for
 * logits, as `BinaryEvaluation`), the label and p. The same terms, summed, as `BinaryEvaluation` sums.
 *
 * @example binaryBootstrapTerms([1, 0], [0.9, 0.2]).correct // Float64Array [1, 1]
 */
export function binaryBootstrapTerms(
  labels: NumericArray,
  scores: NumericArray,
  options: { scale?: ScoreScale; threshold?: number; weights?: NumericArray | undefined } = {},
): BootstrapTerms {
  const scale = options.scale ?? "probability";
  const threshold = options.threshold ?? (scale === "logit" ? 0 : 0.5);
  const none = { reduction: "none" as const };
  const losses = scale === "probability" ? binaryCrossEntropy(labels, scores, none) : binaryCrossEntropyWithLogits(labels, scores, none);
  const probabilities = scale === "probability" ? scores : Float64Array.from(scores as ArrayLike<number>, sigmoidUnchecked);
  return {
    losses,
    brier: brierScore(labels, probabilities, none),
    correct: accuracy(labels, scores, { reduction: "none", threshold }),
    labels,
    probabilities,
    weights: options.weights,
  };
}

/**
 * The per-row terms of a multi-class batch (class ids, n x k scores row-major) for `BootstrapSums.add` of
 * kind "multiclass": the categorical cross-entropy, the multi-class Brier term and 1 where the argmax is
 * the label, each by the library's per-sample function (as `MulticlassEvaluation` sums them).
 *
 * @example multiclassBootstrapTerms([1], [0.25, 0.5, 0.25], 3).losses // Float64Array [0.6931471805599453]
 */
export function multiclassBootstrapTerms(
  labels: NumericArray,
  scores: NumericArray,
  classes: number,
  options: { scale?: ScoreScale; weights?: NumericArray | undefined } = {},
): BootstrapTerms {
  const none = { classes, reduction: "none" as const };
  const logits = options.scale === "logit";
  const losses = logits ? categoricalCrossEntropyWithLogits(labels, scores, none) : categoricalCrossEntropy(labels, scores, none);
  const probabilities = logits ? softmax(scores, { classes }) : scores;
  return {
    losses,
    brier: categoricalBrierScore(labels, probabilities, none),
    correct: categoricalAccuracy(labels, scores, none),
    weights: options.weights,
  };
}
