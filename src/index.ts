// The public API of xent: re-exports only.
export { sigmoid } from "./core/sigmoid.js";
export { logSigmoid } from "./core/logSigmoid.js";
export { softplus } from "./core/softplus.js";
export { logit } from "./core/logit.js";
export { binaryCrossEntropy, binaryCrossEntropyGrad, binaryCrossEntropyAndGrad } from "./core/binaryCrossEntropy.js";
export {
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  binaryCrossEntropyWithLogitsAndGrad,
} from "./core/binaryCrossEntropyWithLogits.js";
export { logisticLoss, logisticLossGrad, logisticLossAndGrad } from "./core/logisticLoss.js";
export { CompensatedSum, compensatedSum } from "./core/compensatedSum.js";
export type { BinaryLossOptions, BinaryCrossEntropyOptions } from "./core/binaryBatch.js";
export type { Reduction, NumericArray, GradientBuffer, LossAndGrad, ReductionOptions } from "./core/reduction.js";

// Evaluation metrics and mergeable evaluation states (issue 5, the CLI's library side).
export { brierScore } from "./core/brierScore.js";
export { accuracy } from "./core/accuracy.js";
export type { AccuracyOptions } from "./core/accuracy.js";
export { rocAuc, RocAucAccumulator } from "./core/rocAuc.js";
export type { ScoreScale, RocAucOptions, RocAucResult, RocAucState } from "./core/rocAuc.js";
export { BinaryEvaluation } from "./core/binaryEvaluation.js";
export type { BinaryMetrics, BinaryEvaluationState } from "./core/binaryEvaluation.js";
