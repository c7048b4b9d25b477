import { BinaryEvaluation, LogisticRegression, MulticlassEvaluation, StandardScaler } from "../index.js";
import { InputError, quoteText } from "../io/inputError.js";
import { parsed } from "../io/parseNumber.js";
import { type ColumnResolver, type RowView } from "../io/tableReader.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { trainingSummaryText } from "./format.js";
import { type ModelFile, writeModelFile } from "./modelFile.js";
import { columnarHelp, parseFormatOption, readInputFiles, readInputOptions } from "./readInputFiles.js";
import { parseClassWeight } from "./classWeightOption.js";
import { trainLibsvm } from "./libsvmCommands.js";
import { ONLINE_ONLY, onlineOptions, runOnlineTrain } from "./onlineTrain.js";
import { UsageError } from "./usageError.js";
import { availableParallelism } from "node:os";
import { startFitThreads, stopFitThreads } from "../parallel/denseFitThreads.js";

/** `--threads auto` runs worker threads for fits of at least this many values of X (n d): their start pays there. */
const AUTO_THREADS_VALUES = 2 ** 23;

const trainOptions: OptionSpec[] = [
  { name: "label", type: "string", value: "COLUMN", help: "the label column: any values (numbers or text), 2 or more classes (required)" },
  { name: "features", type: "string", value: "A,B,C", help: "the feature columns (default: every column but the label and weight)" },
  { name: "weight", type: "string", value: "COLUMN", help: "a column of sample weights (finite, >= 0)" },
  { name: "C", type: "number", value: "C", help: "inverse regularization strength (default 1): objective 0.5 ||w||^2 + C sum L_i" },
  {
    name: "penalty",
    type: "string",
    value: "l2|l1|elasticnet|none",
    help: "the penalty (default l2): 0.5 ||w||^2, ||w||_1, (1 - R) / 2 ||w||^2 + R ||w||_1 with --l1-ratio R, or none; l1 and elasticnet fit by OWL-QN (exact zeros)",
  },
  { name: "l1-ratio", type: "number", value: "R", help: "the elastic-net mixing R in [0, 1] (required with --penalty elasticnet, only then)" },
  {
    name: "class-weight",
    type: "string",
    value: "balanced|JSON",
    help: 'weights per class multiplying the sample weights: balanced (n / (classes * count of the class)) or a JSON object, e.g. \'{"0": 1, "1": 5}\'',
  },
  { name: "solver", type: "string", value: "lbfgs|newton-cg", help: "the optimizer (default lbfgs)" },
  {
    name: "max-iter",
    type: "number",
    value: "N",
    help: "the most iterations (default 1000 for the exact fit, 100 with --tol); a fit stopped there is written, with a warning on stderr",
  },
  {
    name: "tol",
    type: "number",
    value: "TOL",
    help: "stop at scikit-learn 1.2's lbfgs tolerance instead of the optimum (default: the exact optimum, see the README)",
  },
  { name: "multinomial", type: "boolean", help: "the softmax (multinomial) model; used for 3 or more classes in any case" },
  { name: "no-standardize", type: "boolean", help: "fit on the raw features (default: standardized to mean 0, sd 1)" },
  { name: "out", type: "string", value: "FILE", help: "where to write the model (JSON; required)" },
  { name: "json", type: "boolean", help: "print the summary as JSON" },
  ...readInputOptions,
  { name: "no-intercept", type: "boolean", help: "fit no intercept (liblinear's -s 0 without -B)" },
  {
    name: "threads",
    type: "string",
    value: "N|auto",
    help: "a binary fit's passes over X on N threads in all (1: no worker thread; auto, the default: the cores, at most 4, when X has at least 2^23 values); the model is the same bits whatever N",
  },
  { name: "index-base", type: "number", value: "0|1", help: "--format libsvm: the files' first feature index (default 1, as liblinear)" },
  ...onlineOptions,
];

/** The training table in memory: features row-major, labels as text, optional weights. */
class TrainingData {
  features: string[] = [];
  x = new Float64Array(1024);
  labels: string[] = [];
  weights: number[] | null = null;
  rows = 0;
  private cols: number[] = [];
  private label = 0;
  private weight = -1;

  constructor(
    private readonly labelName: string,
    private readonly featureNames: string[] | null,
    private readonly weightName: string | null,
  ) {
    if (weightName !== null) this.weights = [];
  }

