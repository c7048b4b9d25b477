// The objectives' gradients and Hessian-vector products against finite differences, on random problems.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryLogisticObjective, type LogisticProblem } from "../src/model/logisticObjective.js";
import { MultinomialLogisticObjective } from "../src/model/multinomialObjective.js";
import { type TwiceDifferentiableObjective } from "../src/model/optimization.js";
import { lcgUniform } from "./rng.js";

/** A random problem from a seed: n x d features in [-3, 3], class ids, weights, C, penalty, intercept. */
function problem(seed: number, nClasses: number): LogisticProblem {
  const u = lcgUniform(seed);
  const n = 5 + Math.floor(u() * 20);
  const d = 1 + Math.floor(u() * 5);
  const data = Float64Array.from({ length: n * d }, () => 6 * u() - 3);
  const classIds = Int32Array.from({ length: n }, (_, i) => (i < nClasses ? i : Math.floor(u() * nClasses)));
  return {
    X: { data, rows: n, cols: d },
    classIds,
    nClasses,
    sampleWeight: u() < 0.5 ? undefined : Float64Array.from({ length: n }, () => 2 * u()),
    C: 0.1 + 3 * u(),
    penalty: u() < 0.2 ? "none" : "l2",
    fitIntercept: u() < 0.8,
  };
}

/** Central differences with step h: (f(x + h e_j) - f(x - h e_j)) / 2h, error O(h^2). */
function checkDerivatives(objective: TwiceDifferentiableObjective, seed: number): void {
  const n = objective.dimension;
  const u = lcgUniform(seed ^ 0x5bd1e995);
  const x = Float64Array.from({ length: n }, () => 2 * u() - 1);
  const g = new Float64Array(n);
  const f = objective.valueAndGradient(x, g);
  expect(Number.isFinite(f)).toBe(true);
  const h = 1e-5;
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const v = Float64Array.from({ length: n }, () => 2 * u() - 1);
  const hv = new Float64Array(n);
  objective.hessianAt(x)(v, hv);
  for (let j = 0; j < n; j++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[j]! += h;
    xm[j]! -= h;
    const fd = (objective.valueAndGradient(xp, gp) - objective.valueAndGradient(xm, gm)) / (2 * h);
    expect(Math.abs(fd - g[j]!)).toBeLessThan(1e-6 * (1 + Math.abs(f)));
  }
  // H v against the difference of gradients along v.
  const xp = x.map((xi, j) => xi + h * v[j]!);
  const xm = x.map((xi, j) => xi - h * v[j]!);
  objective.valueAndGradient(xp, gp);
  objective.valueAndGradient(xm, gm);
  const scale = 1 + hv.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
  for (let j = 0; j < n; j++) expect(Math.abs((gp[j]! - gm[j]!) / (2 * h) - hv[j]!)).toBeLessThan(1e-6 * scale);
}

describe("BinaryLogisticObjective", () => {
  it("has the gradient and Hessian-vector product of its value (finite differences)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        checkDerivatives(new BinaryLogisticObjective(problem(seed, 2)), seed);
      }),
      { numRuns: 100 },
    );
  });

  it("is 0.5 ||w||^2 + C sum_i w_i L_i, intercept unpenalized", () => {
    const p: LogisticProblem = {
      X: { data: new Float64Array([1, 2]), rows: 2, cols: 1 },
      classIds: new Int32Array([1, 0]),
      nClasses: 2,
      sampleWeight: new Float64Array([1, 3]),
      C: 2,
      penalty: "l2",
      fitIntercept: true,
    };
    const o = new BinaryLogisticObjective(p);
    const g = new Float64Array(2);
    const [w, b] = [0.5, -1];
    const f = o.valueAndGradient(new Float64Array([w, b]), g);
    const sp = (t: number) => Math.log1p(Math.exp(t));
    const expected = 0.5 * w * w + 2 * (1 * sp(-(w * 1 + b)) + 3 * sp(w * 2 + b));
    expect(f).toBeCloseTo(expected, 14);
  });
});

describe("MultinomialLogisticObjective", () => {
  it("has the gradient and the exact multinomial Hessian-vector product of its value (finite differences)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 6 }), (seed, k) => {
        checkDerivatives(new MultinomialLogisticObjective(problem(seed, k)), seed);
      }),
      { numRuns: 100 },
    );
  });

  it("with two classes and no penalty is the binary objective at the difference of the two rows", () => {
    // softmax([z0, z1])_1 = sigmoid(z1 - z0): the K = 2 softmax loss is the binary loss of the logit difference.
    const p = problem(7, 2);
    const d = p.X.cols;
    const multi = new MultinomialLogisticObjective({ ...p, penalty: "none" });
    const binary = new BinaryLogisticObjective({ ...p, penalty: "none" });
    const theta = Float64Array.from({ length: 2 * d + (p.fitIntercept ? 2 : 0) }, (_, i) => Math.sin(i + 1));
    const diff = new Float64Array(d + (p.fitIntercept ? 1 : 0));
    for (let j = 0; j < d; j++) diff[j] = theta[d + j]! - theta[j]!;
    if (p.fitIntercept) diff[d] = theta[2 * d + 1]! - theta[2 * d]!;
    const fm = multi.valueAndGradient(theta, new Float64Array(theta.length));
    const fb = binary.valueAndGradient(diff, new Float64Array(diff.length));
    expect(Math.abs(fm - fb)).toBeLessThan(1e-12 * fb);
  });
});
