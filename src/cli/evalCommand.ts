import { writeFileSync } from "node:fs";
import { type Calibration, type ScoreScale } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type TableHandler } from "../io/tableReader.js";
import { type OptionSpec, type OptionValues, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { reportJson, reportText } from "./evalOutput.js";
import { BinaryHandler } from "./binaryRows.js";
import { calibratedSink, describeCalibration, loadCalibration } from "./calibrationFile.js";
import { type CiOptions, EvalRun } from "./evalRun.js";
import { DEFAULT_PIECE_BYTES, type PieceOptions, readInPieces } from "./evalPieces.js";
import { type DelimitedStream } from "../io/tableReader.js";
import { MulticlassHandler } from "./multiclassRows.js";
import { columnarHelp, parseFormatOption, readInputFiles, readInputOptions } from "./readInputFiles.js";
import { UsageError } from "./usageError.js";

export const evalOptions: OptionSpec[] = [
  { name: "label", type: "string", value: "COLUMN", help: "the label column (required): 0/1 or -1/+1; multi-class: class names (below)" },
  { name: "prob", type: "string", value: "COLUMN", help: "the column of probabilities of y = 1, in [0, 1]" },
  { name: "logit", type: "string", value: "COLUMN", help: "the column of logits s, p = sigmoid(s) (instead of --prob)" },
  {
    name: "probs",
    type: "string",
    value: "COLS|PREFIX",
    help: "multi-class: probability columns p0,p1,p2 (or all columns starting with PREFIX); labels are class names (below)",
  },
  { name: "logits", type: "string", value: "COLS|PREFIX", help: "multi-class: logit columns instead (p = softmax of the row)" },
  { name: "class-ids", type: "boolean", help: "multi-class: labels are positions 0..k-1 in the column order, not class names" },
  { name: "weight", type: "string", value: "COLUMN", help: "a column of sample weights (finite, >= 0)" },
  { name: "labels", type: "string", value: "01|pm1|auto", help: "label convention; auto (default) accepts either, not both" },
  {
    name: "pos-label",
    type: "string",
    value: "NAME",
    help: "binary labels are text (yes/no, True/False, class names): NAME is 1, the one other value 0",
  },
  {
    name: "threshold",
    type: "string",
    value: "T",
    help: "binary: scores above T are predicted 1, for the confusion matrix, precision, recall and F1 (default 0.5, logits 0)",
  },
  { name: "bins", type: "string", value: "B", help: "binary: equal-width probability bins of the ECE/MCE/RMS calibration errors (default 15)" },
  { name: "by", type: "string", value: "COLUMN", help: "the same figures per value of this column, and in total" },
  {
    name: "clip",
    type: "string",
    value: "EPS|auto",
    help: "log loss of probabilities clipped to [EPS, 1 - EPS], as scikit-learn/Kaggle (auto: 2^-52, scikit-learn >= 1.2's default)",
  },
  {
    name: "ci",
    type: "string",
    value: "LEVEL",
    help: "bootstrap confidence intervals at LEVEL (e.g. 0.95) of the log loss, Brier score, accuracy and more (below)",
  },
  { name: "bootstrap", type: "string", value: "N", help: "--ci: the number of bootstrap replicates (default 200)" },
  { name: "seed", type: "string", value: "S", help: "--ci: the seed of the resampling, an integer in [0, 4294967295] (default 0)" },
  { name: "json", type: "boolean", help: "print JSON (exact doubles) instead of a table" },
  { name: "state-out", type: "string", value: "FILE", help: "also write the mergeable state (for xent merge)" },
  {
    name: "calibration",
    type: "string",
    value: "FILE",
    help: "evaluate the scores recalibrated by FILE (from xent calibrate): the figures are the calibrated ones",
  },
  {
    name: "threads",
    type: "string",
    value: "N|auto",
    help: "binary CSV/TSV: read the input's pieces on N threads in all (1: no worker thread; auto, the default: the cores, at most 8, from a file's second piece on); the figures are the same bits whatever N",
  },
  {
    name: "piece-bytes",
    type: "string",
    value: "BYTES",
    help: "binary CSV/TSV: the size of the pieces the input is cut into (default 16777216; each held in memory while read); sums are merged piece by piece, so their last bits depend on it",
  },
  { name: "skip-invalid", type: "boolean", help: "skip invalid rows, counting them by reason, instead of failing (an unclosed quote always stops)" },
  ...readInputOptions,
];

export const evalHelp = `xent eval FILE... --label COLUMN (--prob | --logit | --probs | --logits) COLUMNS [options]

Log loss (binary cross-entropy), rows, total weight, accuracy at p = 0.5, Brier score and ROC AUC of a
file of predictions; for multi-class files (--probs or --logits), the categorical cross-entropy, accuracy
of the argmax, the multi-class Brier score, one-vs-rest ROC AUC (macro and weighted) and a per-class
report (support, precision, recall, F1, AUC) (probability rows must sum to 1 within 0.01). CSV, TSV or
JSON Lines, optionally gzip-compressed, Parquet or Arrow IPC; "-" reads stdin. Several files are
evaluated as one (each with its own header). Memory stays bounded whatever the file size; sums are
compensated, so the figures are within a few ulps of exact arithmetic. A binary CSV/TSV input is read in
pieces of 16 MiB on all cores (--threads), with the same bits whatever the number of threads.

Binary figures beyond those: average precision (PR-AUC, exact; with a ± bound past 65536 distinct
scores, as the AUC), base rate, normalized entropy (log loss / entropy of the base rate), the weighted
confusion matrix with precision, recall and F1 at --threshold, the calibration ratio (sum p / sum y), ECE,
MCE and RMS calibration error over --bins equal-width bins (and equal-mass bins while the scores are
kept exactly), and two decompositions: Brier = REL - RES + UNC
(Murphy) and log loss = MCB - DSC + UNC (CORP: isotonic recalibration), over the distinct scores (marked
"(bins)" when over histogram bins past 65536 distinct scores). Text labels: --pos-label NAME.

Infinite losses: a probability of 0 or 1 (or an infinite logit) on the wrong side of the label makes the
log loss Infinity, never a clipped number: the rows are counted and the first five shown as file:line.
With --clip EPS the log loss is instead that of the probabilities clipped to [EPS, 1 - EPS] (the Brier
score, accuracy and AUC stay those of the probabilities as given), and the clipped rows are counted.
In --json, an infinite log loss is null with "logLossInfinite": true (JSON numbers have no Infinity).

Confidence intervals (--ci 0.95): the Poisson bootstrap, seeded (--seed) and mergeable: each row gets a
Poisson(1) weight per replicate (--bootstrap, default 200) drawn from a hash of the seed, the replicate and
the row's identity (its file name as given and its line; Parquet/Arrow: row number), so the same rows give
the same intervals whether read in one run or as whole files in shards (--state-out, xent merge). Percentile
intervals (linear interpolation between order statistics) of the log loss, Brier score, accuracy and,
binary, base rate, normalized entropy and calibration ratio, with each figure's bootstrap standard error.

${columnarHelp}

Multi-class labels: each class column is named PREFIX + CLASS (with --probs PREFIX, that prefix; with a
list, the longest prefix common to the listed names that does not split a word or a number: p0,p1,p2 ->
classes 0, 1, 2; p_setosa,p_versicolor -> setosa, versicolor; cat,dog -> cat, dog). A label is matched
against the class names as text, always, numbers included (label 1 is the column p_1 wherever it stands).
With --class-ids, labels are instead positions 0..k-1 in the column order (header order for a prefix).
The two are never mixed: a label that is not a class name is bad input.

Options:
{{options}}

Exit codes: 0 success, 1 bad input data (the message gives file:line:column and the offending text;
nothing is printed on stdout), 2 bad usage (an unknown option, a missing argument, an option value that
is not valid).

Examples:
  xent eval preds.csv --label y --prob p
  xent eval preds.tsv.gz --label y --logit score --by country --json
  xent eval preds.parquet --label y --prob p    # Parquet (or Arrow IPC): detected from the bytes
  cat preds.csv.gz | xent eval - --label y --prob p    # stdin; gzip is detected from the bytes
  xent eval part-1.csv --label y --prob p --state-out s1.json    # then: xent merge s1.json s2.json ...
  xent eval preds.csv --label churned --prob p --pos-label yes    # labels yes/no
  xent eval preds.csv --label y --prob p --clip 1e-15    # the figure of scikit-learn < 1.2 and Kaggle
  xent eval preds.csv --label y --prob p --ci 0.95 --seed 7    # 95% bootstrap intervals
  xent predict model.json iris.csv | xent eval - --label species --probs p_    # columns p_setosa, ...
`;

export const evalCommand: Command = {
  name: "eval",
  summary: "log loss, accuracy, Brier score and ROC AUC of a predictions file",
  options: evalOptions,
  help: evalHelp,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals: files } = parseArgs("eval", argv, evalOptions);
    const { run, calibrationPath, calibration } = await evaluateFiles("eval", o, files, io);
    const report = run.report();
    if (typeof o["state-out"] === "string") writeState(o["state-out"], run.state());
    let text = o.json === true ? reportJson(report) : reportText(report);
    if (calibration !== null) {
      // Say so in the output: a line above the table; in JSON, a "recalibration" field (not "calibration":
      // that key holds the ECE/MCE/RMS figures of the calibrated scores).
      const line = describeCalibration(calibrationPath!, calibration);
      text =
        o.json === true
          ? JSON.stringify({ ...(JSON.parse(text) as object), recalibration: { file: calibrationPath, description: line } }, null, 2) + "\n"
          : `${line}\n${text}`;
    }
    await writeOut(io.stdout, text);
    return 0;
  },
};

