import { writeFileSync } from "node:fs";
import { LogisticRegression, StandardScaler } from "../index.js";
import { InputError } from "../io/inputError.js";
import { readJsonFile } from "../io/readTextFile.js";

/** The file `xent train` writes: the model, its scaler and what is needed to apply it to a table. */
export interface ModelFile {
  format: "xent-model";
  version: 1;
  /** The label column it was trained on. */
  label: string;
  /** The feature columns, in the model's order. */
  features: string[];
  scaler: unknown | null;
  model: unknown;
  training: {
    rows: number;
    objective: number[];
    gradientNorm: number[];
    metrics: Record<string, unknown>;
  };
}

export interface LoadedModel {
  file: ModelFile;
  model: LogisticRegression;
  scaler: StandardScaler | null;
}

/** Writes a model file (JSON, `indent` spaces, a final newline); an unwritable path is an InputError naming it. */
export function writeModelFile(path: string, file: object, indent?: number): void {
  try {
    writeFileSync(path, JSON.stringify(file, null, indent) + "\n");
  } catch (e) {
    throw new InputError(path, 0, 0, "unwritable", `cannot write the model (${(e as NodeJS.ErrnoException).code ?? String(e)})`, false);
  }
}

/** Reads a model file's JSON, unchecked; a missing file or bad JSON is an InputError naming the file. */
export function readModelJson(path: string): unknown {
  return readJsonFile(path, "a model file");
}

/** Reads and checks a model file; problems are InputErrors naming the file. */
export function loadModel(path: string): LoadedModel {
  const f = readModelJson(path) as Partial<ModelFile>;
  const bad = (detail: string) => new InputError(path, 0, 0, "invalid model", detail, false);
  if (f === null || typeof f !== "object" || f.format !== "xent-model") throw bad('not a model written by xent train (no "format": "xent-model")');
  if ((f as { kind?: unknown }).kind === "online") {
    throw bad("an online model (from xent train --online): xent predict applies it to Vowpal Wabbit or libsvm files; this needs a batch model");
  }
  if (f.version !== 1) throw bad(`model file version ${JSON.stringify(f.version)} is not supported`);
  if (!Array.isArray(f.features) || !f.features.every((x) => typeof x === "string")) throw bad("features is not a list of column names");
  try {
    const model = LogisticRegression.fromJSON(f.model);
    const scaler = f.scaler == null ? null : StandardScaler.fromJSON(f.scaler);
    return { file: f as ModelFile, model, scaler };
  } catch (e) {
    throw bad((e as Error).message);
  }
}
