/**
 * Identities of the binary functions, as fast-check properties.
 *
 * Tolerances are derived, not tuned: they use the ulp bounds that binary.fixtures.test.ts measured and
 * tests (sigmoid 2 ulps, logit 2.5, the losses 2.5, the gradients 2; we use the project's bar of 4 where a bound
 * enters a finite-difference tolerance, which only makes those tolerances looser by a factor 2 on a term
 * that is far from binding).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as xent from "xent";
import { ulp } from "./ulp.js";

const RUNS = { numRuns: 2000 };
const anyLogit = fc.double({ noNaN: true }); // the whole range, +-0, +-Infinity and subnormals included
const hardLabel = fc.constantFrom(0, 1);
const softLabel = fc.double({ min: 0, max: 1, noNaN: true });

describe("form one equals form two", () => {
  test("binaryCrossEntropyWithLogits(y, s) === logisticLoss(2y - 1, s) for y in {0, 1}, bit for bit", () => {
    // One shared kernel: the 1-ulp bar holds with equality.
    fc.assert(
      fc.property(hardLabel, anyLogit, (y, s) => {
        expect(Object.is(xent.binaryCrossEntropyWithLogits(y, s), xent.logisticLoss(2 * y - 1, s))).toBe(true);
        expect(Object.is(xent.binaryCrossEntropyWithLogitsGrad(y, s), xent.logisticLossGrad(2 * y - 1, s))).toBe(true);
      }),
      RUNS,
    );
  });

  test("the same for batches, with weights, posWeight and labelSmoothing", () => {
    const sample = fc.array(fc.tuple(hardLabel, anyLogit, fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 20 });
    const options = fc.record({
      posWeight: fc.double({ min: 0.01, max: 100, noNaN: true }),
      labelSmoothing: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(sample, options, (rows, { posWeight, labelSmoothing }) => {
        const labels = rows.map((r) => r[0]);
        const logits = rows.map((r) => r[1]);
        const weights = rows.map((r) => r[2]);
        const o = { reduction: "none" as const, weights, posWeight, labelSmoothing };
        const a = xent.binaryCrossEntropyWithLogitsAndGrad(labels, logits, o);
        const b = xent.logisticLossAndGrad(
          labels.map((y) => 2 * y - 1),
          logits,
          o,
        );
        expect(a.loss).toEqual(b.loss); // toEqual on Float64Array compares with Object.is per element
        expect(a.grad).toEqual(b.grad);
      }),
      { numRuns: 300 },
    );
  });
});

describe("sigmoid", () => {
  test("sigmoid(-s) = 1 - sigmoid(s) within 2 ulp(sigmoid(s)) + 2 ulp(sigmoid(-s))", () => {
    // For s >= 0 let b = sigmoid(s) in [1/2, 1] and a = sigmoid(-s) in [0, 1/2]. 1 - b is exact (Sterbenz), and
    // each of a, b is within 2 ulps of its exact value (fixture bound), so |a - (1 - b)| <= 2 ulp(b) + 2 ulp(a).
    // In ulps of a alone no bound exists: for s > 37, b rounds to 1 while a is still 1e-17.
    fc.assert(
      fc.property(anyLogit, (t) => {
        const s = Math.abs(t);
        const b = xent.sigmoid(s);
        const a = xent.sigmoid(-s);
        const bound = Number.isFinite(s) ? 2 * ulp(b) + 2 * ulp(a) : 0;
        expect(Math.abs(a - (1 - b))).toBeLessThanOrEqual(bound);
        expect(a).toBeLessThanOrEqual(0.5);
        expect(b).toBeGreaterThanOrEqual(0.5);
      }),
      RUNS,
    );
  });

  test("sigmoid(-s) + sigmoid(s) rounds to 1 within 2^-52 (one ulp below 1 is 2^-53)", () => {
    // |a + b - 1| <= 2 ulp(b) + 2 ulp(a) <= 2 * 2^-53 + 2 * 2^-54 = 1.5 * 2^-52 before the final rounding,
    // which lands on 1 - 2^-53, 1 or 1 + 2^-52: so within 2^-52.
    fc.assert(
      fc.property(anyLogit, (s) => {
        expect(Math.abs(xent.sigmoid(-s) + xent.sigmoid(s) - 1)).toBeLessThanOrEqual(2 ** -52);
      }),
      RUNS,
    );
  });

  test("logit(sigmoid(s)) = s within the error that sigmoid's rounding allows", () => {
    // p = sigmoid(s) is within 2 ulp(p) of exact (fixture bound). logit'(p) = 1 / (p (1 - p)), so that error
    // moves logit by up to 2 ulp(p) / (p (1 - p)) (to first order; the second-order term is < 1% here since
    // 1 - p >= 9e-14 >> ulp(p) for s <= 30). logit adds its own 2.5 ulps. Relative to s this is the condition
    // number of logit, kappa(p) = 1 / ((1 - p) |logit p|), times sigmoid's 2 ulps: ~2^-51 for s <= -1, growing
    // like e^s / s for large s (at s = 30, 2 ulp(p) / (1 - p) = 2.4e-3 absolute: p keeps only 13 bits of 1 - p)
    // and like 1/|s| near 0 (p = 1/2 + s/4 carries an absolute error 2^-53).
    // s >= -708 keeps p normal (a subnormal p loses relative precision: a different, larger bound).
    fc.assert(
      fc.property(fc.double({ min: -708, max: 30, noNaN: true }), (s) => {
        const p = xent.sigmoid(s);
        const r = xent.logit(p);
        const propagated = (2 * ulp(p)) / (p * (1 - p));
        const tolerance = 1.01 * propagated + 2.5 * Math.max(ulp(r), ulp(s));
        expect(Math.abs(r - s)).toBeLessThanOrEqual(tolerance);
      }),
      RUNS,
    );
  });

  test("the relative tolerance of logit(sigmoid(s)) is 2^-51-ish where logit is well conditioned", () => {
    // The same bound, stated as a plain relative tolerance on -708 <= s <= -1: kappa <= 1.6 there.
    fc.assert(
      fc.property(fc.double({ min: -708, max: -1, noNaN: true }), (s) => {
        expect(Math.abs(xent.logit(xent.sigmoid(s)) - s) / Math.abs(s)).toBeLessThanOrEqual(2 ** -49);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- gradients vs finite differences

/**
 * Central difference (L(x + h) - L(x - h)) / 2h at a point x that is a multiple of h = 2^-k, so x +- h and
 * 2h are exact. Its error is bounded by
 *   rounding:   each L within 4 ulps of exact -> (4 ulp(L+) + 4 ulp(L-)) / 2h, plus 1 ulp for the division
 *               (the difference of L+ and L- is exact or one rounding: another ulp of the quotient)
 *   truncation: h^2 / 6 max|L'''| over [x - h, x + h]
 * and the closed-form gradient g is itself within 4 ulps: the test allows the sum of the three.
 */
