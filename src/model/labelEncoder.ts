/**
 * Class labels to class ids and back, as scikit-learn's `LabelEncoder`: the classes are the distinct labels,
 * sorted (numbers by value, strings by code unit, as `numpy.unique` does), and a label's id is its index.
 * So {0, 1} and {-1, +1} both map to ids {0, 1} with the positive class last, and a binary model fitted with
 * either convention is the same model.
 *
 * @example new LabelEncoder().fit(["b", "a", "b"]).classes // ["a", "b"]
 * @example new LabelEncoder().fit([1, -1, 1]).transform([1, -1]) // [1, 0]
 */

/** A class label: a number (finite) or a string. All labels of one fit are of one type. */
export type Label = number | string;

/** Labels of a batch: an array of numbers (plain or typed) or of strings (all of one type, checked by `fit`). */
export type Labels = ArrayLike<Label>;

/**
 * Small integer labels (in [-SMALL, SMALL)) are looked up in a table instead of a Set or Map (a hash per
 * sample): `fit` and `transform` of 100,000 labels in {0, 1} take about a tenth of the time. The table gives
 * the same classes and ids as the Map (which stays the reference: any label the table does not hold, e.g. a
 * string, 2.5 or an unseen class, goes to the Map, so errors are the same).
 */
const SMALL = 1024;

export class LabelEncoder {
  private classList: Label[] | null = null;
  private index = new Map<Label, number>();
  /** ids of small integer classes: `smallIds[y + SMALL]` is the id of class y, -1 for none; null if no class is one. */
  private smallIds: Int32Array | null = null;

  /** The sorted distinct labels seen by `fit` (a copy). Throws before `fit`. */
  get classes(): Label[] {
    return [...this.fitted("classes")];
  }

  /** Learns the classes of `labels`. Throws a RangeError for an empty batch, a NaN or infinite label, or mixed types. */
  fit(labels: Labels, fn = "LabelEncoder.fit", name = "labels"): this {
    if (labels == null || typeof labels !== "object" || typeof labels.length !== "number") {
      throw new TypeError(`${fn}: ${name} is not an array of labels`);
    }
    if (labels.length === 0) throw new RangeError(`${fn}: ${name} is empty`);
    const kind = typeof labels[0];
    if (kind !== "number" && kind !== "string") {
      throw new TypeError(`${fn}: ${name}[0] = ${JSON.stringify(labels[0]) ?? String(labels[0])} is not a number or a string`);
    }
    const seen = new Set<Label>();
    // Small integers are marked in a table (-0 as 0, as the Set stores it).
    const small = kind === "number" ? new Uint8Array(2 * SMALL) : null;
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i] as unknown;
      if (typeof y !== kind) {
        throw new TypeError(
          `${fn}: ${name}[${i}] = ${JSON.stringify(y) ?? String(y)} is not a ${kind === "string" ? "string" : "number"} like ${name}[0]`,
        );
      }
      if (small !== null) {
        const v = y as number;
        if (Number.isInteger(v) && v >= -SMALL && v < SMALL) {
          small[v + SMALL] = 1;
          continue;
        }
        if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] = ${String(y)} is not a finite number`);
      }
      seen.add(y as Label);
    }
    if (small !== null) for (let t = 0; t < small.length; t++) if (small[t] === 1) seen.add(t - SMALL);
    const classes = [...seen];
    if (kind === "number") (classes as number[]).sort((a, b) => a - b);
    else classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.setClasses(classes);
  }

  /** @internal Restores known classes (from JSON), already sorted and distinct. */
  setClasses(classes: Label[]): this {
    this.classList = classes;
    this.index = new Map(classes.map((c, i) => [c, i]));
    this.smallIds = null;
    classes.forEach((c, i) => {
      if (typeof c === "number" && Number.isInteger(c) && c >= -SMALL && c < SMALL) {
        this.smallIds ??= new Int32Array(2 * SMALL).fill(-1);
        this.smallIds[c + SMALL] = i;
      }
    });
    return this;
  }

  /** The class id of each label. A label not seen by `fit` throws a RangeError naming it and its index. */
  transform(labels: Labels, fn = "LabelEncoder.transform", name = "labels"): Int32Array {
    this.fitted("transform");
    if (labels == null || typeof labels !== "object" || typeof labels.length !== "number") {
      throw new TypeError(`${fn}: ${name} is not an array of labels`);
    }
    const ids = new Int32Array(labels.length);
    const small = this.smallIds;
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i]!;
      if (small !== null && typeof y === "number" && Number.isInteger(y) && y >= -SMALL && y < SMALL) {
        const id = small[y + SMALL]!;
        if (id >= 0) {
          ids[i] = id;
          continue;
        }
      }
      const id = this.index.get(y);
      if (id === undefined) {
        throw new RangeError(`${fn}: ${name}[${i}] = ${JSON.stringify(labels[i])} is not one of the classes ${JSON.stringify(this.classList)}`);
      }
      ids[i] = id;
    }
    return ids;
  }

  /** The labels of class ids. */
  inverseTransform(ids: ArrayLike<number>): Label[] {
    const classes = this.fitted("inverseTransform");
    const out: Label[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const c = classes[ids[i]!];
      if (c === undefined) throw new RangeError(`LabelEncoder.inverseTransform: ids[${i}] = ${ids[i]} is not a class id in [0, ${classes.length})`);
      out[i] = c;
    }
    return out;
  }

  private fitted(what: string): Label[] {
    if (this.classList === null) throw new Error(`LabelEncoder.${what}: call fit first`);
    return this.classList;
  }
}