/**
 * Reads the prediction files of `xent eval` (and of `xent plot`/`xent report`, which take the same options)
 * into an `EvalRun`: the options checked, the binary or multi-class handler built, every file read.
 */
export async function evaluateFiles(
  command: string,
  o: OptionValues,
  files: string[],
  io: CliIO,
): Promise<{ run: EvalRun; calibrationPath: string | undefined; calibration: Calibration | null }> {
  const usage = (m: string) => new UsageError(command, m);
  if (files.length === 0) throw usage('no input file (give a path, or "-" for stdin)');
  if (typeof o.label !== "string") throw usage("--label COLUMN is required");
  const given = ["prob", "logit", "probs", "logits"].filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw usage("give exactly one of --prob, --logit (binary), --probs, --logits (multi-class)");
  const format = parseFormatOption(command, o.format);
  const labels = (o.labels as string | undefined) ?? "auto";
  if (!["01", "pm1", "auto"].includes(labels)) throw usage(`--labels ${JSON.stringify(labels)} is not 01, pm1 or auto`);
  if (files.filter((f) => f === "-").length > 1) throw usage('stdin ("-") can be read only once');
  const scale: ScoreScale = o.prob !== undefined || o.probs !== undefined ? "probability" : "logit";
  const multiclass = o.probs !== undefined || o.logits !== undefined;
  if (multiclass && labels !== "auto") throw usage("--labels is for binary labels; multi-class labels are class names (or positions, --class-ids)");
  if (!multiclass && o["class-ids"] === true) throw usage("--class-ids is for multi-class labels (--probs or --logits)");
  const posLabel = (o["pos-label"] as string | undefined) ?? null;
  if (posLabel !== null && multiclass) throw usage("--pos-label is for binary labels; multi-class labels are class names already");
  if (posLabel !== null && labels !== "auto") throw usage("give --pos-label (text labels) or --labels (numeric labels), not both");
  if (multiclass && (o.threshold !== undefined || o.bins !== undefined))
    throw usage("--threshold and --bins are for binary scores (--prob, --logit)");
  const clip = parseClip(command, o.clip as string | undefined, scale);
  const ci = parseCi(o.ci as string | undefined, o.bootstrap as string | undefined, o.seed as string | undefined, command);
  // --calibration: the handlers check the scores as given; the run sees the calibrated logits.
  const calibrationPath = o.calibration as string | undefined;
  const calibration = calibrationPath === undefined ? null : loadCalibration(calibrationPath);
  if (calibration !== null) {
    if (clip !== null) throw usage("--clip is for probabilities as given; with --calibration the scores are calibrated logits");
    if ((calibration.method === "platt") === multiclass)
      throw usage(
        `--calibration ${calibrationPath} is ${calibration.method === "platt" ? "Platt scaling, for binary scores (--prob, --logit)" : "temperature scaling, for multi-class scores (--probs, --logits)"}`,
      );
  }
  const by = (o.by as string | undefined) ?? null;
  const weight = (o.weight as string | undefined) ?? null;
  const pieceOptions = parsePieceOptions(command, o.threads as string | undefined, o["piece-bytes"] as string | undefined);
  let pieces: ((stream: DelimitedStream) => Promise<void>) | undefined;
  let handler: BinaryHandler | MulticlassHandler;
  let runOf: () => EvalRun;
  let table: TableHandler;
  if (multiclass) {
    const h = new MulticlassHandler(
      { label: o.label, scores: (o.probs ?? o.logits) as string, weight, by },
      scale,
      o["skip-invalid"] === true,
      o["class-ids"] === true,
      clip,
      ci,
    );
    let calibrated: EvalRun | null = null;
    if (calibration !== null) {
      const header = h.header.bind(h);
      h.header = (cols) => {
        const first = h.run === null;
        header(cols);
        if (first) {
          calibrated = new EvalRun({ ...h.run!.what, scale: "logit" }, by, weight !== null, null, ci);
          h.run = calibratedSink(calibrated, calibration, scale);
        }
      };
    }
    handler = h;
    runOf = () => calibrated ?? h.run!;
    table = h;
  } else {
    const metricOptions = parseThresholdAndBins(command, o.threshold as string | undefined, o.bins as string | undefined, scale);
    // With --calibration the run sees calibrated logits: a probability threshold becomes its logit.
    if (calibration !== null && scale === "probability" && metricOptions.threshold !== undefined) {
      metricOptions.threshold = Math.log(metricOptions.threshold) - Math.log1p(-metricOptions.threshold);
    }
    const run = new EvalRun({ kind: "binary", scale: calibration === null ? scale : "logit", ...metricOptions }, by, weight !== null, clip, ci);
    const h = new BinaryHandler(
      calibration === null ? run : calibratedSink(run, calibration, scale),
      { label: o.label, score: (o.prob ?? o.logit) as string, weight, by },
      scale,
      labels !== "auto",
      labels === "auto" ? null : (labels as "01" | "pm1"),
      o["skip-invalid"] === true,
      posLabel,
    );
    handler = h;
    runOf = () => run;
    table = h;
    // A binary CSV/TSV table is read in pieces, on worker threads (evalPieces.ts); with --calibration or --ci
    // (whose resampling keys rows by file:line, which a piece does not know), on one thread as a whole.
    if (calibration === null && ci === null) {
      const base = {
        what: run.what,
        by,
        weighted: weight !== null,
        clip,
        columns: { label: o.label, score: (o.prob ?? o.logit) as string, weight, by },
        scale,
        fixedConvention: labels !== "auto",
        convention: labels === "auto" ? null : (labels as "01" | "pm1"),
        skipInvalid: o["skip-invalid"] === true,
        posLabel,
      };
      pieces = (stream) => readInPieces(stream, base, pieceOptions, run, h);
    }
  }
  if (pieces === undefined && (o.threads !== undefined || o["piece-bytes"] !== undefined))
    throw usage("--threads and --piece-bytes are for binary scores (--prob, --logit) without --calibration or --ci");
  const readOptions = {
    format,
    delimiter: o.delimiter as string | undefined,
    noHeader: o["no-header"] === true,
    noProgress: o["no-progress"] === true,
    ...(pieces === undefined ? {} : { delimitedPieces: pieces }),
  };
  await readInputFiles(command, files, readOptions, io, table, () => handler.rows);
  const run = runOf();
  run.files.push(...files.map((path) => (path === "-" ? "<stdin>" : path)));
  return { run, calibrationPath, calibration };
}

