/**
 * xent's own exp and log1p kernels (src/core/numerics/fastExp.ts, src/core/numerics/fastLog1p.ts) against mpmath
 * (test/fixtures/kernels.json, written by test/fixtures/generate_kernels.py), and their tables against the
 * generator's literals. The batch paths (JavaScript and WebAssembly) and the scalar losses use these two
 * kernels; test/fastBatch.test.ts checks the losses built on them.
 *
 * Measured maxima (ulps as test/ulp.ts defines them), per regime:
 *
 * | kernel         | regime                                   | max ulps |
 * |----------------|------------------------------------------|----------|
 * | expNonPositive | [-1, 0], [-40, -1], [-708.4, -40], grid   | 0.504    |
 * | expNonPositive | subnormal results [-745.14, -708.4]      | 1 (one subnormal ulp, 2^-1074: the result v 2^k |
 * |                |                                          | rounds twice, v to 53 bits then to the 2^-1074 grid) |
 * | expNonPositive | underflow edge near -745.1332, below     | 0        |
 * | log1pUnit      | [2^-10, 1], table points                  | 0.576    |
 * | log1pUnit      | [0, 2^-10), tiny, subnormal               | 0.500    |
 * | log1pNonNegative | x > 1: (1, 2], (2, 1000], 10^u, near 2^k | 0.500  |
 *
 * (The test prints the table when run with XENT_PRINT_TABLES=1.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { expNonPositive } from "../src/core/numerics/fastExp.js";
import { log1pNonNegative, log1pUnit } from "../src/core/numerics/fastLog1p.js";
import { EXP2, INV_LN2_128, LN2_128_HI, LN2_128_LO, LOG } from "../src/core/numerics/kernelTables.js";
import { ulpError } from "./ulp.js";

interface KernelFixture {
  expNonPositive: [string, string, string, string][];
  log1pUnit: [string, string, string, string][];
  log1pNonNegative: [string, string, string, string][];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/kernels.json", import.meta.url), "utf8")) as KernelFixture;

/** Tested bounds in ulps: the measured maxima above, rounded up. */
const BOUNDS: Record<string, (regime: string) => number> = {
  expNonPositive: (regime) => (regime.startsWith("subnormal") ? 1 : 0.51),
  log1pUnit: () => 0.6,
  log1pNonNegative: () => 0.51,
};

const KERNELS: Record<string, (x: number) => number> = { expNonPositive, log1pUnit, log1pNonNegative };

describe.each(["expNonPositive", "log1pUnit", "log1pNonNegative"] as const)("%s against mpmath", (name) => {
  const points = fixture[name];
  test(`${points.length} points, each within its regime's bound`, () => {
    expect(points.length).toBeGreaterThan(5000);
    const worst = new Map<string, number>();
    const failures: string[] = [];
    for (const [xs, his, los, regime] of points) {
      const x = Number(xs);
      const got = KERNELS[name]!(x);
      const err = ulpError(got, Number(his), Number(los));
      worst.set(regime, Math.max(worst.get(regime) ?? 0, err));
      if (!(err <= BOUNDS[name]!(regime))) failures.push(`${regime}: x = ${xs}: ${got} vs ${his} + ${los} (${err} ulps)`);
    }
    if (process.env.XENT_PRINT_TABLES) {
      console.log([...worst].map(([r, e]) => `${name.padEnd(15)} ${r.padEnd(45)} ${e.toFixed(3)}`).join("\n"));
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe("special values", () => {
  test("expNonPositive: exact at 0, 0 below the range and at -Infinity, NaN for NaN", () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-1e308)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(expNonPositive(-745)).toBe(5e-324);
  });
  test("log1pUnit: exact at 0, x for subnormal x, ln 2 at 1", () => {
    expect(Object.is(log1pUnit(0), 0)).toBe(true);
    expect(log1pUnit(5e-324)).toBe(5e-324);
    expect(log1pUnit(1e-300)).toBe(1e-300);
    expect(log1pUnit(1)).toBe(Math.LN2);
    expect(log1pUnit(NaN)).toBeNaN();
  });
  test("log1pNonNegative: bit for bit log1pUnit on [0, 1] (every log1pUnit fixture point), Infinity at Infinity, NaN for NaN", () => {
    const differ = fixture.log1pUnit.map(([xs]) => Number(xs)).filter((x) => !Object.is(log1pNonNegative(x), log1pUnit(x)));
    expect(differ).toEqual([]);
    expect(log1pNonNegative(Infinity)).toBe(Infinity);
    expect(log1pNonNegative(NaN)).toBeNaN();
    expect(log1pNonNegative(2)).toBe(1.0986122886681098); // log 3 correctly rounded (Math.log1p(2) is 1 ulp below)
  });
});

describe("tables", () => {
  test("the exp kernel's literal constants are the generator's (fastExp.ts keeps them as literals for speed)", () => {
    const source = readFileSync(new URL("../src/core/numerics/fastExp.ts", import.meta.url), "utf8");
    for (const [name, value] of Object.entries({ INV_LN2_128, LN2_128_HI, LN2_128_LO })) {
      expect(source).toContain(`const ${name} = ${String(value)};`);
    }
    const kernel = readFileSync(new URL("../assembly/expKernel.ts", import.meta.url), "utf8"); // the exp shared by both wasm kernels
    for (const [name, value] of Object.entries({ INV_LN2_128, LN2_128_HI, LN2_128_LO })) {
      expect(kernel).toContain(`const ${name}: f64 = ${String(value)};`);
    }
  });
  test("LN2_128_HI has at most 35 significant bits (n * HI exact for |n| < 2^18)", () => {
    const scaled = LN2_128_HI * 2 ** 42; // 0.0054 = 2^-7.5: 35 bits end at 2^-42
    expect(Number.isInteger(scaled)).toBe(true);
    expect(Math.abs(LN2_128_HI + LN2_128_LO - Math.LN2 / 128)).toBeLessThan(2 ** -60);
  });
  test("table heads are the rounded values (checked against Math.pow and Math.log1p within 1 ulp) and tails are below half an ulp", () => {
    for (let j = 0; j < 128; j++) {
      const hi = EXP2[2 * j]!;
      expect(Math.abs(hi - 2 ** (j / 128))).toBeLessThanOrEqual(2 ** -52);
      expect(Math.abs(EXP2[2 * j + 1]!)).toBeLessThanOrEqual(2 ** -53);
    }
    for (let j = 0; j <= 1024; j++) {
      const hi = LOG[2 * j]!;
      expect(Math.abs(hi - Math.log1p(j / 1024))).toBeLessThanOrEqual(2 ** -53);
      expect(Math.abs(LOG[2 * j + 1]!)).toBeLessThanOrEqual(Math.max(hi, 2 ** -1022) * 2 ** -53);
    }
  });
});
