/**
 * @internal Input checks shared by every function of the core. The policy: a NaN, a probability outside
 * [0, 1] or a label outside its convention throws a `RangeError` naming the argument (and the index, for
 * arrays) and the offending value. Infinite logits are allowed: their losses have exact limits.
 * A value of the wrong type (a string, null, undefined, a boolean where a number belongs; a number where an
 * array or an object belongs) throws a `TypeError` in the same format: JavaScript would otherwise coerce it
 * ("3" + 1 is "31") or turn it into a silent NaN.
 */

/** Formats a value the way a user typed it: `2`, `-0.5`, `NaN`, `Infinity`. */
export function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value); // a cyclic object
  }
}

export function fail(what: string, value: unknown, rule: string): never {
  throw new RangeError(`${what} = ${show(value)} ${rule}`);
}

/** Throws the TypeError of a value of the wrong type. */
export function failType(what: string, value: unknown, rule: string): never {
  throw new TypeError(`${what} = ${show(value)} ${rule}`);
}

export function checkNumber(x: number, name: string): void {
  if (typeof x !== "number") failType(name, x, "is not a number");
  if (x !== x) fail(name, x, "is not a number");
}

export function checkProbability(p: number, name: string): void {
  if (typeof p !== "number") failType(name, p, "is not a number");
  if (!(p >= 0 && p <= 1)) fail(name, p, "is not in [0, 1]");
}

export function checkUnitLabel(y: number, name: string): void {
  if (typeof y !== "number") failType(name, y, "is not a number");
  if (!(y >= 0 && y <= 1)) fail(name, y, "is not in [0, 1]");
}

export function checkSignLabel(y: number, name: string): void {
  if (typeof y !== "number") failType(name, y, "is not a number");
  if (y !== 1 && y !== -1) fail(name, y, "is not -1 or +1");
}

/**
 * Throws a RangeError for an option the function does not know (a misspelling such as `weight` for `weights`,
 * or an option of another loss), naming it and listing the allowed ones: an ignored option would silently
 * change the result. Runs once per call, over the object's own keys only; a key whose value is undefined
 * counts too. A non-object `options` is left to the caller's own check.
 */
export function checkOptions(fn: string, options: unknown, allowed: readonly string[]): void {
  if (options == null || typeof options !== "object") return;
  for (const key in options) {
    if (!allowed.includes(key) && Object.prototype.hasOwnProperty.call(options, key)) {
      throw new RangeError(`${fn}: unknown option ${JSON.stringify(key)} (allowed: ${allowed.length === 0 ? "none" : allowed.join(", ")})`);
    }
  }
}
