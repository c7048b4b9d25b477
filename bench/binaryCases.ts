/** The binary cross-entropy with logits cases: loss only (mean) and loss+gradient, Float32Array and Float64Array. */
import { binaryCrossEntropyWithLogits, binaryCrossEntropyWithLogitsAndGrad } from "../src/index.js";
import { logitBatchReference } from "../src/core/binary/binaryBatchReference.js";
import { setBinaryWasmEnabled } from "../src/core/kernels/binaryWasm.js";
import { binaryThreadsInfo, setBinaryThreadsMinSamples, startBinaryThreads } from "../src/parallel/binaryThreads.js";
import { careful, mathFloor, memoryFloor, naive } from "./binaryPeers.js";
import { FLOAT32_TOLERANCE, FLOAT64_TOLERANCE, type Implementation, TFJS_LOSS_TOLERANCE } from "./harness.js";
import type { FloatArray, FloatArrayConstructor } from "./random.js";
import { type Backend, tf, useBackend } from "./tfjs.js";

function tfjsRow(backend: Backend, labels: FloatArray, logits: FloatArray, withGrad: boolean): Implementation {
  let y: ReturnType<typeof tf.tensor1d> | undefined;
  let s: ReturnType<typeof tf.tensor1d> | undefined;
  let lastGrad: Float32Array | undefined;
  const valueAndGrad = tf.valueAndGrad((x: ReturnType<typeof tf.tensor1d>) => tf.losses.sigmoidCrossEntropy(y!, x));
  return {
    name: `tfjs-${backend}`,
    slow: backend === "cpu",
    tolerance: TFJS_LOSS_TOLERANCE,
    gradTolerance: FLOAT32_TOLERANCE,
    async setup() {
      if (!(await useBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
      // tfjs is float32 only: Float64Array inputs are rounded to float32 here, once, outside the timing.
      y = tf.tensor1d(Float32Array.from(labels), "float32");
      s = tf.tensor1d(Float32Array.from(logits), "float32");
    },
    run() {
      if (!withGrad) {
        const loss = tf.losses.sigmoidCrossEntropy(y!, s!);
        const value = loss.dataSync()[0]!;
        loss.dispose();
        return value;
      }
      const { value, grad } = valueAndGrad(s!);
      lastGrad = grad.dataSync() as Float32Array;
      const v = value.dataSync()[0]!;
      value.dispose();
      grad.dispose();
      return v;
    },
    ...(withGrad ? { grad: () => lastGrad! } : {}),
    dispose() {
      y?.dispose();
      s?.dispose();
    },
  };
}

export function binaryImplementations(
  Type: FloatArrayConstructor,
  labels: FloatArray,
  logits: FloatArray,
  withGrad: boolean,
  backends: Backend[],
): Implementation[] {
  const n = labels.length;
  const gradOut = new Type(n);
  const scratch = new Type(n);
  const peerGrad = new Type(n);
  const rows: Implementation[] = [
    withGrad
      ? {
          name: "xent",
          tolerance: 0,
          run: () => binaryCrossEntropyWithLogitsAndGrad(labels, logits, { gradOut }).loss,
          grad: () => gradOut,
        }
      : { name: "xent", tolerance: 0, run: () => binaryCrossEntropyWithLogits(labels, logits) },
    ...(withGrad
      ? [
          {
            // The same call with xent/threads started (one worker besides the calling thread): batches are
            // split between the two threads, with the same bits (the README's "Worker threads").
            name: "xent, 2 threads (xent/threads)",
            tolerance: 0,
            async setup() {
              if (binaryThreadsInfo() === null) await startBinaryThreads({ threads: 1, minSamples: Infinity });
            },
            run: () => {
              setBinaryThreadsMinSamples(0);
              try {
                return binaryCrossEntropyWithLogitsAndGrad(labels, logits, { gradOut: peerGrad }).loss;
              } finally {
                setBinaryThreadsMinSamples(Infinity);
              }
            },
            grad: () => peerGrad,
          },
        ]
      : []),
    {
      // The same library call with the WebAssembly kernel switched off: the JavaScript loop with the same
      // exp/log1p kernels (the fallback where WebAssembly is unavailable). Bit for bit the same results.
      name: "xent, JS loop (no wasm)",
      tolerance: 0,
      run: () => {
        setBinaryWasmEnabled(false);
        try {
          return withGrad
            ? binaryCrossEntropyWithLogitsAndGrad(labels, logits, { gradOut: peerGrad }).loss
            : binaryCrossEntropyWithLogits(labels, logits);
        } finally {
          setBinaryWasmEnabled(true);
        }
      },
      ...(withGrad ? { grad: () => peerGrad } : {}),
    },
    {
      name: "xent reference loop (Math.exp/log1p)",
      // The reference loop (Math.exp/Math.log1p) agrees to a few ulps per element.
      tolerance: 1e-14,
      run: () => logitBatchReference("bench", labels, logits, withGrad ? { gradOut: peerGrad } : {}, false, true, withGrad).loss as number,
      ...(withGrad ? { grad: () => peerGrad } : {}),
    },
    ...backends.map((b) => tfjsRow(b, labels, logits, withGrad)),
    {
      name: "naive JS",
      tolerance: Type === Float32Array ? FLOAT32_TOLERANCE : FLOAT64_TOLERANCE,
      run: () => naive(labels, logits, withGrad ? peerGrad : null),
      ...(withGrad ? { grad: () => peerGrad } : {}),
    },
    {
      name: "careful JS (Math.exp/log1p)",
      tolerance: Type === Float32Array ? FLOAT32_TOLERANCE : FLOAT64_TOLERANCE,
      run: () => careful(labels, logits, withGrad ? peerGrad : null),
      ...(withGrad ? { grad: () => peerGrad } : {}),
    },
    { name: "floor: memory (read 2, write 1)", tolerance: null, run: () => memoryFloor(labels, logits, scratch) },
    { name: "floor: Math.exp + Math.log1p", tolerance: null, run: () => mathFloor(labels, logits) },
  ];
  return rows;
}
