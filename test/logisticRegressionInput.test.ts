// The input policy of the model: every bad input throws an error that names what is wrong and where.
import { describe, expect, it } from "vitest";
import { LogisticRegression, sigmoid } from "xent";

const X = [
  [0, 1],
  [1, 0],
  [2, 1],
  [3, 0],
];
const y = [0, 0, 1, 1];

describe("LogisticRegression: bad input", () => {
  it("names the row and column of a non-finite feature", () => {
    const bad = X.map((r) => r.slice());
    bad[2]![1] = NaN;
    expect(() => new LogisticRegression().fit(bad, y)).toThrow(
      new RangeError("LogisticRegression.fit: X[2][1] = NaN is not finite (row 2, column 1)"),
    );
    bad[2]![1] = -Infinity;
    expect(() => new LogisticRegression().fit(bad, y)).toThrow(/X\[2\]\[1\] = -Infinity is not finite/);
    const flat = new Float64Array([0, 1, 1, 0, 2, Infinity, 3, 0]);
    expect(() => new LogisticRegression().fit({ data: flat, nFeatures: 2 }, y)).toThrow(/X\[2\]\[1\] = Infinity is not finite \(row 2, column 1\)/);
    const model = new LogisticRegression().fit(X, y);
    expect(() => model.predict([[0, NaN]])).toThrow(/LogisticRegression.predict: X\[0\]\[1\] = NaN is not finite/);
  });

  it("rejects a single class", () => {
    expect(() => new LogisticRegression().fit(X, [1, 1, 1, 1])).toThrow(
      new RangeError("LogisticRegression.fit: y has a single class (1); at least 2 are needed"),
    );
    expect(() => new LogisticRegression().fit(X, ["a", "a", "a", "a"])).toThrow(/single class \("a"\)/);
  });

  it("rejects mismatched lengths", () => {
    expect(() => new LogisticRegression().fit(X, [0, 1, 1])).toThrow(new RangeError("LogisticRegression.fit: X has 4 rows but y has 3 labels"));
    expect(() => new LogisticRegression().fit([[0, 1], [1]], [0, 1])).toThrow(/X\[1\] has 1 features but X\[0\] has 2/);
    expect(() => new LogisticRegression().fit({ data: new Float64Array(7), nFeatures: 2 }, y)).toThrow(/7 values, not a multiple of nFeatures = 2/);
    expect(() => new LogisticRegression().fit(X, y, { sampleWeight: [1, 1] })).toThrow(/sampleWeight has length 2 but X has 4 rows/);
    const model = new LogisticRegression().fit(X, y);
    expect(() => model.predict([[1, 2, 3]])).toThrow(/has 3 features but the model expects 2/);
    expect(() => model.predict({ data: [1, 2, 3], nFeatures: 3 })).toThrow(/has 3 features but the model was fitted on 2/);
    expect(() => model.score(X, [0, 1])).toThrow(/X has 4 rows but y has 2 labels/);
  });

  it("rejects a C that is not a finite positive number, and other bad options", () => {
    for (const C of [0, -1, NaN, Infinity]) {
      expect(() => new LogisticRegression({ C })).toThrow(new RangeError(`LogisticRegression: options.C = ${C} is not a finite number > 0`));
    }
    expect(() => new LogisticRegression({ penalty: "l3" as "l2" })).toThrow(/options.penalty = "l3" is not "l2", "l1", "elasticnet" or "none"/);
    expect(() => new LogisticRegression({ solver: "sag" as "lbfgs" })).toThrow(/options.solver = "sag"/);
    expect(() => new LogisticRegression({ tol: -1 })).toThrow(/options.tol = -1/);
    expect(() => new LogisticRegression({ maxIter: 1.5 })).toThrow(/options.maxIter = 1.5/);
  });

  it("rejects bad labels and weights", () => {
    expect(() => new LogisticRegression().fit(X, [0, NaN, 1, 1])).toThrow(/y\[1\] = NaN is not a finite number/);
    expect(() => new LogisticRegression().fit(X, [true, false, true, false] as unknown as number[])).toThrow(
      new TypeError("LogisticRegression.fit: y[0] = true is not a number or a string"),
    );
    expect(() => new LogisticRegression().fit(X, [0, "a", 1, 1] as number[])).toThrow(/y\[1\] = "a" is not a number like y\[0\]/);
    expect(() => new LogisticRegression().fit(X, y, { sampleWeight: [1, -1, 1, 1] })).toThrow(/sampleWeight\[1\] = -1 is not a finite number >= 0/);
    expect(() => new LogisticRegression().fit(X, y, { sampleWeight: [0, 0, 0, 0] })).toThrow(/sampleWeight sums to 0/);
    const model = new LogisticRegression().fit(X, y);
    expect(() => model.score(X, [0, 0, 1, 2])).not.toThrow(); // an unseen label is simply wrong
  });

  it("rejects use before fit, a flat array without nFeatures, and foreign JSON", () => {
    expect(() => new LogisticRegression().predict(X)).toThrow(/LogisticRegression.predict: the model is not fitted; call fit first/);
    expect(() => new LogisticRegression().fit(new Float64Array(8), y)).toThrow(/give it as \{ data, nFeatures \}/);
    expect(new LogisticRegression().fit(new Float64Array([0, 1, 1, 0, 2, 1, 3, 0]), y, { nFeatures: 2 }).nFeatures).toBe(2);
    expect(() => LogisticRegression.fromJSON({ type: "other" })).toThrow(/not a LogisticRegression JSON/);
    const json = new LogisticRegression().fit(X, y).toJSON();
    expect(() => LogisticRegression.fromJSON({ ...json, coef: [[1, NaN]] })).toThrow(/coef\[0\]\[1\] = NaN is not a finite number/);
    expect(() => LogisticRegression.fromJSON({ ...json, coef: [[1]] })).toThrow(/coef\[0\] has 1 entries but nFeatures = 2/);
    expect(() => LogisticRegression.fromJSON({ ...json, classes: [1, 0] })).toThrow(/classes must be distinct and sorted/);
  });
});

