/**
 * xent/threads' fit workers (src/parallel/denseFitThreads.ts): a dense binary LogisticRegression fit whose passes
 * over X are split among the calling thread and 1, 2 or 3 workers gives the same bits as on one thread, with
 * the WebAssembly kernel on or off (core/kernels/denseBinaryPass.ts: the parts are summed from zero and added in
 * part order, whoever runs them). Like test/threads.test.ts it runs on the built package (dist/), since a worker
 * thread loads a built file, and the workers must share the calling module's registry.
 */
import { afterAll, describe, expect, test } from "vitest";
import { LogisticRegression, type LogisticRegressionOptions } from "../dist/index.js";
import { setDenseWasmEnabled } from "../dist/core/kernels/denseProducts.js";
import { fitThreadsInfo, startFitThreads, stopFitThreads } from "../dist/parallel/binaryThreads.js";
import { rng } from "./rng.js";

afterAll(async () => {
  setDenseWasmEnabled(true);
  await stopFitThreads();
});

/** n x d features with a common offset and mixed scales (so the fit takes a while), labels from a logistic model. */
function problem(n: number, d: number, seed: number): { X: { data: Float64Array; nFeatures: number }; y: number[]; w: number[] } {
  const r = rng(seed);
  const data = new Float64Array(n * d);
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = -0.5;
    for (let j = 0; j < d; j++) {
      const x = 2 + (r() - 0.5) * (1 + (j % 5));
      data[i * d + j] = x;
      s += ((j % 3) - 1) * 0.3 * x;
    }
    y.push(r() < 1 / (1 + Math.exp(-s)) ? 1 : 0);
    w.push(0.5 + r());
  }
  return { X: { data, nFeatures: d }, y, w };
}

interface Outcome {
  coef: number[];
  intercept: number[];
  objective: number;
  nIter: number;
  converged: boolean;
}

function fit(p: ReturnType<typeof problem>, options: LogisticRegressionOptions, weighted: boolean): Outcome {
  const m = new LogisticRegression(options).fit(p.X, p.y, { sampleWeight: weighted ? p.w : undefined, onWarning: () => {} });
  return { coef: m.coef[0]!, intercept: m.intercept, objective: m.objective, nIter: m.nIter, converged: m.converged };
}

/** Bit for bit: Object.is on every number (also tells -0 from 0). */
function expectSameBits(a: Outcome, b: Outcome): void {
  expect(b.nIter).toBe(a.nIter);
  expect(b.converged).toBe(a.converged);
  expect(Object.is(a.objective, b.objective)).toBe(true);
  expect(b.coef.every((v, j) => Object.is(v, a.coef[j]))).toBe(true);
  expect(b.intercept.every((v, j) => Object.is(v, a.intercept[j]))).toBe(true);
}

// 24,000 x 48 = 1,152,000 entries: above the 2^20 from which a pass is cut into 12 parts.
const p = problem(24_000, 48, 7);
const cases: { name: string; options: LogisticRegressionOptions; weighted: boolean }[] = [
  { name: "tol 1e-6 (preconditioned L-BFGS)", options: { tol: 1e-6 }, weighted: false },
  { name: "tol 1e-5, sample and class weights, no intercept", options: { tol: 1e-5, classWeight: "balanced", fitIntercept: false }, weighted: true },
  { name: "the default fit (L-BFGS, then Newton polishing on the calling thread)", options: {}, weighted: false },
  { name: "L1 (OWL-QN), tol 1e-4", options: { penalty: "l1", tol: 1e-4, C: 0.01 }, weighted: false },
];

describe("fit threads: the same bits on 1, 2, 3 and 4 threads, with WebAssembly on and off", () => {
  for (const c of cases) {
    test(
      c.name,
      async () => {
        await stopFitThreads();
        setDenseWasmEnabled(true);
        const one = fit(p, c.options, c.weighted);
        setDenseWasmEnabled(false);
        expectSameBits(one, fit(p, c.options, c.weighted));
        for (const threads of [1, 2, 3]) {
          await startFitThreads({ threads });
          for (const wasm of [true, false]) {
            setDenseWasmEnabled(wasm); // the calling thread's parts; the workers use the kernel
            const before = fitThreadsInfo().workerPasses;
            expectSameBits(one, fit(p, c.options, c.weighted));
            expect(fitThreadsInfo().workerPasses).toBeGreaterThan(before);
          }
        }
        setDenseWasmEnabled(true);
        await stopFitThreads();
      },
      120_000,
    );
  }

  test("small fits (under 2^20 entries) and multinomial fits stay on the calling thread", async () => {
    await startFitThreads({ threads: 1 });
    const small = problem(2000, 20, 3);
    const before = fitThreadsInfo().workerPasses;
    new LogisticRegression({ tol: 1e-6 }).fit(small.X, small.y);
    expect(fitThreadsInfo().workerPasses).toBe(before);
    await stopFitThreads();
    expect(fitThreadsInfo().threads).toBe(0);
  });

  test("checks its options", async () => {
    await expect(startFitThreads({ threads: 0 })).rejects.toThrow("startFitThreads: options.threads = 0 is not an integer >= 1");
    await expect(startFitThreads({ thread: 2 } as never)).rejects.toThrow(/unknown option "thread"/);
  });
});
