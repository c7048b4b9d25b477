import { checkOptions, fail } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";
import { binaryCrossEntropy } from "../binary/binaryCrossEntropy.js";
import { hashText32, rowKey } from "../numerics/counterHash.js";
import { ExactSum } from "../numerics/exactSum.js";
import { poissonOneDraw } from "../numerics/poissonOne.js";
import { quantileSorted } from "./quantile.js";
import { encodeNumber, decodeNumber, expectCount, expectObject, type JsonNumber } from "./stateJson.js";

/** Options of a `BootstrapSums`. */
export interface BootstrapOptions {
  /** "binary" (default) keeps the label and probability sums too (base rate, normalized entropy, calibration ratio). */
  kind?: "binary" | "multiclass";
  /** Number of bootstrap replicates, an integer in [2, 100000]; default 200. */
  replicates?: number;
  /** The seed of the resampling weights, an integer in [0, 2^32 - 1]; default 0. */
  seed?: number;
}

/**
 * The per-row terms of a batch (weights applied by `BootstrapSums.add`): the loss, the Brier term, 1 for a
 * right prediction (0 else); binary only, the label in {0, 1} and the probability of y = 1.
 */
export interface BootstrapTerms {
  losses: NumericArray;
  brier: NumericArray;
  correct: NumericArray;
  labels?: NumericArray;
  probabilities?: NumericArray;
  /** Sample weights (finite, >= 0); default 1. A row of weight 0 adds nothing. */
  weights?: NumericArray | undefined;
}

/** A percentile interval [lower, upper] of a figure; null when no replicate defines the figure. */
export type BootstrapInterval = [number, number] | null;

/** The bootstrap intervals of the figures, their standard errors, and how many replicates left each one undefined. */
export interface BootstrapIntervals {
  level: number;
  replicates: number;
  seed: number;
  logLoss: BootstrapInterval;
  brier: BootstrapInterval;
  accuracy: BootstrapInterval;
  /** Binary only (null for multi-class): the weighted fraction of positives. */
  baseRate: BootstrapInterval;
  /** Binary only: log loss / entropy of the base rate, both of the replicate. */
  normalizedEntropy: BootstrapInterval;
  /** Binary only: sum w p / sum w y of the replicate. */
  calibrationRatio: BootstrapInterval;
  /** The standard deviation of each figure over the replicates that define it (the bootstrap standard error). */
  standardErrors: Record<BootstrapFigure, number | null>;
  /** Replicates where a figure is undefined (no weight drawn; one class only; no positive), by figure, when any. */
  undefinedReplicates: Partial<Record<BootstrapFigure, number>>;
}

export type BootstrapFigure = "logLoss" | "brier" | "accuracy" | "baseRate" | "normalizedEntropy" | "calibrationRatio";

/** The JSON form of `BootstrapSums`. */
export interface BootstrapSumsState {
  kind: "binary" | "multiclass";
  replicates: number;
  seed: number;
  rows: number;
  sources: string[];
  /** For each summed term (weight, loss, brier, correct; binary: label, probability), one exact sum per replicate (its partials). */
  sums: Record<string, JsonNumber[][]>;
}

const BINARY_TERMS = ["weight", "loss", "brier", "correct", "label", "probability"] as const;
const MULTICLASS_TERMS = ["weight", "loss", "brier", "correct"] as const;

/** Rows summed in plain doubles before their replicate sums are added exactly (see the class comment). */
const BLOCK = 4096;

/**
 * The Poisson bootstrap of an evaluation, mergeable across shards: for each of R replicates, the weighted
 * sums of the losses, Brier terms, right predictions (binary: labels and probabilities too) with each row
 * weighted by a Poisson(1) draw, from which `intervals` gives percentile intervals of the log loss, Brier
 * score, accuracy, base rate, normalized entropy and calibration ratio.
 *
 * ## Method
 * The Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al., "Estimating uncertainty for massive data
 * streams", Google 2012) replaces the multinomial resample of n rows by independent Poisson(1) counts per
 * row, which needs neither n in advance nor any communication between shards. Each count is a pure
 * function of (seed, the row's identity, replicate) (`poissonOneDraw` over `counterHash.ts`), so a row
 * gets the same counts whichever shard reads it. The row's identity is a source name (a file) and its
 * ordinal there (a line number); it is the caller's to choose, and two rows with the same identity get the
 * same counts. A source's rows must all go to one `BootstrapSums` (`merge` refuses two that share a source).
 *
 * Sums: within a source, each block of 4096 consecutive rows (cut at each change of source, and where the
 * sums are read: `intervals`, `replicateFigures`, `toJSON`, `merge`, so read them at the end) is summed in
 * plain doubles per replicate (relative error at most 4095 * 2^-53 ~ 4.5e-13, the terms being >= 0), and
 * the block sums go into exact sums (`ExactSum`), which round once when read. So the figures depend only on
 * the rows of each source and their order within it: shards made of whole sources, merged in any order,
 * give the same bits as one run.
 *
 * The intervals are percentile intervals ((1 - level) / 2 and (1 + level) / 2 quantiles of the replicate
 * figures, by linear interpolation: `quantileSorted`). Cost: R draws per row (one 32-bit hash each) and,
 * for the ~63% of draws that are not 0, one multiply-add per summed term.
 *
 * @example new BootstrapSums({ replicates: 100, seed: 7 }).add("a.csv", [2, 3, 4, 5], { losses: [0.1, 0.5, 0.2, 0.9], brier: [0, 0.1, 0, 0.4], correct: [1, 1, 1, 0], labels: [1, 0, 1, 1], probabilities: [0.9, 0.4, 0.8, 0.4] }).intervals(0.9).replicates // 100
 */
