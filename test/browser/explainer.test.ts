/**
 * End-to-end test of the explainer page in a real browser (Debian's Chromium driven by playwright-core):
 * builds the page with Vite, serves web/dist on a free localhost port, moves every slider with the keyboard,
 * and checks that each displayed number is the library's value for the same inputs, computed here in Node
 * (the page keeps the double in `data-value`, its text is that double formatted; see `expectShown` for why a
 * few last-place differences are allowed). No console error or warning, no request off localhost. Screenshots of every section, at laptop
 * and phone widths, go to test-output/explainer/ (not committed).
 *
 * Without a `chromium` on the PATH the suite is skipped with a warning, unless XENT_REQUIRE_BROWSER=1
 * (set by .ci/run, which installs chromium), where it fails.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { browserSuiteRuns, launchChromium } from "../helpers/chromium.js";
import { type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GradientDescentRace,
  binaryCrossEntropy,
  binaryCrossEntropyGrad,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  compensatedSum,
  logisticLoss,
  logit,
  sigmoid,
  sigmoidSquaredError,
  sigmoidSquaredErrorGrad,
} from "xent";
import { parseBreastCancer } from "../../web/src/breastCancer.js";
import { formatNumber } from "../../web/src/format.js";
import { ulp } from "../ulp.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const dist = join(repo, "web", "dist");
const shots = join(repo, "test-output", "explainer");

const runs = browserSuiteRuns("explainer");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** A minimal static server for web/dist on a free port (port 0: the OS picks one). */
async function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** The number a page element shows: its exact value and its text. */
async function shown(page: Page, key: string): Promise<{ value: number; text: string }> {
  const el = page.locator(`[data-key="${key}"]`).first();
  const value = await el.getAttribute("data-value");
  if (value === null) throw new Error(`[data-key=${key}] has no data-value`);
  return { value: Number(value), text: (await el.textContent()) ?? "" };
}

/** How many compared values were bit-identical to Node's, and how many were not (reported at the end). */
const tally = { identical: 0, close: 0, worst: 0 };

/**
 * Asserts that an element shows the library's value for the same inputs, computed here in Node, and that
 * its text is that value formatted. The bits can differ: the page runs in Chromium's V8, whose Math.exp and
 * Math.log1p may round differently from Node's in the last place (Math.exp(-10) does, Chromium 156 vs
 * Node 20), so the value must match within `ulps` units in the last place (exact for infinities and zeros).
 */
async function expectShown(page: Page, key: string, expected: number, options: { digits?: number; ulps?: number } = {}): Promise<void> {
  const { value, text } = await shown(page, key);
  if (Object.is(value, expected)) tally.identical++;
  else {
    tally.close++;
    expect(Number.isFinite(expected) && expected !== 0, `${key}: ${value} is not ${expected}`).toBe(true);
    const ulps = Math.abs(value - expected) / ulp(expected);
    tally.worst = Math.max(tally.worst, ulps);
    expect(ulps, `${key}: ${value} vs ${expected}, in ulps`).toBeLessThanOrEqual(options.ulps ?? 4);
  }
  expect(text, key).toBe(formatNumber(value, options.digits));
}

async function press(page: Page, selector: string, key: string, times = 1): Promise<number> {
  await page.focus(selector);
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
  return Number(await page.inputValue(selector));
}

async function screenshot(page: Page, width: string, id: string): Promise<void> {
  await page.locator(`#${id}`).screenshot({ path: join(shots, `${width}-${id}.png`) });
}

const SECTIONS = ["formula", "sigmoid", "intuition", "form-two", "samples", "squared-error"];

