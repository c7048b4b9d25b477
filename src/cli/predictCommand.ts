import { createWriteStream, rmSync } from "node:fs";
import { InputError, quoteText } from "../io/inputError.js";
import { parsed } from "../io/parseNumber.js";
import { type ColumnResolver, type RowView, type TableFormat } from "../io/tableReader.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, type OutStream, writeOut } from "./cliIO.js";
import { type LoadedModel, loadModel, readModelJson } from "./modelFile.js";
import { runOnlinePredict } from "./onlinePredict.js";
import { calibratedProba, checkCalibrationFits, loadCalibration } from "./calibrationFile.js";
import { type Calibration } from "../index.js";
import { columnarHelp, parseDelimiter, parseFormatOption, readInputFiles, readInputOptions } from "./readInputFiles.js";
import { predictLibsvm } from "./libsvmCommands.js";
import { UsageError } from "./usageError.js";

const predictOptions: OptionSpec[] = [
  { name: "out", type: "string", value: "FILE", help: "write there instead of stdout" },
  {
    name: "prefix",
    type: "string",
    value: "PREFIX",
    help: "name the output columns PREFIX + class (default p_), e.g. to keep another model's p_ columns beside",
  },
  {
    name: "calibration",
    type: "string",
    value: "FILE",
    help: "recalibrate the model's logits by FILE (from xent calibrate): Platt for a binary model, temperature for a multi-class one",
  },
  {
    name: "replace",
    type: "boolean",
    help: "when the input already has output columns (a scored file), overwrite their values in place instead of failing",
  },
  ...readInputOptions,
];

const BATCH = 4096;

