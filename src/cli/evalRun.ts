import {
  BinaryEvaluation,
  type BinaryMetrics,
  type BootstrapIntervals,
  BootstrapSums,
  CompensatedSum,
  MulticlassEvaluation,
  type MulticlassMetrics,
  type ScoreScale,
  binaryBootstrapTerms,
  binaryCrossEntropy,
  categoricalCrossEntropy,
  multiclassBootstrapTerms,
} from "../index.js";
import { InputError } from "../io/inputError.js";

/** Rows are handed to the library in batches of this many (per group): big enough to amortize a call. */
const BATCH = 4096;

/** What is evaluated: binary scores (one per row) or rows of `classes` scores. */
export type EvalKind =
  | { kind: "binary"; scale: ScoreScale; threshold?: number; bins?: number }
  | { kind: "multiclass"; scale: ScoreScale; classes: number; names?: string[] };

export type Metrics = BinaryMetrics | MulticlassMetrics;

export type Evaluation = BinaryEvaluation | MulticlassEvaluation;

/** How many rows shown by `file:line` where the loss is infinite: enough to find the pattern, not a dump. */
export const INFINITE_LOSS_SHOWN = 5;

/** The rows (of weight > 0) whose loss is infinite: how many, and where the first few are (`file:line`). */
export interface InfiniteLossRows {
  rows: number;
  first: string[];
}

/** `--clip EPS`: the log loss is of probabilities clipped to [eps, 1 - eps]; `rows` had a probability moved. */
export interface ClipReport {
  eps: number;
  rows: number;
}

/** The total and per-group figures of one evaluation, plus the rows skipped by reason. */
export interface EvalReport {
  what: EvalKind;
  by: string | null;
  files: string[];
  total: Metrics;
  groups: { group: string; metrics: Metrics }[] | null;
  skipped: Record<string, number>;
  infiniteLoss: InfiniteLossRows;
  /** With `--clip`: every logLoss above is the clipped one. */
  clip: ClipReport | null;
  /** With `--ci`: the bootstrap intervals of the total and of each group (in the order of `groups`). */
  ci: CiReport | null;
}

/** `--ci LEVEL [--bootstrap N] [--seed S]`: the interval level and the bootstrap's replicates and seed. */
export interface CiOptions {
  level: number;
  replicates: number;
  seed: number;
}

/** The bootstrap intervals of an evaluation: the total's, and each group's with `--by`. */
export interface CiReport {
  level: number;
  replicates: number;
  seed: number;
  total: BootstrapIntervals;
  groups: { group: string; intervals: BootstrapIntervals }[] | null;
}

/** The clipped log loss in a state: the sum with its compensation, and the rows clipped. */
interface ClippedLossState {
  loss: [number, number];
  rows: number;
}

/** The mergeable state written by `--state-out` and read by `xent merge`. */
export interface EvalStateFile {
  format: "xent-eval-state";
  version: 1;
  kind: "binary" | "multiclass";
  scale: ScoreScale;
  /** Multi-class only. */
  classes?: number;
  /** Multi-class only, in column order (absent in earlier states). */
  classNames?: string[];
  by: string | null;
  files: string[];
  skipped: Record<string, number>;
  /** Absent in the states of earlier versions (read as none). */
  infiniteLoss?: InfiniteLossRows;
  /** With `--ci` only: the level and the bootstrap sums (total and per group), which merge as the other sums do. */
  ci?: { level: number; total: unknown; groups: Record<string, unknown> | null };
  /** With `--clip` only: the clipped log-loss sums (total and per group), which merge as the other sums do. */
  clip?: { eps: number; total: ClippedLossState; groups: Record<string, ClippedLossState> | null };
  total: unknown;
  groups: Record<string, unknown> | null;
}

function newEvaluation(what: EvalKind): Evaluation {
  if (what.kind === "multiclass") return new MulticlassEvaluation(what.classes, what.scale);
  const options = { ...(what.threshold === undefined ? {} : { threshold: what.threshold }), ...(what.bins === undefined ? {} : { bins: what.bins }) };
  return new BinaryEvaluation(what.scale, options);
}

