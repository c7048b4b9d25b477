import {
  binaryCrossEntropy,
  binaryCrossEntropyGrad,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  logisticLoss,
  logisticLossGrad,
} from "../index.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { jsonFigure, renderPairs } from "./format.js";
import { UsageError } from "./usageError.js";

const lossOptions: OptionSpec[] = [
  { name: "label", type: "number", value: "Y", help: "the label: in [0, 1] (soft labels allowed), or -1/+1" },
  { name: "prob", type: "number", value: "P", help: "the predicted probability of y = 1, in [0, 1]" },
  { name: "logit", type: "number", value: "S", help: "the logit s instead (p = sigmoid(s)); any number, or ±inf" },
  { name: "json", type: "boolean", help: "print JSON" },
];

export const lossCommand: Command = {
  name: "loss",
  summary: "the loss and its gradient for one prediction",
  options: lossOptions,
  help: `xent loss --label Y (--prob P | --logit S) [--json]

The binary cross-entropy of one prediction and its gradient: with --prob, L = -[y log p + (1-y) log(1-p)]
and dL/dp; with --logit, the same loss with p = sigmoid(s) never formed, and dL/ds = sigmoid(s) - y. A label
of -1 means the {-1, +1} convention: with --logit that is the logistic loss log(1 + e^(-y s)), the same
number. Full double precision.

Options:
{{options}}

Examples:
  xent loss --label 1 --prob 0.9        # loss 0.10536051565782628, dL/dp -1.1111111111111112
  xent loss --label -1 --logit 2        # loss 2.1269280110429727, dL/ds 0.8807970779778823
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals } = parseArgs("loss", argv, lossOptions);
    if (positionals.length > 0) throw new UsageError("loss", `unexpected argument ${JSON.stringify(positionals[0])}`);
    if (typeof o.label !== "number") throw new UsageError("loss", "--label Y is required");
    if ((o.prob === undefined) === (o.logit === undefined)) throw new UsageError("loss", "give exactly one of --prob P and --logit S");
    const y = o.label;
    // Option values the loss is not defined for are bad usage (exit 2), like an option that is not a number.
    if (!((y >= 0 && y <= 1) || y === -1))
      throw new UsageError("loss", `--label ${y} is not in [0, 1] (soft labels allowed) or -1 (the {-1, +1} convention)`);
    if (typeof o.prob === "number" && !(o.prob >= 0 && o.prob <= 1)) throw new UsageError("loss", `--prob ${o.prob} is not in [0, 1]`);
    let loss: number;
    let grad: number;
    let wrt: string;
    if (typeof o.prob === "number") {
      // {-1, +1} labels: -1 is the negative class, 0 in the probability form.
      const y01 = y === -1 ? 0 : y;
      loss = binaryCrossEntropy(y01, o.prob);
      grad = binaryCrossEntropyGrad(y01, o.prob);
      wrt = "dL/dp";
    } else {
      const s = o.logit as number;
      if (y === -1) {
        loss = logisticLoss(y, s);
        grad = logisticLossGrad(y, s);
      } else {
        loss = binaryCrossEntropyWithLogits(y, s);
        grad = binaryCrossEntropyWithLogitsGrad(y, s);
      }
      wrt = "dL/ds";
    }
    const text =
      o.json === true
        ? JSON.stringify(lossJson(loss, grad, wrt === "dL/dp" ? "probability" : "logit")) + "\n"
        : renderPairs([
            ["loss", String(loss)],
            [wrt, String(grad)],
          ]) + "\n";
    await writeOut(io.stdout, text);
    return 0;
  },
};

/**
 * The JSON of `xent loss`: JSON numbers have no Infinity, so (as in `xent eval --json`) an infinite loss is
 * null with `"lossInfinite": true`, and an infinite gradient null with `"gradientInfinite": true` and its
 * sign in `"gradientSign"` (1 or -1).
 */
export function lossJson(loss: number, grad: number, wrt: "probability" | "logit"): Record<string, unknown> {
  const gradInfinite = grad === Infinity || grad === -Infinity;
  return {
    loss: jsonFigure(loss),
    lossInfinite: loss === Infinity,
    gradient: jsonFigure(grad),
    gradientInfinite: gradInfinite,
    ...(gradInfinite ? { gradientSign: Math.sign(grad) } : {}),
    with: wrt,
  };
}
