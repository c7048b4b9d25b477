// The fitted models reach the true optimum of scikit-learn's objective. The optimum is established here,
// independently of the solvers' own bookkeeping: Newton-CG is run until the gradient (recomputed below by a
// plain, separate implementation of the objective) is below 1e-12, and that point is checked against the
// KKT condition (gradient = 0) at it; L-BFGS is then checked against it and against the same condition.
import { describe, expect, it } from "vitest";
import { type Dataset, LogisticRegression, StandardScaler, loadDataset } from "xent";

/** A naive, separate implementation of scikit-learn's objective and gradient (binary or multinomial). */
function reference(
  X: Float64Array,
  d: number,
  ids: number[],
  k: number,
  coef: number[][],
  intercept: number[],
  C: number,
): { value: number; gradient: number[] } {
  const n = ids.length;
  const rows = coef.length;
  const gW = coef.map((row) => row.slice()); // the penalty's gradient: W itself
  const gB = new Array<number>(rows).fill(0);
  let value = 0;
  for (const row of coef) for (const w of row) value += 0.5 * w * w;
  for (let i = 0; i < n; i++) {
    const z = coef.map((row, r) => row.reduce((s, w, j) => s + w * X[i * d + j]!, intercept[r]!));
    let residual: number[];
    if (rows === 1) {
      const y = ids[i]!;
      const s = z[0]!;
      // log(1 + e^-|s|) + max(.,0): the stable softplus; p from the sign-split sigmoid.
      value += C * (Math.log1p(Math.exp(-Math.abs(s))) + Math.max(y === 1 ? -s : s, 0));
      const p = s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
      residual = [C * (p - y)];
    } else {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      value += C * (lse - z[ids[i]!]!);
      residual = z.map((v, c) => C * (Math.exp(v - lse) - (c === ids[i] ? 1 : 0)));
    }
    for (let r = 0; r < rows; r++) {
      gB[r]! += residual[r]!;
      for (let j = 0; j < d; j++) gW[r]![j]! += residual[r]! * X[i * d + j]!;
    }
  }
  void k;
  return { value, gradient: [...gW.flat(), ...gB] };
}

