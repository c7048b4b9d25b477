import {
  KERNEL_LOSS,
  KERNEL_PARAMS,
  gradientWithKernel,
  kernelFlagged,
  kernelLabelLoss,
  kernelRow,
  scanRowsWithKernel,
} from "../kernels/softmaxWasm.js";
import { fail, failType } from "../common/checks.js";
import { extremeWeights, overflowedMean, rescaledWeights } from "../numerics/extremeSums.js";
import {
  type GradientBuffer,
  type LossAndGrad,
  type NumericArray,
  type Reduction,
  type ReductionOptions,
  checkReduction,
  gradientBuffer,
  reductionDivisor,
} from "../common/reduction.js";
import { negLogSoftmax, row, scanRow } from "./softmaxRow.js";
import { categoricalFocalFactor, focalRowTail } from "./categoricalFocalFactor.js";

/**
 * How far a row of target probabilities (soft labels) may sum away from 1: |sum_j t_j - 1| <= 1e-5.
 * Loose enough for float32 targets of 1,000 classes (each rounded by 2^-24 relative, and float32 softmax
 * outputs used as distillation targets), tight enough to catch a row that was never normalized. The
 * targets are used as given, not renormalized.
 */
export const TARGET_SUM_TOLERANCE = 1e-5;

/** Options of the categorical losses (class-id or soft labels, rows of `classes` logits or probabilities). */
export interface CategoricalLossOptions extends ReductionOptions {
  /**
   * The number of classes k: inputs are row-major, n rows of k values. Required; an integer >= 1. Labels of
   * length n are class ids, of length n * k target rows (for k = 1 both lengths agree: class ids, all 0).
   */
  classes: number;
  /**
   * Label smoothing a in [0, 1], PyTorch's and Optax's convention: the target row t becomes
   * `(1 - a) t + a / k` (a class id y is first the one-hot row of y). Default 0.
   */
  labelSmoothing?: number;
  /**
   * A class id whose rows are skipped (loss 0, gradient 0, not counted by the mean), like PyTorch's
   * `ignore_index` (PyTorch's default is -100; xent's default is none). Only for class-id labels: with soft
   * labels it throws.
   */
  ignoreIndex?: number;
  /** A buffer of length n * k that receives the gradient (loss-and-gradient passes). */
  gradOut?: GradientBuffer;
}

/** Options of `categoricalCrossEntropyWithLogits` and `categoricalCrossEntropy`. */
export interface CategoricalCrossEntropyOptions extends CategoricalLossOptions {
  /**
   * One weight per class, finite and >= 0 (PyTorch's `weight`): row i's loss is
   * `-sum_j c_j t_ij log p_ij`, so a class-id row is weighted by c_{y_i}. With class-id labels the mean
   * divides by the sum of `w_i c_{y_i}` over the counted rows (PyTorch's weighted mean); with soft labels
   * it divides by the sum of the row weights (PyTorch divides by N there).
   */
  classWeights?: NumericArray;
  /**
   * An object that a loss-and-gradient call fills with `loss` and `grad` and returns, instead of a new
   * `{ loss, grad }` (as for the binary losses). With `gradOut` too, a training step with class ids
   * allocates nothing at all (the README's "Benchmarks and speed", "Allocations"): the returned object is
   * then `out` itself, so read its fields before the next call.
   */
  out?: LossAndGrad<number> | LossAndGrad<Float64Array>;
}

/** Options of `categoricalCrossEntropy` (the probability form). */
export interface CategoricalProbabilityOptions extends CategoricalCrossEntropyOptions {
  /**
   * Clip each probability to [epsilon, 1 - epsilon] before taking its log (Keras does this with 1e-7
   * silently); epsilon in [0, 0.5], default 0: no clipping, a zero probability for the true class costs
   * Infinity. The gradient is taken at the clipped probability.
   */
  epsilon?: number;
}

/** Options of `categoricalFocalLoss`. */
export interface CategoricalFocalLossOptions extends CategoricalLossOptions {
  /** The focusing parameter gamma >= 0 (finite): each class term is scaled by (1 - p_j)^gamma. Default 2. */
  gamma?: number;
  /**
   * The balancing factor: a number (every class) or one number per class, finite and >= 0. It scales the
   * loss only; the mean divides by the sum of the row weights. Default 1 (Keras defaults to 0.25).
   */
  alpha?: number | NumericArray;
}

