import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  PlattScoreCounts,
  binaryCrossEntropyWithLogits,
  calibrationFromJSON,
  calibrationToJSON,
  categoricalCrossEntropyWithLogits,
  fitPlattScaling,
  fitTemperatureScaling,
  sigmoid,
} from "../src/index.js";

interface PlattCase {
  name: string;
  scores: number[];
  labels: number[];
  sklearn: { A: number; B: number; probabilities: number[]; objective: number };
  targets: [number, number];
  tightSmoothed: { a: number; b: number; objective: number };
  tightPlain: { a: number; b: number; objective: number };
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "sklearn_calibration.json"), "utf8")) as {
  platt: PlattCase[];
  temperature: {
    classes: number;
    labels: number[];
    logits: number[];
    minimizeScalar: { temperature: number; objective: number };
    newton: { temperature: number; objective: number };
  };
};

function countsOf(scores: number[], labels: number[], weights?: number[]): PlattScoreCounts {
  const c = new PlattScoreCounts();
  scores.forEach((s, i) => c.add(labels[i]!, s, weights?.[i] ?? 1));
  return c;
}

/** The Platt objective at (a, b), from the library's loss (independent of the fit's own bookkeeping). */
function plattObjective(scores: number[], labels: number[], targets: [number, number], a: number, b: number): number {
  const z = Float64Array.from(scores, (s) => a * s + b);
  const t = Float64Array.from(labels, (y) => (y === 1 ? targets[0] : targets[1]));
  return binaryCrossEntropyWithLogits(t, z, { reduction: "sum" });
}

const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);

