// Arrow IPC input (src/io/arrowTable.ts): files written here by apache-arrow (`tableToIPC`, file and stream
// formats, several record batches), read by `xent eval`/`predict` and compared with the same rows as CSV
// (written here with String(x), which round-trips): the figures must be bit-identical.
import { Float64, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from "apache-arrow";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../src/io/tableReader.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
const ROWS = 5000;
const BATCH = 1000;

beforeAll(() => {
  const random = rng(11);
  const y = new Int32Array(ROWS);
  const big = new BigInt64Array(ROWS);
  const p = new Float64Array(ROWS);
  const f = new Float32Array(ROWS);
  const pn: (number | null)[] = [];
  const g: string[] = [];
  const yn: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    y[i] = random() < 0.4 ? 1 : 0;
    big[i] = BigInt(y[i]!);
    p[i] = random();
    f[i] = random();
    pn.push(i % 9 === 5 ? null : random());
    g.push(`g${i % 4}`);
    yn.push(random() < 0.5 ? "yes" : "no");
  }
  // One record batch per 1000 rows: each batch a table of its slice, concatenated.
  const batches: Table[] = [];
  for (let s = 0; s < ROWS; s += BATCH) {
    const e = s + BATCH;
    batches.push(
      new Table({
        y: makeVector(y.subarray(s, e)),
        y64: makeVector(big.subarray(s, e)),
        p: makeVector(p.subarray(s, e)),
        f: makeVector(f.subarray(s, e)),
        pn: vectorFromArray(pn.slice(s, e), new Float64()),
        g: vectorFromArray(g.slice(s, e), new Utf8()),
        yn: vectorFromArray(yn.slice(s, e), new Utf8()),
      }),
    );
  }
  const table = batches[0]!.concat(...batches.slice(1));
  expect(table.batches.length).toBe(ROWS / BATCH);
  writeFileSync(at("t.arrow"), tableToIPC(table, "file"));
  writeFileSync(at("t.arrows"), tableToIPC(table, "stream"));
  writeFileSync(at("t-named.parquet"), tableToIPC(table, "stream"));
  const lines = ["y,y64,p,f,pn,g,yn"];
  for (let i = 0; i < ROWS; i++) lines.push([y[i], big[i], p[i], f[i], pn[i] ?? "", g[i], yn[i]].map(String).join(","));
  writeFileSync(at("t.csv"), lines.join("\n") + "\n");
  const stream = readFileSync(at("t.arrows"));
  writeFileSync(at("truncated.arrows"), stream.subarray(0, stream.length >> 1));
  const file = readFileSync(at("t.arrow"));
  writeFileSync(at("truncated.arrow"), file.subarray(0, file.length - 40));
});
afterAll(() => tmp.cleanup());

async function evalJson(args: string[], stdin: Buffer[] = []): Promise<unknown> {
  const r = await xentInProcess(["eval", ...args, "--json"], stdin);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { files?: unknown };
  delete report.files;
  return report;
}

describe("xent eval on Arrow IPC equals xent eval on the same rows as CSV", () => {
  const cases: [string, string[]][] = [
    ["Int32 labels, Float64 probabilities, groups", ["--label", "y", "--prob", "p", "--by", "g"]],
    ["Int64 labels, Float32 probabilities", ["--label", "y64", "--prob", "f"]],
    ["nulls skipped", ["--label", "y", "--prob", "pn", "--skip-invalid"]],
  ];
  for (const [what, args] of cases) {
    it(what, async () => {
      const csv = await evalJson([at("t.csv"), ...args]);
      expect(await evalJson([at("t.arrow"), ...args])).toEqual(csv);
      expect(await evalJson([at("t.arrows"), ...args])).toEqual(csv);
    });
  }
  it("reads the stream format from stdin, plain or gzip, and detects it whatever the name", async () => {
    const args = ["--label", "y", "--prob", "p"];
    const csv = await evalJson([at("t.csv"), ...args]);
    const stream = readFileSync(at("t.arrows"));
    // In small pieces, as a pipe delivers it.
    const pieces = Array.from({ length: Math.ceil(stream.length / 4096) }, (_, k) => stream.subarray(k * 4096, (k + 1) * 4096));
    expect(await evalJson(["-", ...args], pieces)).toEqual(csv);
    expect(await evalJson(["-", ...args], [gzipSync(stream)])).toEqual(csv);
    expect(await evalJson([at("t-named.parquet"), ...args])).toEqual(csv);
  });
});

describe("Arrow IPC errors", () => {
  it("name the file, the row and the column", async () => {
    const r = await xentInProcess(["eval", at("t.arrow"), "--label", "y", "--prob", "pn"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`xent eval: ${at("t.arrow")}: row 6, column "pn": no probability in column "pn"\n`);
    const s = await xentInProcess(["eval", at("t.arrows"), "--label", "yn", "--prob", "p"]);
    expect(s.stderr).toMatch(/t\.arrows: row 1, column "yn": label "(yes|no)" is not in/);
  });
  it("a truncated file or stream is bad input (exit 1)", async () => {
    const s = await xentInProcess(["eval", at("truncated.arrows"), "--label", "y", "--prob", "p"]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/truncated\.arrows: corrupt or truncated record batch \d+ \(after row \d+\): /);
    const f = await xentInProcess(["eval", at("truncated.arrow"), "--label", "y", "--prob", "p"]);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain(`${at("truncated.arrow")}: not a readable Arrow IPC file (truncated or corrupt footer?)`);
  });
  it("the file format from stdin is refused (it is read by random access)", async () => {
    const r = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p"], [readFileSync(at("t.arrow"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("this is an Arrow IPC file (the file format), which is read by random access");
  });
});

describe("readTable on Arrow IPC", () => {
  it("hands over each record batch's rows before reading the next", async () => {
    for (const file of ["t.arrow", "t.arrows"]) {
      let rows = 0;
      const seen: number[] = [];
      await readTable({ path: at(file), afterChunk: async () => void seen.push(rows) }, { header: (c) => void c.index("y"), row: () => void rows++ });
      expect(seen).toEqual([1000, 2000, 3000, 4000, 5000]);
    }
  });
});

describe("xent predict on Arrow IPC", () => {
  it("writes CSV: every column, then the class probabilities, as from the CSV", async () => {
    const t = await xentInProcess(["train", at("t.csv"), "--label", "yn", "--features", "p,f", "--out", at("m.json")]);
    expect(t.code).toBe(0);
    const a = await xentInProcess(["predict", at("m.json"), at("t.arrow")]);
    const c = await xentInProcess(["predict", at("m.json"), at("t.csv")]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(c.stdout);
  });
});