/** A CSV field as written: quoted when it holds the delimiter, a quote or a line end (TSV: never quoted). */
function csvCell(s: string, delimiter: string): string {
  return delimiter !== "\t" && (s.includes(delimiter) || /["\r\n]/.test(s)) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** How the predictor writes: the output columns' prefix, whether they may replace input columns, the CSV delimiter. */
interface PredictOutput {
  prefix: string;
  replace: boolean;
  /** The input's CSV delimiter (`--delimiter`), also the output's. */
  delimiter: string | undefined;
}

/**
 * Rows in, the same rows plus one probability column per class out, a batch at a time. An input that
 * already has an output column (a scored file) is an error, unless `replace`: then those columns get the new
 * values in place (the row is written again field by field) and only the missing ones are appended.
 */
class Predictor {
  private cols: number[] = [];
  private raws: string[] = [];
  /** With `replace` and output columns in the input: each row's fields (as written), else null. */
  private fields: string[][] | null = null;
  /** For each class, the input column its value replaces, or -1 (appended). */
  private replaceAt: number[];
  /** JSON Lines: the key index of each output name (to find a row that already has it). */
  private outKeys: number[] = [];
  private width = 0;
  private x: Float64Array;
  private format: TableFormat = "csv";
  private names: string[];
  pending: Promise<void> = Promise.resolve();
  private headerWritten = false;
  rows = 0;

  constructor(
    private readonly m: LoadedModel,
    private readonly out: OutStream,
    private readonly output: PredictOutput,
    /** `--calibration FILE`: the probabilities are those of the recalibrated logits. */
    private readonly calibration: Calibration | null = null,
  ) {
    this.x = new Float64Array(BATCH * m.file.features.length);
    this.names = m.model.classes.map((c) => `${output.prefix}${String(c)}`);
    this.replaceAt = this.names.map(() => -1);
  }

  private get delimiter(): string {
    return this.format === "tsv" ? "\t" : (this.output.delimiter ?? ",");
  }

  header(c: ColumnResolver): void {
    this.cols = this.m.file.features.map((f) => c.index(f));
    this.format = c.format;
    this.fields = null;
    this.replaceAt = this.names.map(() => -1);
    if (c.names === null) {
      // JSON Lines: any row may have any key; rows that already hold an output key are caught in row().
      this.outKeys = this.names.map((n) => c.index(n));
    } else {
      const names = c.names;
      this.width = names.length;
      this.replaceAt = this.names.map((n) => names.indexOf(n));
      const clash = this.replaceAt.filter((i) => i >= 0);
      if (clash.length > 0 && !this.output.replace) {
        throw new InputError(
          c.file,
          1,
          1,
          "output column exists",
          `the input already has the output column${clash.length === 1 ? "" : "s"} ${clash.map((i) => quoteText(names[i]!)).join(", ")} (a file scored before?): ` +
            `pass --replace to overwrite ${clash.length === 1 ? "it" : "them"} with the new predictions, or --prefix to write the new ones beside (e.g. --prefix q_)`,
          false,
        );
      }
      if (clash.length > 0) this.fields = [];
    }
    if (!this.headerWritten && c.format !== "jsonl" && c.names !== null && c.names.length > 0) {
      const d = this.delimiter;
      const added = this.names.filter((_, j) => this.replaceAt[j]! < 0);
      this.write([...c.names, ...added].map((n) => csvCell(n, d)).join(d) + "\n");
    }
    this.headerWritten = true;
  }

  row(v: RowView): void {
    const bad = v.malformed();
    if (bad !== null) throw bad;
    if (this.format === "jsonl" && !this.output.replace) {
      for (let j = 0; j < this.outKeys.length; j++) {
        const k = this.outKeys[j]!;
        // A key that is there, null included (absent() is also true for null, whose text is "null").
        if (!v.absent(k) || v.text(k) === "null") {
          throw v.error(
            k,
            "output column exists",
            `the row already has the output key ${quoteText(this.names[j]!)} (a file scored before?): pass --replace to overwrite it, or --prefix to write the new predictions beside (e.g. --prefix q_)`,
          );
        }
      }
    }
    const d = this.cols.length;
    const i = this.raws.length;
    for (let j = 0; j < d; j++) {
      const c = this.cols[j]!;
      if (!v.parse(c) || !Number.isFinite(parsed[0]!)) {
        const what = v.missing(c) ? "is missing" : `${quoteText(v.text(c))} is not a finite number`;
        throw v.error(c, "not a number", `feature ${quoteText(this.m.file.features[j]!)} ${what}`);
      }
      this.x[i * d + j] = parsed[0]!;
    }
    if (this.fields !== null) {
      const delim = this.delimiter;
      const f: string[] = [];
      for (let j = 0; j < this.width; j++) f.push(csvCell(v.text(j), delim));
      this.fields.push(f);
      this.raws.push("");
    } else this.raws.push(v.raw());
    this.rows++;
    if (this.raws.length === BATCH) this.flush();
  }

  flush(): void {
    const n = this.raws.length;
    if (n === 0) return;
    const d = this.cols.length;
    const X = { data: this.x.subarray(0, n * d), nFeatures: d };
    const Xs = this.m.scaler === null ? X : this.m.scaler.transform(X);
    const proba = this.calibration === null ? this.m.model.predictProba(Xs) : calibratedProba(this.m.model, Xs, this.calibration);
    const k = this.names.length;
    let text = "";
    for (let i = 0; i < n; i++) {
      if (this.format === "jsonl") {
        const o = JSON.parse(this.raws[i]!) as Record<string, unknown>;
        for (let c = 0; c < k; c++) o[this.names[c]!] = proba[i * k + c]!;
        text += JSON.stringify(o) + "\n";
      } else {
        const d = this.delimiter;
        const fields = this.fields?.[i];
        if (fields !== undefined) for (let c = 0; c < k; c++) if (this.replaceAt[c]! >= 0) fields[this.replaceAt[c]!] = String(proba[i * k + c]!);
        let line = fields !== undefined ? fields.join(d) : this.raws[i]!;
        for (let c = 0; c < k; c++) if (this.replaceAt[c]! < 0) line += d + String(proba[i * k + c]!);
        text += line + "\n";
      }
    }
    this.raws = [];
    if (this.fields !== null) this.fields = [];
    this.write(text);
  }

  private write(text: string): void {
    // Keep order and respect backpressure: each write waits for the one before to drain.
    this.pending = this.pending.then(() => writeOut(this.out, text));
  }
}

export const predictCommand: Command = {
  name: "predict",
  summary: "apply a saved model to a file: the input rows plus one probability column per class",
  options: predictOptions,
  help: `xent predict MODEL.json FILE... [--out FILE] [--prefix PREFIX] [--replace]

Streams the rows of FILE (CSV, TSV or JSON Lines, gzip or not, "-" for stdin; Parquet; Arrow IPC) through
a model written by xent train and writes each row as it was, plus one column p_CLASS per class with the
predicted probability (CSV/TSV: appended columns, with the header extended; JSON Lines: added keys;
Parquet and Arrow: written as CSV, every column of the file then the p_CLASS columns, null as an empty
field). The feature columns are the model's, by name (with --no-header, by position: a model trained with
--no-header --features 1,2,3). A CSV read with --delimiter is written with the same delimiter. Memory
stays bounded (batches of 4096 rows). A bad row stops with exit code 1; with --out the partial file is
removed; on stdout every row before the bad one has been written (with its columns).

A scored file: when the input already has an output column (p_CLASS, or PREFIX + CLASS), predict stops
with exit code 1 naming the columns, rather than write a second column of the same name. Pass --replace
to overwrite their values in place (the other fields are written again, quoted where needed), or --prefix
to write the new predictions beside the old ones.

An online model (xent train --online) reads Vowpal Wabbit or libsvm files instead (its training format
unless --format; gzip or stdin too) and writes CSV label,weight,logit,p,tag: the label 1 or 0 (empty for a
line without one), the importance weight, the logit, P(y = 1) and VW's tag; xent eval --label label
--logit logit --weight weight scores it.

${columnarHelp}

--format libsvm applies a model trained with xent train --format libsvm to libsvm / svmlight files and
writes CSV: line,label,p_CLASS0,p_CLASS1 (the file line, the label as read, the probabilities).

Options:
{{options}}

Examples:
  xent predict model.json new.csv > scored.csv
  xent predict model2.json scored.csv --prefix q_ > both.csv       # a second model's q_CLASS beside p_CLASS
  xent predict model.json scored.csv --replace > rescored.csv      # new values in the p_CLASS columns
  xent predict model.json eu.csv --delimiter ';' > scored.csv      # semicolon CSV in and out
  xent predict model.json new.parquet > scored.csv    # the output is CSV
  xent predict model.json new.csv --calibration calibration.json   # recalibrated (see xent calibrate)
  xent predict online.json test.vw.gz > scored.csv   # an online model on VW text
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals } = parseArgs("predict", argv, predictOptions);
    if (positionals.length < 2) throw new UsageError("predict", "give a model file and at least one input file");
    const [modelPath, ...files] = positionals as [string, ...string[]];
    const json = readModelJson(modelPath);
    if (json !== null && typeof json === "object" && (json as { kind?: unknown }).kind === "online")
      return runOnlinePredict(o, modelPath, json, files, io);
    if (o.format === "libsvm") return predictLibsvm(loadModel(modelPath), modelPath, files, o, io);
    const format = parseFormatOption("predict", o.format);
    const delimiter = parseDelimiter("predict", o.delimiter as string | undefined, format);
    const prefix = (o.prefix as string | undefined) ?? "p_";
    if (prefix === "") throw new UsageError("predict", "--prefix is empty: the output columns would be named by the bare class names");
    const m = loadModel(modelPath);
    if ((m.file as { input?: string }).input === "libsvm") {
      throw new UsageError("predict", `${modelPath} was trained on libsvm data: give --format libsvm and libsvm files`);
    }
    const calibration = typeof o.calibration === "string" ? loadCalibration(o.calibration) : null;
    if (calibration !== null) checkCalibrationFits(o.calibration as string, calibration, m.model.classes.length);
    let out: OutStream = io.stdout;
    let file: ReturnType<typeof createWriteStream> | null = null;
    if (typeof o.out === "string") {
      file = createWriteStream(o.out);
      out = file;
    }
    const p = new Predictor(m, out, { prefix, replace: o.replace === true, delimiter }, calibration);
    const readOptions = { format, delimiter, noHeader: o["no-header"] === true, noProgress: o["no-progress"] === true, allColumns: true };
    let ok = false;
    try {
      await readInputFiles(
        "predict",
        files,
        readOptions,
        io,
        p,
        () => p.rows,
        () => p.pending,
      );
      p.flush();
      await p.pending;
      ok = true;
    } catch (e) {
      // On stdout, a stream, every row before the bad one is written (the batch read so far too), so that
      // what was printed is exactly the input up to the bad row; an --out file is removed below instead.
      if (file === null) {
        try {
          p.flush();
          await p.pending;
        } catch {
          // the first error is the one to report
        }
      }
      throw e;
    } finally {
      if (file !== null) {
        await new Promise<void>((resolve) => file!.end(resolve));
        // A partial output file is not a result: removed when the input turned out bad.
        if (!ok) rmSync(o.out as string, { force: true });
      }
    }
    return 0;
  },
};