/**
 * `--clip EPS|auto`: eps in (0, 0.5), "auto" being 2^-52 (numpy's float64 eps, scikit-learn's default since
 * 1.2: "auto" in 1.2 to 1.4, always from 1.5; 1e-15 before 1.2); only for probabilities.
 */
function parseClip(command: string, value: string | undefined, scale: ScoreScale): number | null {
  if (value === undefined) return null;
  if (scale !== "probability") {
    throw new UsageError(command, "--clip is for probabilities (--prob, --probs): a logit's loss is finite unless the logit is infinite");
  }
  const eps = value.trim() === "auto" ? Number.EPSILON : value.trim() === "" ? NaN : Number(value);
  if (!(eps > 0 && eps < 0.5)) throw new UsageError(command, `--clip ${JSON.stringify(value)} is not a number in (0, 0.5) or auto`);
  return eps;
}

/**
 * `--ci LEVEL` (a number in (0, 1), e.g. 0.95), `--bootstrap N` (replicates, an integer in [10, 100000]) and
 * `--seed S` (an integer in [0, 2^32 - 1]); the last two only with `--ci`.
 */
export function parseCi(level: string | undefined, replicates: string | undefined, seed: string | undefined, command = "eval"): CiOptions | null {
  if (level === undefined) {
    if (replicates !== undefined || seed !== undefined)
      throw new UsageError(command, "--bootstrap and --seed are for confidence intervals: give --ci LEVEL too (e.g. --ci 0.95)");
    return null;
  }
  const l = level.trim() === "" ? NaN : Number(level);
  if (!(l > 0 && l < 1)) {
    const hint = l >= 50 && l < 100 ? ` (for ${l}%, give --ci ${l / 100})` : "";
    throw new UsageError(command, `--ci ${JSON.stringify(level)} is not a confidence level in (0, 1), e.g. 0.95${hint}`);
  }
  const r = replicates === undefined ? 200 : replicates.trim() === "" ? NaN : Number(replicates);
  if (!(Number.isInteger(r) && r >= 10 && r <= 100000))
    throw new UsageError(command, `--bootstrap ${JSON.stringify(replicates)} is not an integer number of replicates in [10, 100000]`);
  const s = seed === undefined ? 0 : seed.trim() === "" ? NaN : Number(seed);
  if (!(Number.isInteger(s) && s >= 0 && s <= 0xffffffff))
    throw new UsageError(command, `--seed ${JSON.stringify(seed)} is not an integer in [0, 4294967295]`);
  return { level: l, replicates: r, seed: s };
}