const maxAbs = (v: number[]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxDiff = (a: number[][], b: number[][]) => maxAbs(a.flat().map((x, i) => x - b.flat()[i]!));

function standardized(name: "breast-cancer" | "iris" | "wine"): { ds: Dataset; X: { data: Float64Array; nFeatures: number } } {
  const ds = loadDataset(name);
  const X = new StandardScaler().fitTransform(ds.X) as { data: Float64Array; nFeatures: number };
  return { ds, X };
}

function checkOptimum(name: "breast-cancer" | "iris" | "wine", expectedClasses: number) {
  const { ds, X } = standardized(name);
  const C = 1;
  const newton = new LogisticRegression({ solver: "newton-cg", C, tol: 1e-15, maxIter: 60 }).fit(X, ds.y);
  const lbfgs = new LogisticRegression({ solver: "lbfgs", C, tol: 1e-12, maxIter: 2000 }).fit(X, ds.y);
  const classes = newton.classes;
  expect(classes.length).toBe(expectedClasses);
  const ids = (ds.y as (number | string)[]).map((y) => classes.indexOf(y));
  const ref = (m: LogisticRegression) => reference(X.data, X.nFeatures, ids, classes.length, m.coef, m.intercept, C);

  // The optimum: Newton's point satisfies the KKT condition (zero gradient) to 1e-12, by the separate gradient.
  const atNewton = ref(newton);
  expect(maxAbs(atNewton.gradient)).toBeLessThan(1e-12);
  expect(newton.history.gradientNorm.at(-1)!).toBeLessThan(1e-12);
  // Newton's reported objective is the objective (separate evaluation), to rounding.
  expect(Math.abs(newton.objective - atNewton.value) / atNewton.value).toBeLessThan(1e-13);

  // L-BFGS: objective within 1e-9 relative, coefficients within 1e-6, and its own KKT residual small.
  const atLbfgs = ref(lbfgs);
  expect(Math.abs(atLbfgs.value - atNewton.value) / atNewton.value).toBeLessThan(1e-9);
  expect(Math.abs(lbfgs.objective - atNewton.value) / atNewton.value).toBeLessThan(1e-9);
  expect(maxDiff(lbfgs.coef, newton.coef)).toBeLessThan(1e-6);
  expect(maxAbs(lbfgs.intercept.map((b, r) => b - newton.intercept[r]!))).toBeLessThan(1e-6);
  expect(maxAbs(atLbfgs.gradient)).toBeLessThan(1e-6);
  // L-BFGS reached its tolerance (1e-12 of C n in the gradient), and Newton's point is as low as L-BFGS's,
  // up to the rounding of the objective's sum (1e-13 relative).
  expect(lbfgs.converged).toBe(true);
  expect(atNewton.value).toBeLessThanOrEqual(atLbfgs.value * (1 + 1e-13));
  return { newton, lbfgs, X, ds };
}

describe("binary: standardized Breast Cancer, C = 1", () => {
  it("Newton-CG reaches the KKT point to 1e-12; L-BFGS matches it (objective 1e-9 relative, coefficients 1e-6)", () => {
    const { newton, lbfgs } = checkOptimum("breast-cancer", 2);
    expect(newton.converged).toBe(true); // tol 1e-15: gradient <= 1e-15 * C * n = 5.7e-13
    expect(lbfgs.coef.length).toBe(1);
    expect(lbfgs.coef[0]!.length).toBe(30);
  });

  it("gives the same model for labels {0, 1}, {-1, +1} and booleans as strings (negated when the order flips)", () => {
    const { ds, X } = standardized("breast-cancer");
    const y01 = ds.y as number[];
    const ySign = y01.map((y) => 2 * y - 1);
    for (const solver of ["lbfgs", "newton-cg"] as const) {
      const a = new LogisticRegression({ solver, tol: 1e-10 }).fit(X, y01);
      const b = new LogisticRegression({ solver, tol: 1e-10 }).fit(X, ySign);
      expect(b.classes).toEqual([-1, 1]);
      expect(b.coef).toEqual(a.coef); // the same class ids, so the same run, bit for bit
      expect(b.intercept).toEqual(a.intercept);
      expect(b.predict(X)).toEqual(a.predict(X).map((y) => 2 * (y as number) - 1));
      // Names: "benign" < "malignant", so the positive class flips and the model is negated.
      const named = new LogisticRegression({ solver, tol: 1e-10 }).fit(
        X,
        y01.map((y) => (y === 1 ? "benign" : "malignant")),
      );
      expect(named.classes).toEqual(["benign", "malignant"]);
      expect(
        maxDiff(
          named.coef,
          a.coef.map((r) => r.map((w) => -w)),
        ),
      ).toBeLessThan(1e-7);
      expect(named.predict(X)).toEqual(a.predict(X).map((y) => (y === 1 ? "benign" : "malignant")));
    }
  });

  it("L-BFGS's history decreases monotonically and ends at the reported objective", () => {
    const { ds, X } = standardized("breast-cancer");
    const m = new LogisticRegression({ tol: 1e-12, maxIter: 500 }).fit(X, ds.y);
    const h = m.history.objective;
    expect(h.length).toBe(m.nIter + 1);
    expect(m.history.gradientNorm.length).toBe(m.nIter + 1);
    for (let i = 1; i < h.length; i++) expect(h[i]!).toBeLessThanOrEqual(h[i - 1]!);
    // Strictly lower at every step until f is within its rounding (16 ulps) of the final value: from there
    // on the computed f can only stay equal, which the line search accepts when the slope says "descent".
    const final = h.at(-1)!;
    for (let i = 1; i < h.length; i++) {
      if (h[i - 1]! - final > 16 * Number.EPSILON * final) expect(h[i]!).toBeLessThan(h[i - 1]!);
    }
    expect(h[0]).toBeCloseTo(569 * Math.LN2, 10); // zero coefficients: every loss is log 2
    expect(h.at(-1)).toBe(m.objective);
  });

  it("reports convergence honestly: maxIter stops unconverged, the default tol converges", () => {
    const { ds, X } = standardized("breast-cancer");
    const short = new LogisticRegression({ maxIter: 3 }).fit(X, ds.y);
    expect(short.nIter).toBe(3);
    expect(short.converged).toBe(false);
    expect(short.stopReason).toBe("maxIterations");
    const sk = new LogisticRegression().fit(X, ds.y);
    expect(sk.converged).toBe(true);
    // tol applies to the gradient of f / (C n), as in scikit-learn.
    expect(sk.history.gradientNorm.at(-1)!).toBeLessThanOrEqual(1e-4 * 569);
    expect(sk.score(X, ds.y)).toBeGreaterThan(0.98);
  });

  it("sample weights equal repeated rows; C scales the loss; penalty none drops the penalty", () => {
    const { ds, X } = standardized("breast-cancer");
    const n = ds.nSamples;
    const d = X.nFeatures;
    const weights = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1));
    const rows: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < weights[i]!; r++) {
        rows.push(...X.data.subarray(i * d, (i + 1) * d));
        y.push((ds.y as number[])[i]!);
      }
    }
    const opts = { solver: "newton-cg", tol: 1e-14, C: 0.5 } as const;
    const weighted = new LogisticRegression(opts).fit(X, ds.y, { sampleWeight: weights });
    const repeated = new LogisticRegression(opts).fit({ data: Float64Array.from(rows), nFeatures: d }, y);
    expect(maxDiff(weighted.coef, repeated.coef)).toBeLessThan(1e-9);
    expect(Math.abs(weighted.objective - repeated.objective) / repeated.objective).toBeLessThan(1e-12);

    // Without a penalty on a tiny non-separable set, the optimum is the unpenalized MLE: the gradient
    // sum_i (p_i - y_i) x_i is 0, checked directly.
    const Xs = [[0], [1], [2], [3], [1.5]];
    const ys = [0, 0, 1, 1, 0];
    const mle = new LogisticRegression({ penalty: "none", solver: "newton-cg", tol: 1e-14 }).fit(Xs, ys);
    const w = mle.coef[0]![0]!;
    const b = mle.intercept[0]!;
    let gw = 0;
    let gb = 0;
    Xs.forEach(([x], i) => {
      const p = 1 / (1 + Math.exp(-(w * x! + b)));
      gw += (p - ys[i]!) * x!;
      gb += p - ys[i]!;
    });
    expect(Math.abs(gw)).toBeLessThan(1e-12);
    expect(Math.abs(gb)).toBeLessThan(1e-12);
  });

  it("without an intercept, the intercept is 0 and the gradient in w vanishes", () => {
    const { ds, X } = standardized("breast-cancer");
    const m = new LogisticRegression({ fitIntercept: false, solver: "newton-cg", tol: 0, maxIter: 50 }).fit(X, ds.y);
    expect(m.intercept).toEqual([0]);
    const classes = m.classes;
    const ids = (ds.y as number[]).map((y) => classes.indexOf(y));
    const g = reference(X.data, X.nFeatures, ids, 2, m.coef, [0], 1).gradient.slice(0, X.nFeatures);
    expect(maxAbs(g)).toBeLessThan(1e-11);
  });
});

