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

// Logistic regression (issue 4): the model, its optimizers, the scaler and label encoder, and the data sets.
export { LogisticRegression } from "./model/logisticRegression.js";
export type {
  LogisticRegressionOptions,
  LogisticRegressionJSON,
  FitOptions,
  FitHistory,
  Solver,
} from "./model/logisticRegression.js";
export { StandardScaler } from "./model/standardScaler.js";
export type { StandardScalerOptions, StandardScalerJSON } from "./model/standardScaler.js";
export { LabelEncoder } from "./model/labelEncoder.js";
export type { Label, Labels } from "./model/labelEncoder.js";
export type { Features, DenseMatrix } from "./model/denseMatrix.js";
export type { Penalty } from "./model/logisticObjective.js";
export { lbfgs } from "./model/lbfgs.js";
export type { LbfgsOptions } from "./model/lbfgs.js";
export { newtonCg } from "./model/newtonCg.js";
export type { NewtonCgOptions } from "./model/newtonCg.js";
export { strongWolfeLineSearch } from "./model/lineSearch.js";
export type { LineSearchOptions, LineSearchResult } from "./model/lineSearch.js";
export type {
  DifferentiableObjective,
  TwiceDifferentiableObjective,
  OptimizeOptions,
  OptimizeResult,
  StopReason,
} from "./model/optimization.js";
export { parseCsvDataset } from "./io/parseCsvDataset.js";
export type { Dataset, ParseCsvDatasetOptions } from "./io/parseCsvDataset.js";
export { loadDataset, datasetNames } from "./io/datasets.js";
export type { DatasetName } from "./io/datasets.js";
