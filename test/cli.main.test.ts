// `main(argv, io)` in process: the same command line without a child process, plus `xent loss` and --help.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binaryCrossEntropyGrad, binaryCrossEntropyWithLogitsGrad } from "xent";
import { xent, xentInProcess } from "./cliHelpers.js";

describe("main in process", () => {
  it("evaluates stdin given as chunks", async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json"], ["y,p\n1,0.", "9\n0,0.2\n"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.rows).toBe(2);
    expect(out.logLoss).toBe(0.16425203348601802);
  });
  it("reports bad input on stderr with exit code 1 and nothing on stdout", async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p"], ["y,p\n1,0.9\n1,x\n"]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: 'xent eval: <stdin>:3:3: probability "x" (column "p") is not a number\n' });
  });
  it("prints --help for every command, each with an example", async () => {
    const general = await xentInProcess(["--help"]);
    expect(general.code).toBe(0);
    const names = [...general.stdout.matchAll(/^ {2}(\w+) {2}/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(["eval", "merge", "loss"]));
    for (const name of names) {
      const run = await xentInProcess([name, "--help"]);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(/^xent /);
      expect(run.stdout, name).toMatch(/Examples?:\n {2}xent /);
      expect(run.stdout, name).not.toContain("{{options}}");
      expect((await xentInProcess(["help", name])).stdout).toBe(run.stdout);
    }
    expect((await xentInProcess(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("xent loss", () => {
  it("prints the loss and dL/dp for a probability", async () => {
    const run = await xentInProcess(["loss", "--label", "1", "--prob", "0.9"]);
    expect(run.stdout).toBe(`loss   0.10536051565782628\ndL/dp  ${binaryCrossEntropyGrad(1, 0.9)}\n`);
  });
  it("prints the loss and dL/ds for a logit, in both label conventions", async () => {
    const a = JSON.parse((await xentInProcess(["loss", "--label", "0", "--logit", "2", "--json"])).stdout);
    const b = JSON.parse((await xentInProcess(["loss", "--label", "-1", "--logit", "2", "--json"])).stdout);
    expect(a).toEqual({
      loss: 2.1269280110429727,
      lossInfinite: false,
      gradient: binaryCrossEntropyWithLogitsGrad(0, 2),
      gradientInfinite: false,
      with: "logit",
    });
    expect(b).toEqual(a);
    const far = JSON.parse((await xentInProcess(["loss", "--label", "1", "--logit", "-1000", "--json"])).stdout);
    expect(far.loss).toBe(1000);
    // JSON has no Infinity: null with a flag, as xent eval --json (never the string "Infinity").
    const text = (await xentInProcess(["loss", "--label", "1", "--prob", "0", "--json"])).stdout;
    expect(text).not.toContain("Infinity");
    expect(JSON.parse(text)).toEqual({
      loss: null,
      lossInfinite: true,
      gradient: null,
      gradientInfinite: true,
      gradientSign: -1,
      with: "probability",
    });
    const up = JSON.parse((await xentInProcess(["loss", "--label", "0", "--prob", "1", "--json"])).stdout);
    expect(up).toMatchObject({ loss: null, lossInfinite: true, gradient: null, gradientInfinite: true, gradientSign: 1 });
    const logit = JSON.parse((await xentInProcess(["loss", "--label", "1", "--logit", "-inf", "--json"])).stdout);
    expect(logit).toEqual({ loss: null, lossInfinite: true, gradient: -1, gradientInfinite: false, with: "logit" });
  });
  it("through the binary: an option value that is not valid is bad usage, exit 2", () => {
    const ok = xent(".", ["loss", "--label", "1", "--logit", "0"]);
    expect(ok.stdout).toBe("loss   0.6931471805599453\ndL/ds  -0.5\n");
    const bad = xent(".", ["loss", "--label", "1", "--prob", "1.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/--prob 1\.5 is not in \[0, 1\]/);
    expect(xent(".", ["loss", "--label", "1"]).code).toBe(2);
    expect(xent(".", ["loss", "--label", "one", "--prob", "0.5"]).stderr).toMatch(/--label = "one" is not a number/);
  });
});

describe("the README's command-line section", () => {
  it("its first example prints what the page shows", async () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const m = /```sh\nprintf '([^']*)' \| xent (.+)\n```\n```\n([\s\S]*?)```/.exec(doc)!;
    const input = m[1]!.replaceAll("\\n", "\n");
    const run = await xentInProcess(m[2]!.split(" "), [input]);
    expect(run.stdout).toBe(m[3]);
  });
});

describe("the progress bar", () => {
  const input = ["y,p\n", "1,0.9\n0,0.2\n"];
  it("is drawn on stderr when it is a terminal, and erased at the end", async () => {
    const run = await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--json"], input, true);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\r<stdin> {2}\S+B {2}[\d.]+ MB\/s {2}\S+ rows\/s\x1b\[K/);
    expect(run.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(JSON.parse(run.stdout).rows).toBe(2);
  });
  it("is not drawn otherwise, or with --no-progress", async () => {
    expect((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p"], input)).stderr).toBe("");
    expect((await xentInProcess(["eval", "-", "--label", "y", "--prob", "p", "--no-progress"], input, true)).stderr).toBe("");
  });
});
