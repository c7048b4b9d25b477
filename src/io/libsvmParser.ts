import { InputError, quoteText } from "./inputError.js";
import { parseNumberInto, parsed } from "./parseNumber.js";

/**
 * The libsvm / svmlight sparse text format, parsed from bytes chunk by chunk (no `node:` module: the file
 * side is `libsvmReader.ts`). One sample per line:
 *
 *     <label> [qid:<n>] <index>:<value> <index>:<value> ... [# comment]
 *
 * - fields are separated by spaces or tabs; a line may end in "\n" or "\r\n"; blank lines and lines holding
 *   only a comment are skipped (they still count for line numbers);
 * - the label is a decimal number (any finite value: 1, -1, +1, 0, 3.5; liblinear's convention);
 * - indices are integers >= 1 (or >= 0 with `indexBase: 0`), strictly increasing within a line, as
 *   liblinear's and svmlight's readers require; a row reports them 0-based (file index - indexBase);
 * - values are finite decimal numbers; explicit zeros are kept as stored values;
 * - `qid:<n>` (svmlight's query id) is accepted right after the label and ignored (ranking is not a
 *   logistic regression); anywhere else it is an error;
 * - everything from "#" to the line end is a comment.
 * Anything else (a missing ":", an index that is not an integer, a decreasing or repeated index, a NaN or
 * infinite value or label) throws an InputError `file:line:column: ...` quoting the token.
 */

/** One sample, valid only during the callback: the reader reuses `indices` and `values` for the next line. */
export interface LibsvmRow {
  /** The label as written (a finite number). */
  label: number;
  /** The 0-based columns of the stored values, strictly increasing (a view into a reused buffer). */
  indices: Int32Array;
  /** The values, one per index (a view into a reused buffer). */
  values: Float64Array;
  /** The line number in the file (1-based). */
  line: number;
}

/** Options of the libsvm parser and reader. */
export interface LibsvmOptions {
  /** The smallest index the file may use: 1 (default: libsvm, liblinear, svmlight) or 0 (some exporters). */
  indexBase?: 0 | 1;
}

/** The number of the largest index accepted: column ids are Int32 (2^31 - 1 columns, as liblinear). */
const MAX_INDEX = 0x7fffffff;

/**
 * Parses libsvm text pushed in chunks of bytes (a line may span chunks) and calls `onRow` per sample.
 * `name` is the file's name in messages.
 */
export class LibsvmParser {
  readonly name: string;
  private readonly onRow: (row: LibsvmRow) => void;
  private readonly base: number;
  private indices = new Int32Array(64);
  private values = new Float64Array(64);
  /** The start of a line cut by a chunk's end, waiting for the rest. */
  private carry: Uint8Array | null = null;
  private line = 0;
  private readonly row: LibsvmRow = { label: 0, indices: new Int32Array(0), values: new Float64Array(0), line: 0 };
  /** Samples delivered so far. */
  rows = 0;
  /** Stored values delivered so far. */
  nonzeros = 0;
  /** The largest 0-based column seen, or -1. */
  maxColumn = -1;

  constructor(name: string, onRow: (row: LibsvmRow) => void, options: LibsvmOptions = {}) {
    this.name = name;
    this.onRow = onRow;
    const base = options.indexBase ?? 1;
    if (base !== 0 && base !== 1) throw new RangeError(`libsvm: options.indexBase = ${String(base)} is not 0 or 1`);
    this.base = base;
  }

  /** Parses the complete lines of `chunk` (with the cut line before it), keeping its last partial line. */
  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.carry !== null) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        const joined = new Uint8Array(this.carry.length + chunk.length);
        joined.set(this.carry);
        joined.set(chunk, this.carry.length);
        this.carry = joined;
        return;
      }
      const joined = new Uint8Array(this.carry.length + nl);
      joined.set(this.carry);
      joined.set(chunk.subarray(0, nl), this.carry.length);
      this.carry = null;
      this.parseLine(joined, 0, joined.length);
      start = nl + 1;
    }
    const n = chunk.length;
    while (start < n) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        this.carry = chunk.slice(start);
        return;
      }
      this.parseLine(chunk, start, nl);
      start = nl + 1;
    }
  }

  /** Parses the last line when the input does not end in a line end. */
  end(): void {
    if (this.carry !== null) {
      const last = this.carry;
      this.carry = null;
      this.parseLine(last, 0, last.length);
    }
  }

  private error(buf: Uint8Array, lineStart: number, at: number, tokenEnd: number, reason: string, detail: string): InputError {
    const token = String.fromCharCode(...buf.subarray(at, Math.min(tokenEnd, at + 80)));
    return new InputError(this.name, this.line, at - lineStart + 1, reason, `${detail}: ${quoteText(token)}`);
  }

  /** Parses `buf[start, end)`, one line without its "\n". */
  private parseLine(buf: Uint8Array, start: number, end: number): void {
    this.line++;
    if (end > start && buf[end - 1] === 13) end--;
    // A comment ("#" to the line end) ends the line wherever a field would start, or cuts a field short.
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    if (i === end || buf[i] === 35) return; // blank or comment only
    // The label.
    let t = i;
    while (t < end && buf[t] !== 32 && buf[t] !== 9 && buf[t] !== 35) t++;
    if (!parseNumberInto(buf, i, t) || !(parsed[0]! - parsed[0]! === 0)) {
      throw this.error(buf, start, i, t, "bad label", "the label is not a finite number");
    }
    const label = parsed[0]!;
    let count = 0;
    let previous = -1;
    let first = true;
    const base = this.base;
    for (i = t; ;) {
      while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
      if (i === end || buf[i] === 35) break;
      t = i;
      while (t < end && buf[t] !== 32 && buf[t] !== 9 && buf[t] !== 35) t++;
      // index: digits up to the colon.
      let k = i;
      let index = 0;
      for (; k < t; k++) {
        const c = buf[k]! - 48;
        if (c < 0 || c > 9) break;
        index = index * 10 + c;
      }
      if (k === t || buf[k] !== 58) {
        // svmlight's query id, allowed once right after the label.
        if (first && t - i > 4 && buf[i] === 113 && buf[i + 1] === 105 && buf[i + 2] === 100 && buf[i + 3] === 58) {
          if (!parseNumberInto(buf, i + 4, t) || !Number.isInteger(parsed[0])) {
            throw this.error(buf, start, i, t, "bad qid", "qid is not an integer");
          }
          first = false;
          i = t;
          continue;
        }
        throw this.error(buf, start, i, t, "bad feature", "a feature is not index:value");
      }
      first = false;
      if (k === i) throw this.error(buf, start, i, t, "bad index", "the index is not an integer");
      if (index < base || index > MAX_INDEX) {
        throw this.error(buf, start, i, t, "bad index", `the index is not an integer in [${base}, 2^31 - 1]`);
      }
      const column = index - base;
      if (column <= previous) {
        throw this.error(buf, start, i, t, "index order", `the index is not greater than the previous index, ${previous + base}`);
      }
      if (!parseNumberInto(buf, k + 1, t) || !(parsed[0]! - parsed[0]! === 0)) {
        throw this.error(buf, start, i, t, "bad value", "the value is not a finite number");
      }
      if (count === this.indices.length) this.grow();
      this.indices[count] = column;
      this.values[count] = parsed[0]!;
      count++;
      previous = column;
      i = t;
    }
    if (previous > this.maxColumn) this.maxColumn = previous;
    this.rows++;
    this.nonzeros += count;
    const row = this.row;
    row.label = label;
    row.indices = this.indices.subarray(0, count);
    row.values = this.values.subarray(0, count);
    row.line = this.line;
    this.onRow(row);
  }

  private grow(): void {
    const indices = new Int32Array(this.indices.length * 2);
    indices.set(this.indices);
    this.indices = indices;
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}

