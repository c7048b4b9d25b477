import { BinaryEvaluation, type BinaryMetrics, type ScoreScale } from "../index.js";
import { InputError } from "../io/inputError.js";

/** Rows are handed to the library in batches of this many (per group): big enough to amortize a call. */
const BATCH = 16384;

/** The total and per-group figures of one evaluation, plus the rows skipped by reason. */
export interface EvalReport {
  kind: "binary";
  scale: ScoreScale;
  by: string | null;
  files: string[];
  total: BinaryMetrics;
  groups: { group: string; metrics: BinaryMetrics }[] | null;
  skipped: Record<string, number>;
}

/** The mergeable state written by `--state-out` and read by `xent merge`. */
export interface EvalStateFile {
  format: "xent-eval-state";
  version: 1;
  kind: "binary";
  scale: ScoreScale;
  by: string | null;
  files: string[];
  skipped: Record<string, number>;
  total: unknown;
  groups: Record<string, unknown> | null;
}

class Batch {
  readonly evaluation: BinaryEvaluation;
  labels = new Float64Array(BATCH);
  scores = new Float64Array(BATCH);
  weights: Float64Array | null;
  n = 0;

  constructor(scale: ScoreScale, weighted: boolean) {
    this.evaluation = new BinaryEvaluation(scale);
    this.weights = weighted ? new Float64Array(BATCH) : null;
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.evaluation.add(this.labels.subarray(0, n), this.scores.subarray(0, n), this.weights?.subarray(0, n));
    this.n = 0;
  }
}

/**
 * The CLI side of an evaluation: rows in, batches out to the library's `BinaryEvaluation` (the whole and,
 * with `--by`, one per group), skipped rows counted by reason. No figure is computed here.
 */
export class EvalRun {
  readonly scale: ScoreScale;
  readonly by: string | null;
  readonly files: string[] = [];
  readonly skipped: Record<string, number> = {};
  private readonly weighted: boolean;
  private readonly total: Batch;
  private readonly groups = new Map<string, Batch>();

  constructor(scale: ScoreScale, by: string | null, weighted: boolean) {
    this.scale = scale;
    this.by = by;
    this.weighted = weighted;
    this.total = new Batch(scale, weighted);
  }

  /** Adds one validated row (label in {0, 1}). */
  push(label: number, score: number, weight: number, group: string | null): void {
    const t = this.total;
    t.labels[t.n] = label;
    t.scores[t.n] = score;
    if (t.weights !== null) t.weights[t.n] = weight;
    if (++t.n === BATCH) t.flush();
    if (group !== null) {
      let g = this.groups.get(group);
      if (g === undefined) {
        g = new Batch(this.scale, this.weighted);
        this.groups.set(group, g);
      }
      g.labels[g.n] = label;
      g.scores[g.n] = score;
      if (g.weights !== null) g.weights[g.n] = weight;
      if (++g.n === BATCH) g.flush();
    }
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  flush(): void {
    this.total.flush();
    for (const g of this.groups.values()) g.flush();
  }

  report(): EvalReport {
    this.flush();
    return {
      kind: "binary",
      scale: this.scale,
      by: this.by,
      files: this.files,
      total: this.total.evaluation.metrics(),
      groups: this.by === null ? null : sortedGroups(this.groups).map(([group, b]) => ({ group, metrics: b.evaluation.metrics() })),
      skipped: this.skipped,
    };
  }

  state(): EvalStateFile {
    this.flush();
    return {
      format: "xent-eval-state",
      version: 1,
      kind: "binary",
      scale: this.scale,
      by: this.by,
      files: this.files,
      skipped: this.skipped,
      total: this.total.evaluation.toJSON(),
      groups: this.by === null ? null : Object.fromEntries(sortedGroups(this.groups).map(([k, b]) => [k, b.evaluation.toJSON()])),
    };
  }
}

function sortedGroups<T>(groups: Map<string, T>): [string, T][] {
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * Merges state files (parsed JSON) into one report and one state. They must agree on kind, scale and
 * `--by` column; a malformed state is an InputError naming the file.
 */
export function mergeStates(states: { file: string; value: unknown }[]): { report: EvalReport; state: EvalStateFile } {
  let first: { scale: ScoreScale; by: string | null; file: string } | null = null;
  let total: BinaryEvaluation | null = null;
  const groups = new Map<string, BinaryEvaluation>();
  const skipped: Record<string, number> = {};
  const files: string[] = [];
  for (const { file, value } of states) {
    const bad = (detail: string) => new InputError(file, 0, 0, "invalid state", detail, false);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw bad("not an evaluation state (not a JSON object)");
    const s = value as Partial<EvalStateFile>;
    if (s.format !== "xent-eval-state") throw bad('not an evaluation state (no "format": "xent-eval-state")');
    if (s.version !== 1) throw bad(`state version ${JSON.stringify(s.version)} is not supported (expected 1)`);
    if (s.kind !== "binary") throw bad(`state kind ${JSON.stringify(s.kind)} is not supported`);
    const by = s.by ?? null;
    if (first === null) first = { scale: s.scale as ScoreScale, by, file };
    else {
      if (s.scale !== first.scale) throw bad(`its scores are ${s.scale}s but ${first.file} has ${first.scale}s`);
      if (by !== first.by) throw bad(`grouped by ${JSON.stringify(by)} but ${first.file} by ${JSON.stringify(first.by)}`);
    }
    try {
      const t = BinaryEvaluation.fromJSON(s.total, "total");
      total = total === null ? t : total.merge(t);
      if (by !== null) {
        if (s.groups === null || typeof s.groups !== "object") throw new TypeError("groups is not an object");
        for (const [g, v] of Object.entries(s.groups)) {
          const e = BinaryEvaluation.fromJSON(v, `groups[${JSON.stringify(g)}]`);
          const have = groups.get(g);
          groups.set(g, have === undefined ? e : have.merge(e));
        }
      }
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError) throw bad(e.message);
      throw e;
    }
    for (const [reason, count] of Object.entries(s.skipped ?? {})) {
      if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) throw bad(`skipped[${JSON.stringify(reason)}] is not a count`);
      skipped[reason] = (skipped[reason] ?? 0) + count;
    }
    if (Array.isArray(s.files)) files.push(...s.files.map(String));
  }
  if (first === null || total === null) throw new Error("mergeStates: no states");
  const sorted = sortedGroups(groups);
  const report: EvalReport = {
    kind: "binary",
    scale: first.scale,
    by: first.by,
    files,
    total: total.metrics(),
    groups: first.by === null ? null : sorted.map(([group, e]) => ({ group, metrics: e.metrics() })),
    skipped,
  };
  const state: EvalStateFile = {
    format: "xent-eval-state",
    version: 1,
    kind: "binary",
    scale: first.scale,
    by: first.by,
    files,
    skipped,
    total: total.toJSON(),
    groups: first.by === null ? null : Object.fromEntries(sorted.map(([g, e]) => [g, e.toJSON()])),
  };
  return { report, state };
}
