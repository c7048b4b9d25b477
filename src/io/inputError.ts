/**
 * A problem with the input data (not with the command line): a malformed row, a missing column, a value out
 * of its range. `file:line:column` points at the offending text, which the message quotes (line 0 for
 * problems of the whole file, such as a missing file: then the message is `file: ...`); `reason` is a
 * short stable category used to count skipped rows (`--skip-invalid`).
 */
export class InputError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  /** Whether skipping the row is possible (false for a bad header, a corrupt gzip stream, ...). */
  readonly rowLevel: boolean;

  constructor(file: string, line: number, column: number, reason: string, detail: string, rowLevel = true) {
    super(line > 0 ? `${file}:${line}:${column}: ${detail}` : `${file}: ${detail}`);
    this.name = "InputError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
    this.rowLevel = rowLevel;
  }
}

/** Quotes a piece of input for an error message, shortened if long. */
export function quoteText(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(short);
}
