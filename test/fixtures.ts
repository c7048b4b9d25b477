/**
 * Loads the mpmath fixtures of test/fixtures/binary/ (written by test/fixtures/generate_binary.py).
 * Every number is stored as a string: arguments as doubles ("Infinity", "-0" included), the exact value as the
 * double-double hi + lo.
 */
import { readFileSync } from "node:fs";

export interface FixturePoint {
  /** The arguments, in the order of the function's parameters. */
  args: number[];
  /** The exact value as a double-double: hi correctly rounded, lo the rounded remainder. */
  hi: number;
  lo: number;
  regime: string;
}

export interface Fixture {
  function: string;
  argNames: string[];
  formula: string;
  /** Points grouped by numeric regime, in the file's order. */
  regimes: Map<string, FixturePoint[]>;
  points: FixturePoint[];
}

interface FixtureFile {
  function: string;
  args: string[];
  formula: string;
  points: number;
  regimes: Record<string, string[][]>;
}

/** A decimal string as the double it denotes; throws on anything that is not a number (no silent NaN). */
function num(text: string): number {
  const x = Number(text);
  if (Number.isNaN(x) || text.trim() === "") throw new Error(`fixture: ${JSON.stringify(text)} is not a number`);
  return x;
}

const cache = new Map<string, Fixture>();

/** `loadFixture("sigmoid")`, `loadFixture("binaryCrossEntropyGrad.soft")`. */
export function loadFixture(file: string): Fixture {
  const cached = cache.get(file);
  if (cached) return cached;
  const url = new URL(`./fixtures/binary/${file}.json`, import.meta.url);
  const raw = JSON.parse(readFileSync(url, "utf8")) as FixtureFile;
  const regimes = new Map<string, FixturePoint[]>();
  const points: FixturePoint[] = [];
  for (const [regime, rows] of Object.entries(raw.regimes)) {
    const list = rows.map((row): FixturePoint => {
      const args = row.slice(0, raw.args.length).map(num);
      return { args, hi: num(row[raw.args.length]!), lo: num(row[raw.args.length + 1]!), regime };
    });
    regimes.set(regime, list);
    points.push(...list);
  }
  if (points.length !== raw.points) throw new Error(`fixture ${file}: ${points.length} points, header says ${raw.points}`);
  const fixture = { function: raw.function, argNames: raw.args, formula: raw.formula, regimes, points };
  cache.set(file, fixture);
  return fixture;
}

/** Every fixture file, by the name loadFixture takes. */
export const FIXTURE_FILES = [
  "sigmoid",
  "logSigmoid",
  "softplus",
  "logit",
  "binaryCrossEntropy",
  "binaryCrossEntropyWithLogits",
  "logisticLoss",
  "binaryCrossEntropyGrad",
  "binaryCrossEntropyWithLogitsGrad",
  "logisticLossGrad",
  "binaryCrossEntropyGrad.soft",
  "binaryCrossEntropyWithLogitsGrad.soft",
] as const;
