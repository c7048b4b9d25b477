import { writeFileSync } from "node:fs";
import {
  type Calibration,
  PlattScoreCounts,
  type ScoreScale,
  binaryCrossEntropyWithLogits,
  calibrationToJSON,
  categoricalCrossEntropyWithLogits,
  fitPlattScaling,
  fitTemperatureScaling,
  logit,
} from "../index.js";
import { InputError } from "../io/inputError.js";
import { type ColumnResolver, type TableFormat } from "../io/tableReader.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { BinaryHandler } from "./binaryRows.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { type EvalRun } from "./evalRun.js";
import { MulticlassHandler } from "./multiclassRows.js";
import { readInputFiles, readInputOptions } from "./readInputFiles.js";
import { UsageError } from "./usageError.js";
import { readJsonFile } from "../io/readTextFile.js";

const calibrateOptions: OptionSpec[] = [
  { name: "label", type: "string", value: "COLUMN", help: "the label column (required): 0/1 or -1/+1; multi-class: class names (as in xent eval)" },
  { name: "prob", type: "string", value: "COLUMN", help: "binary: the column of probabilities of y = 1 (fitted on their logits)" },
  { name: "logit", type: "string", value: "COLUMN", help: "binary: the column of logits" },
  { name: "probs", type: "string", value: "COLS|PREFIX", help: "multi-class: probability columns (fitted on log p)" },
  { name: "logits", type: "string", value: "COLS|PREFIX", help: "multi-class: logit columns" },
  { name: "class-ids", type: "boolean", help: "multi-class: labels are positions 0..k-1 in the column order, not class names" },
  { name: "weight", type: "string", value: "COLUMN", help: "a column of sample weights (finite, >= 0)" },
  { name: "labels", type: "string", value: "01|pm1|auto", help: "binary label convention; auto (default) accepts either, not both" },
  { name: "method", type: "string", value: "platt|temperature", help: "default: platt for binary scores, temperature for multi-class" },
  {
    name: "platt-targets",
    type: "boolean",
    help: "Platt's smoothed targets (N+ + 1)/(N+ + 2) and 1/(N- + 2): scikit-learn's CalibratedClassifierCV(method=\"sigmoid\") fit",
  },
  { name: "max-iter", type: "number", value: "N", help: "Newton iterations at most (default 100)" },
  { name: "out", type: "string", value: "FILE", help: "write the calibration JSON there (default: stdout)" },
  { name: "state-out", type: "string", value: "FILE", help: "Platt only: also write the mergeable state (the distinct scores' weights)" },
  { name: "merge", type: "boolean", help: "Platt only: the FILEs are states written by --state-out; fit on their union" },
  ...readInputOptions,
];

const help = `xent calibrate FILE... --label COLUMN (--prob | --logit | --probs | --logits) COLUMNS [--out calibration.json]

Fits a recalibration of the predictions in FILE (held-out data, not the training set) by minimizing the
cross-entropy, and writes it as a small JSON for xent predict --calibration and xent eval --calibration.
Files are read as by xent eval (CSV, TSV, JSON Lines, gzip; --delimiter, --no-header, --format).

Binary scores: Platt scaling, p' = sigmoid(a s + b) with s the logit (logit(p) for --prob). The plain
maximum-likelihood fit by default; --platt-targets fits scikit-learn's CalibratedClassifierCV(method=
"sigmoid") (its A, B are -a, -b). The rows are kept as distinct scores with their positive and negative
weights: exact, with memory by distinct score, not by row (at most 2^24 distinct scores); --state-out and
--merge fit on several files' states. Rows with a probability of exactly 0 or 1 (an infinite logit) are
left out of the fit (they stay certain whatever a > 0, b) and counted.

Multi-class scores: temperature scaling, softmax(z / T), T > 0 (z = log p for --probs). The rows are kept
in memory (k + 2 doubles each); no mergeable state, as every row's whole logit row enters every iteration.

Both fits are exact Newton methods on convex objectives (in (a, b); in beta = 1/T for the temperature) and
stop on a gradient criterion relative to the size of its terms; the summary line (stderr) gives the
iterations and the log loss before and after. A fit that does not converge (separable data: no finite
optimum) is written anyway, with a warning.

Options:
{{options}}

Examples:
  xent calibrate heldout.csv --label y --prob p --out calibration.json
  xent predict model.json new.csv --calibration calibration.json > scored.csv
  xent eval test.csv --label y --prob p --calibration calibration.json
  xent calibrate heldout.csv --label species --logits z_ --out temperature.json
  xent calibrate part1.csv --label y --logit s --state-out s1.json    # then: xent calibrate --merge s1.json s2.json
`;

