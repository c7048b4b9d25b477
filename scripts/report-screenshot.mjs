// Makes docs/images/report.png, the README's picture of `xent report`: a logistic regression trained by
// `xent train` on two thirds of data/breast-cancer-wisconsin.csv (four weak features, so that the curves
// are not perfect), `xent predict` on the other third, a group column from the tumour size, then
// `xent report` and a full-page screenshot in Chromium (playwright-core, the browser test's setup).
// Run after `npm run build`: node scripts/report-screenshot.mjs [out.png]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repo = fileURLToPath(new URL("../", import.meta.url));
const out = process.argv[2] ?? join(repo, "docs", "images", "report.png");
const xent = (...args) => execFileSync(process.execPath, [join(repo, "dist", "cli", "bin.js"), ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "xent-report-shot-"));

const [header, ...rows] = readFileSync(join(repo, "data", "breast-cancer-wisconsin.csv"), "utf8")
  .trim()
  .split(/\r?\n/);
const radius = header.split(",").indexOf("mean_radius");
writeFileSync(join(dir, "train.csv"), [header, ...rows.filter((_, i) => i % 3 !== 0)].join("\n") + "\n");
// The held-out third, with a group column: the tumour's mean radius in three bands.
const size = (r) => (r < 12 ? "small (radius < 12)" : r < 16 ? "medium (12 to 16)" : "large (radius >= 16)");
writeFileSync(
  join(dir, "test.csv"),
  [`${header},size`, ...rows.filter((_, i) => i % 3 === 0).map((line) => `${line},${size(Number(line.split(",")[radius]))}`)].join("\n") + "\n",
);
xent(
  "train",
  join(dir, "train.csv"),
  "--label",
  "benign",
  "--features",
  "mean_texture,mean_smoothness,mean_symmetry,worst_concavity",
  "--out",
  join(dir, "model.json"),
);
xent("predict", join(dir, "model.json"), join(dir, "test.csv"), "--out", join(dir, "predictions.csv"));
const page = join(dir, "report.html");
// Run from dir so the page names the file as the user typed it.
execFileSync(
  process.execPath,
  [join(repo, "dist", "cli", "bin.js"), "report", "predictions.csv", "--label", "benign", "--prob", "p_1", "--by", "size", "-o", page],
  { cwd: dir },
);

const executablePath = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
const profile = mkdtempSync(join(tmpdir(), "xent-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
  viewport: { width: 1280, height: 900 },
});
const tab = await context.newPage();
await tab.goto(pathToFileURL(page).href);
await tab.screenshot({ path: out, fullPage: true, timeout: 90_000 });
await context.close();
rmSync(profile, { recursive: true, force: true });
rmSync(dir, { recursive: true, force: true });
console.log(`wrote ${out}`);
