/**
 * The binary functions against the mpmath fixtures (test/fixtures/generate_binary.py; exact values as
 * double-double, errors in ulps as test/ulp.ts defines them), and the batch paths against the scalar path.
 *
 * Measured max ulp error per function and regime (both signs of s, both hard labels; Node 20, V8's fdlibm
 * exp/log1p). Print this table again with:
 *
 *     XENT_ULP_TABLE=1 npx vitest run test/binary.fixtures.test.ts
 *
 * | regime                      | sigmoid | logSigmoid | softplus | BCEWithLogits hard / soft | logisticLoss | WithLogitsGrad hard | logisticLossGrad |
 * |-----------------------------|---------|------------|----------|---------------------------|--------------|---------------------|------------------|
 * | \|s\| < 2^-26               | 0.473   | 0.960      | 0.460    | 0.960 / 1.210             | 0.960        | 0.819               | 0.819            |
 * | 2^-26 <= \|s\| < 1          | 1.181   | 0.985      | 0.872    | 0.985 / 1.550             | 0.985        | 1.536               | 1.536            |
 * | 1 <= \|s\| < 30             | 1.650   | 1.106      | 1.135    | 1.135 / 1.160             | 1.135        | 1.650               | 1.650            |
 * | 30 <= \|s\| < 45 (near 37)  | 1.740   | 1.078      | 0.979    | 1.078 / 1.189             | 1.078        | 1.740               | 1.740            |
 * | 45 <= \|s\| < 700           | 0.682   | 0.658      | 0.682    | 0.682 / 0.929             | 0.682        | 0.682               | 0.682            |
 * | 700 <= \|s\| < 720 (710)    | 1.000   | 1.000      | 1.000    | 1.000 / 1.140             | 1.000        | 1.000               | 1.000            |
 * | 720 <= \|s\| < 760 (745)    | 0       | 0          | 0        | 0 / 0.573                 | 0            | 0                   | 0                |
 * | 760 <= \|s\| <= 1.8e308     | 0       | 0          | 0        | 0 / 0.907                 | 0            | 0                   | 0                |
 * | \|s\| = Infinity            | 0       | 0          | 0        | 0 / 0                     | 0            | 0                   | 0                |
 *
 * | regime                      | logit | binaryCrossEntropy hard / soft | binaryCrossEntropyGrad hard / soft |
 * |-----------------------------|-------|--------------------------------|------------------------------------|
 * | p = 0 or 1                  | 0     | 0 / 0                          | 0 / 0                              |
 * | p subnormal                 | 0.492 | 0.492 / 0.992                  | 0.498 / 0.498                      |
 * | 2^-1022 <= p < 1e-8         | 0.876 | 0.501 / 1.155                  | 0.692 / 1.082                      |
 * | 1e-8 <= p < 0.25            | 0.970 | 0.615 / 1.533                  | 0.499 / 1.456                      |
 * | 0.25 <= p <= 0.75           | 2.217 | 0.749 / 1.452                  | 1.454 / 2.165                      |
 * | 0.75 < p <= 1 - 1e-8        | 0.996 | 0.612 / 1.537                  | 0.500 / 1.461                      |
 * | 1 - 1e-8 < p <= 1 - 2^-53   | 0.973 | 0.501 / 2.154                  | 0.500 / 1.600                      |
 *
 * (Below 2^-1022 an ulp is 2^-1074 and the double-double cannot hold the exact value's sub-ulp part, so
 * errors there are whole numbers and 0 means bit-exact. For |s| >= 720 every result is either subnormal
 * (e^-|s| terms), 0, 1 or |s|, and all were bit-exact.)
 *
 * Bounds tested below: the measured max over all regimes rounded up to the next half ulp, all within the
 * project's bar of 4 ulps.
 *
 * Soft-label gradient of the logit form, `sigmoid(s) - y` (recorded separately, fixture
 * binaryCrossEntropyWithLogitsGrad.soft): it has a true zero at s = logit(y), where it is ill-conditioned
 * (relative condition number |s sigmoid'(s) / (sigmoid(s) - y)| -> Infinity), and the implementation forms it
 * by one subtraction `(1 - y) - sigmoid(-s)` or `sigmoid(s) - y`. Its error is therefore bounded in absolute
 * terms: at most 1 ulp of max(y, 1 - y, sigmoid(s)) (measured: 0.942, at y = 0.5, s = 4e-7), not in ulps
 * of the result (measured up to 8.3e15 ulps at y = 0.5, s = 1e-131, where the exact value s/4 is tiny and
 * the subtraction returns 0). Away from the zero it is as exact as the rest: <= 0.64 ulp for |s| >= 30.
 * The soft-label gradient of the probability form, `(p - y) / (p (1 - p))`, has no such problem (p - y is
 * one correctly rounded subtraction of exact inputs): measured 2.165 ulps, tested at 2.5.
 */
