import { createWriteStream, rmSync } from "node:fs";
import { BinaryEvaluation, LibsvmCsrBuilder, LogisticRegression, MulticlassEvaluation } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type LibsvmRow } from "../io/libsvmParser.js";
import { readLibsvm } from "../io/libsvmReader.js";
import { type OptionValues } from "./args.js";
import { parseClassWeight } from "./classWeightOption.js";
import { type CliIO, type OutStream, writeOut } from "./cliIO.js";
import { trainingSummaryText } from "./format.js";
import { type LoadedModel, type ModelFile, writeModelFile } from "./modelFile.js";
import { UsageError } from "./usageError.js";

/**
 * `xent train --format libsvm` and `xent predict --format libsvm`: sparse libsvm / svmlight files (the format:
 * src/io/libsvmParser.ts) fitted on the raw features (standardizing would fill the zeros in): binary L2 by
 * TRON, multi-class (multinomial) and the other penalties by the library's sparse lbfgs / OWL-QN path; and
 * applied to such files. The model file is the usual one, with `features: []` and `input: "libsvm"`.
 */

/** Options of `xent train` that mean nothing for libsvm input (the label is each line's first field; no columns). */
const TABLE_ONLY = ["label", "features", "weight", "delimiter", "no-header"];

function usage(command: string, message: string): UsageError {
  return new UsageError(command, message);
}

function indexBaseOf(command: string, o: OptionValues): 0 | 1 {
  const base = o["index-base"] as number | undefined;
  if (base === undefined) return 1;
  if (base !== 0 && base !== 1) throw usage(command, `--index-base ${base} is not 0 or 1`);
  return base;
}

/** Reads libsvm files one after the other into one CSR matrix. */
async function loadAll(files: string[], io: CliIO, indexBase: 0 | 1, nFeatures?: number) {
  const builder = new LibsvmCsrBuilder();
  for (const f of files) await readLibsvm(f, builder.add, { stdin: io.stdin, indexBase });
  return builder.finish(nFeatures);
}

export async function trainLibsvm(files: string[], o: OptionValues, io: CliIO): Promise<number> {
  for (const name of TABLE_ONLY) if (o[name] !== undefined) throw usage("train", `--${name} does not apply to --format libsvm`);
  if (typeof o.out !== "string") throw usage("train", "--out FILE is required (where the model goes)");
  const penalty = (o.penalty as string | undefined) ?? "l2";
  if (penalty !== "l2" && penalty !== "l1" && penalty !== "elasticnet" && penalty !== "none") {
    throw usage("train", `--penalty ${JSON.stringify(penalty)} is not l2, l1, elasticnet or none`);
  }
  const l1Ratio = o["l1-ratio"] as number | undefined;
  if (penalty === "elasticnet" && l1Ratio === undefined) throw usage("train", "--penalty elasticnet needs --l1-ratio R (the L1 share, in [0, 1])");
  if (penalty !== "elasticnet" && l1Ratio !== undefined)
    throw usage("train", `--l1-ratio is only used with --penalty elasticnet (the penalty is ${penalty})`);
  if (l1Ratio !== undefined && !(l1Ratio >= 0 && l1Ratio <= 1)) throw usage("train", `--l1-ratio ${l1Ratio} is not a number in [0, 1]`);
  const givenSolver = o.solver as string | undefined;
  if (givenSolver !== undefined && givenSolver !== "tron" && givenSolver !== "lbfgs" && givenSolver !== "newton-cg") {
    throw usage("train", `--solver ${JSON.stringify(givenSolver)} is not tron, lbfgs or newton-cg`);
  }
  if (givenSolver === "tron" && penalty !== "l2") {
    throw usage("train", `--solver tron fits the L2 penalty only (liblinear's -s 0); --penalty ${penalty} is fitted by lbfgs (OWL-QN), the default`);
  }
  if (givenSolver === "newton-cg" && (penalty === "l1" || penalty === "elasticnet")) {
    throw usage("train", `--solver newton-cg takes --penalty l2 or none; --penalty ${penalty} is fitted by lbfgs (OWL-QN), the default solver`);
  }
  const classWeight = parseClassWeight(o["class-weight"] as string | undefined, (m) => usage("train", m));
  const C = o.C as number | undefined;
  if (C !== undefined && !(C > 0 && C < Infinity)) throw usage("train", `--C ${C} is not a finite number > 0`);
  const tol = o.tol as number | undefined;
  if (tol !== undefined && !(tol >= 0 && tol < Infinity)) throw usage("train", `--tol ${tol} is not a finite number >= 0`);
  const maxIter = o["max-iter"] as number | undefined;
  if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter >= 0)) throw usage("train", `--max-iter ${maxIter} is not an integer >= 0`);
  const indexBase = indexBaseOf("train", o);
  const data = await loadAll(files, io, indexBase);
  const n = data.y.length;
  if (n === 0) throw new InputError(files.join(", "), 0, 0, "empty", "no rows to train on", false);
  const y = Array.from(data.y);
  const nClasses = new Set(y).size;
  // Two classes with the L2 penalty: TRON (the library's choice for "lbfgs" too; named so in the model file).
  const solver = givenSolver ?? (penalty === "l2" && nClasses === 2 ? "tron" : "lbfgs");
  if (solver === "tron" && nClasses > 2) {
    throw usage("train", `--solver tron fits two classes only (liblinear's -s 0), and the data has ${nClasses}: leave --solver out (lbfgs)`);
  }
  const model = new LogisticRegression({
    solver: solver as "tron" | "lbfgs" | "newton-cg",
    penalty,
    ...(l1Ratio !== undefined ? { l1Ratio } : {}),
    ...(classWeight !== undefined ? { classWeight } : {}),
    fitIntercept: o["no-intercept"] !== true,
    ...(C !== undefined ? { C } : {}),
    ...(maxIter !== undefined ? { maxIter } : {}),
    ...(tol !== undefined ? { tol } : {}),
  });
  let warning = "";
  try {
    model.fit(data.X, y, { onWarning: (m) => (warning = m) });
  } catch (e) {
    // The data's problems (one class, three classes) name the files.
    if (e instanceof RangeError) throw new InputError(files.join(", "), 0, 0, "invalid data", e.message, false);
    throw e;
  }
  if (!model.converged) io.stderr.write(`xent train: warning: ${warning.replace("raise maxIter", "raise --max-iter")}\n`);
  const classes = model.classes;
  if (o.multinomial === true && classes.length === 2) {
    io.stderr.write("xent train: note: with 2 classes the binary model is fitted (the multinomial model of 2 classes is the same model)\n");
  }
  const proba = model.predictProba(data.X);
  const ids = y.map((v) => classes.indexOf(v));
  let metrics: Record<string, unknown>;
  if (classes.length === 2) {
    const p1 = Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]!);
    const m = new BinaryEvaluation().add(ids, p1).metrics();
    metrics = { logLoss: m.logLoss, accuracy: m.accuracy, brier: m.brier, rocAuc: m.rocAuc };
  } else {
    const m = new MulticlassEvaluation(classes.length).add(ids, proba).metrics();
    metrics = { logLoss: m.logLoss, accuracy: m.accuracy, brier: m.brier };
  }
  const history = model.history;
  const file: ModelFile & { input: "libsvm"; indexBase: 0 | 1 } = {
    format: "xent-model",
    version: 1,
    label: "",
    features: [],
    scaler: null,
    model: model.toJSON(),
    training: { rows: n, objective: [...history.objective], gradientNorm: [...history.gradientNorm], metrics },
    input: "libsvm",
    indexBase,
  };
  writeModelFile(o.out, file);
  const summary = {
    model: o.out,
    classes,
    nFeatures: data.X.nFeatures,
    nonzeros: data.X.data.length,
    rows: n,
    iterations: model.nIter,
    converged: model.converged,
    stopReason: model.stopReason,
    objective: history.objective,
    training: metrics,
  };
  if (o.json === true) {
    await writeOut(io.stdout, JSON.stringify(summary, null, 2) + "\n");
    return 0;
  }
  const head: [string, string][] = [
    ["classes", classes.map(String).join(", ")],
    ["features", `${data.X.nFeatures} (${data.X.data.length} nonzeros)`],
    ["rows", String(n)],
  ];
  await writeOut(io.stdout, trainingSummaryText(history.objective, head, model, metrics, o.out));
  return 0;
}

