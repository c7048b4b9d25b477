import { type NumericArray } from "./reduction.js";

/**
 * @internal Dispatches a loss name to its scalar form (two numbers) or its batch form (two arrays), and
 * rejects a mix of the two with a TypeError naming the arguments.
 */
export function scalarOrBatch<R>(
  fn: string,
  a: number | NumericArray,
  b: number | NumericArray,
  scalarNames: readonly [string, string],
  batchNames: readonly [string, string],
  scalar: (a: number, b: number) => number,
  batch: (a: NumericArray, b: NumericArray) => R,
): number | R {
  if (typeof a === "number" && typeof b === "number") return scalar(a, b);
  if (typeof a !== "number" && typeof b !== "number") return batch(a, b);
  throw mixedArguments(fn, a, b, scalarNames, batchNames);
}

/**
 * @internal The TypeError of a call with one number and one array (or another type): the one wording of this
 * message, for the functions that dispatch by hand too.
 */
export function mixedArguments(
  fn: string,
  a: unknown,
  b: unknown,
  scalarNames: readonly [string, string],
  batchNames: readonly [string, string],
): TypeError {
  return new TypeError(
    `${fn}: expected two numbers (${scalarNames.join(", ")}) or two arrays (${batchNames.join(", ")}), got ${kind(a)} and ${kind(b)}`,
  );
}

/** "a number", "an array", "a string", "null", "undefined": what the caller passed, for the message. */
function kind(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "number") return "a number";
  if (typeof x === "object" && typeof (x as { length?: unknown }).length === "number") return "an array";
  return /^[aeiou]/.test(typeof x) ? `an ${typeof x}` : `a ${typeof x}`;
}
