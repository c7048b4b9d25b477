// The public API of xent: re-exports only.
export { sigmoid } from "./core/scalar/sigmoid.js";
export { logSigmoid } from "./core/scalar/logSigmoid.js";
export { softplus } from "./core/scalar/softplus.js";
export { logit } from "./core/scalar/logit.js";
export { binaryCrossEntropy, binaryCrossEntropyGrad, binaryCrossEntropyAndGrad } from "./core/binary/binaryCrossEntropy.js";
export {
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  binaryCrossEntropyWithLogitsAndGrad,
} from "./core/binary/binaryCrossEntropyWithLogits.js";
export { logisticLoss, logisticLossGrad, logisticLossAndGrad } from "./core/binary/logisticLoss.js";
export { CompensatedSum, compensatedSum } from "./core/numerics/compensatedSum.js";
export { ExactSum } from "./core/numerics/exactSum.js";
export type { BinaryLossOptions, BinaryCrossEntropyOptions } from "./core/binary/binaryBatch.js";
export type { Reduction, NumericArray, GradientBuffer, LossAndGrad, ReductionOptions } from "./core/common/reduction.js";

// Multi-class cross-entropy: log-sum-exp, softmax, categorical and focal losses, entropies.
export { categoricalCrossEntropyWithLogits, categoricalCrossEntropyWithLogitsAndGrad } from "./core/categorical/categoricalCrossEntropyWithLogits.js";
export type {
  CategoricalLossOptions,
  CategoricalCrossEntropyOptions,
  CategoricalProbabilityOptions,
  CategoricalFocalLossOptions,
} from "./core/categorical/categoricalBatch.js";
export { logSumExp } from "./core/categorical/logSumExp.js";
export { softmax } from "./core/categorical/softmax.js";
export { logSoftmax } from "./core/categorical/logSoftmax.js";
export type { RowOptions } from "./core/categorical/softmaxRow.js";
export { categoricalCrossEntropy, categoricalCrossEntropyAndGrad } from "./core/categorical/categoricalCrossEntropy.js";
export { focalLoss } from "./core/binary/focalLoss.js";
export type { FocalLossOptions } from "./core/binary/focalLoss.js";
export { categoricalFocalLoss } from "./core/categorical/categoricalFocalLoss.js";
export { entropy } from "./core/information/entropy.js";
export { crossEntropy } from "./core/information/crossEntropy.js";
export { klDivergence } from "./core/information/klDivergence.js";
export type { InformationOptions } from "./core/information/distributions.js";

// The explainer's comparison: the squared error of a sigmoid output, and the gradient-descent race.
export { sigmoidSquaredError, sigmoidSquaredErrorGrad, sigmoidSquaredErrorAndGrad } from "./core/binary/sigmoidSquaredError.js";
export type { SigmoidSquaredErrorOptions } from "./core/binary/sigmoidSquaredError.js";
export { GradientDescentRace } from "./model/gradientDescentRace.js";
export type { RaceLoss, RaceFeatures, RaceProgress, GradientDescentRaceOptions } from "./model/gradientDescentRace.js";

// Logistic regression: the model, its optimizers, the scaler and label encoder, and the data sets.
export { LogisticRegression } from "./model/logisticRegression.js";
export type { LogisticRegressionOptions, LogisticRegressionJSON, FitOptions, FitHistory, Solver, ClassWeight } from "./model/logisticRegression.js";
export { StandardScaler } from "./model/standardScaler.js";
export type { StandardScalerOptions, StandardScalerJSON } from "./model/standardScaler.js";
export { LabelEncoder } from "./model/labelEncoder.js";
export type { Label, Labels } from "./model/labelEncoder.js";
export type { Features, DenseMatrix } from "./model/denseMatrix.js";
export type { Penalty } from "./model/logisticObjective.js";
export { lbfgs } from "./model/lbfgs.js";
export type { LbfgsOptions, LbfgsPreconditioner } from "./model/lbfgs.js";
export { newtonCg } from "./model/newtonCg.js";
export type { NewtonCgOptions } from "./model/newtonCg.js";
export { owlqn } from "./model/owlqn.js";
export type { OwlqnOptions } from "./model/owlqn.js";
export { strongWolfeLineSearch } from "./model/lineSearch.js";
export type { LineSearchOptions, LineSearchResult } from "./model/lineSearch.js";
export type { DifferentiableObjective, TwiceDifferentiableObjective, OptimizeOptions, OptimizeResult, StopReason } from "./model/optimization.js";
// Recalibration: Platt scaling, temperature scaling, and the calibration file.
export { fitPlattScaling } from "./model/plattScaling.js";
export type { PlattData, PlattFit, PlattScalingOptions } from "./model/plattScaling.js";
export { PlattScoreCounts } from "./model/plattScoreCounts.js";
export type { PlattScoreCountsJSON } from "./model/plattScoreCounts.js";
export { fitTemperatureScaling } from "./model/temperatureScaling.js";
export type { TemperatureFit, TemperatureScalingOptions } from "./model/temperatureScaling.js";
export { calibrationFromJSON, calibrationToJSON, plattCalibratedLogit, temperatureScaledLogits } from "./model/calibration.js";
export type { Calibration } from "./model/calibration.js";
export { parseCsvDataset } from "./io/parseCsvDataset.js";
export type { Dataset, ParseCsvDatasetOptions } from "./io/parseCsvDataset.js";
export { loadDataset, datasetNames } from "./io/datasets.js";
export type { DatasetName } from "./io/datasets.js";