import { describe, expect, test } from "vitest";
import * as xent from "xent";
import { FIXTURE_FILES, type FixturePoint, loadFixture } from "./fixtures.js";
import { same, show, ulp, ulpError } from "./ulp.js";

type Scalar = (...args: number[]) => number;
const scalar = xent as unknown as Record<string, Scalar>;

/** Tested bound in ulps per fixture file: the measured maximum (table above), rounded up to a half ulp. */
const BOUND: Record<(typeof FIXTURE_FILES)[number], number> = {
  sigmoid: 2,
  logSigmoid: 1.5,
  softplus: 1.5,
  logit: 2.5,
  binaryCrossEntropy: 2.5,
  binaryCrossEntropyWithLogits: 2,
  logisticLoss: 1.5,
  binaryCrossEntropyGrad: 1.5,
  binaryCrossEntropyWithLogitsGrad: 2,
  logisticLossGrad: 2,
  "binaryCrossEntropyGrad.soft": 2.5,
  // Tested in ulps of max(y, 1 - y, sigmoid(s)) instead, see below and the header.
  "binaryCrossEntropyWithLogitsGrad.soft": 4,
};

interface RegimeStats {
  count: number;
  max: number;
  worst: FixturePoint | null;
}

function measure(file: string, error: (point: FixturePoint, got: number) => number): Map<string, RegimeStats> {
  const fixture = loadFixture(file);
  const f = scalar[fixture.function]!;
  const stats = new Map<string, RegimeStats>();
  for (const [regime, points] of fixture.regimes) {
    const s: RegimeStats = { count: points.length, max: 0, worst: null };
    for (const point of points) {
      const e = error(point, f(...point.args));
      if (!(e <= s.max)) {
        s.max = e;
        s.worst = point;
      }
    }
    stats.set(regime, s);
  }
  return stats;
}

const relative = (point: FixturePoint, got: number) => ulpError(got, point.hi, point.lo);

/** Error of the soft-label logit gradient in ulps of max(y, 1 - y, sigmoid(s)), its natural scale. */
const absoluteSoft = (point: FixturePoint, got: number) => {
  const [y, s] = point.args as [number, number];
  if (!Number.isFinite(point.hi)) return got === point.hi ? 0 : Infinity;
  const scale = Math.max(y, 1 - y, xent.sigmoid(s));
  return Math.abs(got - point.hi - point.lo) / ulp(scale);
};

const table: string[] = [];

describe.each(FIXTURE_FILES)("%s against mpmath", (file) => {
  const fixture = loadFixture(file);
  const soft = file === "binaryCrossEntropyWithLogitsGrad.soft";
  const bound = soft ? 1 : BOUND[file];

  test(`has at least 2,000 points, every one within ${bound} ulp${soft ? " of max(y, 1 - y, sigmoid(s))" : "s"}`, () => {
    expect(fixture.points.length).toBeGreaterThanOrEqual(2000);
    const stats = measure(file, soft ? absoluteSoft : relative);
    const failures: string[] = [];
    for (const [regime, s] of stats) {
      table.push(`${file.padEnd(38)} ${regime.padEnd(42)} ${String(s.count).padStart(5)}  ${s.max.toFixed(3)}`);
      if (!(s.max <= bound)) {
        const w = s.worst!;
        failures.push(`${regime}: ${s.max} ulps at (${w.args.map(show).join(", ")}), exact ${w.hi} + ${w.lo}`);
      }
    }
    expect(failures).toEqual([]);
  });

  if (soft) {
    test("is within 1 ulp of the result away from the zero of sigmoid(s) - y (|s| >= 30)", () => {
      const stats = measure(file, (point, got) => (Math.abs(point.args[1]!) >= 30 ? relative(point, got) : 0));
      for (const s of stats.values()) expect(s.max).toBeLessThanOrEqual(1);
    });
  }
});

test("the ulp table (printed with XENT_ULP_TABLE=1)", () => {
  expect(table.length).toBeGreaterThan(50);
  if (process.env.XENT_ULP_TABLE) {
    console.log(["function                               regime                                     points  max ulps", ...table].join("\n"));
  }
});

