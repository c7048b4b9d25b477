// A probability of -0 (the text "-0" is a number in [0, 1]) in the AUC's histogram: bin 0, with +0. Its
// sign bit once made it an index past the histogram, where the row's weight was silently lost.
import { describe, expect, it } from "vitest";
import { RocAucAccumulator } from "../src/index.js";

describe("RocAucAccumulator: a probability of -0", () => {
  it("counts in the histogram as +0 does", () => {
    const labels = [1, 0, 1, 0, 0, 0];
    const withMinus = new RocAucAccumulator("probability", { maxDistinct: 2 }).add(labels, [0.9, 0.1, 0.8, 0.3, -0, 0.6]);
    const withPlus = new RocAucAccumulator("probability", { maxDistinct: 2 }).add(labels, [0.9, 0.1, 0.8, 0.3, 0, 0.6]);
    expect(withMinus.exact).toBe(false);
    expect(withMinus.toJSON()).toEqual(withPlus.toJSON());
    // 2 positives above 4 negatives, the one at -0 counted (it was lost before).
    expect(withMinus.result()!.auc).toBe(1);
    const negative = withMinus.toJSON().negative;
    expect(negative).not.toBeNull();
    expect(negative!.reduce((a, b) => a + b, 0)).toBe(4);
  });
});
