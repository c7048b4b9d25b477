import { type ScoreScale } from "../index.js";
import { type DelimitedPieceParser, delimitedPieceParser } from "../io/tableReader.js";
import { BinaryHandler, type LabelContext } from "./binaryRows.js";
import { type EvalKind, EvalRun, type EvalStateFile } from "./evalRun.js";

/**
 * Everything a thread needs to evaluate a piece of a binary CSV/TSV file on its own (structured-cloneable,
 * sent to the workers of cli/evalPieces.ts with each piece).
 */
export interface PieceSpec {
  file: string;
  tsv: boolean;
  delimiter: number;
  header: boolean;
  /** The header's names (null without a header): the pieces after the first start below it. */
  names: string[] | null;
  what: EvalKind;
  by: string | null;
  weighted: boolean;
  clip: number | null;
  columns: { label: string; score: string; weight: string | null; by: string | null };
  scale: ScoreScale;
  fixedConvention: boolean;
  /** `--labels 01|pm1`, or null (auto: the first label fixes it). */
  convention: "01" | "pm1" | null;
  skipInvalid: boolean;
  posLabel: string | null;
}

/** What one piece (or a run of pieces joined by a quoted line break) gives: its state, rows, lines, context. */
export interface PieceResult {
  state: EvalStateFile;
  rows: number;
  /** Lines the piece spans (the next piece's first line is this much further). */
  lines: number;
  /** The label convention and --pos-label negative text at the piece's end (where first seen: `file:line`). */
  context: LabelContext;
}

/**
 * The evaluation of one piece of a file (cut just after a line feed): a fresh `EvalRun` and `BinaryHandler`
 * (started from the label context at the piece's start) fed by a `DelimitedPieceParser`. The same code runs
 * on the main thread and in the workers, so a piece's state has the same bits wherever it was read.
 */
export class PieceEvaluation {
  private readonly run: EvalRun;
  private readonly handler: BinaryHandler;
  private readonly parser: DelimitedPieceParser;
  private readonly firstLine: number;

  /** `first`: the piece holds the start of the file (and its header); `line`: the piece's first line number. */
  constructor(spec: PieceSpec, first: boolean, line: number, context: LabelContext) {
    this.run = new EvalRun(spec.what, spec.by, spec.weighted, spec.clip);
    this.handler = new BinaryHandler(this.run, spec.columns, spec.scale, spec.fixedConvention, context.convention, spec.skipInvalid, spec.posLabel);
    this.handler.setContext(context);
    this.firstLine = line;
    this.parser = delimitedPieceParser(spec.file, spec.tsv, spec.delimiter, spec.header, this.handler, {
      line,
      names: first ? undefined : spec.names,
    });
  }

  /** Parses the next piece; false when it ended inside a quoted field (whose record goes on in the next). */
  feed(piece: Buffer, last: boolean): boolean {
    return this.parser.feedPiece(piece, last);
  }

  finish(): PieceResult {
    return { state: this.run.state(), rows: this.handler.rows, lines: this.parser.line - this.firstLine, context: this.handler.context() };
  }
}

/** The label context a piece read by a worker starts from: the fixed convention (`--labels`) or none. */
export function initialContext(spec: PieceSpec): LabelContext {
  return { convention: spec.convention, conventionAt: "", negativeText: null, negativeAt: "" };
}