/**
 * `--clip EPS`: the log loss of probabilities clipped to [eps, 1 - eps], as scikit-learn's `log_loss` and
 * Kaggle compute it, accumulated beside the exact evaluation (whose Brier score, accuracy and AUC stay those
 * of the probabilities as given: clipping would tie distinct scores in the AUC). Each batch is clipped into
 * a scratch buffer and reduced by the library's `binaryCrossEntropy` / `categoricalCrossEntropy` (sum, so
 * compensated), the batch sums added into a CompensatedSum. Clipped rows are used as they come out (not
 * renormalized to sum to 1, which scikit-learn 1.2 does: that moves a row's loss by up to about k eps).
 */
export class ClippedLoss {
  loss = new CompensatedSum();
  rows = 0;
  private buffer = new Float64Array(0);

  constructor(
    readonly eps: number,
    private readonly classes: number | null,
  ) {}

  add(labels: Float64Array, scores: Float64Array, weights: Float64Array | undefined): void {
    if (this.buffer.length < scores.length) this.buffer = new Float64Array(scores.length);
    const c = this.buffer.subarray(0, scores.length);
    // The bounds as numpy computes them in float64: 1 - eps rounded once.
    const lo = this.eps;
    const hi = 1 - this.eps;
    const k = this.classes ?? 1;
    for (let i = 0; i < labels.length; i++) {
      let moved = false;
      for (let j = i * k; j < (i + 1) * k; j++) {
        const p = scores[j]!;
        const q = p < lo ? lo : p > hi ? hi : p;
        if (q !== p) moved = true;
        c[j] = q;
      }
      if (moved) this.rows++;
    }
    const w = weights === undefined ? {} : { weights };
    this.loss.add(
      this.classes === null
        ? binaryCrossEntropy(labels, c, { reduction: "sum", ...w })
        : categoricalCrossEntropy(labels, c, { classes: this.classes, reduction: "sum", ...w }),
    );
  }

  merge(other: ClippedLoss): void {
    this.loss.merge(other.loss);
    this.rows += other.rows;
  }

  toJSON(): ClippedLossState {
    return { loss: this.loss.parts(), rows: this.rows };
  }

  static fromJSON(v: unknown, eps: number, classes: number | null, what: string): ClippedLoss {
    const o = v as Partial<ClippedLossState> | null;
    if (
      o === null ||
      typeof o !== "object" ||
      !Array.isArray(o.loss) ||
      o.loss.length !== 2 ||
      !o.loss.every((x) => typeof x === "number" && Number.isFinite(x)) ||
      !Number.isSafeInteger(o.rows) ||
      o.rows! < 0
    ) {
      throw new TypeError(`${what} is not {loss: [sum, compensation], rows: a count}`);
    }
    const c = new ClippedLoss(eps, classes);
    c.loss = CompensatedSum.fromParts(o.loss[0]!, o.loss[1]!);
    c.rows = o.rows!;
    return c;
  }
}

/**
 * Metrics whose log loss is the clipped one (`clipped` null: as they are), with the figures made from the
 * log loss (normalized entropy, the CORP miscalibration) made from the clipped one too.
 */
function withClippedLoss(m: Metrics, clipped: ClippedLoss | null): Metrics {
  if (clipped === null) return m;
  const logLoss = m.weight > 0 ? clipped.loss.value() / m.weight : null;
  if (!("logLossDecomposition" in m) || m.logLossDecomposition === null || logLoss === null) return { ...m, logLoss };
  const d = m.logLossDecomposition;
  // S(p_recal) = UNC - DSC; MCB = S(p) - S(p_recal).
  return {
    ...m,
    logLoss,
    normalizedEntropy: d.uncertainty > 0 ? logLoss / d.uncertainty : null,
    logLossDecomposition: { ...d, miscalibration: logLoss - (d.uncertainty - d.discrimination) },
  };
}

/**
 * `--ci`: the rows of one evaluation (the total or a group) on their way to its `BootstrapSums`, with their
 * identity (file and line): batches of one file at a time, kept apart from the evaluation's own batches so
 * that its figures are the same bits with or without `--ci`.
 */
class CiBatch {
  readonly sums: BootstrapSums;
  private readonly what: EvalKind;
  private readonly width: number;
  private labels = new Float64Array(BATCH);
  private scores: Float64Array;
  private weights: Float64Array | null;
  private lines = new Float64Array(BATCH);
  private source = "";
  private n = 0;

  constructor(what: EvalKind, weighted: boolean, ci: CiOptions) {
    this.what = what;
    this.width = what.kind === "binary" ? 1 : what.classes;
    this.sums = new BootstrapSums({ kind: what.kind, replicates: ci.replicates, seed: ci.seed });
    this.scores = new Float64Array(BATCH * this.width);
    this.weights = weighted ? new Float64Array(BATCH) : null;
  }

