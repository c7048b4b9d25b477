import { describe, expect, it } from "vitest";
import { StandardScaler, loadDataset } from "xent";

describe("StandardScaler", () => {
  it("centres and scales each feature by the population standard deviation (ddof 0)", () => {
    const scaler = new StandardScaler().fit([
      [1, 10, 5],
      [3, 10, 7],
      [5, 10, 9],
    ]);
    expect(Array.from(scaler.mean)).toEqual([3, 10, 7]);
    expect(scaler.scale[0]).toBe(Math.sqrt(8 / 3));
    expect(scaler.scale[1]).toBe(1); // a constant feature keeps scale 1 and becomes 0, not NaN
    expect(scaler.transform([[3, 10, 7]])).toEqual([[0, 0, 0]]);
  });

  it("gives mean 0 and standard deviation 1 on real data, in the form given", () => {
    const ds = loadDataset("breast-cancer");
    const z = new StandardScaler().fitTransform(ds.X);
    expect(z.nFeatures).toBe(30);
    for (let j = 0; j < 30; j++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < ds.nSamples; i++) s += z.data[i * 30 + j]!;
      const mean = s / ds.nSamples;
      for (let i = 0; i < ds.nSamples; i++) s2 += (z.data[i * 30 + j]! - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThan(1e-15);
      expect(Math.sqrt(s2 / ds.nSamples)).toBeCloseTo(1, 14);
    }
    expect(ds.X.data[0]).toBe(17.99); // the input is not modified
  });

  it("keeps the digits of a feature with a large offset (the two-pass variance)", () => {
    const x = Array.from({ length: 1000 }, (_, i) => [1e8 + (i % 2 === 0 ? 1 : -1)]);
    const scaler = new StandardScaler().fit(x);
    expect(scaler.mean[0]).toBe(1e8);
    expect(scaler.scale[0]).toBe(1);
  });

  it("inverts, honours withMean/withStd and round-trips through JSON", () => {
    const x = [
      [1, 2],
      [4, 8],
      [7, 5],
    ];
    const scaler = new StandardScaler().fit(x);
    const back = scaler.inverseTransform(scaler.transform(x));
    back.flat().forEach((v, k) => expect(v).toBeCloseTo(x.flat()[k]!, 13));
    const copy = StandardScaler.fromJSON(JSON.stringify(scaler));
    expect(copy.transform(x)).toEqual(scaler.transform(x));
    const flat = new Float64Array(x.flat());
    expect(Array.from(scaler.transform(flat))).toEqual(scaler.transform(x).flat());
    expect(new StandardScaler({ withMean: false }).fit(x).transform([[0, 0]])).toEqual([[0, 0]]);
    expect(new StandardScaler({ withStd: false }).fit(x).transform([[4, 5]])).toEqual([[0, 0]]);
  });

  it("rejects bad input with its row and column", () => {
    expect(() => new StandardScaler().fit([[1], [NaN]])).toThrow(/StandardScaler.fit: X\[1\]\[0\] = NaN is not finite/);
    expect(() => new StandardScaler().transform([[1]])).toThrow(/call fit first/);
    expect(() => new StandardScaler().fit([[1, 2]]).transform([[1]])).toThrow(/has 1 features but the model expects 2/);
    expect(() => StandardScaler.fromJSON({ type: "xent.StandardScaler", version: 1, mean: [0], scale: [0] })).toThrow(/scale\[0\] = 0 is not > 0/);
  });
});