/** `--threads N|auto` (an integer in [1, 64]) and `--piece-bytes BYTES` (an integer in [1, 2^30]). */
function parsePieceOptions(command: string, threads: string | undefined, bytes: string | undefined): PieceOptions {
  let t: number | "auto" = "auto";
  if (threads !== undefined && threads.trim() !== "auto") {
    t = Number(threads);
    if (!(threads.trim() !== "" && Number.isInteger(t) && t >= 1 && t <= 64))
      throw new UsageError(command, `--threads ${JSON.stringify(threads)} is not an integer in [1, 64] or auto`);
  }
  let size = DEFAULT_PIECE_BYTES;
  if (bytes !== undefined) {
    size = Number(bytes);
    if (!(bytes.trim() !== "" && Number.isInteger(size) && size >= 1 && size <= 2 ** 30))
      throw new UsageError(command, `--piece-bytes ${JSON.stringify(bytes)} is not an integer in [1, 1073741824]`);
  }
  return { threads: t, pieceBytes: size };
}

/** `--threshold T` (a probability in [0, 1], or any finite logit) and `--bins B` (an integer in [1, 10000]). */
function parseThresholdAndBins(
  command: string,
  threshold: string | undefined,
  bins: string | undefined,
  scale: ScoreScale,
): { threshold?: number; bins?: number } {
  const out: { threshold?: number; bins?: number } = {};
  if (threshold !== undefined) {
    const t = threshold.trim() === "" ? NaN : Number(threshold);
    const ok = scale === "probability" ? t >= 0 && t <= 1 : Number.isFinite(t);
    if (!ok)
      throw new UsageError(
        command,
        `--threshold ${JSON.stringify(threshold)} is not ${scale === "probability" ? "a probability in [0, 1]" : "a finite logit"}`,
      );
    out.threshold = t;
  }
  if (bins !== undefined) {
    const b = Number(bins);
    if (!(Number.isInteger(b) && b >= 1 && b <= 10000))
      throw new UsageError(command, `--bins ${JSON.stringify(bins)} is not an integer in [1, 10000]`);
    out.bins = b;
  }
  return out;
}

export function writeState(path: string, state: unknown): void {
  try {
    writeFileSync(path, JSON.stringify(state) + "\n");
  } catch (e) {
    throw new InputError(path, 0, 0, "unwritable", `cannot write the state (${(e as NodeJS.ErrnoException).code ?? String(e)})`, false);
  }
}
