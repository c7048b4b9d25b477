import { type ScoreScale } from "../index.js";
import { type InputError, quoteText } from "../io/inputError.js";
import { parsed } from "../io/parseNumber.js";
import { type ColumnResolver, type RowView, numberPair } from "../io/tableReader.js";
import { EvalRun } from "./evalRun.js";

/** What the rows read so far have fixed (`BinaryHandler.context`). */
export interface LabelContext {
  convention: "01" | "pm1" | null;
  conventionAt: string;
  negativeText: string | null;
  negativeAt: string;
}

/** The rows of a binary evaluation: a label in {0, 1} or {-1, +1}, a probability or logit, a weight, a group. */
export class BinaryHandler {
  private label = 0;
  private score = 0;
  private weight = -1;
  private group = -1;
  private convention: "01" | "pm1" | null;
  private conventionAt = "";
  /** With `--pos-label`: the other label text seen first (the negative class), and where. */
  private negativeText: string | null = null;
  private negativeAt = "";
  rows = 0;

  constructor(
    private readonly run: EvalRun,
    private readonly columns: { label: string; score: string; weight: string | null; by: string | null },
    private readonly scale: ScoreScale,
    private readonly fixedConvention: boolean,
    convention: "01" | "pm1" | null,
    private readonly skipInvalid: boolean,
    /** `--pos-label NAME`: labels are text, NAME is 1 and the one other text 0 (null: numeric labels). */
    private readonly posLabel: string | null = null,
  ) {
    this.convention = convention;
  }

  /**
   * What the rows so far have fixed, which later rows are read against: the label convention and the
   * negative text of `--pos-label`, each with where it was first seen (`file:line`). A piece of the file
   * read on its own (cli/evalPieces.ts) starts from the context at its start.
   */
  context(): LabelContext {
    return { convention: this.convention, conventionAt: this.conventionAt, negativeText: this.negativeText, negativeAt: this.negativeAt };
  }

  setContext(c: LabelContext): void {
    this.convention = c.convention;
    this.conventionAt = c.conventionAt;
    this.negativeText = c.negativeText;
    this.negativeAt = c.negativeAt;
  }

  header(cols: ColumnResolver): void {
    this.label = cols.index(this.columns.label);
    this.score = cols.index(this.columns.score);
    this.weight = this.columns.weight === null ? -1 : cols.index(this.columns.weight);
    this.group = this.columns.by === null ? -1 : cols.index(this.columns.by);
  }

  /**
   * Whether records of two plain decimals may take `numberPair` (the reader's fast path): numeric labels,
   * the label and score are the first two columns, no weight, group or `--ci` (which keys rows by line).
   */
  numberPairs(): boolean {
    return (
      this.posLabel === null &&
      this.weight < 0 &&
      this.group < 0 &&
      this.run instanceof EvalRun &&
      this.run.ci === null &&
      this.label + this.score === 1 &&
      (this.label === 0 || this.label === 1)
    );
  }

  /**
   * A record of two plain decimals (label and score in `numberPair`): the common row of `row`, taken as it
   * would take it (a label 1, or 0 / -1 in the convention fixed before; a finite score, a probability in
   * [0, 1] whose loss is finite). Anything else (a first 0 or -1 that fixes the convention, a row to reject,
   * an infinite loss to locate) returns false with nothing done, and the reader hands the row to `row`.
   */
  numberPair(): boolean {
    const y = numberPair[this.label]!;
    const s = numberPair[this.score]!;
    let label: number;
    if (y === 1) label = 1;
    else if (y === 0 ? this.convention === "01" : y === -1 && this.convention === "pm1") label = 0;
    else return false;
    if (this.scale === "probability" && (!(s >= 0 && s <= 1) || s === 1 - label)) return false;
    this.run.push(label, s, 1, null);
    this.rows++;
    return true;
  }

  private reject(e: InputError): void {
    if (this.skipInvalid && e.rowLevel) this.run.skip(e.reason);
    else throw e;
  }

