import { open, type FileHandle } from "node:fs/promises";
import { statSync } from "node:fs";
import type { DataType, RecordBatch, RecordBatchReader, Schema } from "apache-arrow";
import { type ByteSource } from "./byteSource.js";
import { type ColumnValues, ColumnarRows, shareProgressSource } from "./columnarRows.js";
import { InputError } from "./inputError.js";
import { type TableHandler, type TableInput } from "./tableReader.js";

type Arrow = typeof import("apache-arrow");

/**
 * An Arrow IPC file (the file format, "ARROW1" ... "ARROW1") from a path, read by random access with
 * apache-arrow, one record batch at a time: the footer says where each batch is, so memory is bounded by a
 * batch.
 */
export async function readArrowFile(input: TableInput, handler: TableHandler): Promise<void> {
  const name = input.path;
  const arrow = await import("apache-arrow");
  let fh: FileHandle | null = null;
  try {
    fh = await open(name, "r");
    let reader: RecordBatchReader;
    let batches: number;
    try {
      reader = await arrow.RecordBatchReader.from(fh);
      await reader.open();
      batches = reader.isFile() ? reader.numRecordBatches : 0;
    } catch (e) {
      throw corrupt(name, "not a readable Arrow IPC file (truncated or corrupt footer?)", e);
    }
    let done = 0;
    const progress = shareProgressSource(name, statSync(name).size, batches, () => done);
    await readBatches(arrow, reader, name, input, handler, () => {
      done++;
      return progress;
    });
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * An Arrow IPC stream (the stream format: messages after a 0xFFFFFFFF continuation marker) from a byte
 * source, a file or stdin, plain or gzip: `head` is what was read of it already, `rest` the chunks after.
 * Record batch by record batch, as the bytes arrive.
 */
export async function readArrowStream(
  input: TableInput,
  handler: TableHandler,
  source: ByteSource,
  head: Buffer,
  rest: AsyncIterator<Buffer>,
): Promise<void> {
  const arrow = await import("apache-arrow");
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield head;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  }
  let reader: RecordBatchReader;
  try {
    reader = await arrow.RecordBatchReader.from(bytes());
    await reader.open();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw corrupt(source.name, "not a readable Arrow IPC stream", e);
  }
  await readBatches(arrow, reader, source.name, input, handler, () => source);
}

function corrupt(name: string, where: string, e: unknown): InputError {
  return new InputError(name, 0, 0, "corrupt arrow", `${where}: ${e instanceof Error ? e.message : String(e)}`, false);
}

/** The header from the schema, then each batch's rows; the reader's errors are InputErrors, the handler's pass through. */
async function readBatches(
  arrow: Arrow,
  reader: RecordBatchReader,
  name: string,
  input: TableInput,
  handler: TableHandler,
  batchDone: () => ByteSource,
): Promise<void> {
  const schema: Schema = reader.schema;
  const names = schema.fields.map((f) => f.name);
  const rows = new ColumnarRows(name, "arrow", names);
  handler.header(rows);
  const read = input.allColumns === true ? names.map((_, i) => i) : rows.used;
  const it = reader[Symbol.asyncIterator]();
  let row = 1;
  for (let b = 1; ; b++) {
    let r: IteratorResult<RecordBatch>;
    try {
      r = await it.next();
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw corrupt(name, `corrupt or truncated record batch ${b} (after row ${row - 1})`, e);
    }
    if (r.done) break;
    const batch = r.value;
    const values: (ColumnValues | undefined)[] = new Array<ColumnValues | undefined>(names.length);
    for (const i of read) values[i] = columnValues(arrow, batch, i, schema.fields[i]!.type);
    rows.emit(handler, values, batch.numRows, row);
    row += batch.numRows;
    input.onChunk?.(batchDone());
    if (input.afterChunk !== undefined) await input.afterChunk();
  }
}

/**
 * A column of a batch as values: numbers without nulls as the typed array itself (no copy; 64-bit integers
 * as a BigInt64Array), decimals as their nearest doubles, anything else (nulls, strings, dictionaries,
 * booleans, dates) value by value, with null for a missing value.
 */
function columnValues(arrow: Arrow, batch: RecordBatch, i: number, type: DataType): ColumnValues {
  const vector = batch.getChildAt(i)!;
  const { DataType: T, Precision, util } = arrow;
  if (vector.nullCount === 0 && (T.isInt(type) || (T.isFloat(type) && type.precision !== Precision.HALF))) return vector.toArray() as ColumnValues;
  if (T.isDecimal(type)) {
    const scale = type.scale;
    return Array.from(vector, (x: unknown) =>
      x === null || x === undefined ? null : util.bigNumToNumber(x as Parameters<typeof util.bigNumToNumber>[0], scale),
    );
  }
  return Array.from(vector) as ColumnValues;
}
