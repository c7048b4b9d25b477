// The fast paths of a dense fit's setup give what the plain code gave: the finiteness check of a feature matrix
// (src/model/denseMatrix.ts `firstNonFinite`, blockwise) finds the same first bad entry as a scan and the error
// names its row and column; LabelEncoder's table of small integer labels gives the same classes (-0 stored
// as 0), ids and errors as a Set and a Map; and a DenseProducts instance reused after `release()` computes
// the same bits as the JavaScript twins, whatever the released products had in their memory.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DenseProducts, setDenseWasmEnabled } from "../src/core/kernels/denseProducts.js";
import { firstNonFinite } from "../src/model/denseMatrix.js";
import { LabelEncoder } from "../src/model/labelEncoder.js";
import { LogisticRegression } from "../src/model/logisticRegression.js";
import { lcgUniform } from "./rng.js";

afterEach(() => setDenseWasmEnabled(true));

const uniform = lcgUniform;

const scan = (a: Float64Array) => a.findIndex((v) => !Number.isFinite(v));

describe("firstNonFinite: the blockwise check", () => {
  it("finds the first NaN or infinity wherever it is (blocks of 1024, a partial last block), -0 and huge values pass", () => {
    const n = 3 * 1024 + 37;
    const u = uniform(3);
    const base = Float64Array.from({ length: n }, () => (u() - 0.5) * 1e300);
    base[5] = -0;
    base[6] = Number.MAX_VALUE;
    base[7] = -Number.MIN_VALUE;
    expect(firstNonFinite(base)).toBe(-1);
    for (const at of [0, 1, 1023, 1024, 2047, 3071, 3072, n - 1]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const a = base.slice();
        a[at] = bad;
        expect(firstNonFinite(a)).toBe(at);
        a[Math.min(n - 1, at + 500)] = NaN; // a later bad entry does not hide the first
        expect(firstNonFinite(a)).toBe(at);
      }
    }
    expect(firstNonFinite(new Float64Array(0))).toBe(-1);
  });

  it("agrees with a scan on random arrays", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0)), { maxLength: 3000 }), (values) => {
        const a = Float64Array.from(values);
        expect(firstNonFinite(a)).toBe(scan(a));
      }),
      { numRuns: 200 },
    );
  });

  it("LogisticRegression.fit still names the row and column of a bad entry past the first blocks", () => {
    const n = 400;
    const d = 7;
    const u = uniform(5);
    const data = Float64Array.from({ length: n * d }, () => u() - 0.5);
    const y = Array.from({ length: n }, (_, i) => i % 2);
    data[311 * d + 4] = Infinity;
    data[350 * d + 1] = NaN;
    expect(() => new LogisticRegression().fit({ data, nFeatures: d }, y)).toThrow(
      new RangeError("LogisticRegression.fit: X[311][4] = Infinity is not finite (row 311, column 4)"),
    );
    data[311 * d + 4] = 0;
    expect(() => new LogisticRegression().fit({ data, nFeatures: d }, y)).toThrow(
      new RangeError("LogisticRegression.fit: X[350][1] = NaN is not finite (row 350, column 1)"),
    );
  });
});

/** The encoder as it was: a Set for the classes, a Map for the ids. */
function reference(labels: (number | string)[]): { classes: (number | string)[]; ids: Int32Array } {
  const classes = [...new Set(labels)].sort((a, b) => (a as number) - (b as number));
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, ids: Int32Array.from(labels, (y) => index.get(y)!) };
}