describe("LogisticRegression: JSON and predictions", () => {
  it("round-trips through JSON text with identical predictions and probabilities", () => {
    const model = new LogisticRegression({ C: 0.3 }).fit(X, ["no", "no", "yes", "yes"]);
    const copy = LogisticRegression.fromJSON(JSON.stringify(model));
    expect(copy.classes).toEqual(["no", "yes"]);
    expect(copy.coef).toEqual(model.coef);
    expect(copy.intercept).toEqual(model.intercept);
    expect(copy.options).toEqual(model.options);
    expect(copy.predictProba(X)).toEqual(model.predictProba(X));
    expect(copy.predict(X)).toEqual(model.predict(X));
    expect(copy.nIter).toBe(model.nIter);
    expect(copy.converged).toBe(model.converged);
  });

  it("gives consistent scores, probabilities and predictions", () => {
    const model = new LogisticRegression().fit(X, y);
    const s = model.decisionFunction(X);
    const p = model.predictProba(X);
    expect(s.length).toBe(4);
    expect(p.length).toBe(8);
    for (let i = 0; i < 4; i++) {
      expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 15);
      expect(p[2 * i + 1]!).toBeCloseTo(1 / (1 + Math.exp(-s[i]!)), 15);
      expect(model.predict([X[i]!])[0]).toBe(s[i]! > 0 ? 1 : 0);
    }
    // Far from the boundary (a logit of 50), P(class 0) keeps its digits instead of rounding 1 - p to 0.
    const t = (50 - model.intercept[0]!) / model.coef[0]![0]!;
    const sFar = model.decisionFunction([[t, 0]])[0]!;
    const far = model.predictProba([[t, 0]]);
    expect(sFar).toBeCloseTo(50, 10);
    expect(far[0]!).toBe(sigmoid(-sFar));
    expect(far[0]!).toBeGreaterThan(1e-22);
    expect(far[1]!).toBe(1);
    expect(model.score(X, y)).toBe(1);
    expect(model.score(X, [1, 0, 1, 1])).toBe(0.75);
    expect(model.score(X, [1, 0, 1, 1], [3, 1, 1, 1])).toBe(0.5);
  });
});
