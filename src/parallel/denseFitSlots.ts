/**
 * @internal The shared memory of one fit between the calling thread and one worker (denseFitThreads.ts,
 * denseFitWorker.ts): a control word of its own per fit (`control`, 16 bytes), and a data buffer kept by the
 * worker's handle from fit to fit (grown when too small: no new zeroed 10 MB for every fit), holding as f64:
 * theta (d + 1), the worker's parts' gradients (parts x (d + 1)) and losses (parts), the scores of its rows
 * (n), its rows of X (n x d), their labels (n) and, with weights, their loss weights (n). The worker reads the
 * data only while its fit runs; a fit's data is written after the previous fit ended (END).
 *
 * The control word goes IDLE -> RUN (the calling thread wrote theta) -> DONE (the worker wrote its results) ->
 * IDLE (the calling thread took them), or to END when the fit is over; each change an `Atomics.store` and an
 * `Atomics.notify`.
 */
export const IDLE = 0;
export const RUN = 1;
export const DONE = 2;
export const END = 3;

/** What the calling thread posts to a worker for a fit: the buffer, the worker's row count and its parts. */
export interface FitMessage {
  control: SharedArrayBuffer;
  buffer: SharedArrayBuffer;
  n: number;
  d: number;
  /** The worker's parts, as [first, end) blocks of its own rows (its rows start at a block boundary). */
  parts: { first: number; end: number }[];
  weighted: boolean;
}

export interface FitViews {
  ctrl: Int32Array;
  theta: Float64Array;
  gradients: Float64Array;
  losses: Float64Array;
  scores: Float64Array;
  x: Float64Array;
  labels: Float64Array;
  weights: Float64Array | undefined;
}

/** Bytes of a fit's shared memory. */
export function fitBytes(n: number, d: number, parts: number, weighted: boolean): number {
  return 8 * (d + 1 + parts * (d + 1) + parts + n + n * d + n + (weighted ? n : 0));
}

/** The views of a fit's shared memory. */
export function fitViews(m: FitMessage): FitViews {
  const { buffer, n, d } = m;
  const p = m.parts.length;
  let at = 0;
  const take = (length: number) => {
    const v = new Float64Array(buffer, at, length);
    at += 8 * length;
    return v;
  };
  return {
    ctrl: new Int32Array(m.control, 0, 4),
    theta: take(d + 1),
    gradients: take(p * (d + 1)),
    losses: take(p),
    scores: take(n),
    x: take(n * d),
    labels: take(n),
    weights: m.weighted ? take(n) : undefined,
  };
}
