import { type UsageError } from "./usageError.js";

/** `--class-weight`: "balanced" or a JSON object label -> finite weight >= 0 (the library checks the labels against y). */
export function parseClassWeight(text: string | undefined, usage: (m: string) => UsageError): "balanced" | Record<string, number> | undefined {
  if (text === undefined) return undefined;
  if (text === "balanced") return text;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw usage(`--class-weight ${JSON.stringify(text)} is not "balanced" or a JSON object such as '{"0": 1, "1": 5}'`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw usage(`--class-weight ${JSON.stringify(text)} is not "balanced" or a JSON object such as '{"0": 1, "1": 5}'`);
  }
  for (const [label, w] of Object.entries(v)) {
    if (typeof w !== "number" || !(w >= 0 && w < Infinity))
      throw usage(`--class-weight: the weight of class ${JSON.stringify(label)}, ${JSON.stringify(w)}, is not a finite number >= 0`);
  }
  return v as Record<string, number>;
}
