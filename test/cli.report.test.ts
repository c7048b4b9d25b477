// `xent report`: the page's content and escaping, checked as text (the browser test opens it in Chromium).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { figureRows } from "../src/cli/reportHtml.js";
import { tempDir, xent, xentInProcess } from "./cliHelpers.js";
import { predictionCsv } from "./helpers/predictionCsv.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The value at a dotted path of eval's JSON. */
function at(json: unknown, path: string): unknown {
  return path.split(".").reduce((o, k) => (o as Record<string, unknown>)[k], json);
}

describe("xent report", () => {
  const file = tmp.file("a <b> & c.csv", predictionCsv());
  const args = [file, "--label", "y", "--prob", "p", "--by", "region <&>", "--weight", "w"];

  it("writes one self-contained page with -o: no script, no external reference, user text escaped", () => {
    const out = join(tmp.dir, "report.html");
    const run = xent(tmp.dir, ["report", ...args, "-o", out]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\b(src|href)=/);
    // The only URL is the SVG namespace (a name, never fetched).
    expect(html.match(/https?:\/\/[^"\s]*/g)!.every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
    expect(html).toContain("a &lt;b&gt; &amp; c.csv");
    expect(html).toContain("region &lt;&amp;&gt;");
    expect(html).toContain("&lt;b&gt;east &amp; west&lt;/b&gt;");
    expect(html).not.toContain("<b>east");
    for (const id of ["roc", "pr", "reliability", "loss-by-group"]) expect(html).toContain(`<figure class="panel" id="${id}"><svg`);
    // Unique clip-path ids per chart: several SVGs share one document.
    for (const id of ["roc", "pr", "reliability", "loss-by-group"]) expect(html.match(new RegExp(`id="${id}-area"`, "g"))).toHaveLength(1);
  });

  it("shows every number of xent eval --json's total, each with its exact double", async () => {
    const page = await xentInProcess(["report", ...args]);
    expect(page.code).toBe(0);
    const json = JSON.parse((await xentInProcess(["eval", ...args, "--json"])).stdout) as Record<string, unknown>;
    const rows = figureRows(json);
    expect(rows.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "logLoss",
        "accuracy",
        "brier",
        "rocAuc",
        "averagePrecision",
        "baseRate",
        "normalizedEntropy",
        "confusion.precision",
        "confusion.recall",
        "confusion.f1",
        "calibration.calibrationRatio",
        "calibration.ece",
        "calibration.mce",
        "calibration.rms",
        "equalMassCalibration.ece",
        "brierDecomposition.reliability",
        "brierDecomposition.resolution",
        "brierDecomposition.uncertainty",
        "logLossDecomposition.miscalibration",
        "logLossDecomposition.discrimination",
        "logLossDecomposition.uncertainty",
      ]),
    );
    const cells = [...page.stdout.matchAll(/<tr data-key="([^"]+)"><th scope="row">[^<]*<\/th><td class="num" data-value="([^"]+)">/g)];
    expect(cells.map((c) => c[1])).toEqual(rows.map((r) => r.path));
    for (const [, path, value] of cells) expect(JSON.parse(value!), path).toBe(at(json, path!));
  });

  it("past 65536 distinct scores: the bounds, the curves over histogram bins, equal-mass errors marked as not computed", async () => {
    const lines = ["y,p"];
    for (let i = 1; i <= 70000; i++) {
      const p = (i * 0.6180339887498949) % 1;
      lines.push(`${(i * 7919) % 10 < 10 * p ? 1 : 0},${p}`);
    }
    const big = tmp.file("big.csv", lines.join("\n") + "\n");
    const run = await xentInProcess(["report", big, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/<tr data-key="rocAucErrorBound"><th scope="row">[^<]+<\/th><td class="num" data-value="\d/);
    expect(run.stdout).toContain('<tr data-key="equalMassCalibration"><th scope="row">ECE / MCE / RMS, equal-mass bins');
    expect(run.stdout).toMatch(/>CORP isotonic, MCB [\d.e-]+ \(bins\)<\/text>/);
    expect(run.stdout).toMatch(/>ROC, AUC [\d.]+ ±[\d.e-]+<\/text>/);
  });

  it("an infinite log loss: Infinity in the table (null in data-value, as in eval's JSON), the rows named in the input", async () => {
    const csv = tmp.file("inf.csv", "y,p\n1,0.8\n0,0.3\n1,0\n0,0.6\n");
    const run = await xentInProcess(["report", csv, "--label", "y", "--prob", "p"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '<tr data-key="logLoss"><th scope="row">log loss (mean cross-entropy, nats)</th><td class="num" data-value="null">Infinity</td>',
    );
    expect(run.stdout).toMatch(/1 row with p = 0 or 1 on the wrong side: <code>[^<]*inf\.csv:4<\/code>/);
  });

  it("multi-class scores: the figures, a per-class table, loss by group; no binary curves", async () => {
    const csv = "label,p_cat,p_dog,g\ncat,0.7,0.3,a\ndog,0.2,0.8,a\ncat,0.4,0.6,b\ndog,0.5,0.5,b\n";
    const run = await xentInProcess(["report", tmp.file("m.csv", csv), "--label", "label", "--probs", "p_", "--by", "g"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('data-key="oneVsRest.rocAucMacro"');
    expect(run.stdout).toContain('<section class="panel" id="classes">');
    expect(run.stdout).toContain('<figure class="panel" id="loss-by-group">');
    expect(run.stdout).not.toContain('id="roc"');
  });

  it("bad usage and bad input: exit 2 and exit 1 with the message of xent eval", async () => {
    const usage = await xentInProcess(["report", file, "--label", "y"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("xent report: give exactly one of --prob, --logit");
    const missing = await xentInProcess(["report", join(tmp.dir, "nope.csv"), "--label", "y", "--prob", "p"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
  });
});
