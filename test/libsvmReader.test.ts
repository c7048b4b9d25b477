// The libsvm / svmlight reader: the format's rules, file:line:column errors, lines cut at every chunk
// boundary, gzip and stdin, and the CSR loader.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/io/inputError.js";
import { LibsvmParser, type LibsvmRow, parseLibsvm, parseLibsvmToCsr } from "../src/io/libsvmParser.js";
import { loadLibsvm, readLibsvm } from "../src/io/libsvmReader.js";

interface Plain {
  label: number;
  indices: number[];
  values: number[];
  line: number;
}
const copy = (r: LibsvmRow): Plain => ({ label: r.label, indices: Array.from(r.indices), values: Array.from(r.values), line: r.line });

function rowsOf(text: string, options: { indexBase?: 0 | 1 } = {}): Plain[] {
  const out: Plain[] = [];
  parseLibsvm(text, (r) => out.push(copy(r)), options);
  return out;
}

function errorOf(text: string, options: { indexBase?: 0 | 1 } = {}): InputError {
  try {
    parseLibsvm(text, () => {}, { ...options, name: "f.svm" });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

const sample = [
  "+1 1:0.5 3:-2 10:1e-3 # a comment",
  "",
  "# a comment line",
  "-1\t2:1\t4:0   ",
  "0 qid:7 1:1",
  "3.5",
  "1 5:.25 6:-1E+2#a comment without a space\r",
  "-1 7:inf_is_not_here".replace("inf_is_not_here", "3"),
].join("\n");

const expected: Plain[] = [
  { label: 1, indices: [0, 2, 9], values: [0.5, -2, 1e-3], line: 1 },
  { label: -1, indices: [1, 3], values: [1, 0], line: 4 },
  { label: 0, indices: [0], values: [1], line: 5 },
  { label: 3.5, indices: [], values: [], line: 6 },
  { label: 1, indices: [4, 5], values: [0.25, -100], line: 7 },
  { label: -1, indices: [6], values: [3], line: 8 },
];

describe("libsvm parser", () => {
  it("reads labels, 1-based indices as 0-based columns, comments, blank lines, tabs, CRLF, qid", () => {
    expect(rowsOf(sample)).toEqual(expected);
  });

  it("reads 0-based files with indexBase 0", () => {
    expect(rowsOf("1 0:2 5:3\n", { indexBase: 0 })).toEqual([{ label: 1, indices: [0, 5], values: [2, 3], line: 1 }]);
    expect(errorOf("1 0:2\n").message).toBe('f.svm:1:3: the index is not an integer in [1, 2^31 - 1]: "0:2"');
  });

  it("gives the same rows whatever the chunk boundaries", () => {
    const bytes = new TextEncoder().encode(sample);
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const step of [1, 3, 7]) {
        const out: Plain[] = [];
        const parser = new LibsvmParser("x", (r) => out.push(copy(r)));
        parser.push(bytes.subarray(0, cut));
        for (let i = cut; i < bytes.length; i += step) parser.push(bytes.subarray(i, Math.min(bytes.length, i + step)));
        parser.end();
        expect(out).toEqual(expected);
        expect(parser.rows).toBe(6);
        expect(parser.nonzeros).toBe(9);
        expect(parser.maxColumn).toBe(9);
      }
    }
  });

  it("rejects bad tokens with file:line:column and the token", () => {
    const cases: [string, string][] = [
      ["1 1:1\nx 1:2\n", 'f.svm:2:1: the label is not a finite number: "x"'],
      ["nan 1:2\n", 'f.svm:1:1: the label is not a finite number: "nan"'],
      ["1 1:1 2:nan\n", 'f.svm:1:7: the value is not a finite number: "2:nan"'],
      ["1 1:1 2:inf\n", 'f.svm:1:7: the value is not a finite number: "2:inf"'],
      ["1 1:1 2:\n", 'f.svm:1:7: the value is not a finite number: "2:"'],
      ["1 3:1 2:1\n", 'f.svm:1:7: the index is not greater than the previous index, 3: "2:1"'],
      ["1 3:1 3:1\n", 'f.svm:1:7: the index is not greater than the previous index, 3: "3:1"'],
      ["1 1:1 x:1\n", 'f.svm:1:7: a feature is not index:value: "x:1"'],
      ["1 1:1 7\n", 'f.svm:1:7: a feature is not index:value: "7"'],
      ["1 -2:1\n", 'f.svm:1:3: a feature is not index:value: "-2:1"'],
      ["1 :1\n", 'f.svm:1:3: the index is not an integer: ":1"'],
      ["1 1.5:1\n", 'f.svm:1:3: a feature is not index:value: "1.5:1"'],
      ["1 99999999999:1\n", 'f.svm:1:3: the index is not an integer in [1, 2^31 - 1]: "99999999999:1"'],
      ["1 1:1 qid:3\n", 'f.svm:1:7: a feature is not index:value: "qid:3"'],
      ["1 qid:x 1:1\n", 'f.svm:1:3: qid is not an integer: "qid:x"'],
      ["1,2 1:1\n", 'f.svm:1:1: the label is not a finite number: "1,2"'],
    ];
    for (const [text, message] of cases) expect(errorOf(text).message, text).toBe(message);
    const e = errorOf("1 1:1\n\n1 2:x\n");
    expect([e.file, e.line, e.column, e.reason]).toEqual(["f.svm", 3, 3, "bad value"]);
  });

  it("loads a CSR matrix", () => {
    const d = parseLibsvmToCsr(sample);
    expect(Array.from(d.X.indptr)).toEqual([0, 3, 5, 6, 6, 8, 9]);
    expect(Array.from(d.X.indices)).toEqual([0, 2, 9, 1, 3, 0, 4, 5, 6]);
    expect(Array.from(d.X.data)).toEqual([0.5, -2, 1e-3, 1, 0, 1, 0.25, -100, 3]);
    expect(d.X.nFeatures).toBe(10);
    expect(Array.from(d.y)).toEqual([1, -1, 0, 3.5, 1, -1]);
    expect(Array.from(d.lines)).toEqual([1, 4, 5, 6, 7, 8]);
    expect(parseLibsvmToCsr(sample, { nFeatures: 20 }).X.nFeatures).toBe(20);
    expect(parseLibsvmToCsr("1\n").X.nFeatures).toBe(1);
  });

  it("grows its buffers past their first sizes", () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const feats = Array.from({ length: 1 + (i % 150) }, (_, j) => `${j * 3 + 1}:${i + j}`);
      lines.push(`${i % 2} ${feats.join(" ")}`);
    }
    const d = parseLibsvmToCsr(lines.join("\n"));
    expect(d.y.length).toBe(3000);
    let nnz = 0;
    for (let i = 0; i < 3000; i++) nnz += 1 + (i % 150);
    expect(d.X.indptr[3000]).toBe(nnz);
    const row = 2999;
    const start = d.X.indptr[row]!;
    expect(d.X.indices[start + 149]).toBe(149 * 3);
    expect(d.X.data[start + 149]).toBe(2999 + 149);
  });
});

