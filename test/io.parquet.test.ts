// Parquet input (src/io/parquetTable.ts): files written here by DuckDB (in process, @duckdb/node-api), read
// by `readTable` and by `xent eval`/`predict`/`train`, compared with the same data as CSV (also written by
// DuckDB): the figures must be bit-identical. Several row groups (ROW_GROUP_SIZE 1000), snappy, zstd and gzip,
// nulls, text and integer labels, FLOAT, DECIMAL and BOOLEAN columns.
import { DuckDBInstance } from "@duckdb/node-api";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/io/inputError.js";
import { type ColumnResolver, type RowView, readTable } from "../src/io/tableReader.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";

const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
const ROWS = 10_000;

// Rows: i, an int label y, a text label yn, a probability p, a logit s, a weight w, a group g, a FLOAT
// probability f, a DECIMAL probability d, a BOOLEAN label b, a probability pn that is null every 7th row,
// and a 3-class label k with class probabilities c_a, c_b, c_c.
const SELECT = `
  SELECT i::INT AS i, (random() < 0.4)::INT AS y, CASE WHEN random() < 0.5 THEN 'yes' ELSE 'no' END AS yn,
    random() AS p, (random() - 0.5) * 40 AS s, round(random() * 3, 2) AS w, 'g' || (i % 3) AS g,
    (random())::FLOAT AS f, round(random(), 3)::DECIMAL(6, 3) AS d, random() < 0.5 AS b,
    CASE WHEN i % 7 = 3 THEN NULL ELSE random() END AS pn,
    ['a', 'b', 'c'][1 + (i % 3)] AS k, 0.2 AS c_a, 0.3 AS c_b, 0.5 AS c_c,
    random() AS x1, random() * 10 AS x2
  FROM range(${ROWS}) r(i)`;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  await con.run("SELECT setseed(0.25)");
  await con.run(`CREATE TABLE t AS ${SELECT}`);
  await con.run(`COPY t TO '${at("t.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  await con.run(`COPY t TO '${at("t-gzip.parquet")}' (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 1000)`);
  await con.run(`COPY t TO '${at("t-zstd.parquet")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000)`);
  await con.run(`COPY t TO '${at("t-lz4.parquet")}' (FORMAT parquet, COMPRESSION lz4_raw)`);
  await con.run(`COPY t TO '${at("t-misnamed.csv")}' (FORMAT parquet)`);
  // The same rows as CSV; the FLOAT column as the double it widens to (the value the Parquet reader uses),
  // the BOOLEAN as 1/0 (DuckDB writes true/false).
  await con.run(`COPY (SELECT * REPLACE (f::DOUBLE AS f, b::INT AS b) FROM t ORDER BY i) TO '${at("t.csv")}' (HEADER)`);
  await con.run(`COPY (SELECT * FROM t WHERE false) TO '${at("empty.parquet")}' (FORMAT parquet)`);
  con.closeSync();
  instance.closeSync();
  const bytes = readFileSync(at("t.parquet"));
  writeFileSync(at("truncated.parquet"), bytes.subarray(0, bytes.length >> 1));
  // A corrupt page: the middle of the data overwritten, the footer intact.
  const corrupt = Buffer.from(bytes);
  corrupt.fill(0xa5, 4, bytes.length >> 1);
  writeFileSync(at("corrupt.parquet"), corrupt);
}, 120_000);
afterAll(() => tmp.cleanup());

