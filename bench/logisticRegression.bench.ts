// Fit time, iterations and distance to the optimum of LogisticRegression, per solver and stopping rule, on
// real data (standardized), a generated 100,000 x 50 problem (seeded) and Fashion-MNIST's T-shirt vs shirt
// (12,000 x 784, pixels / 255, from Debian's dataset-fashion-mnist when installed; skipped with a note
// otherwise), with scikit-learn's fit times read from test/fixtures/sklearn_fits.json (measured by
// test/fixtures/generate_sklearn_fits.py on the same data; CI has no Python). Run: `npm run bench:fit`.
// Inputs are made up front.
//
// Times: the median wall time and the median CPU time of the process (process.cpuUsage) per fit; the ratio
// columns divide xent's by scikit-learn's (< 1: xent is faster). xent's default (to the optimum) is compared
// with scikit-learn at tol 1e-10, its tightest setting (which stops on SciPy's ftol, short of the optimum);
// tol 1e-4 with scikit-learn's default (the same stopping rule). The load average is printed: on a loaded
// machine wall times say little, CPU times a bit more.
//
// Threads: on data of at least 2^20 entries (n d), lbfgs also runs with one worker thread (`startFitThreads`
// from xent/threads, started once; "lbfgs 2 threads"; scikit-learn's OpenBLAS uses 2 threads here too), the
// one-thread and the two-thread fits alternating within each repeat after one untimed fit of each. Both give
// the same bits (test/fitThreads.test.ts).
//
// "distance": the largest difference of any fitted probability from the optimum's, and the objective's
// relative excess over it. The optimum is xent's default Newton fit, which test/logisticRegressionExact.test.ts
// checks against an independent Newton iteration and scikit-learn; each fit's objective is checked against it,
// so no work can be skipped unnoticed.
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { LogisticRegression, type LogisticRegressionOptions, StandardScaler, loadDataset } from "xent";
import { fitThreadsInfo, startFitThreads, stopFitThreads } from "xent/threads";
// The registered runner of the fit threads, switched off and on between the one- and two-thread fits (the
// workers keep running, as in an application that started them once).
type Internals = typeof import("../dist/core/kernels/denseBinaryPass.js");
const { denseFitRunner, setDenseFitRunner } = (await import(
  new URL("../../../dist/core/kernels/denseBinaryPass.js", import.meta.url).href
)) as Internals;

type Problem = { name: string; key: string; X: { data: Float64Array; nFeatures: number }; y: (number | string)[]; repeats: number };
interface SklearnTiming {
  defaultMs: number;
  defaultCpuMs?: number;
  defaultIterations: number;
  "tol1e-10Ms": number;
  "tol1e-10CpuMs"?: number;
  "tol1e-10Iterations": number;
}

/** SplitMix32-style seeded generator: uniform doubles in [0, 1) (reimplemented in the sklearn script). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 2 ** 32;
  };
}

/** n x d standard normal features (Box-Muller), labels drawn from a logistic model with random weights. */
function generated(n: number, d: number, seed: number): Problem {
  const u = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const w = Array.from({ length: d }, () => (normal() / Math.sqrt(d)) * 2);
  const data = new Float64Array(n * d);
  const y: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.5;
    for (let j = 0; j < d; j++) {
      const x = normal();
      data[i * d + j] = x;
      s += w[j]! * x;
    }
    y[i] = u() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return { name: `generated ${n} x ${d} (seed ${seed})`, key: `generated ${n} x ${d}`, X: { data, nFeatures: d }, y, repeats: 3 };
}

function standardized(name: "breast-cancer" | "iris" | "wine" | "digits", label: string, repeats: number): Problem {
  const ds = loadDataset(name);
  const X = new StandardScaler().fitTransform(ds.X);
  return { name: label, key: name, X, y: ds.y, repeats };
}

const FASHION = "/usr/share/datasets/fashion-mnist";

/** Fashion-MNIST's training images of T-shirt/top (0) and shirt (6) as pixels / 255, or null when not installed. */
function fashionShirts(): Problem | null {
  const images = `${FASHION}/train-images-idx3-ubyte.gz`;
  const labels = `${FASHION}/train-labels-idx1-ubyte.gz`;
  if (!existsSync(images) || !existsSync(labels)) {
    console.log(`note: ${FASHION} not found (Debian package dataset-fashion-mnist): Fashion-MNIST skipped`);
    return null;
  }
  // IDX files: a 16-byte header (magic, count, rows, cols) before the 28 x 28 pixels; 8 bytes before the labels.
  const pixels = gunzipSync(readFileSync(images));
  const classes = gunzipSync(readFileSync(labels));
  const keep: number[] = [];
  for (let i = 0; i < classes.length - 8; i++) if (classes[8 + i] === 0 || classes[8 + i] === 6) keep.push(i);
  const data = new Float64Array(keep.length * 784);
  keep.forEach((i, r) => {
    for (let j = 0; j < 784; j++) data[r * 784 + j] = pixels[16 + i * 784 + j]! / 255;
  });
  return {
    name: `Fashion-MNIST T-shirt vs shirt ${keep.length} x 784`,
    key: "fashion-mnist shirts",
    X: { data, nFeatures: 784 },
    y: keep.map((i) => classes[8 + i]!),
    repeats: 1,
  };
}

