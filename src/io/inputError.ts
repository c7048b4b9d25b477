/**
 * A problem with the input data (not with the command line): a malformed row, a missing column, a value out
 * of its range. `file:line:column` points at the offending text, which the message quotes (line 0 for
 * problems of the whole file, such as a missing file: then the message is `file: ...`); `reason` is a
 * short stable category used to count skipped rows (`--skip-invalid`). In a columnar file (Parquet, Arrow
 * IPC), which has no lines, `line` is the row number (data rows counted from 1) and `column` the column's
 * position (from 1), and the message says `file: row N, column "name": ...` (see `rowInputError`).
 */
export class InputError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  /** Whether skipping the row is possible (false for a bad header, a corrupt gzip stream, ...). */
  readonly rowLevel: boolean;

  /** `place`, when given, replaces `line:column` in the message (e.g. `row 12, column "p"`). */
  constructor(file: string, line: number, column: number, reason: string, detail: string, rowLevel = true, place?: string) {
    super(place !== undefined ? `${file}: ${place}: ${detail}` : line > 0 ? `${file}:${line}:${column}: ${detail}` : `${file}: ${detail}`);
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

/**
 * An InputError at a row of a columnar file (Parquet, Arrow IPC): `file: row 1234567, column "p": detail`.
 * `row` counts data rows from 1; `column` is the column's position from 0 (stored from 1, as for text).
 */
export function rowInputError(file: string, row: number, column: number, name: string, reason: string, detail: string, rowLevel = true): InputError {
  return new InputError(file, row, column + 1, reason, detail, rowLevel, `row ${row}, column ${quoteText(name)}`);
}
