import { type TableFormat, type TableHandler, formatFromName, readTable } from "../io/tableReader.js";
import { type OptionSpec } from "./args.js";
import { type CliIO } from "./cliIO.js";
import { Progress } from "./progress.js";
import { UsageError } from "./usageError.js";

/** The options of a command that reads tables with `readInputFiles`. */
export const readInputOptions: OptionSpec[] = [
  { name: "format", type: "string", value: "csv|tsv|jsonl", help: "input format (default: from the extension, else sniffed)" },
  { name: "no-header", type: "boolean", help: "CSV/TSV without a header row: columns are numbered 1, 2, ... (an error for JSON Lines)" },
  { name: "no-progress", type: "boolean", help: "no progress bar (it is only drawn when stderr is a terminal anyway)" },
];

/** How `readInputFiles` reads: the command's `--format`, `--no-header` and `--no-progress`. */
export interface ReadInputsOptions {
  format: TableFormat | undefined;
  noHeader: boolean;
  noProgress: boolean;
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
): Promise<void> {
  const { format, noHeader } = options;
  if (noHeader) {
    const jsonl = files.find((f) => (format ?? formatFromName(f)) === "jsonl");
    if (jsonl !== undefined) throw new UsageError(command, `--no-header is for CSV and TSV; ${jsonl} is JSON Lines (its values are named by key)`);
  }
  const progress = new Progress((s) => io.stderr.write(s), io.stderrIsTTY === true && !options.noProgress);
  try {
    for (const path of files) {
      await readTable(
        { path, stdin: io.stdin, format, header: !noHeader, onChunk: (src) => progress.update(src.bytesRead(), src.size, rows(), src.name) },
        table,
      );
    }
  } finally {
    progress.finish();
  }
}
