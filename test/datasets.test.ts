import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { datasetNames, loadDataset, parseCsvDataset } from "xent";

describe("built-in data sets", () => {
  it("load with their shapes and labels", () => {
    expect([...datasetNames]).toEqual(["breast-cancer", "iris", "wine", "digits"]);
    const bc = loadDataset("breast-cancer");
    expect([bc.nSamples, bc.nFeatures, bc.X.data.length]).toEqual([569, 30, 569 * 30]);
    expect(bc.targetName).toBe("benign");
    expect(new Set<number | string>(bc.y)).toEqual(new Set([0, 1]));
    expect((bc.y as number[]).filter((y) => y === 1).length).toBe(357);
    expect(bc.featureNames[0]).toBe("mean_radius");
    const iris = loadDataset("iris");
    expect([iris.nSamples, iris.nFeatures]).toEqual([150, 4]);
    expect(new Set<number | string>(iris.y)).toEqual(new Set(["setosa", "versicolor", "virginica"]));
    const wine = loadDataset("wine");
    expect([wine.nSamples, wine.nFeatures]).toEqual([178, 13]);
    expect(new Set<number | string>(wine.y)).toEqual(new Set([0, 1, 2]));
    const digits = loadDataset("digits");
    expect([digits.nSamples, digits.nFeatures]).toEqual([1797, 64]);
    expect(new Set<number | string>(digits.y)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(digits.featureNames[9]).toBe("pixel_1_1");
    expect(Math.max(...digits.X.data)).toBe(16);
    expect(() => loadDataset("mnist" as "iris")).toThrow(/name = "mnist" is not one of "breast-cancer", "iris", "wine", "digits"/);
  });

  it("parse from text exactly as loaded (the browser path)", () => {
    const text = readFileSync(new URL("../data/wine.csv", import.meta.url), "utf8");
    const parsed = parseCsvDataset(text, { target: "cultivar" });
    expect(parsed.X.data).toEqual(loadDataset("wine").X.data);
  });

  it("name the file, line and column of bad CSV", () => {
    expect(() => parseCsvDataset("a,b,y\n1,2,0\n3,x,1", { name: "t.csv" })).toThrow(
      new RangeError('parseCsvDataset: t.csv:3: column "b" = "x" is not a finite number'),
    );
    expect(() => parseCsvDataset("a,b,y\n1,2,0\n3,1")).toThrow(/csv:3: 2 fields but the header has 3/);
    expect(() => parseCsvDataset("a,b,y\n1,,0")).toThrow(/csv:2: column "b" = "" is not a finite number/);
    expect(() => parseCsvDataset("a,b,y\n1,2,0", { target: "z" })).toThrow(/no column named "z"/);
    expect(() => parseCsvDataset('a,y\n"1",0')).toThrow(/csv:2: quoted fields are not supported/);
    expect(() => parseCsvDataset("")).toThrow(/is empty/);
    expect(parseCsvDataset("y,a\r\n1,2\r\n0,3\r\n", { target: "y" })).toMatchObject({ y: [1, 0], featureNames: ["a"], nSamples: 2 });
  });
});
