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

// Multi-class cross-entropy (issue 3): log-sum-exp, softmax, categorical and focal losses, entropies.
export {
  categoricalCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogitsAndGrad,
} from "./core/categoricalCrossEntropyWithLogits.js";
export type {
  CategoricalLossOptions,
  CategoricalCrossEntropyOptions,
  CategoricalProbabilityOptions,
  CategoricalFocalLossOptions,
} from "./core/categoricalBatch.js";
export { logSumExp } from "./core/logSumExp.js";
export { softmax } from "./core/softmax.js";
export { logSoftmax } from "./core/logSoftmax.js";
export type { RowOptions } from "./core/softmaxRow.js";
export { categoricalCrossEntropy, categoricalCrossEntropyAndGrad } from "./core/categoricalCrossEntropy.js";
export { focalLoss } from "./core/focalLoss.js";
export type { FocalLossOptions } from "./core/focalLoss.js";
export { categoricalFocalLoss } from "./core/categoricalFocalLoss.js";
export { entropy } from "./core/entropy.js";
export { crossEntropy } from "./core/crossEntropy.js";
export { klDivergence } from "./core/klDivergence.js";
export type { InformationOptions } from "./core/distributions.js";

// The explainer's comparison (issue 6): the squared error of a sigmoid output, and the gradient-descent race.
export { sigmoidSquaredError, sigmoidSquaredErrorGrad, sigmoidSquaredErrorAndGrad } from "./core/sigmoidSquaredError.js";
export type { SigmoidSquaredErrorOptions } from "./core/sigmoidSquaredError.js";
export { GradientDescentRace } from "./model/gradientDescentRace.js";
export type { RaceLoss, RaceFeatures, RaceProgress, GradientDescentRaceOptions } from "./model/gradientDescentRace.js";

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

// Evaluation metrics and mergeable evaluation states (issue 5, the CLI's library side).
export { brierScore } from "./core/brierScore.js";
export { accuracy } from "./core/accuracy.js";
export type { AccuracyOptions } from "./core/accuracy.js";
export { rocAuc, RocAucAccumulator } from "./core/rocAuc.js";
export type { ScoreScale, RocAucOptions, RocAucResult, RocAucState } from "./core/rocAuc.js";
export { BinaryEvaluation } from "./core/binaryEvaluation.js";
export type { BinaryMetrics, BinaryEvaluationOptions, BinaryEvaluationState } from "./core/binaryEvaluation.js";
export { averagePrecision } from "./core/metrics/averagePrecision.js";
export type { AveragePrecisionResult } from "./core/metrics/averagePrecision.js";
export { brierDecomposition } from "./core/metrics/brierDecomposition.js";
export type { BrierDecomposition } from "./core/metrics/brierDecomposition.js";
export { corpDecomposition } from "./core/metrics/corpDecomposition.js";
export type { LogLossDecomposition } from "./core/metrics/corpDecomposition.js";
export type { CalibrationErrors } from "./core/metrics/calibrationBins.js";
export { equalMassCalibration } from "./core/metrics/equalMassCalibration.js";
export type { EqualMassCalibration } from "./core/metrics/equalMassCalibration.js";
export type { ThresholdMetrics } from "./core/metrics/thresholdCounts.js";
export type { OneVsRestMetrics, ClassReport } from "./core/metrics/oneVsRest.js";
export { categoricalBrierScore, categoricalAccuracy } from "./core/categoricalMetrics.js";
export type { CategoricalMetricOptions } from "./core/categoricalMetrics.js";
export { MulticlassEvaluation } from "./core/multiclassEvaluation.js";
export type { MulticlassMetrics, MulticlassEvaluationState } from "./core/multiclassEvaluation.js";

// SQL for the warehouses (issue 12): the exact log loss, Brier, accuracy and the ROC AUC bins as queries.
export { logLossSql, SQL_DIALECTS } from "./sql/logLossSql.js";
export type { SqlDialect, LogLossSqlOptions, LogLossSqlQueries } from "./sql/logLossSql.js";
export { stateFromSqlRows } from "./sql/sqlRowsState.js";
export type { SqlResultRow, SqlRowsState } from "./sql/sqlRowsState.js";
