import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  GradientDescentRace,
  loadDataset,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  sigmoidSquaredError,
  sigmoidSquaredErrorGrad,
} from "xent";

function breastCancer(): { features: number[][]; labels: number[] } {
  const lines = readFileSync(new URL("../data/breast-cancer-wisconsin.csv", import.meta.url), "utf8")
    .trim()
    .split("\n");
  const rows = lines.slice(1).map((line) => line.split(",").map(Number));
  return { features: rows.map((r) => r.slice(0, -1)), labels: rows.map((r) => r.at(-1)!) };
}

describe("GradientDescentRace", () => {
  it("starts at log 2 from zero weights and counts its steps", () => {
    const race = new GradientDescentRace([[0], [1], [2], [3]], [0, 0, 1, 1], { loss: "crossEntropy" });
    expect(race.evaluate().loss).toBe(Math.LN2);
    expect(race.evaluate().epoch).toBe(0);
    expect(race.step().epoch).toBe(1);
  });

  it("standardizes each column to mean 0 and population std 1 (a constant column only centred)", () => {
    const race = new GradientDescentRace(
      [
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
      ],
      [0, 1, 0, 1],
      { loss: "squaredError" },
    );
    expect([...race.mean]).toEqual([2.5, 5]);
    expect(race.scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(race.scale[1]).toBe(1);
  });

  it("takes exactly the step w -= rate Z^T g, b -= rate sum(g), for both losses", () => {
    // Features already standardized: z = x.
    const x = [[-1], [1]];
    const labels = [1, 0];
    for (const loss of ["crossEntropy", "squaredError"] as const) {
      const race = new GradientDescentRace(x, labels, { loss, learningRate: 0.5, initialWeights: [2], initialBias: 0.25 });
      const grad = loss === "crossEntropy" ? binaryCrossEntropyWithLogitsGrad : sigmoidSquaredErrorGrad;
      const s = [-2 + 0.25, 2 + 0.25];
      const g = [grad(1, s[0]!) / 2, grad(0, s[1]!) / 2];
      const progress = race.step();
      expect(race.weights[0]).toBe(2 - 0.5 * (g[0]! * -1 + g[1]! * 1));
      expect(race.bias).toBe(0.25 - 0.5 * (g[0]! + g[1]!));
      const after = race.logits();
      const value = loss === "crossEntropy" ? binaryCrossEntropyWithLogits(labels, after) : sigmoidSquaredError(labels, after);
      expect(progress.loss).toBe(value);
      expect(progress.logLoss).toBe(binaryCrossEntropyWithLogits(labels, after));
      expect(progress.epoch).toBe(1);
    }
  });

  it("accepts a row-major flat array like rows", () => {
    const a = new GradientDescentRace([1, 2, 3, 4, 5, 7], [0, 1, 1], { loss: "crossEntropy" });
    const b = new GradientDescentRace(
      [
        [1, 2],
        [3, 4],
        [5, 7],
      ],
      [0, 1, 1],
      { loss: "crossEntropy" },
    );
    a.step();
    b.step();
    expect([...a.weights]).toEqual([...b.weights]);
  });

  it("on Breast Cancer Wisconsin from a confidently wrong start: cross-entropy recovers, squared error stalls", () => {
    const { features, labels } = breastCancer();
    const start = { learningRate: 0.5, initialWeights: new Array(30).fill(1) };
    const ce = new GradientDescentRace(features, labels, { loss: "crossEntropy", ...start });
    const se = new GradientDescentRace(features, labels, { loss: "squaredError", ...start });
    expect(ce.evaluate().accuracy).toBeLessThan(0.15);
    let a = ce.evaluate();
    let b = se.evaluate();
    for (let k = 0; k < 50; k++) {
      a = ce.step();
      b = se.step();
    }
    expect(a.accuracy).toBeGreaterThan(0.95);
    expect(b.accuracy).toBeLessThan(0.2);
  });

  it("rejects bad input with a message that names it", () => {
    const ok = { loss: "crossEntropy" } as const;
    expect(() => new GradientDescentRace([[1]], [2], ok)).toThrow("GradientDescentRace: labels[0] = 2 is not 0 or 1");
    expect(() => new GradientDescentRace([[1], [NaN]], [0, 1], ok)).toThrow(
      "GradientDescentRace: features[1][0] = NaN is not finite (row 1, column 0)",
    );
    expect(() => new GradientDescentRace([[1], [2, 3]], [0, 1], ok)).toThrow("GradientDescentRace: features[1] has 2 features but features[0] has 1");
    expect(() => new GradientDescentRace({ data: [1, 2, 3], nFeatures: 2 }, [0, 1], ok)).toThrow(
      "features has 3 values, not a multiple of nFeatures = 2",
    );
    expect(() => new GradientDescentRace({ data: [1, 2, 3, 4], nFeatures: 1 }, [0, 1], ok)).toThrow("features has 4 rows but labels has length 2");
    expect(() => new GradientDescentRace([1, 2, 3], [0, 1], ok)).toThrow("not a positive multiple of the 2 labels");
    expect(() => new GradientDescentRace([[1]], [1], { loss: "hinge" as never })).toThrow('options.loss = "hinge"');
    expect(() => new GradientDescentRace([[1]], [1], { ...ok, learningRate: 0 })).toThrow("options.learningRate = 0");
    expect(() => new GradientDescentRace([[1]], [1], { ...ok, initialWeights: [1, 2] })).toThrow("initialWeights has length 2");
  });

  it("accepts the { data, nFeatures } matrix that loadDataset returns, as LogisticRegression does", () => {
    const { X, y } = loadDataset("breast-cancer");
    const labels = (y as number[]).map(Number);
    const rows: number[][] = [];
    for (let i = 0; i < labels.length; i++) rows.push(Array.from(X.data.subarray(i * X.nFeatures, (i + 1) * X.nFeatures)));
    const fromMatrix = new GradientDescentRace(X, labels, { loss: "crossEntropy" });
    const fromRows = new GradientDescentRace(rows, labels, { loss: "crossEntropy" });
    const fromFlat = new GradientDescentRace(X.data, labels, { loss: "crossEntropy" });
    expect(fromMatrix.features).toBe(X.nFeatures);
    const a = fromMatrix.step();
    expect(fromRows.step()).toEqual(a);
    expect(fromFlat.step()).toEqual(a);
  });
});
