import { type BatchResult, type BinaryLossOptions, prepare } from "./binaryBatch.js";
import { fail, failType } from "../common/checks.js";
import { type NumericArray } from "../common/reduction.js";

/**
 * @internal The reference path of the logit losses: the foundation's plain loop over the per-sample terms,
 * with the built-in `Math.exp` and `Math.log1p` (V8's fdlibm ports, < 1 ulp). The fast batch path
 * (`logitBatch`, own exp/log1p kernels in `fastExp.ts` and `fastLog1p.ts`) is tested against it, element by
 * element, and the benchmark times it as "xent scalar path". Not exported from the package.
 * Same options, checks and messages as `logitBatch`.
 */
export function logitBatchReference(
  fn: string,
  labels: NumericArray,
  logits: NumericArray,
  options: BinaryLossOptions,
  signLabels: boolean,
  wantLoss: boolean,
  wantGrad: boolean,
): BatchResult {
  const { n, perSample, grad, weights, posWeight, smoothing, divisor } = prepare(fn, labels, logits, "logits", options, wantLoss, wantGrad);
  const keep = 1 - smoothing;
  const half = smoothing / 2;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    let y = labels[i]!;
    if (typeof y !== "number") failType(`${fn}: labels[${i}]`, y, "is not a number");
    if (signLabels) {
      if (y !== 1 && y !== -1) fail(`${fn}: labels[${i}]`, y, "is not -1 or +1");
      y = y > 0 ? 1 : 0;
    } else if (!(y >= 0 && y <= 1)) fail(`${fn}: labels[${i}]`, y, "is not in [0, 1]");
    if (smoothing !== 0) y = y * keep + half;
    const s = logits[i]!;
    if (typeof s !== "number") failType(`${fn}: logits[${i}]`, s, "is not a number");
    if (s !== s) fail(`${fn}: logits[${i}]`, s, "is not a number");
    const w = weights === undefined ? 1 : weights[i]!;
    const e = Math.exp(-Math.abs(s));
    if (wantLoss) {
      let loss = logitLossReference(y, s, posWeight, e);
      if (w !== 1) loss = w === 0 ? 0 : w * loss;
      if (perSample !== null) perSample[i] = loss;
      else {
        const t = sum + loss;
        c += sum >= loss ? sum - t + loss : loss - t + sum;
        sum = t;
      }
    }
    if (grad !== null) {
      const g = logitGradReference(y, s, posWeight, e);
      grad[i] = w === 1 ? (divisor === 1 ? g : g / divisor) : w === 0 ? 0 : (g * w) / divisor;
    }
  }
  return { loss: perSample === null ? ((sum < Infinity ? sum + c : sum) + 0) / divisor : NaN, perSample, grad };
}

/** @internal The logit-form loss term with `Math.log1p` (see `logitLoss` in binaryTerms.ts for the derivation). */
export function logitLossReference(y: number, s: number, posWeight: number, e: number): number {
  const a = Math.log1p(e);
  const positive = posWeight * y;
  const negative = 1 - y;
  let loss = 0;
  if (positive !== 0) loss += positive * (s >= 0 ? a : a - s);
  if (negative !== 0) loss += negative * (s > 0 ? s + a : a);
  return loss;
}

/** @internal The logit-form gradient term (see `logitGrad` in binaryTerms.ts); it takes e from `Math.exp`. */
export function logitGradReference(y: number, s: number, posWeight: number, e: number): number {
  const big = 1 / (1 + e);
  const small = e * big;
  const sigmoidS = s >= 0 ? big : small;
  const sigmoidMinusS = s >= 0 ? small : big;
  if (posWeight === 1) {
    if (y === 1) return -sigmoidMinusS;
    if (y === 0) return sigmoidS;
    return s >= 0 ? 1 - y - sigmoidMinusS : sigmoidS - y;
  }
  return (1 - y) * sigmoidS - posWeight * y * sigmoidMinusS;
}
