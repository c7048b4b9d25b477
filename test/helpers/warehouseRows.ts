// Seeded prediction rows with the points where SQL log-loss queries break, for the warehouse tests and
// bench/warehouse.bench.ts: columns label, prob, logit, weight, grp, as typed arrays and as a CSV file that
// PostgreSQL's COPY and DuckDB's read_csv load.
//
// Most rows are an ordinary classifier: a logit s ~ N(0, 3^2), its probability p = sigmoid(s), a label drawn
// as y ~ Bernoulli(p). About 0.12% of the rows (HARD_ROW_RATE) are saturated: one of the HARD_..._ROWS below, where a
// naive query meets exp overflow or underflow (logits ±800), a probability that rounds to 1 (logit 40), ln(0)
// (p = 0 and 1 exactly), subnormal probabilities, and confidently wrong rows whose true loss is 36 to 800 (the
// rows that clipping at 1e-15 undercounts). A few rows sit exactly on the decision threshold (p = 0.5, logit
// 0: predicts 0). About 1% of the weights are 0, the others in [0.5, 2] with 3 decimals.
// Every true loss here is finite: an infinite one is a case of its own (INFINITE_LOSS_ROWS).
import { closeSync, openSync, writeSync } from "node:fs";
import { rng } from "../rng.js";

/** The rows, column by column. `grp` indexes GROUPS. */
export interface WarehouseRows {
  n: number;
  label: Float64Array;
  prob: Float64Array;
  logit: Float64Array;
  weight: Float64Array;
  grp: Uint8Array;
  /** How many rows are saturated (one of HARD_RIGHT_ROWS or HARD_WRONG_ROWS). */
  hard: number;
}

/** The group names of the `grp` column. */
export const GROUPS = ["a", "b", "c", "d"] as const;

/** The share of saturated rows (0.12%). */
export const HARD_ROW_RATE = 0.0012;

/**
 * The saturated rows: [label, logit, prob]. The prob column is the logit's probability where that is a
 * finite loss, and otherwise the nearest probability with a finite loss (p = 0 with label 1 would be an
 * infinite loss): 1e-300, the smallest subnormal 5e-324, or 1 - 2^-53, the largest double below 1.
 * Like a real model's, most saturated scores are right (HARD_RIGHT_ROWS); WRONG_SHARE of them are
 * confidently wrong (HARD_WRONG_ROWS), true losses of 36 to 800 that clipping at 1e-15 counts as 34.5.
 */
export const HARD_RIGHT_ROWS: readonly (readonly [label: 0 | 1, logit: number, prob: number])[] = [
  [1, 800, 1], // loss exp(-800): exp(-800) underflows (PostgreSQL raises), p exactly 1
  [0, -800, 0], // p exactly 0: ln(p) is ln(0) where the naive form evaluates both logs
  [1, 40, 1 - 2 ** -53], // sigmoid(40) rounds to 1: 1 - p = 0 in the naive form
  [0, -40, 1e-300],
];
export const HARD_WRONG_ROWS: readonly (readonly [label: 0 | 1, logit: number, prob: number])[] = [
  [1, -800, 1e-300], // loss 800 (logit), 690.8 (prob)
  [0, 800, 1 - 2 ** -53], // loss 800 (logit), 36.7 (prob)
  [0, 40, 1 - 2 ** -53], // loss 40, 36.7
  [1, -40, 5e-324], // loss 40, 744.4
];
/** The share of confidently wrong rows among the saturated ones. */
export const WRONG_SHARE = 0.04;

/** Generates n rows from a seed (the same rows on every machine). */
export function warehouseRows(n: number, seed = 20261207): WarehouseRows {
  const random = rng(seed);
  const rows: WarehouseRows = {
    n,
    label: new Float64Array(n),
    prob: new Float64Array(n),
    logit: new Float64Array(n),
    weight: new Float64Array(n),
    grp: new Uint8Array(n),
    hard: 0,
  };
  for (let i = 0; i < n; i++) {
    const u = random();
    let y: number;
    let s: number;
    let p: number;
    if (u < HARD_ROW_RATE) {
      const kinds = random() < WRONG_SHARE ? HARD_WRONG_ROWS : HARD_RIGHT_ROWS;
      const [hy, hs, hp] = kinds[Math.floor(random() * kinds.length)]!;
      y = hy;
      s = hs;
      p = hp;
      rows.hard++;
    } else if (u < HARD_ROW_RATE + 0.0005) {
      // exactly on the threshold: both forms predict 0
      s = 0;
      p = 0.5;
      y = random() < 0.5 ? 1 : 0;
    } else {
      // Box–Muller: a standard normal from two uniforms (1 - u avoids log(0)).
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      s = 3 * z;
      p = 1 / (1 + Math.exp(-s));
      y = random() < p ? 1 : 0;
    }
    rows.label[i] = y;
    rows.logit[i] = s;
    rows.prob[i] = p;
    rows.weight[i] = random() < 0.01 ? 0 : Math.round(500 + 1500 * random()) / 1000;
    rows.grp[i] = Math.floor(random() * GROUPS.length);
  }
  return rows;
}

/** The CSV header of `writeWarehouseCsv`. */
export const CSV_COLUMNS = ["label", "prob", "logit", "weight", "grp"] as const;

/**
 * Writes the rows as CSV with a header. Numbers are printed by `String(x)`, the shortest decimal that reads
 * back as the same double, so the engines and xent see the same values.
 */
export function writeWarehouseCsv(path: string, rows: WarehouseRows): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, CSV_COLUMNS.join(",") + "\n");
    let chunk = "";
    for (let i = 0; i < rows.n; i++) {
      chunk += `${rows.label[i]},${rows.prob[i]},${rows.logit[i]},${rows.weight[i]},${GROUPS[rows.grp[i]!]}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** Rows whose true loss is infinite (p = 0 or logit -Infinity with label 1), among ordinary ones; weights 1. */
export function infiniteLossRows(): WarehouseRows {
  const base = warehouseRows(40, 7);
  base.weight.fill(1);
  base.label[3] = 1;
  base.prob[3] = 0;
  base.logit[3] = -Infinity;
  return base;
}

/** The SQL table definition for these columns (the same in PostgreSQL and DuckDB). */
export const TABLE_COLUMNS_SQL =
  "label integer not null, prob double precision not null, logit double precision not null, " + "weight double precision not null, grp text not null";
