import { createReadStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "./inputError.js";

/** Where the bytes of an input come from, and how far reading has got (for progress bars). */
export interface ByteSource {
  /** The name used in messages: the path, or "<stdin>". */
  readonly name: string;
  /** Size in bytes of the (possibly compressed) file, or null for stdin and pipes. */
  readonly size: number | null;
  /**
   * Bytes of the file consumed so far, for progress against `size`: for a gzip file, the compressed bytes the
   * decompressor has consumed (zlib's `bytesWritten`), not those read ahead into its input, which run up to
   * a whole file of a few MB ahead of the rows delivered.
   */
  readonly bytesRead: () => number;
  /** Whether the data was gzip-compressed (detected from its first two bytes, 1f 8b). */
  readonly gzip: () => boolean;
  /** The (decompressed) data, chunk by chunk; memory stays bounded by the chunk size. */
  readonly chunks: AsyncIterable<Buffer>;
}

const CHUNK = 1 << 20;

/**
 * Opens a file, or stdin for "-", as a stream of chunks of at most about 1 MB. gzip is detected from the
 * magic bytes, not the file name, so compressed stdin works too; concatenated gzip members are read through.
 */
export function openByteSource(path: string, stdin: Readable | undefined): ByteSource {
  const name = path === "-" ? "<stdin>" : path;
  let size: number | null = null;
  let raw: Readable;
  if (path === "-") {
    if (stdin === undefined) throw new InputError(name, 0, 0, "unreadable", "no standard input available", false);
    raw = stdin;
  } else {
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw new InputError(name, 0, 0, "unreadable", "is a directory", false);
      size = st.isFile() ? st.size : null;
    } catch (e) {
      if (e instanceof InputError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(name, 0, 0, "unreadable", code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(e)})`, false);
    }
    raw = createReadStream(path, { highWaterMark: CHUNK });
  }
  let bytes = 0;
  let gzip = false;
  /** The gzip decompressor's count of compressed bytes consumed, once the input is known to be gzip. */
  let inflated: (() => number) | null = null;
  let it: AsyncIterator<Buffer | string> | null = null;
  const next = async (): Promise<Buffer | null> => {
    it ??= raw[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    let r: IteratorResult<Buffer | string>;
    try {
      r = await it.next();
    } catch (e) {
      throw new InputError(name, 0, 0, "unreadable", `read error: ${(e as Error).message}`, false);
    }
    if (r.done) return null;
    const b = typeof r.value === "string" ? Buffer.from(r.value) : r.value;
    bytes += b.length;
    return b;
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* body();
    } finally {
      // Stopped early (a bad row): close the file. stdin belongs to the process and is left alone.
      if (path !== "-") raw.destroy();
    }
  }
  async function* body(): AsyncGenerator<Buffer> {
    let first = await next();
    // Two bytes decide gzip; a one-byte first chunk (a slow pipe) needs the next one.
    while (first !== null && first.length < 2) {
      const more = await next();
      if (more === null) break;
      first = Buffer.concat([first, more]);
    }
    if (first === null) return;
    if (!(first[0] === 0x1f && first[1] === 0x8b)) {
      yield first;
      for (let b = await next(); b !== null; b = await next()) yield b;
      return;
    }
    gzip = true;
    const rest = async function* () {
      yield first;
      for (let b = await next(); b !== null; b = await next()) yield b;
    };
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    inflated = () => gunzip.bytesWritten;
    const source = Readable.from(rest());
    source.on("error", (e) => gunzip.destroy(e));
    source.pipe(gunzip);
    try {
      for await (const b of gunzip) yield b as Buffer;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(name, 0, 0, "corrupt gzip", `gzip: ${(e as Error).message}`, false);
    } finally {
      source.destroy();
    }
  }
  return { name, size, bytesRead: () => (inflated === null ? bytes : inflated()), gzip: () => gzip, chunks: chunks() };
}
