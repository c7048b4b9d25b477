import { type ByteSource } from "./byteSource.js";
import { InputError, quoteText, rowInputError } from "./inputError.js";
import { parseNumberText, parsed } from "./parseNumber.js";
import { type ColumnResolver, type RowView, type TableFormat, type TableHandler } from "./tableReader.js";

/**
 * The values of one column for a block of rows (a Parquet row group, an Arrow record batch), as the
 * decoders give them: a typed array (numbers or bigints; no nulls), or an array of JavaScript values with
 * null for a missing value (numbers, bigints, booleans, strings, Dates, ...).
 */
export type ColumnValues = ArrayLike<unknown>;

/**
 * The rows of a columnar file (Parquet, Arrow IPC) as a `RowView`, one block of rows at a time: the
 * columns arrive as arrays, the view is an index into them, so reading a cell allocates nothing (except
 * `text` of a value that is not a string). It is also the file's `ColumnResolver`, and remembers the columns
 * the handler resolved: only those are decoded (`used`).
 *
 * Values: a number is itself; a bigint (INT64) its nearest double; a boolean 1 or 0 (as in JSON Lines); a
 * string is parsed as a decimal number like a CSV field ("0.5" is 0.5, "yes" is not a number); null is
 * missing. Text: a string as is, a number by `String` (shortest round trip), a Date in ISO 8601.
 */
export class ColumnarRows implements RowView, ColumnResolver {
  readonly file: string;
  readonly format: TableFormat;
  readonly names: readonly string[];
  /** The row number of the current row (data rows from 1). */
  line = 0;
  /** The columns resolved by the handler, in the order first resolved. */
  readonly used: number[] = [];
  private values: (ColumnValues | undefined)[] = [];
  private r = 0;

  constructor(file: string, format: TableFormat, names: readonly string[]) {
    this.file = file;
    this.format = format;
    this.names = names;
  }

  // ColumnResolver
  index(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) {
      const known = this.names.length === 0 ? "the file has no columns" : `the columns are ${this.names.map((c) => quoteText(c)).join(", ")}`;
      throw new InputError(this.file, 0, 0, "missing column", `no column ${quoteText(name)} (${known})`, false);
    }
    if (!this.used.includes(i)) this.used.push(i);
    return i;
  }

  /**
   * Hands `n` rows, whose columns are `columns` (by column index; columns not read are undefined), to
   * `handler.row`; the first of them is row `firstRow` (from 1).
   */
  emit(handler: TableHandler, columns: (ColumnValues | undefined)[], n: number, firstRow: number): void {
    this.values = columns;
    for (let r = 0; r < n; r++) {
      this.r = r;
      this.line = firstRow + r;
      handler.row(this);
    }
    this.values = [];
  }

  // RowView
  location(): string {
    return `${this.file} row ${this.line}`;
  }

  malformed(): InputError | null {
    return null;
  }

  absent(i: number): boolean {
    const v = this.values[i]?.[this.r];
    return v === null || v === undefined;
  }

  missing(i: number): boolean {
    const v = this.values[i]?.[this.r];
    return v === null || v === undefined || v === "";
  }

  number(i: number): number | undefined {
    return this.parse(i) ? parsed[0] : undefined;
  }

  parse(i: number): boolean {
    const v = this.values[i]?.[this.r];
    if (typeof v === "number") {
      parsed[0] = v;
      return true;
    }
    if (typeof v === "bigint") parsed[0] = Number(v);
    else if (typeof v === "boolean") parsed[0] = v ? 1 : 0;
    else if (typeof v === "string") {
      const x = parseNumberText(v);
      if (x === undefined) return false;
      parsed[0] = x;
    } else return false;
    return true;
  }

  text(i: number): string {
    return cellText(this.values[i]?.[this.r]);
  }

  error(i: number, reason: string, detail: string): InputError {
    return rowInputError(this.file, this.line, i, this.names[i] ?? String(i + 1), reason, detail);
  }

  raw(): string {
    let line = "";
    let first = true;
    for (let i = 0; i < this.values.length; i++) {
      if (this.values[i] === undefined) continue;
      const t = this.text(i);
      line += (first ? "" : ",") + (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
      first = false;
    }
    return line;
  }
}

/** A value as text: strings as they are, numbers shortest round trip, null and undefined "". */
export function cellText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    try {
      return JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x));
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/**
 * A stand-in `ByteSource` for progress lines over a columnar file read by random access: `bytesRead` is the
 * file's size times the share of the work done (`done()` of `total` rows or batches; the columns not read
 * are skipped, so the bytes really read would never reach the size).
 */
export function shareProgressSource(name: string, size: number, total: number, done: () => number): ByteSource {
  return {
    name,
    size,
    bytesRead: () => (total === 0 ? size : Math.round((size * done()) / total)),
    gzip: () => false,
    chunks: (async function* () {})(),
  };
}
