// The optimizers on their own: known minima, the strong Wolfe conditions, and honest stop reasons.
import { describe, expect, it } from "vitest";
import { type TwiceDifferentiableObjective, lbfgs, newtonCg, strongWolfeLineSearch } from "xent";

/** Rosenbrock's function in n dimensions: sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at (1, ..., 1). */
function rosenbrock(n: number): TwiceDifferentiableObjective & { evaluations: number } {
  return {
    dimension: n,
    evaluations: 0,
    valueAndGradient(x, g) {
      this.evaluations++;
      g.fill(0);
      let f = 0;
      for (let i = 0; i + 1 < n; i++) {
        const a = x[i + 1]! - x[i]! * x[i]!;
        const b = 1 - x[i]!;
        f += 100 * a * a + b * b;
        g[i]! += -400 * x[i]! * a - 2 * b;
        g[i + 1]! += 200 * a;
      }
      return f;
    },
    hessianAt(x) {
      const h = (v: Float64Array, out: Float64Array) => {
        out.fill(0);
        for (let i = 0; i + 1 < n; i++) {
          const xi = x[i]!;
          const hii = 1200 * xi * xi - 400 * x[i + 1]! + 2;
          const hij = -400 * xi;
          out[i]! += hii * v[i]! + hij * v[i + 1]!;
          out[i + 1]! += hij * v[i]! + 200 * v[i + 1]!;
        }
      };
      return h;
    },
  };
}

describe("lbfgs", () => {
  it("finds Rosenbrock's minimum from the classic start", () => {
    const x0 = new Float64Array(10).map((_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = lbfgs(rosenbrock(10), x0, { gradientTolerance: 1e-9, maxIterations: 1000 });
    expect(r.converged).toBe(true);
    expect(r.stopReason).toBe("gradient");
    r.x.forEach((v) => expect(v).toBeCloseTo(1, 8));
    for (let i = 1; i < r.objectiveHistory.length; i++) {
      expect(r.objectiveHistory[i]!).toBeLessThanOrEqual(r.objectiveHistory[i - 1]!);
    }
    expect(x0[0]).toBe(-1.2); // x0 untouched
  });

  it("stops at maxIterations, unconverged, and validates its options", () => {
    const r = lbfgs(rosenbrock(2), new Float64Array([-1.2, 1]), { gradientTolerance: 1e-9, maxIterations: 5 });
    expect([r.iterations, r.converged, r.stopReason]).toEqual([5, false, "maxIterations"]);
    expect(r.objectiveHistory.length).toBe(6);
    expect(() => lbfgs(rosenbrock(2), new Float64Array(3))).toThrow(/x0 has length 3 but the objective has 2 variables/);
    expect(() => lbfgs(rosenbrock(2), new Float64Array(2), { memory: 0 })).toThrow(/options.memory = 0/);
  });
});

describe("newtonCg", () => {
  it("solves a convex quadratic in one step", () => {
    // f = 0.5 x^T A x - b^T x with A = [[4, 1], [1, 3]], minimum at A^-1 b.
    const quad: TwiceDifferentiableObjective = {
      dimension: 2,
      valueAndGradient(x, g) {
        g[0] = 4 * x[0]! + x[1]! - 1;
        g[1] = x[0]! + 3 * x[1]! - 2;
        return 0.5 * (4 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2) - x[0]! - 2 * x[1]!;
      },
      hessianAt: () => (v, out) => {
        out[0] = 4 * v[0]! + v[1]!;
        out[1] = v[0]! + 3 * v[1]!;
      },
    };
    const r = newtonCg(quad, new Float64Array(2), { gradientTolerance: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(4); // inexact CG (forcing term 0.5) then superlinear
    expect(r.x[0]).toBeCloseTo(1 / 11, 15);
    expect(r.x[1]).toBeCloseTo(7 / 11, 15);
  });

  it("finds Rosenbrock's minimum through regions of negative curvature", () => {
    const r = newtonCg(rosenbrock(6), new Float64Array([-1.2, 1, -1.2, 1, -1.2, 1]), { gradientTolerance: 1e-10, maxIterations: 200 });
    expect(r.converged).toBe(true);
    r.x.forEach((v) => expect(v).toBeCloseTo(1, 9));
  });
});

describe("strongWolfeLineSearch", () => {
  it("returns a step meeting both strong Wolfe conditions, with the point and gradient in the buffers", () => {
    const f = rosenbrock(2);
    const x = new Float64Array([-1.2, 1]);
    const g0 = new Float64Array(2);
    const f0 = f.valueAndGradient(x, g0);
    const p = Float64Array.from(g0, (v) => -v);
    const xOut = new Float64Array(2);
    const gOut = new Float64Array(2);
    for (const initialStep of [1, 1e-6, 1e-2]) {
      const r = strongWolfeLineSearch(f, x, f0, g0, p, xOut, gOut, { initialStep, c1: 1e-4, c2: 0.1 });
      expect(r.ok && r.wolfe).toBe(true);
      const d0 = g0[0]! * p[0]! + g0[1]! * p[1]!;
      const d = gOut[0]! * p[0]! + gOut[1]! * p[1]!;
      expect(r.value).toBeLessThanOrEqual(f0 + 1e-4 * r.step * d0);
      expect(Math.abs(d)).toBeLessThanOrEqual(0.1 * Math.abs(d0));
      expect(xOut[0]).toBe(x[0]! + r.step * p[0]!);
      const g = new Float64Array(2);
      expect(f.valueAndGradient(xOut, g)).toBe(r.value);
      expect(Array.from(gOut)).toEqual(Array.from(g));
    }
  });

  it("fails on an ascent direction", () => {
    const f = rosenbrock(2);
    const x = new Float64Array([-1.2, 1]);
    const g0 = new Float64Array(2);
    const f0 = f.valueAndGradient(x, g0);
    const r = strongWolfeLineSearch(f, x, f0, g0, g0.slice(), new Float64Array(2), new Float64Array(2));
    expect(r.ok).toBe(false);
  });
});
