// Sparse logistic regression (issue 13, "Sparse and streaming"): CSR products against dense ones, the sparse
// objective against the dense one, TRON's optimum against an independent check (the KKT gradient computed here
// naively, and xent's dense exact fit on the same data), and against liblinear 2.3.0 (-s 0) on heart_scale and
// the rcv1-shaped generator (test/fixtures/liblinear_fits.json, from generate_liblinear_fits.py): the same
// objective to 1e-8 relative (reached: a few ulps of f).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LogisticRegression, parseLibsvmToCsr } from "xent";
import { type Csr, csrTimes, csrTransposeTimes, toCsr } from "../src/model/csrMatrix.js";
import { BinaryLogisticObjective } from "../src/model/logisticObjective.js";
import { SparseBinaryLogisticObjective } from "../src/model/sparseLogisticObjective.js";
import { rcv1Like } from "./fixtures/sparse/rcv1Like.js";
import { rng } from "./rng.js";

interface LiblinearCase {
  name: string;
  C: number;
  rows: number;
  nFeatures: number;
  nonzeros: number;
  objective: number;
  gradientNorm: number;
  weights: number[] | null;
  firstWeights: [number, number][];
  weightNorm: number;
}
const liblinear = JSON.parse(readFileSync(new URL("./fixtures/liblinear_fits.json", import.meta.url), "utf8")) as { cases: LiblinearCase[] };

/** A random sparse matrix with about `density` of its entries stored, and its dense twin. */
function randomSparse(rows: number, cols: number, density: number, seed: number): { X: Csr; dense: Float64Array } {
  const u = rng(seed);
  const dense = new Float64Array(rows * cols);
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (u() < density) {
        const v = Math.round((u() * 4 - 2) * 1000) / 1000;
        dense[i * cols + j] = v;
        indices.push(j);
        data.push(v);
      }
    }
    indptr.push(indices.length);
  }
  return { X: toCsr("test", "X", { indptr, indices, data, nFeatures: cols }), dense };
}

