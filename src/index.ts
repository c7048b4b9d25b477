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

// The explainer's comparison (issue 6): the squared error of a sigmoid output, and the gradient-descent race.
export { sigmoidSquaredError, sigmoidSquaredErrorGrad, sigmoidSquaredErrorAndGrad } from "./core/sigmoidSquaredError.js";
export type { SigmoidSquaredErrorOptions } from "./core/sigmoidSquaredError.js";
export { GradientDescentRace } from "./model/gradientDescentRace.js";
export type { RaceLoss, RaceProgress, GradientDescentRaceOptions } from "./model/gradientDescentRace.js";
