/**
 * The fixtures contain the points where the textbook formulas fail: at each of these points the naive formula
 * returns 0, +-Infinity or NaN (or is off by thousands of ulps) where the exact value is finite and normal, and
 * xent's function is within its bound (4 ulps at most; the measured bounds are in binary.fixtures.test.ts).
 * This proves the fixtures exercise the hard regimes instead of only the easy middle.
 */
import { describe, expect, test } from "vitest";
import * as xent from "xent";
import { type FixturePoint, loadFixture } from "./fixtures.js";
import { show, ulpError } from "./ulp.js";

const naiveSigmoid = (s: number) => 1 / (1 + Math.exp(-s));

interface Naive {
  fixture: string;
  formula: string;
  naive: (...args: number[]) => number;
  /** Minimum number of fixture points where the naive formula is 0, Infinity or NaN but the truth is normal. */
  broken: number;
  /** Points that must be among them, as [args, naive value]. */
  examples: [number[], number][];
}

const CASES: Naive[] = [
  {
    fixture: "binaryCrossEntropyWithLogits",
    formula: "p = 1/(1+exp(-s)); -(y log p + (1-y) log(1-p))",
    naive: (y, s) => {
      const p = naiveSigmoid(s);
      return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    },
    broken: 1000,
    examples: [
      [[1, 40], NaN], // true 4.248e-18: p rounds to 1, and 0 * log(1 - p) = 0 * -Infinity
      [[1, -800], Infinity], // true 800: p underflows to 0
      [[0, 800], Infinity], // true 800: log(1 - p) = log 0
    ],
  },
  {
    fixture: "logisticLoss",
    formula: "log(1 + exp(-y s))",
    naive: (y, s) => Math.log(1 + Math.exp(-y * s)),
    broken: 1000,
    examples: [
      [[1, 40], 0], // true 4.248e-18
      [[1, -800], Infinity], // true 800
    ],
  },
  {
    fixture: "softplus",
    formula: "log(1 + exp(x))",
    naive: (x) => Math.log(1 + Math.exp(x)),
    broken: 500,
    examples: [
      [[-40], 0],
      [[710], Infinity],
    ],
  },
  {
    fixture: "logSigmoid",
    formula: "log(1 / (1 + exp(-s)))",
    naive: (s) => Math.log(naiveSigmoid(s)),
    broken: 500,
    examples: [
      [[40], 0],
      [[-800], -Infinity],
    ],
  },
  {
    fixture: "binaryCrossEntropy",
    formula: "-(y log p + (1-y) log(1-p))",
    naive: (y, p) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p)),
    broken: 400,
    examples: [[[0, 1e-20], -0]], // true 1e-20: 1 - p rounds to 1
  },
  {
    fixture: "binaryCrossEntropyWithLogitsGrad",
    formula: "1/(1+exp(-s)) - y",
    naive: (y, s) => naiveSigmoid(s) - y,
    broken: 250,
    examples: [[[1, 40], 0]], // true -4.248e-18
  },
  {
    fixture: "logisticLossGrad",
    formula: "-y exp(-y s) / (1 + exp(-y s))",
    naive: (y, s) => (-y * Math.exp(-y * s)) / (1 + Math.exp(-y * s)),
    broken: 500,
    examples: [[[1, -800], NaN]], // true -1: Infinity / Infinity
  },
];

/** The naive value is wrong in the ways that matter: 0, Infinity or NaN where the truth is finite and normal. */
function brokenAt(point: FixturePoint, got: number): boolean {
  const normal = Number.isFinite(point.hi) && Math.abs(point.hi) >= 2 ** -1022;
  return normal && (got === 0 || !Number.isFinite(got));
}

describe.each(CASES)("the naive $formula fails on the fixture points ($fixture)", (c) => {
  const fixture = loadFixture(c.fixture);
  const f = (xent as unknown as Record<string, (...args: number[]) => number>)[fixture.function]!;
  const broken = fixture.points.filter((p) => brokenAt(p, c.naive(...p.args)));

  test(`returns 0, Infinity or NaN at >= ${c.broken} points whose exact value is finite and normal`, () => {
    expect(broken.length).toBeGreaterThanOrEqual(c.broken);
  });

  test("xent is within 4 ulps at every one of them", () => {
    const bad = broken.filter((p) => !(ulpError(f(...p.args), p.hi, p.lo) <= 4));
    expect(bad.map((p) => p.args.map(show).join(", "))).toEqual([]);
  });

  test.each(c.examples)("at %j the naive formula gives %s", (args, value) => {
    expect(c.naive(...args)).toBe(value);
    const point = fixture.points.find((p) => p.args.every((a, i) => Object.is(a, args[i])));
    expect(point, "the example is a fixture point").toBeDefined();
    expect(brokenAt(point!, value)).toBe(true);
    expect(ulpError(f(...args), point!.hi, point!.lo)).toBeLessThanOrEqual(4);
  });
});

describe("formulas that do not return 0 or Infinity but lose most digits on the fixture points", () => {
  function worst(fixture: string, naive: (...args: number[]) => number, where: (p: FixturePoint) => boolean) {
    let max = 0;
    for (const p of loadFixture(fixture).points) if (where(p)) max = Math.max(max, ulpError(naive(...p.args), p.hi, p.lo));
    return max;
  }

  test("logit as log(p / (1 - p)) is off by > 1e12 ulps near p = 1/2 (xent: <= 2.5)", () => {
    expect(
      worst(
        "logit",
        (p) => Math.log(p / (1 - p)),
        (p) => Math.abs(p.args[0]! - 0.5) < 1e-12,
      ),
    ).toBeGreaterThan(1e12);
  });

  test("TensorFlow's max(s, 0) - s y + log1p(exp(-|s|)) is off by > 1e5 ulps for soft labels near 1 (xent: <= 2)", () => {
    const tf = (y: number, s: number) => Math.max(s, 0) - s * y + Math.log1p(Math.exp(-Math.abs(s)));
    expect(worst("binaryCrossEntropyWithLogits", tf, (p) => p.args[0] === 0.999999 && p.args[1]! > 1e3)).toBeGreaterThan(1e5);
  });

  test("the soft-label gradient as -y/p + (1-y)/(1-p) is off by > 1e3 ulps near p = y (xent: <= 2.5)", () => {
    const naive = (y: number, p: number) => -y / p + (1 - y) / (1 - p);
    expect(worst("binaryCrossEntropyGrad.soft", naive, () => true)).toBeGreaterThan(1e3);
  });
});
