// Type tests of the multi-class API: checked by `npm run typecheck` (tsc over test/), run as no-ops by vitest.
import { describe, expectTypeOf, it } from "vitest";
import {
  type GradientBuffer,
  type LossAndGrad,
  type Reduction,
  categoricalCrossEntropy,
  categoricalCrossEntropyAndGrad,
  categoricalCrossEntropyWithLogits,
  categoricalCrossEntropyWithLogitsAndGrad,
  categoricalFocalLoss,
  entropy,
  focalLoss,
  klDivergence,
  logSoftmax,
  logSumExp,
  softmax,
} from "xent";

describe("types", () => {
  it("reduction decides number or Float64Array", () => {
    expectTypeOf(categoricalCrossEntropyWithLogits([0], [1, 2], { classes: 2 })).toEqualTypeOf<number>();
    expectTypeOf(categoricalCrossEntropyWithLogits([0], [1, 2], { classes: 2, reduction: "none" })).toEqualTypeOf<Float64Array>();
    const r = "sum" as Reduction;
    expectTypeOf(categoricalCrossEntropyWithLogits([0], [1, 2], { classes: 2, reduction: r })).toEqualTypeOf<number | Float64Array>();
    expectTypeOf(categoricalCrossEntropy([0], new Float32Array([0.5, 0.5]), { classes: 2 })).toEqualTypeOf<number>();
    expectTypeOf(categoricalFocalLoss([0], [1, 2], { classes: 2, reduction: "none" })).toEqualTypeOf<Float64Array>();
    expectTypeOf(focalLoss(1, 0)).toEqualTypeOf<number>();
    expectTypeOf(focalLoss([1], [0], { reduction: "none" })).toEqualTypeOf<Float64Array>();
  });

  it("loss-and-gradient results", () => {
    expectTypeOf(categoricalCrossEntropyWithLogitsAndGrad([0], [1, 2], { classes: 2 })).toEqualTypeOf<LossAndGrad<number>>();
    expectTypeOf(categoricalCrossEntropyWithLogitsAndGrad([0], [1, 2], { classes: 2, reduction: "none" }).grad).toEqualTypeOf<GradientBuffer>();
    expectTypeOf(categoricalCrossEntropyAndGrad([0], [0.5, 0.5], { classes: 2, reduction: "none" })).toEqualTypeOf<LossAndGrad<Float64Array>>();
  });

  it("vector and row forms", () => {
    expectTypeOf(logSumExp([1, 2])).toEqualTypeOf<number>();
    expectTypeOf(logSumExp([1, 2], { classes: 2 })).toEqualTypeOf<Float64Array>();
    expectTypeOf(softmax([1, 2])).toEqualTypeOf<Float64Array>();
    expectTypeOf(logSoftmax(new Float32Array(2), { classes: 2 })).toEqualTypeOf<Float64Array>();
    expectTypeOf(entropy([1], { base: 2 })).toEqualTypeOf<number>();
    expectTypeOf(klDivergence([1], [1])).toEqualTypeOf<number>();
  });

  it("classes is required", () => {
    // Never called: only its type is checked.
    const call = () =>
      // @ts-expect-error: options.classes is required
      categoricalCrossEntropyWithLogits([0], [1, 2], {});
    expectTypeOf(call).toBeFunction();
  });
});
