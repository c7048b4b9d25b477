import { type ByteSource } from "./byteSource.js";

/**
 * One example of a sparse text format (Vowpal Wabbit, libsvm), as a reader hands it to its callback: hashed
 * feature indices and their values. The reader reuses one object for every line (no allocation per
 * example): a callback that keeps something copies it.
 */
export class SparseExample {
  /** 1 or 0; NaN when the line has no label (VW: an example to predict only). */
  label = NaN;
  /** The importance weight (VW), >= 0; 1 when not given. */
  importance = 1;
  /** VW's initial prediction, added to the logit; 0 when not given. */
  base = 0;
  /** VW's tag (the text before '|' without a space, or after a quote), "" when none. */
  tag = "";
  /** Feature indices in [0, 2^bits), `count` of them. */
  indices = new Int32Array(256);
  /** Their values (never 0: zero values are left out, as VW does). */
  values = new Float64Array(256);
  count = 0;
  /** The file's name and the example's line (from 1), for messages. */
  file = "";
  line = 0;

  /** Appends a feature, growing the arrays when needed. */
  push(index: number, value: number): void {
    if (this.count === this.indices.length) {
      const indices = new Int32Array(2 * this.count);
      indices.set(this.indices);
      this.indices = indices;
      const values = new Float64Array(2 * this.count);
      values.set(this.values);
      this.values = values;
    }
    this.indices[this.count] = index;
    this.values[this.count++] = value;
  }

  reset(line: number): void {
    this.label = NaN;
    this.importance = 1;
    this.base = 0;
    this.tag = "";
    this.count = 0;
    this.line = line;
  }
}

/** Called with each example (the shared object: see `SparseExample`). */
export type SparseExampleHandler = (example: SparseExample) => void;

/**
 * Calls `onLine(buf, start, end, lineNumber)` for each line of the source (without its "\n" or "\r\n"),
 * across chunk boundaries; a last line without "\n" counts too. Lines are numbered from 1.
 */
export async function forEachLine(source: ByteSource, onLine: (buf: Buffer, start: number, end: number, line: number) => void): Promise<number> {
  let line = 0;
  let rest: Buffer | null = null;
  for await (const chunk of source.chunks) {
    const buf: Buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      onLine(buf, start, end, ++line);
      start = nl + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest !== null && rest.length > 0) {
    const end = rest[rest.length - 1] === 13 ? rest.length - 1 : rest.length;
    onLine(rest, 0, end, ++line);
  }
  return line;
}