const BATCH = 4096;

/**
 * Streams libsvm rows through a model trained on libsvm data: CSV `line,label,p_<class0>,p_<class1>,...` (the
 * file line, the label as written, the probabilities), 4096 rows at a time. Features past the model's width
 * are an error naming the file and line.
 */
export async function predictLibsvm(loaded: LoadedModel, modelPath: string, files: string[], o: OptionValues, io: CliIO): Promise<number> {
  for (const name of ["delimiter", "no-header", "replace", "calibration"]) {
    if (o[name] !== undefined) throw usage("predict", `--${name} does not apply to --format libsvm`);
  }
  const f = loaded.file as ModelFile & { input?: string; indexBase?: 0 | 1 };
  if (f.input !== "libsvm") throw usage("predict", `${modelPath} was not trained on libsvm data (xent train --format libsvm)`);
  const indexBase = f.indexBase ?? indexBaseOf("predict", o);
  const model = loaded.model;
  const width = model.nFeatures;
  const prefix = (o.prefix as string | undefined) ?? "p_";
  let out: OutStream = io.stdout;
  const outPath = typeof o.out === "string" ? o.out : null;
  if (outPath !== null) out = createWriteStream(outPath);
  let pending = writeOut(out, `line,label,${model.classes.map((c) => `${prefix}${String(c)}`).join(",")}\n`);
  let builder = new LibsvmCsrBuilder();
  let labels: string[] = [];
  let count = 0;
  const flush = (): void => {
    if (count === 0) return;
    const batch = builder.finish(width);
    const proba = model.predictProba(batch.X);
    let text = "";
    const k = model.classes.length;
    for (let i = 0; i < count; i++) {
      text += `${batch.lines[i]!},${labels[i]!}`;
      for (let c = 0; c < k; c++) text += `,${proba[k * i + c]!}`;
      text += "\n";
    }
    builder = new LibsvmCsrBuilder();
    labels = [];
    count = 0;
    pending = pending.then(() => writeOut(out, text));
  };
  let file = "";
  const onRow = (row: LibsvmRow): void => {
    const last = row.indices.length > 0 ? row.indices[row.indices.length - 1]! : -1;
    if (last >= width) {
      throw new InputError(file, row.line, 1, "bad index", `feature ${last + indexBase} is past the model's ${width} features`);
    }
    builder.add(row);
    labels.push(String(row.label));
    count++;
    if (count === BATCH) flush();
  };
  try {
    for (file of files) {
      file = file === "-" ? "<stdin>" : file;
      await readLibsvm(file === "<stdin>" ? "-" : file, onRow, { stdin: io.stdin, indexBase });
      flush();
    }
    await pending;
  } catch (e) {
    if (outPath !== null) {
      (out as ReturnType<typeof createWriteStream>).destroy();
      rmSync(outPath, { force: true });
    }
    throw e;
  }
  if (outPath !== null) {
    const stream = out as ReturnType<typeof createWriteStream>;
    await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
  return 0;
}
