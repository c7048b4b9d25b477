// The preconditioned L-BFGS of the binary fit at a given tol (src/model/lbfgs.ts `preconditioner`,
// src/model/logisticObjective.ts `diagonalPreconditioner`): it meets scikit-learn's stopping rule for real (the
// gradient recomputed here, naively), reaches the optimum that scikit-learn's newton-cg found at tol 1e-14
// (test/fixtures/sklearn_fits.json, "l2-newton"), and on features with a large common offset (unstandardized)
// needs far fewer iterations than plain L-BFGS.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type DifferentiableObjective, LogisticRegression, StandardScaler, lbfgs, loadDataset } from "xent";

const fixtures = JSON.parse(readFileSync(new URL("./fixtures/sklearn_fits.json", import.meta.url), "utf8")) as {
  fits: Record<string, Record<string, { coef: number[][]; intercept: number[] }>>;
};

/** The largest |component| of the gradient of f / (C n) (C = 1, L2, with an intercept), summed naively. */
function meanGradientNorm(X: Float64Array, d: number, y: number[], coef: number[], b: number): number {
  const n = y.length;
  const g = coef.slice(); // the penalty's part
  let gb = 0;
  for (let i = 0; i < n; i++) {
    let s = b;
    for (let j = 0; j < d; j++) s += X[i * d + j]! * coef[j]!;
    const r = 1 / (1 + Math.exp(-s)) - y[i]!;
    for (let j = 0; j < d; j++) g[j]! += r * X[i * d + j]!;
    gb += r;
  }
  return Math.max(Math.abs(gb), ...g.map(Math.abs)) / n;
}

const cancer = loadDataset("breast-cancer");
const labels = (cancer.y as number[]).map((v) => (v === Math.max(...(cancer.y as number[])) ? 1 : 0));

describe("preconditioned L-BFGS (binary fits at a given tol)", () => {
  it("reaches scikit-learn's newton-cg optimum on standardized breast cancer at tol 1e-9", () => {
    const X = new StandardScaler().fitTransform(cancer.X) as { data: Float64Array; nFeatures: number };
    const model = new LogisticRegression({ tol: 1e-9, maxIter: 1000 }).fit(X, cancer.y);
    expect(model.converged).toBe(true);
    expect(model.nIter).toBeGreaterThan(10); // the preconditioner is in use from iteration 10
    const ref = fixtures.fits["l2-newton"]!["breast-cancer"]!;
    const coef = model.coef[0]!;
    // A mean gradient of at most 1e-9 (infinity norm) leaves the coefficients within ||g||_2 / lambda_min of the
    // optimum: the mean objective's Hessian is at least 1 / n = 1 / 569 (the penalty), so within
    // 1e-9 sqrt(31) 569 = 3.2e-6.
    for (let j = 0; j < coef.length; j++) expect(Math.abs(coef[j]! - ref.coef[0]![j]!)).toBeLessThan(3.2e-6);
    expect(Math.abs(model.intercept[0]! - ref.intercept[0]!)).toBeLessThan(3.2e-6);
    expect(meanGradientNorm(X.data, X.nFeatures, labels, coef, model.intercept[0]!)).toBeLessThanOrEqual(1e-9 * (1 + 1e-6));
  });

  it("meets tol on unstandardized breast cancer (features up to 4,254) in far fewer iterations than plain L-BFGS", () => {
    const X = cancer.X as { data: Float64Array; nFeatures: number };
    const model = new LogisticRegression({ tol: 1e-4, maxIter: 1000 }).fit(X, cancer.y);
    expect(model.converged).toBe(true);
    expect(meanGradientNorm(X.data, X.nFeatures, labels, model.coef[0]!, model.intercept[0]!)).toBeLessThanOrEqual(1e-4 * (1 + 1e-6));
    // Near the optimum (Newton-CG's, converged), within what tol 1e-4 allows.
    const optimum = new LogisticRegression({ solver: "newton-cg" }).fit(X, cancer.y);
    expect(optimum.converged).toBe(true);
    expect(model.objective).toBeGreaterThanOrEqual(optimum.objective * (1 - 1e-12));
    expect((model.objective - optimum.objective) / optimum.objective).toBeLessThan(1e-3);
    expect(model.nIter).toBeLessThan(150); // 58 measured; plain L-BFGS did not converge in 1,000
  });
});

describe("the default fit (to the optimum) on unstandardized features", () => {
  it("converges on raw breast cancer, to Newton-CG's optimum within 1e-6 in every probability", () => {
    const X = cancer.X as { data: Float64Array; nFeatures: number };
    const model = new LogisticRegression().fit(X, cancer.y);
    expect(model.converged).toBe(true); // plain L-BFGS first: 1,000 iterations, not converged
    const optimum = new LogisticRegression({ solver: "newton-cg" }).fit(X, cancer.y);
    const p = model.predictProba(X);
    const q = optimum.predictProba(X);
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - q[i]!)).toBeLessThan(1e-6);
    expect(Math.abs(model.objective - optimum.objective) / optimum.objective).toBeLessThan(1e-9);
    expect(meanGradientNorm(X.data, X.nFeatures, labels, model.coef[0]!, model.intercept[0]!)).toBeLessThan(1e-6);
  });
});

describe("lbfgs with a preconditioner", () => {
  it("solves a badly scaled quadratic in one step when M is its Hessian, and updates M on its schedule", () => {
    const d = 50;
    const scale = Float64Array.from({ length: d }, (_, j) => 10 ** ((6 * j) / (d - 1))); // condition number 1e6
    const quadratic: DifferentiableObjective = {
      dimension: d,
      valueAndGradient(x, g) {
        let f = 0;
        for (let j = 0; j < d; j++) {
          g[j] = scale[j]! * (x[j]! - 1);
          f += 0.5 * scale[j]! * (x[j]! - 1) ** 2;
        }
        return f;
      },
    };
    const updates: number[] = [];
    let calls = 0;
    const run = lbfgs(quadratic, new Float64Array(d), {
      gradientTolerance: 1e-9,
      maxIterations: 100,
      preconditioner: {
        update: () => updates.push(calls++),
        apply: (v) => {
          for (let j = 0; j < d; j++) v[j]! /= scale[j]!;
        },
      },
    });
    expect(run.converged).toBe(true);
    expect(run.iterations).toBe(1);
    expect(updates).toEqual([0]);
    const plain = lbfgs(quadratic, new Float64Array(d), { gradientTolerance: 1e-9, maxIterations: 1000 });
    expect(plain.iterations).toBeGreaterThan(20);
    expect(() => lbfgs(quadratic, new Float64Array(d), { preconditionFrom: -1 })).toThrow(/preconditionFrom = -1/);
  });
});
