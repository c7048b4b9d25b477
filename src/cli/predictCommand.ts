import { createWriteStream, rmSync } from "node:fs";
import { type ByteSource } from "../io/byteSource.js";
import { quoteText } from "../io/inputError.js";
import { parsed } from "../io/parseNumber.js";
import { type ColumnResolver, type RowView, type TableFormat, readTable } from "../io/tableReader.js";
import { columnarHelp, formatOption, parseFormatOption } from "./readInputFiles.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, type OutStream, writeOut } from "./cliIO.js";
import { type LoadedModel, loadModel } from "./modelFile.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usageError.js";

const predictOptions: OptionSpec[] = [
  { name: "out", type: "string", value: "FILE", help: "write there instead of stdout" },
  formatOption,
  { name: "no-progress", type: "boolean", help: "no progress bar (it is only drawn when stderr is a terminal anyway)" },
];

const BATCH = 4096;

function csvCell(s: string, delimiter: string): string {
  return delimiter === "," && /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows in, the same rows plus one probability column per class out, a batch at a time. */
class Predictor {
  private cols: number[] = [];
  private raws: string[] = [];
  private x: Float64Array;
  private format: TableFormat = "csv";
  private names: string[];
  pending: Promise<void> = Promise.resolve();
  private headerWritten = false;
  rows = 0;

  constructor(
    private readonly m: LoadedModel,
    private readonly out: OutStream,
  ) {
    this.x = new Float64Array(BATCH * m.file.features.length);
    this.names = m.model.classes.map((c) => `p_${String(c)}`);
  }

  header(c: ColumnResolver): void {
    this.cols = this.m.file.features.map((f) => c.index(f));
    this.format = c.format;
    if (!this.headerWritten && c.format !== "jsonl") {
      const d = c.format === "tsv" ? "\t" : ",";
      this.write([...(c.names ?? []), ...this.names].map((n) => csvCell(n, d)).join(d) + "\n");
    }
    this.headerWritten = true;
  }

  row(v: RowView): void {
    const bad = v.malformed();
    if (bad !== null) throw bad;
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
    this.raws.push(v.raw());
    this.rows++;
    if (this.raws.length === BATCH) this.flush();
  }

  flush(): void {
    const n = this.raws.length;
    if (n === 0) return;
    const d = this.cols.length;
    const X = { data: this.x.subarray(0, n * d), nFeatures: d };
    const Xs = this.m.scaler === null ? X : this.m.scaler.transform(X);
    const proba = this.m.model.predictProba(Xs);
    const k = this.names.length;
    let text = "";
    for (let i = 0; i < n; i++) {
      if (this.format === "jsonl") {
        const o = JSON.parse(this.raws[i]!) as Record<string, unknown>;
        for (let c = 0; c < k; c++) o[this.names[c]!] = proba[i * k + c]!;
        text += JSON.stringify(o) + "\n";
      } else {
        const d = this.format === "tsv" ? "\t" : ",";
        let line = this.raws[i]!;
        for (let c = 0; c < k; c++) line += d + String(proba[i * k + c]!);
        text += line + "\n";
      }
    }
    this.raws = [];
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
  help: `xent predict MODEL.json FILE... [--out FILE]

Streams the rows of FILE (CSV, TSV or JSON Lines, gzip or not, "-" for stdin; Parquet; Arrow IPC) through
a model written by xent train and writes each row as it was, plus one column p_CLASS per class with the
predicted probability (CSV/TSV: appended columns, with the header extended; JSON Lines: added keys;
Parquet and Arrow: written as CSV, every column of the file then the p_CLASS columns, null as an empty
field). The feature columns are the model's, by name. Memory stays bounded (batches of 4096 rows). A
bad row stops with exit code 1; with --out the partial file is removed; on stdout every row before the
bad one has been written (with its columns).

${columnarHelp}

Options:
{{options}}

Examples:
  xent predict model.json new.csv > scored.csv
  xent predict model.json new.parquet > scored.csv    # the output is CSV
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals } = parseArgs("predict", argv, predictOptions);
    if (positionals.length < 2) throw new UsageError("predict", "give a model file and at least one input file");
    const format = parseFormatOption("predict", o.format);
    const [modelPath, ...files] = positionals as [string, ...string[]];
    const m = loadModel(modelPath);
    let out: OutStream = io.stdout;
    let file: ReturnType<typeof createWriteStream> | null = null;
    if (typeof o.out === "string") {
      file = createWriteStream(o.out);
      out = file;
    }
    const p = new Predictor(m, out);
    let ok = false;
    const progress = new Progress((s) => io.stderr.write(s), io.stderrIsTTY === true && o["no-progress"] !== true);
    try {
      for (const path of files) {
        const onChunk = (src: ByteSource) => progress.update(src.bytesRead(), src.size, p.rows, src.name);
        await readTable({ path, stdin: io.stdin, format, allColumns: true, afterChunk: () => p.pending, onChunk }, p);
      }
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
      progress.finish();
      if (file !== null) {
        await new Promise<void>((resolve) => file!.end(resolve));
        // A partial output file is not a result: removed when the input turned out bad.
        if (!ok) rmSync(o.out as string, { force: true });
      }
    }
    return 0;
  },
};
