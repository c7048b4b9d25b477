import { type DelimitedStream, TABLE_FORMATS, type TableFormat, type TableHandler, formatFromName, readTable } from "../io/tableReader.js";
import { type OptionSpec } from "./args.js";
import { type CliIO } from "./cliIO.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usageError.js";

/** `--format`: Parquet and Arrow are recognized by their magic bytes anyway; a --format they contradict is bad input. */
export const formatOption: OptionSpec = {
  name: "format",
  type: "string",
  value: TABLE_FORMATS.join("|"),
  help: "input format (default: Parquet and Arrow IPC from the file's magic bytes, whatever its name; text formats from the extension, else sniffed)",
};

/** The `--format` value as a TableFormat, or bad usage. */
export function parseFormatOption(command: string, value: unknown): TableFormat | undefined {
  if (value === undefined) return undefined;
  if (!(TABLE_FORMATS as readonly unknown[]).includes(value)) {
    throw new UsageError(command, `--format ${JSON.stringify(value)} is not ${TABLE_FORMATS.slice(0, -1).join(", ")} or ${TABLE_FORMATS.at(-1)!}`);
  }
  return value as TableFormat;
}

/** The --help paragraph on Parquet and Arrow input, shared by eval, predict and train. */
export const columnarHelp = `Parquet and Arrow IPC files (file or stream format) are recognized by their magic bytes, not their
name, and read one row group (Parquet) or record batch (Arrow) at a time, only the columns used: numbers
from DOUBLE, FLOAT, INT*, DECIMAL (nearest double) and BOOLEAN (1/0) columns, text from strings, null is
missing; errors name the file, row (from 1) and column. Parquet codecs read: snappy, zstd, gzip, brotli,
lz4, none. Parquet and the Arrow file format need a path (random access); the Arrow stream format is
read from stdin too.`;

/** The options of a command that reads tables with `readInputFiles`. */
export const readInputOptions: OptionSpec[] = [
  formatOption,
  {
    name: "delimiter",
    type: "string",
    value: "CHAR",
    help: "CSV separated by CHAR instead of commas (one ASCII character, e.g. ';', or '\\t'); quoting rules as in CSV",
  },
  {
    name: "no-header",
    type: "boolean",
    help: "CSV/TSV without a header row: columns are numbered 1, 2, ... (an error for JSON Lines, Parquet, Arrow)",
  },
  { name: "no-progress", type: "boolean", help: "no progress bar (it is only drawn when stderr is a terminal anyway)" },
];

/** How `readInputFiles` reads: the command's `--format`, `--delimiter`, `--no-header` and `--no-progress`. */
export interface ReadInputsOptions {
  format: TableFormat | undefined;
  /** The `--delimiter` value as given (checked by `readInputFiles`), or undefined. */
  delimiter?: string | undefined;
  noHeader: boolean;
  noProgress: boolean;
  /** Parquet and Arrow: decode every column, not only those the handler resolves (predict writes them all). */
  allColumns?: boolean;
  /** CSV/TSV: read by this reader instead (`xent eval` in pieces, evalPieces.ts); see `TableInput.delimitedPieces`. */
  delimitedPieces?: (stream: DelimitedStream) => Promise<void>;
}

/** The field separator of `--delimiter`: one ASCII character other than a quote or a line end; `\t` is a tab. */
export function parseDelimiter(command: string, value: string | undefined, format: TableFormat | undefined): string | undefined {
  if (value === undefined) return undefined;
  const d = value === "\\t" ? "\t" : value;
  const b = d.length === 1 ? d.charCodeAt(0) : -1;
  if (!(b > 0 && b < 128) || d === '"' || d === "\n" || d === "\r") {
    throw new UsageError(
      command,
      `--delimiter ${JSON.stringify(value)} is not one ASCII character other than a quote or a line end (e.g. ';', '|', '\\t')`,
    );
  }
  if (format !== undefined && format !== "csv") throw new UsageError(command, `--delimiter is for CSV; --format ${format} does not take one`);
  return d;
}

/**
 * Reads the input files of a command (paths, "-" for stdin) one after the other into `table`, with a
 * progress line when stderr is a terminal (`rows()` is the row count so far). `--no-header` with a JSON
 * Lines file is bad usage, refused before anything is read: its values are named by key.
 */
export async function readInputFiles(
  command: string,
  files: readonly string[],
  options: ReadInputsOptions,
  io: CliIO,
  table: TableHandler,
  rows: () => number,
  /** Awaited after each chunk (a command that writes output waits for it to drain there). */
  afterChunk?: () => Promise<void>,
): Promise<void> {
  const { format, noHeader } = options;
  const delimiter = parseDelimiter(command, options.delimiter, format);
  // (--no-header with a Parquet or Arrow file is refused by readTable, which sees the magic bytes.)
  if (noHeader) {
    const jsonl = files.find((f) => (format ?? formatFromName(f)) === "jsonl");
    if (jsonl !== undefined) throw new UsageError(command, `--no-header is for CSV and TSV; ${jsonl} is JSON Lines (its values are named by key)`);
  }
  if (delimiter !== undefined) {
    const jsonl = files.find((f) => (format ?? formatFromName(f)) === "jsonl");
    if (jsonl !== undefined) throw new UsageError(command, `--delimiter is for CSV; ${jsonl} is JSON Lines`);
  }
  const progress = new Progress((s) => io.stderr.write(s), io.stderrIsTTY === true && !options.noProgress);
  try {
    for (const path of files) {
      await readTable(
        {
          path,
          stdin: io.stdin,
          format,
          header: !noHeader,
          ...(options.allColumns === true ? { allColumns: true } : {}),
          ...(delimiter !== undefined ? { delimiter } : {}),
          ...(afterChunk !== undefined ? { afterChunk } : {}),
          ...(options.delimitedPieces !== undefined ? { delimitedPieces: options.delimitedPieces } : {}),
          onChunk: (src) => progress.update(src.bytesRead(), src.size, rows(), src.name),
        },
        table,
      );
    }
  } finally {
    progress.finish();
  }
}