/**
 * Parses a whole libsvm text (a string or its UTF-8 bytes) and calls `onRow` per sample; returns the number of
 * samples. `name` names the text in messages (default "<libsvm>").
 */
export function parseLibsvm(text: string | Uint8Array, onRow: (row: LibsvmRow) => void, options: LibsvmOptions & { name?: string } = {}): number {
  const parser = new LibsvmParser(options.name ?? "<libsvm>", onRow, options);
  parser.push(typeof text === "string" ? new TextEncoder().encode(text) : text);
  parser.end();
  return parser.rows;
}

/** A libsvm file loaded whole: the features as a CSR matrix, and the labels. */
export interface LibsvmData {
  /** The features: typed arrays, 0-based columns; `nFeatures` is the largest column + 1 (or the option, if larger). */
  X: { indptr: Int32Array; indices: Int32Array; data: Float64Array; nFeatures: number };
  /** The labels as written, one per sample. */
  y: Float64Array;
  /** The file line of each sample (1-based), for messages about a sample. */
  lines: Int32Array;
}

/** Collects libsvm rows into growing CSR arrays (amortized doubling; one copy at the end). */
export class LibsvmCsrBuilder {
  private indptr: Int32Array = new Int32Array(1024);
  private indices: Int32Array = new Int32Array(4096);
  private data = new Float64Array(4096);
  private y = new Float64Array(1024);
  private lines: Int32Array = new Int32Array(1024);
  private rows = 0;
  private nnz = 0;
  private maxColumn = -1;

  /** Appends a row (copies its views). */
  readonly add = (row: LibsvmRow): void => {
    const n = row.indices.length;
    if (this.rows + 1 >= this.indptr.length) {
      this.indptr = growInt(this.indptr, this.indptr.length * 2);
      this.lines = growInt(this.lines, this.lines.length * 2);
      const y = new Float64Array(this.y.length * 2);
      y.set(this.y);
      this.y = y;
    }
    if (this.nnz + n > this.indices.length) {
      const size = Math.max(this.indices.length * 2, this.nnz + n);
      if (size > 0x7fffffff) throw new RangeError(`libsvm: more than 2^31 - 1 stored values`);
      this.indices = growInt(this.indices, size);
      const data = new Float64Array(size);
      data.set(this.data.subarray(0, this.nnz));
      this.data = data;
    }
    this.indices.set(row.indices, this.nnz);
    this.data.set(row.values, this.nnz);
    this.nnz += n;
    if (n > 0 && row.indices[n - 1]! > this.maxColumn) this.maxColumn = row.indices[n - 1]!;
    this.y[this.rows] = row.label;
    this.lines[this.rows] = row.line;
    this.rows++;
    this.indptr[this.rows] = this.nnz;
  };

  /** The matrix so far, with at least `nFeatures` columns (default: the largest column seen + 1, at least 1). */
  finish(nFeatures = 1): LibsvmData {
    return {
      X: {
        indptr: this.indptr.slice(0, this.rows + 1),
        indices: this.indices.slice(0, this.nnz),
        data: this.data.slice(0, this.nnz),
        nFeatures: Math.max(nFeatures, this.maxColumn + 1, 1),
      },
      y: this.y.slice(0, this.rows),
      lines: this.lines.slice(0, this.rows),
    };
  }
}

function growInt(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Parses a whole libsvm text into a CSR matrix and labels (see `LibsvmParser` for the format). */
export function parseLibsvmToCsr(text: string | Uint8Array, options: LibsvmOptions & { name?: string; nFeatures?: number } = {}): LibsvmData {
  const builder = new LibsvmCsrBuilder();
  parseLibsvm(text, builder.add, options);
  return builder.finish(options.nFeatures);
}
