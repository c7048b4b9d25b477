import { closeSync, openSync, readSync, statSync } from "node:fs";

/** The columnar formats, told apart by their magic bytes (never by the file name). */
export type BinaryFormat = "parquet" | "arrow-file" | "arrow-stream";

/**
 * The columnar format that `head` (a file's first bytes, at least 8 unless the file is shorter) starts
 * with, or null for anything else (text). Parquet: "PAR1" (its footer ends with "PAR1" too; the reader
 * checks that). Arrow IPC file format: "ARROW1" (then padding to 8 bytes). Arrow IPC stream format: a
 * message starts with the continuation marker 0xFFFFFFFF (Arrow >= 0.15), which no UTF-8 text starts with
 * (0xFF is never a UTF-8 byte).
 */
export function binaryFormatOf(head: Uint8Array): BinaryFormat | null {
  const starts = (text: string) => head.length >= text.length && [...text].every((c, i) => head[i] === c.charCodeAt(0));
  if (starts("PAR1")) return "parquet";
  if (starts("ARROW1")) return "arrow-file";
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return "arrow-stream";
  return null;
}

/**
 * The columnar format of a regular file from its first 8 bytes, or null (text, not a regular file such as a
 * pipe, whose bytes a peek would consume, or unreadable: the stream reader then reports why).
 */
export function fileMagic(path: string): BinaryFormat | null {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return null;
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return binaryFormatOf(head.subarray(0, n));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