function centralDifference(L: (x: number) => number, x: number, h: number, maxThird: number) {
  const plus = L(x + h);
  const minus = L(x - h);
  const fd = (plus - minus) / (2 * h);
  const rounding = (4 * ulp(plus) + 4 * ulp(minus)) / (2 * h) + 2 * ulp(fd);
  const truncation = ((h * h) / 6) * maxThird;
  return { fd, tolerance: rounding + truncation };
}

/** |softplus'''(x)| = sigmoid'(x) |1 - 2 sigmoid(x)| <= min(1 / (6 sqrt 3), e^-|x|) (sigmoid' <= e^-|x|). */
function softplusThird(x: number, h: number): number {
  return Math.min(0.0963, Math.exp(-(Math.abs(x) - h)));
}

const H = 2 ** -17;
const onGrid = (x: number, h: number) => Math.round(x / h) * h;

describe("gradients match central differences of the losses", () => {
  test("binaryCrossEntropyWithLogitsGrad (hard and soft labels) and logisticLossGrad, s in [-700, 700]", () => {
    fc.assert(
      fc.property(fc.oneof(hardLabel, softLabel), fc.double({ min: -700, max: 700, noNaN: true }), (y, t) => {
        const s = onGrid(t, H);
        // L''' = y softplus'''(-s) (-1) + (1 - y) softplus'''(s): |L'''| <= max over the two terms.
        const { fd, tolerance } = centralDifference((x) => xent.binaryCrossEntropyWithLogits(y, x), s, H, softplusThird(s, H));
        const g = xent.binaryCrossEntropyWithLogitsGrad(y, s);
        expect(Math.abs(g - fd)).toBeLessThanOrEqual(tolerance + 4 * ulp(g));
        if (y === 0 || y === 1) {
          const lg = xent.logisticLossGrad(2 * y - 1, s);
          const l = centralDifference((x) => xent.logisticLoss(2 * y - 1, x), s, H, softplusThird(s, H));
          expect(Math.abs(lg - l.fd)).toBeLessThanOrEqual(l.tolerance + 4 * ulp(lg));
        }
      }),
      RUNS,
    );
  });

  test("binaryCrossEntropyGrad (hard and soft labels), p in [2^-10, 1 - 2^-10]", () => {
    fc.assert(
      fc.property(fc.oneof(hardLabel, softLabel), fc.double({ min: 2 ** -10, max: 1 - 2 ** -10, noNaN: true }), (y, q) => {
        // h a power of 2 below min(p, 1 - p) / 4096, p on its grid. L''' = -2y/p^3 + 2(1 - y)/(1 - p)^3.
        const h = 2 ** Math.floor(Math.log2(Math.min(q, 1 - q) / 4096));
        const p = onGrid(q, h);
        const third = (2 * y) / (p - h) ** 3 + (2 * (1 - y)) / (1 - p - h) ** 3;
        const { fd, tolerance } = centralDifference((x) => xent.binaryCrossEntropy(y, x), p, h, third);
        const g = xent.binaryCrossEntropyGrad(y, p);
        expect(Math.abs(g - fd)).toBeLessThanOrEqual(tolerance + 4 * ulp(g));
      }),
      RUNS,
    );
  });

  test("the tolerance is tight enough to catch a wrong gradient (sanity check of the method)", () => {
    // sigmoid(s) - y with the sign flipped, or off by 1e-7 relative, must fail the same comparison.
    const s = onGrid(1.3, H);
    const { fd, tolerance } = centralDifference((x) => xent.binaryCrossEntropyWithLogits(1, x), s, H, softplusThird(s, H));
    const g = xent.binaryCrossEntropyWithLogitsGrad(1, s);
    expect(Math.abs(g - fd)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(g * (1 + 1e-7) - fd)).toBeGreaterThan(tolerance);
    expect(tolerance / Math.abs(g)).toBeLessThan(1e-8);
  });
});

