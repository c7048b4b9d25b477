// `xent eval` of binary CSV/TSV in pieces on worker threads (cli/evalPieces.ts), through the built binary:
// the JSON output and state are the same bits with 1, 2 or 4 threads, for any piece size; errors and
// infinite-loss rows name the file's lines whichever thread read them; quoted line breaks across a cut,
// CRLF, --by, --weight, --skip-invalid, {-1, +1} labels, --pos-label, gzip and stdin.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir, xent } from "./cliHelpers.js";
import { rng } from "./rng.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Runs eval and returns stdout (exit 0 and nothing on stderr required). */
function evalJson(args: string[], input?: string | Buffer): string {
  const run = xent(tmp.dir, ["eval", ...args, "--json"], input);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run.stdout;
}

/** The output with the file names left out (stdin, gzip and the plain file compared): `file:line` as `:line`. */
function withoutFiles(out: string): unknown {
  const o = JSON.parse(out) as Record<string, any>;
  delete o.files;
  o.infiniteLoss.first = (o.infiniteLoss.first as string[]).map((w) => w.slice(w.lastIndexOf(":")));
  return o;
}

// A file with everything a piece boundary can fall in: CRLF line ends, quoted groups holding commas,
// quotes and line breaks, weights, infinite losses (p = 0 or 1 on the wrong side), invalid rows.
const random = rng(11);
const lines: string[] = [];
const expectedInfinite: number[] = [];
for (let i = 0; i < 3000; i++) {
  const p = Number(random().toFixed(5));
  const y = random() < p ? 1 : 0;
  const w = (random() * 2).toFixed(3);
  const g = ["a", '"b, with comma"', '"c ""quoted"""', "d"][i % 4]!;
  lines.push(`${y},${p},${w},${g}`);
}
// Infinite losses at chosen rows, invalid rows, and quoted line breaks (each adds one line to the count).
for (const i of [5, 900, 1800, 2500, 2900, 2950]) lines[i] = `1,0,1,a`;
lines[1200] = `0,1.5,1,a`; // probability out of range
lines[1500] = `x,0.5,1,a`; // invalid label
lines[2000] = `1,0.5,-1,d`; // invalid weight
for (const i of [700, 1400, 2200]) lines[i] = `1,0.25,1,"line one\nline two"`;
const body = "y,p,w,g\n" + lines.join("\n") + "\n";
const crlf = body.replaceAll("\n", "\r\n").replaceAll('"line one\r\nline two"', '"line one\nline two"');
const path = tmp.file("tricky.csv", crlf);
const lineOf = (i: number) => i + 2 + [700, 1400, 2200].filter((q) => q < i).length;
for (const i of [5, 900, 1800, 2500, 2900]) expectedInfinite.push(lineOf(i));

