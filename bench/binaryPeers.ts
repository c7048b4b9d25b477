/** Plain JavaScript rows of the binary cases: the textbook loop, the careful loop, and the two floors. */
import type { FloatArray } from "./random.js";

/**
 * The textbook formula: p = 1/(1 + e^-s), L = -[y log p + (1 - y) log(1 - p)], dL/ds = p - y.
 * Right on these inputs (|s| < 37); wrong beyond (log 0 for s > 37, 0 * -Infinity = NaN).
 */
export function naive(labels: FloatArray, logits: FloatArray, grad: FloatArray | null): number {
  const n = labels.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const p = 1 / (1 + Math.exp(-logits[i]!));
    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    if (grad !== null) grad[i] = (p - y) / n;
  }
  return sum / n;
}

/**
 * The careful loop: the stable form `max(s, 0) - s y + log1p(e^-|s|)` (TensorFlow's), with the gradient from
 * the same exp; Math.exp and Math.log1p, a plain sum. What a careful user writes by hand.
 */
export function careful(labels: FloatArray, logits: FloatArray, grad: FloatArray | null): number {
  const n = labels.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const s = logits[i]!;
    const e = Math.exp(-Math.abs(s));
    sum += (s > 0 ? s : 0) - s * y + Math.log1p(e);
    if (grad !== null) {
      const r = 1 / (1 + e);
      grad[i] = ((s >= 0 ? r : e * r) - y) / n;
    }
  }
  return sum / n;
}

/** Floor 1, memory: read both inputs and write one output per element (the least any loss+grad pass does). */
export function memoryFloor(labels: FloatArray, logits: FloatArray, out: FloatArray): number {
  const n = labels.length;
  for (let i = 0; i < n; i++) out[i] = labels[i]! + logits[i]!;
  return out[n - 1]!;
}

/** Floor 2, the built-ins: one Math.exp and one Math.log1p per element, summed (what the stable formula costs). */
export function mathFloor(labels: FloatArray, logits: FloatArray): number {
  const n = labels.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log1p(Math.exp(-Math.abs(logits[i]!))) + labels[i]!;
  return sum;
}
