/**
 * TensorFlow.js peers: the CPU backend (plain JavaScript) and the WebAssembly backend (SIMD build),
 * both float32 only. The .wasm files load offline from node_modules via setWasmPaths.
 * Timings include reading the loss (and the gradient) back into JavaScript, as a training loop must;
 * they exclude making the input tensors, which is done once up front.
 */
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export { tf };

let wasmReady: Promise<boolean> | undefined;

/** Points the wasm backend at its files in node_modules (no network) and checks it starts. */
export function initWasm(): Promise<boolean> {
  if (wasmReady) return wasmReady;
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
  setWasmPaths(dist);
  wasmReady = tf.setBackend("wasm").then(
    (ok) => ok,
    (error: unknown) => {
      console.error(`tfjs wasm backend failed to start: ${String(error)}`);
      return false;
    },
  );
  return wasmReady;
}

export type Backend = "cpu" | "wasm";

export async function useBackend(backend: Backend): Promise<boolean> {
  if (backend === "wasm" && !(await initWasm())) return false;
  const ok = await tf.setBackend(backend);
  await tf.ready();
  return ok && tf.getBackend() === backend;
}
