import {
  BinaryEvaluation,
  type BinaryMetrics,
  MulticlassEvaluation,
  type MulticlassMetrics,
  type ScoreScale,
} from "../index.js";
import { InputError } from "../io/inputError.js";

/** Rows are handed to the library in batches of this many (per group): big enough to amortize a call. */
const BATCH = 4096;

/** What is evaluated: binary scores (one per row) or rows of `classes` scores. */
export type EvalKind = { kind: "binary"; scale: ScoreScale } | { kind: "multiclass"; scale: ScoreScale; classes: number };

export type Metrics = BinaryMetrics | MulticlassMetrics;

type Evaluation = BinaryEvaluation | MulticlassEvaluation;

/** How many rows shown by `file:line` where the loss is infinite: enough to find the pattern, not a dump. */
export const INFINITE_LOSS_SHOWN = 5;

/** The rows (of weight > 0) whose loss is infinite: how many, and where the first few are (`file:line`). */
export interface InfiniteLossRows {
  rows: number;
  first: string[];
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
}

/** The mergeable state written by `--state-out` and read by `xent merge`. */
export interface EvalStateFile {
  format: "xent-eval-state";
  version: 1;
  kind: "binary" | "multiclass";
  scale: ScoreScale;
  /** Multi-class only. */
  classes?: number;
  by: string | null;
  files: string[];
  skipped: Record<string, number>;
  /** Absent in the states of earlier versions (read as none). */
  infiniteLoss?: InfiniteLossRows;
  total: unknown;
  groups: Record<string, unknown> | null;
}

function newEvaluation(what: EvalKind): Evaluation {
  return what.kind === "binary" ? new BinaryEvaluation(what.scale) : new MulticlassEvaluation(what.classes, what.scale);
}

class Batch {
  readonly evaluation: Evaluation;
  readonly width: number;
  labels = new Float64Array(BATCH);
  scores: Float64Array;
  weights: Float64Array | null;
  n = 0;

