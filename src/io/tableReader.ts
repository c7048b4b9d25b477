import { type Readable } from "node:stream";
import { type ByteSource, openByteSource } from "./byteSource.js";
import { InputError, quoteText } from "./inputError.js";
import { parseNumberBytes, parseNumberInto, parseNumberText, parsed } from "./parseNumber.js";
import { type BinaryFormat, binaryFormatOf, fileMagic } from "./tableMagic.js";

/** The table formats read by xent: text (CSV, TSV, JSON Lines) and columnar (Parquet, Arrow IPC file or stream). */
export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet" | "arrow";

/** Every `TableFormat`, as `--format` takes them. */
export const TABLE_FORMATS: readonly TableFormat[] = ["csv", "tsv", "jsonl", "parquet", "arrow"];

/** The columns of a table, resolved by name once per file before its rows. */
export interface ColumnResolver {
  readonly file: string;
  readonly format: TableFormat;
  /** The header's names (CSV/TSV; Parquet, Arrow: the schema's top-level columns), or null (JSON Lines: any key may appear in any row). */
  readonly names: readonly string[] | null;
  /** The index of a column; a missing column throws an InputError naming the file and the columns there are. */
  index(name: string): number;
}

/** One row, valid only during the `row` callback (the reader reuses it). Columns are resolver indices. */
export interface RowView {
  readonly file: string;
  /** Line of the row's first character (1-based); Parquet and Arrow: the row number (data rows from 1). */
  readonly line: number;
  /** Where the row is, for messages: `file:line`, or `file row N` for Parquet and Arrow. */
  location(): string;
  /** The row's structural problem (wrong number of fields, bad JSON), or null. */
  malformed(): InputError | null;
  /** True when the value is absent: an empty field, a missing or null JSON key. */
  missing(i: number): boolean;
  /** True when there is no value at all: past the row's fields, or a JSON key that is absent or null (an empty field is "", not absent). */
  absent(i: number): boolean;
  /** The value as a number; NaN only for the text "nan"; undefined when it is not a number. */
  number(i: number): number | undefined;
  /** `number(i)` for hot loops: true and the value in `parsed[0]` (from parseNumber.ts), or false. */
  parse(i: number): boolean;
  /** The value as text (CSV quotes removed; JSON scalars as written, without string quotes). */
  text(i: number): string;
  /** An InputError pointing at column i of this row, quoting its text. */
  error(i: number, reason: string, detail: string): InputError;
  /**
   * The row as written, without its line end (CSV/TSV: the record; JSON Lines: the line; Parquet and Arrow:
   * the row as a CSV record of the columns read, see `TableInput.allColumns`).
   */
  raw(): string;
}

export interface TableHandler {
  header(columns: ColumnResolver): void;
  row(view: RowView): void;
  /**
   * Optional, CSV/TSV only: asked after `header`, whether the handler reads records of exactly two plain
   * decimals (`numberPair`) with the first two columns. True makes the reader try each record in that shape
   * first (see `numberPair` below).
   */
  numberPairs?(): boolean;
  /**
   * A record of exactly two fields that are plain decimals (an optional minus, 1 to 9 digits with an optional
   * point after the first; no spaces, quotes or exponent), their values in `numberPair[0]` and `numberPair[1]`
   * (the same doubles `RowView.parse` gives). Returns true when the row is taken, or false, having done
   * nothing, to have the record read as any other by `row` (a row to check or reject, a label that fixes a
   * convention, ...). Any other record goes to `row`.
   */
  numberPair?(): boolean;
}

/** The two values of a record for `TableHandler.numberPair` (a typed array: a double passed to a call is boxed). */
export const numberPair = new Float64Array(2);

export interface TableInput {
  /** A path, or "-" for stdin. */
  path: string;
  stdin?: Readable;
  /**
   * Default: Parquet and Arrow IPC from the magic bytes (whatever the name); text formats from the extension
   * (.csv, .tsv/.tab, .jsonl/.ndjson/.json, each optionally .gz), else sniffed. A format given here that the
   * magic bytes contradict (Parquet read as CSV, CSV as Parquet) is an InputError.
   */
  format?: TableFormat;
  /**
   * Parquet and Arrow: read every column (for `raw()`), not only the columns the handler resolved in
   * `header` (the default: a file's other columns are never decoded).
   */
  allColumns?: boolean;
  /** CSV/TSV: whether the first row names the columns (default true); without it, columns are named 1, 2, ... */
  header?: boolean;
  /**
   * CSV with another field separator than the comma (one ASCII character other than a quote or a line end,
   * e.g. ";"); the CSV quoting rules still apply. Given, the input is read as CSV whatever its extension,
   * except JSON Lines (an error).
   */
  delimiter?: string;
  /** Called after each chunk (Parquet: row group; Arrow: record batch) with the source (for progress). */
  onChunk?: (source: ByteSource) => void;
  /** Awaited after each chunk: lets a consumer that writes output wait for it to drain (bounded memory). */
  afterChunk?: () => Promise<void>;
  /**
   * CSV/TSV only: instead of parsing the rows here, hand the byte stream over (after the format is decided)
   * to this reader, which cuts it into pieces and parses them itself (`xent eval` in parallel,
   * cli/evalPieces.ts). JSON Lines, Parquet and Arrow are read as usual.
   */
  delimitedPieces?: (stream: DelimitedStream) => Promise<void>;
}