describe("xent eval --threads", () => {
  const base = [path, "--label", "y", "--prob", "p", "--weight", "w", "--by", "g", "--skip-invalid"];

  it("gives the same bits with 1, 2 and 4 threads, for piece sizes that cut rows, quotes and CRLF", () => {
    for (const pieceBytes of ["97", "1000"]) {
      const one = evalJson([...base, "--threads", "1", "--piece-bytes", pieceBytes, "--state-out", `s1-${pieceBytes}.json`]);
      for (const threads of ["2", "4"]) {
        expect(evalJson([...base, "--threads", threads, "--piece-bytes", pieceBytes, "--state-out", `s${threads}-${pieceBytes}.json`])).toBe(one);
        expect(readFileSync(`${tmp.dir}/s${threads}-${pieceBytes}.json`, "utf8")).toBe(readFileSync(`${tmp.dir}/s1-${pieceBytes}.json`, "utf8"));
      }
      const out = JSON.parse(one) as Record<string, any>;
      expect(out.rows).toBe(2997);
      expect(out.skipped).toEqual({ total: 3, byReason: { "probability out of range": 1, "invalid label": 1, "invalid weight": 1 } });
      // The first five infinite-loss rows by file:line, the lines counted across CRLF and quoted line breaks.
      expect(out.infiniteLoss.rows).toBe(6);
      expect(out.infiniteLoss.first).toEqual(expectedInfinite.map((l) => `${path}:${l}`));
      expect(out.groups.map((g: { group: string }) => g.group)).toEqual(["a", "b, with comma", 'c "quoted"', "d", "line one\nline two"]);
    }
    // One piece (the whole file): the rows and counts are those of the cut file (the sums merge to within ulps).
    const whole = JSON.parse(evalJson([...base, "--threads", "1"])) as Record<string, any>;
    const cut = JSON.parse(evalJson([...base, "--threads", "4", "--piece-bytes", "97"])) as Record<string, any>;
    expect(cut.rows).toBe(whole.rows);
    expect(cut.infiniteLoss).toEqual(whole.infiniteLoss);
    expect(cut.skipped).toEqual(whole.skipped);
    expect(Math.abs(cut.rocAuc - whole.rocAuc)).toBeLessThan(1e-12);
    expect(Math.abs(cut.weight - whole.weight)).toBeLessThan(1e-12 * whole.weight);
  });

  it("gzip and stdin are cut at the same offsets (of the decompressed bytes): the same bits as the file", () => {
    const gz = tmp.file("tricky.csv.gz", gzipSync(crlf));
    const args = ["--label", "y", "--prob", "p", "--weight", "w", "--by", "g", "--skip-invalid", "--piece-bytes", "500"];
    const plain = withoutFiles(evalJson([path, ...args, "--threads", "1"]));
    expect(withoutFiles(evalJson([gz, ...args, "--threads", "2"]))).toEqual(plain);
    expect(withoutFiles(evalJson(["-", ...args, "--threads", "3"], gzipSync(crlf)))).toEqual(plain);
    expect(withoutFiles(evalJson(["-", ...args, "--threads", "2"], crlf))).toEqual(plain);
  });

  it("an error read by a worker names the file's line and column, as on one thread", () => {
    // The first invalid row (line of row 1200, a probability of 1.5) stops the evaluation without --skip-invalid.
    const strict = [path, "--label", "y", "--prob", "p", "--weight", "w", "--by", "g", "--json"];
    const one = xent(tmp.dir, ["eval", ...strict, "--threads", "1"]);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`${path}:${lineOf(1200)}:3: probability "1.5"`);
    for (const threads of ["1", "2", "4"]) {
      const r = xent(tmp.dir, ["eval", ...strict, "--threads", threads, "--piece-bytes", "300"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(xent(tmp.dir, ["eval", ...strict, "--threads", "1"]).stderr);
    }
  });

  it("the label convention fixed by the first rows holds in later pieces (errors, skips)", () => {
    const rowsPm = ["y,p", ...Array.from({ length: 400 }, (_, i) => `${i % 2 === 0 ? 1 : 0},0.${(i % 9) + 1}`)];
    rowsPm.push("-1,0.3", "1,0.4", "-1,0.2", "0,0.6"); // {-1, +1} labels after 0s: mixed conventions
    const f = tmp.file("mixed.csv", rowsPm.join("\n") + "\n");
    const bad = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--threads", "1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${f}:402:1: label "-1" mixes label conventions: ${f}:3 used {0, 1}`);
    for (const threads of ["2", "4"]) {
      const r = xent(tmp.dir, ["eval", f, "--label", "y", "--prob", "p", "--threads", threads, "--piece-bytes", "64"]);
      expect(r.stderr).toBe(bad.stderr);
      const skip = ["--label", "y", "--prob", "p", "--skip-invalid", "--piece-bytes", "64"];
      expect(evalJson([f, ...skip, "--threads", threads])).toBe(evalJson([f, ...skip, "--threads", "1"]));
    }
    // A file whose first 0 or -1 label comes in a later piece: a worker's convention becomes the file's.
    const late = tmp.file("late.csv", ["y,p", ...Array.from({ length: 300 }, () => "1,0.7"), "-1,0.2", "1,0.9", "-1,0.1"].join("\n") + "\n");
    const ok = evalJson([late, "--label", "y", "--prob", "p", "--threads", "4", "--piece-bytes", "50"]);
    expect(ok).toBe(evalJson([late, "--label", "y", "--prob", "p", "--threads", "1", "--piece-bytes", "50"]));
    expect((JSON.parse(ok) as { rows: number }).rows).toBe(303);
    const text = tmp.file(
      "text.csv",
      ["y,p", ...Array.from({ length: 300 }, (_, i) => `${i % 3 ? "yes" : "no"},0.5`), "maybe,0.2"].join("\n") + "\n",
    );
    const pos = ["--label", "y", "--prob", "p", "--pos-label", "yes", "--piece-bytes", "80"];
    const third = xent(tmp.dir, ["eval", text, ...pos, "--threads", "1"]);
    expect(third.stderr).toContain(`${text}:302:1: label "maybe" is a third class: --pos-label "yes" is 1 and "no" (first at ${text}:2) is 0`);
    expect(xent(tmp.dir, ["eval", text, ...pos, "--threads", "3"]).stderr).toBe(third.stderr);
  });

  it("TSV, logits, no header; an unclosed quote at the end stops as before; bad --threads is usage", () => {
    const tsv = tmp.file("s.tsv", Array.from({ length: 500 }, (_, i) => `${i % 2}\t${((i * 37) % 101) / 10 - 5}`).join("\n"));
    const a = ["--label", "1", "--logit", "2", "--no-header", "--piece-bytes", "128"];
    expect(evalJson([tsv, ...a, "--threads", "4"])).toBe(evalJson([tsv, ...a, "--threads", "1"]));
    const open = tmp.file("open.csv", "y,p,g\n" + "1,0.5,a\n".repeat(200) + '0,0.5,"never closed\n' + "1,0.5,a\n".repeat(50));
    const r = xent(tmp.dir, ["eval", open, "--label", "y", "--prob", "p", "--threads", "2", "--piece-bytes", "100"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${open}:202:7: a quoted field is never closed`);
    expect(xent(tmp.dir, ["eval", open, "--label", "y", "--prob", "p", "--threads", "0"]).code).toBe(2);
    expect(xent(tmp.dir, ["eval", open, "--label", "y", "--probs", "p", "--threads", "2"]).code).toBe(2);
  });
});