describe("libsvm files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "xent-libsvm-"));
  const plain = path.join(dir, "a.svm");
  const gz = path.join(dir, "a.svm.gz");
  writeFileSync(plain, sample);
  writeFileSync(gz, gzipSync(Buffer.from(sample)));

  it("streams plain, gzip and stdin alike", async () => {
    for (const [p, stdin] of [
      [plain, undefined],
      [gz, undefined],
      ["-", Readable.from([Buffer.from(sample.slice(0, 10)), Buffer.from(sample.slice(10))])],
    ] as const) {
      const out: Plain[] = [];
      const summary = await readLibsvm(p, (r) => out.push(copy(r)), { stdin });
      expect(out).toEqual(expected);
      expect(summary).toEqual({ rows: 6, nonzeros: 9, nFeatures: 10 });
    }
    const d = await loadLibsvm(gz);
    expect(Array.from(d.y)).toEqual([1, -1, 0, 3.5, 1, -1]);
  });

  it("names the file and line of a bad row, past the first chunk of a large file", async () => {
    const big = path.join(dir, "big.svm.gz");
    const lines = Array.from({ length: 200000 }, (_, i) => `${i % 2 ? 1 : -1} ${(i % 7) + 1}:${i} 9:0.5`);
    lines[150000] = "1 2:1 2:3";
    writeFileSync(big, gzipSync(Buffer.from(lines.join("\n"))));
    await expect(readLibsvm(big, () => {})).rejects.toThrow(`${big}:150001:7: the index is not greater than the previous index, 2: "2:3"`);
    await expect(loadLibsvm(path.join(dir, "missing.svm"))).rejects.toThrow("no such file");
  });
});