/** @internal The validated shape and options of a categorical batch. */
export const batch = {
  n: 0,
  k: 0,
  hard: true,
  reduction: "mean" as Reduction,
  weights: undefined as NumericArray | undefined,
  classWeights: undefined as NumericArray | undefined,
  ignoreIndex: NaN,
  smoothing: 0,
  divisor: 1,
};

/** @internal `labels[i] (row r, column j)` for error messages. */
export function where(name: string, index: number, k: number): string {
  const r = Math.floor(index / k);
  return `${name}[${index}] (row ${r}, column ${index - r * k})`;
}

function checkArray(fn: string, name: string, a: unknown): asserts a is NumericArray {
  if (a == null || typeof (a as NumericArray).length !== "number" || typeof a === "string") fail(`${fn}: ${name}`, a, "is not an array");
}

/** @internal Checks a per-class weight array (classWeights or alpha) of length k. */
export function checkClassWeights(fn: string, name: string, a: unknown, k: number): NumericArray {
  checkArray(fn, name, a);
  if (a.length !== k) throw new RangeError(`${fn}: ${name} has length ${a.length} but classes is ${k}`);
  for (let j = 0; j < k; j++) {
    const w = a[j]!;
    if (!(w >= 0 && w < Infinity)) fail(`${fn}: ${name}[${j}]`, w, "is not a finite number >= 0");
  }
  return a;
}

/**
 * @internal Validates the options, the shapes and every label (class ids or target rows), and computes the
 * reduction's divisor, into `batch`. `countClassWeights`: whether a class-id row's class weight enters the
 * mean's denominator (cross-entropy, as in PyTorch) or not (focal loss's alpha).
 */
