// Sparse multinomial logistic regression against scikit-learn 1.2: xent's fit of the seeded sparse
// multi-class set (test/fixtures/sparse/sparseMulticlass.ts: 2,000 x 5,000, 4 classes, 1% density; L2, C = 1, to
// the optimum by default) vs sklearn's `LogisticRegression(multi_class="multinomial", solver="lbfgs", tol=1e-10)`
// on the same data as a scipy.sparse CSR matrix (read from a temporary libsvm file), and at sklearn's default
// tol 1e-4 both sides (xent with `tol: 1e-4`, the same rule). Run: `npm run bench:sparse-multiclass`
// (`-- --quick` for 3 repeats).
//
// CPU time (user + system) of the fit alone, alternating within this one run, median of the repeats: xent's
// in-process (from the CSR arrays to the model, checks and the copy into WebAssembly memory included); sklearn's
// by time.process_time() around `fit` in a python3 child that stays up between repeats (/usr/bin/python3 with
// scikit-learn; without it, only xent's times are shown). Each fit's objective is printed, so no work is skipped.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { LogisticRegression } from "xent";
import { multiclassLibsvmLines, sparseMulticlass } from "../test/fixtures/sparse/sparseMulticlass.js";

const repeats = process.argv.includes("--quick") ? 3 : 7;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const SKLEARN = `
import sys, time, warnings
import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression
X, y = load_svmlight_file(sys.argv[1], n_features=int(sys.argv[2]), zero_based=False)
print("ready", flush=True)
for line in sys.stdin:
    tol = float(line)
    m = LogisticRegression(multi_class="multinomial", solver="lbfgs", tol=tol, max_iter=100000)
    t = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(X, y)
    s = time.process_time() - t
    Z = X @ m.coef_.T + m.intercept_
    Z -= Z.max(axis=1, keepdims=True)
    lp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    f = 0.5 * np.sum(m.coef_ ** 2) - lp[np.arange(len(y)), y.astype(int)].sum()
    print(s * 1000, f, int(m.n_iter_[0]), flush=True)
`;

async function main(): Promise<void> {
  const p = sparseMulticlass();
  const X = { indptr: p.indptr, indices: p.indices, data: p.data, nFeatures: p.nFeatures };
  const y = Array.from(p.y);
  const dir = mkdtempSync(path.join(tmpdir(), "xent-bench-"));
  const file = path.join(dir, "multi.svm");
  writeFileSync(file, [...multiclassLibsvmLines(p)].join(""));
  const child = spawn("/usr/bin/python3", ["-c", SKLEARN, file, String(p.nFeatures)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let sklearn = true;
  try {
    const first = await lines.next();
    sklearn = first.value === "ready";
  } catch {
    sklearn = false;
  }
  const ask = async (tol: number): Promise<[number, number, number]> => {
    child.stdin.write(`${tol}\n`);
    const r = await lines.next();
    const [ms, f, it] = String(r.value).split(" ").map(Number);
    return [ms!, f!, it!];
  };
  console.log(`seeded set: ${p.indptr.length - 1} x ${p.nFeatures}, ${p.data.length} nonzeros, 4 classes; load average ${loadavg()[0]!.toFixed(2)}`);
  for (const [label, tol, skTol] of [
    ["to the optimum (xent's default) vs sklearn tol 1e-10", null, 1e-10],
    ["tol 1e-4 (sklearn's default rule) both", 1e-4, 1e-4],
  ] as const) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let f = 0;
    let g = 0;
    let iterations = "";
    for (let r = 0; r < repeats; r++) {
      const t = cpuMs();
      const m = new LogisticRegression({ tol }).fit(X, y);
      ours.push(cpuMs() - t);
      f = m.objective;
      iterations = `${m.nIter}`;
      if (sklearn) {
        const [ms, fs, it] = await ask(skTol);
        theirs.push(ms);
        g = fs;
        iterations += ` / sklearn ${it}`;
      }
    }
    const a = median(ours);
    const line = sklearn
      ? `xent ${a.toFixed(0)} ms, sklearn ${median(theirs).toFixed(0)} ms (ratio ${(a / median(theirs)).toFixed(2)}); objective ${f} / ${g}; iterations ${iterations}`
      : `xent ${a.toFixed(0)} ms (sklearn not available); objective ${f}`;
    console.log(`${label}: ${line}`);
  }
  child.stdin.end();
  rmSync(dir, { recursive: true, force: true });
}

await main();
