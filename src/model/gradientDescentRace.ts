import { checkOptions } from "../core/common/checks.js";
import { binaryCrossEntropyWithLogits, binaryCrossEntropyWithLogitsAndGrad } from "../core/binary/binaryCrossEntropyWithLogits.js";
import { CompensatedSum } from "../core/numerics/compensatedSum.js";
import { sigmoidSquaredError, sigmoidSquaredErrorAndGrad } from "../core/binary/sigmoidSquaredError.js";
import { type Features, toMatrix } from "./denseMatrix.js";

/**
 * The loss a `GradientDescentRace` trains with, both of a sigmoid output p = sigmoid(s):
 * - `"crossEntropy"`: `-[y log p + (1 - y) log(1 - p)]` (`binaryCrossEntropyWithLogits`), gradient `p - y`;
 * - `"squaredError"`: `(p - y)^2` (`sigmoidSquaredError`), gradient `2 (p - y) p (1 - p)`.
 */
export type RaceLoss = "crossEntropy" | "squaredError";

/** The feature shapes a `GradientDescentRace` accepts: those of the models (`Features`) or a flat array of n rows. */
export type RaceFeatures = Features | ArrayLike<number>;

/** Options of a `GradientDescentRace`. */
export interface GradientDescentRaceOptions {
  /** The training loss (mean over the samples). */
  loss: RaceLoss;
  /** The step size of plain gradient descent, finite and > 0; default 0.5. */
  learningRate?: number;
  /** Start weights, one per feature, for the standardized features; default all 0. */
  initialWeights?: ArrayLike<number>;
  /** Start intercept; default 0. */
  initialBias?: number;
}

/** Where a model stands after some epochs: its training loss and two figures that compare across losses. */
export interface RaceProgress {
  /** Full-batch gradient steps taken so far. */
  epoch: number;
  /** The mean training loss, in the model's own loss. */
  loss: number;
  /** The mean cross-entropy (log loss) of the model's probabilities, whatever loss it trains with. */
  logLoss: number;
  /** The fraction of samples on the right side of s = 0 (predicted 1 when s > 0). */
  accuracy: number;
}

/**
 * Full-batch gradient descent on a linear model `s = w . z + b` of standardized features z, with a chosen
 * loss of the sigmoid output: the race of the explainer's last section, where the same logistic model is
 * fitted with the cross-entropy and with the squared error from the same start, step by step.
 *
 * The features are standardized once (z = (x - mean) / std, the population std of each column, as
 * scikit-learn's StandardScaler; a constant column is only centred), so one learning rate suits every
 * column. Each `step()` computes the logits, the loss's gradient with respect to them (the library's
 * one-pass loss-and-gradient, reduction "mean"), and moves `w -= rate * Z^T g`, `b -= rate * sum(g)`.
 *
 * @example new GradientDescentRace([[0], [1], [2], [3]], [0, 0, 1, 1], { loss: "crossEntropy" }).evaluate().loss // 0.6931471805599453
 * @example new GradientDescentRace([[0], [1], [2], [3]], [0, 0, 1, 1], { loss: "squaredError" }).step().accuracy // 1
 */
export class GradientDescentRace {
  /** Number of samples and features. */
  readonly samples: number;
  readonly features: number;
  readonly loss: RaceLoss;
  readonly learningRate: number;
  /** Column means and scales used to standardize the features. */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  private readonly z: Float64Array;
  private readonly labels: Float64Array;
  private readonly w: Float64Array;
  private b: number;
  private readonly s: Float64Array;
  private readonly g: Float64Array;
  private steps = 0;