  header(c: ColumnResolver): void {
    this.label = c.index(this.labelName);
    this.weight = this.weightName === null ? -1 : c.index(this.weightName);
    let names = this.featureNames;
    if (names === null) {
      if (c.names === null) {
        throw new InputError(c.file, 1, 1, "missing column", "JSON Lines has no header: name the feature columns with --features", false);
      }
      names = c.names.filter((n) => n !== this.labelName && n !== this.weightName);
      if (names.length === 0) throw new InputError(c.file, 1, 1, "missing column", "no feature column besides the label", false);
    }
    if (this.features.length > 0 && names.join("\u0000") !== this.features.join("\u0000")) {
      throw new InputError(c.file, 1, 1, "missing column", "the files have different feature columns", false);
    }
    this.features = names;
    this.cols = names.map((n) => c.index(n));
  }

  row(v: RowView): void {
    const bad = v.malformed();
    if (bad !== null) throw bad;
    const d = this.cols.length;
    if ((this.rows + 1) * d > this.x.length) {
      const grown = new Float64Array(Math.max(2 * this.x.length, (this.rows + 1) * d));
      grown.set(this.x);
      this.x = grown;
    }
    if (v.missing(this.label)) throw v.error(this.label, "missing value", `no label in column ${quoteText(this.labelName)}`);
    for (let j = 0; j < d; j++) {
      const c = this.cols[j]!;
      if (!v.parse(c) || !Number.isFinite(parsed[0]!)) {
        const what = v.missing(c) ? "is missing" : `${quoteText(v.text(c))} is not a finite number`;
        throw v.error(c, "not a number", `feature ${quoteText(this.features[j]!)} ${what}`);
      }
      this.x[this.rows * d + j] = parsed[0]!;
    }
    if (this.weight >= 0) {
      const w = v.parse(this.weight) ? parsed[0]! : NaN;
      if (!(w >= 0 && w < Infinity)) {
        throw v.error(this.weight, "invalid weight", `weight ${quoteText(v.text(this.weight))} is not a finite number >= 0`);
      }
      this.weights!.push(w);
    }
    this.labels.push(v.text(this.label).trim());
    this.rows++;
  }
}

/**
 * The stderr warning for a fit that stopped before the gradient reached --tol, with the options that fix it.
 * The exit code stays 0, as with scikit-learn's ConvergenceWarning: the model is written and usable (often
 * close to the optimum), and `--json` says `"converged": false` for scripts that must refuse it.
 */
function convergenceWarning(model: LogisticRegression, maxIter: number, tol: number, raw: boolean): string {
  const fixes = [`raise --max-iter (e.g. --max-iter ${Math.max(10 * maxIter, 1000)})`, `loosen --tol (e.g. --tol ${tol > 0 ? tol * 10 : 1e-4})`];
  if (raw) fixes.push("standardize the features (leave out --no-standardize): unscaled features slow the fit down");
  const why =
    model.stopReason === "maxIterations"
      ? `the fit stopped at --max-iter ${maxIter} iteration${maxIter === 1 ? "" : "s"} before the gradient reached --tol ${tol}`
      : `the fit stopped after ${model.nIter} iterations, the line search finding no lower objective, before the gradient reached --tol ${tol}`;
  return `xent train: warning: ${why}: the model was written, but it is not converged (not the optimum); ${fixes.join(", or ")}\n`;
}

/** Labels as numbers when every one of them is a number (so 0/1 files give numeric classes), else as text. */
function labelValues(texts: string[]): (number | string)[] {
  const numbers = texts.map((t) => (t === "" ? NaN : Number(t)));
  return numbers.every((x) => Number.isFinite(x)) ? numbers : texts;
}