export function prepareCategorical(
  fn: string,
  labels: NumericArray,
  inputs: NumericArray,
  inputName: string,
  options: CategoricalLossOptions,
  classWeightsIn: unknown,
  countClassWeights: boolean,
): void {
  if (options == null || typeof options !== "object") fail(`${fn}: options`, options, "is not an object with a classes field");
  const k = options.classes;
  if (!(Number.isInteger(k) && k >= 1)) fail(`${fn}: options.classes`, k, "is not an integer >= 1");
  checkArray(fn, "labels", labels);
  checkArray(fn, inputName, inputs);
  const n = Math.floor(inputs.length / k);
  if (n * k !== inputs.length) {
    throw new RangeError(`${fn}: ${inputName} has length ${inputs.length}, not a multiple of classes = ${k}`);
  }
  let hard: boolean;
  if (labels.length === n) hard = true;
  else if (labels.length === n * k) hard = false;
  else {
    throw new RangeError(
      `${fn}: labels has length ${labels.length} but ${inputName} has ${n} rows of ${k} classes: expected ${n} class ids or ${n * k} target probabilities`,
    );
  }
  const reduction = checkReduction(fn, options.reduction);
  let classWeights =
    classWeightsIn === undefined ? undefined : checkClassWeights(fn, countClassWeights ? "options.classWeights" : "options.alpha", classWeightsIn, k);
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) fail(`${fn}: options.labelSmoothing`, smoothing, "is not in [0, 1]");
  let ignoreIndex = NaN;
  if (options.ignoreIndex !== undefined) {
    if (!Number.isInteger(options.ignoreIndex)) fail(`${fn}: options.ignoreIndex`, options.ignoreIndex, "is not an integer");
    if (!hard) throw new RangeError(`${fn}: options.ignoreIndex applies to class-id labels only, but labels are target rows`);
    ignoreIndex = options.ignoreIndex;
  }
  let weights = options.weights;
  if (weights !== undefined) {
    checkArray(fn, "options.weights", weights);
    if (weights.length !== n) {
      throw new RangeError(`${fn}: options.weights has length ${weights.length} but there are ${n} rows`);
    }
  }
  // One pass over the labels: validate them and sum the weights of the counted rows (Neumaier); -0: see
  // logitsPass.
  let sum = -0;
  let c = -0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    let w = 1;
    if (weights !== undefined) {
      w = weights[i]!;
      if (!(w >= 0 && w < Infinity)) fail(`${fn}: options.weights[${i}]`, w, "is not a finite number >= 0");
    }
    if (hard) {
      const y = labels[i]!;
      if (y === ignoreIndex) continue;
      if (!(Number.isInteger(y) && y >= 0 && y < k)) {
        fail(`${fn}: labels[${i}] (row ${i})`, y, `is not an integer class id in [0, ${k})`);
      }
      if (countClassWeights && classWeights !== undefined) w *= classWeights[y]!;
    } else {
      let rowSum = 0;
      let rc = 0;
      const offset = i * k;
      for (let j = 0; j < k; j++) {
        const t = labels[offset + j]!;
        if (!(t >= 0 && t <= 1)) fail(`${fn}: ${where("labels", offset + j, k)}`, t, "is not a probability in [0, 1]");
        const s = rowSum + t;
        rc += rowSum >= t ? rowSum - s + t : t - s + rowSum;
        rowSum = s;
      }
      rowSum += rc;
      if (!(Math.abs(rowSum - 1) <= TARGET_SUM_TOLERANCE)) {
        throw new RangeError(
          `${fn}: labels row ${i} (labels[${offset}..${offset + k - 1}]) sums to ${rowSum}, not 1 (tolerance ${TARGET_SUM_TOLERANCE})`,
        );
      }
    }
    counted++;
    const t = sum + w;
    c += sum >= w ? sum - t + w : w - t + sum;
    sum = t;
  }
  if (reduction === "mean" && counted === 0 && n > 0) {
    throw new RangeError(
      `${fn}: all ${n} rows are ignored (ignoreIndex = ${ignoreIndex}); their mean is undefined; use reduction "sum" (which gives 0)`,
    );
  }
  // The weighted mean is invariant under scaling the row weights, and (for class ids, where they enter the
  // denominator) the class weights: bring extreme ones near 1 (extremeSums.ts).
  const scaleClassWeights = hard && countClassWeights && classWeights !== undefined;
  if ((weights !== undefined || scaleClassWeights) && reduction === "mean" && extremeWeights(sum + c)) {
    if (weights !== undefined) weights = rescaledWeights(weights).weights;
    if (scaleClassWeights) classWeights = rescaledWeights(classWeights!).weights;
    sum = 0;
    c = 0;
    for (let i = 0; i < n; i++) {
      let w = weights === undefined ? 1 : weights[i]!;
      if (hard) {
        const y = labels[i]!;
        if (y === ignoreIndex) continue;
        if (countClassWeights && classWeights !== undefined) w *= classWeights[y]!;
      }
      const t = sum + w;
      c += sum >= w ? sum - t + w : w - t + sum;
      sum = t;
    }
  }
  batch.n = n;
  batch.k = k;
  batch.hard = hard;
  batch.reduction = reduction;
  batch.weights = weights;
  batch.classWeights = classWeights;
  batch.ignoreIndex = ignoreIndex;
  batch.smoothing = smoothing;
  // The mean's divisor stored here, not returned by reductionDivisor: a double passed to or returned from a
  // call V8 does not inline is boxed (a heap allocation per call); the other cases are small integers.
  const weightSum = sum + c;
  if (reduction === "mean" && weightSum > 0) batch.divisor = weightSum;
  else batch.divisor = reductionDivisor(fn, reduction, reduction === "mean" ? weightSum : 0, n);
}

/**
 * @internal What a categorical pass produced: the reduced loss (NaN for reduction "none") or the per-row
 * losses, and the gradient. Two fields for the loss, not one `number | Float64Array`: V8 then stores the
 * number in place (a field that holds both kinds is boxed, a heap allocation per call; binaryBatch.ts).
 */
export interface CategoricalResult {
  loss: number;
  perSample: Float64Array | null;
  grad: GradientBuffer | null;
}

/**
 * The result object of the passes, reused: the public functions copy its fields out at once (into their
 * own result or the caller's `out`), so a pass allocates nothing for it. A re-entrant pass (the rare
 * overflow path, `perRow`) runs before the outer pass writes it.
 */
const RESULT: CategoricalResult = { loss: -0, perSample: null, grad: null };

/** @internal The loss a public loss function returns: the per-row losses, or the reduced loss. */
export function categoricalLoss(r: CategoricalResult): number | Float64Array {
  return r.perSample ?? r.loss;
}