  /**
   * @param features one row per sample (`number[][]`), `{ data, nFeatures }` (as `loadDataset` returns and
   *   `LogisticRegression` accepts), or a row-major flat array of samples x features numbers (the row count
   *   is `labels.length`). Finite numbers.
   * @param labels one label per sample, 0 or 1.
   */
  constructor(features: RaceFeatures, labels: ArrayLike<number>, options: GradientDescentRaceOptions) {
    const fn = "GradientDescentRace";
    if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options = ${String(options)} is not an object`);
    checkOptions(fn, options, ["loss", "learningRate", "initialWeights", "initialBias"]);
    if (options.loss !== "crossEntropy" && options.loss !== "squaredError") {
      throw new RangeError(`${fn}: options.loss = ${JSON.stringify(options.loss)} is not "crossEntropy" or "squaredError"`);
    }
    this.loss = options.loss;
    const rate = options.learningRate ?? 0.5;
    if (!(rate > 0 && rate < Infinity)) throw new RangeError(`${fn}: options.learningRate = ${rate} is not a finite number > 0`);
    this.learningRate = rate;
    if (labels == null || typeof labels.length !== "number") throw new TypeError(`${fn}: labels is not an array`);
    const n = labels.length;
    if (n === 0) throw new RangeError(`${fn}: labels is empty`);
    this.labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = labels[i]!;
      if (y !== 0 && y !== 1) throw new RangeError(`${fn}: labels[${i}] = ${y} is not 0 or 1`);
      this.labels[i] = y;
    }
    const x = rowMajor(fn, features, n);
    const d = x.length / n;
    this.samples = n;
    this.features = d;
    const { mean, scale } = columnMoments(x, n, d);
    this.mean = mean;
    this.scale = scale;
    this.z = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) this.z[i * d + j] = (x[i * d + j]! - mean[j]!) / scale[j]!;
    }
    this.w = new Float64Array(d);
    if (options.initialWeights !== undefined) {
      const w0 = options.initialWeights;
      if (w0 == null || w0.length !== d) {
        throw new RangeError(`${fn}: options.initialWeights has length ${w0?.length} but the data has ${d} features`);
      }
      for (let j = 0; j < d; j++) {
        const v = w0[j]!;
        if (!Number.isFinite(v)) throw new RangeError(`${fn}: options.initialWeights[${j}] = ${v} is not a finite number`);
        this.w[j] = v;
      }
    }
    this.b = options.initialBias ?? 0;
    if (!Number.isFinite(this.b)) throw new RangeError(`${fn}: options.initialBias = ${this.b} is not a finite number`);
    this.s = new Float64Array(n);
    this.g = new Float64Array(n);
  }

  /** Gradient steps taken so far. */
  get epoch(): number {
    return this.steps;
  }

  /** A copy of the weights (of the standardized features). */
  get weights(): Float64Array {
    return this.w.slice();
  }

  get bias(): number {
    return this.b;
  }

  /** The logits `s_i = w . z_i + b` of the training samples at the current weights. */
  logits(): Float64Array {
    this.computeLogits();
    return this.s.slice();
  }

  /** The training loss, log loss and accuracy at the current weights. */
  evaluate(): RaceProgress {
    this.computeLogits();
    const loss = this.loss === "crossEntropy" ? binaryCrossEntropyWithLogits(this.labels, this.s) : sigmoidSquaredError(this.labels, this.s);
    const logLoss = this.loss === "crossEntropy" ? loss : binaryCrossEntropyWithLogits(this.labels, this.s);
    let right = 0;
    for (let i = 0; i < this.samples; i++) if (this.s[i]! > 0 === (this.labels[i] === 1)) right++;
    return { epoch: this.steps, loss, logLoss, accuracy: right / this.samples };
  }

  /** One full-batch gradient-descent step; returns the progress at the new weights. */
  step(): RaceProgress {
    this.computeLogits();
    const options = { gradOut: this.g };
    if (this.loss === "crossEntropy") binaryCrossEntropyWithLogitsAndGrad(this.labels, this.s, options);
    else sigmoidSquaredErrorAndGrad(this.labels, this.s, options);
    const { z, g, w, samples: n, features: d } = this;
    const gw = new Float64Array(d);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      gb += gi;
      for (let j = 0; j < d; j++) gw[j]! += gi * z[i * d + j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= this.learningRate * gw[j]!;
    this.b -= this.learningRate * gb;
    this.steps++;
    return this.evaluate();
  }

  private computeLogits(): void {
    const { z, w, s, samples: n, features: d } = this;
    for (let i = 0; i < n; i++) {
      let t = this.b;
      for (let j = 0; j < d; j++) t += w[j]! * z[i * d + j]!;
      s[i] = t;
    }
  }
}

/**
 * @internal The features as a row-major Float64Array of n rows, through the models' input check (`toMatrix`):
 * rows, `{ data, nFeatures }` (what `loadDataset` returns), or a flat array whose row count is that of the
 * labels (then nFeatures = length / n).
 */
function rowMajor(fn: string, features: RaceFeatures, n: number): Float64Array {
  if (features == null || typeof features !== "object")
    throw new TypeError(`${fn}: features is not a feature matrix (number[][], { data, nFeatures } or a flat array)`);
  let matrix: Features;
  if (ArrayBuffer.isView(features) || (Array.isArray(features) && typeof features[0] === "number")) {
    const flat = features as ArrayLike<number>;
    if (flat.length === 0 || flat.length % n !== 0) {
      throw new RangeError(`${fn}: features has length ${flat.length}, not a positive multiple of the ${n} labels`);
    }
    matrix = { data: flat, nFeatures: flat.length / n };
  } else matrix = features as Features;
  const m = toMatrix(fn, "features", matrix);
  if (m.rows !== n) throw new RangeError(`${fn}: features has ${m.rows} rows but labels has length ${n}`);
  return m.data;
}

/** @internal Column means and population standard deviations (two passes, compensated sums); a zero std becomes 1. */
function columnMoments(x: Float64Array, n: number, d: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sum = new CompensatedSum();
    for (let i = 0; i < n; i++) sum.add(x[i * d + j]!);
    const m = sum.value() / n;
    const squares = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      const c = x[i * d + j]! - m;
      squares.add(c * c);
    }
    const sd = Math.sqrt(squares.value() / n);
    mean[j] = m;
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}
