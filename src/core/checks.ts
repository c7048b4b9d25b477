/**
 * @internal Input checks shared by every function of the core. The policy: a NaN, a probability outside
 * [0, 1] or a label outside its convention throws a `RangeError` naming the argument (and the index, for
 * arrays) and the offending value. Infinite logits are allowed: their losses have exact limits.
 */

/** Formats a value the way a user typed it: `2`, `-0.5`, `NaN`, `Infinity`. */
export function show(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
}

export function fail(what: string, value: unknown, rule: string): never {
  throw new RangeError(`${what} = ${show(value)} ${rule}`);
}

export function checkNumber(x: number, name: string): void {
  if (typeof x !== "number" || x !== x) fail(name, x, "is not a number");
}

export function checkProbability(p: number, name: string): void {
  if (!(p >= 0 && p <= 1)) fail(name, p, "is not in [0, 1]");
}

export function checkUnitLabel(y: number, name: string): void {
  if (!(y >= 0 && y <= 1)) fail(name, y, "is not in [0, 1]");
}

export function checkSignLabel(y: number, name: string): void {
  if (y !== 1 && y !== -1) fail(name, y, "is not -1 or +1");
}