  row(v: RowView): void {
    const bad = v.malformed();
    if (bad !== null) return this.reject(bad);
    const c = this.columns;
    // The label, in the convention of the file.
    const li = this.label;
    let label: number;
    if (this.posLabel !== null) {
      const r = this.textLabel(v, li);
      if (r < 0) return;
      label = r;
    } else {
      // parse() leaves the number in parsed[0] (no boxing on this hot path).
      const y = v.parse(li) ? parsed[0]! : undefined;
      if (y === 1) label = 1;
      else if (y === 0 && this.convention !== "pm1") {
        label = 0;
        if (this.convention === null) this.setConvention("01", v);
      } else if (y === -1 && this.convention !== "01") {
        label = 0;
        if (this.convention === null) this.setConvention("pm1", v);
      } else if (y === undefined && v.missing(li)) {
        return this.reject(v.error(li, "missing value", `no label in column ${quoteText(c.label)}`));
      } else return this.reject(v.error(li, "invalid label", this.labelProblem(v.text(li), y)));
    }
    // The score. (Checking for an empty field only after a failed parse keeps the common path short.)
    const si = this.score;
    if (!v.parse(si)) {
      if (v.missing(si)) return this.reject(v.error(si, "missing value", `no ${this.scale} in column ${quoteText(c.score)}`));
      return this.reject(v.error(si, "not a number", `${this.scale} ${quoteText(v.text(si))} (column ${quoteText(c.score)}) is not a number`));
    }
    const s = parsed[0]!;
    if (s !== s) {
      return this.reject(v.error(si, "not a number", `${this.scale} ${quoteText(v.text(si))} (column ${quoteText(c.score)}) is not a number`));
    }
    if (this.scale === "probability" && !(s >= 0 && s <= 1)) {
      return this.reject(
        v.error(
          si,
          "probability out of range",
          `probability ${quoteText(v.text(si))} (column ${quoteText(c.score)}) is not in [0, 1]${logitHint(s, `--logit ${c.score}`)}`,
        ),
      );
    }
    // The weight.
    let w = 1;
    const wi = this.weight;
    if (wi >= 0) {
      const ok = v.parse(wi);
      const x = parsed[0]!;
      if (!ok && v.missing(wi)) return this.reject(v.error(wi, "missing value", `no weight in column ${quoteText(c.weight!)}`));
      if (!ok || !(x >= 0 && x < Infinity)) {
        return this.reject(
          v.error(wi, "invalid weight", `weight ${quoteText(v.text(wi))} (column ${quoteText(c.weight!)}) is not a finite number >= 0`),
        );
      }
      w = x;
    }
    let group: string | null = null;
    if (this.group >= 0) {
      // An empty field is the group "" (a legitimate value); only a JSON key that is absent or null is missing.
      if (v.absent(this.group)) return this.reject(v.error(this.group, "missing value", `no group in column ${quoteText(c.by!)}`));
      group = v.text(this.group);
    }
    // An infinite loss: a probability of 0 or 1, or an infinite logit, on the wrong side of the label (a row of
    // weight 0 adds nothing, not even an infinity).
    if (w > 0 && (this.scale === "probability" ? s === 1 - label : s === (label === 1 ? -Infinity : Infinity))) this.run.infinite(v.location());
    this.run.push(label, s, w, group, v.file, v.line);
    this.rows++;
  }

  /**
   * `--pos-label NAME`: 1 for the text NAME, 0 for the one other text (as scikit-learn's pos_label: two
   * classes, the negative one being whatever is not NAME); a third text is bad input naming the first two.
   * Returns -1 after rejecting the row.
   */
  private textLabel(v: RowView, li: number): number {
    if (v.missing(li)) {
      this.reject(v.error(li, "missing value", `no label in column ${quoteText(this.columns.label)}`));
      return -1;
    }
    const text = v.text(li);
    if (text === this.posLabel) return 1;
    if (text === this.negativeText) return 0;
    if (this.negativeText === null) {
      this.negativeText = text;
      this.negativeAt = `${v.file}:${v.line}`;
      return 0;
    }
    this.reject(
      v.error(
        li,
        "invalid label",
        `label ${quoteText(text)} is a third class: --pos-label ${quoteText(this.posLabel!)} is 1 and ${quoteText(this.negativeText)} (first at ${this.negativeAt}) is 0`,
      ),
    );
    return -1;
  }

  private setConvention(convention: "01" | "pm1", v: RowView): void {
    this.convention = convention;
    this.conventionAt = v.location();
  }

  private labelProblem(text: string, y: number | undefined): string {
    const q = quoteText(text);
    if (this.fixedConvention) return `label ${q} is not in ${this.convention === "01" ? "{0, 1}" : "{-1, +1}"}`;
    if (y === 0 || y === -1) {
      const used = this.convention === "01" ? "{0, 1}" : "{-1, +1}";
      return `label ${q} mixes label conventions: ${this.conventionAt} used ${used} (pass --labels 01 or pm1)`;
    }
    return `label ${q} is not in {0, 1} or {-1, +1}`;
  }
}

/**
 * For a "probability" outside [0, 1]: a hint that the column holds logits (any real number), naming the
 * option to read it as such, or "" for NaN (not a score at all).
 */
export function logitHint(s: number, option: string): string {
  return s === s ? ` (scores outside [0, 1] look like logits: for logits, pass ${option} instead)` : "";
}
