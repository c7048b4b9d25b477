/**
 * The input policy of the binary functions, scalar and batch: a NaN, a label outside its convention, a
 * probability outside [0, 1], a length mismatch or a bad option throws a RangeError; a value of the wrong type
 * (a number where an array belongs, a string, null or undefined where a number belongs) a TypeError. Every
 * message names the function, the argument (and the index, for arrays) and the value. Never a silent NaN.
 */
import { describe, expect, test } from "vitest";
import * as xent from "xent";

type Any = (...args: unknown[]) => unknown;
const fn = (name: string) => (xent as unknown as Record<string, Any>)[name]!;

/** Asserts that `run` throws exactly `type` with exactly `message`. */
function throwsExactly(run: () => unknown, type: typeof RangeError | typeof TypeError, message: string) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ${type.name}: ${message}`).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

describe("one-argument functions", () => {
  test.each([
    ["sigmoid", "s"],
    ["logSigmoid", "s"],
    ["softplus", "x"],
  ])("%s(NaN) names %s; a non-number is a TypeError", (name, arg) => {
    throwsExactly(() => fn(name)(NaN), RangeError, `${name}: ${arg} = NaN is not a number`);
    throwsExactly(() => fn(name)("1"), TypeError, `${name}: ${arg} = "1" is not a number`);
    throwsExactly(() => fn(name)(undefined), TypeError, `${name}: ${arg} = undefined is not a number`);
    throwsExactly(() => fn(name)(null), TypeError, `${name}: ${arg} = null is not a number`);
    expect(fn(name)(Infinity)).not.toBeNaN();
  });

  test("logit: p outside [0, 1] or NaN", () => {
    for (const p of [NaN, -0.1, 1.5, Infinity, -Infinity, -5e-324, 1 + 2 ** -52]) {
      throwsExactly(() => xent.logit(p), RangeError, `logit: p = ${p} is not in [0, 1]`);
    }
    throwsExactly(() => fn("logit")("0.5"), TypeError, 'logit: p = "0.5" is not a number');
  });
});

const PROBABILITY = ["binaryCrossEntropy", "binaryCrossEntropyGrad"];
const LOGITS = ["binaryCrossEntropyWithLogits", "binaryCrossEntropyWithLogitsGrad"];
const SIGNS = ["logisticLoss", "logisticLossGrad"];

describe("two-argument scalar functions", () => {
  test.each(PROBABILITY)("%s(y, p): y and p in [0, 1], no NaN", (name) => {
    for (const y of [2, -1, NaN, Infinity, -0.5]) throwsExactly(() => fn(name)(y, 0.5), RangeError, `${name}: y = ${y} is not in [0, 1]`);
    for (const p of [1.5, -0.1, NaN, Infinity]) throwsExactly(() => fn(name)(1, p), RangeError, `${name}: p = ${p} is not in [0, 1]`);
  });

  test.each(LOGITS)("%s(y, s): y in [0, 1], s not NaN (±Infinity allowed)", (name) => {
    for (const y of [2, -1, NaN]) throwsExactly(() => fn(name)(y, 0), RangeError, `${name}: y = ${y} is not in [0, 1]`);
    throwsExactly(() => fn(name)(1, NaN), RangeError, `${name}: s = NaN is not a number`);
    expect(fn(name)(1, -Infinity)).not.toBeNaN();
  });

  test.each(SIGNS)("%s(y, s): y is -1 or +1 (0 and 0.5 are not), s not NaN", (name) => {
    for (const y of [0, 0.5, 2, -0.5, NaN, Infinity]) {
      throwsExactly(() => fn(name)(y, 0), RangeError, `${name}: y = ${y} is not -1 or +1`);
    }
    throwsExactly(() => fn(name)(1, NaN), RangeError, `${name}: s = NaN is not a number`);
  });
});

/** Each batch function, with its argument names and valid inputs of length 3. */
const BATCH = [
  ...["binaryCrossEntropy", "binaryCrossEntropyGrad", "binaryCrossEntropyAndGrad"].map((name) => ({
    name,
    input: "probabilities",
    labels: [1, 0, 0.3],
    inputs: [0.9, 0.2, 0.5],
    label: "is not in [0, 1]",
    badLabels: [2, -1, NaN, 1.0000000000000002],
    badInputs: [
      [1.5, "is not in [0, 1]"],
      [-0.1, "is not in [0, 1]"],
      [NaN, "is not in [0, 1]"],
      [Infinity, "is not in [0, 1]"],
    ] as const,
  })),
  ...["binaryCrossEntropyWithLogits", "binaryCrossEntropyWithLogitsGrad", "binaryCrossEntropyWithLogitsAndGrad"].map((name) => ({
    name,
    input: "logits",
    labels: [1, 0, 0.3],
    inputs: [2, -1, 0],
    label: "is not in [0, 1]",
    badLabels: [2, -1, NaN],
    badInputs: [[NaN, "is not a number"]] as const,
  })),
  ...["logisticLoss", "logisticLossGrad", "logisticLossAndGrad"].map((name) => ({
    name,
    input: "logits",
    labels: [1, -1, 1],
    inputs: [2, -1, 0],
    label: "is not -1 or +1",
    badLabels: [0, 0.5, 2, NaN],
    badInputs: [[NaN, "is not a number"]] as const,
  })),
];

describe.each(BATCH)("$name on batches", ({ name, input, labels, inputs, label, badLabels, badInputs }) => {
  const f = fn(name);
  const typed = [(xs: number[]) => xs, (xs: number[]) => Float64Array.from(xs)];

  test("a bad label names its index and value: labels[1] = 2 ...", () => {
    for (const make of typed) {
      for (const y of badLabels) {
        const ys = labels.slice();
        ys[1] = y;
        throwsExactly(() => f(make(ys), make(inputs)), RangeError, `${name}: labels[1] = ${y} ${label}`);
      }
    }
    // A bad label at index 17 of a longer batch.
    const many = Array.from({ length: 20 }, (_, i) => labels[i % 3]!);
    const inputsMany = Array.from({ length: 20 }, (_, i) => inputs[i % 3]!);
    many[17] = 2;
    throwsExactly(() => f(many, inputsMany), RangeError, `${name}: labels[17] = 2 ${label}`);
  });

  test(`a bad ${input} value names its index and value`, () => {
    for (const make of typed) {
      for (const [x, rule] of badInputs) {
        const xs = inputs.slice();
        xs[2] = x;
        throwsExactly(() => f(make(labels), make(xs)), RangeError, `${name}: ${input}[2] = ${x} ${rule}`);
      }
    }
  });

  test("a length mismatch names both lengths", () => {
    throwsExactly(() => f(labels, inputs.slice(0, 2)), RangeError, `${name}: labels has length 3 but ${input} has length 2`);
    throwsExactly(() => f([], inputs), RangeError, `${name}: labels has length 0 but ${input} has length 3`);
  });

  test("bad options name the option and the value", () => {
    const bad = (options: unknown, type: typeof RangeError | typeof TypeError, message: string) =>
      throwsExactly(() => f(labels, inputs, options), type, `${name}: ${message}`);
    for (const reduction of ["avg", "MEAN", "", null, 1])
      bad({ reduction }, RangeError, `options.reduction = ${JSON.stringify(reduction)} is not "mean", "batchmean", "sum" or "none"`);
    for (const posWeight of [0, -1, Infinity, NaN]) bad({ posWeight }, RangeError, `options.posWeight = ${posWeight} is not a finite number > 0`);
    bad({ posWeight: "2" }, TypeError, 'options.posWeight = "2" is not a number');
    for (const labelSmoothing of [-0.1, 1.5, NaN]) bad({ labelSmoothing }, RangeError, `options.labelSmoothing = ${labelSmoothing} is not in [0, 1]`);
    bad({ labelSmoothing: "0.1" }, TypeError, 'options.labelSmoothing = "0.1" is not a number');
    bad({ weights: [1, 1] }, RangeError, "options.weights has length 2 but labels has length 3");
    for (const w of [-1, NaN, Infinity]) bad({ weights: [1, w, 1] }, RangeError, `weights[1] = ${w} is not a finite number >= 0`);
    bad({ weights: [1, "2", 1] }, TypeError, 'weights[1] = "2" is not a number');
    bad({ weights: 1 }, TypeError, "options.weights = 1 is not an array");
    if (name.endsWith("Grad")) {
      // (A loss-only call has no gradient and ignores gradOut.)
      bad({ gradOut: new Float64Array(2) }, RangeError, "options.gradOut has length 2 but the batch has 3 samples");
      bad({ gradOut: {} }, TypeError, "options.gradOut = {} is not an array");
    }
    bad(null, TypeError, "options = null is not an object");
    if (input === "probabilities") {
      for (const epsilon of [-0.1, 0.6, NaN]) bad({ epsilon }, RangeError, `options.epsilon = ${epsilon} is not in [0, 0.5]`);
      bad({ epsilon: "1e-7" }, TypeError, 'options.epsilon = "1e-7" is not a number');
    }
  });

  test("elements of the wrong type are a TypeError, not a coercion or a silent NaN", () => {
    for (const [x, shown] of [
      ["3", '"3"'],
      [null, "null"],
      [undefined, "undefined"],
      [true, "true"],
    ] as const) {
      const xs: unknown[] = inputs.slice();
      xs[1] = x;
      throwsExactly(() => f(labels, xs), TypeError, `${name}: ${input}[1] = ${shown} is not a number`);
      const ys: unknown[] = labels.slice();
      ys[0] = x;
      throwsExactly(() => f(ys, inputs), TypeError, `${name}: labels[0] = ${shown} is not a number`);
    }
    // A hole in a sparse array reads as undefined.
    const sparse = labels.slice();
    delete sparse[2];
    throwsExactly(() => f(sparse, inputs), TypeError, `${name}: labels[2] = undefined is not a number`);
  });

  test("a number where an array belongs is a TypeError", () => {
    const scalarForm = !name.endsWith("AndGrad");
    const kinds = input === "probabilities" ? "(y, p)" : "(y, s)";
    if (scalarForm) {
      const expected = `${name}: expected two numbers ${kinds} or two arrays (labels, ${input}), got`;
      throwsExactly(() => f(1, inputs), TypeError, `${expected} a number and an array`);
      throwsExactly(() => f(labels, 0.5), TypeError, `${expected} an array and a number`);
      throwsExactly(() => f(1, "0.5"), TypeError, `${expected} a number and a string`);
    } else {
      throwsExactly(() => f(1, 0.5), TypeError, `${name}: labels = 1 is not an array`);
      throwsExactly(() => f(labels, 0.5), TypeError, `${name}: ${input} = 0.5 is not an array`);
      throwsExactly(() => f(labels, undefined), TypeError, `${name}: ${input} = undefined is not an array`);
    }
  });

  test("a bad element after good ones throws with a gradOut too (no half-finished result is returned)", () => {
    // Element checks happen in the single pass, so the entries before the bad one may have been written.
    const gradOut = new Float64Array(3);
    const xs = inputs.slice();
    xs[2] = NaN;
    expect(() => f(labels, xs, { gradOut })).toThrow(RangeError);
  });
});
