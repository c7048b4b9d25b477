import { readFileSync } from "node:fs";
import { InputError } from "./inputError.js";

/** The text of a whole file (UTF-8); a missing or unreadable file is an InputError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(path, 0, 0, "unreadable", code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(e)})`, false);
  }
}

/**
 * A whole file's JSON, unchecked; a missing or unreadable file, or text that is not JSON, is an InputError
 * naming the file: `file: not a model file: not JSON (...)` with `what` = "a model file".
 */
export function readJsonFile(path: string, what: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(path, 0, 0, "not JSON", `not ${what}: not JSON (${(e as Error).message})`, false);
  }
}
