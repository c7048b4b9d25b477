import { versionedJson } from "./versionedJson.js";

/** A fitted recalibration, as `xent calibrate` writes it and `xent predict/eval --calibration` read it. */
export type Calibration =
  | {
      type: "xent.Calibration";
      version: 1;
      /** Platt scaling of binary scores: the calibrated logit is `a s + b`, s the logit (logit(p) for a probability). */
      method: "platt";
      a: number;
      b: number;
      /** Whether Platt's smoothed targets were used (scikit-learn's fit). */
      plattTargets: boolean;
      fit?: Record<string, unknown>;
    }
  | {
      type: "xent.Calibration";
      version: 1;
      /** Temperature scaling of k logits: `softmax(z / temperature)` (of log p for probabilities). */
      method: "temperature";
      temperature: number;
      classes: number;
      fit?: Record<string, unknown>;
    };

/** Reads and checks a calibration JSON (object or text). */
export function calibrationFromJSON(json: unknown): Calibration {
  const fn = "calibrationFromJSON";
  const o = versionedJson<Calibration>(fn, json, "Calibration") as Record<string, unknown>;
  if (o.method === "platt") {
    if (!(typeof o.a === "number" && Number.isFinite(o.a) && typeof o.b === "number" && Number.isFinite(o.b))) {
      throw new TypeError(`${fn}: a Platt calibration needs finite numbers "a" and "b"`);
    }
    return { type: "xent.Calibration", version: 1, method: "platt", a: o.a, b: o.b, plattTargets: o.plattTargets === true };
  }
  if (o.method === "temperature") {
    // JSON has no Infinity: an unbounded temperature is written as null.
    const t = o.temperature === null ? Infinity : o.temperature;
    if (!(typeof t === "number" && t > 0)) throw new TypeError(`${fn}: "temperature" must be a number > 0 (or null for Infinity)`);
    if (!(typeof o.classes === "number" && Number.isInteger(o.classes) && o.classes >= 2))
      throw new TypeError(`${fn}: "classes" must be an integer >= 2`);
    return { type: "xent.Calibration", version: 1, method: "temperature", temperature: t, classes: o.classes };
  }
  throw new TypeError(`${fn}: "method" ${JSON.stringify(o.method)} is not "platt" or "temperature"`);
}

/** The JSON text of a calibration (an infinite temperature as null). */
export function calibrationToJSON(c: Calibration): string {
  return JSON.stringify(c, (k, v: unknown) => (k === "temperature" && v === Infinity ? null : v), 2) + "\n";
}

/**
 * The Platt-calibrated logit `a s + b` of a logit s. An infinite s stays infinite (with the sign of a; a = 0
 * gives b, the limit of 0 · s being taken as 0: the scores then do not matter).
 *
 * @example plattCalibratedLogit(2, 1, 3) // 7
 */
export function plattCalibratedLogit(a: number, b: number, s: number): number {
  return a === 0 ? b : a * s + b;
}

/**
 * Temperature-scaled logits `z / T` of a row (in place). For probabilities, pass `log p` as z: softmax(log p)
 * = p, so the result is the calibrated row's logits. T = Infinity gives zeros (uniform), -Infinity stays.
 */
export function temperatureScaledLogits(temperature: number, z: Float64Array): Float64Array {
  for (let j = 0; j < z.length; j++) {
    const x = z[j]!;
    z[j] = x === -Infinity ? x : temperature === Infinity ? 0 : x / temperature;
  }
  return z;
}
