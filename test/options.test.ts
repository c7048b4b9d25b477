/**
 * Unknown options (a misspelling, or an option of another function) throw a RangeError that names the option
 * and lists the allowed ones, instead of being silently ignored (src/core/common/checks.ts, checkOptions).
 */
import { describe, expect, test } from "vitest";
import * as xent from "xent";

const unknown = (fn: string, key: string) => new RegExp(`^${fn}: unknown option "${key}" \\(allowed: `);

describe("unknown options", () => {
  test("a misspelled option of a binary loss names it and the allowed ones", () => {
    expect(() => xent.binaryCrossEntropy([1, 0], [0.9, 0.2], { weight: [1, 100] } as never)).toThrow(
      new RangeError('binaryCrossEntropy: unknown option "weight" (allowed: reduction, weights, posWeight, labelSmoothing, epsilon, gradOut, out)'),
    );
    expect(() => xent.binaryCrossEntropyAndGrad([1, 0], [0.9, 0.2], { reductoin: "sum" } as never)).toThrow(RangeError);
  });

  test("an option of another form is rejected: epsilon by the logit forms", () => {
    for (const f of [xent.binaryCrossEntropyWithLogits, xent.binaryCrossEntropyWithLogitsGrad, xent.binaryCrossEntropyWithLogitsAndGrad]) {
      expect(() => f([1, 0], [2, -1], { epsilon: 1e-7 } as never)).toThrow(
        /unknown option "epsilon" \(allowed: reduction, weights, posWeight, labelSmoothing, gradOut, out\)$/,
      );
    }
    expect(() => xent.logisticLoss([1, -1], [2, -1], { epsilon: 1e-7 } as never)).toThrow(unknown("logisticLoss", "epsilon"));
    expect(() => xent.sigmoidSquaredError([1, 0], [2, -1], { posWeight: 2 } as never)).toThrow(unknown("sigmoidSquaredError", "posWeight"));
    expect(() => xent.focalLoss([1, 0], [2, -1], { posWeight: 2 } as never)).toThrow(unknown("focalLoss", "posWeight"));
    expect(() => xent.focalLoss(1, 2, { gama: 2 } as never)).toThrow(unknown("focalLoss", "gama"));
    expect(() => xent.categoricalCrossEntropyWithLogits([0], [1, 2], { classes: 2, epsilon: 0.1 } as never)).toThrow(
      unknown("categoricalCrossEntropyWithLogits", "epsilon"),
    );
    expect(() => xent.categoricalFocalLoss([0], [1, 2], { classes: 2, classWeights: [1, 2] } as never)).toThrow(
      unknown("categoricalFocalLoss", "classWeights"),
    );
    expect(() => xent.categoricalCrossEntropy([0], [0.5, 0.5], { classes: 2, gamma: 2 } as never)).toThrow(
      unknown("categoricalCrossEntropy", "gamma"),
    );
  });

  test("metrics, information measures and row functions check their options", () => {
    expect(() => xent.brierScore([1], [0.5], { threshold: 0.3 } as never)).toThrow(unknown("brierScore", "threshold"));
    expect(() => xent.accuracy([1], [0.5], { treshold: 0.3 } as never)).toThrow(unknown("accuracy", "treshold"));
    expect(() => xent.categoricalAccuracy([0], [0.5, 0.5], { classes: 2, threshold: 1 } as never)).toThrow(
      unknown("categoricalAccuracy", "threshold"),
    );
    expect(() => xent.rocAuc([0, 1], [0.2, 0.8], { weight: [1, 1] } as never)).toThrow(unknown("rocAuc", "weight"));
    expect(() => new xent.BinaryEvaluation("probability", { maxdistinct: 5 } as never)).toThrow(unknown("BinaryEvaluation", "maxdistinct"));
    expect(() => xent.entropy([0.5, 0.5], { bas: 2 } as never)).toThrow(unknown("entropy", "bas"));
    expect(() => xent.klDivergence([0.5, 0.5], [0.5, 0.5], { base: 2, reduction: "sum" } as never)).toThrow(unknown("klDivergence", "reduction"));
    expect(() => xent.softmax([1, 2], { class: 2 } as never)).toThrow(unknown("softmax", "class"));
    expect(() => xent.logSumExp([1, 2], { axis: 0 } as never)).toThrow(unknown("logSumExp", "axis"));
  });

  test("the model classes and optimizers check their options", () => {
    expect(() => new xent.LogisticRegression({ c: 1 } as never)).toThrow(
      new RangeError(
        'LogisticRegression: unknown option "c" (allowed: C, penalty, l1Ratio, fitIntercept, solver, tol, maxIter, classWeight, warmStart)',
      ),
    );
    expect(() => new xent.LogisticRegression().fit([[0], [1]], [0, 1], { sampleWeights: [1, 1] } as never)).toThrow(
      unknown("LogisticRegression.fit", "sampleWeights"),
    );
    expect(() => new xent.StandardScaler({ withMeans: false } as never)).toThrow(unknown("StandardScaler", "withMeans"));
    expect(() => new xent.GradientDescentRace([[0], [1]], [0, 1], { loss: "crossEntropy", lr: 0.1 } as never)).toThrow(
      unknown("GradientDescentRace", "lr"),
    );
    const objective = { dimension: 1, valueAndGradient: (x: Float64Array, g: Float64Array) => ((g[0] = 2 * x[0]!), x[0]! ** 2) };
    expect(() => xent.parseCsvDataset("a,b\n1,0\n", { targetColumn: "b" } as never)).toThrow(unknown("parseCsvDataset", "targetColumn"));
    expect(() => xent.lbfgs(objective as never, new Float64Array([1]), { tol: 1e-6 } as never)).toThrow(unknown("lbfgs", "tol"));
  });

  test("known options with undefined values and empty option objects are accepted", () => {
    expect(xent.binaryCrossEntropy([1, 0], [0.9, 0.2], { weights: undefined, reduction: undefined })).toBeCloseTo(0.164252033486018, 14);
    expect(xent.binaryCrossEntropy([1, 0], [0.9, 0.2], {})).toBeCloseTo(0.164252033486018, 14);
  });
});

describe("one number and one array", () => {
  test("every scalar-or-batch function words the TypeError the same way", () => {
    expect(() => xent.focalLoss(1, [0.5] as never)).toThrow(
      new TypeError("focalLoss: expected two numbers (y, s) or two arrays (labels, logits), got a number and an array"),
    );
    expect(() => xent.focalLoss("1" as never, 0.5)).toThrow(
      new TypeError("focalLoss: expected two numbers (y, s) or two arrays (labels, logits), got a string and a number"),
    );
    expect(() => xent.sigmoidSquaredError(1, [0.5] as never)).toThrow(
      new TypeError("sigmoidSquaredError: expected two numbers (y, s) or two arrays (labels, logits), got a number and an array"),
    );
  });
});