/** The state `--state-out` writes (Platt only). */
interface CalibrateState {
  format: "xent-calibrate-state";
  version: 1;
  rows: number;
  counts: unknown;
}

/** Growable columns of the multi-class rows: class ids, k logits each, weights. */
class RowStore {
  labels = new Float64Array(1024);
  logits: Float64Array;
  weights = new Float64Array(1024);
  n = 0;
  constructor(readonly k: number) {
    this.logits = new Float64Array(1024 * k);
  }
  push(label: number, z: Float64Array, w: number, probability: boolean): void {
    if (this.n === this.labels.length) {
      const grow = (a: Float64Array, m: number) => {
        const b = new Float64Array(m);
        b.set(a);
        return b;
      };
      this.labels = grow(this.labels, 2 * this.n);
      this.weights = grow(this.weights, 2 * this.n);
      this.logits = grow(this.logits, 2 * this.n * this.k);
    }
    this.labels[this.n] = label;
    this.weights[this.n] = w;
    const o = this.n * this.k;
    for (let j = 0; j < this.k; j++) this.logits[o + j] = probability ? Math.log(z[j]!) : z[j]!;
    this.n++;
  }
}

export const calibrateCommand: Command = {
  name: "calibrate",
  summary: "fit Platt or temperature scaling to held-out predictions (JSON for predict/eval --calibration)",
  options: calibrateOptions,
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals: files } = parseArgs("calibrate", argv, calibrateOptions);
    const usage = (m: string) => new UsageError("calibrate", m);
    if (files.length === 0) throw usage(o.merge === true ? "no state files to merge" : 'no input file (give a path, or "-" for stdin)');
    const maxIter = (o["max-iter"] as number | undefined) ?? 100;
    if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw usage(`--max-iter ${maxIter} is not an integer >= 0`);
    const plattTargets = o["platt-targets"] === true;
    let counts: PlattScoreCounts;
    let rows: number;
    let scale: ScoreScale = "logit";
    if (o.merge === true) {
      if (o.method !== undefined && o.method !== "platt") throw usage("--merge is for Platt scaling (a temperature fit has no mergeable state)");
      ({ counts, rows } = mergeStates(files));
    } else {
      if (typeof o.label !== "string") throw usage("--label COLUMN is required");
      const given = ["prob", "logit", "probs", "logits"].filter((k) => o[k] !== undefined);
      if (given.length !== 1) throw usage("give exactly one of --prob, --logit (binary), --probs, --logits (multi-class)");
      const multiclass = o.probs !== undefined || o.logits !== undefined;
      const method = (o.method as string | undefined) ?? (multiclass ? "temperature" : "platt");
      if (method !== "platt" && method !== "temperature") throw usage(`--method ${JSON.stringify(method)} is not platt or temperature`);
      if (multiclass !== (method === "temperature")) {
        throw usage(
          method === "platt"
            ? "--method platt is for binary scores (--prob, --logit); multi-class scores take --method temperature"
            : "--method temperature is for multi-class scores (--probs, --logits); binary scores take --method platt",
        );
      }
      const format = o.format as string | undefined;
      if (format !== undefined && !["csv", "tsv", "jsonl"].includes(format))
        throw usage(`--format ${JSON.stringify(format)} is not csv, tsv or jsonl`);
      const labels = (o.labels as string | undefined) ?? "auto";
      if (!["01", "pm1", "auto"].includes(labels)) throw usage(`--labels ${JSON.stringify(labels)} is not 01, pm1 or auto`);
      if (multiclass && labels !== "auto") throw usage("--labels is for binary labels");
      if (!multiclass && o["class-ids"] === true) throw usage("--class-ids is for multi-class labels (--probs or --logits)");
      if (multiclass && (o["state-out"] !== undefined || plattTargets))
        throw usage(`${plattTargets ? "--platt-targets" : "--state-out"} is for Platt scaling of binary scores`);
      if (files.filter((f) => f === "-").length > 1) throw usage('stdin ("-") can be read only once');
      scale = o.prob !== undefined || o.probs !== undefined ? "probability" : "logit";
      const weight = (o.weight as string | undefined) ?? null;
      const readOptions = {
        format: format as TableFormat | undefined,
        delimiter: o.delimiter as string | undefined,
        noHeader: o["no-header"] === true,
        noProgress: o["no-progress"] === true,
      };
      if (multiclass) {
        const h = new MulticlassRows(
          { label: o.label, scores: (o.probs ?? o.logits) as string, weight, by: null },
          scale,
          false,
          o["class-ids"] === true,
        );
        await readInputFiles("calibrate", files, readOptions, io, h, () => h.rows);
        return await fitTemperature(h.store!, scale, maxIter, o.out as string | undefined, io);
      }
      const c = new PlattScoreCounts();
      const probability = scale === "probability";
      // The row handler of xent eval, its rows collected here (it calls only these methods of its run).
      const sink = { push: (y: number, s: number, w: number) => c.add(y, probability ? logit(s) : s, w), skip() {}, infinite() {} };
      const h = new BinaryHandler(
        sink as unknown as EvalRun,
        { label: o.label, score: (o.prob ?? o.logit) as string, weight, by: null },
        scale,
        labels !== "auto",
        labels === "auto" ? null : (labels as "01" | "pm1"),
        false,
      );
      await readInputFiles("calibrate", files, readOptions, io, h, () => h.rows);
      counts = c;
      rows = h.rows;
    }
    if (typeof o["state-out"] === "string") {
      const state: CalibrateState = { format: "xent-calibrate-state", version: 1, rows, counts: counts.toJSON() };
      write(o["state-out"], JSON.stringify(state) + "\n", "state");
    }
    return await fitPlatt(counts, rows, plattTargets, maxIter, o.out as string | undefined, io);
  },
};

