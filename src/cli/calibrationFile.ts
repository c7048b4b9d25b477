import {
  type Calibration,
  type Features,
  type LogisticRegression,
  type ScoreScale,
  calibrationFromJSON,
  logit,
  plattCalibratedLogit,
  sigmoid,
  softmax,
  temperatureScaledLogits,
} from "../index.js";
import { InputError } from "../io/inputError.js";
import { type EvalRun } from "./evalRun.js";
import { readJsonFile } from "../io/readTextFile.js";

/** Reads and checks a calibration file written by `xent calibrate`; problems are InputErrors naming the file. */
export function loadCalibration(path: string): Calibration {
  const json = readJsonFile(path, "a calibration file");
  try {
    return calibrationFromJSON(json);
  } catch (e) {
    throw new InputError(path, 0, 0, "invalid calibration", `${(e as Error).message} (write one with xent calibrate)`, false);
  }
}

/** One line saying which calibration is applied (for eval's output). */
export function describeCalibration(path: string, c: Calibration): string {
  return c.method === "platt"
    ? `calibrated by ${path}: Platt scaling, p = sigmoid(${c.a} s ${c.b < 0 ? "-" : "+"} ${Math.abs(c.b)})`
    : `calibrated by ${path}: temperature scaling, T = ${c.temperature}`;
}

/** The calibrated logit of a binary score (a probability is first turned into its logit). */
export function calibratedBinaryLogit(c: Calibration & { method: "platt" }, scale: ScoreScale, score: number): number {
  return plattCalibratedLogit(c.a, c.b, scale === "probability" ? logit(score) : score);
}

/** The calibrated logits of a row of k scores, in place (log p for probabilities). */
export function calibratedRowLogits(c: Calibration & { method: "temperature" }, scale: ScoreScale, row: Float64Array): Float64Array {
  if (scale === "probability") for (let j = 0; j < row.length; j++) row[j] = Math.log(row[j]!);
  return temperatureScaledLogits(c.temperature, row);
}

/**
 * The rows sink of an evaluation with `--calibration`: the row handlers (binaryRows, multiclassRows) validate
 * the scores as given, this passes the calibrated logits on to an EvalRun of scale "logit". A row's infinite
 * loss is kept by the calibration (T > 0; a Platt slope a > 0), so the handler's count of them stays right;
 * with a <= 0 the infinite scores change sides, and they are refused (calibratedBinaryLogit's caller).
 */
export function calibratedSink(run: EvalRun, c: Calibration, scale: ScoreScale): EvalRun {
  const row = new Float64Array(c.method === "temperature" ? c.classes : 0);
  const sink = {
    push(label: number, score: number, weight: number, group: string | null, file?: string, line?: number): void {
      if (c.method !== "platt") throw new RangeError("a temperature calibration is for multi-class scores (--probs, --logits)");
      if (c.a <= 0 && (score === Infinity || score === -Infinity || (scale === "probability" && (score === 0 || score === 1)))) {
        throw new RangeError(`a Platt calibration with slope a = ${c.a} <= 0 turns the certain score ${score} around: it cannot be applied to it`);
      }
      run.push(label, calibratedBinaryLogit(c, scale, score), weight, group, file, line);
    },
    pushRow(label: number, scores: Float64Array, weight: number, group: string | null, file?: string, line?: number): void {
      if (c.method !== "temperature") throw new RangeError("a Platt calibration is for binary scores (--prob, --logit)");
      if (scores.length !== c.classes) throw new RangeError(`the calibration is for ${c.classes} classes, the rows have ${scores.length}`);
      row.set(scores);
      run.pushRow(label, calibratedRowLogits(c, scale, row), weight, group, file, line);
    },
    skip: (reason: string) => run.skip(reason),
    infinite: (where: string) => run.infinite(where),
  };
  // The handlers only call these four methods of their run.
  return sink as unknown as EvalRun;
}

/** Checks that a calibration suits a model of `classes` classes (else an InputError naming the calibration file). */
export function checkCalibrationFits(path: string, c: Calibration, classes: number): void {
  const bad = (m: string) => new InputError(path, 0, 0, "invalid calibration", m, false);
  if (c.method === "platt" && classes !== 2)
    throw bad(`Platt scaling is for a binary model; this model has ${classes} classes (calibrate it with --logits: temperature scaling)`);
  if (c.method === "temperature" && c.classes !== classes) throw bad(`the temperature was fitted on ${c.classes} classes; this model has ${classes}`);
}

/**
 * A model's probabilities after recalibration, row-major n x K like `predictProba`, from its logits (never from
 * rounded probabilities): binary, `[sigmoid(-z'), sigmoid(z')]` with z' = a z + b (Platt) or z / T; multi-class,
 * `softmax(z / T)`.
 */
export function calibratedProba(model: LogisticRegression, X: Features, c: Calibration): Float64Array {
  const z = model.decisionFunction(X);
  const k = model.classes.length;
  if (k === 2) {
    const out = new Float64Array(z.length * 2);
    for (let i = 0; i < z.length; i++) {
      const s = c.method === "platt" ? plattCalibratedLogit(c.a, c.b, z[i]!) : c.temperature === Infinity ? 0 : z[i]! / c.temperature;
      out[2 * i] = sigmoid(-s);
      out[2 * i + 1] = sigmoid(s);
    }
    return out;
  }
  if (c.method !== "temperature") throw new RangeError("a Platt calibration is for binary models");
  return softmax(temperatureScaledLogits(c.temperature, z), { classes: k });
}
