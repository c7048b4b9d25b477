/**
 * A worker thread of cli/evalPieces.ts: evaluates each piece it is sent from the label context a piece
 * starts with when nothing before it is known (line 1, the fixed convention or none), and sends back the
 * piece's state with the piece's bytes (so that the main thread can read it again when that context was
 * not the right one). Any error is reported, not thrown: the main thread then reads the piece itself, in
 * order, and throws the error with the file's line numbers.
 */
import { parentPort } from "node:worker_threads";
import { PieceEvaluation, type PieceResult, type PieceSpec, initialContext } from "./evalPiece.js";

/** A piece to evaluate. */
export interface PieceRequest {
  id: number;
  spec: PieceSpec;
  first: boolean;
  last: boolean;
  /** The piece: the first `length` bytes of `bytes` (a buffer reused from piece to piece). */
  bytes: ArrayBuffer;
  length: number;
}

/** The answer: the piece's bytes back, and its result, or null (an error, or a quoted field open at its end). */
export interface PieceReply {
  id: number;
  bytes: ArrayBuffer;
  result: PieceResult | null;
  /** The piece ended inside a quoted field: its last record goes on in the next piece. */
  open: boolean;
}

parentPort!.on("message", (m: PieceRequest) => {
  let result: PieceResult | null = null;
  let open = false;
  try {
    const e = new PieceEvaluation(m.spec, m.first, 1, initialContext(m.spec));
    open = !e.feed(Buffer.from(m.bytes, 0, m.length), m.last);
    if (!open) result = e.finish();
  } catch {
    result = null;
  }
  const reply: PieceReply = { id: m.id, bytes: m.bytes, result, open };
  parentPort!.postMessage(reply, [m.bytes]);
});
