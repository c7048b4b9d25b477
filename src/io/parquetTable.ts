import { statSync } from "node:fs";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type ColumnValues, ColumnarRows, shareProgressSource } from "./columnarRows.js";
import { decompressLz4, decompressLz4Raw, decompressZstd } from "hyparquet-compressors";
import { InputError, quoteText } from "./inputError.js";
import { type TableHandler, type TableInput } from "./tableReader.js";

/**
 * The compression codecs read: hyparquet decompresses SNAPPY itself, node:zlib GZIP and BROTLI (native), and
 * hyparquet's companion package hyparquet-compressors ZSTD (fzstd; Node 20's zlib has no zstd), LZ4 and
 * LZ4_RAW. LZO (deprecated in Parquet, unreadable by most writers' readers) is refused with a clear message.
 */
const CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD", "LZ4", "LZ4_RAW"]);

const compressors = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
  ZSTD: (input: Uint8Array, size: number) => decompressZstd(input, new Uint8Array(size)),
  LZ4: (input: Uint8Array, size: number) => decompressLz4(input, size),
  LZ4_RAW: (input: Uint8Array, size: number) => decompressLz4Raw(input, size),
};

/**
 * Reads a Parquet file (a path: the format is read by random access) with hyparquet, one row group at a
 * time: memory is bounded by a row group's columns, not the file. Only the columns the handler resolves are
 * decoded (all of them with `input.allColumns`). Rows are numbered from 1 in messages. The reader is loaded
 * here, on first use, so that nothing else of xent imports it.
 */
export async function readParquetTable(input: TableInput, handler: TableHandler): Promise<void> {
  const name = input.path;
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } = await import("hyparquet");
  const corrupt = (where: string, e: unknown) =>
    new InputError(name, 0, 0, "corrupt parquet", `${where}: ${e instanceof Error ? e.message : String(e)}`, false);
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  let names: string[];
  try {
    file = await asyncBufferFromFile(name);
    metadata = await parquetMetadataAsync(file);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    throw corrupt("not a readable Parquet file (truncated or corrupt footer?)", e);
  }
  const rows = new ColumnarRows(name, "parquet", names);
  handler.header(rows);
  const read = input.allColumns === true ? names.map((_, i) => i) : rows.used;
  const columns = read.map((i) => names[i]!);
  // Refused before any row is read: a codec that cannot be decompressed (in any row group).
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta !== undefined && columns.includes(meta.path_in_schema[0]!) && !CODECS.has(meta.codec)) {
        throw new InputError(
          name,
          0,
          0,
          "unsupported",
          `column ${quoteText(meta.path_in_schema[0]!)} is compressed with ${meta.codec}, which xent's Parquet reader (hyparquet) does not decompress: write the file with snappy, zstd, gzip, brotli, lz4 or no compression (DuckDB: COPY ... TO 'f.parquet' (FORMAT parquet, COMPRESSION snappy))`,
          false,
        );
      }
    }
  }
  const total = Number(metadata.num_rows);
  let done = 0;
  const progress = shareProgressSource(name, statSync(name).size, total, () => done);
  let start = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const n = Number(metadata.row_groups[g]!.num_rows);
    const end = start + n;
    // Each column may arrive in pieces (one per page): gathered, then joined when there are several.
    const pieces: ColumnValues[][] = columns.map(() => []);
    try {
      if (columns.length > 0) {
        await parquetRead({
          file,
          metadata,
          columns,
          rowStart: start,
          rowEnd: end,
          compressors,
          onChunk: (c) => pieces[columns.indexOf(c.columnName)]?.push(c.columnData as ColumnValues),
        });
      }
    } catch (e) {
      throw corrupt(`corrupt or unreadable data in row group ${g + 1} of ${metadata.row_groups.length} (rows ${start + 1}-${end})`, e);
    }
    const values: (ColumnValues | undefined)[] = new Array<ColumnValues | undefined>(names.length);
    for (let k = 0; k < columns.length; k++) {
      const parts = pieces[k]!;
      const joined = parts.length === 1 ? parts[0]! : parts.flatMap((p) => Array.from(p));
      if (joined.length !== n) {
        throw corrupt(
          `row group ${g + 1} (rows ${start + 1}-${end})`,
          new Error(`column ${quoteText(columns[k]!)} has ${joined.length} values for ${n} rows`),
        );
      }
      values[read[k]!] = joined;
    }
    rows.emit(handler, values, n, start + 1);
    done = end;
    start = end;
    input.onChunk?.(progress);
    if (input.afterChunk !== undefined) await input.afterChunk();
  }
}
