import { logitGrad, logitLoss } from "../core/binary/binaryTerms.js";
import { expNonPositive } from "../core/numerics/fastExp.js";
import { checkOptions } from "../core/common/checks.js";
import { sigmoidUnchecked } from "../core/scalar/sigmoid.js";
import { versionedJson } from "./versionedJson.js";

/** Options of `FtrlProximal`, with the names of McMahan et al. (2013), Algorithm 1. */
export interface FtrlProximalOptions {
  /** alpha > 0, the scale of the per-coordinate learning rate alpha / (beta + sqrt(n_i)); default 0.1. */
  alpha?: number;
  /** beta >= 0, smoothing of the learning rate while n_i is small; default 1. */
  beta?: number;
  /** lambda1 >= 0, the L1 strength (exact zeros where |z_i| <= lambda1); default 0. */
  l1?: number;
  /** lambda2 >= 0, the L2 strength; default 0. */
  l2?: number;
  /** b: the model has 2^b hashed weights (plus the constant); an integer in [1, 30], default 18 (VW's -b). */
  bits?: number;
}

/** The JSON form of a `FtrlProximal` model: the options and the nonzero weights (index, value), sorted by index. */
export interface FtrlProximalJSON {
  type: "xent.FtrlProximal";
  version: 1;
  options: Required<FtrlProximalOptions>;
  /** Examples learned (counting each pass). */
  examples: number;
  /** The weight of the constant feature (the intercept). */
  constant: number;
  /** Indices in [0, 2^bits) of the nonzero weights, increasing. */
  index: number[];
  /** Their values. */
  weight: number[];
  /** The FTRL state z and n of every nonzero coordinate (to go on learning), or absent. */
  z?: number[];
  n?: number[];
}

/**
 * Online logistic regression by FTRL-Proximal, "Follow The (Proximally) Regularized Leader", with
 * per-coordinate learning rates: H. B. McMahan et al., "Ad Click Prediction: a View from the Trenches",
 * KDD 2013, Algorithm 1. Each coordinate i keeps z_i (the sum of gradients minus the proximal shifts) and
 * n_i (the sum of squared gradients); its weight is computed lazily from them,
 *   w_i = 0                                                            if |z_i| <= lambda1,
 *   w_i = -(z_i - sgn(z_i) lambda1) / ((beta + sqrt(n_i)) / alpha + lambda2)   otherwise,
 * and an example (x, y), y in {0, 1}, importance h, is learned as
 *   p = sigmoid(x . w);  for each feature i of x: g_i = h (p - y) x_i,
 *   sigma_i = (sqrt(n_i + g_i^2) - sqrt(n_i)) / alpha,  z_i += g_i - sigma_i w_i,  n_i += g_i^2.
 * Features are sparse: indices into 2^b hashed weights (see `featureHash.ts`) and their values. A constant
 * feature (value 1, the intercept) is part of every example, kept in its own coordinate past the hashed
 * ones (so nothing collides with it) and regularized like the others, as in the paper and Vowpal Wabbit.
 *
 * An index may occur twice in one example (two names hashed to one weight): each occurrence is updated in
 * turn, each with the weight that made the prediction.
 *
 * p - y comes from `logitGrad` (`sigmoid(s) - 1` formed as `-sigmoid(-s)`, without cancellation) and the
 * loss reported for an example from `logitLoss`, the kernel of the library's `logisticLoss`.
 *
 * @example new FtrlProximal({ bits: 4 }).learn(Int32Array.of(3), Float64Array.of(1), 1, 1) // 0 (the logit before learning)
 */
export class FtrlProximal {
  readonly options: Readonly<Required<FtrlProximalOptions>>;
  /** 2^bits: the number of hashed weights (the constant is coordinate `size`). */
  readonly size: number;
  /** The mask of the hashed indices: size - 1. */
  readonly mask: number;
  private readonly z: Float64Array;
  private readonly n: Float64Array;
  /** sqrt(n_i), kept beside n_i: the same double Math.sqrt(n_i) gives, computed once per update, not per use. */
  private readonly rootN: Float64Array;
  /** The weights used for the current example's prediction, per feature occurrence (the update needs them). */
  private scratch = new Float64Array(64);
  private learned = 0;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly l1: number;
  private readonly l2: number;
  /** The saved weights of a model restored without its z and n (it predicts but cannot learn), else null. */
  private frozen: Float64Array | null = null;
  /** Loss of the last example learned or scored (`logitLoss` of its label and logit), 0 when unlabeled. */
  lastLoss = 0;

