import { CompensatedSum } from "../core/numerics/compensatedSum.js";

/** One line of the progress table, as Vowpal Wabbit prints it. */
export interface ProgressLine {
  /** The weighted mean loss of every labeled example so far. */
  averageLoss: number;
  /** The weighted mean loss of the labeled examples since the previous line. */
  sinceLast: number;
  /** Examples seen (labeled or not). */
  exampleCounter: number;
  /** The sum of their importance weights. */
  exampleWeight: number;
  /** The label of the current example (0 or 1; NaN when it has none). */
  currentLabel: number;
  /** Its prediction P(y = 1), made before learning it. */
  currentPredict: number;
  /** Its number of features (the constant included). */
  currentFeatures: number;
}

/**
 * Progressive validation (Blum, Kalai & Langford 1999), as Vowpal Wabbit reports it: each example is scored
 * before the model learns it, so the running mean of those losses estimates the loss on unseen data without a
 * held-out set (in the first pass; in later passes the examples have been learned before). A line is due when
 * the example weight reaches the next print point, which starts at 1 and doubles after each line (VW's
 * default `--progress 2`): lines at weights 1, 2, 4, 8, ... The sums are compensated (Neumaier), so a
 * million examples add up to the correctly rounded mean.
 *
 * @example new ProgressiveValidation().add(Math.LN2, 1, 1, 0.5, 2)?.averageLoss // 0.6931471805599453
 */
export class ProgressiveValidation {
  private loss = new CompensatedSum();
  private weight = new CompensatedSum();
  private labeledWeight = new CompensatedSum();
  private lossSince = new CompensatedSum();
  private labeledSince = new CompensatedSum();
  private count = 0;
  private nextPrint: number;
  private lastLabel = NaN;
  private lastPredict = NaN;
  private lastFeatures = 0;

  /** `multiplier` > 1: each print point is the previous one times this (VW's `--progress`); default 2. */
  constructor(private readonly multiplier = 2) {
    if (!(multiplier > 1 && multiplier < Infinity))
      throw new RangeError(`ProgressiveValidation: multiplier = ${String(multiplier)} is not a finite number > 1`);
    this.nextPrint = 1;
  }

  /**
   * Records an example scored before learning: its loss (ignored when the label is NaN: unlabeled), importance
   * weight, label, prediction and feature count. Returns the table line when one is due, else null.
   */
  add(loss: number, importance: number, label: number, prediction: number, features: number): ProgressLine | null {
    this.count++;
    this.weight.add(importance);
    if (label === label) {
      this.loss.add(importance * loss);
      this.lossSince.add(importance * loss);
      this.labeledWeight.add(importance);
      this.labeledSince.add(importance);
    }
    this.lastLabel = label;
    this.lastPredict = prediction;
    this.lastFeatures = features;
    if (this.weight.value() < this.nextPrint) return null;
    while (this.nextPrint <= this.weight.value()) this.nextPrint *= this.multiplier;
    return this.line();
  }

  /** The current line (also for the end of a run), resetting the "since last" sums. */
  line(): ProgressLine {
    const since = this.labeledSince.value();
    const out: ProgressLine = {
      averageLoss: this.averageLoss,
      sinceLast: since > 0 ? this.lossSince.value() / since : NaN,
      exampleCounter: this.count,
      exampleWeight: this.weight.value(),
      currentLabel: this.lastLabel,
      currentPredict: this.lastPredict,
      currentFeatures: this.lastFeatures,
    };
    this.lossSince = new CompensatedSum();
    this.labeledSince = new CompensatedSum();
    return out;
  }

  /** The weighted mean loss of the labeled examples so far (NaN before any). */
  get averageLoss(): number {
    const w = this.labeledWeight.value();
    return w > 0 ? this.loss.value() / w : NaN;
  }

  /** Examples seen. */
  get examples(): number {
    return this.count;
  }

  /** The sum of their importance weights. */
  get weightSum(): number {
    return this.weight.value();
  }
}
