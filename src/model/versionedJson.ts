/**
 * @internal The first checks of a fitted object's `fromJSON`: `json` is its `toJSON()` output or that output's
 * JSON text, an object whose "type" is `xent.<className>` (else a TypeError) and whose version is 1 (else a
 * RangeError). Returns the object, its other fields still to be checked.
 */
export function versionedJson<T extends { type: string; version: number }>(fn: string, json: unknown, className: string): Partial<T> {
  const type = `xent.${className}`;
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Partial<T> | null;
  if (o == null || typeof o !== "object" || o.type !== type) {
    throw new TypeError(`${fn}: not a ${className} JSON (its "type" must be "${type}")`);
  }
  if (o.version !== 1) throw new RangeError(`${fn}: version ${String(o.version)} is not supported (expected 1)`);
  return o;
}