  constructor(options: FtrlProximalOptions = {}) {
    const fn = "FtrlProximal";
    if (options == null || typeof options !== "object") throw new TypeError(`${fn}: options is not an object`);
    checkOptions(fn, options, ["alpha", "beta", "l1", "l2", "bits"]);
    const alpha = options.alpha ?? 0.1;
    const beta = options.beta ?? 1;
    const l1 = options.l1 ?? 0;
    const l2 = options.l2 ?? 0;
    const bits = options.bits ?? 18;
    if (typeof alpha !== "number" || !(alpha > 0 && alpha < Infinity))
      throw new RangeError(`${fn}: options.alpha = ${String(alpha)} is not a finite number > 0`);
    for (const [name, v] of [
      ["beta", beta],
      ["l1", l1],
      ["l2", l2],
    ] as const) {
      if (typeof v !== "number" || !(v >= 0 && v < Infinity))
        throw new RangeError(`${fn}: options.${name} = ${String(v)} is not a finite number >= 0`);
    }
    if (!(Number.isInteger(bits) && bits >= 1 && bits <= 30))
      throw new RangeError(`${fn}: options.bits = ${String(bits)} is not an integer in [1, 30]`);
    this.options = Object.freeze({ alpha, beta, l1, l2, bits });
    this.alpha = alpha;
    this.beta = beta;
    this.l1 = l1;
    this.l2 = l2;
    this.size = 2 ** bits;
    this.mask = this.size - 1;
    this.z = new Float64Array(this.size + 1);
    this.n = new Float64Array(this.size + 1);
    this.rootN = new Float64Array(this.size + 1);
  }

  /** Examples learned so far (each pass counts again). */
  get examples(): number {
    return this.learned;
  }

  /** Whether the model can learn: false for one restored without its z and n (it only predicts). */
  get learnable(): boolean {
    return this.frozen === null;
  }

  /** The weight of coordinate i (i = `size` is the constant) from z_i and n_i: the closed form above. */
  weight(i: number): number {
    if (this.frozen !== null) return this.frozen[i]!;
    const z = this.z[i]!;
    const l1 = this.l1;
    if (z <= l1 && z >= -l1) return 0;
    return -(z - (z > 0 ? l1 : -l1)) / ((this.beta + this.rootN[i]!) / this.alpha + this.l2);
  }

  /**
   * The logit x . w + constant + `base` of a sparse example: `indices[0, count)` (each in [0, size)) with
   * `values`. Does not check its input (the readers give indices in range and finite values); see `learn`.
   */
  logit(indices: Int32Array, values: Float64Array, count: number, base = 0): number {
    let s = base + this.weight(this.size);
    for (let k = 0; k < count; k++) s += this.weight(indices[k]!) * values[k]!;
    return s;
  }

  /**
   * Predicts the example, then learns it (Algorithm 1): returns the logit before the update (progressive
   * validation scores it), and leaves its loss in `lastLoss`. `y` is 0 or 1, `importance` >= 0 multiplies the
   * gradient, `base` is added to the logit (VW's initial prediction). Indices must be in [0, size) and values
   * finite (checked: a RangeError naming the feature).
   */
  learn(indices: Int32Array, values: Float64Array, count: number, y: number, importance = 1, base = 0): number {
    if (this.frozen !== null)
      throw new Error("FtrlProximal.learn: the model was restored without its z and n (toJSON(false)): it predicts but cannot learn");
    if (!(y === 0 || y === 1)) throw new RangeError(`FtrlProximal.learn: y = ${String(y)} is not 0 or 1`);
    if (!(importance >= 0 && importance < Infinity))
      throw new RangeError(`FtrlProximal.learn: importance = ${String(importance)} is not a finite number >= 0`);
    if (!(count >= 0 && count <= indices.length && count <= values.length))
      throw new RangeError(`FtrlProximal.learn: count = ${String(count)} is not in [0, the arrays' length]`);
    if (base - base !== 0) throw new RangeError(`FtrlProximal.learn: base = ${String(base)} is not finite`);
    if (this.scratch.length < count + 1) this.scratch = new Float64Array(2 * (count + 1));
    const w = this.scratch;
    const c = this.size;
    let s = base;
    const w0 = this.weight(c);
    s += w0;
    for (let k = 0; k < count; k++) {
      const i = indices[k]!;
      const v = values[k]!;
      // One comparison each: an index outside the table, or a value that is not finite (v - v is NaN).
      if (!(i >= 0 && i < c) || v - v !== 0) {
        throw new RangeError(`FtrlProximal.learn: feature ${k}: index ${i} is not in [0, ${c}) or value ${v} is not finite`);
      }
      const wk = this.weight(i);
      w[k] = wk;
      s += wk * v;
    }
    const e = expNonPositive(-Math.abs(s));
    this.lastLoss = logitLoss(y, s, 1, e);
    const residual = importance * logitGrad(y, s, 1, e); // h (p - y)
    if (residual !== 0) {
      const z = this.z;
      const n = this.n;
      const rootN = this.rootN;
      const alpha = this.alpha;
      for (let k = 0; k < count; k++) {
        const i = indices[k]!;
        const g = residual * values[k]!;
        const nNew = n[i]! + g * g;
        const rootNew = Math.sqrt(nNew);
        z[i]! += g - ((rootNew - rootN[i]!) / alpha) * w[k]!;
        n[i] = nNew;
        rootN[i] = rootNew;
      }
      const n0New = n[c]! + residual * residual;
      const root0New = Math.sqrt(n0New);
      z[c]! += residual - ((root0New - rootN[c]!) / alpha) * w0;
      n[c] = n0New;
      rootN[c] = root0New;
    }
    this.learned++;
    return s;
  }

