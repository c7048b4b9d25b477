// The byte-level readers of src/io: numbers parsed from bytes exactly as Number() does, and CSV records cut
// at every possible chunk boundary.
import fc from "fast-check";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseNumberBytes } from "../src/io/parseNumber.js";
import { type RowView, readTable } from "../src/io/tableReader.js";

const bytes = (s: string) => Buffer.from(s, "latin1");

describe("parseNumberBytes", () => {
  it("equals Number() on decimal text, fast path and slow path", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        for (const t of [String(x), x.toExponential(), x.toFixed(Math.min(20, Math.max(0, 3)))]) {
          if (!/^-?(\d|Inf)/.test(t)) continue;
          expect(Object.is(parseNumberBytes(bytes(t), 0, t.length), Number(t))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }), fc.boolean(), (m, k, neg) => {
        const t = `${neg ? "-" : ""}${String(m)
          .padStart(k + 1, "0")
          .replace(new RegExp(`(\\d{${k}})$`), ".$1")}`;
        expect(Object.is(parseNumberBytes(bytes(t), 0, t.length), Number(t))).toBe(true);
      }),
    );
  });
  it("accepts the usual spellings and rejects the rest", () => {
    const ok: [string, number][] = [
      ["0.9", 0.9],
      [" 1 ", 1],
      ["+1", 1],
      ["-1", -1],
      ["1.", 1],
      [".5", 0.5],
      ["1e-3", 0.001],
      ["1E+2", 100],
      ["0.1000000000000000055511151231257827", 0.1],
      ["inf", Infinity],
      ["-Infinity", -Infinity],
      ["1e400", Infinity],
    ];
    for (const [t, v] of ok) expect(parseNumberBytes(bytes(t), 0, t.length), t).toBe(v);
    // Around the int32 fast path of fields up to 10 bytes (9 digits and a point, or 9 digits).
    for (const t of ["999999999", "9999999999", "2147483648", "4294967297", "99999999.9", "0.99999999", "9.", "0.", "1.5e3", "12345678901"]) {
      expect(Object.is(parseNumberBytes(bytes(t), 0, t.length), Number(t)), t).toBe(true);
    }
    expect(parseNumberBytes(bytes("nan"), 0, 3)).toBeNaN();
    for (const t of ["", " ", "-", ".", "1e", "e5", "0x10", "1,5", "1 2", "abc", "--1", "1e+"]) {
      expect(parseNumberBytes(bytes(t), 0, t.length), JSON.stringify(t)).toBeUndefined();
    }
  });
});

async function collect(chunks: string[], format?: "csv" | "tsv" | "jsonl"): Promise<string[][]> {
  const rows: string[][] = [];
  let width = 0;
  await readTable(
    { path: "-", stdin: Readable.from(chunks.map((c) => Buffer.from(c))), ...(format ? { format } : {}) },
    {
      header: (cols) => {
        width = cols.names?.length ?? 0;
      },
      row: (v: RowView) => {
        const bad = v.malformed();
        if (bad) throw bad;
        rows.push([String(v.line), ...Array.from({ length: width }, (_, i) => v.text(i))]);
      },
    },
  );
  return rows;
}

describe("the CSV reader", () => {
  const text = 'a,b,c\r\n1,"x, ""quoted""",3\n\n4,"two\nlines",6\n7,,9';
  const expected = [
    ["2", "1", 'x, "quoted"', "3"],
    ["4", "4", "two\nlines", "6"],
    ["6", "7", "", "9"],
  ];
  it("reads quotes, escaped quotes, CRLF, blank lines, a missing final newline", async () => {
    expect(await collect([text])).toEqual(expected);
  });
  it("gives the same rows wherever the chunks are cut", async () => {
    for (let i = 0; i <= text.length; i++) {
      for (const j of [i, Math.min(text.length, i + 1), Math.min(text.length, i + 7)]) {
        expect(await collect([text.slice(0, i), text.slice(i, j), text.slice(j)]), `cut at ${i}, ${j}`).toEqual(expected);
      }
    }
  });
  it("strips a UTF-8 byte order mark", async () => {
    const rows: number[] = [];
    await readTable(
      { path: "-", stdin: Readable.from([Buffer.from("\uFEFFy\n1\n")]) },
      {
        header: (cols) => expect(cols.index("y")).toBe(0),
        row: (v) => void rows.push(v.number(0)!),
      },
    );
    expect(rows).toEqual([1]);
  });
});

describe("RowView.raw", () => {
  it("gives each record as written, quotes included, line ends excluded", async () => {
    const raws: string[] = [];
    const text = 'a,b\r\n1,"x\n""y"""\r\n2,3\n"4",5';
    await readTable({ path: "-", stdin: Readable.from([Buffer.from(text)]) }, { header: () => {}, row: (v) => void raws.push(v.raw()) });
    expect(raws).toEqual(['1,"x\n""y"""', "2,3", '"4",5']);
  });
});