/**
 * @internal The result of a public loss-and-gradient call: `out` (the caller's `options.out`) filled in,
 * or a new object.
 */
export function categoricalLossAndGrad(fn: string, out: unknown, r: CategoricalResult): LossAndGrad<number | Float64Array> {
  const grad = r.grad!;
  if (out === undefined) return { loss: r.perSample ?? r.loss, grad };
  if (out === null || typeof out !== "object") failType(`${fn}: options.out`, out, "is not an object");
  const o = out as LossAndGrad<number | Float64Array>;
  // Two stores, not one of `perSample ?? loss`: a number that passes through a value of two kinds is boxed.
  if (r.perSample !== null) o.loss = r.perSample;
  else o.loss = r.loss;
  o.grad = grad;
  return o;
}

/** @internal Focal parameters of a logits pass (null: plain cross-entropy). */
export interface FocalParameters {
  gamma: number;
  alpha: number;
  alphas: NumericArray | undefined;
}

/**
 * @internal One pass over a batch of logit rows (after `prepareCategorical`): per row one `scanRow`, the
 * loss `sum_j c_j t_j (-logSoftmax_j)` (each term >= 0, Neumaier-summed; a term with coefficient 0 is
 * skipped, so an impossible class costs nothing instead of 0 * Infinity = NaN) and/or the gradient of the
 * reduced loss. Rows are weighted by `options.weights`, summed with Neumaier's compensation and divided by
 * the reduction's divisor. Allocation-free except the per-sample array of reduction "none" and the gradient
 * when no `gradOut` is given.
 */
