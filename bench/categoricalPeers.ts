/** Plain JavaScript rows of the softmax cases: the textbook loop, the careful loop, and the two floors. */

/**
 * The textbook formula: p = exp(z) / sum exp(z), L = -log p_y, dL/dz = (p - onehot(y)) / rows. Right on these
 * inputs (|z| < 30: no overflow); wrong beyond (exp(710) = Infinity, NaN).
 */
export function naiveSoftmax(labels: Int32Array, logits: Float64Array, k: number, grad: Float64Array | null): number {
  const rows = labels.length;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let total = 0;
    for (let j = 0; j < k; j++) total += Math.exp(logits[o + j]!);
    const y = labels[r]!;
    sum -= Math.log(Math.exp(logits[o + y]!) / total);
    if (grad !== null) {
      for (let j = 0; j < k; j++) grad[o + j] = Math.exp(logits[o + j]!) / total / rows;
      grad[o + y] = grad[o + y]! - 1 / rows;
    }
  }
  return sum / rows;
}

/**
 * The careful loop: subtract the row maximum, `L = log sum exp(z - m) - (z_y - m)`, the gradient from the same
 * exponentials (stored in the gradient buffer on the way); Math.exp and Math.log, plain sums.
 */
export function carefulSoftmax(labels: Int32Array, logits: Float64Array, k: number, grad: Float64Array): number {
  const rows = labels.length;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, logits[o + j]!);
    let total = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[o + j]! - m);
      grad[o + j] = e;
      total += e;
    }
    const y = labels[r]!;
    sum += Math.log(total) - (logits[o + y]! - m);
    const scale = 1 / (total * rows);
    for (let j = 0; j < k; j++) grad[o + j] = grad[o + j]! * scale;
    grad[o + y] = grad[o + y]! - 1 / rows;
  }
  return sum / rows;
}

/** Floor 1, memory: read every logit and write one gradient element per logit. */
export function memoryFloorSoftmax(logits: Float64Array, out: Float64Array): number {
  const n = logits.length;
  for (let i = 0; i < n; i++) out[i] = logits[i]! * 0.5;
  return out[n - 1]!;
}

/** Floor 2, the built-ins: one Math.exp per logit and one Math.log1p per row. */
export function mathFloorSoftmax(logits: Float64Array, k: number): number {
  const n = logits.length;
  let sum = 0;
  for (let o = 0; o < n; o += k) {
    let t = 0;
    for (let j = 0; j < k; j++) t += Math.exp(-Math.abs(logits[o + j]!));
    sum += Math.log1p(t);
  }
  return sum;
}