describe("LabelEncoder: the table of small integers", () => {
  const label = fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -1030, max: 1030 }),
    fc.constantFrom(-0, 0.5, -2.5, 1e9, -1024, 1023, 1024, -1025),
  );

  it("gives the classes (-0 as 0) and ids of a Set and a Map", () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 200 }), (labels) => {
        const enc = new LabelEncoder().fit(labels);
        const ref = reference(labels);
        expect(enc.classes.length).toBe(ref.classes.length);
        enc.classes.forEach((c, i) => expect(Object.is(c, ref.classes[i])).toBe(true));
        expect(enc.transform(labels)).toEqual(ref.ids);
        expect(enc.transform(Float64Array.from(labels as number[]))).toEqual(ref.ids);
      }),
      { numRuns: 300 },
    );
    // A Set stores -0 as 0, and so does the table.
    expect(Object.is(new LabelEncoder().fit([0, -0, 1]).classes[0], 0)).toBe(true);
    expect(Object.is(new LabelEncoder().fit([1, -0, 0]).classes[0], 0)).toBe(true);
    expect(new LabelEncoder().fit([-0, 1]).transform([0, -0, 1])).toEqual(Int32Array.from([0, 0, 1]));
  });

  it("keeps its errors: non-finite and mixed labels in fit, unseen labels in transform", () => {
    expect(() => new LabelEncoder().fit([0, 1, NaN, 1])).toThrow(new RangeError("LabelEncoder.fit: labels[2] = NaN is not a finite number"));
    expect(() => new LabelEncoder().fit([0, 1, -Infinity])).toThrow(new RangeError("LabelEncoder.fit: labels[2] = -Infinity is not a finite number"));
    expect(() => new LabelEncoder().fit([0, 1, "1"])).toThrow(new TypeError('LabelEncoder.fit: labels[2] = "1" is not a number like labels[0]'));
    const enc = new LabelEncoder().fit([0, 1, 1]);
    for (const [bad, text] of [
      [2, "2"],
      [-1, "-1"],
      [5000, "5000"],
      [0.5, "0.5"],
      ["1", '"1"'],
      [NaN, "null"],
    ] as const) {
      expect(() => enc.transform([1, 0, bad as number])).toThrow(
        new RangeError(`LabelEncoder.transform: labels[2] = ${text} is not one of the classes [0,1]`),
      );
    }
    const strings = new LabelEncoder().fit(["a", "b"]);
    expect(() => strings.transform(["a", 1 as unknown as string])).toThrow(
      new RangeError('LabelEncoder.transform: labels[1] = 1 is not one of the classes ["a","b"]'),
    );
  });
});

describe("DenseProducts: reuse after release()", () => {
  it("a released instance is not usable, and the next products reuse it with the same bits as the twins", () => {
    const u = uniform(11);
    const big = new DenseProducts(
      Float64Array.from({ length: 900 * 13 }, () => u() - 0.5),
      900,
      13,
      3,
      true,
    );
    expect(big.wasm).toBe(true);
    // Leave garbage in every array, so that reuse without zeroing would show.
    for (const a of [big.theta, big.direction, big.scores, big.residual, big.work, big.rowFactors, big.rowWeights, big.gradient, big.gramWeights])
      a.fill(7.5);
    big.computeScores(0, 900);
    big.release();
    expect(() => big.computeScores(0, 900)).toThrow("DenseProducts: used after release()");
    big.release(); // a second release does nothing

    const n = 300;
    const d = 5;
    const X = Float64Array.from({ length: n * d }, () => (u() - 0.5) * 10);
    const reused = new DenseProducts(X, n, d, 2, true);
    setDenseWasmEnabled(false);
    const js = new DenseProducts(X, n, d, 2, true);
    setDenseWasmEnabled(true);
    expect(reused.wasm).toBe(true);
    for (const a of [reused.theta, reused.direction, reused.scores, reused.residual, reused.work, reused.gradient, reused.gram]) {
      expect(a.every((v) => Object.is(v, 0))).toBe(true);
    }
    // Only the coefficients are set: the intercepts must be the zeros of a new instance.
    const coef = Float64Array.from({ length: 2 * d }, () => u() - 0.5);
    for (const p of [reused, js]) {
      p.theta.set(coef);
      p.computeScores(0, n);
      p.residual.set(p.scores);
      p.accumulate(0, n);
      p.gramWeights.fill(0.25);
      p.weightedGram();
    }
    expect(Array.from(reused.scores)).toEqual(Array.from(js.scores));
    expect(Array.from(reused.gradient)).toEqual(Array.from(js.gradient));
    for (let a = 0; a <= d; a++) for (let b = 0; b <= a; b++) expect(Object.is(reused.gram[a * (d + 1) + b], js.gram[a * (d + 1) + b])).toBe(true);
    reused.release();
  });

  it("fits one after another give the bits of the same fits without WebAssembly", () => {
    const u = uniform(17);
    const problem = (n: number, d: number, k: number) => ({
      X: { data: Float64Array.from({ length: n * d }, () => u() * 4 - 2), nFeatures: d },
      y: Array.from({ length: n }, () => Math.floor(u() * k)),
    });
    const runs = [
      { p: problem(2000, 20, 2), options: { tol: 1e-4 } },
      { p: problem(500, 6, 3), options: { fitIntercept: false } },
      { p: problem(700, 9, 2), options: { fitIntercept: false, solver: "newton-cg" as const } },
      { p: problem(2500, 11, 4), options: {} },
    ];
    const fitAll = () => runs.map(({ p, options }) => new LogisticRegression(options).fit(p.X, p.y, { onWarning: () => {} }));
    const withWasm = fitAll();
    setDenseWasmEnabled(false);
    const withoutWasm = fitAll();
    setDenseWasmEnabled(true);
    withWasm.forEach((m, i) => {
      expect(m.coef).toEqual(withoutWasm[i]!.coef);
      expect(m.intercept).toEqual(withoutWasm[i]!.intercept);
      expect(m.nIter).toBe(withoutWasm[i]!.nIter);
    });
  });
});
