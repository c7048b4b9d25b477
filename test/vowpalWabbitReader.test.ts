import { gzipSync } from "node:zlib";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { hashFeature } from "../src/index.js";
import { type ByteSource, openByteSource } from "../src/io/byteSource.js";
import { readSparseExamples } from "../src/io/sparseExampleReader.js";
import { readVowpalWabbit } from "../src/io/vowpalWabbitReader.js";
import { tempDir } from "./cliHelpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Seen {
  label: number;
  importance: number;
  base: number;
  tag: string;
  features: [number, number][];
  line: number;
}

/** A byte source over the given chunks (to cut lines anywhere). */
function chunked(chunks: string[], name = "t.vw"): ByteSource {
  return { name, size: null, bytesRead: () => 0, gzip: () => false, chunks: Readable.from(chunks.map((c) => Buffer.from(c))) };
}

async function read(text: string | string[], bits = 18): Promise<Seen[]> {
  const out: Seen[] = [];
  await readVowpalWabbit(chunked(typeof text === "string" ? [text] : text), bits, (e) => {
    out.push({
      label: e.label,
      importance: e.importance,
      base: e.base,
      tag: e.tag,
      features: Array.from(e.indices.subarray(0, e.count), (i, k) => [i, e.values[k]!]),
      line: e.line,
    });
  });
  return out;
}

const mask = 2 ** 18 - 1;
const h = (feature: string, namespace = "") => hashFeature(feature, namespace === "" ? 0 : hashFeature(namespace, 0)) & mask;