/** `xent eval --json` without the file names, which differ between the two files compared. */
async function evalJson(args: string[]): Promise<unknown> {
  const r = await xentInProcess(["eval", ...args, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { files?: unknown };
  delete report.files;
  return report;
}

describe("xent eval on Parquet equals xent eval on the same rows as CSV", () => {
  const cases: [string, string[]][] = [
    ["int labels, probabilities", ["--label", "y", "--prob", "p"]],
    ["logits, weights, groups", ["--label", "y", "--logit", "s", "--weight", "w", "--by", "g"]],
    ["a FLOAT probability column", ["--label", "y", "--prob", "f"]],
    ["a DECIMAL probability column and BOOLEAN labels", ["--label", "b", "--prob", "d"]],
    ["nulls skipped with --skip-invalid", ["--label", "y", "--prob", "pn", "--skip-invalid"]],
    ["text class labels, multi-class", ["--label", "k", "--probs", "c_"]],
  ];
  for (const [what, args] of cases) {
    it(what, async () => {
      // The figures are the CSV's; rows with an infinite loss are shown by row number (the CSV's line - 1).
      const csv = sameFigures(await evalJson([at("t.csv"), ...args]));
      expect(sameFigures(await evalJson([at("t.parquet"), ...args]))).toEqual(csv);
      expect(sameFigures(await evalJson([at("t-gzip.parquet"), ...args]))).toEqual(csv);
      expect(sameFigures(await evalJson([at("t-zstd.parquet"), ...args]))).toEqual(csv);
      expect(sameFigures(await evalJson([at("t-lz4.parquet"), ...args]))).toEqual(csv);
    });
  }
  it("counts the nulls as missing values", async () => {
    const r = (await evalJson([at("t.parquet"), "--label", "y", "--prob", "pn", "--skip-invalid"])) as {
      rows: number;
      skipped: { byReason: Record<string, number> };
    };
    const nulls = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 7 === 3).length;
    expect(r.skipped.byReason).toEqual({ "missing value": nulls });
    expect(r.rows).toBe(ROWS - nulls);
  });
  it("detects Parquet from the magic bytes, not the name (a Parquet file named .csv)", async () => {
    expect(await evalJson([at("t-misnamed.csv"), "--label", "y", "--prob", "p"])).toEqual(
      await evalJson([at("t.csv"), "--label", "y", "--prob", "p"]),
    );
  });
});

/** An eval report with the infinite-loss rows' locations made comparable: `f.csv:L` -> `row L-1`, `f.parquet row N` -> `row N`. */
function sameFigures(report: unknown): unknown {
  const r = report as { infiniteLoss?: { first: string[] } };
  if (r.infiniteLoss === undefined) return r;
  const first = r.infiniteLoss.first.map((w) => {
    const csv = /\.csv:(\d+)$/.exec(w);
    return csv ? `row ${Number(csv[1]) - 1}` : w.replace(/^.* (row \d+)$/, "$1");
  });
  return { ...r, infiniteLoss: { ...r.infiniteLoss, first } };
}

describe("Parquet errors", () => {
  it("name the file, the row (from 1) and the column", async () => {
    const r = await xentInProcess(["eval", at("t.parquet"), "--label", "y", "--prob", "pn"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`xent eval: ${at("t.parquet")}: row 4, column "pn": no probability in column "pn"\n`);
    const text = await xentInProcess(["eval", at("t.parquet"), "--label", "yn", "--prob", "p"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/: row \d+, column "yn": label "(yes|no)" is not in \{0, 1\} or \{-1, \+1\}/);
    const logit = await xentInProcess(["eval", at("t.parquet"), "--label", "y", "--prob", "s"]);
    expect(logit.stderr).toMatch(/t\.parquet: row \d+, column "s": probability "-?\d.*" \(column "s"\) is not in \[0, 1\]/);
  });
  it("a missing column lists the file's columns", async () => {
    const r = await xentInProcess(["eval", at("t.parquet"), "--label", "y", "--prob", "q"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${at("t.parquet")}: no column "q" (the columns are "i", "y", "yn", "p",`);
  });
  it("a truncated or corrupt file is bad input (exit 1) with a clear message", async () => {
    const t = await xentInProcess(["eval", at("truncated.parquet"), "--label", "y", "--prob", "p"]);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain(`${at("truncated.parquet")}: not a readable Parquet file (truncated or corrupt footer?)`);
    const c = await xentInProcess(["eval", at("corrupt.parquet"), "--label", "y", "--prob", "p"]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/corrupt\.parquet: (corrupt or unreadable data in row group 1 of \d+ \(rows 1-\d+\)|row \d+, column)/);
  });
  it("stdin is refused (Parquet needs random access); so are --no-header and a contradicting --format", async () => {
    const r = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p"], [readFileSync(at("t.parquet"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "xent eval: <stdin>: this is Parquet, which is read by random access: it cannot be read from a stream; give the file's path\n",
    );
    const h = await xentInProcess(["eval", at("t.parquet"), "--label", "1", "--prob", "4", "--no-header"]);
    expect(h.code).toBe(1);
    expect(h.stderr).toContain("whose columns are named: a header-less table (no header) is CSV or TSV only");
    const f = await xentInProcess(["eval", at("t.parquet"), "--label", "y", "--prob", "p", "--format", "csv"]);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain("this is Parquet (from its magic bytes), not csv: pass --format parquet, or no --format");
    const p = await xentInProcess(["eval", at("t.csv"), "--label", "y", "--prob", "p", "--format", "parquet"]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('not a Parquet file (--format parquet): it does not start with the magic bytes "PAR1"');
    const bad = await xentInProcess(["eval", at("t.csv"), "--label", "y", "--prob", "p", "--format", "orc"]);
    expect(bad.code).toBe(2);
  });
  it("an empty file (no row groups) has its columns and no rows", async () => {
    const r = await xentInProcess(["eval", at("empty.parquet"), "--label", "y", "--prob", "p", "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: number }).rows).toBe(0);
  });
});

describe("readTable on Parquet", () => {
  it("streams one row group at a time: each group's rows reach the handler before the next group is read", async () => {
    const { asyncBufferFromFile, parquetMetadataAsync } = await import("hyparquet");
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(at("t.parquet")));
    const groups = metadata.row_groups.map((g) => Number(g.num_rows));
    expect(groups.length).toBeGreaterThanOrEqual(4);
    expect(groups.every((n) => n < ROWS)).toBe(true);
    let rows = 0;
    const seen: number[] = [];
    await readTable(
      { path: at("t.parquet"), afterChunk: async () => void seen.push(rows) },
      { header: (c) => void c.index("p"), row: () => void rows++ },
    );
    // After each group: exactly the rows of the groups so far (the reader holds one group's columns).
    expect(seen).toEqual(groups.map((_, k) => groups.slice(0, k + 1).reduce((a, b) => a + b, 0)));
  });
  it("decodes only the columns the handler resolved, and gives their values, types and row numbers", async () => {
    const got: {
      line: number;
      y: number | undefined;
      yn: string;
      d: number | undefined;
      b: number | undefined;
      pn: boolean;
      other: boolean;
      loc: string;
    }[] = [];
    let names: readonly string[] | null = null;
    await readTable(
      { path: at("t.parquet") },
      {
        header: (c: ColumnResolver) => {
          names = c.names;
          for (const n of ["y", "yn", "d", "b", "pn"]) c.index(n);
        },
        row: (v: RowView) => {
          if (v.line > 8) return;
          got.push({
            line: v.line,
            y: v.number(1),
            yn: v.text(2),
            d: v.number(8),
            b: v.number(9),
            pn: v.missing(10),
            other: v.absent(3),
            loc: v.location(),
          });
        },
      },
    );
    expect(names).toEqual(["i", "y", "yn", "p", "s", "w", "g", "f", "d", "b", "pn", "k", "c_a", "c_b", "c_c", "x1", "x2"]);
    expect(got.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got.map((r) => r.pn)).toEqual([false, false, false, true, false, false, false, false]);
    // p (column 3) was not resolved, so not read.
    expect(got.every((r) => r.other)).toBe(true);
    for (const r of got) {
      expect([0, 1]).toContain(r.y);
      expect(["yes", "no"]).toContain(r.yn);
      expect([0, 1]).toContain(r.b);
      expect(r.d! * 1000).toBeCloseTo(Math.round(r.d! * 1000), 6);
    }
    expect(got[0]!.loc).toBe(`${at("t.parquet")} row 1`);
  });
  it("an error from a row is an InputError with the row as its line and the column's position", async () => {
    const e = await readTable(
      { path: at("t.parquet") },
      {
        header: (c) => void c.index("pn"),
        row: (v) => {
          if (v.missing(10)) throw v.error(10, "missing value", "no value");
        },
      },
    ).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).line).toBe(4);
    expect((e as InputError).column).toBe(11);
    expect((e as InputError).rowLevel).toBe(true);
  });
});

describe("xent train and predict on Parquet", () => {
  it("train fits the same model as on the CSV; predict writes CSV, the same as from the CSV", async () => {
    const args = ["--label", "yn", "--features", "x1,x2", "--json"];
    const a = await xentInProcess(["train", at("t.parquet"), ...args, "--out", at("m1.json")]);
    const b = await xentInProcess(["train", at("t.csv"), ...args, "--out", at("m2.json")]);
    expect(a.code).toBe(0);
    expect(a.stdout.replace(at("m1.json"), "M")).toBe(b.stdout.replace(at("m2.json"), "M"));
    expect(JSON.parse(readFileSync(at("m1.json"), "utf8"))).toEqual(JSON.parse(readFileSync(at("m2.json"), "utf8")));
    const p = await xentInProcess(["predict", at("m1.json"), at("t.parquet")]);
    expect(p.code).toBe(0);
    const lines = p.stdout.split("\n");
    expect(lines[0]).toBe("i,y,yn,p,s,w,g,f,d,b,pn,k,c_a,c_b,c_c,x1,x2,p_no,p_yes");
    expect(lines.length).toBe(ROWS + 2);
    // The probability columns equal those predicted from the CSV, row by row.
    const q = await xentInProcess(["predict", at("m1.json"), at("t.csv")]);
    const tail = (s: string) => s.split("\n").map((l) => l.split(",").slice(-2).join(","));
    expect(tail(p.stdout)).toEqual(tail(q.stdout));
    // Row 4 has a null pn: an empty field.
    expect(lines[4]!.split(",")[10]).toBe("");
  });
  it("predict's bad row names the row and column", async () => {
    writeFileSync(at("m3.json"), readFileSync(at("m1.json"), "utf8").replace('"x2"', '"pn"'));
    const r = await xentInProcess(["predict", at("m3.json"), at("t.parquet")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${at("t.parquet")}: row 4, column "pn": feature "pn" is missing`);
  });
});
