// The dense products of logistic regression (src/core/kernels/denseProducts.ts): the WebAssembly kernel and its
// JavaScript twin give the same bits, on every shape the micro-kernels split differently (odd and even d, n and
// k, k = 1); both are within the textbook bound of a plainly summed reference; and a whole fit is the same
// with the kernel on and off.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { DenseProducts, setDenseWasmEnabled } from "../src/core/kernels/denseProducts.js";
import { LogisticRegression } from "../src/model/logisticRegression.js";
import { lcgUniform } from "./rng.js";

afterEach(() => setDenseWasmEnabled(true));

const uniform = lcgUniform;

/** Both paths over the same random X, parameters, direction, residual and row factors. */
function pair(n: number, d: number, k: number, seed: number): [DenseProducts, DenseProducts] {
  const u = uniform(seed);
  // Values of mixed magnitude, so that rounding differs visibly between summation orders.
  const value = () => (u() - 0.5) * 10 ** Math.floor(u() * 6 - 3);
  const X = Float64Array.from({ length: n * d }, value);
  setDenseWasmEnabled(true);
  const wasm = new DenseProducts(X, n, d, k);
  setDenseWasmEnabled(false);
  const js = new DenseProducts(X, n, d, k);
  setDenseWasmEnabled(true);
  const fill = (a: Float64Array, f: () => number) => {
    for (let i = 0; i < a.length; i++) a[i] = f();
  };
  const theta = Float64Array.from({ length: k * d + k }, value);
  const direction = Float64Array.from({ length: k * d + k }, value);
  const residual = Float64Array.from({ length: n * k }, value);
  const factors = Float64Array.from({ length: n * k }, u);
  const weights = Float64Array.from({ length: n }, () => 2 * u());
  for (const p of [wasm, js]) {
    p.theta.set(theta);
    p.direction.set(direction);
    p.residual.set(residual);
    p.rowFactors.set(factors);
    p.rowWeights.set(weights);
    fill(p.gradient, () => 0);
  }
  return [wasm, js];
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe("DenseProducts: WebAssembly and JavaScript", () => {
  it("loads the WebAssembly kernel in Node", () => {
    const [wasm, js] = pair(3, 2, 1, 1);
    expect(wasm.wasm).toBe(true);
    expect(js.wasm).toBe(false);
  });

  it("give the same bits for the scores, the gradient and both Hessian products", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, d, k, seed) => {
          const [wasm, js] = pair(n, d, k, seed);
          // Scores of a middle range of rows and of the whole, from theta and from the direction.
          const from = Math.floor(n / 3);
          for (const p of [wasm, js]) {
            p.computeScores(from, n - from);
            p.computeScores(0, n, true);
          }
          expect(sameBits(wasm.scores, js.scores)).toBe(true);
          expect(sameBits(wasm.work, js.work)).toBe(true);
          // The gradient in two pieces, as a blocked pass adds it.
          for (const p of [wasm, js]) {
            p.accumulate(0, from);
            p.accumulate(from, n - from);
          }
          expect(sameBits(wasm.gradient, js.gradient)).toBe(true);
          if (k === 1) {
            wasm.hessianBinary();
            js.hessianBinary();
            expect(sameBits(wasm.gradient, js.gradient)).toBe(true);
          }
          for (const weighted of [false, true]) {
            wasm.hessianSoftmax(weighted);
            js.hessianSoftmax(weighted);
            expect(sameBits(wasm.gradient, js.gradient)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("give the same bits for the weighted Gram matrix (lower triangle), across its blocks of rows", () => {
    for (const [n, d] of [
      [1, 1],
      [5, 2],
      [64, 3],
      [131, 8],
      [200, 17],
    ] as const) {
      const u = uniform(n * 31 + d);
      const X = Float64Array.from({ length: n * d }, () => (u() - 0.5) * 10 ** Math.floor(u() * 6 - 3));
      const h = Float64Array.from({ length: n }, u);
      setDenseWasmEnabled(true);
      const wasm = new DenseProducts(X, n, d, 1, true);
      setDenseWasmEnabled(false);
      const js = new DenseProducts(X, n, d, 1, true);
      setDenseWasmEnabled(true);
      expect(wasm.wasm).toBe(true);
      const m = d + 1;
      for (const p of [wasm, js]) {
        p.gramWeights.set(h);
        p.weightedGram();
      }
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          expect(Object.is(wasm.gram[a * m + b], js.gram[a * m + b])).toBe(true);
          // and the plain sum, within the bound of n rounded terms of three factors
          let exact = 0;
          let abs = 0;
          for (let i = 0; i < n; i++) {
            const t = h[i]! * (a < d ? X[i * d + a]! : 1) * (b < d ? X[i * d + b]! : 1);
            exact += t;
            abs += Math.abs(t);
          }
          expect(Math.abs(wasm.gram[a * m + b]! - exact)).toBeLessThanOrEqual(2 * (n + 2) * Number.EPSILON * abs);
        }
      }
    }
  });

  it("blocks a long pass (the Hessian products' blocks of rows) without changing a bit", () => {
    for (const [n, d, k] of [
      [3001, 7, 1],
      [1500, 31, 3],
      [700, 64, 10],
    ] as const) {
      const [wasm, js] = pair(n, d, k, n + d);
      if (k === 1) {
        wasm.hessianBinary();
        js.hessianBinary();
      } else {
        wasm.hessianSoftmax(true);
        js.hessianSoftmax(true);
      }
      expect(sameBits(wasm.gradient, js.gradient)).toBe(true);
    }
  });

  it("are within the bound of a rounded sum of d + 1 terms: |z - z*| <= (d + 1) eps (|b| + sum_j |x_j w_j|)", () => {
    // z* sums the rounded products with TwoSum corrections (exact up to the products' own rounding, half an ulp
    // each, which the bound covers): the kernel's two-lane sum has error at most about (d / 2 + 2) eps / 2 of
    // the sum of magnitudes; (d + 1) eps leaves room and still fails for a wrong sum.
    const [wasm] = pair(50, 37, 3, 7);
    wasm.computeScores(0, 50);
    const { x, theta, scores } = wasm;
    const d = 37;
    const k = 3;
    for (let i = 0; i < 50; i++) {
      for (let c = 0; c < k; c++) {
        let s = theta[k * d + c]!;
        let err = 0;
        let abs = Math.abs(s);
        for (let j = 0; j < d; j++) {
          const term = x[i * d + j]! * theta[c * d + j]!;
          // TwoSum: s + term = t + (its rounding error), exactly.
          const t = s + term;
          const z = t - s;
          err += s - (t - z) + (term - z);
          s = t;
          abs += Math.abs(term);
        }
        const exact = s + err;
        expect(Math.abs(scores[i * k + c]! - exact)).toBeLessThanOrEqual((d + 1) * Number.EPSILON * abs);
      }
    }
  });
});

describe("LogisticRegression with and without the WebAssembly products", () => {
  it("fits the same coefficients, bit for bit (binary and multinomial, weighted, without intercept)", () => {
    const u = uniform(3);
    const n = 300;
    const d = 9;
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 4 * u() - 2));
    const y2 = X.map((r) => (r[0]! + r[1]! - r[2]! + u() > 0.5 ? "a" : "b"));
    const y3 = X.map((r) => (r[0]! > 0.5 ? 2 : r[1]! + u() > 0 ? 1 : 0));
    const sampleWeight = Array.from({ length: n }, () => u() * 2);
    const fits = (on: boolean) => {
      setDenseWasmEnabled(on);
      return [
        new LogisticRegression().fit(X, y2),
        new LogisticRegression({ fitIntercept: false, C: 0.3 }).fit(X, y3, { sampleWeight }),
        new LogisticRegression({ penalty: "l1", C: 0.5 }).fit(X, y3),
      ];
    };
    const a = fits(true);
    const b = fits(false);
    for (let m = 0; m < a.length; m++) {
      expect(a[m]!.converged).toBe(true);
      expect(a[m]!.coef).toEqual(b[m]!.coef);
      expect(a[m]!.intercept).toEqual(b[m]!.intercept);
      expect(Object.is(a[m]!.objective, b[m]!.objective)).toBe(true);
    }
  });
});

