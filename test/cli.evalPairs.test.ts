// `xent eval` on label,score files, whose rows of two plain decimals take the reader's fast path
// (TableHandler.numberPair, BinaryHandler.numberPair): the output is the same bits as the same rows read
// through `row` (each score written with a space before it, which only the general path reads), with 1 and
// 2 threads; rows it refuses (the first 0 or -1 label, a probability out of range, an infinite loss) are
// handled by `row`, with their own file:line.
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xent } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function run(args: string[]): { stdout: string; stderr: string; code: number } {
  return xent(tmp.dir, ["eval", ...args, "--json"]);
}

/** The JSON output without the file names, `file:line` as `:line`. */
function withoutFiles(out: string): unknown {
  const o = JSON.parse(out) as Record<string, any>;
  delete o.files;
  o.infiniteLoss.first = (o.infiniteLoss.first as string[]).map((w) => w.slice(w.lastIndexOf(":")));
  return o;
}

const random = rng(7);
/** Rows of label and score: probabilities with 1 to 9 digits, a few -0, 0 and 1, infinite losses. */
function rows(n: number, pm1: boolean, logit: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = 0.01 + 0.98 * random();
    const y = random() < p ? 1 : 0;
    const label = y === 1 ? "1" : pm1 ? "-1" : "0";
    const score = logit ? (Math.log(p) - Math.log1p(-p)).toFixed(1 + (i % 6)) : p.toFixed(2 + (i % 7));
    out.push(`${label},${score}`);
  }
  out[0] = out[0]!.replace(/^-?[01]/, "1"); // a first label 1: the convention is fixed by a later row
  if (!logit) {
    const negative = pm1 ? "-1" : "0";
    out[300] = "1,0"; // an infinite loss
    out[301] = `${negative},-0`;
    out[302] = `${negative},1`; // an infinite loss
    out[303] = "1,1";
  }
  return out;
}

describe("xent eval: rows of two plain decimals (the fast path)", () => {
  for (const [name, pm1, logit, crlf] of [
    ["probabilities, {0, 1}", false, false, false],
    ["probabilities, {-1, +1}, CRLF", true, false, true],
    ["logits (negative numbers)", false, true, false],
  ] as const) {
    it(`gives the bits of the general path: ${name}`, () => {
      const lines = rows(20000, pm1, logit);
      const end = crlf ? "\r\n" : "\n";
      const fast = tmp.file(`fast-${name.length}.csv`, "y,s" + end + lines.join(end) + end);
      const slow = tmp.file(`slow-${name.length}.csv`, "y,s" + end + lines.map((l) => l.replace(",", ", ")).join(end) + end);
      const scale = logit ? "--logit" : "--prob";
      const output = (file: string, threads: string, pieceBytes: string) => {
        const r = run([file, "--label", "y", scale, "s", "--threads", threads, "--piece-bytes", pieceBytes]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        return JSON.stringify(withoutFiles(r.stdout));
      };
      // One piece: the same rows, the same bits. In pieces (which cut the two files at other rows, so their
      // sums differ in the last bits), the same bits with 1 and 2 threads.
      const outputs = [output(fast, "1", "1000000"), output(slow, "1", "1000000")];
      for (const file of [fast, slow]) expect(output(file, "2", "30000")).toBe(output(file, "1", "30000"));
      expect(outputs[1]).toBe(outputs[0]);
      const o = JSON.parse(outputs[0]!) as { rows: number; infiniteLoss: { rows: number; first: string[] } };
      expect(o.rows).toBe(20000);
      if (!logit) expect(o.infiniteLoss).toEqual({ rows: 2, first: [":302", ":304"] });
      else expect(o.infiniteLoss.rows).toBe(0);
    });
  }

  it("names the line of a bad row after fast rows, and skips the same rows", () => {
    const lines = rows(5000, false, false);
    lines[4000] = "1,1.5";
    lines[4500] = "2,0.5";
    const file = tmp.file("bad.csv", "y,p\n" + lines.join("\n") + "\n");
    for (const threads of ["1", "2"]) {
      const r = run([file, "--label", "y", "--prob", "p", "--threads", threads, "--piece-bytes", "10000"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("bad.csv:4002:3");
      expect(r.stderr).toContain("is not in [0, 1]");
      const s = run([file, "--label", "y", "--prob", "p", "--threads", threads, "--piece-bytes", "10000", "--skip-invalid"]);
      expect(s.code).toBe(0);
      const o = JSON.parse(s.stdout) as { rows: number; skipped: unknown };
      expect(o.rows).toBe(4998);
      expect(o.skipped).toEqual({ total: 2, byReason: { "probability out of range": 1, "invalid label": 1 } });
    }
  });
});
