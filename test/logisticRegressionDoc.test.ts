// Runs the code blocks of docs/logistic-regression.md (the README section on logistic regression) with the
// library's names in scope, checking every `expr; // => result` line, as test/docExamples.test.ts does for
// the README.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as xent from "xent";

const file = join(import.meta.dirname, "..", "docs", "logistic-regression.md");

interface Block {
  where: string;
  body: string;
  checks: { where: string; expr: string; expected: string }[];
}

function blocks(): Block[] {
  const out: Block[] = [];
  let current: { where: string; lines: string[]; checks: Block["checks"] } | null = null;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const where = `docs/logistic-regression.md:${i + 1}`;
      if (current === null) {
        if (/^```(ts|js)\s*$/.test(line)) current = { where, lines: [], checks: [] };
        return;
      }
      if (/^```/.test(line)) {
        out.push({ where: current.where, body: current.lines.join("\n"), checks: current.checks });
        current = null;
        return;
      }
      if (/^\s*import\s/.test(line)) return;
      const m = /^(.+?);?\s*\/\/\s*=>\s*(.+)$/.exec(line);
      if (!m) {
        current.lines.push(line);
        return;
      }
      const index = current.checks.push({ where, expr: m[1]!, expected: m[2]! }) - 1;
      current.lines.push(`__got(${index}, ${m[1]});`);
    });
  return out;
}

/** The documented result as a value: a trailing "(explanation)" dropped. */
function expected(text: string): unknown {
  return new Function(`return (${text.replace(/\s+\([^()]*\)\s*$/, "").trim()});`)();
}

const plain = (v: unknown): unknown => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v);

describe("docs/logistic-regression.md", () => {
  const all = blocks();
  it("has examples", () => expect(all.flatMap((b) => b.checks).length).toBeGreaterThan(8));
  it.each(all.map((b) => [b.where, b] as const))("block at %s", (_where, block) => {
    const values: unknown[] = [];
    const names = Object.keys(xent).join(", ");
    new Function("xent", "__got", `const { ${names} } = xent;\n${block.body}`)(xent, (i: number, v: unknown) => {
      values[i] = v;
      return v;
    });
    block.checks.forEach((check, i) => {
      expect(plain(values[i]), `${check.where}: ${check.expr}`).toEqual(plain(expected(check.expected)));
    });
  });
});