describe("the kernel's finite check (LogisticRegression.fit's check of X)", () => {
  it("finds the first NaN or infinite entry as the JavaScript scan does, in full blocks and the tail", () => {
    const n = 700;
    const d = 7; // 4,900 entries: four full blocks of 1,024 and a tail
    const X = Float64Array.from({ length: n * d }, (_, i) => (i % 3 === 0 ? -0 : (i % 11) - 5));
    for (const at of [-1, 0, 1023, 1024, 2500, 4095, 4096, 4899]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const data = Float64Array.from(X);
        if (at >= 0) data[at] = bad;
        if (at >= 0 && at + 5 < data.length) data[at + 5] = NaN; // a later one must not win
        const products = new DenseProducts(data, n, d, 1);
        expect(products.firstNonFinite()).toBe(at);
        products.release();
      }
    }
    setDenseWasmEnabled(false);
    expect(new DenseProducts(X, n, d, 1).firstNonFinite()).toBeNull();
  });

  it("names the row and column of a fit's non-finite feature, with the kernel and without", () => {
    const n = 600;
    const X = Float64Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
    X[3 * 417 + 2] = -Infinity;
    const y = Array.from({ length: n }, (_, i) => i % 2);
    for (const on of [true, false]) {
      setDenseWasmEnabled(on);
      expect(() => new LogisticRegression().fit({ data: X, nFeatures: 3 }, y)).toThrow(
        new RangeError("LogisticRegression.fit: X[417][2] = -Infinity is not finite (row 417, column 2)"),
      );
    }
  });
});

describe("columnMoments (the binary fit's diagonal preconditioner)", () => {
  it("gives the same bits with the kernel and the JavaScript twin, odd and even d, n not a multiple of 4", () => {
    for (const [n, d] of [
      [1, 1],
      [7, 3],
      [13, 8],
      [37, 11],
      [64, 50],
    ] as const) {
      const [wasm, js] = pair(n, d, 1, 100 + n * d);
      const h = Float64Array.from({ length: n }, (_, i) => 0.25 / (1 + i));
      wasm.rowFactors.set(h);
      js.rowFactors.set(h);
      wasm.columnMoments();
      js.columnMoments();
      expect(wasm.wasm).toBe(true);
      expect(Array.from(wasm.moments)).toEqual(Array.from(js.moments));
      // Against a plain sum: c_j = sum h_i x_ij, a_j = sum h_i x_ij^2.
      for (let j = 0; j < d; j++) {
        let c = 0;
        let a = 0;
        for (let i = 0; i < n; i++) {
          c += h[i]! * js.x[i * d + j]!;
          a += h[i]! * js.x[i * d + j]! ** 2;
        }
        expect(js.moments[j]!).toBeCloseTo(c, 12);
        expect(js.moments[d + j]!).toBeCloseTo(a, 12);
      }
    }
  });
});
