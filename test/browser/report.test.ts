/**
 * The page of `xent report` in a real browser (Debian's Chromium driven by playwright-core), opened from a
 * file:// URL with every request other than the page itself blocked and recorded: no request at all, no
 * console error or warning (a Content-Security-Policy violation would be one), the four charts drawn
 * (SVGs with non-empty paths, laid out at a real size), and every value of the figures table equal to
 * `xent eval --json`'s for the same file and options. A screenshot goes to test-output/report/ (not
 * committed; docs/images/report.png is made by scripts/report-screenshot.mjs).
 *
 * Without a `chromium` on the PATH the suite is skipped with a warning, unless XENT_REQUIRE_BROWSER=1
 * (set by .ci/run, which installs chromium), where it fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserSuiteRuns, launchChromium } from "../helpers/chromium.js";
import { type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xent } from "../cliHelpers.js";
import { predictionCsv } from "../helpers/predictionCsv.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const shots = join(repo, "test-output", "report");

const runs = browserSuiteRuns("report");

/** The value at a dotted path of eval's JSON. */
function at(json: unknown, path: string): unknown {
  return path.split(".").reduce((o, k) => (o as Record<string, unknown>)[k], json);
}

describe.skipIf(!runs)("the xent report page in Chromium", () => {
  let context: BrowserContext;
  let dir: string;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "xent-report-"));
    mkdirSync(shots, { recursive: true });
    ({ context, close: closeBrowser } = await launchChromium());
  }, 60_000);

  afterAll(async () => {
    await closeBrowser?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, scores] of [
    ["probabilities", ["--prob", "p"]],
    ["logits", ["--logit", "s", "--threshold", "0.4", "--bins", "10"]],
  ] as const) {
    it(`${name}: offline, four charts, the figures of xent eval --json, no console error`, async () => {
      const data = join(dir, `preds-${name}.csv`);
      writeFileSync(data, predictionCsv());
      const args = [data, "--label", "y", ...scores, "--weight", "w", "--by", "region <&>"];
      const page = join(dir, `report-${name}.html`);
      const run = xent(dir, ["report", ...args, "-o", page]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const json = JSON.parse(xent(dir, ["eval", ...args, "--json"]).stdout) as Record<string, unknown>;

      const tab = await context.newPage();
      const url = pathToFileURL(page).href;
      const requests: string[] = [];
      const errors: string[] = [];
      tab.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      tab.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
      });
      tab.on("pageerror", (e) => errors.push(String(e)));
      // Block everything but the page: a request would fail here and be recorded above.
      await tab.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await tab.goto(url);
      await tab.waitForLoadState("load");

      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      expect(await tab.title()).toContain(`preds-${name}.csv`);

      for (const id of ["roc", "pr", "reliability", "loss-by-group"]) {
        const chart = tab.locator(`figure#${id} svg`);
        expect(await chart.count()).toBe(1);
        const box = (await chart.boundingBox())!;
        expect(box.width).toBeGreaterThan(300);
        expect(box.height).toBeGreaterThan(150);
        const lengths = await chart
          .locator("path")
          .evaluateAll((paths) => paths.map((p) => ({ d: p.getAttribute("d") ?? "", length: (p as SVGPathElement).getTotalLength() })));
        expect(lengths.length).toBeGreaterThan(0);
        for (const p of lengths) {
          expect(p.d).toMatch(/^M[\d.]+ [\d.]+L/);
          expect(p.length).toBeGreaterThan(10);
        }
      }
      expect(await tab.locator("figure#reliability circle").count()).toBeGreaterThanOrEqual(8);
      expect(await tab.locator("figure#loss-by-group circle").count()).toBe(3 + 1);

      const cells = await tab.locator("#metrics tr[data-key]").evaluateAll((rows) =>
        rows.map((r) => ({
          key: r.getAttribute("data-key")!,
          value: r.querySelector("td")!.getAttribute("data-value")!,
          text: r.querySelector("td")!.textContent!,
        })),
      );
      expect(cells.length).toBeGreaterThanOrEqual(25);
      for (const c of cells) {
        expect(JSON.parse(c.value), c.key).toBe(at(json, c.key));
        // The text is the figure rounded to 7 significant digits.
        const want = at(json, c.key) as number | null;
        if (want === null) expect(c.text, c.key).toBe("-");
        else expect(Number(c.text), c.key).toBe(Number(want.toPrecision(7)));
      }
      for (const key of [
        "logLoss",
        "rocAuc",
        "averagePrecision",
        "calibration.ece",
        "logLossDecomposition.miscalibration",
        "brierDecomposition.reliability",
      ]) {
        expect(cells.map((c) => c.key)).toContain(key);
      }
      // User text arrives as text, not markup.
      expect(await tab.locator("b").count()).toBe(0);
      expect(await tab.locator("#groups").textContent()).toContain("<b>east & west</b>");

      await tab.screenshot({ path: join(shots, `report-${name}.png`), fullPage: true, timeout: 90_000 });
      await tab.close();
    }, 120_000);
  }
});