  constructor(what: EvalKind, weighted: boolean) {
    this.evaluation = newEvaluation(what);
    this.width = what.kind === "binary" ? 1 : what.classes;
    this.scores = new Float64Array(BATCH * this.width);
    this.weights = weighted ? new Float64Array(BATCH) : null;
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.evaluation.add(this.labels.subarray(0, n), this.scores.subarray(0, n * this.width), this.weights?.subarray(0, n));
    this.n = 0;
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
  private readonly total: Batch;
  private readonly groups = new Map<string, Batch>();

  constructor(what: EvalKind, by: string | null, weighted: boolean) {
    this.what = what;
    this.by = by;
    this.weighted = weighted;
    this.total = new Batch(what, weighted);
  }

  private group(name: string): Batch {
    let g = this.groups.get(name);
    if (g === undefined) {
      g = new Batch(this.what, this.weighted);
      this.groups.set(name, g);
    }
    return g;
  }

  /** Adds one validated binary row (label in {0, 1}). */
  push(label: number, score: number, weight: number, group: string | null): void {
    const t = this.total;
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

  /** Adds one validated multi-class row (a class id and k scores). */
  pushRow(label: number, scores: Float64Array, weight: number, group: string | null): void {
    pushRowInto(this.total, label, scores, weight);
    if (group !== null) pushRowInto(this.group(group), label, scores, weight);
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** Notes a row (pushed, weight > 0) whose loss is infinite, at `file:line`. */
  infinite(file: string, line: number): void {
    if (this.infiniteLoss.first.length < INFINITE_LOSS_SHOWN) this.infiniteLoss.first.push(`${file}:${line}`);
    this.infiniteLoss.rows++;
  }

  flush(): void {
    this.total.flush();
    for (const g of this.groups.values()) g.flush();
  }

  report(): EvalReport {
    this.flush();
    return {
      what: this.what,
      by: this.by,
      files: this.files,
      total: this.total.evaluation.metrics(),
      groups: this.by === null ? null : sortedGroups(this.groups).map(([group, b]) => ({ group, metrics: b.evaluation.metrics() })),
      skipped: this.skipped,
      infiniteLoss: this.infiniteLoss,
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
    );
  }
}

function stateFile(
  what: EvalKind,
  by: string | null,
  files: string[],
  skipped: Record<string, number>,
  infiniteLoss: InfiniteLossRows,
  total: Evaluation,
  groups: (readonly [string, Evaluation])[],
): EvalStateFile {
  return {
    format: "xent-eval-state",
    version: 1,
    kind: what.kind,
    scale: what.scale,
    ...(what.kind === "multiclass" ? { classes: what.classes } : {}),
    by,
    files,
    skipped,
    infiniteLoss,
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
export function mergeStates(states: { file: string; value: unknown }[]): { report: EvalReport; state: EvalStateFile } {
  let first: { what: EvalKind; by: string | null; file: string } | null = null;
  let total: Evaluation | null = null;
  const groups = new Map<string, Evaluation>();
  const skipped: Record<string, number> = {};
  const infiniteLoss: InfiniteLossRows = { rows: 0, first: [] };
  const files: string[] = [];
  const describe = (w: EvalKind) => `${w.kind === "binary" ? "binary" : `${w.classes}-class`} ${w.scale === "probability" ? "probabilities" : "logits"}`;
  for (const { file, value } of states) {
    const bad = (detail: string) => new InputError(file, 0, 0, "invalid state", detail, false);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw bad("not an evaluation state (not a JSON object)");
    const s = value as Partial<EvalStateFile>;
    if (s.format !== "xent-eval-state") throw bad('not an evaluation state (no "format": "xent-eval-state")');
    if (s.version !== 1) throw bad(`state version ${JSON.stringify(s.version)} is not supported (expected 1)`);
    if (s.scale !== "probability" && s.scale !== "logit") throw bad(`scale ${JSON.stringify(s.scale)} is not probability or logit`);
    let what: EvalKind;
    if (s.kind === "binary") what = { kind: "binary", scale: s.scale };
    else if (s.kind === "multiclass" && Number.isInteger(s.classes) && s.classes! >= 2) what = { kind: "multiclass", scale: s.scale, classes: s.classes! };
    else throw bad(`state kind ${JSON.stringify(s.kind)} is not supported`);
    const by = s.by ?? null;
    if (first === null) first = { what, by, file };
    else {
      if (describe(what) !== describe(first.what)) throw bad(`its scores are ${describe(what)} but ${first.file} has ${describe(first.what)}`);
      if (by !== first.by) throw bad(`grouped by ${JSON.stringify(by)} but ${first.file} by ${JSON.stringify(first.by)}`);
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
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError) throw bad(e.message);
      throw e;
    }
    for (const [reason, count] of Object.entries(s.skipped ?? {})) {
      if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) throw bad(`skipped[${JSON.stringify(reason)}] is not a count`);
      skipped[reason] = (skipped[reason] ?? 0) + count;
    }
    if (s.infiniteLoss !== undefined) {
      const inf = s.infiniteLoss as Partial<InfiniteLossRows> | null;
      if (inf === null || typeof inf !== "object" || !Number.isSafeInteger(inf.rows) || inf.rows! < 0 || !Array.isArray(inf.first) || !inf.first.every((w) => typeof w === "string")) {
        throw bad("infiniteLoss is not {rows: a count, first: [file:line, ...]}");
      }
      infiniteLoss.rows += inf.rows!;
      for (const where of inf.first) if (infiniteLoss.first.length < INFINITE_LOSS_SHOWN) infiniteLoss.first.push(where);
    }
    if (Array.isArray(s.files)) files.push(...s.files.map(String));
  }
  if (first === null || total === null) throw new Error("mergeStates: no states");
  const sorted = sortedGroups(groups);
  const report: EvalReport = {
    what: first.what,
    by: first.by,
    files,
    total: total.metrics(),
    groups: first.by === null ? null : sorted.map(([group, e]) => ({ group, metrics: e.metrics() })),
    skipped,
    infiniteLoss,
  };
  return { report, state: stateFile(first.what, first.by, files, skipped, infiniteLoss, total, sorted) };
}