describe("the AndGrad gradient is the derivative of the reduced batch loss", () => {
  const reduction = fc.constantFrom("mean" as const, "batchmean" as const, "sum" as const);
  // Weights 0 or in [1e-3, 5]: a subnormal weight w makes w L underflow (the loss is formed as sum w_i L_i / D),
  // which no tolerance derived from ulps of the result covers (a known limitation: weights are meant to be O(1)).
  const weight = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 5, noNaN: true }));
  const options = fc.record({
    reduction,
    posWeight: fc.double({ min: 0.1, max: 10, noNaN: true }),
    labelSmoothing: fc.double({ min: 0, max: 0.5, noNaN: true }),
  });

  /**
   * Batch loss L(x) = sum_i w_i L_i(x_i) / D. Rounding: each w_i L_i within 4 ulps + 1 for the product,
   * the compensated sum within 2 ulps of the total, the division 1: |error| <= E = (5 * 2^-52 sum |w_i L_i| +
   * 3 * 2^-52 |S|) / D, so the central difference is off by <= E_plus/2h + E_minus/2h from rounding, plus
   * h^2/6 w_i max|L_i'''| / D from truncation. The gradient itself: 4 ulps + 2 for the product and quotient.
   */
  function check(
    batchLoss: (x: number[]) => number,
    perSampleAbs: (x: number[]) => number,
    x: number[],
    i: number,
    h: number,
    thirdI: number,
    g: number,
  ) {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = x[i]! + h;
    xm[i] = x[i]! - h;
    const plus = batchLoss(xp);
    const minus = batchLoss(xm);
    const fd = (plus - minus) / (2 * h);
    const err = (y: number[], total: number) => 5 * 2 ** -52 * perSampleAbs(y) + 3 * 2 ** -52 * Math.abs(total);
    const tolerance = (err(xp, plus) + err(xm, minus)) / (2 * h) + 2 * ulp(fd) + ((h * h) / 6) * thirdI + 6 * ulp(g);
    expect(Math.abs(g - fd), `gradient[${i}] = ${g}, central difference ${fd}`).toBeLessThanOrEqual(tolerance);
  }

  test("binaryCrossEntropyWithLogitsAndGrad and logisticLossAndGrad, random batches of 1 to 8", () => {
    const rows = fc.array(fc.tuple(fc.oneof(hardLabel, softLabel), fc.double({ min: -30, max: 30, noNaN: true }), weight), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(rows, options, fc.boolean(), (r, o, useWeights) => {
        const labels = r.map((t) => t[0]);
        const logits = r.map((t) => onGrid(t[1], H));
        const weights = useWeights ? r.map((t) => t[2]) : r.map(() => 1);
        const opts = { ...o, weights: useWeights ? weights : undefined };
        const n = labels.length;
        const D = o.reduction === "sum" ? 1 : o.reduction === "batchmean" ? n : weights.reduce((a, b) => a + b, 0);
        if (!(D > 0)) return; // an all-zero-weight mean throws; binary.batch.test.ts covers it
        const { grad } = xent.binaryCrossEntropyWithLogitsAndGrad(labels, logits, opts);
        const none = (x: number[]) => xent.binaryCrossEntropyWithLogits(labels, x, { ...opts, reduction: "none" });
        const abs = (x: number[]) => none(x).reduce((a, b) => a + Math.abs(b), 0) / D;
        for (let i = 0; i < n; i++) {
          const y = labels[i]! * (1 - o.labelSmoothing) + o.labelSmoothing / 2;
          const third = ((weights[i]! * (o.posWeight * y + 1 - y)) / D) * softplusThird(logits[i]!, H);
          check((x) => xent.binaryCrossEntropyWithLogits(labels, x, opts), abs, logits, i, H, third, grad[i]!);
        }
        // logisticLoss with the same (hard) labels in {-1, +1} shares the kernel: same gradient.
        if (labels.every((y) => y === 0 || y === 1)) {
          const signs = labels.map((y) => 2 * y - 1);
          expect(xent.logisticLossAndGrad(signs, logits, opts).grad).toEqual(grad);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("binaryCrossEntropyAndGrad, random batches of 1 to 8, p in [0.05, 0.95]", () => {
    const h = 2 ** -20;
    const rows = fc.array(fc.tuple(fc.oneof(hardLabel, softLabel), fc.double({ min: 0.05, max: 0.95, noNaN: true }), weight), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(rows, options, (r, o) => {
        const labels = r.map((t) => t[0]);
        const probabilities = r.map((t) => onGrid(t[1], h));
        const weights = r.map((t) => t[2]);
        const opts = { ...o, weights };
        const n = labels.length;
        const D = o.reduction === "sum" ? 1 : o.reduction === "batchmean" ? n : weights.reduce((a, b) => a + b, 0);
        if (!(D > 0)) return;
        const { grad } = xent.binaryCrossEntropyAndGrad(labels, probabilities, opts);
        const abs = (x: number[]) => xent.binaryCrossEntropy(labels, x, { ...opts, reduction: "none" }).reduce((a, b) => a + Math.abs(b), 0) / D;
        for (let i = 0; i < n; i++) {
          const y = labels[i]! * (1 - o.labelSmoothing) + o.labelSmoothing / 2;
          const p = probabilities[i]!;
          const third = ((weights[i]! / D) * (2 * o.posWeight * y)) / (p - h) ** 3 + ((weights[i]! / D) * 2 * (1 - y)) / (1 - p - h) ** 3;
          check((x) => xent.binaryCrossEntropy(labels, x, opts), abs, probabilities, i, h, third, grad[i]!);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("scalar and batch agree on random inputs", () => {
  test("per-sample losses and gradients, weighted, are w * the scalar value, bit for bit", () => {
    const rows = fc.array(fc.tuple(fc.oneof(hardLabel, softLabel), anyLogit, fc.double({ min: 0, max: 100, noNaN: true })), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(rows, (r) => {
        const labels = r.map((t) => t[0]);
        const logits = r.map((t) => t[1]);
        const weights = r.map((t) => t[2]);
        const { loss, grad } = xent.binaryCrossEntropyWithLogitsAndGrad(labels, logits, { reduction: "none", weights });
        const p = logits.map((s) => xent.sigmoid(s));
        const prob = xent.binaryCrossEntropyAndGrad(labels, p, { reduction: "none", weights });
        for (let i = 0; i < r.length; i++) {
          const w = weights[i]!;
          const scaled = (v: number) => (w === 0 ? 0 : w === 1 ? v : w * v);
          expect(loss[i]).toBe(scaled(xent.binaryCrossEntropyWithLogits(labels[i]!, logits[i]!)));
          expect(grad[i]).toBe(scaled(xent.binaryCrossEntropyWithLogitsGrad(labels[i]!, logits[i]!)));
          expect(prob.loss[i]).toBe(scaled(xent.binaryCrossEntropy(labels[i]!, p[i]!)));
          expect(prob.grad[i]).toBe(scaled(xent.binaryCrossEntropyGrad(labels[i]!, p[i]!)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
