// The generated data of the online benchmark (and of the CLI test at a small size): Vowpal Wabbit text lines
// drawn from a known logistic model, seeded, so every run sees the same bytes.
//
// Each example has 15 categorical fields in namespace `c` (field f takes one of CARDINALITY[f] values, drawn
// with a skew, u^2 * cardinality, so a few values are common and many rare: the long tail of click data)
// and 5 numeric features in namespace `n` (standard normal, printed with 4 decimals). The true logit is
// -1 + the sum of the field values' weights (N(0, 0.4^2), one per value) + the numeric features times their
// weights (N(0, 0.5^2)); the label is 1 with probability sigmoid(logit), else -1.
import { closeSync, openSync, writeSync } from "node:fs";
import { mulberry32, normal } from "./random.js";

export const CARDINALITY = [10, 10, 10, 100, 100, 100, 1000, 1000, 1000, 1000, 10000, 10000, 10000, 50000, 50000];
const NUMERIC = 5;

/** The true model: one weight per (field, value), per numeric feature, and the intercept. */
export interface TrueModel {
  categorical: Float64Array[];
  numeric: Float64Array;
  intercept: number;
}

export function trueModel(seed = 2013): TrueModel {
  const random = mulberry32(seed);
  return {
    categorical: CARDINALITY.map((k) => Float64Array.from({ length: k }, () => 0.4 * normal(random))),
    numeric: Float64Array.from({ length: NUMERIC }, () => 0.5 * normal(random)),
    intercept: -1,
  };
}

/**
 * Writes `rows` examples to `path` (VW text). Returns the mean log loss of the true probabilities on them
 * (the Bayes loss of this sample: no model can do better on average).
 */
export function writeVowpalWabbitData(path: string, rows: number, seed: number, model: TrueModel = trueModel()): number {
  const random = mulberry32(seed);
  const fd = openSync(path, "w");
  let text = "";
  let bayes = 0;
  for (let i = 0; i < rows; i++) {
    let s = model.intercept;
    let features = "|c";
    for (let f = 0; f < CARDINALITY.length; f++) {
      const u = random();
      const v = Math.floor(u * u * CARDINALITY[f]!);
      s += model.categorical[f]![v]!;
      features += ` f${f}_${v}`;
    }
    features += " |n";
    for (let j = 0; j < NUMERIC; j++) {
      const x = Math.round(normal(random) * 1e4) / 1e4;
      s += model.numeric[j]! * x;
      features += ` x${j}:${x}`;
    }
    const p = 1 / (1 + Math.exp(-s));
    const y = random() < p ? 1 : -1;
    bayes += y > 0 ? -Math.log(p) : -Math.log1p(-p);
    text += `${y} ${features}\n`;
    if (text.length > 1 << 20) {
      writeSync(fd, text);
      text = "";
    }
  }
  writeSync(fd, text);
  closeSync(fd);
  return bayes / rows;
}
