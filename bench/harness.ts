/**
 * The timing harness: warm-up, repetitions, median/min/max ns per element, ratios to xent, and the check
 * that every implementation computed the same loss as xent within its expected error (so no row times a
 * wrong answer, and no work is optimized away: each run's loss is read and compared).
 */

// The allowances of the peers (binaryCases.ts, categoricalCases.ts).
/**
 * Float32 arithmetic: each loss and gradient element is within about 1e-7 relative, so the gradients must
 * agree to 1e-6 (relative L1). The mean is another matter: tfjs sums the float32 losses in float32 and its
 * wasm backend's sum drifts (measured: 9.7e-4 relative at N = 1e6, 1.8e-2 at N = 1e7: a float32 running sum
 * of 3e6 rounds each addend of 0.3 to a multiple of 0.25); so tfjs means are held to 5e-2, which still
 * catches a wrong formula, a NaN or a zero, while the gradients are held to 1e-6.
 */
export const FLOAT32_TOLERANCE = 1e-6;
export const TFJS_LOSS_TOLERANCE = 5e-2;
/** Float64 loops without compensation: far below this. */
export const FLOAT64_TOLERANCE = 1e-9;

/** One row of a case: an implementation and what it is allowed to disagree with xent by. */
export interface Implementation {
  name: string;
  /**
   * Relative disagreement with xent's loss that this implementation's arithmetic explains (float32 peers:
   * about 1e-6), or null for a floor, whose number is not a loss.
   */
  tolerance: number | null;
  /** Relative L1 distance of the gradient from xent's that this implementation's arithmetic explains. */
  gradTolerance?: number;
  /** Runs once and returns the loss; the gradient, if any, stays in buffers the row owns. */
  run(): number;
  /** The gradient of the last run, compared with xent's when both exist. */
  grad?(): ArrayLike<number>;
  /** A slow row (tfjs-cpu: about 0.6 s per million elements) runs the minimum: 1 warm-up, 5 repetitions. */
  slow?: boolean;
  /** Called before the warm-up (tfjs: switch backend, make the input tensors). */
  setup?(): Promise<void> | void;
  /** Frees what the row allocated (tfjs tensors). */
  dispose?(): void;
}

export interface Row {
  name: string;
  medianNs: number;
  minNs: number;
  maxNs: number;
  ratio: number;
  loss: number | null;
  relativeError: number | null;
  gradRelativeError: number | null;
}

export interface CaseResult {
  name: string;
  elements: number;
  repetitions: number;
  rows: Row[];
}

export interface CaseOptions {
  name: string;
  /** Elements per run: samples for the binary losses, rows x classes for softmax. */
  elements: number;
  repetitions: number;
  warmup: number;
  /** The first implementation is xent, the reference of the ratios and of the checks. */
  implementations: Implementation[];
  log?: (line: string) => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Relative L1 distance of two gradients: sum |a - b| / sum |b|. */
function gradDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += Math.abs(a[i]! - b[i]!);
    norm += Math.abs(b[i]!);
  }
  return norm === 0 ? diff : diff / norm;
}

export class DisagreementError extends Error {}

export async function runCase(options: CaseOptions): Promise<CaseResult> {
  const { name, elements, repetitions, warmup, implementations } = options;
  const log = options.log ?? (() => {});
  const timings: number[][] = [];
  const losses: number[] = [];
  let reference: ArrayLike<number> | undefined;
  for (const impl of implementations) {
    let loss = NaN;
    await impl.setup?.();
    const reps = impl.slow ? Math.min(repetitions, 5) : repetitions;
    for (let i = 0; i < (impl.slow ? Math.min(warmup, 1) : warmup); i++) loss = impl.run();
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = process.hrtime.bigint();
      loss = impl.run();
      const t1 = process.hrtime.bigint();
      times.push(Number(t1 - t0) / elements);
    }
    timings.push(times);
    losses.push(loss);
    if (impl === implementations[0] && impl.grad) reference = Float64Array.from(impl.grad());
    log(`  ${impl.name}: ${median(times).toFixed(2)} ns/element`);
    if (impl.grad && reference && impl !== implementations[0]) {
      const d = gradDistance(impl.grad(), reference);
      (impl as { gradError?: number }).gradError = d;
    }
    impl.dispose?.();
  }
  const xentMedian = median(timings[0]!);
  const xentLoss = losses[0]!;
  const rows: Row[] = implementations.map((impl, k) => {
    const times = timings[k]!;
    const loss = impl.tolerance === null ? null : losses[k]!;
    const relativeError = loss === null ? null : Math.abs(loss - xentLoss) / Math.abs(xentLoss);
    const gradError = (impl as { gradError?: number }).gradError;
    return {
      name: impl.name,
      medianNs: median(times),
      minNs: Math.min(...times),
      maxNs: Math.max(...times),
      ratio: median(times) / xentMedian,
      loss,
      relativeError,
      gradRelativeError: gradError ?? null,
    };
  });
  const wrong = implementations.filter((impl, k) => {
    const row = rows[k]!;
    if (impl.tolerance === null) return false;
    const lossBad = !(row.relativeError! <= impl.tolerance);
    const gradBad = row.gradRelativeError !== null && !(row.gradRelativeError <= (impl.gradTolerance ?? impl.tolerance));
    return lossBad || gradBad;
  });
  const result = { name, elements, repetitions, rows };
  if (wrong.length > 0) {
    const lines = wrong.map((impl) => {
      const row = rows.find((r) => r.name === impl.name)!;
      return `${impl.name}: loss ${row.loss} vs xent ${xentLoss} (relative ${row.relativeError?.toExponential(2)}, allowed ${impl.tolerance}), gradient relative L1 ${row.gradRelativeError?.toExponential(2) ?? "-"} (allowed ${impl.gradTolerance ?? impl.tolerance})`;
    });
    console.log(formatTable(result));
    throw new DisagreementError(`${name}: disagreement with xent beyond the expected error:\n  ${lines.join("\n  ")}`);
  }
  return result;
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

/** A fixed-width table: one row per implementation, fastest first, xent marked. */
export function formatTable(result: CaseResult): string {
  const header = ["implementation", "median ns/el", "min", "max", "x xent", "loss", "rel. diff", "grad diff"];
  const body = [...result.rows]
    .sort((a, b) => a.medianNs - b.medianNs)
    .map((r) => [
      r.name,
      r.medianNs.toFixed(2),
      r.minNs.toFixed(2),
      r.maxNs.toFixed(2),
      r.ratio.toFixed(2),
      r.loss === null ? "(floor)" : r.loss.toPrecision(12),
      r.relativeError === null ? "" : r.relativeError.toExponential(1),
      r.gradRelativeError === null ? "" : r.gradRelativeError.toExponential(1),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => pad(c, widths[i]!, i > 0 && i < 5)).join(" | ") + " |";
  const sep = "|" + widths.map((w, i) => (i > 0 && i < 5 ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|";
  return [
    `### ${result.name} (${result.elements.toLocaleString("en-US")} elements, ${result.repetitions} repetitions; tfjs-cpu 5)`,
    "",
    line(header),
    sep,
    ...body.map(line),
    "",
  ].join("\n");
}