describe.skipIf(!runs)("the explainer page in Chromium", () => {
  let server: Server;
  let url: string;
  let context: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const { build } = await import("vite");
    await build({ configFile: join(repo, "web", "vite.config.ts"), logLevel: "warn" });
    ({ server, url } = await serve());
    mkdirSync(shots, { recursive: true });
    ({ context, close: closeBrowser } = await launchChromium());
  }, 60_000);

  afterAll(async () => {
    console.info(
      `explainer: ${tally.identical} displayed values bit-identical to Node's, ${tally.close} within the ulp bound (worst ${tally.worst} ulps)`,
    );
    await closeBrowser?.();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
    // Works offline: every request stays on the local server (fonts, scripts, styles are bundled).
    page.on("request", (request) => {
      if (!request.url().startsWith(url) && !request.url().startsWith("data:")) errors.push(`external request: ${request.url()}`);
    });
    await page.setViewportSize({ width, height });
    await page.goto(url);
    await page.waitForSelector("html[data-ready=true]");
    return { page, errors };
  }

  it("laptop width: every section shows the library's numbers as the sliders move", async () => {
    const { page, errors } = await open(1280, 900);

    // 1. The formula: p slider and y toggle.
    let p = await press(page, "#f-p", "ArrowLeft", 5);
    expect(p).toBe(0.75);
    await expectShown(page, "f-p", p);
    await expectShown(page, "f-likelihood", p);
    await expectShown(page, "f-log", -binaryCrossEntropy(1, p));
    await expectShown(page, "f-loss", binaryCrossEntropy(1, p));
    await screenshot(page, "laptop", "formula");
    await page.focus('input[name="f-y"][value="1"]');
    await page.keyboard.press("ArrowDown"); // the radio group's keyboard move selects y = 0
    expect(await page.isChecked('input[name="f-y"][value="0"]')).toBe(true);
    await expectShown(page, "f-likelihood", 1 - p);
    await expectShown(page, "f-loss", binaryCrossEntropy(0, p));
    p = await press(page, "#f-p", "End");
    expect(p).toBe(1);
    await expectShown(page, "f-loss", Infinity);
    expect((await shown(page, "f-loss")).text).toBe("∞");
    await expectShown(page, "f-log", -Infinity);

    // 2. The sigmoid.
    const s2 = await press(page, "#g-s", "ArrowRight", 3);
    expect(s2).toBeCloseTo(2.3, 12);
    await expectShown(page, "g-s", s2);
    await expectShown(page, "g-p", sigmoid(s2));
    await expectShown(page, "g-back", logit(sigmoid(s2)));
    await expectShown(page, "g-zero", 0.5);
    await expectShown(page, "g-low", sigmoid(-10));
    await expectShown(page, "g-high", sigmoid(10));
    await screenshot(page, "laptop", "sigmoid");
    // The point can also be dragged: a press on the chart at s = -4 moves the slider there.
    const box = (await page.locator("#g-chart svg").boundingBox())!;
    const plotX = await page.evaluate(() => {
      const chart = document.querySelector("#g-chart")!.firstElementChild as unknown as { scale(n: string): { apply(v: number): number } };
      const svg = document.querySelector<SVGSVGElement>("#g-chart svg")!;
      return (chart.scale("x").apply(-4) * svg.getBoundingClientRect().width) / svg.viewBox.baseVal.width;
    });
    await page.mouse.click(box.x + plotX, box.y + box.height / 2);
    expect(Number(await page.inputValue("#g-s"))).toBe(-4);
    await expectShown(page, "g-p", sigmoid(-4));

    // 3. The intuition: both curves' loss and gradient at the moved point, and the table.
    const p3 = await press(page, "#i-p", "ArrowLeft", 10);
    expect(p3).toBeCloseTo(0.29, 12);
    for (const y of [1, 0]) {
      await expectShown(page, `i-loss-${y}`, binaryCrossEntropy(y, p3));
      await expectShown(page, `i-grad-${y}`, binaryCrossEntropyGrad(y, p3));
    }
    for (const [i, q] of [0.5, 0.1, 0.01, 0.001, 1e-6, 1e-12].entries()) {
      await expectShown(page, `i-table-loss-${i}`, binaryCrossEntropy(1, q));
      await expectShown(page, `i-table-grad-${i}`, binaryCrossEntropyGrad(1, q));
    }
    await screenshot(page, "laptop", "intuition");

    // 4. Form two: labels ±1; both forms agree.
    const s4 = await press(page, "#m-s", "ArrowRight", 4);
    expect(s4).toBeCloseTo(-1.1, 12);
    await page.focus('input[name="m-y"][value="1"]');
    await page.keyboard.press("ArrowDown");
    expect(await page.isChecked('input[name="m-y"][value="-1"]')).toBe(true);
    await expectShown(page, "m-g", sigmoid(s4));
    await expectShown(page, "m-gneg", sigmoid(-s4));
    await expectShown(page, "m-gsum", compensatedSum([sigmoid(s4), sigmoid(-s4)]));
    await expectShown(page, "m-margin", -s4);
    await expectShown(page, "m-form1p", binaryCrossEntropy(0, sigmoid(s4)), { digits: 17 });
    await expectShown(page, "m-form1", binaryCrossEntropyWithLogits(0, s4), { digits: 17 });
    await expectShown(page, "m-form2", logisticLoss(-1, s4), { digits: 17 });
    expect(binaryCrossEntropyWithLogits(0, s4)).toBe(logisticLoss(-1, s4));
    expect(await page.textContent("#m-verdict")).toContain("bit for bit");
    await screenshot(page, "laptop", "form-two");

    // 5. The table: edit a logit, a label; a bad cell shows the library's error; add a sample.
    const logitInput = page.locator("#t-table tbody tr").nth(2).locator("input");
    await logitInput.fill("-7.25");
    await page.locator("#t-table tbody tr").nth(1).locator("select").selectOption("1");
    const labels = [1, 1, 1, 0, 1];
    const logits = [2.5, -1.2, -7.25, 0.8, -3];
    const each = binaryCrossEntropyWithLogits(labels, logits, { reduction: "none" });
    for (let i = 0; i < labels.length; i++) {
      await expectShown(page, `t-loss-${i}`, each[i]!);
      await expectShown(page, `t-p-${i}`, sigmoid(logits[i]!));
    }
    await expectShown(page, "t-sum", binaryCrossEntropyWithLogits(labels, logits, { reduction: "sum" }));
    await expectShown(page, "t-mean", binaryCrossEntropyWithLogits(labels, logits, { reduction: "mean" }));
    await screenshot(page, "laptop", "samples");
    await logitInput.fill("");
    expect(await page.textContent("#t-error")).toContain("binaryCrossEntropyWithLogits: logits[2] = NaN is not a number");
    await logitInput.fill("1e3");
    expect(await page.isHidden("#t-error")).toBe(true);
    await page.click("#t-add");
    const added = page.locator("#t-table tbody tr").nth(5).locator("input");
    expect(await added.evaluate((el) => el === document.activeElement)).toBe(true);
    await added.fill("-2");
    const labels6 = [1, 1, 1, 0, 1, 1];
    const logits6 = [2.5, -1.2, 1000, 0.8, -3, -2];
    await expectShown(page, "t-sum", binaryCrossEntropyWithLogits(labels6, logits6, { reduction: "sum" }));
    await expectShown(page, "t-mean", binaryCrossEntropyWithLogits(labels6, logits6, { reduction: "mean" }));

    // 6. Squared error vs cross-entropy: gradients at the moved logit, then the race.
    const s6 = await press(page, "#q-s", "ArrowLeft", 20);
    expect(s6).toBeCloseTo(-6, 12);
    await expectShown(page, "q-ce", binaryCrossEntropyWithLogits(1, s6));
    await expectShown(page, "q-se", sigmoidSquaredError(1, s6));
    await expectShown(page, "q-ce-grad", binaryCrossEntropyWithLogitsGrad(1, s6));
    await expectShown(page, "q-se-grad", sigmoidSquaredErrorGrad(1, s6));
    await page.focus('input[name="q-y"][value="1"]');
    await page.keyboard.press("ArrowDown");
    expect(await page.isChecked('input[name="q-y"][value="0"]')).toBe(true);
    await expectShown(page, "q-ce", binaryCrossEntropyWithLogits(0, s6));
    await expectShown(page, "q-se", sigmoidSquaredError(0, s6));
    await expectShown(page, "q-ce-grad", binaryCrossEntropyWithLogitsGrad(0, s6));
    await expectShown(page, "q-se-grad", sigmoidSquaredErrorGrad(0, s6));

    const data = parseBreastCancer(readFileSync(join(repo, "data", "breast-cancer-wisconsin.csv"), "utf8"));
    const w0 = await press(page, "#r-w0", "ArrowRight", 1);
    expect(w0).toBe(1.5);
    const rateIndex = await press(page, "#r-rate", "ArrowRight", 1);
    const learningRate = [0.05, 0.1, 0.2, 0.5, 1, 2][rateIndex]!;
    await expectShown(page, "r-rate", learningRate);
    for (let k = 0; k < 3; k++) await page.click("#r-step");
    const race = (loss: "crossEntropy" | "squaredError", epochs: number) => {
      const r = new GradientDescentRace(data.features, data.labels, {
        loss,
        learningRate,
        initialWeights: new Array(data.names.length).fill(w0),
      });
      let progress = r.evaluate();
      for (let k = 0; k < epochs; k++) progress = r.step();
      return progress;
    };
    const checkRace = async (epochs: number) => {
      await expectShown(page, "r-epoch", epochs);
      for (const [key, loss] of [
        ["ce", "crossEntropy"],
        ["se", "squaredError"],
      ] as const) {
        const expected = race(loss, epochs);
        // 30 features x hundreds of steps: last-place differences of exp propagate, but stay tiny (2 ulps seen).
        await expectShown(page, `r-${key}-loss`, expected.loss, { ulps: 64 });
        await expectShown(page, `r-${key}-logloss`, expected.logLoss, { ulps: 64 });
        await expectShown(page, `r-${key}-acc`, expected.accuracy);
      }
    };
    await checkRace(30);
    // Run the animation for a while, pause, and check wherever it stopped.
    await page.click("#r-run");
    await page.waitForFunction(() => Number(document.querySelector('[data-key="r-epoch"]')?.getAttribute("data-value")) >= 150);
    await page.click("#r-run");
    const epochs = (await shown(page, "r-epoch")).value;
    expect(epochs).toBeGreaterThanOrEqual(150);
    await checkRace(epochs);
    await page.locator("#squared-error").scrollIntoViewIfNeeded();
    await screenshot(page, "laptop", "squared-error");
    await page.screenshot({ path: join(shots, "laptop-full-page.png"), fullPage: true });

    expect(errors).toEqual([]);
    await page.close();
  });

  it("phone width: no horizontal scrolling, every section drawn, sliders still work", async () => {
    const { page, errors } = await open(390, 844);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Nothing sticks out of its section either (scrollable containers excepted).
    const sticking = await page.evaluate(() =>
      Array.from(document.querySelectorAll("section")).flatMap((section) => {
        const right = section.getBoundingClientRect().right;
        return Array.from(section.querySelectorAll<HTMLElement>("table, svg, .tex-display, .panel, p"))
          .filter((el) => el.closest(".scroll, .tex-display") === null || el.matches(".tex-display"))
          .filter((el) => el.getBoundingClientRect().right > right + 0.5)
          .map((el) => `#${section.id} ${el.tagName}.${el.getAttribute("class") ?? ""}`);
      }),
    );
    expect(sticking).toEqual([]);
    const s = await press(page, "#g-s", "ArrowLeft", 25);
    expect(s).toBeCloseTo(-0.5, 12);
    await expectShown(page, "g-p", sigmoid(s));
    await page.click("#r-step");
    await expectShown(page, "r-epoch", 10);
    for (const id of SECTIONS) {
      const svgs = await page.locator(`#${id} svg`).count();
      if (id !== "formula" && id !== "samples") expect(svgs, id).toBeGreaterThan(0);
      await screenshot(page, "phone", id);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
