/**
 * @internal Helpers for the JSON form of mergeable states (evaluation states written by one shard and read
 * by another). JSON has no Infinity or NaN, and an infinite loss sum is a legitimate value (a confidently
 * wrong prediction), so non-finite numbers are written as the strings "Infinity", "-Infinity" and "NaN".
 * Finite doubles round-trip exactly through JSON (`JSON.stringify` prints the shortest round-tripping form).
 */
import { CompensatedSum } from "../numerics/compensatedSum.js";

export type JsonNumber = number | "Infinity" | "-Infinity" | "NaN";

export function encodeNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  return x !== x ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

export function decodeNumber(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (v === "NaN") return NaN;
  throw new TypeError(`${what} = ${JSON.stringify(v)} is not a number`);
}

export function encodeSum(s: CompensatedSum): [JsonNumber, JsonNumber] {
  const [sum, c] = s.parts();
  return [encodeNumber(sum), encodeNumber(c)];
}

export function decodeSum(v: unknown, what: string): CompensatedSum {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${what} is not a [sum, compensation] pair`);
  return CompensatedSum.fromParts(decodeNumber(v[0], `${what}[0]`), decodeNumber(v[1], `${what}[1]`));
}

export function decodeNumberArray(v: unknown, what: string): number[] {
  if (!Array.isArray(v)) throw new TypeError(`${what} is not an array`);
  return v.map((x, i) => decodeNumber(x, `${what}[${i}]`));
}

export function expectObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new TypeError(`${what} is not an object`);
  return v as Record<string, unknown>;
}

export function expectCount(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new TypeError(`${what} = ${JSON.stringify(v)} is not a count (an integer >= 0)`);
  }
  return v;
}