/** The multi-class row handler of xent eval, its rows collected into a RowStore instead of evaluated. */
class MulticlassRows extends MulticlassHandler {
  store: RowStore | null = null;
  override header(cols: ColumnResolver): void {
    const first = this.run === null;
    super.header(cols);
    if (first) {
      const k = this.run!.what.kind === "multiclass" ? this.run!.what.classes : 2;
      const store = new RowStore(k);
      const probability = this.run!.what.scale === "probability";
      this.store = store;
      const sink = { pushRow: (y: number, z: Float64Array, w: number) => store.push(y, z, w, probability), skip() {}, infinite() {} };
      this.run = sink as unknown as EvalRun;
    }
  }
}

async function fitPlatt(
  counts: PlattScoreCounts,
  rows: number,
  plattTargets: boolean,
  maxIter: number,
  out: string | undefined,
  io: CliIO,
): Promise<number> {
  const data = counts.data();
  let weight = 0;
  for (let i = 0; i < data.scores.length; i++) weight += data.positive[i]! + data.negative[i]!;
  const fit = fitPlattScaling(data, { plattTargets, maxIter });
  // The log loss (plain labels, per unit weight, finite scores) before and after.
  const logLoss = (a: number, b: number) => {
    const z = data.scores.map((s) => a * s + b);
    const ones = new Float64Array(z.length).fill(1);
    const zeros = new Float64Array(z.length);
    return (
      (binaryCrossEntropyWithLogits(ones, z, { reduction: "sum", weights: data.positive }) +
        binaryCrossEntropyWithLogits(zeros, z, { reduction: "sum", weights: data.negative })) /
      weight
    );
  };
  const inf = counts.infinite;
  const infiniteRows = inf.negative[0] + inf.negative[1] + inf.positive[0] + inf.positive[1];
  const before = logLoss(1, 0);
  const after = logLoss(fit.a, fit.b);
  const c: Calibration = {
    type: "xent.Calibration",
    version: 1,
    method: "platt",
    a: fit.a,
    b: fit.b,
    plattTargets,
    fit: {
      rows,
      distinctScores: data.scores.length,
      weight,
      infiniteScoreWeight: infiniteRows,
      iterations: fit.iterations,
      converged: fit.converged,
      gradient: fit.gradient,
      objective: fit.loss,
      logLossBefore: before,
      logLossAfter: after,
    },
  };
  await finish(
    c,
    out,
    io,
    `Platt scaling: a = ${fit.a}, b = ${fit.b} (scikit-learn's A = ${-fit.a}, B = ${-fit.b}); log loss ${before} -> ${after}; ${fit.iterations} Newton iterations`,
    fit.converged,
    infiniteRows > 0 ? `${infiniteRows} (weight) of rows with an infinite logit (probability 0 or 1) left out of the fit` : null,
  );
  return 0;
}

