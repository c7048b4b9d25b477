// The Cholesky factor and solve of the Newton preconditioner (src/model/choleskyPreconditioner.ts): A z = b to
// rounding on random symmetric positive definite matrices, and a finite solution for a semidefinite one.
import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskySolveInPlace, mirrorFactor } from "../src/model/choleskyPreconditioner.js";
import { lcgUniform } from "./rng.js";

const uniform = lcgUniform;

describe("choleskyInPlace / choleskySolveInPlace", () => {
  it("solve A z = b to 1e-12 relative for A = B^T B + I (sizes 1 to 40)", () => {
    for (let m = 1; m <= 40; m += 3) {
      const u = uniform(m);
      const B = Float64Array.from({ length: m * m }, () => u() - 0.5);
      const A = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let t = 0; t < m; t++) A[i * m + j]! += B[t * m + i]! * B[t * m + j]!;
      for (let i = 0; i < m; i++) A[i * m + i]! += 1;
      const b = Float64Array.from({ length: m }, () => u() - 0.5);
      const L = Float64Array.from(A);
      choleskyInPlace(L, m);
      mirrorFactor(L, m);
      const z = Float64Array.from(b);
      choleskySolveInPlace(L, m, z);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += A[i * m + j]! * z[j]!;
        expect(Math.abs(s - b[i]!)).toBeLessThan(1e-12 * (1 + m));
      }
    }
  });

  it("stays finite on a semidefinite matrix (a zero row and column, as an all-zero feature without a penalty)", () => {
    const A = new Float64Array([2, 0, 1, 0, 0, 0, 1, 0, 2]);
    choleskyInPlace(A, 3);
    mirrorFactor(A, 3);
    const z = new Float64Array([1, 1, 1]);
    choleskySolveInPlace(A, 3, z);
    expect(z.every(Number.isFinite)).toBe(true);
    expect(z[0]).toBeCloseTo(1 / 3, 12);
    expect(z[2]).toBeCloseTo(1 / 3, 12);
  });
});