describe("readVowpalWabbit", () => {
  it("reads labels, namespaces, values and the default namespace, hashing (namespace, feature) as VW", async () => {
    const [a, b] = await read("1 |user age:0.5 city_paris |ad 17 |  plain\n-1 | x:2 y\n");
    expect(a).toEqual({
      label: 1,
      importance: 1,
      base: 0,
      tag: "",
      features: [
        [h("age", "user"), 0.5],
        [h("city_paris", "user"), 1],
        [h("17", "ad"), 1],
        [h("plain"), 1],
      ],
      line: 1,
    });
    expect(b!.label).toBe(0);
    expect(b!.features).toEqual([
      [h("x"), 2],
      [h("y"), 1],
    ]);
    // A feature of digits in the default namespace is its number.
    expect((await read("1 | 7:3\n"))[0]!.features).toEqual([[7, 3]]);
  });

  it("reads importance, initial prediction and tags (VW's rule: a word directly before '|' is a tag)", async () => {
    const [a, b, c, d, e] = await read("1 2.5 |a x\n-1 0.5 -0.25 'row7 |a x\n1 3 id42|a x\n1| a x\n'only |a x\n");
    expect([a!.importance, a!.base, a!.tag]).toEqual([2.5, 0, ""]);
    expect([b!.label, b!.importance, b!.base, b!.tag]).toEqual([0, 0.5, -0.25, "row7"]);
    expect([c!.importance, c!.tag]).toEqual([3, "id42"]);
    // "1| a": the 1 is a tag and the example has no label.
    expect(d!.label).toBeNaN();
    expect(d!.tag).toBe("1");
    expect(e!.label).toBeNaN();
    expect(e!.tag).toBe("only");
  });

  it("scales by a namespace weight, leaves out zero values, reads 0 as the negative label", async () => {
    const [a] = await read("0 |n:2 x:1.5 y z:0\n");
    expect(a!.label).toBe(0);
    expect(a!.features).toEqual([
      [h("x", "n"), 3],
      [h("y", "n"), 2],
    ]);
  });

  it("skips blank lines, counts lines from 1, reads CRLF, a last line without newline, and lines cut across chunks", async () => {
    const whole = "1 |a x y\r\n\n   \n-1 |b z:2\n1 |c w";
    const expected = await read(whole);
    expect(expected.map((e) => e.line)).toEqual([1, 4, 5]);
    expect(expected[0]!.features).toEqual([
      [h("x", "a"), 1],
      [h("y", "a"), 1],
    ]);
    for (let cut = 1; cut < whole.length; cut++) {
      expect(await read([whole.slice(0, cut), whole.slice(cut)])).toEqual(expected);
    }
    expect(await read(whole.split(""))).toEqual(expected);
  });

  it("masks to the given bits; many features in a line grow the buffers", async () => {
    const [a] = await read("1 | " + Array.from({ length: 1000 }, (_, i) => `f${i}`).join(" ") + "\n", 4);
    expect(a!.features.length).toBe(1000);
    expect(a!.features.every(([i]) => i >= 0 && i < 16)).toBe(true);
    expect(a!.features[999]![0]).toBe(hashFeature("f999", 0) & 15);
  });

  it("reads gzip files through the byte source", async () => {
    const path = tmp.file("g.vw.gz", gzipSync("1 |a x\n-1 |a y\n"));
    const seen: number[] = [];
    expect(await readVowpalWabbit(openByteSource(path, undefined), 18, (e) => seen.push(e.label))).toBe(2);
    expect(seen).toEqual([1, 0]);
  });

  it("rejects malformed lines with file:line:column", async () => {
    const bad = async (text: string) => {
      try {
        await read(text);
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(await bad("1 |a x\n2 |a x\n")).toBe('t.vw:2:1: label "2" is not 1, -1 or 0 (0 is read as -1)');
    expect(await bad("yes |a x\n")).toBe('t.vw:1:1: label "yes" is not 1, -1 or 0 (0 is read as -1)');
    expect(await bad("1 -2 |a x\n")).toBe('t.vw:1:3: importance weight "-2" is not a finite number >= 0');
    expect(await bad("1 1 nan |a x\n")).toBe('t.vw:1:5: initial prediction "nan" is not a finite number');
    expect(await bad("1 1 0 4 |a x\n")).toBe("t.vw:1:7: \"4\": more than label, importance, initial prediction and tag before '|'");
    expect(await bad("1 'tag 2 |a x\n")).toBe("t.vw:1:8: text after the tag \"'tag\": the tag must be the last word before '|'");
    expect(await bad("\n1 |a x:abc\n")).toBe('t.vw:2:8: feature "x": value "abc" is not a finite number');
    expect(await bad("1 |a x:inf\n")).toBe('t.vw:1:8: feature "x": value "inf" is not a finite number');
    expect(await bad("1 |a x:\n")).toBe('t.vw:1:8: feature "x": value "" is not a finite number');
    expect(await bad("1 |a:b x\n")).toBe('t.vw:1:6: namespace weight "b" is not a finite number');
  });
});

describe("readSparseExamples: libsvm", () => {
  it("maps column j to VW's hash of feature j in the default namespace, labels 1/-1/0 to 1/0", async () => {
    const svm = tmp.file("a.libsvm", "1 3:0.5 7:2\n-1 1:1\n0 2:0 5:1\n");
    const vw = tmp.file("a.vw", "1 | 3:0.5 7:2\n-1 | 1:1\n0 | 5:1\n");
    const collect = async (format: "vw" | "libsvm", path: string) => {
      const out: [number, number[], number[]][] = [];
      await readSparseExamples(format, path, 18, (e) =>
        out.push([e.label, Array.from(e.indices.subarray(0, e.count)), Array.from(e.values.subarray(0, e.count))]),
      );
      return out;
    };
    const a = await collect("libsvm", svm);
    expect(a).toEqual(await collect("vw", vw));
    expect(a[0]).toEqual([1, [3, 7], [0.5, 2]]);
  });

  it("rejects labels other than 1, -1, 0 and the libsvm reader's errors, with file:line", async () => {
    const bad = tmp.file("b.libsvm", "1 1:1\n2 1:1\n");
    await expect(readSparseExamples("libsvm", bad, 18, () => {})).rejects.toThrow(/b\.libsvm:2:1: label "2" is not 1, -1 or 0/);
    const order = tmp.file("c.libsvm", "1 3:1 2:1\n");
    await expect(readSparseExamples("libsvm", order, 18, () => {})).rejects.toThrow(/c\.libsvm:1:\d+: the index is not greater/);
  });
});
