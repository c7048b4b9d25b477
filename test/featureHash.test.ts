import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hashFeature, murmurHash3x86_32 } from "../src/index.js";
import { hashFeatureBytes } from "../src/model/featureHash.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/feature_hash.json", import.meta.url), "utf8")) as {
  cases: { text: string; seed: number; hash: number }[];
};

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("murmurHash3x86_32", () => {
  it("equals scikit-learn's murmurhash3_32 on every fixture (tails of 0-3 bytes, UTF-8, seeds up to 2^32 - 1)", () => {
    expect(fixture.cases.length).toBeGreaterThan(300);
    for (const c of fixture.cases) {
      const b = utf8(c.text);
      expect(murmurHash3x86_32(b, 0, b.length, c.seed), `${JSON.stringify(c.text)} seed ${c.seed}`).toBe(c.hash);
    }
  });

  it("hashes a range of a larger buffer as the bytes alone", () => {
    const b = utf8("xx|test|yy");
    expect(murmurHash3x86_32(b, 3, 7, 0)).toBe(0xba6bd213);
  });
});

describe("hashFeature (VW's hashstring)", () => {
  it("reads a name of digits as its value plus the seed, modulo 2^32", () => {
    expect(hashFeature("42", 0)).toBe(42);
    expect(hashFeature("42", 100)).toBe(142);
    expect(hashFeature("007", 1)).toBe(8);
    expect(hashFeature("4294967296", 5)).toBe(5);
    expect(hashFeature("1", 2 ** 32 - 1)).toBe(0);
  });

  it("hashes anything else with MurmurHash3 (a sign or point is not a digit), spaces around ignored", () => {
    const b = utf8("-1");
    expect(hashFeature("-1", 7)).toBe(murmurHash3x86_32(b, 0, 2, 7));
    expect(hashFeature("1.5", 0)).toBe(murmurHash3x86_32(utf8("1.5"), 0, 3, 0));
    expect(hashFeature("test", 0)).toBe(3127628307);
    const padded = utf8("  test\t");
    expect(hashFeatureBytes(padded, 0, padded.length, 0)).toBe(3127628307);
    expect(hashFeature("", 0)).toBe(0);
  });

  it("is deterministic and depends on the seed (the namespace)", () => {
    const ns = hashFeature("user", 0);
    expect(hashFeature("age", ns)).toBe(hashFeature("age", ns));
    expect(hashFeature("age", ns)).not.toBe(hashFeature("age", 0));
  });

  it("rejects a seed outside [0, 2^32) and a name that is not a string", () => {
    expect(() => hashFeature("a", -1)).toThrow(/seed = -1 is not an integer in \[0, 2\^32\)/);
    expect(() => hashFeature("a", 2 ** 32)).toThrow(RangeError);
    expect(() => hashFeature(3 as unknown as string, 0)).toThrow(/name is not a string/);
  });
});
