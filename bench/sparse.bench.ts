// Sparse logistic regression against liblinear: xent's TRON fit (LogisticRegression on CSR X, solver
// "tron", no intercept, liblinear's objective 0.5 ||w||^2 + C sum log(1 + exp(-y w.x))) vs `liblinear-train -s 0`
// (Debian's liblinear-tools 2.3.0), on heart_scale and the seeded rcv1-shaped 20,000 x 47,000 problem
// (test/fixtures/sparse/rcv1Like.ts, written to a temporary libsvm file). Run: `npm run bench:sparse`.
//
// Both sides are timed in CPU time (user + system), alternating within this one run, median of the repeats:
// liblinear-train's (reading the file and training), and liblinear-train's with -e 1e9, which stops at TRON's
// first test (reading, setup and one value and gradient at w = 0), so that the difference estimates its
// optimization (less one gradient);
// xent's in-process: reading the file (loadLibsvm) and fitting (from the CSR arrays to the model, including
// its checks and the copy into WebAssembly memory). Without liblinear-train on the PATH, the times recorded in
// test/fixtures/liblinear_fits.json (by generate_liblinear_fits.py) are shown instead.
// Each fit's objective is checked against liblinear's (mpmath at its weights), so no work can be skipped.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LogisticRegression } from "xent";
import { loadLibsvm } from "../src/io/libsvmReader.js";
import { libsvmLines, rcv1Like } from "../test/fixtures/sparse/rcv1Like.js";

interface LiblinearCase {
  name: string;
  C: number;
  objective: number;
  trainCpuSeconds: number;
  predictCpuSeconds: number;
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/liblinear_fits.json", import.meta.url), "utf8")) as {
  liblinear: string;
  loadAverage: number;
  cases: LiblinearCase[];
};

const repeats = process.argv.includes("--quick") ? 3 : 7;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

/**
 * Runs a command and returns its CPU time in ms (user + system), or null when it fails: measured by python3's
 * getrusage (microseconds), else by /usr/bin/time (10 ms steps: too coarse for heart_scale).
 */
const RUSAGE =
  "import resource, subprocess, sys\n" +
  "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n" +
  "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n" +
  "print('XENT_TIME', u.ru_utime, u.ru_stime)\n" +
  "sys.exit(r.returncode)";
const python = spawnSync("python3", ["-c", "print(1)"]).status === 0;
function childCpuMs(command: string, args: string[]): number | null {
  const run = python
    ? spawnSync("python3", ["-c", RUSAGE, command, ...args], { encoding: "utf8" })
    : spawnSync("/usr/bin/time", ["-f", "XENT_TIME %U %S", command, ...args], { encoding: "utf8" });
  if (run.status !== 0) return null;
  const m = /XENT_TIME ([\d.e-]+) ([\d.e-]+)/.exec(python ? run.stdout : run.stderr);
  return m === null ? null : (Number(m[1]) + Number(m[2])) * 1000;
}

const haveLiblinear = spawnSync("liblinear-train", ["-q"]).error === undefined;
const dir = mkdtempSync(path.join(tmpdir(), "xent-sparse-bench-"));
const heart = fileFromUrl(new URL("../../../test/fixtures/sparse/heart_scale", import.meta.url));
const rcv1 = path.join(dir, "rcv1like.svm");
writeFileSync(rcv1, [...libsvmLines(rcv1Like())].join(""));

function fileFromUrl(u: URL): string {
  return decodeURIComponent(u.pathname);
}

const cases = [
  { file: heart, fixtureName: "heart_scale", label: "heart_scale 270 x 13", C: 1 },
  { file: heart, fixtureName: "heart_scale", label: "heart_scale 270 x 13", C: 10 },
  { file: rcv1, fixtureName: "rcv1-like 20000 x 47000 (seed 13)", label: "rcv1-like 20,000 x 47,000 (1.39M nonzeros)", C: 1 },
  { file: rcv1, fixtureName: "rcv1-like 20000 x 47000 (seed 13)", label: "rcv1-like 20,000 x 47,000 (1.39M nonzeros)", C: 10 },
];

console.log(
  `node ${process.version}, ${process.platform} ${process.arch}; load average ${(await import("node:os")).loadavg()[0]!.toFixed(2)}; ` +
    (haveLiblinear
      ? "liblinear measured in this run"
      : `liblinear-train not found: its times from test/fixtures/liblinear_fits.json (${fixture.liblinear}, load ${fixture.loadAverage.toFixed(2)})`),
);
console.log(
  "| data | C | liblinear train (CPU) | liblinear train -e 1e9 (≈ its reading) | xent read | xent fit | xent read + fit | xent / liblinear (whole) | xent fit / liblinear (train - train -e 1e9) | iterations | (f - f_liblinear) / f |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
try {
  for (const c of cases) {
    const ref = fixture.cases.find((x) => x.name === c.fixtureName && x.C === c.C);
    if (ref === undefined) throw new Error(`no liblinear fixture for ${c.fixtureName} C = ${c.C}`);
    const model = path.join(dir, "model");
    const lt: number[] = [];
    const lp: number[] = [];
    const xr: number[] = [];
    const xf: number[] = [];
    let fitted: LogisticRegression | null = null;
    for (let r = 0; r < repeats; r++) {
      if (haveLiblinear) {
        const t = childCpuMs("liblinear-train", ["-q", "-s", "0", "-c", String(c.C), "-e", "1e-10", c.file, model]);
        // -e 1e9: TRON stops at its first test, after one value and gradient at w = 0: reading and setup.
        const p = childCpuMs("liblinear-train", ["-q", "-s", "0", "-c", String(c.C), "-e", "1e9", c.file, model]);
        if (t === null || p === null) throw new Error("liblinear-train or liblinear-predict failed");
        lt.push(t);
        lp.push(p);
      }
      const t0 = cpuMs();
      const data = await loadLibsvm(c.file);
      const t1 = cpuMs();
      fitted = new LogisticRegression({ C: c.C, fitIntercept: false, solver: "tron" }).fit(data.X, Array.from(data.y));
      const t2 = cpuMs();
      xr.push(t1 - t0);
      xf.push(t2 - t1);
    }
    const m = fitted!;
    const gap = (m.objective - ref.objective) / ref.objective;
    if (!m.converged || !(Math.abs(gap) < 1e-8)) throw new Error(`${c.label} C = ${c.C}: objective ${m.objective} vs liblinear's ${ref.objective}`);
    const train = haveLiblinear ? median(lt) : ref.trainCpuSeconds * 1000;
    // (The fixture records liblinear-predict's time instead: reading and one product, about the same.)
    const predict = haveLiblinear ? median(lp) : ref.predictCpuSeconds * 1000;
    const read = median(xr);
    const fit = median(xf);
    const optimize = train - predict;
    // On heart_scale liblinear's time is its process start (loading the program and its libraries), not its
    // work: no ratio is shown there (its row checks the objective).
    const timed = optimize > 20;
    console.log(
      `| ${c.label} | ${c.C} | ${fmt(train)} ms | ${fmt(predict)} ms | ${fmt(read)} ms | ${fmt(fit)} ms | ${fmt(read + fit)} ms | ${timed ? ((read + fit) / train).toFixed(2) : "-"} | ${timed ? (fit / optimize).toFixed(2) : "-"} | ${m.nIter} | ${gap.toExponential(1)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