  /** P(y = 1) of a sparse example: `sigmoid(logit)`. */
  predictProba(indices: Int32Array, values: Float64Array, count: number, base = 0): number {
    return sigmoidUnchecked(this.logit(indices, values, count, base));
  }

  /** All weights, length `size + 1` (the last one is the constant's). */
  weights(): Float64Array {
    const out = new Float64Array(this.size + 1);
    for (let i = 0; i <= this.size; i++) out[i] = this.weight(i);
    return out;
  }

  /** The options, the nonzero weights and (with `state`) z and n to go on learning. */
  toJSON(state = false): FtrlProximalJSON {
    const index: number[] = [];
    const weight: number[] = [];
    const z: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const w = this.weight(i);
      if (w !== 0 || (state && this.n[i]! !== 0)) {
        index.push(i);
        weight.push(w);
        if (state) {
          z.push(this.z[i]!);
          n.push(this.n[i]!);
        }
      }
    }
    const json: FtrlProximalJSON = {
      type: "xent.FtrlProximal",
      version: 1,
      options: { ...this.options },
      examples: this.learned,
      constant: this.weight(this.size),
      index,
      weight,
    };
    if (state) {
      z.push(this.z[this.size]!);
      n.push(this.n[this.size]!);
      json.z = z;
      json.n = n;
    }
    return json;
  }

  /**
   * A model from `toJSON()` output (or its text). With z and n it goes on learning where it stopped; without
   * them it predicts with the saved weights, bit for bit, and `learn` throws.
   */
  static fromJSON(json: unknown): FtrlProximal {
    const fn = "FtrlProximal.fromJSON";
    const o = versionedJson<FtrlProximalJSON>(fn, json, "FtrlProximal");
    const model = new FtrlProximal(o.options ?? {});
    const { index, weight } = o;
    if (!Array.isArray(index) || !Array.isArray(weight) || index.length !== weight.length) {
      throw new RangeError(`${fn}: index and weight must be arrays of the same length`);
    }
    const hasState = o.z !== undefined || o.n !== undefined;
    if (hasState && (!Array.isArray(o.z) || !Array.isArray(o.n) || o.z.length !== index.length + 1 || o.n.length !== index.length + 1)) {
      throw new RangeError(`${fn}: z and n must be arrays of length index.length + 1 (the last entry the constant's)`);
    }
    const set = (i: number, w: unknown, at: number) => {
      if (typeof w !== "number" || !Number.isFinite(w)) throw new RangeError(`${fn}: weight[${at}] = ${String(w)} is not a finite number`);
      if (hasState) {
        const z = o.z![at];
        const n = o.n![at];
        if (typeof z !== "number" || !Number.isFinite(z) || typeof n !== "number" || !(n >= 0 && n < Infinity)) {
          throw new RangeError(`${fn}: z[${at}], n[${at}] = ${String(z)}, ${String(n)} are not finite numbers (n >= 0)`);
        }
        model.z[i] = z;
        model.n[i] = n;
        model.rootN[i] = Math.sqrt(n);
      } else frozen[i] = w;
    };
    const frozen = new Float64Array(hasState ? 0 : model.size + 1);
    let previous = -1;
    index.forEach((i, at) => {
      if (!(Number.isInteger(i) && i > previous && i < model.size)) {
        throw new RangeError(`${fn}: index[${at}] = ${String(i)} is not an integer in [0, 2^bits), increasing`);
      }
      previous = i;
      set(i, weight[at], at);
    });
    set(model.size, o.constant, index.length);
    if (!hasState) model.frozen = frozen;
    model.learned = typeof o.examples === "number" ? o.examples : 0;
    return model;
  }
}
