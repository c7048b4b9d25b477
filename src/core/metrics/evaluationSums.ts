import { CompensatedSum, compensatedSum } from "../numerics/compensatedSum.js";
import { type NumericArray } from "../common/reduction.js";
import { type JsonNumber, decodeSum, encodeSum, expectCount } from "./stateJson.js";

/** @internal The JSON form of `EvaluationSums`, part of each evaluation's state. */
export interface EvaluationSumsState {
  /** The row count (states written before it was named so have `count`, still read). */
  rows: number;
  weight: [JsonNumber, JsonNumber];
  loss: [JsonNumber, JsonNumber];
  brier: [JsonNumber, JsonNumber];
  correct: [JsonNumber, JsonNumber];
}

/**
 * @internal The running sums `BinaryEvaluation` and `MulticlassEvaluation` keep: the row count and the
 * compensated sums of the weights, the losses, the Brier terms and the weight of the correct rows, with
 * their merging, their means and their JSON form (the compensation kept).
 */
export class EvaluationSums {
  rows = 0;
  weight = new CompensatedSum();
  loss = new CompensatedSum();
  brier = new CompensatedSum();
  correct = new CompensatedSum();

  /** Adds a checked batch of `rows` rows (weights as given to `add`) and its three sums. */
  add(rows: number, weights: NumericArray | undefined, loss: number, brier: number, correct: number): void {
    this.loss.add(loss);
    this.brier.add(brier);
    this.correct.add(correct);
    this.weight.add(weights === undefined ? rows : compensatedSum(weights));
    this.rows += rows;
  }

  merge(other: EvaluationSums): void {
    this.rows += other.rows;
    this.weight.merge(other.weight);
    this.loss.merge(other.loss);
    this.brier.merge(other.brier);
    this.correct.merge(other.correct);
  }

  /** The figures: the sums divided by the total weight (null without weight). */
  means(): { rows: number; weight: number; logLoss: number | null; accuracy: number | null; brier: number | null } {
    const weight = this.weight.value();
    const mean = (s: CompensatedSum) => (weight > 0 ? s.value() / weight : null);
    return { rows: this.rows, weight, logLoss: mean(this.loss), accuracy: mean(this.correct), brier: mean(this.brier) };
  }

  toJSON(): EvaluationSumsState {
    return {
      rows: this.rows,
      weight: encodeSum(this.weight),
      loss: encodeSum(this.loss),
      brier: encodeSum(this.brier),
      correct: encodeSum(this.correct),
    };
  }

  /** Reads the sums from a state object `o` (a TypeError naming the field of `what` if malformed). */
  static fromJSON(o: Record<string, unknown>, what: string): EvaluationSums {
    const e = new EvaluationSums();
    e.rows = o.rows === undefined && o.count !== undefined ? expectCount(o.count, `${what}.count`) : expectCount(o.rows, `${what}.rows`);
    e.weight = decodeSum(o.weight, `${what}.weight`);
    e.loss = decodeSum(o.loss, `${what}.loss`);
    e.brier = decodeSum(o.brier, `${what}.brier`);
    e.correct = decodeSum(o.correct, `${what}.correct`);
    return e;
  }
}
