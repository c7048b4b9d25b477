// The categorical cases of allocations.test.ts, measured in a plain Node process (node --expose-gc) on the
// built package (dist/, which `npm test` builds first): the code users run. Inside vitest the sources go
// through its module transform, whose cross-module accessors change what V8 inlines in these passes.
// Usage: node --expose-gc allocations.child.mjs <logits|probabilities> <rows> <k> <reduction> <wasm|js>
//    or: node --expose-gc allocations.child.mjs binary <bce|logistic> <wasm|js>   (256 samples, mean)
//    or: node --expose-gc allocations.child.mjs binary-chunks    (2 CHUNK + 3 samples: several kernel chunks)
//    or: node --expose-gc allocations.child.mjs binary-no-out    (gradOut without out: the result object per call)
// Prints JSON: { bytes, loss, expectedLoss, gradSame, outReturned } (the last two modes: { bytes, loss }).
import v8 from "node:v8";
import * as xent from "../dist/index.js";
import { CHUNK, setBinaryWasmEnabled } from "../dist/core/kernels/binaryWasm.js";
import { setSoftmaxWasmEnabled } from "../dist/core/kernels/softmaxWasm.js";

const args = process.argv.slice(2);

const used = () => v8.getHeapSpaceStatistics().reduce((sum, space) => sum + space.space_used_size, 0);
function bytesPerCall(run, calls = 1000, warmup = 10_000) {
  let least = Infinity;
  for (let round = 0; round < 6; round++) {
    run(warmup);
    globalThis.gc();
    const before = used();
    run(calls);
    const after = used();
    if (after >= before) least = Math.min(least, (after - before) / calls);
  }
  return least;
}

/** Runs `andGrad(labels, inputs, options)` with `gradOut` and `out`, and prints the measurement. */
function measure(andGrad, labels, inputs, options, gradOut) {
  const out = { loss: 0, grad: gradOut };
  const withOut = { ...options, gradOut, out };
  const expected = andGrad(labels, inputs, options);
  const run = (calls) => {
    let sum = -0; // -0: a 0 would make V8 box the sum (see binaryBatch.ts)
    for (let i = 0; i < calls; i++) sum += andGrad(labels, inputs, withOut).loss;
    return sum;
  };
  const bytes = bytesPerCall(run);
  const returned = andGrad(labels, inputs, withOut);
  console.log(
    JSON.stringify({
      bytes,
      loss: out.loss,
      expectedLoss: expected.loss,
      gradSame: out.grad === gradOut && gradOut.every((g, i) => Object.is(g, expected.grad[i])),
      outReturned: returned === out,
    }),
  );
}

/** BCE with logits over `n` samples (labels 1 or 0 by thirds, logits over [-16, 16)), `gradOut` given: the bytes per call. */
function measureBinary(n, withOut, calls, warmup) {
  const y = new Float64Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 0 ? 1 : 0;
    s[i] = ((i % 512) - 256) / 16;
  }
  const gradOut = new Float64Array(n);
  const options = withOut ? { gradOut, out: { loss: 0, grad: gradOut } } : { gradOut };
  const run = (count) => {
    let sum = -0;
    for (let i = 0; i < count; i++) sum += xent.binaryCrossEntropyWithLogitsAndGrad(y, s, options).loss;
    return sum;
  };
  const bytes = bytesPerCall(run, calls, warmup);
  console.log(JSON.stringify({ bytes, loss: xent.binaryCrossEntropyWithLogitsAndGrad(y, s, options).loss }));
}

if (args[0] === "binary-chunks") {
  // The kernel copies a large batch in chunks through views of the caller's arrays (binaryWasm.ts), made once per
  // array and kept: the same buffers each call allocate nothing.
  measureBinary(2 * CHUNK + 3, true, 200, 200);
} else if (args[0] === "binary-no-out") {
  measureBinary(256, false, 1000, 10_000);
} else if (args[0] === "binary") {
  // The binary losses' one-pass loss and gradient: labels 1, 0 and 0.3 (logisticLoss: +1, -1), logits over [-16, 16).
  const [, loss, mode] = args;
  setBinaryWasmEnabled(mode !== "js");
  const n = 256;
  const labels = new Float64Array(n);
  const logits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.3;
    logits[i] = (i - 128) / 8;
  }
  if (loss === "bce") measure(xent.binaryCrossEntropyWithLogitsAndGrad, labels, logits, {}, new Float64Array(n));
  else
    measure(
      xent.logisticLossAndGrad,
      labels.map((y) => (y > 0.5 ? 1 : -1)),
      logits,
      {},
      new Float64Array(n),
    );
} else {
  const [form, rowsArg, kArg, reduction, mode] = args;
  const rows = Number(rowsArg);
  const k = Number(kArg);
  setSoftmaxWasmEnabled(mode !== "js");
  // Class ids, logits spread over a few units, row weights in [0.5, 1.25] (a sum that is not an integer).
  const classIds = new Float64Array(rows);
  const inputs = new Float64Array(rows * k);
  const weights = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    classIds[i] = (i * 7) % k;
    weights[i] = 0.5 + (i % 7) / 8;
    for (let j = 0; j < k; j++) inputs[i * k + j] = form === "logits" ? (((i * 31 + j * 17) % 23) - 11) / 4 : 0.5 / k;
    if (form !== "logits") inputs[i * k + classIds[i]] += 0.5;
  }
  const andGrad = form === "logits" ? xent.categoricalCrossEntropyWithLogitsAndGrad : xent.categoricalCrossEntropyAndGrad;
  measure(andGrad, classIds, inputs, { classes: k, reduction, weights }, new Float64Array(rows * k));
}
