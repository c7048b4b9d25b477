import { type Readable } from "node:stream";
import { type ByteSource, openByteSource } from "./byteSource.js";
import { type LibsvmData, LibsvmCsrBuilder, type LibsvmOptions, LibsvmParser, type LibsvmRow } from "./libsvmParser.js";

/**
 * libsvm / svmlight files (the format: `libsvmParser.ts`) read from a path, or "-" for stdin, plain or gzip
 * (detected from the bytes), in chunks of about 1 MB: memory stays bounded when rows are streamed.
 */

/** Options of `readLibsvm` and `loadLibsvm`. */
export interface LibsvmReadOptions extends LibsvmOptions {
  /** The stream read for the path "-". */
  stdin?: Readable;
  /** Called after each chunk with the source (for progress bars). */
  onChunk?: (source: ByteSource) => void;
}

/** What a streaming read saw. */
export interface LibsvmSummary {
  /** Samples read. */
  rows: number;
  /** Stored values read. */
  nonzeros: number;
  /** The largest 0-based column + 1 (0 when no row has a feature). */
  nFeatures: number;
}

/**
 * Streams the samples of a libsvm file to `onRow` (whose `indices` and `values` views are reused after it
 * returns). Bad input rejects with an InputError `file:line:column: ...`.
 */
export async function readLibsvm(path: string, onRow: (row: LibsvmRow) => void, options: LibsvmReadOptions = {}): Promise<LibsvmSummary> {
  const source = openByteSource(path, options.stdin);
  const parser = new LibsvmParser(source.name, onRow, options);
  for await (const chunk of source.chunks) {
    parser.push(chunk);
    options.onChunk?.(source);
  }
  parser.end();
  return { rows: parser.rows, nonzeros: parser.nonzeros, nFeatures: parser.maxColumn + 1 };
}

/**
 * Loads a libsvm file whole into a CSR matrix and its labels. `nFeatures` sets a minimum width (to read a
 * test file with the columns of its training file).
 */
export async function loadLibsvm(path: string, options: LibsvmReadOptions & { nFeatures?: number } = {}): Promise<LibsvmData> {
  const builder = new LibsvmCsrBuilder();
  await readLibsvm(path, builder.add, options);
  return builder.finish(options.nFeatures);
}
