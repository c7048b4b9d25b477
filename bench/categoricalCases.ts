/** The softmax cross-entropy cases: integer labels, loss+gradient, rows x classes. */
import { categoricalCrossEntropyWithLogitsAndGrad } from "../src/index.js";
import { carefulSoftmax, mathFloorSoftmax, memoryFloorSoftmax, naiveSoftmax } from "./categoricalPeers.js";
import { FLOAT32_TOLERANCE, FLOAT64_TOLERANCE, type Implementation, TFJS_LOSS_TOLERANCE } from "./harness.js";
import { type Backend, tf, useBackend } from "./tfjs.js";

function tfjsRow(backend: Backend, labels: Int32Array, logits: Float64Array, k: number): Implementation {
  const rows = labels.length;
  let onehot: ReturnType<typeof tf.tensor2d> | undefined;
  let z: ReturnType<typeof tf.tensor2d> | undefined;
  let lastGrad: Float32Array | undefined;
  const valueAndGrad = tf.valueAndGrad((x: ReturnType<typeof tf.tensor2d>) => tf.losses.softmaxCrossEntropy(onehot!, x));
  return {
    name: `tfjs-${backend}`,
    slow: backend === "cpu",
    tolerance: TFJS_LOSS_TOLERANCE,
    gradTolerance: FLOAT32_TOLERANCE,
    async setup() {
      if (!(await useBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
      const hot = new Float32Array(rows * k);
      for (let r = 0; r < rows; r++) hot[r * k + labels[r]!] = 1;
      onehot = tf.tensor2d(hot, [rows, k]);
      z = tf.tensor2d(Float32Array.from(logits), [rows, k]);
    },
    run() {
      const { value, grad } = valueAndGrad(z!);
      lastGrad = grad.dataSync() as Float32Array;
      const v = value.dataSync()[0]!;
      value.dispose();
      grad.dispose();
      return v;
    },
    grad: () => lastGrad!,
    dispose() {
      onehot?.dispose();
      z?.dispose();
    },
  };
}

export function categoricalImplementations(labels: Int32Array, logits: Float64Array, k: number, backends: Backend[]): Implementation[] {
  const gradOut = new Float64Array(logits.length);
  const peerGrad = new Float64Array(logits.length);
  const scratch = new Float64Array(logits.length);
  const options = { classes: k, gradOut };
  return [
    {
      name: "xent",
      tolerance: 0,
      run: () => categoricalCrossEntropyWithLogitsAndGrad(labels, logits, options).loss,
      grad: () => gradOut,
    },
    ...backends.map((b) => tfjsRow(b, labels, logits, k)),
    { name: "naive JS", tolerance: FLOAT64_TOLERANCE, run: () => naiveSoftmax(labels, logits, k, peerGrad), grad: () => peerGrad },
    {
      name: "careful JS (Math.exp/log)",
      tolerance: FLOAT64_TOLERANCE,
      run: () => carefulSoftmax(labels, logits, k, peerGrad),
      grad: () => peerGrad,
    },
    { name: "floor: memory (read 1, write 1)", tolerance: null, run: () => memoryFloorSoftmax(logits, scratch) },
    { name: "floor: Math.exp per logit", tolerance: null, run: () => mathFloorSoftmax(logits, k) },
  ];
}
