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
  throw new TypeError(
    `${fn}: expected two numbers (${scalarNames.join(", ")}) or two arrays (${batchNames.join(", ")}), got a ${typeof a} and a ${typeof b}`,
  );
}