describe("the fixtures contain the hard points", () => {
  const logits = loadFixture("sigmoid").points.map((p) => p.args[0]!);
  const probabilities = loadFixture("logit").points.map((p) => p.args[0]!);
  const softLabels = loadFixture("binaryCrossEntropyWithLogits").points.map((p) => p.args[0]!);
  const near = (xs: number[], t: number, d: number) => xs.filter((x) => Math.abs(x - t) <= d).length;

  test("logits: |s| up to 1e308 and the largest double, near ±37, ±710, ±745 and past, ±Infinity", () => {
    for (const sign of [1, -1]) {
      expect(logits).toContain(sign * Number.MAX_VALUE);
      expect(logits).toContain(sign * 1e308);
      expect(logits).toContain(sign * Infinity);
      expect(near(logits, sign * 37, 3)).toBeGreaterThan(40);
      expect(near(logits, sign * 710, 5)).toBeGreaterThan(20);
      expect(near(logits, sign * 745.1332191019411, 1)).toBeGreaterThan(10);
      expect(logits.filter((s) => sign * s > 745.14 && sign * s < 760).length).toBeGreaterThan(10);
    }
    expect(logits).toContain(5e-324);
    expect(logits.filter((s) => Math.abs(s) < 1e-300 && s !== 0).length).toBeGreaterThan(10);
  });

  test("probabilities: 0, subnormal down to 5e-324, near 1/2, up to 1 - 2^-53, and 1", () => {
    for (const p of [0, 5e-324, 0.5, 1 - 2 ** -53, 1]) expect(probabilities).toContain(p);
    expect(probabilities.filter((p) => p > 0 && p < 2 ** -1022).length).toBeGreaterThan(100);
    expect(near(probabilities, 0.5, 1e-12)).toBeGreaterThan(40);
    expect(probabilities.filter((p) => p >= 1 - 20 * 2 ** -53 && p < 1).length).toBe(20);
  });

  test("labels: hard 0 and 1, soft 0.3 and 0.999999 and random", () => {
    for (const y of [0, 1, 0.3, 0.999999, 0.5]) expect(softLabels).toContain(y);
    expect(new Set(softLabels).size).toBeGreaterThan(500);
  });
});

// ---------------------------------------------------------------- batch paths vs the scalar path

type Batch = (labels: ArrayLike<number>, inputs: ArrayLike<number>, options?: object) => unknown;
const batch = xent as unknown as Record<string, Batch>;

const LOSSES = [
  { name: "binaryCrossEntropy", fixtures: ["binaryCrossEntropy", "binaryCrossEntropyGrad", "binaryCrossEntropyGrad.soft"] },
  {
    name: "binaryCrossEntropyWithLogits",
    fixtures: ["binaryCrossEntropyWithLogits", "binaryCrossEntropyWithLogitsGrad", "binaryCrossEntropyWithLogitsGrad.soft"],
  },
  { name: "logisticLoss", fixtures: ["logisticLoss", "logisticLossGrad"] },
] as const;

const KINDS = [
  { kind: "number[]", make: (xs: number[]) => xs, exact: (_: number) => true },
  { kind: "Float64Array", make: (xs: number[]) => Float64Array.from(xs), exact: (_: number) => true },
  // Only the points whose label and input are exactly float32, so both paths see the same numbers.
  { kind: "Float32Array", make: (xs: number[]) => Float32Array.from(xs), exact: (x: number) => Math.fround(x) === x },
] as const;

describe.each(LOSSES)("$name: batch paths equal the scalar path bit for bit on the fixture points", ({ name, fixtures }) => {
  const loss = scalar[name]!;
  const grad = scalar[`${name}Grad`]!;

  describe.each(KINDS)("$kind", ({ make, exact, kind }) => {
    const points = fixtures.flatMap((f) => loadFixture(f).points).filter((p) => exact(p.args[0]!) && exact(p.args[1]!));
    const labels = points.map((p) => p.args[0]!);
    const inputs = points.map((p) => p.args[1]!);
    const expectedLoss = points.map((p) => loss(p.args[0]!, p.args[1]!));
    const expectedGrad = points.map((p) => grad(p.args[0]!, p.args[1]!));

    function mismatches(got: ArrayLike<number>, expected: number[]): string[] {
      const bad: string[] = [];
      expect(got.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (!same(got[i]!, expected[i]!)) bad.push(`[${i}] (${labels[i]}, ${show(inputs[i]!)}): ${show(got[i]!)} vs scalar ${show(expected[i]!)}`);
      }
      return bad.slice(0, 10);
    }

    test(`covers enough points (${points.length})`, () => {
      expect(points.length).toBeGreaterThan(kind === "Float32Array" ? 800 : 8000);
    });

    test('loss with reduction "none"', () => {
      const got = batch[name]!(make(labels), make(inputs), { reduction: "none" }) as Float64Array;
      expect(got).toBeInstanceOf(Float64Array);
      expect(mismatches(got, expectedLoss)).toEqual([]);
    });

    test('...Grad with reduction "sum" and "none" (the per-sample gradient)', () => {
      for (const reduction of ["sum", "none"]) {
        const got = batch[`${name}Grad`]!(make(labels), make(inputs), { reduction }) as Float64Array;
        expect(mismatches(got, expectedGrad)).toEqual([]);
      }
    });

    test('...AndGrad with reduction "none", into a fresh and into a given Float64Array', () => {
      const gradOut = new Float64Array(points.length);
      for (const options of [{ reduction: "none" }, { reduction: "none", gradOut }]) {
        const got = batch[`${name}AndGrad`]!(make(labels), make(inputs), options) as { loss: Float64Array; grad: Float64Array };
        expect(mismatches(got.loss, expectedLoss)).toEqual([]);
        expect(mismatches(got.grad, expectedGrad)).toEqual([]);
      }
    });
  });
});
