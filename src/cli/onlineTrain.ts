import { FtrlProximal, type FtrlProximalJSON, ProgressiveValidation, type ProgressLine, sigmoid } from "../index.js";
import { InputError } from "../io/inputError.js";
import { type SparseExample } from "../io/sparseExample.js";
import { SPARSE_FORMATS, type SparseFormat, readSparseExamples, sparseFormatFromName } from "../io/sparseExampleReader.js";
import { type OptionSpec, type OptionValues } from "./args.js";
import { type CliIO, writeOut } from "./cliIO.js";
import { readModelJson, writeModelFile } from "./modelFile.js";
import { UsageError } from "./usageError.js";

/** The options of `xent train --online` (the batch options do not apply to it). */
export const onlineOptions: OptionSpec[] = [
  {
    name: "online",
    type: "boolean",
    help: "online logistic regression (FTRL-Proximal, hashed features) on Vowpal Wabbit or libsvm files (see docs/online.md)",
  },
  { name: "passes", type: "number", value: "N", help: "online: passes over the data (default 1; stdin: 1 only)" },
  { name: "bits", type: "number", value: "B", help: "online: 2^B hashed weights (default 18, as VW's -b)" },
  { name: "alpha", type: "number", value: "A", help: "online: FTRL learning-rate scale alpha (default 0.1)" },
  { name: "beta", type: "number", value: "B", help: "online: FTRL learning-rate smoothing beta (default 1)" },
  { name: "l1", type: "number", value: "L1", help: "online: L1 strength lambda1 (default 0)" },
  { name: "l2", type: "number", value: "L2", help: "online: L2 strength lambda2 (default 0)" },
  { name: "save-state", type: "boolean", help: "online: keep FTRL's z and n in the model file (bigger; lets --initial-model go on learning)" },
  { name: "initial-model", type: "string", value: "FILE", help: "online: start from this model (written with --save-state)" },
  { name: "quiet", type: "boolean", help: "online: no progress table" },
];

/** The file `xent train --online` writes. */
export interface OnlineModelFile {
  format: "xent-model";
  version: 1;
  kind: "online";
  /** The input format the model was trained on (hashing is the same for both; see docs/online.md). */
  input: SparseFormat;
  model: FtrlProximalJSON;
  training: {
    examples: number;
    passes: number;
    /** The progressive validation loss of each pass (each example scored before it is learned). */
    progressiveLoss: number[];
  };
}

/** The `--format` of an online command: vw or libsvm, else the file name's, else bad usage. */
export function sparseFormatOption(command: string, value: unknown, files: string[]): SparseFormat {
  if (value !== undefined) {
    if (!(SPARSE_FORMATS as readonly unknown[]).includes(value)) {
      throw new UsageError(command, `--format ${JSON.stringify(value)} is not vw or libsvm (the formats of an online model)`);
    }
    return value as SparseFormat;
  }
  const formats = new Set(files.map(sparseFormatFromName));
  const only = formats.size === 1 ? [...formats][0] : undefined;
  if (only === undefined) {
    throw new UsageError(command, "give --format vw or --format libsvm (the file names do not say: .vw, .libsvm, .svm or .svmlight, optionally .gz)");
  }
  return only;
}

/** Reads an online model file (from `xent train --online`); problems are InputErrors naming the file. */
export function loadOnlineModel(path: string, json: unknown = readModelJson(path)): { file: OnlineModelFile; model: FtrlProximal } {
  const f = json as Partial<OnlineModelFile> | null;
  const bad = (detail: string) => new InputError(path, 0, 0, "invalid model", detail, false);
  if (f === null || typeof f !== "object" || f.format !== "xent-model" || f.kind !== "online")
    throw bad('not an online model ("kind": "online") written by xent train --online');
  if (f.version !== 1) throw bad(`model file version ${JSON.stringify(f.version)} is not supported`);
  if (f.input !== "vw" && f.input !== "libsvm") throw bad(`input ${JSON.stringify(f.input)} is not vw or libsvm`);
  try {
    return { file: f as OnlineModelFile, model: FtrlProximal.fromJSON(f.model) };
  } catch (e) {
    throw bad((e as Error).message);
  }
}

/** A VW-style number: fixed decimals, "n.a." for NaN (no label). */
function fixed(x: number, digits: number): string {
  return Number.isNaN(x) ? "unknown" : x.toFixed(digits);
}

/** VW's progress table: its header, and one line per print point. */
export const PROGRESS_HEADER =
  "average  since         example        example        current        current  current\n" +
  "loss     last          counter         weight          label        predict features\n";

export function progressRow(p: ProgressLine): string {
  return (
    fixed(p.averageLoss, 6).padEnd(8) +
    " " +
    fixed(p.sinceLast, 6).padEnd(8) +
    String(p.exampleCounter).padStart(13) +
    p.exampleWeight.toFixed(1).padStart(15) +
    fixed(p.currentLabel, 4).padStart(15) +
    fixed(p.currentPredict, 4).padStart(15) +
    String(p.currentFeatures).padStart(9) +
    "\n"
  );
}

/** Options given for the batch model that --online does not take. */
const BATCH_ONLY = [
  "label",
  "features",
  "weight",
  "C",
  "penalty",
  "l1-ratio",
  "class-weight",
  "solver",
  "max-iter",
  "tol",
  "multinomial",
  "no-standardize",
  "delimiter",
  "no-header",
  "no-intercept",
  "index-base",
];

