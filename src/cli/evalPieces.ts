/**
 * `xent eval` of a binary CSV/TSV file in pieces, on worker threads.
 *
 * The input (a plain file, gzip, or stdin: the bytes after decompression) is cut into pieces of about
 * `pieceBytes` (16 MiB): piece boundaries are the first line starts at or after each multiple of
 * `pieceBytes`, so the cuts depend on the bytes only. Each piece is evaluated on its own into a fresh
 * state (`PieceEvaluation`: the CSV parser, `BinaryHandler` and `EvalRun` of one thread), and the states
 * are merged in piece order (`EvalRun.absorb`). One thread does exactly this too, so the figures are the
 * same bits with any number of threads: they depend on the piece size, not on who read which piece.
 *
 * With N threads the main thread cuts the pieces, gives each to a worker (N - 1 of them) that has fewer
 * than two, reads the others itself (as a worker would, while it waits for a worker's piece; else when
 * their turn comes), and merges every piece's state in order.
 *
 * A worker knows neither the line number at its piece's start nor what the rows before fixed (the label
 * convention of the file, the negative text of `--pos-label`), so it reads its piece from line 1 with
 * nothing fixed. The main thread takes the results in piece order and, knowing both by then, accepts one
 * if it cannot differ from the piece read in order (line numbers in its infinite-loss locations are
 * shifted), and reads the piece again itself otherwise: when the worker met an error (thrown again here,
 * with the file's line numbers), a label convention or negative text other than the one fixed before, or
 * a quoted field still open at the piece's end (a line feed inside quotes: the piece and the next ones are
 * then read as one, up to the first cut that falls between records, as one thread does).
 */
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type DelimitedStream, delimitedPieceParser } from "../io/tableReader.js";
import { type BinaryHandler, type LabelContext } from "./binaryRows.js";
import { PieceEvaluation, type PieceResult, type PieceSpec, initialContext } from "./evalPiece.js";
import type { PieceReply, PieceRequest } from "./evalPieceWorker.js";
import { type EvalRun } from "./evalRun.js";

/** The default piece size: large enough that a piece's merge costs nothing, small enough to share out. */
export const DEFAULT_PIECE_BYTES = 16 << 20;

/** `--threads auto` uses at most this many threads. */
const MAX_AUTO_THREADS = 8;

/** Pieces given to one worker at a time (one read, one waiting): more would only hold memory. */
const MAX_QUEUED = 2;

/** How `xent eval` reads a binary CSV/TSV table in pieces. */
export interface PieceOptions {
  /** Threads in all (the main one reads pieces too): 1, no worker; "auto", the machine's cores (at most 8) once a file has a second piece. */
  threads: number | "auto";
  pieceBytes: number;
}

/** The worker threads `threads` asks for: the threads besides the main one, which reads pieces too. */
export function workerCount(threads: number | "auto"): number {
  return (threads === "auto" ? Math.min(availableParallelism(), MAX_AUTO_THREADS) : threads) - 1;
}

const workerUrl = new URL("./evalPieceWorker.js", import.meta.url);