describe("Platt scaling against scikit-learn 1.2.1 (CalibratedClassifierCV, method sigmoid, cv prefit)", () => {
  for (const c of fixture.platt) {
    it(`${c.name}: plattTargets reproduces sklearn's A, B, probabilities, and an objective no larger`, () => {
      const fit = fitPlattScaling(countsOf(c.scores, c.labels).data(), { plattTargets: true });
      expect(fit.converged).toBe(true);
      expect(fit.targets).toEqual(c.targets);
      // scikit-learn's A = -a, B = -b, to its BFGS tolerance (gtol 1e-5): measured 6e-9 relative.
      expect(rel(-fit.a, c.sklearn.A)).toBeLessThan(1e-6);
      expect(rel(-fit.b, c.sklearn.B)).toBeLessThan(1e-6);
      // The tight scipy optimum (trust-exact then Newton steps): much closer.
      expect(rel(fit.a, c.tightSmoothed.a)).toBeLessThan(1e-12);
      expect(rel(fit.b, c.tightSmoothed.b)).toBeLessThan(1e-12);
      const ours = plattObjective(c.scores, c.labels, c.targets, fit.a, fit.b);
      expect(ours).toBeLessThanOrEqual(c.sklearn.objective);
      expect(ours).toBeLessThanOrEqual(c.tightSmoothed.objective * (1 + 1e-15));
      expect(rel(fit.loss, ours)).toBeLessThan(1e-15);
      c.scores.forEach((s, i) => expect(Math.abs(sigmoid(fit.a * s + fit.b) - c.sklearn.probabilities[i]!)).toBeLessThan(1e-8));
    });
    it(`${c.name}: the plain fit reaches the maximum-likelihood optimum (gradient ~0)`, () => {
      const fit = fitPlattScaling(countsOf(c.scores, c.labels).data());
      expect(fit.converged).toBe(true);
      expect(fit.targets).toEqual([1, 0]);
      expect(rel(fit.a, c.tightPlain.a)).toBeLessThan(1e-12);
      expect(rel(fit.b, c.tightPlain.b)).toBeLessThan(1e-12);
      expect(fit.loss).toBeLessThanOrEqual(c.tightPlain.objective * (1 + 1e-15));
      expect(Math.abs(fit.gradient[0]) + Math.abs(fit.gradient[1])).toBeLessThan(1e-9);
      // The optimum beats the neighbours (a check that does not trust the gradient).
      for (const [da, db] of [
        [1e-6, 0],
        [-1e-6, 0],
        [0, 1e-6],
        [0, -1e-6],
      ] as const) {
        expect(fit.loss).toBeLessThan(plattObjective(c.scores, c.labels, [1, 0], fit.a + da, fit.b + db));
      }
    });
  }

  it("counts of distinct scores give the fit on the rows; weights are counts; merge and JSON keep them", () => {
    const c = fixture.platt[1]!;
    const half = c.scores.length >> 1;
    const a = countsOf(c.scores.slice(0, half), c.labels.slice(0, half));
    const b = PlattScoreCounts.fromJSON(JSON.parse(JSON.stringify(countsOf(c.scores.slice(half), c.labels.slice(half)))));
    const merged = a.merge(b);
    const whole = fitPlattScaling(countsOf(c.scores, c.labels).data());
    expect(fitPlattScaling(merged.data()).a).toBe(whole.a);
    // Duplicated rows = weight 2.
    const doubled = fitPlattScaling(countsOf([...c.scores, ...c.scores], [...c.labels, ...c.labels]).data());
    const weighted = fitPlattScaling(
      countsOf(
        c.scores,
        c.labels,
        c.scores.map(() => 2),
      ).data(),
    );
    expect(rel(doubled.a, weighted.a)).toBeLessThan(1e-13);
    expect(rel(doubled.a, whole.a)).toBeLessThan(1e-12);
  });

  it("extreme logits (±800) stay exact: scaling the scores by 100 scales a by 1/100", () => {
    const c = fixture.platt[1]!;
    const base = fitPlattScaling(countsOf(c.scores, c.labels).data());
    const scaled = c.scores.map((s) => s * 100); // up to about ±1700
    expect(Math.max(...scaled.map(Math.abs))).toBeGreaterThan(800);
    const fit = fitPlattScaling(countsOf(scaled, c.labels).data());
    expect(fit.converged).toBe(true);
    expect(rel(fit.a * 100, base.a)).toBeLessThan(1e-10);
    expect(rel(fit.b, base.b)).toBeLessThan(1e-10);
    // Two rows at ±800 on the wrong side: finite, exact loss (800 each at a = 1, b = 0).
    const f = fitPlattScaling(
      { scores: Float64Array.of(-800, 800, 1, -1), positive: Float64Array.of(1, 0, 1, 0), negative: Float64Array.of(0, 1, 0, 1) },
      { maxIter: 0 },
    );
    expect(f.loss).toBeCloseTo(1600 + 2 * Math.log1p(Math.exp(-1)), 10);
  });

  it("bad input is named", () => {
    const d = (s: number[], p: number[], n: number[]) => ({
      scores: Float64Array.from(s),
      positive: Float64Array.from(p),
      negative: Float64Array.from(n),
    });
    expect(() => fitPlattScaling(d([1, 2], [1, 1], [0, 0]))).toThrow(/a class has no weight/);
    expect(() => fitPlattScaling(d([1, 1], [1, 0], [0, 1]))).toThrow(/all scores are equal/);
    expect(() => fitPlattScaling(d([1, Infinity], [1, 0], [0, 1]))).toThrow(/score 1 is Infinity/);
    expect(() => fitPlattScaling(d([1, 2], [1, -1], [0, 1]))).toThrow(/weights of score 1/);
    expect(() => new PlattScoreCounts().add(2, 0)).toThrow(/label 2/);
    expect(() => new PlattScoreCounts().add(1, NaN)).toThrow(/NaN/);
    // Separable: no finite optimum; reported, not hidden.
    const sep = fitPlattScaling(d([-1, 1], [0, 1], [1, 0]), { maxIter: 20 });
    expect(sep.converged).toBe(false);
    expect(sep.a).toBeGreaterThan(10);
  });
});