export function logitsPass(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  gradOut: GradientBuffer | undefined,
  wantLoss: boolean,
  wantGrad: boolean,
  focal: FocalParameters | null,
): CategoricalResult {
  const { n, k, hard, reduction, weights, classWeights, ignoreIndex, smoothing, divisor } = batch;
  const perSample = wantLoss && reduction === "none" ? new Float64Array(n) : null;
  const grad = wantGrad ? gradientBuffer(fn, gradOut, n * k) : null;
  const keep = 1 - smoothing;
  const spread = smoothing / k;
  const alphas = focal === null ? classWeights : focal.alphas;
  const alpha = focal === null ? 1 : focal.alpha;
  const gamma = focal === null ? 0 : focal.gamma;
  // -0, not 0: a loop variable that starts as a small integer and becomes a double stays boxed in V8 (a
  // heap number per iteration; binaryBatch.ts logitLoopPlain); the reduced loss adds +0 (an empty sum is +0).
  let sum = -0;
  let c = -0;
  // The rows' scans (maxima, tails, stored exponentials) run in the WebAssembly kernel first, bit for bit
  // scanRow's results (softmaxWasm.ts); a row it flags, or every row where it does not run, is scanned here
  // by scanRow.
  // With class ids and no smoothing or focal term, the kernel writes the gradient too (the
  // branch "a class id" below, bit for bit), and this loop only adds the losses of the rows it did.
  const simple = hard && smoothing === 0 && focal === null;
  KERNEL_PARAMS[0] = ignoreIndex;
  KERNEL_PARAMS[1] = divisor;
  const fused = simple && grad !== null && gradientWithKernel(labels, logits, n, k, grad, weights, alphas);
  const scanned = fused || scanRowsWithKernel(logits, n, k, grad);
  for (let i = 0; i < n; i++) {
    const offset = i * k;
    if (fused && !kernelFlagged(i)) {
      if (!wantLoss) continue;
      const y = labels[i]!;
      const w = weights === undefined ? 1 : weights[i]!;
      if (y === ignoreIndex || w === 0) {
        if (perSample !== null) perSample[i] = 0;
        continue;
      }
      const cy = alphas === undefined ? 1 : alphas[y]!;
      let loss = 0;
      if (cy !== 0) {
        kernelLabelLoss(i);
        loss = cy * KERNEL_LOSS[0]!;
      }
      if (w !== 1) loss *= w;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
      continue;
    }
    const bad = scanned && !fused && kernelRow(i) ? -1 : scanRow(logits, offset, k, grad);
    if (bad >= 0) fail(`${fn}: ${where("logits", offset + bad, k)}`, logits[offset + bad], "is not a number");
    const y = hard ? labels[i]! : -1;
    const w = weights === undefined ? 1 : weights[i]!;
    if ((hard && y === ignoreIndex) || w === 0) {
      if (perSample !== null) perSample[i] = 0;
      if (grad !== null) for (let j = 0; j < k; j++) grad[offset + j] = 0;
      continue;
    }
    const a = row.argmax;
    let loss = 0;
    if (hard && smoothing === 0 && focal === null) {
      // A class id: loss c_y (-logSoftmax_y), gradient c_y (softmax - onehot(y)).
      const cy = alphas === undefined ? 1 : alphas[y]!;
      if (wantLoss && cy !== 0) {
        // negLogSoftmax written out: a double returned from a call V8 does not inline is boxed (per row).
        const zy = logits[offset + y]!;
        loss = cy * (row.infinite ? (zy === row.max ? row.log1pTail : Infinity) : row.max - zy + row.log1pTail);
      }
      if (grad !== null) {
        const scale = (w * cy) / divisor;
        const inv = 1 / (1 + row.tail);
        const py = grad[offset + y]! * inv;
        for (let j = 0; j < k; j++) grad[offset + j] = scale * (grad[offset + j]! * inv);
        // softmax_y - 1 = -(1 - softmax_y): at the argmax 1 - softmax_a = T / (1 + T) without cancellation;
        // elsewhere softmax_y <= 1/2 and the subtraction is benign.
        grad[offset + y] = scale * (y === a ? -(row.tail * inv) : py - 1);
      }
    } else {
      // General row: target t_j (smoothed class id or soft row), class weight c_j, focal factor f_j.
      let ls = 0;
      let lc = 0;
      let W = 0;
      let Wc = 0;
      let Wother = 0;
      let Woc = 0;
      let tailReady = false;
      for (let j = 0; j < k; j++) {
        let t = hard ? (j === y ? keep + spread : spread) : labels[offset + j]! * keep + spread;
        if (alphas !== undefined) t *= alphas[j]!;
        t *= alpha;
        if (t === 0) continue;
        const zj = logits[offset + j]!;
        if (wantLoss) {
          const nl = negLogSoftmax(zj);
          let term = t * nl;
          if (gamma !== 0) {
            // (1 - p_j)^gamma from a double-double 1 - p_j (categoricalFocalFactor.ts); the row's tail once.
            if (!tailReady) {
              focalRowTail(logits, offset, k);
              tailReady = true;
            }
            term *= categoricalFocalFactor(j, gamma, nl);
          }
          const s = ls + term;
          lc += ls >= term ? ls - s + term : term - s + ls;
          ls = s;
        }
        if (grad !== null) {
          let s = W + t;
          Wc += W >= t ? W - s + t : t - s + W;
          W = s;
          if (j !== a) {
            s = Wother + t;
            Woc += Wother >= t ? Wother - s + t : t - s + Wother;
            Wother = s;
          }
        }
      }
      loss = ls < Infinity ? ls + lc : ls;
      if (grad !== null) {
        // d/dz_j of sum_l c_l t_l (-logSoftmax_l) = W softmax_j - c_j t_j, W = sum_l c_l t_l. At the argmax
        // W softmax_a - c_a t_a = (W - c_a t_a) - W (1 - softmax_a) = Wother - W T / (1 + T).
        W += Wc;
        Wother += Woc;
        const scale = w / divisor;
        const inv = 1 / (1 + row.tail);
        for (let j = 0; j < k; j++) {
          let t = hard ? (j === y ? keep + spread : spread) : labels[offset + j]! * keep + spread;
          if (alphas !== undefined) t *= alphas[j]!;
          const g = j === a ? Wother - W * (row.tail * inv) : W * (grad[offset + j]! * inv) - t;
          grad[offset + j] = scale * g;
        }
      }
    }
    if (wantLoss) {
      if (w !== 1) loss *= w;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
  }
  // The reduced loss written out (extremeSums.ts `reduced`), with no double passed to or returned from a
  // call and no closure made on the common path (each would be a heap allocation per call; binaryBatch.ts).
  let loss = NaN;
  if (perSample === null) {
    const total = sum < Infinity ? sum + c : sum;
    if (total === Infinity && divisor > 1) {
      loss = overflowedMean(
        perRow(() => logitsPass(fn, labels, logits, undefined, true, false, focal)),
        weights,
        divisor,
      );
    } else loss = (total + 0) / divisor;
  }
  RESULT.loss = loss;
  RESULT.perSample = perSample;
  RESULT.grad = grad;
  return RESULT;
}

/**
 * @internal The unweighted per-row losses, recomputed by `pass` with the batch's weights turned off and
 * reduction "none" (only when a weighted sum overflowed; see extremeSums.ts).
 */
function perRow(pass: () => CategoricalResult): Float64Array {
  const { weights, reduction } = batch;
  batch.weights = undefined;
  batch.reduction = "none";
  try {
    return pass().perSample!;
  } finally {
    batch.weights = weights;
    batch.reduction = reduction;
  }
}

/**
 * @internal One pass over a batch of probability rows (after `prepareCategorical`): every probability is
 * checked to be in [0, 1] (rows are used as given, not renormalized), optionally clipped to
 * [epsilon, 1 - epsilon]; the loss is `sum_j c_j t_j (-log p_j)` with zero-coefficient terms skipped
 * (so 0 log 0 = 0), the gradient `-(w_i / D) c_j t_j / p_j`.
 */
export function probabilitiesPass(
  fn: string,
  labels: NumericArray,
  probabilities: NumericArray,
  gradOut: GradientBuffer | undefined,
  epsilon: number,
  wantLoss: boolean,
  wantGrad: boolean,
): CategoricalResult {
  const { n, k, hard, reduction, weights, classWeights, ignoreIndex, smoothing, divisor } = batch;
  const perSample = wantLoss && reduction === "none" ? new Float64Array(n) : null;
  const grad = wantGrad ? gradientBuffer(fn, gradOut, n * k) : null;
  const keep = 1 - smoothing;
  const spread = smoothing / k;
  const high = 1 - epsilon;
  let sum = -0; // -0: see logitsPass
  let c = -0;
  for (let i = 0; i < n; i++) {
    const offset = i * k;
    for (let j = 0; j < k; j++) {
      const p = probabilities[offset + j]!;
      if (!(p >= 0 && p <= 1)) fail(`${fn}: ${where("probabilities", offset + j, k)}`, p, "is not in [0, 1]");
    }
    const y = hard ? labels[i]! : -1;
    const w = weights === undefined ? 1 : weights[i]!;
    if (grad !== null) for (let j = 0; j < k; j++) grad[offset + j] = 0;
    if ((hard && y === ignoreIndex) || w === 0) {
      if (perSample !== null) perSample[i] = 0;
      continue;
    }
    const scale = w / divisor;
    let ls = 0;
    let lc = 0;
    const from = hard && smoothing === 0 ? y : 0;
    const to = hard && smoothing === 0 ? y + 1 : k;
    for (let j = from; j < to; j++) {
      let t = hard ? (j === y ? keep + spread : spread) : labels[offset + j]! * keep + spread;
      if (classWeights !== undefined) t *= classWeights[j]!;
      if (t === 0) continue;
      let p = probabilities[offset + j]!;
      if (epsilon !== 0) p = p < epsilon ? epsilon : p > high ? high : p;
      if (wantLoss) {
        const term = -t * Math.log(p);
        const s = ls + term;
        lc += ls >= term ? ls - s + term : term - s + ls;
        ls = s;
      }
      if (grad !== null) grad[offset + j] = (-scale * t) / p;
    }
    if (wantLoss) {
      let loss = ls < Infinity ? ls + lc : ls;
      if (w !== 1) loss *= w;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
  }
  // The reduced loss written out, as in logitsPass.
  let loss = NaN;
  if (perSample === null) {
    const total = sum < Infinity ? sum + c : sum;
    if (total === Infinity && divisor > 1) {
      loss = overflowedMean(
        perRow(() => probabilitiesPass(fn, labels, probabilities, undefined, epsilon, true, false)),
        weights,
        divisor,
      );
    } else loss = (total + 0) / divisor;
  }
  RESULT.loss = loss;
  RESULT.perSample = perSample;
  RESULT.grad = grad;
  return RESULT;
}