/** A CSV/TSV byte stream handed to `TableInput.delimitedPieces`: the format settled, the first bytes read. */
export interface DelimitedStream {
  source: ByteSource;
  tsv: boolean;
  /** The field separator byte (44 for CSV, 9 for TSV, or `--delimiter`'s). */
  delimiter: number;
  header: boolean;
  /** The bytes already read (at least 8 unless the input is shorter), then the rest. */
  head: Buffer | null;
  rest: AsyncIterator<Buffer>;
  /** To call after each chunk read (the progress line). */
  onChunk: () => void;
}

/** A record longer than this (64 MB) is an error rather than unbounded memory. */
const MAX_RECORD = 64 << 20;

/** The format from the file name, or null when the name does not tell. */
export function formatFromName(path: string): TableFormat | null {
  const base = path.toLowerCase().replace(/\.(gz|gzip)$/, "");
  if (base.endsWith(".csv")) return "csv";
  if (base.endsWith(".tsv") || base.endsWith(".tab")) return "tsv";
  if (base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json")) return "jsonl";
  return null;
}

function sniffFormat(first: Buffer): TableFormat {
  let i = 0;
  while (
    i < first.length &&
    (first[i] === 32 || first[i] === 9 || first[i] === 10 || first[i] === 13 || first[i] === 0xef || first[i] === 0xbb || first[i] === 0xbf)
  )
    i++;
  if (first[i] === 123) return "jsonl";
  let eol = first.indexOf(10, i);
  if (eol < 0) eol = first.length;
  const line = first.subarray(i, eol);
  return line.includes(9) && !line.includes(44) ? "tsv" : "csv";
}

/**
 * Reads a table file (CSV, TSV or JSON Lines, plain or gzip; Parquet; Arrow IPC; a path or "-" for stdin)
 * in bounded memory, calling `handler.header` once and `handler.row` for each row. Blank lines are not rows
 * and are passed over. Errors from the handler propagate; reading stops there. Parquet and the Arrow file
 * format need random access: from a path only (stdin is refused with an InputError); the Arrow stream
 * format is read from stdin too.
 */
export async function readTable(input: TableInput, handler: TableHandler): Promise<void> {
  const delimiter = delimiterByte(input.delimiter);
  if (input.path !== "-") {
    // A regular file is sniffed before it is streamed: Parquet and Arrow files are read by random access.
    const magic = fileMagic(input.path);
    if (magic === "parquet" || magic === "arrow-file") {
      checkFormat(input, magic, input.path);
      if (magic === "parquet") {
        const { readParquetTable } = await import("./parquetTable.js");
        return readParquetTable(input, handler);
      }
      const { readArrowFile } = await import("./arrowTable.js");
      return readArrowFile(input, handler);
    }
  }
  const source = openByteSource(input.path, input.stdin);
  const chunks = source.chunks[Symbol.asyncIterator]();
  try {
    // The first bytes decide a binary format: at least 8 of them unless the input is shorter.
    let head: Buffer | null = null;
    while (head === null || head.length < 8) {
      const r = await chunks.next();
      if (r.done) break;
      head = head === null ? r.value : Buffer.concat([head, r.value]);
    }
    const magic = head === null ? null : binaryFormatOf(head);
    if (magic !== null) checkFormat(input, magic, source.name);
    if (magic === "parquet" || magic === "arrow-file") {
      const what = magic === "parquet" ? "Parquet" : "an Arrow IPC file (the file format)";
      const hint = magic === "parquet" ? "give the file's path" : "give the file's path, or send the Arrow stream format";
      throw new InputError(
        source.name,
        0,
        0,
        "unreadable",
        `this is ${what}, which is read by random access: it cannot be read from a stream${source.gzip() ? " (here gzip-compressed)" : ""}; ${hint}`,
        false,
      );
    }
    if (magic === "arrow-stream") {
      const { readArrowStream } = await import("./arrowTable.js");
      return await readArrowStream(input, handler, source, head!, chunks);
    }
    if (input.format === "parquet" || input.format === "arrow") checkFormat(input, null, source.name);
    if (input.delimitedPieces !== undefined) {
      const named = input.format ?? formatFromName(input.path);
      const format = delimiter >= 0 && named !== "jsonl" ? "csv" : (named ?? (head === null ? "csv" : sniffFormat(head)));
      if (format !== "jsonl") {
        const tsv = format === "tsv";
        return await input.delimitedPieces({
          source,
          tsv,
          delimiter: tsv ? 9 : delimiter >= 0 ? delimiter : 44,
          header: input.header ?? true,
          head,
          rest: chunks,
          onChunk: () => input.onChunk?.(source),
        });
      }
    }
    let parser: DelimitedParser | JsonLinesParser | null = null;
    for (let chunk = head; chunk !== null;) {
      if (parser === null) {
        const named = input.format ?? formatFromName(input.path);
        const format = delimiter >= 0 && named !== "jsonl" ? "csv" : (named ?? sniffFormat(chunk));
        if (format === "jsonl" && input.header === false) {
          // Not ignored silently: JSON Lines names its values by key, there is no header row to go without.
          throw new InputError(
            source.name,
            1,
            1,
            "format",
            "this is JSON Lines, whose values are named by key: a header-less table (no header) is CSV or TSV only",
            false,
          );
        }
        if (format === "jsonl" && delimiter >= 0) {
          throw new InputError(source.name, 1, 1, "format", "this is JSON Lines: a field delimiter is for CSV only", false);
        }
        parser =
          format === "jsonl"
            ? new JsonLinesParser(source.name, handler)
            : new DelimitedParser(source.name, format === "tsv", input.header ?? true, handler, delimiter);
      }
      parser.feed(chunk, false);
      input.onChunk?.(source);
      if (input.afterChunk !== undefined) await input.afterChunk();
      const r = await chunks.next();
      chunk = r.done ? null : r.value;
    }
    if (parser === null) {
      // An empty input: a header-less table of no rows. Resolving columns still reports a missing one.
      const format = delimiter >= 0 ? "csv" : (input.format ?? formatFromName(input.path) ?? "csv");
      parser =
        format === "jsonl"
          ? new JsonLinesParser(source.name, handler)
          : new DelimitedParser(source.name, format === "tsv", input.header ?? true, handler, delimiter);
    }
    parser.feed(Buffer.alloc(0), true);
  } finally {
    // Stopped early (a bad row) or done: closes the file (as a for-await loop would).
    await chunks.return?.();
  }
}

const FORMAT_NAMES: Record<BinaryFormat, string> = {
  parquet: "Parquet",
  "arrow-file": "Arrow IPC (file format)",
  "arrow-stream": "Arrow IPC (stream format)",
};

/**
 * A `--format` that the magic bytes contradict is an InputError; so is `--no-header` for a columnar file.
 * `magic` null: the file is not Parquet or Arrow, which a `--format` of parquet or arrow contradicts.
 */
function checkFormat(input: TableInput, magic: BinaryFormat | null, name: string): void {
  const f = input.format;
  if (magic === null) {
    if (f === "parquet")
      throw new InputError(name, 0, 0, "format", 'not a Parquet file (--format parquet): it does not start with the magic bytes "PAR1"', false);
    if (f === "arrow")
      throw new InputError(
        name,
        0,
        0,
        "format",
        'not an Arrow IPC file (--format arrow): it starts neither with "ARROW1" (file format) nor with the stream format\'s 0xFFFFFFFF',
        false,
      );
    return;
  }
  const want = magic === "parquet" ? "parquet" : "arrow";
  if (f !== undefined && f !== want) {
    throw new InputError(
      name,
      0,
      0,
      "format",
      `this is ${FORMAT_NAMES[magic]} (from its magic bytes), not ${f}: pass --format ${want}, or no --format`,
      false,
    );
  }
  if (input.header === false) {
    throw new InputError(
      name,
      0,
      0,
      "format",
      `this is ${FORMAT_NAMES[magic]}, whose columns are named: a header-less table (no header) is CSV or TSV only`,
      false,
    );
  }
}

/** The byte of a `delimiter` option, or -1 when none is given; a RangeError for one that cannot separate CSV fields. */
function delimiterByte(delimiter: string | undefined): number {
  if (delimiter === undefined) return -1;
  const b = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  if (!(b > 0 && b < 128) || b === 34 || b === 10 || b === 13) {
    throw new RangeError(`delimiter ${JSON.stringify(delimiter)} is not one ASCII character other than a quote or a line end`);
  }
  return b;
}

const EMPTY = Buffer.alloc(0);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Records in a row not of the two-decimal shape after which a parser stops trying it (`scanPairs`). */
const PAIR_MISSES = 1000;

/**
 * A plain decimal at `buf[k..]`: an optional minus, then 1 to 9 digits with an optional point after the first
 * (as "1", "-1" or "0.4842212"), up to the first other byte, which must come before the buffer's end (the
 * caller reads only up to a line feed, so no byte is checked against the end). Its value goes to
 * `numberPair[j]`: the significand m < 10^9 summed in int32 arithmetic, then `m / 10^f` for f digits after
 * the point, one correctly rounded division of exact operands (Clinger's fast path), so exactly
 * `Number(text)` and the double `parseNumberInto` gives. Returns the offset of the byte after it, or -1 for
 * any other text.
 */
function plainDecimal(buf: Buffer, k: number, j: number): number {
  let negative = false;
  if (buf[k] === 45) {
    negative = true;
    k++;
  }
  const first = k;
  let m = 0;
  for (;;) {
    const c = buf[k]! - 48;
    if (c >>> 0 > 9) break;
    m = (m * 10 + c) | 0;
    k++;
  }
  if (k === first || k - first > 9) return -1;
  let f = 0;
  if (buf[k] === 46) {
    const dot = ++k;
    for (;;) {
      const c = buf[k]! - 48;
      if (c >>> 0 > 9) break;
      m = (m * 10 + c) | 0;
      k++;
    }
    f = k - dot;
    if (k - first - 1 > 9) return -1;
  }
  const v = f === 0 ? m : m / POW10[f]!;
  numberPair[j] = negative ? -v : v;
  return k;
}

/** 1-based character column of byte `at` in `buf`, whose line starts after the last newline before it. */
function charColumn(buf: Buffer, at: number, floor: number): number {
  let s = at;
  while (s > floor && buf[s - 1] !== 10) s--;
  let col = 1;
  for (let k = s; k < at; k++) if ((buf[k]! & 0xc0) !== 0x80) col++;
  return col;
}

/**
 * CSV (RFC 4180: comma-separated, fields optionally in double quotes with "" for a quote, quoted fields may
 * span lines, CRLF or LF) and TSV (tab-separated, no quoting), parsed byte by byte over Buffers: a record's
 * fields are offsets into the current chunk, numbers are parsed from the bytes (see `parseNumberBytes`), and
 * only a record cut by a chunk boundary is copied. Spaces around numbers are ignored.
 */
class DelimitedParser implements RowView, ColumnResolver {
  readonly file: string;
  readonly format: TableFormat;
  line = 1;
  names: string[] | null = null;
  private readonly delimiter: number;
  private readonly quoting: boolean;
  private readonly hasHeader: boolean;
  private readonly handler: TableHandler;
  private buf: Buffer = EMPTY;
  private carry: Buffer = EMPTY;
  private recStart = 0;
  private n = 0;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  /** Offset of text after a closing quote (a malformed field), or -1. */
  private junk = -1;
  /** How many line breaks the current record's quoted fields hold. */
  private span = 0;
  private width = -1;
  private first = true;
  /** Line of the header row (blank lines may come before it). */
  private headerLine = 1;

  /** A piece that may end inside a quoted field (`feedPiece`): such a record is kept for the next piece. */
  private pieceOpen = false;
  /** Whether records are tried as two plain decimals first (`TableHandler.numberPair`). */
  private pairs = false;
  /** Records in a row that the two-decimal path left to `scan`: past `PAIR_MISSES`, it is not tried again. */
  private pairMisses = 0;

  /**
   * `delimiter`: a CSV field separator other than the comma (a byte), or -1. `piece`: the parser of a piece
   * of a table cut at a line start (`DelimitedPieceParser`): its first line number, and the header's names
   * when the piece comes after the header (null: no header), or undefined for the piece that holds it.
   */
  constructor(
    file: string,
    tsv: boolean,
    hasHeader: boolean,
    handler: TableHandler,
    delimiter = -1,
    piece?: { line: number; names: readonly string[] | null | undefined },
  ) {
    this.file = file;
    this.format = tsv ? "tsv" : "csv";
    this.delimiter = tsv ? 9 : delimiter >= 0 ? delimiter : 44;
    this.quoting = !tsv;
    this.hasHeader = hasHeader;
    this.handler = handler;
    if (piece !== undefined) {
      this.line = piece.line;
      if (piece.names !== undefined) {
        // After the header: no byte-order mark, and the header's names (or none) without reading a header row.
        this.first = false;
        this.startTable(piece.names === null ? null : [...piece.names]);
      }
    }
  }

  /**
   * Parses a piece of the table that ends just after a line feed (or at the end of the input, `last`):
   * every record in it, as at the end of the input, except a quoted field still open at the piece's end,
   * whose record is kept for the next piece. Returns whether the piece ended at a record's end.
   */
  feedPiece(chunk: Buffer, last: boolean): boolean {
    this.pieceOpen = !last;
    try {
      this.feed(chunk, true);
    } finally {
      this.pieceOpen = false;
    }
    return this.carry.length === 0;
  }

  feed(chunk: Buffer, final: boolean): void {
    let buf = this.carry.length === 0 ? chunk : chunk.length === 0 ? this.carry : Buffer.concat([this.carry, chunk]);
    if (this.first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    else if (this.first && buf.length < 3 && !final) {
      this.carry = buf;
      return;
    }
    this.first = false;
    this.buf = buf;
    const consumed = this.scan(final);
    this.carry = consumed >= buf.length ? EMPTY : buf.subarray(consumed);
    if (this.carry.length > MAX_RECORD) {
      throw new InputError(this.file, this.line, 1, "malformed row", `a record longer than ${MAX_RECORD} bytes (an unclosed quote?)`, false);
    }
    if (final && !this.pieceOpen && this.names === null) this.startTable(this.hasHeader ? [] : null);
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const s = new Int32Array(size);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(size);
    e.set(this.ends);
    this.ends = e;
    const q = new Uint8Array(size);
    q.set(this.escaped);
    this.escaped = q;
  }

  /**
   * Emits every complete record of `this.buf`; returns the offset of the first unconsumed byte. Unquoted
   * fields are found by a byte loop (cheaper than a native `indexOf` call for the short fields of a
   * predictions file); quoted fields by `indexOf` of the quote.
   */
  private scan(final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    const D = this.delimiter;
    let pos = 0;
    while (pos < len) {
      if (this.pairs) {
        const from = pos;
        pos = this.scanPairs(buf, pos, len);
        if (pos >= len) break;
        // A file whose rows are of another shape (17-digit probabilities, spaces) stops paying for the try.
        if (pos !== from) this.pairMisses = 0;
        else if (++this.pairMisses === PAIR_MISSES) this.pairs = false;
      }
      const recStart = pos;
      let n = 0;
      let extraLines = 0;
      this.junk = -1;
      let incomplete = false;
      for (;;) {
        if (n === this.starts.length) this.grow();
        if (this.quoting && pos < len && buf[pos] === 34) {
          let j = pos + 1;
          let esc = 0;
          let close = -1;
          for (;;) {
            const k = buf.indexOf(34, j);
            if (k < 0) break;
            if (k + 1 < len && buf[k + 1] === 34) {
              esc = 1;
              j = k + 2;
              continue;
            }
            if (k + 1 >= len && !final) break; // cannot tell a closing quote from the first of "" yet
            close = k;
            break;
          }
          if (close < 0) {
            if (!final || this.pieceOpen) {
              incomplete = true;
              break;
            }
            throw new InputError(
              this.file,
              this.line,
              charColumn(buf, pos, recStart),
              "malformed row",
              // Not row-level (never skipped): the quote makes the rest of the input one field, so the rows
              // it hides can be neither read nor counted.
              "a quoted field is never closed: every line after it to the end of the input is inside it, so the rows there cannot be read or counted (this is never skipped)",
              false,
            );
          }
          for (let k = pos; k < close; k++) if (buf[k] === 10) extraLines++;
          this.starts[n] = pos + 1;
          this.ends[n] = close;
          this.escaped[n] = esc;
          n++;
          pos = close + 1;
          // After the closing quote: a delimiter, the end of the line, or the end of the data.
          if (pos + 1 >= len && !final) {
            incomplete = true;
            break;
          }
          const b = pos < len ? buf[pos] : 10;
          if (b === D) {
            pos++;
            continue;
          }
          if (b === 10) {
            pos++;
            break;
          }
          if (b === 13 && (pos + 1 >= len || buf[pos + 1] === 10)) {
            pos += 2;
            break;
          }
          this.junk = pos;
          let eol = buf.indexOf(10, pos);
          if (eol < 0) {
            if (!final) {
              incomplete = true;
              break;
            }
            eol = len;
          }
          pos = eol + 1;
          break;
        }
        let k = pos;
        let b = 0;
        while (k < len) {
          b = buf[k]!;
          if (b === D || b === 10) break;
          k++;
        }
        if (k >= len) {
          if (!final) {
            incomplete = true;
            break;
          }
          b = 10;
        }
        this.starts[n] = pos;
        this.escaped[n] = 0;
        if (b === D) {
          this.ends[n++] = k;
          pos = k + 1;
          continue;
        }
        this.ends[n++] = k > pos && buf[k - 1] === 13 ? k - 1 : k;
        pos = k + 1;
        break;
      }
      if (incomplete) return recStart;
      this.recStart = recStart;
      this.n = n;
      this.span = extraLines;
      // A blank line (one empty, unquoted field) is not a row.
      if (!(n === 1 && this.starts[0] === this.ends[0] && buf[recStart] !== 34)) this.record();
      this.line += 1 + extraLines;
    }
    return len;
  }

  /**
   * The records from `pos` that are two plain decimals (`plainDecimal`) separated by the delimiter and ended
   * by LF or CRLF, each handed to `TableHandler.numberPair`, in one pass over their bytes; returns the offset
   * of the first record that is not (or that the handler refused, or that the buffer cuts): `scan` reads
   * that one as usual. A record taken here is one line without quotes, so it reads the same as in `scan`.
   */
  private scanPairs(buf: Buffer, pos: number, len: number): number {
    const D = this.delimiter;
    const handler = this.handler;
    // Records up to the buffer's last line feed only: every byte read below comes before it, so no read
    // checks the buffer's end (a digit run stops at the line feed at the latest).
    const end = buf.lastIndexOf(10, len - 1) + 1;
    while (pos < end) {
      // A one-digit first field (a label) without the call.
      const d = buf[pos]! - 48;
      let k: number;
      if (d >>> 0 <= 9 && buf[pos + 1] === D) {
        numberPair[0] = d;
        k = pos + 1;
      } else {
        k = plainDecimal(buf, pos, 0);
        if (k < 0 || buf[k] !== D) return pos;
      }
      k = plainDecimal(buf, k + 1, 1);
      if (k < 0) return pos;
      if (buf[k] === 13) {
        if (buf[k + 1] !== 10) return pos;
        k++;
      } else if (buf[k] !== 10) return pos;
      if (!handler.numberPair!()) return pos;
      this.line++;
      pos = k + 1;
    }
    return pos;
  }

  private record(): void {
    if (this.names === null) {
      if (this.hasHeader) {
        const names: string[] = [];
        const seen = new Map<string, number>();
        for (let i = 0; i < this.n; i++) {
          const name = this.text(i).trim();
          const before = seen.get(name);
          if (before !== undefined) {
            // Never silent: a name must resolve to one column, and which of the two a user meant is unknowable.
            throw this.errorAt(
              this.starts[i]!,
              "duplicate column",
              `columns ${before + 1} and ${i + 1} of the header are both named ${quoteText(name)}: a column name must be unique (rename one of them)`,
              false,
            );
          }
          seen.set(name, i);
          names.push(name);
        }
        this.headerLine = this.line;
        this.startTable(names);
        return;
      }
      this.startTable(null);
    }
    this.handler.row(this);
  }

  private startTable(names: string[] | null): void {
    this.names = names ?? [];
    this.width = names === null ? -1 : names.length;
    this.handler.header(this);
    // Not with a delimiter that a plain decimal may hold (`--delimiter .`, `-` or a digit).
    const D = this.delimiter;
    const plain = D === 45 || D === 46 || (D >= 48 && D <= 57);
    this.pairs = !plain && (this.width === 2 || this.width === -1) && this.handler.numberPairs?.() === true;
  }

  // ColumnResolver
  index(name: string): number {
    if (!this.hasHeader) {
      const i = Number(name);
      if (Number.isInteger(i) && i >= 1) return i - 1;
      throw new InputError(
        this.file,
        1,
        1,
        "missing column",
        `without a header, columns are numbered from 1: ${quoteText(name)} is not a column number`,
        false,
      );
    }
    const i = this.names!.indexOf(name);
    if (i < 0) {
      const known = this.names!.length === 0 ? "the file is empty" : `the columns are ${this.names!.map((c) => quoteText(c)).join(", ")}`;
      throw new InputError(
        this.file,
        this.headerLine,
        1,
        "missing column",
        `no column ${quoteText(name)} in the header (${known})${this.headerHint(name)}`,
        false,
      );
    }
    return i;
  }

  /** For a missing column `name`: the likely cause seen in the header or the name, and the option that fixes it, or "". */
  private headerHint(name: string): string {
    const names = this.names!;
    if (names.length === 1) {
      // One column whose name holds another separator: the file is delimited by that character.
      const name = names[0]!;
      const counts = [",", ";", "\t", "|"]
        .map((d) => [d, name.split(d).length - 1] as const)
        .filter(([d, n]) => n > 0 && d.charCodeAt(0) !== this.delimiter);
      counts.sort((a, b) => b[1] - a[1]);
      const d = counts[0]?.[0];
      if (d === "\t") return ": the header is one column holding tabs; for a tab-separated file pass --format tsv";
      if (d === ",")
        return `: the header is one column holding commas; for a comma-separated file ${this.format === "tsv" ? "pass --format csv" : "leave out --delimiter"}`;
      if (d !== undefined) return `: the header is one column holding '${d}'; for a file separated by '${d}' pass --delimiter '${d}'`;
    }
    if (names.length > 0 && names.every((n) => parseNumberText(n) !== undefined)) {
      return ": the header row is all numbers, so it looks like data; for a file without a header pass --no-header and name the columns by position (1, 2, ...)";
    }
    if (/^[1-9]\d*$/.test(name)) return `: columns are named by position (${name}) only with --no-header, for a file without a header row`;
    return "";
  }

  // RowView
  location(): string {
    return `${this.file}:${this.line}`;
  }

  malformed(): InputError | null {
    // A malformed record whose quoted field spans lines is likely a stray quote that swallowed the lines up
    // to the next quote, rows among them: skipping it as one row would drop those uncounted, so it is not
    // row-level (never skipped).
    if (this.junk >= 0) {
      return this.errorAt(this.junk, "malformed row", `text after a closing quote: ${quoteText(this.rawLine())}${this.spanNote()}`, this.span === 0);
    }
    if (this.width >= 0 && this.n !== this.width) {
      return this.errorAt(
        this.n < this.width ? this.ends[this.n - 1]! : this.starts[this.width]!,
        "malformed row",
        `${this.n} field${this.n === 1 ? "" : "s"} where the header has ${this.width}: ${quoteText(this.rawLine())}${this.spanNote()}`,
        this.span === 0,
      );
    }
    return null;
  }

  absent(i: number): boolean {
    return i >= this.n;
  }

  missing(i: number): boolean {
    if (i >= this.n) return true;
    const buf = this.buf;
    let s = this.starts[i]!;
    let e = this.ends[i]!;
    while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    return s === e;
  }

  number(i: number): number | undefined {
    if (i >= this.n) return undefined;
    return parseNumberBytes(this.buf, this.starts[i]!, this.ends[i]!);
  }

  parse(i: number): boolean {
    if (i >= this.n) return false;
    const s = this.starts[i]!;
    const e = this.ends[i]!;
    // One digit (a label, 0 or 1) without the call: the value parseNumberInto gives it.
    if (e - s === 1) {
      const d = this.buf[s]! - 48;
      if (d >= 0 && d <= 9) {
        parsed[0] = d;
        return true;
      }
    }
    return parseNumberInto(this.buf, s, e);
  }

  text(i: number): string {
    if (i >= this.n) return "";
    const t = this.buf.toString("utf8", this.starts[i]!, this.ends[i]!);
    return this.escaped[i] ? t.replaceAll('""', '"') : t;
  }

  error(i: number, reason: string, detail: string): InputError {
    const at = i < this.n ? this.starts[i]! : this.ends[this.n - 1]!;
    // A bad value in a record spanning lines: as in malformed(), never skipped.
    return this.errorAt(at, reason, detail + this.spanNote(), this.span === 0);
  }

  private spanNote(): string {
    if (this.span === 0) return "";
    return ` (a quoted field spans lines ${this.line}-${this.line + this.span}: the lines inside it may be rows, so this is never skipped)`;
  }

  private errorAt(at: number, reason: string, detail: string, rowLevel = true): InputError {
    let line = this.line;
    for (let k = this.recStart; k < at; k++) if (this.buf[k] === 10) line++;
    return new InputError(this.file, line, charColumn(this.buf, at, this.recStart), reason, detail, rowLevel);
  }

  raw(): string {
    const last = this.n - 1;
    const start = this.starts[last]!;
    // A quoted last field ends with its closing quote, just after the field's text.
    const quoted = start > this.recStart && this.buf[start - 1] === 34;
    const e = this.junk >= 0 ? this.rawEnd() : this.ends[last]! + (quoted ? 1 : 0);
    return this.buf.toString("utf8", this.recStart, e);
  }

  private rawEnd(): number {
    let e = this.buf.indexOf(10, this.junk);
    if (e < 0) e = this.buf.length;
    return this.buf[e - 1] === 13 ? e - 1 : e;
  }

  private rawLine(): string {
    let e = this.buf.indexOf(10, this.recStart);
    if (e < 0) e = this.buf.length;
    return this.buf.toString("utf8", this.recStart, e).replace(/\r$/, "");
  }
}

/**
 * A CSV/TSV parser for pieces of one table cut at line starts (cli/evalPieces.ts): `feed` each piece in
 * order; `line` is the line of the next record. A piece after the header gets the header's names (null:
 * no header) and its first line number; the first piece reads the header as `readTable` does.
 */
export interface DelimitedPieceParser {
  readonly line: number;
  feedPiece(chunk: Buffer, last: boolean): boolean;
}

export function delimitedPieceParser(
  file: string,
  tsv: boolean,
  delimiter: number,
  header: boolean,
  handler: TableHandler,
  piece: { line: number; names: readonly string[] | null | undefined },
): DelimitedPieceParser {
  return new DelimitedParser(file, tsv, header, handler, delimiter, piece);
}

/** JSON Lines: one JSON object per line; columns are keys. Values: numbers, numeric strings, booleans (as 1/0). */
class JsonLinesParser implements RowView, ColumnResolver {
  readonly file: string;
  readonly format = "jsonl";
  readonly names = null;
  line = 1;
  private readonly handler: TableHandler;
  private carry: Buffer = EMPTY;
  private keys: string[] = [];
  private started = false;
  private lineText = "";
  private object: Record<string, unknown> | null = null;
  private problem: InputError | null = null;

  constructor(file: string, handler: TableHandler) {
    this.file = file;
    this.handler = handler;
  }

  feed(chunk: Buffer, final: boolean): void {
    const buf = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    if (!this.started) {
      this.started = true;
      this.handler.header(this);
    }
    let pos = 0;
    for (;;) {
      let eol = buf.indexOf(10, pos);
      if (eol < 0) {
        if (!final || pos >= buf.length) break;
        eol = buf.length;
      }
      let text = buf.toString("utf8", pos, eol);
      if (this.line === 1) text = text.replace(/^\uFEFF/, "");
      pos = eol + 1;
      if (text.trim() !== "") this.parseLine(text);
      this.line++;
    }
    this.carry = pos >= buf.length ? EMPTY : buf.subarray(pos);
    if (this.carry.length > MAX_RECORD) {
      throw new InputError(this.file, this.line, 1, "malformed row", `a line longer than ${MAX_RECORD} bytes`, false);
    }
  }

  private parseLine(text: string): void {
    this.lineText = text.replace(/\r$/, "");
    this.problem = null;
    this.object = null;
    try {
      const v: unknown = JSON.parse(this.lineText);
      if (v !== null && typeof v === "object" && !Array.isArray(v)) this.object = v as Record<string, unknown>;
      else this.problem = new InputError(this.file, this.line, 1, "malformed row", `not a JSON object: ${quoteText(this.lineText)}`);
    } catch (e) {
      this.problem = new InputError(this.file, this.line, 1, "malformed row", `invalid JSON (${(e as Error).message}): ${quoteText(this.lineText)}`);
    }
    this.handler.row(this);
  }

  index(name: string): number {
    let i = this.keys.indexOf(name);
    if (i < 0) i = this.keys.push(name) - 1;
    return i;
  }

  location(): string {
    return `${this.file}:${this.line}`;
  }

  malformed(): InputError | null {
    return this.problem;
  }

  private value(i: number): unknown {
    return this.object === null ? undefined : this.object[this.keys[i]!];
  }

  absent(i: number): boolean {
    const v = this.value(i);
    return v === undefined || v === null;
  }

  missing(i: number): boolean {
    const v = this.value(i);
    return v === undefined || v === null || v === "";
  }

  number(i: number): number | undefined {
    const v = this.value(i);
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") return parseNumberText(v);
    return undefined;
  }

  parse(i: number): boolean {
    const x = this.number(i);
    if (x === undefined) return false;
    parsed[0] = x;
    return true;
  }

  text(i: number): string {
    const v = this.value(i);
    return typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v);
  }

  raw(): string {
    return this.lineText;
  }

  error(i: number, reason: string, detail: string): InputError {
    // Point at the key's value when it is there, else at the start of the line.
    const key = JSON.stringify(this.keys[i] ?? "");
    const at = this.lineText.indexOf(key);
    let column = 1;
    if (at >= 0) {
      const colon = this.lineText.indexOf(":", at + key.length);
      if (colon < 0) column = at + 1;
      else {
        const rest = this.lineText.slice(colon + 1);
        column = colon + 2 + rest.length - rest.trimStart().length;
      }
    }
    return new InputError(this.file, this.line, column, reason, detail);
  }
}