async function fitTemperature(store: RowStore, scale: ScoreScale, maxIter: number, out: string | undefined, io: CliIO): Promise<number> {
  const k = store.k;
  const labels = store.labels.subarray(0, store.n);
  const logits = store.logits.subarray(0, store.n * k);
  const weights = store.weights.subarray(0, store.n);
  for (let i = 0; i < store.n; i++) {
    if (logits[i * k + labels[i]!] === -Infinity) {
      throw new RangeError(
        `row ${i + 1} has ${scale === "probability" ? "probability 0" : "logit -Infinity"} for its label: its loss is infinite at every temperature (remove it or clip the probabilities)`,
      );
    }
  }
  const fit = fitTemperatureScaling(labels, logits, { classes: k, weights, maxIter });
  let weight = 0;
  for (const w of weights) weight += w;
  const nll = (T: number) =>
    categoricalCrossEntropyWithLogits(
      labels,
      logits.map((z) => (z === -Infinity ? z : T === Infinity ? 0 : z / T)),
      { classes: k, reduction: "sum", weights },
    ) / weight;
  const before = nll(1);
  const after = fit.loss / weight;
  const c: Calibration = {
    type: "xent.Calibration",
    version: 1,
    method: "temperature",
    temperature: fit.temperature,
    classes: k,
    fit: {
      rows: store.n,
      weight,
      iterations: fit.iterations,
      converged: fit.converged,
      derivative: fit.derivative,
      objective: fit.loss,
      logLossBefore: before,
      logLossAfter: after,
    },
  };
  await finish(
    c,
    out,
    io,
    `temperature scaling: T = ${fit.temperature}; log loss ${before} -> ${after}; ${fit.iterations} iterations`,
    fit.converged,
    fit.temperature === Infinity ? "the scores are no better than uniform: T = Infinity (every row calibrated to 1/k)" : null,
  );
  return 0;
}

async function finish(c: Calibration, out: string | undefined, io: CliIO, summary: string, converged: boolean, note: string | null): Promise<void> {
  const text = calibrationToJSON(c);
  if (out !== undefined) write(out, text, "calibration");
  io.stderr.write(`xent calibrate: ${summary}\n`);
  if (note !== null) io.stderr.write(`xent calibrate: note: ${note}\n`);
  if (!converged)
    io.stderr.write(
      "xent calibrate: warning: the fit did not converge (--max-iter reached; separable data have no finite optimum): the calibration is written as it stands\n",
    );
  if (out === undefined) await writeOut(io.stdout, text);
}

function write(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new InputError(path, 0, 0, "unwritable", `cannot write the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, false);
  }
}

function mergeStates(files: string[]): { counts: PlattScoreCounts; rows: number } {
  const counts = new PlattScoreCounts();
  let rows = 0;
  for (const file of files) {
    const bad = (detail: string) => new InputError(file, 0, 0, "invalid state", detail, false);
    const s = readJsonFile(file, "a state file") as Partial<CalibrateState> | null;
    if (s === null || typeof s !== "object" || s.format !== "xent-calibrate-state")
      throw bad('not a calibration state (no "format": "xent-calibrate-state"; write one with xent calibrate --state-out)');
    if (s.version !== 1) throw bad(`state version ${JSON.stringify(s.version)} is not supported (expected 1)`);
    if (!Number.isSafeInteger(s.rows) || s.rows! < 0) throw bad("rows is not a count");
    try {
      counts.merge(PlattScoreCounts.fromJSON(s.counts));
    } catch (e) {
      throw bad((e as Error).message);
    }
    rows += s.rows!;
  }
  return { counts, rows };
}
