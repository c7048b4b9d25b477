// The CSV/TSV reader's fast path for records of two plain decimals (TableHandler.numberPair): every value
// it hands over is the double Number() gives for the field's text (bit for bit, -0 included), and the rows
// it leaves to `row` (other shapes, refused rows) arrive there as in a read without the fast path, with the
// same line numbers. Tested on a million random fields of the shapes around the fast path's edges.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type RowView, type TableHandler, numberPair, readTable } from "../src/io/tableReader.js";
import { rng } from "./rng.js";

const random = rng(2024);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join("");

/** A field near the fast path's edges: plain decimals of 1 to 11 digits, signs, points, and other shapes. */
function field(): string {
  const r = random();
  if (r < 0.6) {
    // A plain decimal: optional minus, 1 to 11 digits (9 is the fast path's most), an optional point.
    const n = 1 + Math.floor(random() * 11);
    const d = digits(n);
    const at = Math.floor(random() * (n + 1));
    const text = random() < 0.7 && at > 0 ? `${d.slice(0, at)}.${d.slice(at)}` : d;
    return (random() < 0.2 ? "-" : "") + text;
  }
  if (r < 0.7) return pick(["0", "1", "-1", "-0", "0.0", "-0.0", "1.", "0.5", "1.0", "999999999", "0.000000001", "000000000", "0000000000"]);
  if (r < 0.8) return String(random() * 10 ** Math.floor(random() * 30 - 15)); // any double's shortest text
  return pick([" 1", "1 ", ".5", "+1", "1e3", "2.5E-1", "nan", "inf", "", "x", '"0.5"', "0x1f", "1.2.3", "--1", "-", "1_0"]);
}

interface Seen {
  line: number;
  values: [number | undefined, number | undefined];
  fast: boolean;
}

/** Reads `text` with or without the fast path; every row's two values and line (rows given to `row` as such). */
async function read(
  text: string,
  fast: boolean,
  refuse: (a: number, b: number) => boolean = () => false,
  header = true,
  delimiter?: string,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  const handler: TableHandler = {
    header: () => {},
    row: (v: RowView) => {
      seen.push({ line: v.line, values: [v.number(0), v.number(1)], fast: false });
    },
  };
  if (fast) {
    handler.numberPairs = () => true;
    handler.numberPair = () => {
      if (refuse(numberPair[0]!, numberPair[1]!)) return false;
      // (A fast row has no view: its line shows in the lines of the rows after it, which row() gets.)
      seen.push({ line: -1, values: [numberPair[0], numberPair[1]], fast: true });
      return true;
    };
  }
  // Small chunks, so that records are cut at every offset by chunk ends.
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 4093) chunks.push(bytes.subarray(i, i + 4093));
  await readTable({ path: "-", stdin: Readable.from(chunks), format: "csv", header, ...(delimiter === undefined ? {} : { delimiter }) }, handler);
  return seen;
}

describe("TableHandler.numberPair (two plain decimals in one pass)", () => {
  it("hands over exactly Number(text) for a million random fields, and leaves every other row to row()", async () => {
    const rows: string[] = [];
    for (let i = 0; i < 500_000; i++) rows.push(`${field()},${field()}${random() < 0.1 ? "\r" : ""}`);
    const text = "a,b\n" + rows.join("\n") + "\n";
    const slow = await read(text, false);
    const fast = await read(text, true);
    expect(fast.length).toBe(slow.length);
    let taken = 0;
    for (let i = 0; i < slow.length; i++) {
      const f = fast[i]!;
      const s = slow[i]!;
      if (f.fast) {
        taken++;
        const [a, b] = rows[i]!.replace(/\r$/, "").split(",");
        // Object.is: the same double, -0 apart from +0.
        if (!Object.is(f.values[0], Number(a)) || !Object.is(f.values[1], Number(b))) {
          throw new Error(`row ${i} ${JSON.stringify(rows[i])}: ${f.values} against Number's ${Number(a)},${Number(b)}`);
        }
      }
      if (!Object.is(f.values[0], s.values[0]) || !Object.is(f.values[1], s.values[1]) || (!f.fast && f.line !== s.line)) {
        throw new Error(`row ${i} ${JSON.stringify(rows[i])}: ${JSON.stringify(f)} against ${JSON.stringify(s)}`);
      }
    }
    // Both paths are exercised: about a third of the rows are two plain decimals of at most 9 digits.
    expect(taken).toBeGreaterThan(100_000);
    expect(taken).toBeLessThan(slow.length - 100_000);
  });

  it("takes the shapes it promises and nothing else", async () => {
    const cases: [string, boolean][] = [
      ["1,0.4842212", true],
      ["-1,-0", true],
      ["0,1.", true],
      ["1,123456789", true],
      ["1,12345.6789", true],
      ["1,1234567890", false], // 10 digits
      ["1,12345.67890", false],
      ["1,.5", false],
      ["1, 0.5", false],
      ["1,0.5 ", false],
      ["1,+0.5", false],
      ["1,5e-1", false],
      ['1,"0.5"', false],
      ["1,0.5,", false], // three fields
      ["1", false],
      ["1,0.5\r\r", false],
    ];
    for (const [row, taken] of cases) {
      const seen = await read(`a,b\n${row}\n`, true);
      expect(seen.length, row).toBe(1);
      expect(seen[0]!.fast, row).toBe(taken);
      expect(seen[0]!.line, row).toBe(taken ? -1 : 2);
    }
    // No header: two columns named 1 and 2, the same fast path; a record cut by the end of the input
    // (no line feed) goes to row().
    const seen = await read("1,0.25\n0,0.75\n1,0.5", true, () => false, false);
    expect(seen.map((s) => [s.line, s.fast])).toEqual([
      [1, false],
      [-1, true],
      [3, false],
    ]);
  });

  it("is off with a delimiter that a plain decimal may hold, and on with another", async () => {
    for (const d of [".", "-", "5"]) {
      const seen = await read(`a${d}b\n1${d}0${d}5\n-1${d}2\n`, true, () => false, true, d);
      expect(seen.every((s) => !s.fast)).toBe(true);
    }
    const seen = await read("a;b\n1;0.5\n-1;2\n", true, () => false, true, ";");
    expect(seen.map((s) => [s.fast, ...s.values])).toEqual([
      [true, 1, 0.5],
      [true, -1, 2],
    ]);
  });

  it("stops trying after 1000 records in a row of another shape (a file of 17-digit probabilities)", async () => {
    const other = Array.from({ length: 1500 }, (_, i) => `1,${(i + 0.5) / 1500 + 1e-12}`);
    const plain = Array.from({ length: 10 }, (_, i) => `0,0.${i}`);
    const seen = await read(`a,b\n${[...plain, ...other, ...plain].join("\n")}\n`, true);
    expect(seen.filter((s) => s.fast).length).toBe(10); // the first ten only
    expect(seen.map((s) => s.values[1])).toEqual([...plain, ...other, ...plain].map((r) => Number(r.split(",")[1])));
    expect(seen[seen.length - 1]!.line).toBe(1521);
  });

  it("gives a refused row to row() with its own line, and goes on fast after it", async () => {
    const text = "a,b\n1,0.5\n\n0,0.25\n1,1.5\n0,0.125\n";
    const seen = await read(text + "0,x\n", true, (_a, b) => b > 1);
    expect(seen.map((s) => [s.line, s.fast, s.values[1]])).toEqual([
      [-1, true, 0.5],
      [-1, true, 0.25], // after a blank line (read by row(), which skips it)
      [5, false, 1.5],
      [-1, true, 0.125],
      [7, false, undefined], // the line counted over the fast rows
    ]);
  });
});
