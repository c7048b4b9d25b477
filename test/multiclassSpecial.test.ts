import { describe, expect, it } from "vitest";
import {
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

const cce = categoricalCrossEntropyWithLogits;

describe("exact values and limits", () => {
  it("keeps the tiny loss of a confident row where logSumExp(z) - z_y is 0", () => {
    expect(cce([0], [50, 0], { classes: 2 })).toBe(1.9287498479639178e-22);
    expect(logSumExp([50, 0]) - 50).toBe(0);
    // A subnormal tail: 999 classes at e^-740 each; the true value 999 e^-740 = 4.184551140168e-319 rounds to
    // 4.18454e-319 (mpmath), where summing the subnormal exponentials would give 999 * Math.exp(-740) = 4.19536e-319.
    const z = new Float64Array(1000);
    z[0] = 740;
    expect(cce([0], z, { classes: 1000 })).toBe(4.18454e-319);
  });

  it("infinite logits are limits", () => {
    expect(cce([0], [Infinity, 0], { classes: 2 })).toBe(0);
    expect(cce([1], [Infinity, 0], { classes: 2 })).toBe(Infinity);
    expect(cce([0], [Infinity, Infinity, 0], { classes: 3 })).toBe(Math.LN2);
    expect(cce([2], [Infinity, Infinity, 0], { classes: 3 })).toBe(Infinity);
    // log 3 correctly rounded (0.41 ulp; Math.log(3) = 1.0986122886681096 is 0.59 ulp below).
    expect(cce([1], [-Infinity, -Infinity, -Infinity], { classes: 3 })).toBe(1.0986122886681098);
    expect(cce([0], [-Infinity, 0], { classes: 2 })).toBe(Infinity);
    expect(cce([1], [-Infinity, 0], { classes: 2 })).toBe(0);
    expect(Array.from(softmax([Infinity, Infinity, 5]))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(softmax([-Infinity, -Infinity]))).toEqual([0.5, 0.5]);
    expect(Array.from(logSoftmax([Infinity, 0]))).toEqual([-0, -Infinity]);
    expect(logSumExp([Infinity, 0])).toBe(Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([])).toBe(-Infinity);
    const { grad } = categoricalCrossEntropyWithLogitsAndGrad([1, 0], [Infinity, 0, -Infinity, 3], { classes: 2, reduction: "sum" });
    expect(Array.from(grad)).toEqual([1, -1, -1, 1]); // row 1: p = [0, 1], label 0
  });

  it("differences that overflow: logits near ±1.8e308", () => {
    const big = 1.7976931348623157e308;
    expect(cce([0], [big, -big], { classes: 2 })).toBe(0);
    expect(cce([1], [big, -big], { classes: 2 })).toBe(Infinity); // true value 3.6e308 overflows
    expect(cce([1], [1e308, -1e308], { classes: 2 })).toBe(Infinity); // 2e308
    expect(cce([1], [8e307, -8e307], { classes: 2 })).toBe(1.6e308);
    expect(Array.from(softmax([big, -big]))).toEqual([1, 0]);
    expect(logSumExp([big, big])).toBe(big); // big + log 2 rounds to big
  });

  it("reductions, weights, ignoreIndex and class weights follow PyTorch", () => {
    const logits = [1, 2, 3, 0, 0, 0, -1, 5, 2];
    const per = cce([2, 0, 1], logits, { classes: 3, reduction: "none" });
    const cw = [0.5, 2, 1];
    // PyTorch: mean = sum_i c_{y_i} L_i / sum_i c_{y_i} over the rows not ignored.
    expect(cce([2, -100, 1], logits, { classes: 3, classWeights: cw, ignoreIndex: -100 })).toBeCloseTo((1 * per[0]! + 2 * per[2]!) / 3, 15);
    expect(cce([2, 0, 1], logits, { classes: 3, reduction: "batchmean" })).toBeCloseTo((per[0]! + per[1]! + per[2]!) / 3, 15);
    const none = cce([2, -100, 1], logits, { classes: 3, ignoreIndex: -100, reduction: "none" });
    expect(Array.from(none)).toEqual([per[0], 0, per[2]]);
    // An ignored row gets a zero gradient and is not counted.
    const { grad } = categoricalCrossEntropyWithLogitsAndGrad([2, -100, 1], logits, { classes: 3, ignoreIndex: -100 });
    expect(Array.from(grad.slice(3, 6))).toEqual([0, 0, 0]);
    // All rows ignored: mean throws (PyTorch gives NaN), sum is 0.
    expect(() => cce([-100, -100], [0, 0, 0, 0], { classes: 2, ignoreIndex: -100 })).toThrow(/all 2 rows are ignored \(ignoreIndex = -100\)/);
    expect(cce([-100, -100], [0, 0, 0, 0], { classes: 2, ignoreIndex: -100, reduction: "sum" })).toBe(0);
    // Smoothing with class weights: sum_j c_j t_j (-log p_j), as PyTorch computes it.
    const a = 0.2;
    const nls = Array.from(logSoftmax([1, 2, 3])).map((v) => -v);
    const t = [a / 3, a / 3, 1 - a + a / 3];
    const want = (cw[0]! * t[0]! * nls[0]! + cw[1]! * t[1]! * nls[1]! + cw[2]! * t[2]! * nls[2]!) / cw[2]!;
    expect(cce([2], [1, 2, 3], { classes: 3, classWeights: cw, labelSmoothing: a })).toBeCloseTo(want, 15);
    // Soft labels with class weights: the mean divides by the number of rows (PyTorch divides by N).
    const soft = cce([0, 0, 1, 0, 1, 0], [1, 2, 3, 0, 0, 0], { classes: 3, classWeights: cw });
    expect(soft).toBeCloseTo((1 * per[0]! + 2 * Math.log(3)) / 2, 15);
    // A row weight of 0 silences an infinite row.
    expect(cce([1, 0], [Infinity, 0, 0, 0], { classes: 2, weights: [0, 1] })).toBe(Math.LN2);
  });

  it("the probability form: 0 log 0 = 0, Infinity unless clipped", () => {
    expect(categoricalCrossEntropy([0, 1, 0], [0, 1, 0], { classes: 3 })).toBe(0);
    expect(categoricalCrossEntropy([0], [0, 1], { classes: 2 })).toBe(Infinity);
    expect(categoricalCrossEntropy([0], [0, 1], { classes: 2, epsilon: 1e-7 })).toBe(-Math.log(1e-7));
    const { grad } = categoricalCrossEntropyAndGrad([0.5, 0.5], [0.25, 0.75], { classes: 2, reduction: "sum" });
    expect(Array.from(grad)).toEqual([-2, -0.5 / 0.75]);
    expect(categoricalCrossEntropy([1], [0.25, 0.5, 0.25], { classes: 3 })).toBe(Math.LN2);
  });

  it("focal losses: limits and confident rows", () => {
    expect(focalLoss(1, Infinity)).toBe(0);
    expect(focalLoss(1, -Infinity)).toBe(Infinity);
    expect(focalLoss(0, Infinity, { alpha: 1 })).toBe(0); // alpha_t = 0 silences an infinite loss
    expect(focalLoss(1, 40, { gamma: 1, alpha: null })).toBeCloseTo(4.248354255291589e-18 ** 2, 40);
    expect(focalLoss(1, 40, { gamma: 1, alpha: null })).toBeGreaterThan(0);
    expect(focalLoss([1, 0], [0, 0], { reduction: "none" })).toEqual(Float64Array.from([0.25 * 0.25 * Math.LN2, 0.75 * 0.25 * Math.LN2]));
    expect(categoricalFocalLoss([0], [50, 0], { classes: 2, gamma: 1 })).toBeGreaterThan(0);
  });

  it("information functions: conventions", () => {
    expect(entropy([1, 0, 0])).toBe(0);
    expect(entropy([0.25, 0.25, 0.25, 0.25], { base: 2 })).toBe(2);
    expect(crossEntropy([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(crossEntropy([0, 1], [0, 1])).toBe(0);
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
    expect(klDivergence([0, 1], [0.5, 0.5], { base: 2 })).toBe(1);
    expect(klDivergence([1, 0], [0.5, 0.5], { base: 10 })).toBe(Math.LN2 / Math.LN10);
  });
});

describe("bad input: RangeError naming the argument, row and column", () => {
  const fn = "categoricalCrossEntropyWithLogits";
  const cases: [string, () => unknown, RegExp][] = [
    ["length not a multiple", () => cce([0], [1, 2, 3], { classes: 2 }), new RegExp(`^${fn}: logits has length 3, not a multiple of classes = 2$`)],
    [
      "labels of neither length",
      () => cce([0, 1, 0], [1, 2, 3, 4], { classes: 2 }),
      /labels has length 3 but logits has 2 rows of 2 classes: expected 2 class ids or 4 target probabilities/,
    ],
    ["class id out of range", () => cce([0, 2], [1, 2, 3, 4], { classes: 2 }), /labels\[1\] \(row 1\) = 2 is not an integer class id in \[0, 2\)/],
    ["class id not an integer", () => cce([0.5], [1, 2], { classes: 2 }), /labels\[0\] \(row 0\) = 0.5 is not an integer class id/],
    ["class id NaN", () => cce([NaN], [1, 2], { classes: 2 }), /labels\[0\] \(row 0\) = NaN/],
    [
      "negative target",
      () => cce([1.5, -0.5, 0, 1], [1, 2, 3, 4], { classes: 2 }),
      /labels\[0\] \(row 0, column 0\) = 1.5 is not a probability in \[0, 1\]/,
    ],
    [
      "target row not summing to 1",
      () => cce([0.5, 0.5, 0.5, 0.4], [1, 2, 3, 4], { classes: 2 }),
      /labels row 1 \(labels\[2\.\.3\]\) sums to 0.9, not 1 \(tolerance 0.00001\)/,
    ],
    ["NaN logit", () => cce([0, 1], [1, 2, 3, NaN], { classes: 2 }), /logits\[3\] \(row 1, column 1\) = NaN is not a number/],
    ["NaN logit in an ignored row", () => cce([-1, 1], [NaN, 2, 3, 4], { classes: 2, ignoreIndex: -1 }), /logits\[0\] \(row 0, column 0\) = NaN/],
    ["classes missing", () => cce([0], [1, 2], {} as { classes: number }), /options.classes = undefined is not an integer >= 1/],
    ["classes not an integer", () => cce([0], [1, 2], { classes: 1.5 }), /options.classes = 1.5/],
    [
      "class weights of wrong length",
      () => cce([0], [1, 2], { classes: 2, classWeights: [1] }),
      /options.classWeights has length 1 but classes is 2/,
    ],
    [
      "negative class weight",
      () => cce([0], [1, 2], { classes: 2, classWeights: [1, -1] }),
      /options.classWeights\[1\] = -1 is not a finite number >= 0/,
    ],
    ["row weights of wrong length", () => cce([0], [1, 2], { classes: 2, weights: [1, 1] }), /options.weights has length 2 but there are 1 rows/],
    ["NaN row weight", () => cce([0], [1, 2], { classes: 2, weights: [NaN] }), /options.weights\[0\] = NaN/],
    ["smoothing out of range", () => cce([0], [1, 2], { classes: 2, labelSmoothing: 2 }), /options.labelSmoothing = 2 is not in \[0, 1\]/],
    ["ignoreIndex with soft labels", () => cce([1, 0], [1, 2], { classes: 2, ignoreIndex: -100 }), /ignoreIndex applies to class-id labels only/],
    ["bad reduction", () => cce([0], [1, 2], { classes: 2, reduction: "avg" as "mean" }), /options.reduction = "avg"/],
    [
      "gradOut of wrong length",
      () => categoricalCrossEntropyWithLogitsAndGrad([0], [1, 2], { classes: 2, gradOut: new Float64Array(1) }),
      /options.gradOut has length 1 but the batch has 2/,
    ],
    ["empty mean", () => cce([], [], { classes: 3 }), /the mean over a total weight of 0 is undefined/],
    [
      "probability out of range",
      () => categoricalCrossEntropy([0], [1.5, -0.5], { classes: 2 }),
      /categoricalCrossEntropy: probabilities\[0\] \(row 0, column 0\) = 1.5 is not in \[0, 1\]/,
    ],
    ["probability NaN", () => categoricalCrossEntropy([0, 1], [0.5, 0.5, 0.5, NaN], { classes: 2 }), /probabilities\[3\] \(row 1, column 1\) = NaN/],
    ["epsilon out of range", () => categoricalCrossEntropy([0], [0.5, 0.5], { classes: 2, epsilon: 0.6 }), /options.epsilon = 0.6/],
    ["softmax NaN", () => softmax([0, NaN]), /^softmax: x\[1\] = NaN is not a number$/],
    ["logSoftmax NaN in a row", () => logSoftmax([0, 1, 2, NaN], { classes: 2 }), /^logSoftmax: x\[3\] \(row 1, column 1\) = NaN is not a number$/],
    ["logSumExp classes 0", () => logSumExp([1, 2], { classes: 0 }), /^logSumExp: options.classes = 0 is not an integer >= 1$/],
    ["logSumExp rows not a multiple", () => logSumExp([0, 1, 2], { classes: 2 }), /logSumExp: x has length 3, not a multiple of classes = 2/],
    ["focal label", () => focalLoss([2], [0]), /focalLoss: labels\[0\] = 2 is not in \[0, 1\]/],
    ["focal gamma", () => focalLoss(1, 0, { gamma: -1 }), /focalLoss: options.gamma = -1/],
    ["focal alpha", () => focalLoss(1, 0, { alpha: 2 }), /focalLoss: options.alpha = 2/],
    [
      "categorical focal alpha length",
      () => categoricalFocalLoss([0], [0, 1], { classes: 2, alpha: [1, 2, 3] }),
      /options.alpha has length 3 but classes is 2/,
    ],
    ["entropy not a distribution", () => entropy([0.5, 0.6]), /entropy: p sums to 1.1, not 1/],
    ["entropy negative", () => entropy([1.5, -0.5]), /entropy: p\[0\] = 1.5 is not a probability/],
    ["KL lengths", () => klDivergence([1], [0.5, 0.5]), /klDivergence: p has length 1 but q has length 2/],
    ["KL base", () => klDivergence([1], [1], { base: 1 }), /options.base = 1/],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(message);
    });
  }

  it("wrong types are TypeErrors", () => {
    expect(() => softmax("abc" as unknown as number[])).toThrow(TypeError);
    expect(() => focalLoss(1, [0] as unknown as number)).toThrow(TypeError);
    expect(() => entropy(null as unknown as number[])).toThrow(TypeError);
  });
});
