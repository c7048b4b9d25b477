import { checkOptions, fail, failType } from "./checks.js";
import { extremeWeights, reduced, rescaledWeights, unweighted } from "./extremeSums.js";
import { logitGrad, logitLoss, probabilityGrad, probabilityLoss } from "./binaryTerms.js";
import {
  type GradientBuffer,
  type NumericArray,
  type ReductionOptions,
  checkReduction,
  checkSameLength,
  gradientBuffer,
  reductionDivisor,
} from "./reduction.js";

/** Options of the binary losses on batches. */
export interface BinaryLossOptions extends ReductionOptions {
  /**
   * Weight of the positive term (PyTorch's `pos_weight`): `L = -[w+ y log p + (1 - y) log(1 - p)]`.
   * Finite and > 0; default 1. Values above 1 raise recall, below 1 precision.
   */
  posWeight?: number;
  /**
   * Label smoothing a in [0, 1]: each label y in [0, 1] becomes `y (1 - a) + a / 2`, i.e. moves towards 0.5
   * (Keras' and tfjs' binary convention; for {-1, +1} labels, applied after mapping them to {0, 1}).
   * Default 0.
   */
  labelSmoothing?: number;
  /** A buffer of the batch's length that receives the gradient (loss-and-gradient and gradient passes). */
  gradOut?: GradientBuffer;
}

/** Options of the probability form on batches. */
export interface BinaryCrossEntropyOptions extends BinaryLossOptions {
  /**
   * Clip each probability to [epsilon, 1 - epsilon] before taking logs (scikit-learn's `log_loss` does this
   * silently with the machine epsilon; xent only when asked). epsilon in [0, 0.5]; default 0: no clipping,
   * so a confidently wrong prediction costs Infinity, its true value. The gradient is the loss's derivative
   * at the clipped probability.
   */
  epsilon?: number;
}

/** @internal The option names of the binary batch losses (logit and {-1, +1} forms; probability form). */
const LOGIT_OPTIONS = ["reduction", "weights", "posWeight", "labelSmoothing", "gradOut"] as const;
const PROBABILITY_OPTIONS = ["reduction", "weights", "posWeight", "labelSmoothing", "epsilon", "gradOut"] as const;

/** @internal What a batch pass produced: the reduced loss (or per-sample losses) and the gradient. */
export interface BatchResult {
  loss: number | Float64Array;
  grad: GradientBuffer | null;
}

/** @internal A validated batch: its length, buffers, options and the divisor of its reduction. */
export interface Prepared {
  n: number;
  perSample: Float64Array | null;
  grad: GradientBuffer | null;
  weights: NumericArray | undefined;
  posWeight: number;
  smoothing: number;
  divisor: number;
}

