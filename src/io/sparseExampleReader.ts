import { type Readable } from "node:stream";
import { openByteSource } from "./byteSource.js";
import { InputError, quoteText } from "./inputError.js";
import { readLibsvm } from "./libsvmReader.js";
import { SparseExample, type SparseExampleHandler } from "./sparseExample.js";
import { readVowpalWabbit } from "./vowpalWabbitReader.js";

/** The sparse text formats of the online model. */
export type SparseFormat = "vw" | "libsvm";

export const SPARSE_FORMATS: readonly SparseFormat[] = ["vw", "libsvm"];

/** The format a file's name implies (".vw", ".libsvm", ".svm", ".svmlight", each optionally ".gz"), or undefined. */
export function sparseFormatFromName(path: string): SparseFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".vw")) return "vw";
  if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".svmlight")) return "libsvm";
  return undefined;
}

/**
 * Streams the examples of a Vowpal Wabbit or libsvm file (a path, or "-" for stdin; gzip or not) to
 * `onExample`, with hashed feature indices in [0, 2^bits):
 * - vw: see `readVowpalWabbit` (namespaces, importance, tag);
 * - libsvm: through the libsvm reader (`libsvmReader.ts`); the label must be 1, +1, -1 or 0 (-1 and 0 are
 *   the negative class), and column `j` (as written, from 1) becomes feature index `j mod 2^bits`, which is
 *   VW's hash of the feature "j" in the default namespace: "1 3:0.5" in libsvm and "1 | 3:0.5" in VW are the
 *   same example.
 * Returns the number of examples. Errors are InputErrors at file:line:column.
 */
export async function readSparseExamples(
  format: SparseFormat,
  path: string,
  bits: number,
  onExample: SparseExampleHandler,
  stdin?: Readable,
): Promise<number> {
  if (format === "vw") return readVowpalWabbit(openByteSource(path, stdin), bits, onExample);
  const mask = 2 ** bits - 1;
  const e = new SparseExample();
  e.file = path === "-" ? "<stdin>" : path;
  const summary = await readLibsvm(
    path,
    (row) => {
      e.reset(row.line);
      const y = row.label;
      if (!(y === 1 || y === -1 || y === 0)) {
        throw new InputError(
          e.file,
          row.line,
          1,
          "bad label",
          `label ${quoteText(String(y))} is not 1, -1 or 0 (a binary logistic model; 0 is read as -1)`,
        );
      }
      e.label = y > 0 ? 1 : 0;
      const { indices, values } = row;
      for (let k = 0; k < indices.length; k++) {
        const v = values[k]!;
        if (v !== 0) e.push((indices[k]! + 1) & mask, v);
      }
      onExample(e);
    },
    stdin === undefined ? {} : { stdin },
  );
  return summary.rows;
}
