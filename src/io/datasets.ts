import { type Dataset, parseCsvDataset } from "./parseCsvDataset.js";

/** The data sets shipped in the package's `data/` folder (see `data/README.md` for sources and licenses). */
export const datasetNames = ["breast-cancer", "iris", "wine", "digits"] as const;

/** The name of a built-in data set. */
export type DatasetName = (typeof datasetNames)[number];

const files: Record<DatasetName, { file: string; target: string }> = {
  "breast-cancer": { file: "breast-cancer-wisconsin.csv", target: "benign" },
  iris: { file: "iris.csv", target: "species" },
  wine: { file: "wine.csv", target: "cultivar" },
  digits: { file: "digits.csv", target: "digit" },
};

/**
 * Loads a built-in data set (Node only: it reads `data/<file>.csv` from the installed package):
 * - `"breast-cancer"`: Breast Cancer Wisconsin (Diagnostic), 569 x 30, labels 1 = benign, 0 = malignant;
 * - `"iris"`: Iris, 150 x 4, labels "setosa", "versicolor", "virginica";
 * - `"wine"`: Wine, 178 x 13, labels 0, 1, 2;
 * - `"digits"`: Optical Recognition of Handwritten Digits (8 x 8 pixel counts 0..16), 1797 x 64, labels 0..9.
 * In a browser, fetch the CSV text and call `parseCsvDataset` instead.
 *
 * @example loadDataset("iris").nSamples // 150
 */
export function loadDataset(name: DatasetName): Dataset {
  const fn = "loadDataset";
  const entry = Object.hasOwn(files, name) ? files[name] : undefined;
  if (entry === undefined) {
    throw new RangeError(`${fn}: name = ${JSON.stringify(name)} is not one of ${datasetNames.map((n) => JSON.stringify(n)).join(", ")}`);
  }
  // node:fs is loaded on demand (Node >= 20.16), so that bundling "xent" for a browser needs no fs shim.
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin !== "function") {
    throw new Error(`${fn}: reading the built-in data sets needs Node (>= 20.16); elsewhere, pass the CSV text to parseCsvDataset`);
  }
  const fs = getBuiltin("node:fs") as typeof import("node:fs");
  // A concatenation, not a template literal, so bundlers leave it alone instead of bundling every CSV.
  const url = new URL("../../data/" + entry.file, import.meta.url);
  return { ...parseCsvDataset(fs.readFileSync(url, "utf8"), { target: entry.target, name: entry.file }), name };
}
