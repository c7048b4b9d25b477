import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  categoricalCrossEntropy,
  categoricalCrossEntropyAndGrad,
  categoricalCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogitsAndGrad,
  categoricalFocalLoss,
  crossEntropy,
  entropy,
  focalLoss,
  klDivergence,
  logSoftmax,
  logSumExp,
  softmax,
} from "xent";
import { ulp } from "./ulp.js";

const finite = (max: number) => fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true });
/** A row of k logits of magnitude up to `max`, with its class count. */
const rows = (maxK: number, max: number) =>
  fc.integer({ min: 2, max: maxK }).chain((k) => fc.tuple(fc.constant(k), fc.array(finite(max), { minLength: k, maxLength: k })));
/** A soft-label row of length k (normalized in double). */
function softTarget(k: number) {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: k, maxLength: k }).map((raw) => {
    const s = raw.reduce((a, b) => a + b, 0);
    return s > 0 ? raw.map((v) => v / s) : raw.map(() => 1 / k);
  });
}

describe("two classes are binary cross-entropy", () => {
  it("logits [0, s], class id y: bit for bit binaryCrossEntropyWithLogits(y, s)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.constantFrom(0, 1), (s, y) => {
        expect(categoricalCrossEntropyWithLogits([y], [0, s], { classes: 2 })).toBe(binaryCrossEntropyWithLogits(y, s));
      }),
      { numRuns: 2000 },
    );
  });

  it("a batch of 200 rows [0, s] (where the softmax kernel would run for more classes), per row: bit for bit", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: 200, maxLength: 200 }), (s) => {
        const y = s.map((v, i) => (v > 0 !== (i % 3 === 0) ? 1 : 0));
        const logits = s.flatMap((v) => [0, v]);
        const rows = categoricalCrossEntropyWithLogits(y, logits, { classes: 2, reduction: "none" }) as Float64Array;
        const binary = binaryCrossEntropyWithLogits(y, s, { reduction: "none" }) as Float64Array;
        for (let i = 0; i < 200; i++) expect(rows[i], `s = ${s[i]}`).toBe(binary[i]);
      }),
      { numRuns: 20 },
    );
  });

  it("soft target [1 - y, y]: within 1 ulp of binaryCrossEntropyWithLogits(y, s)", () => {
    fc.assert(
      fc.property(finite(1e6), fc.double({ min: 0, max: 1, noNaN: true }), (s, y) => {
        const got = categoricalCrossEntropyWithLogits([1 - y, y], [0, s], { classes: 2 });
        const want = binaryCrossEntropyWithLogits(y, s);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(ulp(want));
      }),
      { numRuns: 1000 },
    );
  });

  it("the gradient is binaryCrossEntropyWithLogitsGrad(y, s) at column 1 (within 2 ulps), and its row sums to 0", () => {
    fc.assert(
      fc.property(finite(750), fc.constantFrom(0, 1), (s, y) => {
        const { grad } = categoricalCrossEntropyWithLogitsAndGrad([y], [0, s], { classes: 2, reduction: "sum" });
        const want = binaryCrossEntropyWithLogitsGrad(y, s);
        expect(Math.abs(grad[1]! - want)).toBeLessThanOrEqual(2 * ulp(want));
        expect(Math.abs(grad[0]! + grad[1]!)).toBeLessThanOrEqual(2 * ulp(want));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("gradients", () => {
  /** Central difference of f at z along column j, with step h; error O(h^2) + O(u L / h). */
  function centralDifference(f: (z: number[]) => number, z: number[], j: number, h: number): number {
    const plus = z.slice();
    const minus = z.slice();
    plus[j] = z[j]! + h;
    minus[j] = z[j]! - h;
    return (f(plus) - f(minus)) / (plus[j]! - minus[j]!);
  }

  it("match central finite differences (class ids, soft labels, smoothing, class weights, row weights)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((k) =>
          fc.record({
            k: fc.constant(k),
            z: fc.array(finite(8), { minLength: 2 * k, maxLength: 2 * k }),
            soft: fc.boolean(),
            ids: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: 2, maxLength: 2 }),
            targets: fc.tuple(softTarget(k), softTarget(k)),
            smoothing: fc.constantFrom(0, 0.1),
            classWeights: fc.option(fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: k, maxLength: k }), { nil: undefined }),
            weights: fc.tuple(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true })),
            reduction: fc.constantFrom("mean" as const, "sum" as const, "batchmean" as const),
          }),
        ),
        ({ k, z, soft, ids, targets, smoothing, classWeights, weights, reduction }) => {
          const labels = soft ? [...targets[0], ...targets[1]] : ids;
          const options = { classes: k, labelSmoothing: smoothing, classWeights, weights, reduction };
          const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad(labels, z, options);
          const f = (x: number[]) => categoricalCrossEntropyWithLogits(labels, x, options);
          expect(loss).toBe(f(z));
          for (let j = 0; j < z.length; j++) {
            const fd = centralDifference(f, z, j, 1e-5);
            expect(Math.abs(grad[j]! - fd)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(fd)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the probability form's gradient matches finite differences", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((k) => fc.tuple(fc.constant(k), softTarget(k), softTarget(k), fc.integer({ min: 0, max: k - 1 }))),
        fc.boolean(),
        ([k, target, p, id], soft) => {
          const probs = p.map((v) => 0.05 + 0.9 * v);
          const labels = soft ? target : [id];
          const { grad } = categoricalCrossEntropyAndGrad(labels, probs, { classes: k, reduction: "sum" });
          for (let j = 0; j < k; j++) {
            const h = 1e-6;
            const plus = probs.slice();
            const minus = probs.slice();
            plus[j] = probs[j]! + h;
            minus[j] = probs[j]! - h;
            const fd =
              (categoricalCrossEntropy(labels, plus, { classes: k, reduction: "sum" }) -
                categoricalCrossEntropy(labels, minus, { classes: k, reduction: "sum" })) /
              (plus[j]! - minus[j]!);
            expect(Math.abs(grad[j]! - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
          }
        },
      ),
    );
  });

  it("each unweighted, unsmoothed row sums to 0 within k ulps of its largest entry", () => {
    fc.assert(
      fc.property(rows(50, 1e4), fc.nat(), ([k, z], seed) => {
        const y = seed % k;
        const { grad } = categoricalCrossEntropyWithLogitsAndGrad([y], z, { classes: k, reduction: "sum" });
        let sum = 0;
        let largest = 0;
        for (const g of grad) {
          sum += g;
          largest = Math.max(largest, Math.abs(g));
        }
        expect(Math.abs(sum)).toBeLessThanOrEqual(k * ulp(largest));
      }),
    );
  });

  it("has no NaN for extreme and infinite logits", () => {
    const extreme = fc.constantFrom(Infinity, -Infinity, 1.7976931348623157e308, -1.7976931348623157e308, 0, 1e300, -1e300, 745, -745);
    fc.assert(
      fc.property(fc.array(extreme, { minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (z, y0, y1) => {
        const { loss, grad } = categoricalCrossEntropyWithLogitsAndGrad([y0, y1], z, { classes: 3, reduction: "none" });
        for (const v of [...loss, ...grad]) expect(Number.isNaN(v)).toBe(false);
        for (const l of loss) expect(l).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("batch and row consistency", () => {
  it('reduction "none" equals each row on its own, bit for bit; "sum" and "mean" are their compensated sum and mean', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((k) =>
          fc.tuple(
            fc.constant(k),
            fc.array(fc.tuple(fc.array(finite(1e3), { minLength: k, maxLength: k }), fc.integer({ min: 0, max: k - 1 })), {
              minLength: 1,
              maxLength: 20,
            }),
          ),
        ),
        ([k, batch]) => {
          const logits = Float32Array.from(batch.flatMap(([z]) => z));
          const labels = batch.map(([, y]) => y);
          const none = categoricalCrossEntropyWithLogits(labels, logits, { classes: k, reduction: "none" });
          batch.forEach((_, i) => {
            const single = categoricalCrossEntropyWithLogits([labels[i]!], logits.subarray(i * k, i * k + k), { classes: k });
            expect(none[i]).toBe(single);
          });
          const sum = categoricalCrossEntropyWithLogits(labels, logits, { classes: k, reduction: "sum" });
          const exactish = none.reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - exactish)).toBeLessThanOrEqual(batch.length * ulp(exactish) + 1e-300);
          expect(categoricalCrossEntropyWithLogits(labels, logits, { classes: k })).toBe(sum / batch.length);
        },
      ),
    );
  });

  it("probability form of softmax(z) agrees with the logit form (moderate logits)", () => {
    fc.assert(
      fc.property(rows(10, 20), fc.nat(), ([k, z], seed) => {
        const y = seed % k;
        const p = softmax(z);
        const a = categoricalCrossEntropy([y], p, { classes: k });
        const b = categoricalCrossEntropyWithLogits([y], z, { classes: k });
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15 * Math.max(1, b) + 4 * ulp(b) + 1e-16 * Math.abs(Math.log(p[y]!)));
      }),
    );
  });

  it("label smoothing a is (1 - a) CE + a * mean of -logSoftmax (PyTorch's decomposition)", () => {
    fc.assert(
      fc.property(rows(10, 50), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), ([k, z], seed, a) => {
        const y = seed % k;
        const smoothed = categoricalCrossEntropyWithLogits([y], z, { classes: k, labelSmoothing: a });
        const nls = logSoftmax(z).map((v) => -v);
        const want = (1 - a) * nls[y]! + (a * nls.reduce((s, v) => s + v, 0)) / k;
        expect(Math.abs(smoothed - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, want));
      }),
    );
  });

  it("focal losses with gamma = 0 (and no alpha) are the cross-entropies, bit for bit", () => {
    fc.assert(
      fc.property(rows(10, 1e3), fc.nat(), ([k, z], seed) => {
        const y = seed % k;
        expect(categoricalFocalLoss([y], z, { classes: k, gamma: 0 })).toBe(categoricalCrossEntropyWithLogits([y], z, { classes: k }));
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (s, y) => {
        expect(focalLoss(y, s, { gamma: 0, alpha: null })).toBe(binaryCrossEntropyWithLogits(y, s));
      }),
    );
  });

  it("the binary focal loss is the two-class categorical focal loss with alpha = [1 - alpha, alpha]", () => {
    fc.assert(
      fc.property(finite(100), fc.constantFrom(0, 1), fc.constantFrom(0, 0.5, 1, 2, 3), (s, y, gamma) => {
        const binary = focalLoss(y, s, { gamma, alpha: 0.25 });
        const categorical = categoricalFocalLoss([y], [0, s], { classes: 2, gamma, alpha: [0.75, 0.25] });
        expect(Math.abs(binary - categorical)).toBeLessThanOrEqual((4 + 2 * gamma) * ulp(binary) + 1e-320);
      }),
    );
  });
});

describe("softmax family identities", () => {
  it("softmax sums to 1 within k ulps, is shift invariant for exact shifts, and logSoftmax = log(softmax) where softmax is normal", () => {
    fc.assert(
      fc.property(rows(100, 50), fc.integer({ min: -100, max: 100 }), ([k, z], shift) => {
        const p = softmax(z);
        const s = p.reduce((a, b) => a + b, 0);
        expect(Math.abs(s - 1)).toBeLessThanOrEqual(k * 2 ** -52);
        const lp = logSoftmax(z);
        for (let j = 0; j < k; j++) {
          if (p[j]! > 1e-300) expect(Math.abs(Math.log(p[j]!) - lp[j]!)).toBeLessThanOrEqual(4 * ulp(lp[j]!) + 4 * 2 ** -53);
        }
        // Integer shifts of integers are exact: the result does not move.
        const zi = z.map(Math.round);
        const shifted = zi.map((v) => v + shift);
        expect(Array.from(softmax(shifted))).toEqual(Array.from(softmax(zi)));
        expect(logSumExp(shifted)).toBeCloseTo(logSumExp(zi) + shift, 10);
      }),
    );
  });

  it("max <= logSumExp <= max + log k", () => {
    fc.assert(
      fc.property(rows(100, 1e300), ([k, z]) => {
        const m = Math.max(...z);
        const l = logSumExp(z);
        expect(l).toBeGreaterThanOrEqual(m);
        expect(l).toBeLessThanOrEqual(m + Math.log(k) + 4 * ulp(m + Math.log(k)));
      }),
    );
  });
});

describe("information identities", () => {
  it("crossEntropy = entropy + KL, KL >= 0 within rounding, KL(p, p) = 0, base 2 = nats / ln 2", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((k) => fc.tuple(softTarget(k), softTarget(k))),
        ([p, q]) => {
          const h = entropy(p);
          const ce = crossEntropy(p, q);
          const kl = klDivergence(p, q);
          if (Number.isFinite(ce)) expect(Math.abs(ce - (h + kl))).toBeLessThanOrEqual(1e-14 * Math.max(1, ce));
          else expect(kl).toBe(Infinity);
          expect(kl).toBeGreaterThanOrEqual(-1e-15);
          expect(klDivergence(p, p)).toBe(0);
          expect(crossEntropy(p, p)).toBe(h);
          expect(entropy(p, { base: 2 })).toBe(h / Math.LN2);
        },
      ),
    );
  });
});