describe("multinomial: standardized Iris and Wine, C = 1 (full K-class softmax)", () => {
  for (const [name, k] of [
    ["iris", 3],
    ["wine", 3],
  ] as const) {
    it(`${name}: Newton-CG reaches the KKT point to 1e-12; L-BFGS matches it`, () => {
      const { newton, lbfgs, X, ds } = checkOptimum(name, k);
      expect(newton.converged).toBe(true);
      expect(newton.coef.length).toBe(k);
      expect(newton.intercept.length).toBe(k);
      // The penalty picks the representative whose coefficient rows sum to 0 (each column), and the
      // intercepts' gradient condition makes them sum to 0 too (within the optimum's accuracy).
      for (let j = 0; j < X.nFeatures; j++) {
        expect(Math.abs(newton.coef.reduce((s, row) => s + row[j]!, 0))).toBeLessThan(1e-12);
      }
      // Probabilities: rows sum to 1, predict is their argmax, and labels come back as given.
      const p = newton.predictProba(X);
      const predicted = newton.predict(X);
      for (let i = 0; i < ds.nSamples; i++) {
        const row = Array.from(p.subarray(i * k, (i + 1) * k));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
        expect(predicted[i]).toBe(newton.classes[row.indexOf(Math.max(...row))]);
      }
      expect(newton.score(X, ds.y)).toBeGreaterThan(0.95);
      expect(lbfgs.predict(X)).toEqual(predicted);
    });
  }

  it("Iris with class names, class ids and shuffled ids: the same model up to the order of the rows", () => {
    const { ds, X } = standardized("iris");
    const names = ds.y as string[];
    const byName = new LogisticRegression({ solver: "newton-cg", tol: 1e-14 }).fit(X, names);
    expect(byName.classes).toEqual(["setosa", "versicolor", "virginica"]);
    // Ids 2, 0, 1 for setosa, versicolor, virginica: the sorted classes are [0, 1, 2] = [versicolor, virginica, setosa].
    const ids = names.map((s) => ({ setosa: 2, versicolor: 0, virginica: 1 })[s]!);
    const byId = new LogisticRegression({ solver: "newton-cg", tol: 1e-14 }).fit(X, ids);
    const rows = [byId.coef[2]!, byId.coef[0]!, byId.coef[1]!];
    expect(maxDiff(rows, byName.coef)).toBeLessThan(1e-9);
    expect(byId.predict(X).map((c) => ["versicolor", "virginica", "setosa"][c as number])).toEqual(byName.predict(X));
    const json = LogisticRegression.fromJSON(JSON.stringify(byName));
    expect(json.predictProba(X)).toEqual(byName.predictProba(X));
  });

  it("L-BFGS's history decreases monotonically on Wine", () => {
    const { ds, X } = standardized("wine");
    const m = new LogisticRegression({ tol: 1e-12, maxIter: 500 }).fit(X, ds.y);
    const h = m.history.objective;
    const final = h.at(-1)!;
    for (let i = 1; i < h.length; i++) {
      expect(h[i]!).toBeLessThanOrEqual(h[i - 1]!);
      if (h[i - 1]! - final > 16 * Number.EPSILON * final) expect(h[i]!).toBeLessThan(h[i - 1]!);
    }
    expect(h[0]).toBeCloseTo(178 * Math.log(3), 10);
  });
});

describe("multinomial representative", () => {
  it("returns intercepts summing to 0 (and coefficient columns too without a penalty)", () => {
    const { ds, X } = standardized("iris");
    for (const solver of ["lbfgs", "newton-cg"] as const) {
      for (const penalty of ["l2", "none"] as const) {
        const m = new LogisticRegression({ solver, penalty, tol: 1e-8, maxIter: 300 }).fit(X, ds.y);
        expect(Math.abs(m.intercept.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
        for (let j = 0; j < X.nFeatures; j++) {
          expect(Math.abs(m.coef.reduce((s, row) => s + row[j]!, 0))).toBeLessThan(penalty === "none" ? 1e-10 : 1e-6);
        }
      }
    }
  });
});