/** The naive gradient of 0.5 ||w||^2 + sum_i c_i log(1 + exp(-y_i (x_i . w + b))) (b unpenalized), from a dense X. */
function naiveGradient(dense: Float64Array, cols: number, y: number[], c: number[], w: number[], b: number | null): number[] {
  const g = [...w, ...(b === null ? [] : [0])];
  for (let i = 0; i < y.length; i++) {
    let z = b ?? 0;
    for (let j = 0; j < cols; j++) z += dense[i * cols + j]! * w[j]!;
    const r = (-c[i]! * y[i]!) / (1 + Math.exp(y[i]! * z));
    for (let j = 0; j < cols; j++) g[j]! += r * dense[i * cols + j]!;
    if (b !== null) g[cols]! += r;
  }
  return g;
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe("CSR matrices", () => {
  it("X v and X^T r equal the dense products", () => {
    const { X, dense } = randomSparse(37, 23, 0.2, 1);
    const u = rng(2);
    const v = Float64Array.from({ length: 23 }, () => u() - 0.5);
    const r = Float64Array.from({ length: 37 }, () => u() - 0.5);
    const Xv = new Float64Array(37);
    const Xtr = new Float64Array(23);
    csrTimes(X, v, Xv);
    csrTransposeTimes(X, r, Xtr);
    for (let i = 0; i < 37; i++) {
      let s = 0;
      for (let j = 0; j < 23; j++) s += dense[i * 23 + j]! * v[j]!;
      expect(Xv[i]).toBeCloseTo(s, 14);
    }
    for (let j = 0; j < 23; j++) {
      let s = 0;
      for (let i = 0; i < 37; i++) s += dense[i * 23 + j]! * r[i]!;
      expect(Xtr[j]).toBeCloseTo(s, 14);
    }
  });

  it("rejects malformed matrices naming the array and index", () => {
    const ok = { indptr: [0, 1, 2], indices: [0, 1], data: [1, 2], nFeatures: 2 };
    const bad: [object, string][] = [
      [{ ...ok, nFeatures: 0 }, "X.nFeatures = 0 is not an integer in [1, 2^31)"],
      [{ ...ok, indptr: [0] }, "X has no rows"],
      [{ ...ok, indptr: [1, 1, 2] }, "X.indptr[0] = 1 is not 0"],
      [{ ...ok, indptr: [0, 1, 3] }, "X.indptr[2] = 3 is not the number of stored values, 2"],
      [{ ...ok, indptr: [0, 1.5, 2] }, "X.indptr[1] = 1.5 is not an integer >= X.indptr[0] = 0"],
      [{ ...ok, indices: [0, 2] }, "X.indices[1] = 2 (row 1) is not a column in [0, 2)"],
      [{ ...ok, indices: [0] }, "X.indices has length 1 but X.data has 2"],
      [{ ...ok, data: [1, NaN] }, "X.data[1] = NaN (row 1, column 1) is not finite"],
    ];
    for (const [x, message] of bad) expect(() => toCsr("f", "X", x as never)).toThrow(`f: ${message}`);
    expect(toCsr("f", "X", ok).rows).toBe(2);
  });
});

describe("the sparse objective", () => {
  it("equals the dense objective: value, gradient and Hessian products", () => {
    const { X, dense } = randomSparse(60, 9, 0.4, 3);
    const u = rng(4);
    const ids = Int32Array.from({ length: 60 }, () => (u() < 0.5 ? 1 : 0));
    const weights = Float64Array.from({ length: 60 }, () => 0.5 + u());
    const C = 2.5;
    for (const fitIntercept of [false, true]) {
      const sparse = new SparseBinaryLogisticObjective(
        X,
        Float64Array.from(ids, (c) => (c ? 1 : -1)),
        weights.map((w) => C * w),
        1,
        fitIntercept,
      );
      const denseObj = new BinaryLogisticObjective({
        X: { data: dense, rows: 60, cols: 9 },
        classIds: ids,
        nClasses: 2,
        sampleWeight: weights,
        C,
        penalty: "l2",
        fitIntercept,
      });
      const n = 9 + (fitIntercept ? 1 : 0);
      const theta = Float64Array.from({ length: n }, () => u() * 4 - 2);
      const v = Float64Array.from({ length: n }, () => u() - 0.5);
      const g1 = new Float64Array(n);
      const g2 = new Float64Array(n);
      const f1 = sparse.valueAndGradient(theta, g1);
      const f2 = denseObj.valueAndGradient(theta, g2);
      expect(Math.abs(f1 - f2) / f2).toBeLessThan(1e-14);
      for (let j = 0; j < n; j++) expect(g1[j]).toBeCloseTo(g2[j]!, 12);
      const h1 = new Float64Array(n);
      const h2 = new Float64Array(n);
      sparse.hessianAt(theta)(v, h1);
      denseObj.hessianAt(theta)(v, h2);
      for (let j = 0; j < n; j++) expect(h1[j]).toBeCloseTo(h2[j]!, 12);
    }
  });

  it("gives the same bits in WebAssembly and in its JavaScript twin", () => {
    const { X } = randomSparse(500, 60, 0.07, 11);
    const u = rng(12);
    const y = Float64Array.from({ length: 500 }, () => (u() < 0.5 ? 1 : -1));
    const c = Float64Array.from({ length: 500 }, () => 0.5 + u());
    for (const fitIntercept of [false, true]) {
      const fast = new SparseBinaryLogisticObjective(X, y, c, 1, fitIntercept);
      const slow = new SparseBinaryLogisticObjective(X, y, c, 1, fitIntercept, false);
      expect(fast.usesWasm).toBe(true);
      expect(slow.usesWasm).toBe(false);
      const n = fast.dimension;
      const theta = Float64Array.from({ length: n }, () => u() * 2 - 1);
      const v = Float64Array.from({ length: n }, () => u() - 0.5);
      const [g1, g2, d1, d2, h1, h2] = Array.from({ length: 6 }, () => new Float64Array(n));
      expect(fast.value(theta)).toBe(slow.value(theta));
      fast.gradientAtLast(theta, g1!, d1);
      slow.gradientAtLast(theta, g2!, d2);
      fast.hessianTimes(v, h1!);
      slow.hessianTimes(v, h2!);
      expect(Array.from(g1!)).toEqual(Array.from(g2!));
      expect(Array.from(d1!)).toEqual(Array.from(d2!));
      expect(Array.from(h1!)).toEqual(Array.from(h2!));
    }
  });

  it("stays finite and exact for logits of +-1000", () => {
    const X = toCsr("t", "X", { indptr: [0, 1, 2], indices: [0, 0], data: [1, -1], nFeatures: 1 });
    const o = new SparseBinaryLogisticObjective(X, Float64Array.of(1, 1), Float64Array.of(1, 1), 1, false);
    const g = new Float64Array(1);
    // Row 1: y z = 1000, loss log1p(e^-1000) = 0 in doubles; row 2: y z = -1000, loss 1000.
    expect(o.valueAndGradient(Float64Array.of(1000), g)).toBe(0.5 * 1e6 + 1000);
    expect(g[0]).toBe(1000 + 1);
  });
});

describe("TRON", () => {
  it("reaches the KKT point (gradient checked naively) and the dense exact fit's optimum", () => {
    const { X, dense } = randomSparse(300, 40, 0.1, 5);
    const u = rng(6);
    const labels = Array.from({ length: 300 }, (_, i) => (u() < 1 / (1 + Math.exp(-(dense[i * 40]! * 3 - dense[i * 40 + 1]!))) ? "yes" : "no"));
    const sampleWeight = Array.from({ length: 300 }, () => 0.25 + u());
    for (const fitIntercept of [false, true]) {
      for (const C of [0.1, 1, 100]) {
        const csr = { indptr: X.indptr, indices: X.indices, data: X.data, nFeatures: 40 };
        const sparse = new LogisticRegression({ C, fitIntercept }).fit(csr, labels, { sampleWeight });
        const denseFit = new LogisticRegression({ C, fitIntercept }).fit({ data: dense, nFeatures: 40 }, labels, { sampleWeight });
        expect(sparse.converged).toBe(true);
        expect(Math.abs(sparse.objective - denseFit.objective) / denseFit.objective).toBeLessThan(1e-12);
        const w = sparse.coef[0]!;
        const b = fitIntercept ? sparse.intercept[0]! : null;
        const y = labels.map((l) => (l === "yes" ? 1 : -1));
        const g = naiveGradient(
          dense,
          40,
          y,
          sampleWeight.map((s) => C * s),
          w,
          b,
        );
        // Without an intercept the Hessian is >= I (the L2 term), so ||w - w*|| <= ||g|| (strong convexity): every
        // probability is certified within max_i ||x_i|| ||g|| / 4 of the optimum's, and f - f* <= ||g||^2 / 2.
        if (!fitIntercept) {
          let maxRow = 0;
          for (let i = 0; i < 300; i++) maxRow = Math.max(maxRow, norm(dense.subarray(i * 40, (i + 1) * 40)));
          // (A bound: mu = 1 only bounds the Hessian from below. The actual differences are checked below, to 1e-6.)
          expect((maxRow * norm(g)) / 4).toBeLessThan(1e-5);
          expect(norm(g) ** 2 / 2).toBeLessThan(1e-12 * sparse.objective);
        }
        // With or without, the probabilities are compared with the dense exact fit's (checked against an independent
        // Newton iteration and scikit-learn in logisticRegressionExact.test.ts).
        const pd0 = denseFit.predictProba({ data: dense, nFeatures: 40 });
        const ps0 = sparse.predictProba(csr);
        for (let i = 0; i < ps0.length; i++) expect(Math.abs(ps0[i]! - pd0[i]!)).toBeLessThan(1e-6);
        const wd = denseFit.coef[0]!;
        for (let j = 0; j < 40; j++) expect(Math.abs(w[j]! - wd[j]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(wd[j]!)));
        // Predictions on sparse rows equal those on the dense rows.
        const ps = sparse.predictProba(csr);
        const pd = sparse.predictProba({ data: dense, nFeatures: 40 });
        for (let i = 0; i < ps.length; i++) expect(ps[i]).toBeCloseTo(pd[i]!, 15);
        expect(sparse.predict(csr)).toEqual(sparse.predict({ data: dense, nFeatures: 40 }));
      }
    }
  });

  it("honours scikit-learn's tol, maxIter (with a warning), warmStart and class weights", () => {
    const { X, dense } = randomSparse(200, 30, 0.15, 7);
    const labels = Array.from({ length: 200 }, (_, i) => (dense[i * 30]! + dense[i * 30 + 1]! > 0.1 ? 1 : 0));
    const csr = { indptr: X.indptr, indices: X.indices, data: X.data, nFeatures: 30 };
    const loose = new LogisticRegression({ C: 10, tol: 1e-2 }).fit(csr, labels);
    expect(loose.converged).toBe(true);
    expect(loose.history.gradientNorm.at(-1)!).toBeLessThanOrEqual(1e-2 * 10 * 200);
    const warnings: string[] = [];
    const capped = new LogisticRegression({ C: 10, maxIter: 1 }).fit(csr, labels, { onWarning: (m) => warnings.push(m) });
    expect(capped.converged).toBe(false);
    expect(capped.stopReason).toBe("maxIterations");
    expect(warnings[0]).toMatch(/not converged: stopped at maxIter = 1/);
    const warm = new LogisticRegression({ C: 10, warmStart: true }).fit(csr, labels);
    const again = warm.fit(csr, labels);
    expect(again.nIter).toBeLessThanOrEqual(1);
    const balancedSparse = new LogisticRegression({ classWeight: "balanced" }).fit(csr, labels);
    const balancedDense = new LogisticRegression({ classWeight: "balanced" }).fit({ data: dense, nFeatures: 30 }, labels);
    expect(Math.abs(balancedSparse.objective - balancedDense.objective) / balancedDense.objective).toBeLessThan(1e-12);
  });

  it("refuses what it does not do, with a reason", () => {
    const csr = { indptr: [0, 1, 2, 3], indices: [0, 1, 0], data: [1, 1, -1], nFeatures: 2 };
    // Three classes, newton-cg and the other penalties are fitted (test/sparseMulticlass.test.ts); TRON is binary L2 only.
    expect(() => new LogisticRegression({ solver: "tron" }).fit(csr, [0, 1, 2])).toThrow('solver "tron" fits binary models only');
    expect(() => new LogisticRegression({ solver: "tron", penalty: "none" })).toThrow('solver "tron" supports penalty "l2" only');
    expect(() => new LogisticRegression({ solver: "tron" }).fit([[1], [2]], [0, 1])).toThrow('solver "tron" needs sparse X');
    expect(() => new LogisticRegression().fit(csr, [0, 1])).toThrow("X has 3 rows but y has 2 labels");
    const m = new LogisticRegression({ solver: "tron" }).fit(csr, [0, 1, 1]);
    expect(() => m.predict({ ...csr, nFeatures: 3 })).toThrow("X has 3 features but the model was fitted on 2");
  });
});

describe("against liblinear 2.3.0 (-s 0, no bias)", () => {
  const heart = parseLibsvmToCsr(readFileSync(new URL("./fixtures/sparse/heart_scale", import.meta.url)), { name: "heart_scale" });
  for (const c of liblinear.cases.filter((x) => x.name === "heart_scale")) {
    it(`heart_scale, C = ${c.C}: the same objective and weights`, () => {
      expect(heart.y.length).toBe(c.rows);
      const m = new LogisticRegression({ C: c.C, fitIntercept: false, solver: "tron" }).fit(heart.X, Array.from(heart.y));
      expect(m.converged).toBe(true);
      // liblinear's objective (mpmath at its weights) is the optimum's to its gradient norm ~1e-6: within 1e-12.
      expect(Math.abs(m.objective - c.objective) / c.objective).toBeLessThan(1e-12);
      expect(m.objective).toBeLessThanOrEqual(c.objective * (1 + 1e-15));
      const w = m.coef[0]!;
      for (let j = 0; j < 13; j++) expect(Math.abs(w[j]! - c.weights![j]!)).toBeLessThan(1e-6);
    });
  }

  const rcv1Cases = liblinear.cases.filter((x) => x.name.startsWith("rcv1-like"));
  it(`rcv1-like ${rcv1Cases[0]!.rows} x ${rcv1Cases[0]!.nFeatures}: the same objective (1e-8 relative) and weights`, () => {
    const p = rcv1Like();
    let nnz = 0;
    nnz = p.indptr[p.indptr.length - 1]!;
    expect(nnz).toBe(rcv1Cases[0]!.nonzeros);
    for (const c of rcv1Cases) {
      const m = new LogisticRegression({ C: c.C, fitIntercept: false, solver: "tron" }).fit(p, Array.from(p.y));
      expect(m.converged).toBe(true);
      expect(Math.abs(m.objective - c.objective) / c.objective).toBeLessThan(1e-8);
      expect(Math.abs(m.objective - c.objective) / c.objective).toBeLessThan(1e-12); // what we reach
      const w = m.coef[0]!;
      expect(Math.abs(norm(w) - c.weightNorm) / c.weightNorm).toBeLessThan(1e-7);
      for (const [j, v] of c.firstWeights) expect(Math.abs(w[j]! - v)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
    }
  }, 60000);
});