export class BootstrapSums {
  readonly kind: "binary" | "multiclass";
  readonly replicates: number;
  readonly seed: number;
  rows = 0;
  private readonly terms: number;
  private sums: ExactSum[];
  private readonly pending: Float64Array;
  private pendingRows = 0;
  private source: string | null = null;
  private sourceA = 0;
  private sourceB = 0;
  private readonly sources = new Set<string>();
  private readonly key = new Uint32Array(2);

  constructor(options: BootstrapOptions = {}) {
    checkOptions("BootstrapSums", options, ["kind", "replicates", "seed"]);
    const { kind = "binary", replicates = 200, seed = 0 } = options;
    if (kind !== "binary" && kind !== "multiclass") fail("BootstrapSums: options.kind", kind, 'is not "binary" or "multiclass"');
    if (!(Number.isInteger(replicates) && replicates >= 2 && replicates <= 100000))
      fail("BootstrapSums: options.replicates", replicates, "is not an integer in [2, 100000]");
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) fail("BootstrapSums: options.seed", seed, "is not an integer in [0, 2^32 - 1]");
    this.kind = kind;
    this.replicates = replicates;
    this.seed = seed;
    this.terms = kind === "binary" ? BINARY_TERMS.length : MULTICLASS_TERMS.length;
    this.sums = Array.from({ length: replicates * this.terms }, () => new ExactSum());
    this.pending = new Float64Array(replicates * this.terms);
  }

  /**
   * Adds a batch of rows of `source`, the i-th being row `ordinals[i]` there (a safe integer >= 0, e.g. its
   * line), with their terms. The terms are the caller's (see `binaryBootstrapTerms`); finite or +Infinity
   * losses, weights finite and >= 0.
   */
  add(source: string, ordinals: NumericArray, terms: BootstrapTerms): this {
    const n = ordinals.length;
    const { losses, brier, correct, labels, probabilities, weights } = terms;
    const binary = this.kind === "binary";
    const lengths: [string, NumericArray | undefined][] = [
      ["losses", losses],
      ["brier", brier],
      ["correct", correct],
      ["weights", weights],
      ...(binary
        ? ([
            ["labels", labels],
            ["probabilities", probabilities],
          ] as [string, NumericArray | undefined][])
        : []),
    ];
    for (const [name, a] of lengths) {
      if (a === undefined) {
        if (name !== "weights") fail(`BootstrapSums.add: terms.${name}`, a, "is missing");
      } else if (a.length !== n) fail(`BootstrapSums.add: terms.${name}`, `length ${a.length}`, `differs from ordinals' length ${n}`);
    }
    if (typeof source !== "string") fail("BootstrapSums.add: source", source, "is not a string");
    if (source !== this.source) this.startSource(source);
    const R = this.replicates;
    const T = this.terms;
    const pend = this.pending;
    const key = this.key;
    // Everything checked first: a bad row leaves the sums as they were.
    for (let i = 0; i < n; i++) {
      const ordinal = ordinals[i]!;
      if (!(Number.isSafeInteger(ordinal) && ordinal >= 0)) fail(`BootstrapSums.add: ordinals[${i}]`, ordinal, "is not a safe integer >= 0");
      const w = weights === undefined ? 1 : weights[i]!;
      if (!(w >= 0 && w < Infinity)) fail(`BootstrapSums.add: terms.weights[${i}]`, w, "is not a finite number >= 0");
      if (!(losses[i]! >= 0)) fail(`BootstrapSums.add: terms.losses[${i}]`, losses[i], "is not a number >= 0");
      for (const [name, a] of lengths) {
        if (name === "losses" || name === "weights") continue;
        const x = a![i]!;
        if (!(x >= 0 && x < Infinity)) fail(`BootstrapSums.add: terms.${name}[${i}]`, x, "is not a finite number >= 0");
      }
    }
    for (let i = 0; i < n; i++) {
      if (++this.pendingRows > BLOCK) this.fold();
      this.rows++;
      const w = weights === undefined ? 1 : weights[i]!;
      if (w === 0) continue; // adds nothing (and 0 * Infinity would be NaN)
      const loss = losses[i]!;
      const ordinal = ordinals[i]!;
      rowKey(this.seed, this.sourceA, this.sourceB, ordinal, key);
      const h1 = key[0]!;
      const h2 = key[1]!;
      const tl = w * loss;
      const tb = w * brier[i]!;
      const tc = w * correct[i]!;
      if (binary) {
        const ty = w * labels![i]!;
        const tp = w * probabilities![i]!;
        for (let r = 0, b = 0; r < R; r++, b += 6) {
          const k = poissonOneDraw(h1, h2, r);
          if (k === 0) continue;
          pend[b]! += k * w;
          pend[b + 1]! += k * tl;
          pend[b + 2]! += k * tb;
          pend[b + 3]! += k * tc;
          pend[b + 4]! += k * ty;
          pend[b + 5]! += k * tp;
        }
      } else {
        for (let r = 0, b = 0; r < R; r++, b += T) {
          const k = poissonOneDraw(h1, h2, r);
          if (k === 0) continue;
          pend[b]! += k * w;
          pend[b + 1]! += k * tl;
          pend[b + 2]! += k * tb;
          pend[b + 3]! += k * tc;
        }
      }
    }
    return this;
  }

  private startSource(source: string): void {
    this.fold();
    this.source = source;
    this.sources.add(source);
    this.sourceA = hashText32(source, 0x3c6ef372);
    this.sourceB = hashText32(source, 0xa54ff53a);
  }

  /** Adds the plain block sums into the exact sums (at every BLOCK rows and change of source). */
  private fold(): void {
    const pend = this.pending;
    for (let j = 0; j < pend.length; j++) {
      if (pend[j] !== 0) {
        this.sums[j]!.add(pend[j]!);
        pend[j] = 0;
      }
    }
    this.pendingRows = this.pendingRows > BLOCK ? 1 : 0;
  }

  /** Ends the current source's block (the next rows, even of the same source, start a new one). */
  private close(): void {
    this.fold();
    this.pendingRows = 0;
    this.source = null;
  }

  /** Adds another bootstrap (same kind, replicates and seed, no source in common) to this one. */
  merge(other: BootstrapSums): this {
    if (other.kind !== this.kind || other.replicates !== this.replicates || other.seed !== this.seed) {
      throw new RangeError(
        `BootstrapSums.merge: cannot merge a ${other.kind} bootstrap of ${other.replicates} replicates with seed ${other.seed} into a ${this.kind} one of ${this.replicates} with seed ${this.seed}`,
      );
    }
    for (const s of other.sources) {
      if (this.sources.has(s)) {
        throw new RangeError(
          `BootstrapSums.merge: both bootstraps hold rows of ${JSON.stringify(s)}: rows with the same identity (source and line) get the same resampling weights, so a source must be in one shard only`,
        );
      }
    }
    this.close();
    other.close();
    for (let j = 0; j < this.sums.length; j++) this.sums[j]!.merge(other.sums[j]!);
    for (const s of other.sources) this.sources.add(s);
    this.rows += other.rows;
    return this;
  }

  /** Each replicate's figures (NaN where undefined), figure by figure. */
  replicateFigures(): Record<BootstrapFigure, Float64Array> {
    this.close();
    const R = this.replicates;
    const T = this.terms;
    const out: Record<BootstrapFigure, Float64Array> = {
      logLoss: new Float64Array(R),
      brier: new Float64Array(R),
      accuracy: new Float64Array(R),
      baseRate: new Float64Array(R),
      normalizedEntropy: new Float64Array(R),
      calibrationRatio: new Float64Array(R),
    };
    for (let r = 0; r < R; r++) {
      const s = (t: number) => this.sums[r * T + t]!.value();
      const w = s(0);
      const mean = (x: number) => (w > 0 ? x / w : NaN);
      const logLoss = mean(s(1));
      out.logLoss[r] = logLoss;
      out.brier[r] = mean(s(2));
      out.accuracy[r] = mean(s(3));
      if (this.kind === "binary") {
        const y = s(4);
        const b = mean(y);
        out.baseRate[r] = b;
        // The entropy of the base rate: the log loss of always predicting it (the CORP uncertainty).
        const h = b === b ? binaryCrossEntropy(b, b) : NaN;
        out.normalizedEntropy[r] = h > 0 ? logLoss / h : NaN;
        out.calibrationRatio[r] = y > 0 ? s(5) / y : NaN;
      } else {
        out.baseRate[r] = NaN;
        out.normalizedEntropy[r] = NaN;
        out.calibrationRatio[r] = NaN;
      }
    }
    return out;
  }

  /** Percentile intervals at `level` (in (0, 1), e.g. 0.95) of each figure over the replicates. */
  intervals(level: number): BootstrapIntervals {
    if (!(typeof level === "number" && level > 0 && level < 1)) fail("BootstrapSums.intervals: level", level, "is not a number in (0, 1)");
    const figures = this.replicateFigures();
    const standardErrors = {} as Record<BootstrapFigure, number | null>;
    const undefinedReplicates: Partial<Record<BootstrapFigure, number>> = {};
    const interval = (name: BootstrapFigure): BootstrapInterval => {
      const values = figures[name].filter((x) => x === x).sort();
      const missing = this.replicates - values.length;
      if (missing > 0 && !(this.kind === "multiclass" && (name === "baseRate" || name === "normalizedEntropy" || name === "calibrationRatio")))
        undefinedReplicates[name] = missing;
      standardErrors[name] = standardDeviation(values);
      if (values.length === 0) return null;
      return [quantileSorted(values, (1 - level) / 2), quantileSorted(values, (1 + level) / 2)];
    };
    return {
      level,
      replicates: this.replicates,
      seed: this.seed,
      logLoss: interval("logLoss"),
      brier: interval("brier"),
      accuracy: interval("accuracy"),
      baseRate: interval("baseRate"),
      normalizedEntropy: interval("normalizedEntropy"),
      calibrationRatio: interval("calibrationRatio"),
      standardErrors,
      undefinedReplicates,
    };
  }

  toJSON(): BootstrapSumsState {
    this.close();
    const names = this.kind === "binary" ? BINARY_TERMS : MULTICLASS_TERMS;
    const R = this.replicates;
    const sums: Record<string, JsonNumber[][]> = {};
    names.forEach((name, t) => {
      sums[name] = Array.from({ length: R }, (_, r) => this.sums[r * names.length + t]!.parts().map(encodeNumber));
    });
    return { kind: this.kind, replicates: R, seed: this.seed, rows: this.rows, sources: [...this.sources], sums };
  }

  /** Restores a bootstrap from `toJSON()`'s output (parsed); a malformed state throws a TypeError naming the field. */
  static fromJSON(value: unknown, what = "bootstrap"): BootstrapSums {
    const o = expectObject(value, what);
    if (o.kind !== "binary" && o.kind !== "multiclass")
      throw new TypeError(`${what}.kind = ${JSON.stringify(o.kind)} is not "binary" or "multiclass"`);
    const replicates = expectCount(o.replicates, `${what}.replicates`);
    const seed = expectCount(o.seed, `${what}.seed`);
    let b: BootstrapSums;
    try {
      b = new BootstrapSums({ kind: o.kind, replicates, seed });
    } catch (e) {
      throw new TypeError(`${what}: ${(e as Error).message}`);
    }
    b.rows = expectCount(o.rows, `${what}.rows`);
    if (!Array.isArray(o.sources) || !o.sources.every((s) => typeof s === "string")) throw new TypeError(`${what}.sources is not a list of names`);
    for (const s of o.sources as string[]) b.sources.add(s);
    const sums = expectObject(o.sums, `${what}.sums`);
    const names = b.kind === "binary" ? BINARY_TERMS : MULTICLASS_TERMS;
    names.forEach((name, t) => {
      const list = sums[name];
      if (!Array.isArray(list) || list.length !== replicates) throw new TypeError(`${what}.sums.${name} is not a list of ${replicates} sums`);
      list.forEach((parts: unknown, r) => {
        if (!Array.isArray(parts)) throw new TypeError(`${what}.sums.${name}[${r}] is not a list of partials`);
        b.sums[r * names.length + t] = ExactSum.fromParts(parts.map((x, i) => decodeNumber(x, `${what}.sums.${name}[${r}][${i}]`)));
      });
    });
    return b;
  }
}

/** The sample standard deviation (n - 1) of finite values; null for fewer than two or any infinite one. */
function standardDeviation(values: Float64Array): number | null {
  const n = values.length;
  if (n < 2) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  if (!Number.isFinite(mean)) return null;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