describe("temperature scaling", () => {
  const t = fixture.temperature;
  const nll = (T: number) =>
    categoricalCrossEntropyWithLogits(
      t.labels,
      t.logits.map((z) => z / T),
      { classes: t.classes, reduction: "sum" },
    );

  it("reaches the optimum of scipy's minimize_scalar (derivative ~0, objective no larger)", () => {
    const fit = fitTemperatureScaling(t.labels, t.logits, { classes: t.classes });
    expect(fit.converged).toBe(true);
    // minimize_scalar (bounded Brent, on values) finds T to about sqrt(eps); Newton polishing in numpy to ulps.
    expect(rel(fit.temperature, t.minimizeScalar.temperature)).toBeLessThan(1e-8);
    expect(rel(fit.temperature, t.newton.temperature)).toBeLessThan(1e-12);
    // The objectives, both by the library's loss (numpy's sum rounds differently by an ulp).
    expect(fit.loss).toBeLessThanOrEqual(nll(t.minimizeScalar.temperature));
    expect(rel(fit.loss, t.minimizeScalar.objective)).toBeLessThan(1e-15);
    expect(fit.loss).toBeLessThan(nll(fit.temperature * (1 + 1e-6)));
    expect(fit.loss).toBeLessThan(nll(fit.temperature * (1 - 1e-6)));
    expect(Math.abs(fit.derivative)).toBeLessThan(1e-8);
    expect(fit.iterations).toBeLessThan(20);
  });

  it("weights, scaled logits (±800 and beyond), and the limits T -> Infinity and T -> 0", () => {
    const base = fitTemperatureScaling(t.labels, t.logits, { classes: t.classes });
    const big = fitTemperatureScaling(
      t.labels,
      t.logits.map((z) => z * 200),
      { classes: t.classes },
    );
    expect(rel(big.temperature, base.temperature * 200)).toBeLessThan(1e-10);
    const w = fitTemperatureScaling([...t.labels, ...t.labels], [...t.logits, ...t.logits], { classes: t.classes });
    const w2 = fitTemperatureScaling(t.labels, t.logits, { classes: t.classes, weights: t.labels.map(() => 2) });
    expect(rel(w.temperature, w2.temperature)).toBeLessThan(1e-12);
    // Anti-informative logits: the best T > 0 is Infinity (uniform).
    const anti = fitTemperatureScaling([0, 1], [0, 5, 5, 0], { classes: 2 });
    expect(anti.temperature).toBe(Infinity);
    expect(anti.loss).toBeCloseTo(2 * Math.log(2), 14);
    // All argmax-right: T -> 0, not converged.
    const sharp = fitTemperatureScaling([0, 1], [5, 0, 0, 5], { classes: 2 });
    expect(sharp.converged).toBe(false);
    // -Infinity for a class that is not the label is allowed.
    expect(fitTemperatureScaling([0, 1, 1], [1, -Infinity, 0, 2, 0.5, 0], { classes: 2 }).converged).toBe(true);
  });

  it("bad input is named", () => {
    expect(() => fitTemperatureScaling([0, 2], [0, 1, 0, 1], { classes: 2 })).toThrow(/labels\[1\] = 2/);
    expect(() => fitTemperatureScaling([0], [0, 1, 2], { classes: 2 })).toThrow(/length 3/);
    expect(() => fitTemperatureScaling([0], [-Infinity, 1], { classes: 2 })).toThrow(/logits\[0\] \(row 0, class 0\) is -Infinity/);
    expect(() => fitTemperatureScaling([0], [NaN, 1], { classes: 2 })).toThrow(/NaN/);
    expect(() => fitTemperatureScaling([0], [0, 1], { classes: 2, weights: [0] })).toThrow(/no weight/);
  });
});

describe("the calibration file", () => {
  it("round-trips and checks its fields", () => {
    const p = calibrationFromJSON(calibrationToJSON({ type: "xent.Calibration", version: 1, method: "platt", a: 0.5, b: -1, plattTargets: false }));
    expect(p).toMatchObject({ method: "platt", a: 0.5, b: -1 });
    const t = calibrationFromJSON(
      calibrationToJSON({ type: "xent.Calibration", version: 1, method: "temperature", temperature: Infinity, classes: 3 }),
    );
    expect(t).toMatchObject({ method: "temperature", temperature: Infinity });
    expect(() => calibrationFromJSON({ type: "xent.Calibration", version: 2 })).toThrow(/version 2/);
    expect(() => calibrationFromJSON({ type: "xent.Model", version: 1 })).toThrow(/not a Calibration/);
    expect(() => calibrationFromJSON({ type: "xent.Calibration", version: 1, method: "isotonic" })).toThrow(/isotonic/);
    expect(() => calibrationFromJSON({ type: "xent.Calibration", version: 1, method: "temperature", temperature: -1, classes: 3 })).toThrow(
      /temperature/,
    );
  });
});
