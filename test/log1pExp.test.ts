/**
 * `log(1 + e^-z)` and `e^-z` from z directly (src/core/numerics/fastLog1pExp.ts), the log term of the logit losses in the
 * JavaScript loops, the scalar functions and (the same operations) the WebAssembly kernel, against mpmath
 * (test/fixtures/log1pExp.json, written by test/fixtures/generate_log1p_exp.py). test/fastBatch.test.ts checks
 * that the kernel gives the JavaScript loop's bits.
 *
 * Measured maxima (ulps as test/ulp.ts defines them), per regime (XENT_PRINT_TABLES=1 prints them):
 *
 * | function                   | regime                                          | max ulps |
 * |----------------------------|-------------------------------------------------|----------|
 * | log1pExpNegative           | table points i/64 and neighbours                | 0.500    |
 * | log1pExpNegative           | midpoints (i + 1/2)/64 and neighbours (|r| max) | 0.516    |
 * | log1pExpNegative           | [0, 1], [1, 40)                                 | 0.510    |
 * | log1pExpNegative           | z = 0, tiny and subnormal z; just below 40      | 0.495    |
 * | log1pExpNegativeAny        | z >= 40 (e^-z, expNonPositive)                  | 0.502    |
 * | logitExp (e^-z)            | table points, midpoints and neighbours          | 0.515    |
 * | logitExp                   | [0, 40); [40, 708.4] (expNonPositive)           | 0.506    |
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { LOG1P_EXP_TABLE, log1pExpNegative, log1pExpNegativeAny, logitExp } from "../src/core/numerics/fastLog1pExp.js";
import { EXP_NEG, SOFTPLUS } from "../src/core/numerics/kernelTables.js";
import { ulpError } from "./ulp.js";

type Point = [string, string, string, string];
const fixture = JSON.parse(readFileSync(new URL("./fixtures/log1pExp.json", import.meta.url), "utf8")) as Record<
  "log1pExpNegative" | "log1pExpNegativeAny" | "logitExp",
  Point[]
>;

/** Tested bounds in ulps: the measured maxima above, rounded up. */
const BOUND = 0.52;
const FUNCTIONS = { log1pExpNegative, log1pExpNegativeAny, logitExp };

describe.each(["log1pExpNegative", "log1pExpNegativeAny", "logitExp"] as const)("%s against mpmath", (name) => {
  const points = fixture[name];
  test(`${points.length} points, each within ${BOUND} ulp`, () => {
    expect(points.length).toBeGreaterThan(2000);
    const worst = new Map<string, number>();
    const failures: string[] = [];
    for (const [zs, his, los, regime] of points) {
      const got = FUNCTIONS[name](Number(zs));
      const err = ulpError(got, Number(his), Number(los));
      worst.set(regime, Math.max(worst.get(regime) ?? 0, err));
      if (!(err <= BOUND)) failures.push(`${regime}: z = ${zs}: ${got} vs ${his} + ${los} (${err} ulps)`);
    }
    if (process.env.XENT_PRINT_TABLES) console.log([...worst].map(([r, e]) => `${name.padEnd(20)} ${r.padEnd(45)} ${e.toFixed(3)}`).join("\n"));
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe("special values and the table", () => {
  test("log1pExpNegativeAny: ln 2 at 0, 0 at Infinity, NaN for NaN; log1pExpNegative of the table points is the table's head", () => {
    expect(log1pExpNegativeAny(0)).toBe(Math.LN2);
    expect(Object.is(log1pExpNegativeAny(Infinity), 0)).toBe(true);
    expect(log1pExpNegativeAny(NaN)).toBeNaN();
    for (let i = 0; i < 2560; i += 37) expect(log1pExpNegative(i / 64)).toBe(SOFTPLUS[2 * i]! + SOFTPLUS[2 * i + 1]!);
  });
  test("the table: 2561 points of hi, lo, sigma, e^-z's head; sigma = e^-z / (1 + e^-z) within 2^-50 relative", () => {
    expect(LOG1P_EXP_TABLE.length).toBe(4 * 2561);
    for (let i = 0; i <= 2560; i++) {
      const z = i / 64;
      const sigma = 1 / (1 + Math.exp(z));
      expect(Math.abs(LOG1P_EXP_TABLE[4 * i + 2]! - sigma)).toBeLessThanOrEqual(2 ** -50 * sigma);
      expect(LOG1P_EXP_TABLE[4 * i + 3]).toBe(EXP_NEG[2 * i]);
    }
  });
});