const sklearn = JSON.parse(readFileSync(new URL("../../../test/fixtures/sklearn_fits.json", import.meta.url), "utf8")) as {
  sklearn: string;
  timings: Record<string, SklearnTiming>;
  loadAverage?: [number, number];
};

const problems: Problem[] = [
  standardized("breast-cancer", "breast cancer 569 x 30", 15),
  standardized("wine", "wine 178 x 13, 3 classes", 15),
  standardized("iris", "iris 150 x 4, 3 classes", 15),
  standardized("digits", "digits 1797 x 64, 10 classes", 3),
  generated(100_000, 50, 42),
  ...[fashionShirts()].filter((p) => p !== null),
];
const settings: { label: string; options: LogisticRegressionOptions; sklearn: "default" | "tol1e-10" }[] = [
  { label: "default (to the optimum) vs sklearn tol 1e-10", options: {}, sklearn: "tol1e-10" },
  { label: "tol 1e-4 (sklearn's default)", options: { tol: 1e-4 }, sklearn: "default" },
  { label: "tol 1e-10", options: { tol: 1e-10, maxIter: 1000 }, sklearn: "tol1e-10" },
];
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

const maxProbabilityDiff = (a: Float64Array, b: Float64Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

const load = () => loadavg()[0]!.toFixed(2);
await startFitThreads({ threads: 1 });
const fitThreads = denseFitRunner()!;
setDenseFitRunner(null);
console.log(
  `node ${process.version}, ${process.platform} ${process.arch}; load average ${load()} at the start; scikit-learn ${sklearn.sklearn} times from ` +
    `test/fixtures/sklearn_fits.json (load average ${sklearn.loadAverage?.map((v) => v.toFixed(2)).join(" -> ") ?? "not recorded"} when measured)`,
);
console.log(
  "| data | setting | solver | fit time (median, wall / CPU) | iterations | converged | max |p - p*| | (f - f*) / f* | sklearn lbfgs (wall / CPU) | xent / sklearn (wall / CPU) |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const p of problems) {
  const optimum = new LogisticRegression({ solver: "newton-cg" }).fit(p.X, p.y);
  if (!optimum.converged) throw new Error(`${p.name}: the reference fit did not converge`);
  const pStar = optimum.predictProba(p.X);
  const fStar = optimum.objective;
  const sk = sklearn.timings[p.key];
  for (const s of settings) {
    const large = p.X.data.length >= 2 ** 20;
    const variants = [
      { label: "lbfgs", solver: "lbfgs" as const, threaded: false },
      ...(large ? [{ label: "lbfgs 2 threads", solver: "lbfgs" as const, threaded: true }] : []),
      { label: "newton-cg", solver: "newton-cg" as const, threaded: false },
    ] as const;
    const times = variants.map((): number[] => []);
    const cpu = variants.map((): number[] => []);
    const models: (LogisticRegression | null)[] = variants.map(() => null);
    for (let r = large ? -1 : 0; r < p.repeats; r++) {
      for (const [v, variant] of variants.entries()) {
        setDenseFitRunner(variant.threaded ? fitThreads : null);
        const passes = fitThreadsInfo().workerPasses;
        const t0 = performance.now();
        const c0 = cpuMs();
        models[v] = new LogisticRegression({ ...s.options, solver: variant.solver }).fit(p.X, p.y, { onWarning: () => {} });
        if (r >= 0) times[v]!.push(performance.now() - t0);
        if (r >= 0) cpu[v]!.push(cpuMs() - c0);
        setDenseFitRunner(null);
        if (variant.threaded && fitThreadsInfo().workerPasses === passes) throw new Error(`${p.name}: the worker thread took no part`);
      }
    }
    for (const [v, variant] of variants.entries()) {
      const solver = variant.label;
      const m = models[v]!;
      const gap = (m.objective - fStar) / fStar;
      if (!(gap >= -1e-12 && gap < 1e-2)) throw new Error(`${p.name}: objective ${m.objective} vs the optimum ${fStar}`);
      const ms = median(times[v]!);
      const cms = median(cpu[v]!);
      const skMs = sk === undefined ? undefined : s.sklearn === "default" ? sk.defaultMs : sk["tol1e-10Ms"];
      const skCpu = sk === undefined ? undefined : s.sklearn === "default" ? sk.defaultCpuMs : sk["tol1e-10CpuMs"];
      const skCell = skMs === undefined ? "-" : `${fmt(skMs)} / ${skCpu === undefined ? "-" : fmt(skCpu)} ms`;
      const ratioCell = skMs === undefined ? "-" : `${(ms / skMs).toFixed(2)} / ${skCpu === undefined ? "-" : (cms / skCpu).toFixed(2)}`;
      console.log(
        `| ${p.name} | ${s.label} | ${solver} | ${fmt(ms)} / ${fmt(cms)} ms | ${m.nIter} | ${m.converged} | ${maxProbabilityDiff(m.predictProba(p.X), pStar).toExponential(1)} | ${gap.toExponential(1)} | ${skCell} | ${ratioCell} |`,
      );
    }
  }
}
console.log(`load average ${load()} at the end`);
await stopFitThreads();