/** The online options, which need --online. */
export const ONLINE_ONLY = ["passes", "bits", "alpha", "beta", "l1", "l2", "save-state", "initial-model", "quiet"];

function optionalNumber(o: OptionValues, name: string, ok: (v: number) => boolean, what: string): number | undefined {
  const v = o[name] as number | undefined;
  if (v !== undefined && !ok(v)) throw new UsageError("train", `--${name} ${v} is not ${what}`);
  return v;
}

/** `xent train --online FILE...`: FTRL-Proximal over the files, `--passes` times, with VW's progress table. */
export async function runOnlineTrain(o: OptionValues, files: string[], io: CliIO): Promise<number> {
  const usage = (m: string) => new UsageError("train", m);
  for (const name of BATCH_ONLY) if (o[name] !== undefined) throw usage(`--${name} is an option of the batch model, not of --online`);
  if (typeof o.out !== "string") throw usage("--out FILE is required (where the model goes)");
  const format = sparseFormatOption("train", o.format, files);
  const passes = optionalNumber(o, "passes", (v) => Number.isInteger(v) && v >= 1, "an integer >= 1") ?? 1;
  if (passes > 1 && files.includes("-")) throw usage("--passes > 1 reads the input again: give a file, not stdin");
  const bits = optionalNumber(o, "bits", (v) => Number.isInteger(v) && v >= 1 && v <= 30, "an integer in [1, 30]");
  const alpha = optionalNumber(o, "alpha", (v) => v > 0 && v < Infinity, "a finite number > 0");
  const nonNegative = (v: number) => v >= 0 && v < Infinity;
  const beta = optionalNumber(o, "beta", nonNegative, "a finite number >= 0");
  const l1 = optionalNumber(o, "l1", nonNegative, "a finite number >= 0");
  const l2 = optionalNumber(o, "l2", nonNegative, "a finite number >= 0");
  let model: FtrlProximal;
  if (typeof o["initial-model"] === "string") {
    const given = [bits, alpha, beta, l1, l2].some((v) => v !== undefined);
    if (given) throw usage("--initial-model keeps its own --bits, --alpha, --beta, --l1 and --l2: leave them out");
    model = loadOnlineModel(o["initial-model"]).model;
    if (!model.learnable) {
      throw new InputError(
        o["initial-model"],
        0,
        0,
        "invalid model",
        "the model was saved without FTRL's state: train it with --save-state to go on learning",
        false,
      );
    }
  } else {
    model = new FtrlProximal({
      ...(bits !== undefined ? { bits } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
      ...(beta !== undefined ? { beta } : {}),
      ...(l1 !== undefined ? { l1 } : {}),
      ...(l2 !== undefined ? { l2 } : {}),
    });
  }
  const quiet = o.quiet === true || o.json === true;
  const progressive = new ProgressiveValidation();
  const perPass: number[] = [];
  let table = quiet ? "" : PROGRESS_HEADER;
  const learn = (e: SparseExample) => {
    if (e.label !== e.label) {
      throw new InputError(
        e.file,
        e.line,
        1,
        "no label",
        'no label: training needs 1, -1 or 0 first on the line (VW: a word directly before \'|\' is a tag, so "1| a" has no label; write "1 | a")',
      );
    }
    const s = model.learn(e.indices, e.values, e.count, e.label, e.importance, e.base);
    const line = progressive.add(model.lastLoss, e.importance, e.label, sigmoid(s), e.count + 1);
    if (line !== null && !quiet) table += progressRow(line);
  };
  for (let pass = 0; pass < passes; pass++) {
    const pv = new ProgressiveValidation();
    const both = (e: SparseExample) => {
      learn(e);
      pv.add(model.lastLoss, e.importance, e.label, 0, 0);
    };
    for (const file of files) {
      await readSparseExamples(format, file, model.options.bits, both, io.stdin);
      if (table.length > 0) {
        await writeOut(io.stdout, table);
        table = "";
      }
    }
    if (pv.examples === 0) throw new InputError(files.join(", "), 0, 0, "empty", "no examples to train on", false);
    perPass.push(pv.averageLoss);
  }
  const file: OnlineModelFile = {
    format: "xent-model",
    version: 1,
    kind: "online",
    input: format,
    model: model.toJSON(o["save-state"] === true),
    training: { examples: progressive.examples, passes, progressiveLoss: perPass },
  };
  writeModelFile(o.out, file);
  const summary = {
    model: o.out,
    format,
    options: model.options,
    examples: progressive.examples,
    exampleWeight: progressive.weightSum,
    passes,
    averageLoss: progressive.averageLoss,
    progressiveLoss: perPass,
    nonzeroWeights: file.model.index.length + (file.model.constant !== 0 ? 1 : 0),
  };
  if (o.json === true) {
    await writeOut(io.stdout, JSON.stringify(summary, null, 2) + "\n");
    return 0;
  }
  const end = [
    "",
    "finished run",
    `number of examples = ${summary.examples}`,
    `weighted example sum = ${summary.exampleWeight}`,
    `average loss = ${fixed(summary.averageLoss, 6)}`,
    ...perPass.map((l, i) => `pass ${i + 1} progressive loss = ${fixed(l, 6)}`),
    `nonzero weights = ${summary.nonzeroWeights} of ${2 ** model.options.bits + 1}`,
    `model = ${o.out}`,
  ];
  await writeOut(io.stdout, (quiet ? "" : progressRow(progressive.line())) + end.join("\n") + "\n");
  return 0;
}
