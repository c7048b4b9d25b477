// Debian's Chromium for the browser tests, driven by playwright-core (which downloads no browser): where it is,
// whether a missing one fails the run (XENT_REQUIRE_BROWSER=1, set by .ci/run), and a persistent context with
// the flags the tests run it with, in a throwaway profile.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** The path of `chromium` (or `chromium-browser`) on the PATH, or null. */
export function findChromium(): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export const chromiumPath = findChromium();
export const browserRequired = process.env.XENT_REQUIRE_BROWSER === "1";

/** Whether a suite runs: it is skipped (with a warning naming it) only when no Chromium is found and none is required. */
export function browserSuiteRuns(name: string): boolean {
  if (chromiumPath === null && !browserRequired) {
    console.warn(`${name} browser test skipped: no chromium on the PATH (apt-get install -y chromium)`);
    return false;
  }
  return true;
}

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A headless Chromium context in a fresh profile; `close` ends it and removes the profile. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (chromiumPath === null) throw new Error("XENT_REQUIRE_BROWSER=1 but no chromium on the PATH");
  const profile = mkdtempSync(join(tmpdir(), "xent-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS, viewport });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
