// `xent calibrate`, and `xent predict/eval --calibration`, in process.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PlattScoreCounts, fitPlattScaling, fitTemperatureScaling } from "../src/index.js";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const iris = join(import.meta.dirname, "..", "data", "iris.csv");

// Binary: a score 3x too confident and shifted, labels from the true logit t.
const r = rng(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const binary = Array.from({ length: 800 }, () => {
  const t = 1.5 * normal();
  const y = r() < 1 / (1 + Math.exp(-t)) ? 1 : 0;
  return { y, s: 3 * t + 1, w: 1 + Math.floor(r() * 3) };
});
const binaryCsv = tmp.file("b.csv", "y,s,w\n" + binary.map((x) => `${x.y},${x.s},${x.w}`).join("\n") + "\n");
// Multi-class: 3 classes, logits 2.5x too confident.
const multi = Array.from({ length: 600 }, () => {
  const c = [normal(), normal(), normal()];
  const e = c.map(Math.exp);
  const u = r() * (e[0]! + e[1]! + e[2]!);
  const y = u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
  return { y: "abc"[y]!, id: y, z: c.map((v) => 2.5 * v) };
});
const multiCsv = tmp.file("m.csv", "y,z_a,z_b,z_c\n" + multi.map((x) => `${x.y},${x.z.join(",")}`).join("\n") + "\n");

const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;

describe("xent calibrate", () => {
  it("Platt: the library's fit on the file's rows, weighted; eval --calibration reports the calibrated log loss and says so", async () => {
    const out = join(tmp.dir, "platt.json");
    const run = await xentInProcess(["calibrate", binaryCsv, "--label", "y", "--logit", "s", "--weight", "w", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^xent calibrate: Platt scaling: a = 0\.3\d+, b = -0\.\d+ .*; \d+ Newton iterations\n$/);
    const c = json(out);
    const counts = new PlattScoreCounts();
    for (const x of binary) counts.add(x.y, x.s, x.w);
    const fit = fitPlattScaling(counts.data());
    expect(c).toMatchObject({ type: "xent.Calibration", version: 1, method: "platt", a: fit.a, b: fit.b, plattTargets: false });
    expect(c.fit).toMatchObject({ rows: 800, converged: true, iterations: fit.iterations });
    const ev = await xentInProcess(["eval", binaryCsv, "--label", "y", "--logit", "s", "--weight", "w", "--calibration", out, "--json"]);
    expect(ev.code).toBe(0);
    const e = JSON.parse(ev.stdout) as Record<string, any>;
    expect(e.recalibration.description).toMatch(/^calibrated by .*platt\.json: Platt scaling, p = sigmoid\(0\.3\d+ s - 0\.\d+\)$/);
    // The calibration-error figures of the calibrated scores keep their key.
    expect(e.calibration).toMatchObject({ ece: expect.any(Number), mce: expect.any(Number), rms: expect.any(Number) });
    expect(Math.abs(e.logLoss - c.fit.logLossAfter)).toBeLessThan(1e-15);
    expect(c.fit.logLossAfter).toBeLessThan(c.fit.logLossBefore);
    const text = await xentInProcess(["eval", binaryCsv, "--label", "y", "--logit", "s", "--calibration", out]);
    expect(text.stdout).toMatch(/^calibrated by .*: Platt scaling/);
  });

  it("--prob with --delimiter and --no-header; --platt-targets; --state-out and --merge give the whole file's fit", async () => {
    const sig = (s: number) => 1 / (1 + Math.exp(-s));
    const semi = tmp.file("semi.csv", binary.map((x) => `${x.y};${sig(x.s)}`).join("\n") + "\n");
    const run = await xentInProcess(["calibrate", semi, "--label", "1", "--prob", "2", "--delimiter", ";", "--no-header", "--platt-targets"]);
    expect(run.code).toBe(0);
    const c = JSON.parse(run.stdout) as Record<string, any>;
    expect(c.plattTargets).toBe(true);
    expect(Math.abs(c.a - 0.33)).toBeLessThan(0.1);
    const half = binary.length / 2;
    const part = (name: string, rows: typeof binary) => tmp.file(name, "y,s\n" + rows.map((x) => `${x.y},${x.s}`).join("\n") + "\n");
    const p1 = part("p1.csv", binary.slice(0, half));
    const p2 = part("p2.csv", binary.slice(half));
    const whole = await xentInProcess(["calibrate", p1, p2, "--label", "y", "--logit", "s"]);
    for (const [p, s] of [
      [p1, "s1.json"],
      [p2, "s2.json"],
    ] as const) {
      expect((await xentInProcess(["calibrate", p, "--label", "y", "--logit", "s", "--state-out", join(tmp.dir, s)])).code).toBe(0);
    }
    const merged = await xentInProcess(["calibrate", "--merge", join(tmp.dir, "s1.json"), join(tmp.dir, "s2.json")]);
    expect(merged.code).toBe(0);
    const [w, m] = [JSON.parse(whole.stdout), JSON.parse(merged.stdout)] as Record<string, any>[];
    expect(Math.abs(m!.a - w!.a)).toBeLessThan(1e-14);
    expect(Math.abs(m!.b - w!.b)).toBeLessThan(1e-14);
    expect(m!.fit.rows).toBe(800);
  });

  it("temperature: the library's fit; eval --calibration gives the calibrated log loss", async () => {
    const out = join(tmp.dir, "t.json");
    const run = await xentInProcess(["calibrate", multiCsv, "--label", "y", "--logits", "z_", "--out", out]);
    expect(run.code).toBe(0);
    const c = json(out);
    const fit = fitTemperatureScaling(
      multi.map((x) => x.id),
      multi.flatMap((x) => x.z),
      { classes: 3 },
    );
    expect(c).toMatchObject({ method: "temperature", temperature: fit.temperature, classes: 3 });
    expect(Math.abs(c.temperature - 2.5)).toBeLessThan(0.5);
    const ev = await xentInProcess(["eval", multiCsv, "--label", "y", "--logits", "z_", "--calibration", out, "--json"]);
    expect(ev.code).toBe(0);
    expect(Math.abs(JSON.parse(ev.stdout).logLoss - c.fit.logLossAfter)).toBeLessThan(1e-15);
  });

  it("round trip train -> predict -> calibrate -> predict --calibration -> eval (iris, 3 classes; and binary)", async () => {
    const model = join(tmp.dir, "iris.json");
    expect((await xentInProcess(["train", iris, "--label", "species", "--out", model])).code).toBe(0);
    const scored = tmp.file("iris-scored.csv", (await xentInProcess(["predict", model, iris])).stdout);
    const cal = join(tmp.dir, "iris-t.json");
    const run = await xentInProcess(["calibrate", scored, "--label", "species", "--probs", "p_", "--out", cal]);
    expect(run.code).toBe(0);
    const c = json(cal);
    const again = await xentInProcess(["predict", model, iris, "--calibration", cal]);
    expect(again.code).toBe(0);
    const calibrated = tmp.file("iris-cal.csv", again.stdout);
    const ev = await xentInProcess(["eval", calibrated, "--label", "species", "--probs", "p_", "--json"]);
    expect(ev.code).toBe(0);
    // Probabilities printed and read back vs logits: equal to about 1e-12.
    expect(Math.abs(JSON.parse(ev.stdout).logLoss - c.fit.logLossAfter)).toBeLessThan(1e-9);
    expect(c.fit.logLossAfter).toBeLessThanOrEqual(c.fit.logLossBefore);
    // A Platt calibration does not fit a 3-class model.
    const wrong = await xentInProcess(["predict", model, iris, "--calibration", join(tmp.dir, "platt.json")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Platt scaling is for a binary model; this model has 3 classes/);
    // Binary: a model trained on a few rows, Platt-calibrated on its own predictions of the others.
    const rows = binary.map((x, i) => `${x.s / 3 + Math.sin(i)},${x.y}`);
    const trainCsv = tmp.file("btrain.csv", "x,y\n" + rows.slice(0, 100).join("\n") + "\n");
    const heldCsv = tmp.file("bheld.csv", "x,y\n" + rows.slice(100).join("\n") + "\n");
    const bmodel = join(tmp.dir, "b-model.json");
    expect((await xentInProcess(["train", trainCsv, "--label", "y", "--out", bmodel])).code).toBe(0);
    const bscored = tmp.file("bscored.csv", (await xentInProcess(["predict", bmodel, heldCsv])).stdout);
    const bcal = join(tmp.dir, "b-cal.json");
    expect((await xentInProcess(["calibrate", bscored, "--label", "y", "--prob", "p_1", "--out", bcal])).code).toBe(0);
    const bagain = tmp.file("bagain.csv", (await xentInProcess(["predict", bmodel, heldCsv, "--calibration", bcal])).stdout);
    const bev = await xentInProcess(["eval", bagain, "--label", "y", "--prob", "p_1", "--json"]);
    expect(bev.code).toBe(0);
    expect(Math.abs(JSON.parse(bev.stdout).logLoss - json(bcal).fit.logLossAfter)).toBeLessThan(1e-9);
  });

  it("bad input and usage are named", async () => {
    const bad = tmp.file("bad.json", '{"type": "xent.Calibration", "version": 1, "method": "isotonic"}');
    let run = await xentInProcess(["eval", binaryCsv, "--label", "y", "--logit", "s", "--calibration", bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json.*"isotonic" is not "platt" or "temperature"/);
    run = await xentInProcess(["eval", multiCsv, "--label", "y", "--logits", "z_", "--calibration", join(tmp.dir, "platt.json")]);
    expect(run.code).toBe(2);
    run = await xentInProcess(["calibrate", multiCsv, "--label", "y", "--logits", "z_", "--state-out", "x.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--state-out is for Platt scaling/);
    run = await xentInProcess(["calibrate", binaryCsv, "--label", "y", "--logit", "s", "--method", "temperature"]);
    expect(run.code).toBe(2);
    const same = tmp.file("same.csv", "y,s\n1,0.5\n0,0.5\n");
    run = await xentInProcess(["calibrate", same, "--label", "y", "--logit", "s"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/all scores are equal/);
    const zero = tmp.file("zero.csv", "y,p_a,p_b\na,0.5,0.5\nb,1,0\n");
    run = await xentInProcess(["calibrate", zero, "--label", "y", "--probs", "p_"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/row 2 has probability 0 for its label/);
    const notState = tmp.file("ns.json", "{}");
    run = await xentInProcess(["calibrate", "--merge", notState]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a calibration state/);
    // Separable: written, with a warning.
    const sep = tmp.file("sep.csv", "y,s\n0,-1\n0,-2\n1,1\n1,3\n");
    run = await xentInProcess(["calibrate", sep, "--label", "y", "--logit", "s"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the fit did not converge/);
  });
});