  push(label: number, score: number, scores: Float64Array | null, weight: number, file: string, line: number): void {
    if (file !== this.source) {
      this.flush();
      this.source = file;
    }
    const n = this.n;
    this.labels[n] = label;
    if (scores === null) this.scores[n] = score;
    else this.scores.set(scores, n * this.width);
    if (this.weights !== null) this.weights[n] = weight;
    this.lines[n] = line;
    if (++this.n === BATCH) this.flush();
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const labels = this.labels.subarray(0, n);
    const scores = this.scores.subarray(0, n * this.width);
    const weights = this.weights?.subarray(0, n);
    const w = this.what;
    const terms =
      w.kind === "binary"
        ? binaryBootstrapTerms(labels, scores, { scale: w.scale, ...(w.threshold === undefined ? {} : { threshold: w.threshold }), weights })
        : multiclassBootstrapTerms(labels, scores, w.classes, { scale: w.scale, weights });
    this.sums.add(this.source, this.lines.subarray(0, n), terms);
    this.n = 0;
  }
}

class Batch {
  evaluation: Evaluation;
  readonly width: number;
  clipped: ClippedLoss | null;
  /** Whether `absorb` has put a state in (the first one replaces the empty evaluation). */
  private absorbed = false;
  labels = new Float64Array(BATCH);
  scores: Float64Array;
  weights: Float64Array | null;
  n = 0;
  readonly ci: CiBatch | null;

  constructor(what: EvalKind, weighted: boolean, clip: number | null, ci: CiOptions | null) {
    this.evaluation = newEvaluation(what);
    this.ci = ci === null ? null : new CiBatch(what, weighted, ci);
    this.width = what.kind === "binary" ? 1 : what.classes;
    this.clipped = clip === null ? null : new ClippedLoss(clip, what.kind === "binary" ? null : what.classes);
    this.scores = new Float64Array(BATCH * this.width);
    this.weights = weighted ? new Float64Array(BATCH) : null;
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    const labels = this.labels.subarray(0, n);
    const scores = this.scores.subarray(0, n * this.width);
    const weights = this.weights?.subarray(0, n);
    // The rows were validated on the way in (binaryRows.ts, multiclassRows.ts): the library need not check them again.
    if (this.evaluation instanceof BinaryEvaluation) this.evaluation.addValidated(labels, scores, weights);
    else this.evaluation.add(labels, scores, weights);
    this.clipped?.add(labels, scores, weights);
    this.n = 0;
  }

  /** Flushes the rows waiting for the evaluation and for the bootstrap. */
  flushAll(): void {
    this.flush();
    this.ci?.flush();
  }

  metrics(): Metrics {
    return withClippedLoss(this.evaluation.metrics(), this.clipped);
  }

  /** Merges a piece's evaluation (and clipped loss) into this one; the first replaces the empty one. */
  absorb(e: Evaluation, clipped: ClippedLoss | null): void {
    if (!this.absorbed) {
      this.evaluation = e;
      if (clipped !== null) this.clipped = clipped;
      this.absorbed = true;
      return;
    }
    if (this.evaluation instanceof BinaryEvaluation) this.evaluation.merge(e as BinaryEvaluation);
    else this.evaluation.merge(e as MulticlassEvaluation);
    if (clipped !== null) this.clipped!.merge(clipped);
  }
}

/**
 * The CLI side of an evaluation: rows in, batches out to the library's `BinaryEvaluation` or
 * `MulticlassEvaluation` (the whole and, with `--by`, one per group), skipped rows counted by reason.
 * No figure is computed here.
 */
export class EvalRun {
  readonly what: EvalKind;
  readonly by: string | null;
  readonly files: string[] = [];
  readonly skipped: Record<string, number> = {};
  readonly infiniteLoss: InfiniteLossRows = { rows: 0, first: [] };
  private readonly weighted: boolean;
  private readonly clip: number | null;
  readonly ci: CiOptions | null;
  private readonly total: Batch;
  private readonly groups = new Map<string, Batch>();

  /** `clip`: `--clip EPS` (probabilities only), or null; `ci`: `--ci` (bootstrap intervals), or null. */
  constructor(what: EvalKind, by: string | null, weighted: boolean, clip: number | null = null, ci: CiOptions | null = null) {
    this.what = what;
    this.by = by;
    this.weighted = weighted;
    this.clip = clip;
    this.ci = ci;
    this.total = new Batch(what, weighted, clip, ci);
  }