/** A pool of workers that evaluate pieces; replies come back by id. */
class PiecePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: PieceReply) => void; reject: (e: Error) => void }>();
  private next = 0;
  private readonly queued: number[];

  constructor(count: number) {
    this.queued = new Array<number>(count).fill(0);
    for (let i = 0; i < count; i++) {
      const w = new Worker(workerUrl);
      w.on("message", (r: PieceReply) => {
        const p = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        p?.resolve(r);
      });
      w.on("error", (e) => {
        for (const p of this.waiting.values()) p.reject(e);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  /**
   * Sends a piece to the least busy worker (its bytes are moved there and come back with the reply), or
   * returns null when every worker has `MAX_QUEUED` pieces already: the main thread then reads it.
   */
  run(spec: PieceSpec, piece: Buffer, first: boolean, last: boolean): Promise<PieceReply> | null {
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.queued[i]! < this.queued[w]!) w = i;
    if (this.queued[w]! >= MAX_QUEUED) return null;
    this.queued[w]!++;
    const id = this.next++;
    const bytes = piece.buffer as ArrayBuffer;
    const request: PieceRequest = { id, spec, first, last, bytes, length: piece.length };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (r) => {
          this.queued[w]!--;
          resolve(r);
        },
        reject,
      });
      this.workers[w]!.postMessage(request, [bytes]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A piece in flight: its bytes (moved to a worker while it reads them) and the worker's reply, if sent. */
interface Piece {
  bytes: Buffer;
  /** Its length (`bytes` is empty while a worker has its memory). */
  length: number;
  first: boolean;
  last: boolean;
  reply: Promise<PieceReply> | null;
  /** Whether `reply` has come. */
  settled: boolean;
}

/**
 * Cuts a byte stream into pieces, each in its own ArrayBuffer (to move to a worker): a cut at the first
 * line start at or after each multiple of `size` (offsets in the whole stream); the last piece is the
 * rest, possibly empty (always one piece at least).
 */
async function* cutPieces(stream: DelimitedStream, size: number, spare: ArrayBuffer[]): AsyncGenerator<{ bytes: Buffer; last: boolean }> {
  let parts: Buffer[] = [];
  let partsLength = 0;
  let at = 0; // offset of the next chunk's first byte in the stream
  let target = size; // the next cut is the first line start at or after this offset
  let ready: Buffer | null = null; // a piece cut, not yet known to be the last
  const join = (tail: Buffer): Buffer => {
    // A piece's own ArrayBuffer (to move to a worker), reused once its piece is read (`spare`): fresh
    // memory would cost a page fault per 4 KB.
    const n = partsLength + tail.length;
    let memory = spare.pop();
    if (memory === undefined || memory.byteLength < n) memory = new ArrayBuffer(Math.max(n, size + (size >> 3)));
    const out = Buffer.from(memory, 0, n);
    let o = 0;
    for (const p of parts) {
      p.copy(out, o);
      o += p.length;
    }
    tail.copy(out, o);
    parts = [];
    partsLength = 0;
    return out;
  };
  for (let chunk: Buffer | null = stream.head; ;) {
    if (chunk === null) {
      const r = await stream.rest.next();
      if (r.done) break;
      chunk = r.value;
    }
    stream.onChunk();
    let from = 0;
    for (;;) {
      // A line start at offset p >= target: the byte at p - 1 is a line feed.
      const i = chunk.indexOf(10, Math.max(from, target - 1 - at));
      if (i < 0) break;
      if (ready !== null) yield { bytes: ready, last: false };
      ready = join(chunk.subarray(from, i + 1));
      from = i + 1;
      const cut = at + from;
      target = (Math.floor(cut / size) + 1) * size;
    }
    if (from < chunk.length) {
      parts.push(chunk.subarray(from));
      partsLength += chunk.length - from;
    }
    at += chunk.length;
    chunk = null;
  }
  if (ready !== null) yield { bytes: ready, last: false };
  yield { bytes: join(Buffer.alloc(0)), last: true };
}

/**
 * The header's names from the first piece (a CSV/TSV table with a header), or undefined when the piece
 * does not hold the whole header record.
 */
function headerNames(spec: PieceSpec, piece: Buffer, last: boolean): string[] | undefined {
  let names: string[] | undefined;
  const stop = new Error("header read");
  const parser = delimitedPieceParser(
    spec.file,
    spec.tsv,
    spec.delimiter,
    true,
    {
      header: (cols) => {
        names = [...cols.names!];
        throw stop;
      },
      row: () => {
        throw stop;
      },
    },
    { line: 1, names: undefined },
  );
  try {
    parser.feedPiece(piece, last);
  } catch (e) {
    if (e !== stop) throw e;
  }
  return names;
}

/** `file:line` moved down by `shift` lines (a location in a piece read from line 1). */
function shifted(file: string, where: string, shift: number): string {
  if (shift === 0 || !where.startsWith(`${file}:`)) return where;
  return `${file}:${Number(where.slice(file.length + 1)) + shift}`;
}

/**
 * Reads one CSV/TSV stream in pieces into `run` (see the top of this file). `handler` is the main thread's
 * handler: it holds the label context across files and counts the rows (for the progress line); `spec`
 * is the evaluation's spec without the file's own fields.
 */
export async function readInPieces(
  stream: DelimitedStream,
  base: Omit<PieceSpec, "file" | "tsv" | "delimiter" | "header" | "names">,
  options: PieceOptions,
  run: EvalRun,
  handler: BinaryHandler,
): Promise<void> {
  const spec: PieceSpec = {
    ...base,
    file: stream.source.name,
    tsv: stream.tsv,
    delimiter: stream.delimiter,
    header: stream.header,
    names: null,
  };
  const file = spec.file;
  const workers = existsSync(fileURLToPath(workerUrl)) ? workerCount(options.threads) : 0;
  let pool: PiecePool | null = null;
  // Whether the pieces may go to workers: known once the header's names are (from the first piece).
  let shareable = !spec.header;
  let line = 1; // the line where the next piece to take starts
  let open: PieceEvaluation | null = null; // a piece read on this thread whose last record is still open
  const queue: Piece[] = [];
  const spare: ArrayBuffer[] = [];

  const apply = (r: PieceResult, shift: number) => {
    run.absorb(r.state, (w) => shifted(file, w, shift));
    handler.rows += r.rows;
    line += r.lines;
  };
  /** Whether a worker's context at its piece's end can follow the context before the piece. */
  const follows = (before: LabelContext, w: LabelContext) =>
    (before.convention === null || w.convention === null || w.convention === before.convention) &&
    (before.negativeText === null || w.negativeText === null || w.negativeText === before.negativeText);
  /**
   * Reads a piece on this thread as a worker would (from line 1, nothing fixed), while the piece to take
   * next is still with a worker: this thread would only wait otherwise. `take` judges the result as a
   * worker's.
   */
  const readAhead = (q: Piece) => {
    let result: PieceResult | null = null;
    let unclosed = false;
    try {
      const e = new PieceEvaluation(spec, q.first, 1, initialContext(spec));
      unclosed = !e.feed(q.bytes, q.last);
      if (!unclosed) result = e.finish();
    } catch {
      result = null;
    }
    q.reply = Promise.resolve({ id: -1, bytes: q.bytes.buffer as ArrayBuffer, result, open: unclosed });
    q.settled = true;
  };
  const take = async (p: Piece) => {
    while (p.reply !== null && !p.settled) {
      const q = queue.find((x) => x.reply === null);
      if (q === undefined) break;
      readAhead(q);
      // Lets the workers' replies in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (p.reply !== null) {
      const reply = await p.reply;
      p.bytes = Buffer.from(reply.bytes, 0, p.length);
      const before = handler.context();
      const r = reply.result;
      if (open === null && r !== null && follows(before, r.context)) {
        const shift = line - 1;
        apply(r, shift);
        handler.setContext({
          convention: before.convention ?? r.context.convention,
          conventionAt: before.convention !== null ? before.conventionAt : shifted(file, r.context.conventionAt, shift),
          negativeText: before.negativeText ?? r.context.negativeText,
          negativeAt: before.negativeText !== null ? before.negativeAt : shifted(file, r.context.negativeAt, shift),
        });
        return;
      }
    }
    // On this thread, in order, from the true context (line numbers, label convention).
    open ??= new PieceEvaluation(spec, p.first, line, handler.context());
    if (open.feed(p.bytes, p.last) || p.last) {
      const r = open.finish();
      open = null;
      apply(r, 0);
      handler.setContext(r.context);
    }
  };
  /** Keeps a piece's memory for a later piece (not while an open record may still point into it). */
  const recycle = (p: Piece) => {
    if (open === null && spare.length < 2) spare.push(p.bytes.buffer as ArrayBuffer);
  };

  try {
    let first = true;
    for await (const { bytes, last } of cutPieces(stream, options.pieceBytes, spare)) {
      if (first && spec.header) {
        const names = headerNames(spec, bytes, last);
        if (names !== undefined) {
          spec.names = names;
          shareable = true;
        }
      }
      // Workers from a file's second piece on, or from the first when asked for or when the file's size
      // (compressed or not) says that there will be a second piece: they start while this thread reads.
      const more = !first || options.threads !== "auto" || (stream.source.size !== null && stream.source.size > options.pieceBytes);
      if (pool === null && shareable && workers > 0 && more) pool = new PiecePool(workers);
      const piece: Piece = {
        bytes,
        length: bytes.length,
        first,
        last,
        reply: pool === null ? null : pool.run(spec, bytes, first, last),
        settled: false,
      };
      // (A worker's failure rejects the reply: `take` throws it; this only notes that it came.)
      void piece.reply?.then(
        () => (piece.settled = true),
        () => (piece.settled = true),
      );
      queue.push(piece);
      first = false;
      // Read ahead enough for every worker to have its pieces while this thread reads one.
      while (queue.length > (workers === 0 ? 0 : MAX_QUEUED * workers + 2)) {
        const p = queue.shift()!;
        await take(p);
        recycle(p);
      }
    }
    while (queue.length > 0) await take(queue.shift()!);
  } finally {
    await pool?.close();
  }
}
