import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as xent from "xent";

/**
 * Runs the examples of docs/multiclass.md (the multi-class section, to be merged into the README) and checks
 * each stated result: every ```ts block runs as one script (imports removed); a line `expr; // => result`
 * checks expr. Once the section lives in the README, test/docExamples.test.ts runs it there (the `@example`
 * lines of the sources are run there already) and this file can go.
 */
function format(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof Float64Array || v instanceof Float32Array) return `${v.constructor.name} [${Array.from(v, format).join(", ")}]`;
  if (Array.isArray(v)) return `[${v.map(format).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${format(x)}`).join(", ")} }`;
  }
  return String(v);
}

/** The stated result without a trailing note in parentheses, e.g. "0.75 (the mean)" -> "0.75". */
function stated(text: string): string {
  return text.trim().replace(/\s+\([^()]*\)$/, "");
}

const names = Object.keys(xent).filter((n) => /^[a-zA-Z]/.test(n));
const values = names.map((n) => (xent as Record<string, unknown>)[n]);

function run(script: string, check: (expr: string, got: unknown, want: string) => void): void {
  const body = script
    .split("\n")
    .filter((line) => !/^\s*import\s/.test(line))
    .map((line) => {
      const m = /^(\s*)(.*?);?\s*\/\/ => (.*)$/.exec(line);
      return m ? `${m[1]}__check(${JSON.stringify(m[2])}, ${m[2]}, ${JSON.stringify(m[3])});` : line;
    })
    .join("\n");
  new Function(...names, "__check", body)(...values, check);
}

const docs = new URL("../docs/multiclass.md", import.meta.url);

describe.skipIf(!existsSync(docs))("docs/multiclass.md examples", () => {
  const md = readFileSync(docs, "utf8");
  const blocks = [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  it("has examples", () => expect(blocks.length).toBeGreaterThanOrEqual(7));
  blocks.forEach((block, i) => {
    it(`block ${i + 1}: ${block.split("\n").find((l) => l.includes("// =>"))?.slice(0, 60) ?? ""}`, () => {
      let checks = 0;
      run(block, (expr, got, want) => {
        checks++;
        expect(`${expr} -> ${format(got)}`).toBe(`${expr} -> ${stated(want)}`);
      });
      expect(checks).toBeGreaterThan(0);
    });
  });
});
