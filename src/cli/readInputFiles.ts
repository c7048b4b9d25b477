import { type TableFormat, type TableHandler, formatFromName, readTable } from "../io/tableReader.js";
import { type OptionSpec } from "./args.js";
import { type CliIO } from "./cliIO.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usageError.js";

/** The options of a command that reads tables with `readInputFiles`. */
export const readInputOptions: OptionSpec[] = [
  { name: "format", type: "string", value: "csv|tsv|jsonl", help: "input format (default: from the extension, else sniffed)" },
  { name: "delimiter", type: "string", value: "CHAR", help: "CSV separated by CHAR instead of commas (one ASCII character, e.g. ';', or '\\t'); quoting rules as in CSV" },
  { name: "no-header", type: "boolean", help: "CSV/TSV without a header row: columns are numbered 1, 2, ... (an error for JSON Lines)" },
  { name: "no-progress", type: "boolean", help: "no progress bar (it is only drawn when stderr is a terminal anyway)" },
];

/** How `readInputFiles` reads: the command's `--format`, `--delimiter`, `--no-header` and `--no-progress`. */
export interface ReadInputsOptions {
  format: TableFormat | undefined;
  /** The `--delimiter` value as given (checked by `readInputFiles`), or undefined. */
  delimiter?: string | undefined;
  noHeader: boolean;
  noProgress: boolean;
}

/** The field separator of `--delimiter`: one ASCII character other than a quote or a line end; `\t` is a tab. */
export function parseDelimiter(command: string, value: string | undefined, format: TableFormat | undefined): string | undefined {
  if (value === undefined) return undefined;
  const d = value === "\\t" ? "\t" : value;
  const b = d.length === 1 ? d.charCodeAt(0) : -1;
  if (!(b > 0 && b < 128) || d === '"' || d === "\n" || d === "\r") {
    throw new UsageError(command, `--delimiter ${JSON.stringify(value)} is not one ASCII character other than a quote or a line end (e.g. ';', '|', '\\t')`);
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
          ...(delimiter !== undefined ? { delimiter } : {}),
          ...(afterChunk !== undefined ? { afterChunk } : {}),
          onChunk: (src) => progress.update(src.bytesRead(), src.size, rows(), src.name),
        },
        table,
      );
    }
  } finally {
    progress.finish();
  }
}
