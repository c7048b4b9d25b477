import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryCrossEntropyWithLogitsGrad, sigmoid, sigmoidSquaredError, sigmoidSquaredErrorAndGrad, sigmoidSquaredErrorGrad } from "xent";
import { ulp, ulpError } from "./ulp.js";

interface Case {
  y: number;
  s: number;
  loss: [number, number];
  grad: [number, number];
}
interface Group {
  name: string;
  cases: Case[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/sigmoidSquaredError.json", import.meta.url), "utf8")) as {
  groups: Group[];
};

// The bounds each group achieves (measured, then recorded here), in ulps.
const bounds: Record<string, { loss: number; grad: number }> = {
  // 3.32 since e = exp(-|s|) comes from xent's own exp kernel (src/core/numerics/fastExp.ts, shared with
  // cross-entropy so that the loss stays the square of its gradient bit for bit); 2.9 with Math.exp.
  "hard labels, |s| <= 8": { loss: 3.5, grad: 4.5 },
  "hard labels, saturation band": { loss: 2, grad: 2.5 },
  "hard labels, far out (underflow)": { loss: 1.5, grad: 1.5 },
  // d = sigmoid(s) - y cancels when sigmoid(s) is close to y: the relative error of d grows as y / |d|.
  // On this grid (no logit closer than 0.09 to logit(y)) the worst cases are 27 and 19 ulps.
  "soft labels, |s| <= 10": { loss: 28, grad: 19 },
};

describe("sigmoidSquaredError against mpmath (800 digits)", () => {
  for (const group of fixture.groups) {
    it(`${group.name}: within ${bounds[group.name]!.loss} ulps (loss), ${bounds[group.name]!.grad} ulps (gradient)`, () => {
      let worstLoss = 0;
      let worstGrad = 0;
      for (const c of group.cases) {
        worstLoss = Math.max(worstLoss, ulpError(sigmoidSquaredError(c.y, c.s), ...c.loss));
        worstGrad = Math.max(worstGrad, ulpError(sigmoidSquaredErrorGrad(c.y, c.s), ...c.grad));
      }
      expect(worstLoss).toBeLessThanOrEqual(bounds[group.name]!.loss);
      expect(worstGrad).toBeLessThanOrEqual(bounds[group.name]!.grad);
    });
  }
});

describe("sigmoidSquaredError: special values", () => {
  it("has the exact limits at infinite logits and 1/4 at s = 0", () => {
    expect(sigmoidSquaredError(1, Infinity)).toBe(0);
    expect(sigmoidSquaredError(0, -Infinity)).toBe(0);
    expect(sigmoidSquaredError(1, -Infinity)).toBe(1);
    expect(sigmoidSquaredError(0, Infinity)).toBe(1);
    expect(sigmoidSquaredError(1, 0)).toBe(0.25);
    expect(sigmoidSquaredError(0.5, 0)).toBe(0);
    expect(sigmoidSquaredErrorGrad(1, 0)).toBe(-0.25);
    expect(sigmoidSquaredErrorGrad(1, -Infinity)).toBe(-0);
    expect(sigmoidSquaredErrorGrad(0, Infinity)).toBe(0);
  });

  it("keeps the digits where sigmoid(s) - 1 would be 0 (s = 40)", () => {
    // The naive (1 / (1 + exp(-40)) - 1)^2 is 0.
    expect(sigmoidSquaredError(1, 40)).toBe(1.804851387845415e-35);
  });

  it("runs the doc examples", () => {
    expect(sigmoidSquaredErrorGrad(1, -40)).toBe(-8.496708510583178e-18);
    const { loss, grad } = sigmoidSquaredErrorAndGrad([1, 0], [0, 0]);
    expect(loss).toBe(0.25);
    expect([...grad]).toEqual([-0.125, 0.125]);
  });
});

describe("sigmoidSquaredError: identities", () => {
  const label = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
  const logit = fc.double({ min: -800, max: 800, noNaN: true });

  it("the loss is the square of cross-entropy's gradient sigmoid(s) - y, bit for bit", () => {
    fc.assert(
      fc.property(label, logit, (y, s) => {
        const d = binaryCrossEntropyWithLogitsGrad(y, s);
        expect(sigmoidSquaredError(y, s)).toBe(d * d);
      }),
    );
  });

  it("the gradient is cross-entropy's times 2 sigmoid(s) sigmoid(-s) (within 4 ulps)", () => {
    fc.assert(
      fc.property(label, fc.double({ min: -700, max: 700, noNaN: true }), (y, s) => {
        const expected = 2 * binaryCrossEntropyWithLogitsGrad(y, s) * sigmoid(s) * sigmoid(-s);
        const got = sigmoidSquaredErrorGrad(y, s);
        if (expected === 0) expect(got).toBe(expected);
        else expect(Math.abs(got - expected)).toBeLessThanOrEqual(4 * ulp(expected));
      }),
    );
  });

  it("the gradient matches a central finite difference", () => {
    for (const y of [0, 1, 0.3]) {
      for (const s of [-6, -1.5, -0.2, 0.4, 2, 5]) {
        const h = 1e-6;
        const fd = (sigmoidSquaredError(y, s + h) - sigmoidSquaredError(y, s - h)) / (2 * h);
        expect(sigmoidSquaredErrorGrad(y, s)).toBeCloseTo(fd, 8);
      }
    }
  });
});

describe("sigmoidSquaredError on batches", () => {
  const labels = [1, 0, 0.25, 1, 0];
  const logits = [2, -1, 0.5, -40, 37];

  it("agrees with the scalar form for every reduction", () => {
    const each = labels.map((y, i) => sigmoidSquaredError(y, logits[i]!));
    const none = sigmoidSquaredError(labels, logits, { reduction: "none" });
    expect([...none]).toEqual(each);
    const sum = each.reduce((a, b) => a + b, 0);
    expect(sigmoidSquaredError(labels, logits, { reduction: "sum" })).toBeCloseTo(sum, 15);
    expect(sigmoidSquaredError(labels, logits)).toBeCloseTo(sum / 5, 15);
    const grad = sigmoidSquaredErrorGrad(labels, logits, { reduction: "sum" });
    expect([...grad]).toEqual(labels.map((y, i) => sigmoidSquaredErrorGrad(y, logits[i]!)));
  });

  it("weighs samples and divides a weighted mean by the total weight; fills gradOut", () => {
    const weights = [2, 0, 1, 1, 0];
    const gradOut = new Float64Array(5);
    const { loss, grad } = sigmoidSquaredErrorAndGrad(labels, logits, { weights, gradOut });
    expect(grad).toBe(gradOut);
    const expected = [0, 2, 3].reduce((a, i) => a + weights[i]! * sigmoidSquaredError(labels[i]!, logits[i]!), 0) / 4;
    expect(loss).toBeCloseTo(expected, 15);
    expect(gradOut[1]).toBe(0);
    expect(gradOut[0]).toBe((2 * sigmoidSquaredErrorGrad(1, 2)) / 4);
  });

  it("sums a million equal losses exactly (compensated)", () => {
    const n = 1_000_000;
    const one = sigmoidSquaredError(1, 0.1);
    const sum = sigmoidSquaredError(new Float64Array(n).fill(1), new Float64Array(n).fill(0.1), { reduction: "sum" });
    expect(sum / n).toBe(one);
  });

  it("rejects bad input with a message that names it", () => {
    expect(() => sigmoidSquaredError(2, 0)).toThrow("sigmoidSquaredError: y = 2 is not in [0, 1]");
    expect(() => sigmoidSquaredErrorGrad(1, NaN)).toThrow("sigmoidSquaredErrorGrad: s = NaN is not a number");
    expect(() => sigmoidSquaredError([1, -1], [0, 0])).toThrow("sigmoidSquaredError: labels[1] = -1 is not in [0, 1]");
    expect(() => sigmoidSquaredError([1, 0], [0, NaN])).toThrow("sigmoidSquaredError: logits[1] = NaN is not a number");
    expect(() => sigmoidSquaredError([1], [0, 0])).toThrow("labels has length 1 but logits has length 2");
    expect(() => sigmoidSquaredError([], [])).toThrow(RangeError);
    expect(sigmoidSquaredError([], [], { reduction: "sum" })).toBe(0);
    expect(() => sigmoidSquaredError([1], [0], { reduction: "max" as never })).toThrow('options.reduction = "max"');
    expect(() => sigmoidSquaredError(1 as never, [0])).toThrow(TypeError);
  });
});
