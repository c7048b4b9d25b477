// Fit time and iterations of LogisticRegression, per solver, on real data (Breast Cancer, standardized) and
// on a generated 100,000 x 50 problem (seeded). Run: `npm run bench:fit`. Inputs are made up front; each
// fit's objective is checked against the other solver's, so no work can be skipped unnoticed.
import { performance } from "node:perf_hooks";
import { LogisticRegression, type LogisticRegressionOptions, StandardScaler, loadDataset } from "xent";

type Problem = { name: string; X: { data: Float64Array; nFeatures: number }; y: (number | string)[]; repeats: number };

/** SplitMix32-style seeded generator: uniform doubles in [0, 1). */
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
  const w = Array.from({ length: d }, () => normal() / Math.sqrt(d) * 2);
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
  return { name: `generated ${n} x ${d} (seed ${seed})`, X: { data, nFeatures: d }, y, repeats: 3 };
}

function standardized(name: "breast-cancer" | "iris" | "wine", label: string): Problem {
  const ds = loadDataset(name);
  const X = new StandardScaler().fitTransform(ds.X);
  return { name: label, X, y: ds.y, repeats: 20 };
}

const problems: Problem[] = [
  standardized("breast-cancer", "breast cancer 569 x 30 (standardized)"),
  standardized("wine", "wine 178 x 13, 3 classes (standardized)"),
  generated(100_000, 50, 42),
];
const settings: { label: string; options: LogisticRegressionOptions }[] = [
  { label: "tol 1e-4 (default)", options: {} },
  { label: "tol 1e-10", options: { tol: 1e-10, maxIter: 1000 } },
];

console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
console.log("| data | setting | solver | fit time (median) | iterations | converged | objective | accuracy |");
console.log("|---|---|---|---|---|---|---|---|");
for (const p of problems) {
  for (const s of settings) {
    const objectives: number[] = [];
    for (const solver of ["lbfgs", "newton-cg"] as const) {
      const times: number[] = [];
      let model: LogisticRegression | null = null;
      for (let r = 0; r < p.repeats; r++) {
        const t0 = performance.now();
        model = new LogisticRegression({ ...s.options, solver }).fit(p.X, p.y);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const m = model!;
      objectives.push(m.objective);
      const ms = times[Math.floor(times.length / 2)]!;
      console.log(
        `| ${p.name} | ${s.label} | ${solver} | ${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms | ${m.nIter} | ${m.converged} | ${m.objective.toPrecision(12)} | ${m.score(p.X, p.y).toFixed(4)} |`,
      );
    }
    const [a, b] = objectives as [number, number];
    if (!(Math.abs(a - b) <= 1e-3 * Math.abs(a))) throw new Error(`${p.name}: the solvers disagree: ${a} vs ${b}`);
  }
}