export const trainCommand: Command = {
  name: "train",
  summary: "fit a logistic regression (binary or multinomial) and save it as JSON",
  options: trainOptions,
  help: `xent train FILE... --label COLUMN [--features A,B,C] [--C 1] [--penalty l2] [--multinomial] [--no-standardize] --out model.json
xent train --online FILE... [--format vw|libsvm] [--passes N] [--bits B] [--alpha A --beta B --l1 L1 --l2 L2] --out model.json

Fits the library's LogisticRegression (scikit-learn's objective 0.5 ||w||^2 + C sum_i w_i L_i, L the
cross-entropy; two classes: the binary model, more: the multinomial softmax model), on standardized
features unless --no-standardize, prints the objective per iteration and the training-set figures, and
writes the model (with its scaler, feature names and training curve) as JSON. The table is held in memory
(rows x features doubles). Any bad value stops with exit code 1 and file:line:column (Parquet, Arrow:
file, row and column). Input: CSV, TSV, JSON Lines (gzip or not), Parquet, Arrow IPC. A fit that stops
before the gradient reaches --tol (at --max-iter, or when no step lowers the objective) still writes the
model and exits 0, with a warning on stderr naming the options to change ("converged": false in --json).

Penalties: --penalty l2 (default), l1 or elasticnet (with --l1-ratio R; both fitted by OWL-QN, exact
zeros), or none. --class-weight balanced (n / (classes * count of the class)) or a JSON object of weights
per class multiplies the sample weights (scikit-learn's class_weight).

Online (--online): FTRL-Proximal logistic regression (McMahan et al. 2013) on hashed sparse features,
streaming Vowpal Wabbit text (label [importance] [tag]|namespace feature[:value] ...) or libsvm files
(gzip or not; the format from the name, .vw, .libsvm, .svm, .svmlight, or --format), --passes times, in
memory of 2^B weights only. Each example is scored before it is learned (progressive validation); the
table of VW is printed at examples 1, 2, 4, 8, ... The model (nonzero weights) is written as JSON; xent
predict applies it to VW or libsvm files. See docs/online.md.

${columnarHelp}

--format libsvm reads libsvm / svmlight files ("label index:value ... # comment", indices from 1 increasing,
gzip or not, "-" for stdin; no --label or --features: the label is each line's first field) into a sparse
matrix and fits it on the raw features (no standardizing: it would fill in the zeros): two classes with
the L2 penalty by TRON, liblinear's trust-region Newton method (--no-intercept gives liblinear's -s 0
objective exactly); more classes (the multinomial model), --penalty l1, elasticnet or none, and
--class-weight as for tables (lbfgs / OWL-QN, then Newton polishing to the optimum).

Options:
{{options}}

Examples:
  xent train iris.csv --label species --out iris-model.json
  xent train clicks.csv.gz --label clicked --features age,visits --C 0.1 --out model.json
  xent train clicks.parquet --label clicked --out model.json
  xent train rcv1.svm.gz --format libsvm --C 1 --no-intercept --out rcv1-model.json
  xent plot iris-model.json > curve.svg
  xent train clicks.csv --label clicked --penalty elasticnet --l1-ratio 0.5 --class-weight balanced --out model.json
  xent train --online clicks.vw.gz --passes 2 --bits 20 --out online.json
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals: files } = parseArgs("train", argv, trainOptions);
    const usage = (m: string) => new UsageError("train", m);
    if (files.length === 0) throw usage('no input file (give a path, or "-" for stdin)');
    if (o.online === true) return runOnlineTrain(o, files, io);
    for (const name of ONLINE_ONLY) if (o[name] !== undefined) throw usage(`--${name} is an option of the online model: add --online`);
    if (o.format === "libsvm") return trainLibsvm(files, o, io);
    if (o["index-base"] !== undefined) throw usage("--index-base applies to --format libsvm only");
    if (typeof o.label !== "string") throw usage("--label COLUMN is required");
    if (typeof o.out !== "string") throw usage("--out FILE is required (where the model goes)");
    const format = parseFormatOption("train", o.format);
    const penalty = (o.penalty as string | undefined) ?? "l2";
    if (penalty !== "l2" && penalty !== "l1" && penalty !== "elasticnet" && penalty !== "none") {
      throw usage(`--penalty ${JSON.stringify(penalty)} is not l2, l1, elasticnet or none`);
    }
    const l1Ratio = o["l1-ratio"] as number | undefined;
    if (penalty === "elasticnet" && l1Ratio === undefined) throw usage("--penalty elasticnet needs --l1-ratio R (the L1 share, in [0, 1])");
    if (penalty !== "elasticnet" && l1Ratio !== undefined)
      throw usage(`--l1-ratio is only used with --penalty elasticnet (the penalty is ${penalty})`);
    if (l1Ratio !== undefined && !(l1Ratio >= 0 && l1Ratio <= 1)) throw usage(`--l1-ratio ${l1Ratio} is not a number in [0, 1]`);
    const solver = (o.solver as string | undefined) ?? "lbfgs";
    if (solver !== "lbfgs" && solver !== "newton-cg") throw usage(`--solver ${JSON.stringify(solver)} is not lbfgs or newton-cg`);
    if (solver === "newton-cg" && (penalty === "l1" || penalty === "elasticnet")) {
      throw usage(`--solver newton-cg takes --penalty l2 or none; --penalty ${penalty} is fitted by lbfgs (OWL-QN), the default solver`);
    }
    const classWeight = parseClassWeight(o["class-weight"] as string | undefined, usage);
    // Option values the model does not accept are bad usage (exit 2), checked before any data is read.
    const C = o.C as number | undefined;
    if (C !== undefined && !(C > 0 && C < Infinity)) throw usage(`--C ${C} is not a finite number > 0`);
    const tol = o.tol as number | undefined;
    if (tol !== undefined && !(tol >= 0 && tol < Infinity)) throw usage(`--tol ${tol} is not a finite number >= 0`);
    const maxIter = o["max-iter"] as number | undefined;
    if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter >= 0)) throw usage(`--max-iter ${maxIter} is not an integer >= 0`);
    const threadsOption = (o.threads as string | undefined)?.trim() ?? "auto";
    const threads = threadsOption === "auto" ? null : Number(threadsOption);
    if (threads !== null && !(threadsOption !== "" && Number.isInteger(threads) && threads >= 1 && threads <= 64))
      throw usage(`--threads ${JSON.stringify(o.threads)} is not an integer in [1, 64] or auto`);
    const features = typeof o.features === "string" ? o.features.split(",").map((s) => s.trim()) : null;
    const data = new TrainingData(o.label, features, (o.weight as string | undefined) ?? null);
    const readOptions = {
      format,
      delimiter: o.delimiter as string | undefined,
      noHeader: o["no-header"] === true,
      noProgress: o["no-progress"] === true,
    };
    await readInputFiles("train", files, readOptions, io, data, () => data.rows);
    if (data.rows === 0) throw new InputError(files.join(", "), 0, 0, "empty", "no rows to train on", false);
    const d = data.features.length;
    const X = { data: data.x.subarray(0, data.rows * d), nFeatures: d };
    const y = labelValues(data.labels);
    const scaler = o["no-standardize"] === true ? null : new StandardScaler().fit(X);
    const Xs = scaler === null ? X : scaler.transform(X);
    const model = new LogisticRegression({
      ...(C !== undefined ? { C } : {}),
      penalty,
      ...(l1Ratio !== undefined ? { l1Ratio } : {}),
      ...(classWeight !== undefined ? { classWeight } : {}),
      solver,
      fitIntercept: o["no-intercept"] !== true,
      ...(maxIter !== undefined ? { maxIter } : {}),
      ...(tol !== undefined ? { tol } : {}),
    });
    // A fit that does not converge says so on stderr, once, and still writes the model: with --tol, the
    // options to change; with the default exact fit, the library's message (its rule and budget).
    let libraryWarning = "";
    const onWarning = (message: string) => (libraryWarning = message);
    // Worker threads for the passes over X (xent/threads' startFitThreads; binary dense fits of 2^20 values and
    // more use them, with the same bits as one thread).
    const total = threads ?? (data.rows * d >= AUTO_THREADS_VALUES ? Math.min(4, availableParallelism()) : 1);
    if (total > 1) await startFitThreads({ threads: total - 1 });
    try {
      model.fit(Xs, y, data.weights === null ? { onWarning } : { sampleWeight: data.weights, onWarning });
    } finally {
      if (total > 1) await stopFitThreads();
    }
    const classes = model.classes;
    if (!model.converged) {
      io.stderr.write(
        tol !== undefined
          ? convergenceWarning(model, maxIter ?? 100, tol, o["no-standardize"] === true)
          : `xent train: warning: ${libraryWarning.replace("raise maxIter", "raise --max-iter")}\n`,
      );
    }
    if (o.multinomial === true && classes.length === 2) {
      io.stderr.write("xent train: note: with 2 classes the binary model is fitted (the multinomial model of 2 classes is the same model)\n");
    }
    // Training-set figures, by the library's evaluations.
    const proba = model.predictProba(Xs);
    const ids = y.map((v) => classes.indexOf(v));
    let metrics: Record<string, unknown>;
    if (classes.length === 2) {
      const p1 = Float64Array.from({ length: data.rows }, (_, i) => proba[2 * i + 1]!);
      const m = new BinaryEvaluation().add(ids, p1, data.weights ?? undefined).metrics();
      metrics = { logLoss: m.logLoss, accuracy: m.accuracy, brier: m.brier, rocAuc: m.rocAuc };
    } else {
      const m = new MulticlassEvaluation(classes.length).add(ids, proba, data.weights ?? undefined).metrics();
      metrics = { logLoss: m.logLoss, accuracy: m.accuracy, brier: m.brier };
    }
    const history = model.history;
    const file: ModelFile = {
      format: "xent-model",
      version: 1,
      label: o.label,
      features: data.features,
      scaler: scaler === null ? null : scaler.toJSON(),
      model: model.toJSON(),
      training: { rows: data.rows, objective: [...history.objective], gradientNorm: [...history.gradientNorm], metrics },
    };
    writeModelFile(o.out, file, 1);
    if (o.json === true) {
      await writeOut(
        io.stdout,
        JSON.stringify(
          {
            model: o.out,
            classes,
            features: data.features,
            rows: data.rows,
            iterations: model.nIter,
            converged: model.converged,
            stopReason: model.stopReason,
            objective: history.objective,
            training: metrics,
          },
          null,
          2,
        ) + "\n",
      );
      return 0;
    }
    const head: [string, string][] = [
      ["classes", classes.map(String).join(", ")],
      ["features", data.features.join(", ")],
      ["rows", String(data.rows)],
    ];
    const figures = classes.length === 2 ? metrics : { ...metrics, rocAuc: undefined };
    await writeOut(io.stdout, trainingSummaryText(history.objective, head, model, figures, o.out));
    return 0;
  },
};
