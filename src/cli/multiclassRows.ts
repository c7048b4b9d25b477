import { type ScoreScale, categoricalCrossEntropyWithLogits } from "../index.js";
import { InputError, quoteText } from "../io/inputError.js";
import { type ColumnResolver, type RowView } from "../io/tableReader.js";
import { logitHint } from "./binaryRows.js";
import { type CiOptions, EvalRun } from "./evalRun.js";

/**
 * How far a row of probabilities may sum away from 1 before it is bad input: 0.01, loose enough for
 * probabilities printed with 3 decimals over a few dozen classes, tight enough to catch a forgotten class
 * column (the rows are then used as given, as the library does).
 */
export const ROW_SUM_TOLERANCE = 0.01;

/**
 * The rows of a multi-class evaluation: a label and k probability or logit columns. The label is a class
 * name (a column name without the prefix; matched as text, numbers included), or with `classIds` a position
 * 0..k-1 in the column order; never one or the other by row.
 */
export class MulticlassHandler {
  run: EvalRun | null = null;
  rows = 0;
  private label = 0;
  private scoreColumns: number[] = [];
  private scoreNames: string[] = [];
  private weight = -1;
  private group = -1;
  private values: Float64Array = new Float64Array(0);
  /** The class names (the column names without their prefix) and their positions. */
  private classNames = new Map<string, number>();

  constructor(
    private readonly columns: { label: string; scores: string; weight: string | null; by: string | null },
    private readonly scale: ScoreScale,
    private readonly skipInvalid: boolean,
    /** Labels are positions 0..k-1 in the column order (--class-ids), not class names. */
    private readonly classIds = false,
    /** `--clip EPS`, or null. */
    private readonly clip: number | null = null,
    /** `--ci`, or null. */
    private readonly ci: CiOptions | null = null,
  ) {}

  header(cols: ColumnResolver): void {
    this.label = cols.index(this.columns.label);
    const spec = this.columns.scores;
    let names: string[];
    let prefix: string;
    if (spec.includes(",")) {
      names = spec.split(",").map((s) => s.trim());
      if (new Set(names).size !== names.length) {
        throw new InputError(cols.file, 1, 1, "missing column", `the class columns ${quoteText(spec)} name a column twice`, false);
      }
      prefix = commonPrefix(names);
    } else {
      prefix = spec;
      if (cols.names === null) {
        throw new InputError(
          cols.file,
          1,
          1,
          "missing column",
          `a column prefix (${quoteText(spec)}) needs a header: list the columns instead, e.g. p0,p1,p2`,
          false,
        );
      }
      names = cols.names.filter((n) => n.startsWith(spec) && n !== this.columns.label);
      if (names.length < 2) {
        throw new InputError(
          cols.file,
          1,
          1,
          "missing column",
          `${names.length} column${names.length === 1 ? " starts" : "s start"} with ${quoteText(spec)}; a multi-class evaluation needs at least 2`,
          false,
        );
      }
    }
    const k = names.length;
    if (this.run !== null && this.values.length !== k) {
      throw new InputError(cols.file, 1, 1, "missing column", `${k} class columns where the files before had ${this.values.length}`, false);
    }
    this.scoreNames = names;
    this.classNames = new Map(names.map((n, j) => [n.slice(prefix.length), j]));
    this.scoreColumns = names.map((n) => cols.index(n));
    this.weight = this.columns.weight === null ? -1 : cols.index(this.columns.weight);
    this.group = this.columns.by === null ? -1 : cols.index(this.columns.by);
    if (this.run === null) {
      this.values = new Float64Array(k);
      const classNames = names.map((n) => n.slice(prefix.length));
      this.run = new EvalRun(
        { kind: "multiclass", scale: this.scale, classes: k, names: classNames },
        this.columns.by,
        this.columns.weight !== null,
        this.clip,
        this.ci,
      );
    }
  }

  private reject(e: InputError): void {
    if (this.skipInvalid && e.rowLevel) this.run!.skip(e.reason);
    else throw e;
  }