// Evaluation metrics and mergeable evaluation states (the library side of `xent eval` and `xent merge`).
export { brierScore } from "./core/metrics/brierScore.js";
export { accuracy } from "./core/metrics/accuracy.js";
export type { AccuracyOptions } from "./core/metrics/accuracy.js";
export { rocAuc, RocAucAccumulator } from "./core/metrics/rocAuc.js";
export type { ScoreScale, RocAucOptions, RocAucResult, RocAucState } from "./core/metrics/rocAuc.js";
export { BinaryEvaluation } from "./core/metrics/binaryEvaluation.js";
export type { BinaryMetrics, BinaryEvaluationOptions, BinaryEvaluationState, BinaryCurves, ReliabilityBin } from "./core/metrics/binaryEvaluation.js";
export { rocCurve } from "./core/metrics/rocCurve.js";
export type { RocCurve } from "./core/metrics/rocCurve.js";
export { precisionRecallCurve } from "./core/metrics/precisionRecallCurve.js";
export type { PrecisionRecallCurve } from "./core/metrics/precisionRecallCurve.js";
export { isotonicCalibrationCurve } from "./core/metrics/isotonicCalibrationCurve.js";
export type { IsotonicCalibrationCurve } from "./core/metrics/isotonicCalibrationCurve.js";
export { poolAdjacentViolators } from "./core/metrics/poolAdjacentViolators.js";
export type { IsotonicBlocks } from "./core/metrics/poolAdjacentViolators.js";
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
export { categoricalBrierScore, categoricalAccuracy } from "./core/metrics/categoricalMetrics.js";
export type { CategoricalMetricOptions } from "./core/metrics/categoricalMetrics.js";
export { MulticlassEvaluation } from "./core/metrics/multiclassEvaluation.js";
export type { MulticlassMetrics, MulticlassEvaluationState } from "./core/metrics/multiclassEvaluation.js";
// Bootstrap confidence intervals (the Poisson bootstrap, seeded and mergeable across shards).
export { BootstrapSums } from "./core/metrics/bootstrapSums.js";
export type {
  BootstrapOptions,
  BootstrapTerms,
  BootstrapIntervals,
  BootstrapFigure,
  BootstrapSumsState,
  BootstrapInterval,
} from "./core/metrics/bootstrapSums.js";
export { binaryBootstrapTerms, multiclassBootstrapTerms } from "./core/metrics/bootstrapTerms.js";
export { quantileSorted } from "./core/metrics/quantile.js";
export { poissonOneDraw } from "./core/numerics/poissonOne.js";

// SQL for the warehouses: the exact log loss, Brier, accuracy and the ROC AUC bins as queries.
export { logLossSql, SQL_DIALECTS } from "./sql/logLossSql.js";
export type { SqlDialect, LogLossSqlOptions, LogLossSqlQueries } from "./sql/logLossSql.js";
export { stateFromSqlRows } from "./sql/sqlRowsState.js";
export type { SqlResultRow, SqlRowsState } from "./sql/sqlRowsState.js";

// Sparse data: the libsvm / svmlight text format (files and stdin: src/io/libsvmReader.ts, Node only).
export { LibsvmParser, LibsvmCsrBuilder, parseLibsvm, parseLibsvmToCsr } from "./io/libsvmParser.js";
export type { LibsvmRow, LibsvmOptions, LibsvmData } from "./io/libsvmParser.js";
export type { CsrMatrix } from "./model/csrMatrix.js";

// Online logistic regression: FTRL-Proximal on hashed sparse features, progressive validation.
export { FtrlProximal } from "./model/ftrlProximal.js";
export type { FtrlProximalOptions, FtrlProximalJSON } from "./model/ftrlProximal.js";
export { hashFeature, murmurHash3x86_32 } from "./model/featureHash.js";
export { ProgressiveValidation } from "./model/progressiveValidation.js";
export type { ProgressLine } from "./model/progressiveValidation.js";
