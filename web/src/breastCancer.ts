/** The Breast Cancer Wisconsin (Diagnostic) table, parsed from its CSV text (header row, numbers, last column the label). */
export interface Table {
  names: string[];
  features: number[][];
  labels: number[];
}

/** Parses the data file shipped in data/ (the page imports its text, the tests read it from disk). */
export function parseBreastCancer(text: string): Table {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const features: number[][] = [];
  const labels: number[] = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(",").map(Number);
    if (cells.length !== header.length || cells.some((v) => !Number.isFinite(v))) {
      throw new Error(`breast-cancer-wisconsin.csv:${r + 1}: expected ${header.length} numbers`);
    }
    labels.push(cells.pop()!);
    features.push(cells);
  }
  return { names: header.slice(0, -1), features, labels };
}