  row(v: RowView): void {
    const bad = v.malformed();
    if (bad !== null) return this.reject(bad);
    const k = this.values.length;
    const li = this.label;
    let y: number | undefined;
    if (this.classIds) {
      y = v.number(li);
      if (y === undefined && v.missing(li)) return this.reject(v.error(li, "missing value", `no label in column ${quoteText(this.columns.label)}`));
      if (!(y !== undefined && Number.isInteger(y) && y >= 0 && y < k)) {
        return this.reject(
          v.error(
            li,
            "invalid label",
            `label ${quoteText(v.text(li))} is not a class id in [0, ${k - 1}] (--class-ids: positions in the column order)`,
          ),
        );
      }
    } else {
      const text = v.text(li).trim();
      y = this.classNames.get(text);
      if (y === undefined) {
        if (text === "" && v.missing(li)) return this.reject(v.error(li, "missing value", `no label in column ${quoteText(this.columns.label)}`));
        const names = [...this.classNames.keys()].map((n) => quoteText(n)).join(", ");
        return this.reject(
          v.error(
            li,
            "invalid label",
            `label ${quoteText(v.text(li))} is not a class name (${names}: the class columns without their common prefix); for labels that are positions 0..${k - 1} in the column order, pass --class-ids`,
          ),
        );
      }
    }
    const probability = this.scale === "probability";
    let sum = 0;
    let infinite = false;
    for (let j = 0; j < k; j++) {
      const c = this.scoreColumns[j]!;
      const name = quoteText(this.scoreNames[j]!);
      const s = v.number(c);
      if (s === undefined && v.missing(c)) return this.reject(v.error(c, "missing value", `no ${this.scale} in column ${name}`));
      if (s === undefined || s !== s)
        return this.reject(v.error(c, "not a number", `${this.scale} ${quoteText(v.text(c))} (column ${name}) is not a number`));
      if (probability && !(s >= 0 && s <= 1)) {
        return this.reject(
          v.error(
            c,
            "probability out of range",
            `probability ${quoteText(v.text(c))} (column ${name}) is not in [0, 1]${logitHint(s, `--logits ${this.columns.scores}`)}`,
          ),
        );
      }
      this.values[j] = s;
      sum += s;
      if (s === Infinity || s === -Infinity) infinite = true;
    }
    if (probability && !(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
      return this.reject(
        v.error(this.scoreColumns[0]!, "probabilities do not sum to 1", `the ${k} probabilities sum to ${sum}, not 1 (within ${ROW_SUM_TOLERANCE})`),
      );
    }
    let w = 1;
    const wi = this.weight;
    if (wi >= 0) {
      const x = v.number(wi);
      if (x === undefined && v.missing(wi))
        return this.reject(v.error(wi, "missing value", `no weight in column ${quoteText(this.columns.weight!)}`));
      if (x === undefined || !(x >= 0 && x < Infinity)) {
        return this.reject(
          v.error(wi, "invalid weight", `weight ${quoteText(v.text(wi))} (column ${quoteText(this.columns.weight!)}) is not a finite number >= 0`),
        );
      }
      w = x;
    }
    let group: string | null = null;
    if (this.group >= 0) {
      // An empty field is the group "" (a legitimate value); only a JSON key that is absent or null is missing.
      if (v.absent(this.group)) return this.reject(v.error(this.group, "missing value", `no group in column ${quoteText(this.columns.by!)}`));
      group = v.text(this.group);
    }
    // An infinite loss: probability 0 for the label; for logits (only when one is infinite, which is rare), the
    // library's loss of the row, whose limits decide it (see categoricalCrossEntropyWithLogits).
    if (
      w > 0 &&
      (probability
        ? this.values[y] === 0
        : infinite && categoricalCrossEntropyWithLogits([y], this.values, { classes: k, reduction: "sum" }) === Infinity)
    ) {
      this.run!.infinite(v.location());
    }
    this.run!.pushRow(y, this.values, w, group, v.file, v.line);
    this.rows++;
  }
}

/**
 * The prefix common to a list of class columns, which the class names are what follows: the longest common
 * prefix, cut back to a token boundary so that no class name is split (not between two letters or two digits:
 * "p_versicolor,p_virginica" gives "p_", "x10,x11" gives "x", "cat,car" gives ""), and leaving every name
 * non-empty.
 */
export function commonPrefix(names: readonly string[]): string {
  const first = names[0] ?? "";
  let n = first.length;
  for (const s of names) {
    let i = 0;
    while (i < n && i < s.length && s[i] === first[i]) i++;
    n = i;
  }
  const kind = (c: string | undefined) => (c === undefined ? 0 : /[0-9]/.test(c) ? 1 : /\p{L}/u.test(c) ? 2 : 0);
  const splits = (i: number) => names.some((s) => i >= s.length || (kind(s[i - 1]) !== 0 && kind(s[i - 1]) === kind(s[i])));
  while (n > 0 && splits(n)) n--;
  return first.slice(0, n);
}