/** @internal Validates a batch's lengths and options (weights summed with compensation) and allocates its buffers. */
export function prepare(
  fn: string,
  labels: NumericArray,
  inputs: NumericArray,
  inputName: string,
  options: BinaryLossOptions,
  wantLoss: boolean,
  wantGrad: boolean,
): Prepared {
  if (options == null || typeof options !== "object") failType(`${fn}: options`, options, "is not an object");
  checkOptions(fn, options, inputName === "probabilities" ? PROBABILITY_OPTIONS : LOGIT_OPTIONS);
  const n = checkSameLength(fn, "labels", labels, inputName, inputs);
  const reduction = checkReduction(fn, options.reduction);
  const posWeight = options.posWeight ?? 1;
  if (typeof posWeight !== "number") failType(`${fn}: options.posWeight`, posWeight, "is not a number");
  if (!(posWeight > 0 && posWeight < Infinity)) fail(`${fn}: options.posWeight`, posWeight, "is not a finite number > 0");
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== "number") failType(`${fn}: options.labelSmoothing`, smoothing, "is not a number");
  if (!(smoothing >= 0 && smoothing <= 1)) fail(`${fn}: options.labelSmoothing`, smoothing, "is not in [0, 1]");
  let weights = options.weights;
  let weightSum = n;
  if (weights !== undefined) {
    if (weights == null || typeof weights.length !== "number") failType(`${fn}: options.weights`, weights, "is not an array");
    if (weights.length !== n) {
      throw new RangeError(`${fn}: options.weights has length ${weights.length} but labels has length ${n}`);
    }
    // Compensated sum of the weights, checking each one on the way.
    let sum = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (typeof w !== "number") failType(`${fn}: weights[${i}]`, w, "is not a number");
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: weights[${i}]`, w, "is not a finite number >= 0");
      const t = sum + w;
      c += sum >= w ? sum - t + w : w - t + sum;
      sum = t;
    }
    weightSum = sum + c;
    if (reduction === "mean" && extremeWeights(weightSum)) ({ weights, sum: weightSum } = rescaledWeights(weights));
  }
  return {
    n,
    perSample: wantLoss && reduction === "none" ? new Float64Array(n) : null,
    grad: wantGrad ? gradientBuffer(fn, options.gradOut, n) : null,
    weights,
    posWeight,
    smoothing,
    divisor: reductionDivisor(fn, reduction, weightSum, n),
  };
}

/**
 * @internal One pass over a batch of (label, logit) pairs: validates each element, and accumulates the
 * weighted loss with Neumaier's compensated sum and/or writes the gradient of the reduced loss.
 * `signLabels` selects the {-1, +1} convention (mapped to {0, 1}); otherwise labels are in [0, 1].
 * A gradient-only pass (`wantLoss` false) skips the log.
 */
export function logitBatch(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  options: BinaryLossOptions,
  signLabels: boolean,
  wantLoss: boolean,
  wantGrad: boolean,
): BatchResult {
  const prepared = prepare(fn, labels, logits, "logits", options, wantLoss, wantGrad);
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepared;
  const keep = 1 - smoothing;
  const half = smoothing / 2;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    let y = labels[i]!;
    // typeof first: a string, null or undefined would pass or dodge the range checks by coercion.
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (signLabels) {
      if (y !== 1 && y !== -1) fail(`${fn}: labels[${i}]`, y, "is not -1 or +1");
      y = y > 0 ? 1 : 0;
    } else if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    if (smoothing !== 0) y = y * keep + half;
    const s = logits[i]!;
    if (typeof s !== "number") failType(`${fn}: logits[${i}]`, s, "is not a number");
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const w = weights === undefined ? 1 : weights[i]!;
    const e = Math.exp(-Math.abs(s));
    if (wantLoss) {
      let loss = logitLoss(y, s, posWeight, e);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
    if (grad !== null) {
      const g = logitGrad(y, s, posWeight, e);
      grad[i] = w === 1 ? (divisor === 1 ? g : g / divisor) : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  return {
    loss: perSample ?? reduced(sum, c, divisor, weights, () => logitBatch(fn, labels, logits, unweighted(options), signLabels, true, false).loss),
    grad,
  };
}

/** @internal The same pass for (label, probability) pairs; labels in [0, 1]. */
export function probabilityBatch(
  fn: string,
  labels: NumericArray,
  probabilities: NumericArray,
  options: BinaryCrossEntropyOptions,
  wantLoss: boolean,
  wantGrad: boolean,
): BatchResult {
  const prepared = prepare(fn, labels, probabilities, "probabilities", options, wantLoss, wantGrad);
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepared;
  const epsilon = options.epsilon ?? 0;
  if (typeof epsilon !== "number") failType(`${fn}: options.epsilon`, epsilon, "is not a number");
  if (!(epsilon >= 0 && epsilon <= 0.5)) fail(`${fn}: options.epsilon`, epsilon, "is not in [0, 0.5]");
  const high = 1 - epsilon;
  const keep = 1 - smoothing;
  const half = smoothing / 2;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    let y = labels[i]!;
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    if (smoothing !== 0) y = y * keep + half;
    let p = probabilities[i]!;
    if (typeof p !== "number") failType(`${fn}: probabilities[${i}]`, p, "is not a number");
    if (!(p >= 0 && p <= 1)) fail(`${fn}: probabilities[${i}]`, p, "is not in [0, 1]");
    if (epsilon !== 0) p = p < epsilon ? epsilon : p > high ? high : p;
    const w = weights === undefined ? 1 : weights[i]!;
    if (wantLoss) {
      let loss = probabilityLoss(y, p, posWeight);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
    if (grad !== null) {
      const g = probabilityGrad(y, p, posWeight);
      grad[i] = w === 1 ? (divisor === 1 ? g : g / divisor) : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  return {
    loss: perSample ?? reduced(sum, c, divisor, weights, () => probabilityBatch(fn, labels, probabilities, unweighted(options), true, false).loss),
    grad,
  };
}
