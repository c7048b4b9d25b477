/**
 * Zero allocations per loss-and-gradient call when the caller passes the gradient buffer (`gradOut`) and
 * the result object (`out`), measured with V8's heap statistics.
 *
 * ## The measurement
 * V8 allocates in the young generation by bumping a pointer, so the bytes in use grow by exactly what was
 * allocated until a garbage collection runs. Every case runs in a plain Node process on the built package
 * (allocations.child.mjs, `childRun` below), which warms the function up (10,000 calls, so that V8's
 * optimizing compiler has compiled it: the interpreter boxes every double it handles), forces a full
 * collection, reads the used size of every heap space, makes 1,000 calls, and reads it again; six rounds,
 * the least counts (a round in which a collection ran, so that the used size shrank, is skipped). What the measurement itself
 * allocates (the statistics objects, about 2 KB) is below the bound: 1,000 calls that allocate even one
 * 16-byte heap number each would add 16,000 bytes.
 *
 * Without `out` every call returns a new `{ loss, grad }` (measured: 72 bytes, the object and the boxed
 * loss); without `gradOut` it allocates the gradient, as documented.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/**
 * The binary one-pass loss and gradient, WebAssembly kernel and JavaScript loop, measured in a plain Node process
 * on the built package (allocations.child.mjs), as the categorical cases below: inside vitest the JavaScript loop
 * measured 66 bytes per call in some runs (also on a quiet machine), the cost of its module transform's accessors,
 * not of the code users run.
 */
describe("binary, gradOut and out", () => {
  test.each([
    ["binaryCrossEntropyWithLogitsAndGrad", "bce", "wasm"],
    ["logisticLossAndGrad", "logistic", "wasm"],
    ["binaryCrossEntropyWithLogitsAndGrad", "bce", "js"],
    ["logisticLossAndGrad", "logistic", "js"],
  ] as const)("%s, %s, %s: 0 bytes per call", (_, loss, mode) => {
    const r = childRun(["binary", loss, mode]);
    expect(r.bytes).toBeLessThan(4);
    expect(r.loss).toBeGreaterThan(0);
    expect(r.outReturned).toBe(true);
    expect(r.gradSame).toBe(true);
    expect(r.loss).toBe(r.expectedLoss);
  });
});

/**
 * Runs allocations.child.mjs with these arguments, twice, and reads its JSON: the larger of the two byte counts.
 * Once as Node runs by default, once with `--no-concurrent-recompilation`: V8's optimizing compiler then runs
 * on the main thread, which gives the order of compilations seen on a loaded machine (where the compiler thread
 * is late). In that order V8 once kept a helper taking four doubles out of the binary loop, boxing them:
 * 64 bytes per call, which CI met and a quiet machine never showed.
 */
function childRun(args: string[]) {
  const child = fileURLToPath(new URL("./allocations.child.mjs", import.meta.url));
  const runs = [[], ["--no-concurrent-recompilation"]].map((flags) => {
    const stdout = execFileSync(process.execPath, ["--expose-gc", ...flags, child, ...args], { encoding: "utf8" });
    return JSON.parse(stdout) as { bytes: number; loss: number; expectedLoss: number; gradSame: boolean; outReturned: boolean };
  });
  return { ...runs[0]!, bytes: Math.max(runs[0]!.bytes, runs[1]!.bytes) };
}

test("a batch of several kernel chunks, the same buffers each call: 0 bytes per call", () => {
  // The kernel copies a large batch in chunks through views of the caller's arrays (binaryWasm.ts), made once
  // per array and kept: a training loop that reuses its buffers allocates nothing. (One view per chunk and
  // call would be about 3 x 3 x 100 bytes per call here.)
  const r = childRun(["binary-chunks"]);
  expect(r.bytes).toBeLessThan(16);
  expect(r.loss).toBeGreaterThan(0);
});

test("without out, each call allocates its result object (and nothing per sample)", () => {
  const r = childRun(["binary-no-out"]);
  expect(r.bytes).toBeGreaterThan(16);
  expect(r.bytes).toBeLessThan(200);
});

/**
 * The categorical loss-and-gradient functions with class ids, `gradOut` and `out`: measured the same way,
 * but in a plain Node process on the built package (allocations.child.mjs; `npm test` builds dist/ first).
 * Inside vitest these passes go through its module transform, whose cross-module accessors change what V8
 * inlines there (measured: about 66 bytes per call on the kernel path, none in plain Node), so the
 * in-process number would not be the one users get.
 */
function childBytes(form: "logits" | "probabilities", rows: number, k: number, reduction: string, mode: "wasm" | "js") {
  return childRun([form, String(rows), String(k), reduction, mode]);
}

describe("categorical, class ids, row weights, gradOut and out", () => {
  test.each([
    ["logits", 256, 10, "mean", "wasm"],
    ["logits", 256, 10, "sum", "wasm"],
    ["logits", 64, 100, "mean", "wasm"],
    ["logits", 64, 100, "sum", "wasm"],
    ["logits", 64, 100, "mean", "js"],
    ["logits", 256, 10, "mean", "js"], // rows whose softmax tail exceeds 1: log1p beyond 1 (log1pNonNegative)
    ["logits", 256, 10, "sum", "js"],
    ["probabilities", 256, 10, "mean", "js"],
    ["probabilities", 64, 100, "sum", "js"],
  ] as const)("%s [%i x %i], reduction %s, %s: 0 bytes per call", (form, rows, k, reduction, mode) => {
    const r = childBytes(form, rows, k, reduction, mode);
    expect(r.bytes).toBeLessThan(4);
    // out is the answer, bit for bit the result without out.
    expect(r.outReturned).toBe(true);
    expect(r.gradSame).toBe(true);
    expect(r.loss).toBe(r.expectedLoss);
  });
});
