import { checkOptions } from "../core/common/checks.js";
import { CompensatedSum } from "../core/numerics/compensatedSum.js";
import { type DenseMatrix, type Features, type Matrix, likeInput, toMatrix } from "./denseMatrix.js";
import { versionedJson } from "./versionedJson.js";

/** Options of `StandardScaler`. */
export interface StandardScalerOptions {
  /** Subtract each feature's mean; default true. */
  withMean?: boolean;
  /** Divide by each feature's standard deviation; default true. */
  withStd?: boolean;
}

/** The JSON form of a fitted `StandardScaler`. */
export interface StandardScalerJSON {
  type: "xent.StandardScaler";
  version: 1;
  withMean: boolean;
  withStd: boolean;
  mean: number[];
  scale: number[];
}

/**
 * Standardizes features to mean 0 and standard deviation 1, as scikit-learn's `StandardScaler`:
 * `z = (x - mean) / scale`, with the population standard deviation (divisor N, `ddof = 0`) as the scale, and
 * a scale of 1 for a constant feature (so it becomes 0 instead of NaN).
 *
 * ## Method
 * Two passes with compensated sums: the mean, then the mean squared deviation from it. The one-pass
 * `E[x^2] - E[x]^2` cancels catastrophically when the mean is large against the spread (a feature near 1e8
 * with spread 1 loses every digit); the two-pass form does not.
 *
 * @example new StandardScaler().fit([[1], [3]]).transform([[2], [5]]) // [[0], [3]]
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private meanValues: Float64Array | null = null;
  private scaleValues: Float64Array | null = null;

  constructor(options: StandardScalerOptions = {}) {
    checkOptions("StandardScaler", options, ["withMean", "withStd"]);
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  /** Per-feature means (a copy); throws before `fit`. */
  get mean(): Float64Array {
    return this.fitted("mean").mean.slice();
  }

  /** Per-feature scales (standard deviations, 1 for constant features); throws before `fit`. */
  get scale(): Float64Array {
    return this.fitted("scale").scale.slice();
  }

  /** Number of features seen by `fit`. */
  get nFeatures(): number {
    return this.fitted("nFeatures").mean.length;
  }

  /** Learns each feature's mean and standard deviation. */
  fit(x: Features, nFeatures?: number): this {
    const m = toMatrix("StandardScaler.fit", "X", x, nFeatures);
    const { data, rows, cols } = m;
    const mean = new Float64Array(cols);
    const scale = new Float64Array(cols).fill(1);
    for (let j = 0; j < cols; j++) {
      const sum = new CompensatedSum();
      for (let i = 0; i < rows; i++) sum.add(data[i * cols + j]!);
      const mu = sum.value() / rows;
      if (this.withMean || this.withStd) mean[j] = mu;
      if (this.withStd) {
        const squares = new CompensatedSum();
        for (let i = 0; i < rows; i++) {
          const d = data[i * cols + j]! - mu;
          squares.add(d * d);
        }
        const sd = Math.sqrt(squares.value() / rows);
        // A feature constant up to rounding (sd <= 10 eps |mean|, the rounding level of its values) gets scale 1,
        // as in scikit-learn, instead of a division by 0 or by rounding noise.
        scale[j] = sd > 10 * Number.EPSILON * Math.abs(mu) && sd > 0 ? sd : 1;
      }
    }
    if (!this.withMean) mean.fill(0);
    this.meanValues = mean;
    this.scaleValues = scale;
    return this;
  }

  /** `(x - mean) / scale`, in the form given (rows for rows, flat for flat). */
  transform(x: ReadonlyArray<ArrayLike<number>>): number[][];
  transform(x: DenseMatrix): DenseMatrix & { data: Float64Array };
  transform(x: Float64Array | Float32Array): Float64Array;
  transform(x: Features): number[][] | Float64Array | (DenseMatrix & { data: Float64Array });
  transform(x: Features): number[][] | Float64Array | (DenseMatrix & { data: Float64Array }) {
    const { mean, scale } = this.fitted("transform");
    const m = this.copy(toMatrix("StandardScaler.transform", "X", x, mean.length));
    const d = m.data;
    for (let k = 0; k < d.length; k++) {
      const j = k % m.cols;
      d[k] = (d[k]! - mean[j]!) / scale[j]!;
    }
    return likeInput(x, m);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: ReadonlyArray<ArrayLike<number>>): number[][];
  fitTransform(x: DenseMatrix): DenseMatrix & { data: Float64Array };
  fitTransform(x: Features, nFeatures?: number): number[][] | Float64Array | (DenseMatrix & { data: Float64Array });
  fitTransform(x: Features, nFeatures?: number): number[][] | Float64Array | (DenseMatrix & { data: Float64Array }) {
    this.fit(x, nFeatures);
    return this.transform(x);
  }

  /** `z * scale + mean`: back to the original units. */
  inverseTransform(x: ReadonlyArray<ArrayLike<number>>): number[][];
  inverseTransform(x: DenseMatrix): DenseMatrix & { data: Float64Array };
  inverseTransform(x: Float64Array | Float32Array): Float64Array;
  inverseTransform(x: Features): number[][] | Float64Array | (DenseMatrix & { data: Float64Array });
  inverseTransform(x: Features): number[][] | Float64Array | (DenseMatrix & { data: Float64Array }) {
    const { mean, scale } = this.fitted("inverseTransform");
    const m = this.copy(toMatrix("StandardScaler.inverseTransform", "X", x, mean.length));
    const d = m.data;
    for (let k = 0; k < d.length; k++) {
      const j = k % m.cols;
      d[k] = d[k]! * scale[j]! + mean[j]!;
    }
    return likeInput(x, m);
  }

  toJSON(): StandardScalerJSON {
    const { mean, scale } = this.fitted("toJSON");
    return {
      type: "xent.StandardScaler",
      version: 1,
      withMean: this.withMean,
      withStd: this.withStd,
      mean: Array.from(mean),
      scale: Array.from(scale),
    };
  }

  /** Restores a scaler from `toJSON()` output (or its `JSON.parse`d text), checking every field. */
  static fromJSON(json: unknown): StandardScaler {
    const fn = "StandardScaler.fromJSON";
    const o = versionedJson<StandardScalerJSON>(fn, json, "StandardScaler");
    const mean = finiteArray(fn, "mean", o.mean);
    const scale = finiteArray(fn, "scale", o.scale);
    if (mean.length !== scale.length || mean.length === 0) {
      throw new RangeError(`${fn}: mean has ${mean.length} entries but scale has ${scale.length}`);
    }
    scale.forEach((s, j) => {
      if (!(s > 0)) throw new RangeError(`${fn}: scale[${j}] = ${s} is not > 0`);
    });
    const scaler = new StandardScaler({ withMean: o.withMean !== false, withStd: o.withStd !== false });
    scaler.meanValues = Float64Array.from(mean);
    scaler.scaleValues = Float64Array.from(scale);
    return scaler;
  }

  private copy(m: Matrix): Matrix {
    return { data: m.data.slice(), rows: m.rows, cols: m.cols };
  }

  private fitted(what: string): { mean: Float64Array; scale: Float64Array } {
    if (this.meanValues === null || this.scaleValues === null) throw new Error(`StandardScaler.${what}: call fit first`);
    return { mean: this.meanValues, scale: this.scaleValues };
  }
}

/** @internal Checks that a JSON field is an array of finite numbers. */
export function finiteArray(fn: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v)) throw new TypeError(`${fn}: ${name} is not an array`);
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${fn}: ${name}[${i}] = ${String(x)} is not a finite number`);
  });
  return v as number[];
}