  private group(name: string): Batch {
    let g = this.groups.get(name);
    if (g === undefined) {
      g = new Batch(this.what, this.weighted, this.clip, this.ci);
      this.groups.set(name, g);
    }
    return g;
  }

  /** Adds one validated binary row (label in {0, 1}); `file` and `line` are its identity for `--ci`. */
  push(label: number, score: number, weight: number, group: string | null, file = "", line = 0): void {
    const t = this.total;
    if (t.ci !== null) {
      t.ci.push(label, score, null, weight, file, line);
      if (group !== null) this.group(group).ci!.push(label, score, null, weight, file, line);
    }
    t.labels[t.n] = label;
    t.scores[t.n] = score;
    if (t.weights !== null) t.weights[t.n] = weight;
    if (++t.n === BATCH) t.flush();
    if (group !== null) {
      const g = this.group(group);
      g.labels[g.n] = label;
      g.scores[g.n] = score;
      if (g.weights !== null) g.weights[g.n] = weight;
      if (++g.n === BATCH) g.flush();
    }
  }

  /** Adds one validated multi-class row (a class id and k scores); `file` and `line` are its identity for `--ci`. */
  pushRow(label: number, scores: Float64Array, weight: number, group: string | null, file = "", line = 0): void {
    if (this.total.ci !== null) {
      this.total.ci.push(label, 0, scores, weight, file, line);
      if (group !== null) this.group(group).ci!.push(label, 0, scores, weight, file, line);
    }
    pushRowInto(this.total, label, scores, weight);
    if (group !== null) pushRowInto(this.group(group), label, scores, weight);
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** Notes a row (pushed, weight > 0) whose loss is infinite, at `file:line`. */
  /** `where`: the row's `location()` (`file:line`, or `file row N` for Parquet and Arrow). */
  infinite(where: string): void {
    if (this.infiniteLoss.first.length < INFINITE_LOSS_SHOWN) this.infiniteLoss.first.push(where);
    this.infiniteLoss.rows++;
  }

  /**
   * Merges the state of a piece of the input (`state()` of the run that read it, cli/evalPieces.ts) into
   * this run, whose rows all come from such states: pieces absorbed in order give the same bits whoever
   * read them. `where` rewrites the piece's infinite-loss locations (`file:line`) into the whole file's.
   */
  absorb(s: EvalStateFile, where: (location: string) => string): void {
    const load = (v: unknown, name: string): Evaluation =>
      this.what.kind === "binary" ? BinaryEvaluation.fromJSON(v, name) : MulticlassEvaluation.fromJSON(v, name);
    const classes = this.what.kind === "binary" ? null : this.what.classes;
    const clipOf = (v: unknown, name: string) => (this.clip === null ? null : ClippedLoss.fromJSON(v, this.clip, classes, name));
    this.total.absorb(load(s.total, "total"), clipOf(s.clip?.total, "clip.total"));
    for (const [g, v] of Object.entries(s.groups ?? {})) {
      this.group(g).absorb(load(v, g), clipOf(s.clip?.groups?.[g], g));
    }
    for (const [reason, count] of Object.entries(s.skipped)) this.skipped[reason] = (this.skipped[reason] ?? 0) + count;
    const inf = s.infiniteLoss!;
    this.infiniteLoss.rows += inf.rows;
    for (const w of inf.first) if (this.infiniteLoss.first.length < INFINITE_LOSS_SHOWN) this.infiniteLoss.first.push(where(w));
  }

  flush(): void {
    this.total.flushAll();
    for (const g of this.groups.values()) g.flushAll();
  }

  /** The library's evaluation of all rows (every batch flushed): the state the figures are drawn from. */
  totalEvaluation(): Evaluation {
    this.flush();
    return this.total.evaluation;
  }

  report(): EvalReport {
    this.flush();
    return {
      what: this.what,
      by: this.by,
      files: this.files,
      total: this.total.metrics(),
      groups: this.by === null ? null : sortedGroups(this.groups).map(([group, b]) => ({ group, metrics: b.metrics() })),
      skipped: this.skipped,
      infiniteLoss: this.infiniteLoss,
      clip: this.total.clipped === null ? null : { eps: this.total.clipped.eps, rows: this.total.clipped.rows },
      ci:
        this.ci === null
          ? null
          : ciReport(this.ci.level, this.total.ci!.sums, this.by === null ? null : sortedGroups(this.groups).map(([g, b]) => [g, b.ci!.sums])),
    };
  }

  state(): EvalStateFile {
    this.flush();
    return stateFile(
      this.what,
      this.by,
      this.files,
      this.skipped,
      this.infiniteLoss,
      this.total.evaluation,
      sortedGroups(this.groups).map(([k, b]) => [k, b.evaluation] as const),
      this.total.clipped === null ? null : { total: this.total.clipped, groups: sortedGroups(this.groups).map(([k, b]) => [k, b.clipped!] as const) },
      this.ci === null
        ? null
        : { level: this.ci.level, total: this.total.ci!.sums, groups: sortedGroups(this.groups).map(([k, b]) => [k, b.ci!.sums] as const) },
    );
  }
}

/** The intervals at `level` of the total's bootstrap and of each group's. */
function ciReport(level: number, total: BootstrapSums, groups: (readonly [string, BootstrapSums])[] | null): CiReport {
  return {
    level,
    replicates: total.replicates,
    seed: total.seed,
    total: total.intervals(level),
    groups: groups === null ? null : groups.map(([group, s]) => ({ group, intervals: s.intervals(level) })),
  };
}

function stateFile(
  what: EvalKind,
  by: string | null,
  files: string[],
  skipped: Record<string, number>,
  infiniteLoss: InfiniteLossRows,
  total: Evaluation,
  groups: (readonly [string, Evaluation])[],
  clipped: { total: ClippedLoss; groups: (readonly [string, ClippedLoss])[] } | null,
  ci: { level: number; total: BootstrapSums; groups: (readonly [string, BootstrapSums])[] } | null = null,
): EvalStateFile {
  return {
    format: "xent-eval-state",
    version: 1,
    kind: what.kind,
    scale: what.scale,
    ...(what.kind === "multiclass" ? { classes: what.classes, ...(what.names === undefined ? {} : { classNames: what.names }) } : {}),
    by,
    files,
    skipped,
    infiniteLoss,
    ...(clipped === null
      ? {}
      : {
          clip: {
            eps: clipped.total.eps,
            total: clipped.total.toJSON(),
            groups: by === null ? null : Object.fromEntries(clipped.groups.map(([g, c]) => [g, c.toJSON()])),
          },
        }),
    ...(ci === null
      ? {}
      : {
          ci: {
            level: ci.level,
            total: ci.total.toJSON(),
            groups: by === null ? null : Object.fromEntries(ci.groups.map(([g, b]) => [g, b.toJSON()])),
          },
        }),
    total: total.toJSON(),
    groups: by === null ? null : Object.fromEntries(groups.map(([g, e]) => [g, e.toJSON()])),
  };
}

function pushRowInto(b: Batch, label: number, scores: Float64Array, weight: number): void {
  b.labels[b.n] = label;
  b.scores.set(scores, b.n * b.width);
  if (b.weights !== null) b.weights[b.n] = weight;
  if (++b.n === BATCH) b.flush();
}

function sortedGroups<T>(groups: Map<string, T>): [string, T][] {
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Merges state files (parsed JSON) into one report and one state. They must agree on kind, scale, classes
 * and `--by` column; a malformed state is an InputError naming the file.
 */
export function mergeStates(
  states: { file: string; value: unknown }[],
  /** `xent merge --ci LEVEL`: the interval level (default: the first state's). */
  ciLevel: number | null = null,
): { report: EvalReport; state: EvalStateFile } {
  let first: { what: EvalKind; by: string | null; file: string; clip: number | null; ci: string } | null = null;
  let ciTotal: BootstrapSums | null = null;
  let ciLevelFound: number | null = null;
  const ciGroups = new Map<string, BootstrapSums>();
  let total: Evaluation | null = null;
  const groups = new Map<string, Evaluation>();
  let clippedTotal: ClippedLoss | null = null;
  const clippedGroups = new Map<string, ClippedLoss>();
  const skipped: Record<string, number> = {};
  const infiniteLoss: InfiniteLossRows = { rows: 0, first: [] };
  const files: string[] = [];
  const describe = (w: EvalKind) =>
    `${w.kind === "binary" ? "binary" : `${w.classes}-class`} ${w.scale === "probability" ? "probabilities" : "logits"}`;
  for (const { file, value } of states) {
    const bad = (detail: string) => new InputError(file, 0, 0, "invalid state", detail, false);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw bad("not an evaluation state (not a JSON object)");
    const s = value as Partial<EvalStateFile>;
    if (s.format !== "xent-eval-state") throw bad('not an evaluation state (no "format": "xent-eval-state")');
    if (s.version !== 1) throw bad(`state version ${JSON.stringify(s.version)} is not supported (expected 1)`);
    if (s.scale !== "probability" && s.scale !== "logit") throw bad(`scale ${JSON.stringify(s.scale)} is not probability or logit`);
    let what: EvalKind;
    if (s.kind === "binary") what = { kind: "binary", scale: s.scale };
    else if (s.kind === "multiclass" && Number.isInteger(s.classes) && s.classes! >= 2) {
      const names = Array.isArray(s.classNames) && s.classNames.length === s.classes ? { names: s.classNames.map(String) } : {};
      what = { kind: "multiclass", scale: s.scale, classes: s.classes!, ...names };
    } else throw bad(`state kind ${JSON.stringify(s.kind)} is not supported`);
    const by = s.by ?? null;
    const eps: unknown = s.clip === undefined ? null : (s.clip as { eps?: unknown } | null)?.eps;
    if (eps !== null && !(typeof eps === "number" && eps > 0 && eps < 0.5)) throw bad(`clip.eps ${JSON.stringify(eps)} is not a number in (0, 0.5)`);
    const clip = eps as number | null;
    const clipText = (c: number | null) => (c === null ? "without --clip" : `with --clip ${c}`);
    const ciState = s.ci === undefined ? null : (s.ci as Partial<NonNullable<EvalStateFile["ci"]>> | null);
    if (ciState !== null && (typeof ciState !== "object" || !(typeof ciState.level === "number" && ciState.level > 0 && ciState.level < 1)))
      throw bad("ci.level is not a number in (0, 1)");
    const ciTotalState = ciState === null ? null : (ciState.total as { replicates?: unknown; seed?: unknown } | null);
    const ci =
      ciState === null
        ? "without --ci"
        : `with --ci (${JSON.stringify(ciTotalState?.replicates)} replicates, seed ${JSON.stringify(ciTotalState?.seed)})`;
    if (first === null) first = { what, by, file, clip, ci };
    else {
      if (describe(what) !== describe(first.what)) throw bad(`its scores are ${describe(what)} but ${first.file} has ${describe(first.what)}`);
      if (by !== first.by) throw bad(`grouped by ${JSON.stringify(by)} but ${first.file} by ${JSON.stringify(first.by)}`);
      if (clip !== first.clip) throw bad(`evaluated ${clipText(clip)} but ${first.file} ${clipText(first.clip)}`);
      if (ci !== first.ci) throw bad(`evaluated ${ci} but ${first.file} ${first.ci}`);
    }
    const load = (v: unknown, name: string): Evaluation =>
      what.kind === "binary" ? BinaryEvaluation.fromJSON(v, name) : MulticlassEvaluation.fromJSON(v, name);
    const add = (into: Evaluation | null | undefined, e: Evaluation): Evaluation =>
      into == null ? e : into instanceof BinaryEvaluation ? into.merge(e as BinaryEvaluation) : into.merge(e as MulticlassEvaluation);
    try {
      total = add(total, load(s.total, "total"));
      if (by !== null) {
        if (s.groups === null || typeof s.groups !== "object") throw new TypeError("groups is not an object");
        for (const [g, v] of Object.entries(s.groups)) groups.set(g, add(groups.get(g), load(v, `groups[${JSON.stringify(g)}]`)));
      }
      if (ciState !== null) {
        ciLevelFound ??= ciState.level!;
        const kindOf = (b: BootstrapSums, name: string) => {
          if (b.kind !== what.kind) throw new TypeError(`${name}.kind = ${JSON.stringify(b.kind)} is not ${JSON.stringify(what.kind)}`);
          return b;
        };
        const t = kindOf(BootstrapSums.fromJSON(ciState.total, "ci.total"), "ci.total");
        if (ciTotal === null) ciTotal = t;
        else ciTotal.merge(t);
        if (by !== null) {
          const cg = ciState.groups;
          if (cg === null || typeof cg !== "object") throw new TypeError("ci.groups is not an object");
          for (const [g, v] of Object.entries(cg)) {
            const name = `ci.groups[${JSON.stringify(g)}]`;
            const x = kindOf(BootstrapSums.fromJSON(v, name), name);
            const into = ciGroups.get(g);
            if (into === undefined) ciGroups.set(g, x);
            else into.merge(x);
          }
        }
      }
      if (clip !== null) {
        const classes = what.kind === "binary" ? null : what.classes;
        const c = ClippedLoss.fromJSON(s.clip!.total, clip, classes, "clip.total");
        if (clippedTotal === null) clippedTotal = c;
        else clippedTotal.merge(c);
        if (by !== null) {
          const cg = s.clip!.groups;
          if (cg === null || typeof cg !== "object") throw new TypeError("clip.groups is not an object");
          for (const [g, v] of Object.entries(cg)) {
            const x = ClippedLoss.fromJSON(v, clip, classes, `clip.groups[${JSON.stringify(g)}]`);
            const into = clippedGroups.get(g);
            if (into === undefined) clippedGroups.set(g, x);
            else into.merge(x);
          }
        }
      }
    } catch (e) {
      if (e instanceof RangeError && e.message.includes('rows of "<stdin>"'))
        throw bad(`${e.message} (shards read from stdin all have the name <stdin>: save each shard to a file and evaluate the files)`);
      if (e instanceof TypeError || e instanceof RangeError) throw bad(e.message);
      throw e;
    }
    for (const [reason, count] of Object.entries(s.skipped ?? {})) {
      if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) throw bad(`skipped[${JSON.stringify(reason)}] is not a count`);
      skipped[reason] = (skipped[reason] ?? 0) + count;
    }
    if (s.infiniteLoss !== undefined) {
      const inf = s.infiniteLoss as Partial<InfiniteLossRows> | null;
      if (
        inf === null ||
        typeof inf !== "object" ||
        !Number.isSafeInteger(inf.rows) ||
        inf.rows! < 0 ||
        !Array.isArray(inf.first) ||
        !inf.first.every((w) => typeof w === "string")
      ) {
        throw bad("infiniteLoss is not {rows: a count, first: [file:line, ...]}");
      }
      infiniteLoss.rows += inf.rows!;
      for (const where of inf.first) if (infiniteLoss.first.length < INFINITE_LOSS_SHOWN) infiniteLoss.first.push(where);
    }
    if (Array.isArray(s.files)) files.push(...s.files.map(String));
  }
  if (first === null || total === null) throw new Error("mergeStates: no states");
  const sorted = sortedGroups(groups);
  const clippedOf = (g: string) => {
    if (clippedTotal === null) return null;
    const c = clippedGroups.get(g);
    if (c === undefined) throw new InputError(first!.file, 0, 0, "invalid state", `clip.groups has no group ${JSON.stringify(g)}`, false);
    return c;
  };
  const report: EvalReport = {
    what: first.what,
    by: first.by,
    files,
    total: withClippedLoss(total.metrics(), clippedTotal),
    groups: first.by === null ? null : sorted.map(([group, e]) => ({ group, metrics: withClippedLoss(e.metrics(), clippedOf(group)) })),
    skipped,
    infiniteLoss,
    clip: clippedTotal === null ? null : { eps: clippedTotal.eps, rows: clippedTotal.rows },
    ci: null,
  };
  const clipped = clippedTotal === null ? null : { total: clippedTotal, groups: sorted.map(([g]) => [g, clippedOf(g)!] as const) };
  let ci: { level: number; total: BootstrapSums; groups: (readonly [string, BootstrapSums])[] } | null = null;
  if (ciTotal !== null) {
    const level = ciLevel ?? ciLevelFound!;
    const ciOf = (g: string) => {
      const c = ciGroups.get(g);
      if (c === undefined) throw new InputError(first!.file, 0, 0, "invalid state", `ci.groups has no group ${JSON.stringify(g)}`, false);
      return c;
    };
    ci = { level, total: ciTotal, groups: first.by === null ? [] : sorted.map(([g]) => [g, ciOf(g)] as const) };
    report.ci = ciReport(level, ciTotal, first.by === null ? null : ci.groups);
  } else if (ciLevel !== null) {
    throw new InputError(
      first.file,
      0,
      0,
      "invalid state",
      "has no bootstrap sums for --ci: evaluate the shards with xent eval --ci LEVEL --state-out",
      false,
    );
  }
  return { report, state: stateFile(first.what, first.by, files, skipped, infiniteLoss, total, sorted, clipped, ci) };
}
