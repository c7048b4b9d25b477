import { type Csr } from "./csrMatrix.js";
import { type OptimizeResult } from "./optimization.js";
import { SparseBinaryLogisticObjective } from "./sparseLogisticObjective.js";
import { tron } from "./tron.js";

/** @internal What `LogisticRegression.fit` hands the sparse path. */
export interface SparseFitProblem {
  X: Csr;
  /** Class ids, 0 or 1 (1: the positive class). */
  classIds: Int32Array;
  /** Per-sample weights (sample times class weights), or undefined for all 1. */
  sampleWeight: Float64Array | undefined;
  C: number;
  fitIntercept: boolean;
  /** scikit-learn's tolerance (see `LogisticRegressionOptions.tol`), or null for the optimum. */
  tol: number | null;
  /** `tol`'s scale: C times the sum of the given sample weights. */
  scale: number;
  maxIterations: number;
  /** The starting coefficients then intercept (zeros, or the previous fit's with warmStart). */
  x0: Float64Array;
}

/**
 * @internal Fits the binary L2 model on sparse features with TRON (`tron.ts`) on
 * `0.5 ||w||^2 + C sum_i w_i log(1 + exp(-y_i (x_i . w + b)))`, y_i = +1 for the positive class, -1 else.
 * With `tol` null (the default): until the gradient's 2-norm is 1e-10 of its value at zero, or a Newton step
 * (inside the trust region) is predicted to gain at most 1e-11 of the objective and changes no sample's logit
 * by more than 1e-6 (dense data's rule, `newtonPolish`): every probability is then within about 1e-6 / 4 of the
 * optimum's, and so is the logit change of the step taken; with `tol`: scikit-learn's rule on the largest gradient
 * component, `max |g_j| <= tol * C * sum_i w_i`.
 */
export function fitSparseBinary(p: SparseFitProblem): OptimizeResult {
  const { X, classIds, sampleWeight, C } = p;
  const y = new Float64Array(X.rows);
  const c = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    y[i] = classIds[i] === 1 ? 1 : -1;
    c[i] = sampleWeight === undefined ? C : C * sampleWeight[i]!;
  }
  const objective = new SparseBinaryLogisticObjective(X, y, c, 1, p.fitIntercept);
  const logits = new Float64Array(X.rows);
  // The largest change of a sample's logit by a step: a probability moves by at most a quarter of it.
  const logitChange = (step: Float64Array): number => {
    objective.stepLogits(step, logits);
    let m = 0;
    for (let i = 0; i < logits.length; i++) m = Math.max(m, Math.abs(logits[i]!));
    return m;
  };
  const rules =
    p.tol === null
      ? { relativeTolerance: 1e-10, objectiveTolerance: 1e-11, stepChange: logitChange, stepTolerance: 1e-6 }
      : { relativeTolerance: 0, objectiveTolerance: 0, gradientTolerance: p.tol * p.scale };
  return tron(objective, p.x0, { ...rules, maxIterations: p.maxIterations });
}

/** @internal The linear scores `x_i . coef + intercept` of sparse rows. */
export function sparseScores(X: Csr, coef: Float64Array, intercept: number): Float64Array {
  const { indptr, indices, data, rows } = X;
  const out = new Float64Array(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const end = indptr[i + 1]!;
    let s = intercept;
    for (; k < end; k++) s += data[k]! * coef[indices[k]!]!;
    out[i] = s;
  }
  return out;
}
