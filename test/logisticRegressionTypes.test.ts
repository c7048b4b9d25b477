// Type tests of the logistic-regression API: checked by `npm run typecheck` (tsc over test/), run as no-ops by vitest.
import { describe, expectTypeOf, it } from "vitest";
import {
  type Dataset,
  type DenseMatrix,
  type Label,
  type LogisticRegressionJSON,
  type OptimizeResult,
  LogisticRegression,
  StandardScaler,
  lbfgs,
  loadDataset,
  parseCsvDataset,
} from "xent";

describe("types", () => {
  it("the model's inputs and outputs", () => {
    const m = new LogisticRegression({ C: 2, solver: "newton-cg" });
    expectTypeOf(m.fit([[1], [2]], [0, 1])).toEqualTypeOf<LogisticRegression>();
    expectTypeOf(m.fit({ data: new Float64Array(2), nFeatures: 1 }, ["a", "b"])).toEqualTypeOf<LogisticRegression>();
    expectTypeOf(m.predict([[1]])).toEqualTypeOf<Label[]>();
    expectTypeOf(m.predictProba([[1]])).toEqualTypeOf<Float64Array>();
    expectTypeOf(m.decisionFunction(new Float64Array(1))).toEqualTypeOf<Float64Array>();
    expectTypeOf(m.coef).toEqualTypeOf<number[][]>();
    expectTypeOf(m.toJSON()).toEqualTypeOf<LogisticRegressionJSON>();
    expectTypeOf(LogisticRegression.fromJSON).parameter(0).toEqualTypeOf<unknown>();
    // @ts-expect-error: an unknown solver is a type error too (and a RangeError at run time)
    expectTypeOf(() => new LogisticRegression({ solver: "sag" })).toBeFunction();
  });

  it("the scaler returns the form it was given", () => {
    const s = new StandardScaler();
    expectTypeOf(s.fitTransform([[1, 2]])).toEqualTypeOf<number[][]>();
    expectTypeOf(s.transform({ data: [1, 2], nFeatures: 2 })).toEqualTypeOf<DenseMatrix & { data: Float64Array }>();
    expectTypeOf(s.transform(new Float64Array(2))).toEqualTypeOf<Float64Array>();
  });

  it("data sets and optimizers", () => {
    expectTypeOf(loadDataset).parameter(0).toEqualTypeOf<"breast-cancer" | "iris" | "wine" | "digits">();
    expectTypeOf(parseCsvDataset("a,y\n1,0")).toEqualTypeOf<Dataset>();
    expectTypeOf(lbfgs).returns.toEqualTypeOf<OptimizeResult>();
  });
});
