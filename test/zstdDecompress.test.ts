// xent's zstd decoder (src/io/zstdDecompress.ts) against a real encoder: DuckDB writes zstd-compressed CSV
// (`COPY ... (COMPRESSION zstd)`) of the same rows it writes plain, at sizes from empty to multi-block
// frames; and, when the `zstd` command is installed, its frames at levels 1 to 22 (long matches, Huffman
// literals with 1 and 4 streams, FSE-compressed, RLE and repeated sequence tables). Corrupt input throws an
// Error: never wrong output, a crash or a hang.
import { DuckDBInstance } from "@duckdb/node-api";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zstdDecompress } from "../src/io/zstdDecompress.js";
import { tempDir } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
const SIZES = [0, 1, 100, 5000, 200_000];

beforeAll(async () => {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  await con.run("SELECT setseed(0.5)");
  for (const n of SIZES) {
    const q = `SELECT i, random() AS p, (random() < 0.3)::INT AS y, ['yes', 'no', 'maybe'][1 + (i % 3)] AS t FROM range(${n}) r(i)`;
    await con.run(`CREATE TABLE t${n} AS ${q}`);
    await con.run(`COPY t${n} TO '${at(`t${n}.csv`)}' (HEADER false)`);
    await con.run(`COPY t${n} TO '${at(`t${n}.csv.zst`)}' (HEADER false, COMPRESSION zstd)`);
  }
  con.closeSync();
  instance.closeSync();
}, 60_000);
afterAll(() => tmp.cleanup());

describe("zstdDecompress", () => {
  it("decodes DuckDB's zstd frames to the bytes DuckDB wrote plain", () => {
    for (const n of SIZES) {
      const plain = readFileSync(at(`t${n}.csv`));
      const frame = readFileSync(at(`t${n}.csv.zst`));
      expect(Buffer.from(zstdDecompress(frame, plain.length)).equals(plain), `${n} rows`).toBe(true);
    }
  });

  const cli = spawnSync("zstd", ["--version"]).status === 0;
  it.skipIf(!cli)("decodes the zstd command's frames at every level, and concatenated frames", () => {
    const random = rng(3);
    const inputs: Record<string, Buffer> = {
      text: Buffer.from(Array.from({ length: 60_000 }, () => ["yes", "no", "0.25", "1"][Math.floor(random() * 4)] + (random() < 0.1 ? "\n" : ",")).join("")),
      bytes: Buffer.from(Array.from({ length: 50_000 }, () => Math.floor(random() * 256))),
      doubles: Buffer.from(Float64Array.from({ length: 30_000 }, () => Math.round(random() * 1000) / 1000).buffer),
      runs: Buffer.concat([Buffer.alloc(300_000, 7), Buffer.from("tail")]),
    };
    for (const [name, data] of Object.entries(inputs)) {
      writeFileSync(at(name), data);
      for (const level of ["-1", "-3", "-9", "-19", "--ultra -22", "-3 --no-check"]) {
        const r = spawnSync("zstd", ["-q", "-f", "-c", ...level.split(" "), at(name)]);
        expect(r.status).toBe(0);
        expect(Buffer.from(zstdDecompress(r.stdout, data.length)).equals(data), `${name} ${level}`).toBe(true);
      }
    }
    const a = spawnSync("zstd", ["-q", "-c", "-1", at("text")]).stdout;
    const b = spawnSync("zstd", ["-q", "-c", "-19", at("doubles")]).stdout;
    const both = Buffer.concat([inputs.text!, inputs.doubles!]);
    expect(Buffer.from(zstdDecompress(Buffer.concat([a, b]), both.length)).equals(both)).toBe(true);
  });

  it("throws an Error on a corrupt or truncated frame, or a wrong size, never returns wrong bytes", () => {
    const plain = readFileSync(at("t5000.csv"));
    const frame = readFileSync(at("t5000.csv.zst"));
    expect(() => zstdDecompress(frame.subarray(0, frame.length >> 1), plain.length)).toThrow(/^zstd: /);
    expect(() => zstdDecompress(frame, plain.length + 1)).toThrow(/^zstd: /);
    expect(() => zstdDecompress(frame, plain.length - 1)).toThrow(/^zstd: /);
    expect(() => zstdDecompress(Buffer.from("not zstd at all"), 3)).toThrow("zstd: not a zstd frame (bad magic number)");
    const random = rng(9);
    let thrown = 0;
    for (let k = 0; k < 300; k++) {
      const bad = Buffer.from(frame);
      const at = 4 + Math.floor(random() * (bad.length - 4));
      bad[at] = bad[at]! ^ (1 + Math.floor(random() * 255));
      let out: Uint8Array | null = null;
      try {
        out = zstdDecompress(bad, plain.length);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        thrown++;
        continue;
      }
      // A change the format cannot see (e.g. in a literal copied as is, or in the skipped checksum) may
      // decode; whatever decodes has the size asked for.
      expect(out.length).toBe(plain.length);
    }
    // Most changes are caught (176 of these 300 when written; the checksum, which would catch the rest, is skipped).
    expect(thrown).toBeGreaterThan(150);
  });
});
