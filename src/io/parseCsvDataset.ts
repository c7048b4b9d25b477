import { checkOptions } from "../core/common/checks.js";
import { type DenseMatrix } from "../model/denseMatrix.js";

/** A labelled data set: a row-major feature matrix, a label per row, and the column names. */
export interface Dataset {
  /** The data set's name (or the source given to the parser). */
  name: string;
  /** Features, row-major: `X.data[i * X.nFeatures + j]`. Pass `X` to `fit` / `predict` as is. */
  X: DenseMatrix & { data: Float64Array };
  /** Labels, one per row: numbers if every target value is a number, else strings. */
  y: number[] | string[];
  featureNames: string[];
  targetName: string;
  nSamples: number;
  nFeatures: number;
}

/** Options of `parseCsvDataset`. */
export interface ParseCsvDatasetOptions {
  /** The label column's name; default the last column. */
  target?: string;
  /** A name for the data set, used in error messages as `name:line`; default "csv". */
  name?: string;
}

/**
 * Parses CSV text with a header row into a data set: every column but the target must hold numbers (the
 * features), the target column numbers or strings (the labels). Plain comma-separated fields without quotes
 * (the format of the data sets in `data/`); a quoted field, a row of the wrong length, an empty or
 * non-numeric feature throws a RangeError naming `name:line` and the column. No I/O: give it the text
 * (from `fs.readFileSync`, `fetch(...).text()` or a bundler's raw import), in Node or a browser.
 *
 * @example parseCsvDataset("a,b,label\n1,2,x\n3,4,y").X.data // Float64Array [1, 2, 3, 4]
 * @example parseCsvDataset("a,b,label\n1,2,x\n3,4,y").y // ["x", "y"]
 */
export function parseCsvDataset(text: string, options: ParseCsvDatasetOptions = {}): Dataset {
  const fn = "parseCsvDataset";
  if (typeof text !== "string") throw new TypeError(`${fn}: text is not a string`);
  checkOptions(fn, options, ["target", "name"]);
  const name = options.name ?? "csv";
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) throw new RangeError(`${fn}: ${name} is empty (no header row)`);
  const split = (line: string, lineNo: number): string[] => {
    if (line.includes('"')) throw new RangeError(`${fn}: ${name}:${lineNo}: quoted fields are not supported`);
    return line.split(",").map((f) => f.trim());
  };
  const header = split(lines[0]!, 1);
  const targetName = options.target ?? header[header.length - 1]!;
  const targetCol = header.indexOf(targetName);
  if (targetCol < 0) throw new RangeError(`${fn}: ${name}:1: no column named ${JSON.stringify(targetName)} in the header`);
  if (header.length < 2) throw new RangeError(`${fn}: ${name}:1: the header has no feature columns`);
  const featureNames = header.filter((_, j) => j !== targetCol);
  const nFeatures = featureNames.length;
  const nSamples = lines.length - 1;
  if (nSamples === 0) throw new RangeError(`${fn}: ${name} has a header but no rows`);
  const data = new Float64Array(nSamples * nFeatures);
  const targets: string[] = new Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const lineNo = i + 2;
    const fields = split(lines[i + 1]!, lineNo);
    if (fields.length !== header.length) {
      throw new RangeError(`${fn}: ${name}:${lineNo}: ${fields.length} fields but the header has ${header.length}`);
    }
    let j = 0;
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      if (c === targetCol) {
        if (field === "") throw new RangeError(`${fn}: ${name}:${lineNo}: the label (column ${JSON.stringify(targetName)}) is empty`);
        targets[i] = field;
        continue;
      }
      const v = field === "" ? NaN : Number(field);
      if (!Number.isFinite(v)) {
        throw new RangeError(`${fn}: ${name}:${lineNo}: column ${JSON.stringify(header[c])} = ${JSON.stringify(field)} is not a finite number`);
      }
      data[i * nFeatures + j++] = v;
    }
  }
  const numeric = targets.every((t) => Number.isFinite(Number(t)));
  return {
    name,
    X: { data, nFeatures },
    y: numeric ? targets.map(Number) : targets,
    featureNames,
    targetName,
    nSamples,
    nFeatures,
  };
}
