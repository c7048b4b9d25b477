// Runs every documented example: the `@example expr // result` lines of the sources' doc comments and the
// `expr // => result` lines of the README's code blocks. A documented result that drifts from what the
// library returns fails here.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as xent from "xent";

const root = join(import.meta.dirname, "..");

interface Example {
  where: string;
  expr: string;
  expected: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** `@example sigmoid(0) // 0.5` in doc comments. */
function docCommentExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of sourceFiles(join(root, "src"))) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const m = /^\s*\*\s*@example\s+(.+?)\s*\/\/\s*(.+)$/.exec(line);
        if (m) examples.push({ where: `${file.slice(root.length + 1)}:${i + 1}`, expr: m[1]!, expected: m[2]! });
      });
  }
  return examples;
}

/**
 * The ```ts / ```js blocks of the README and of docs/*.md, each run as a whole (so later lines see earlier `const`s), with every
 * `expr; // => result` line turned into a recorded check. Import lines are dropped: the library's names are
 * in scope.
 */
function readmeBlocks(): { where: string; body: string; checks: Example[] }[] {
  const blocks: { where: string; body: string; checks: Example[] }[] = [];
  const files = [
    "README.md",
    ...readdirSync(join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  for (const file of files) blocks.push(...markdownBlocks(file));
  return blocks;
}

/** The ```ts / ```js blocks of one markdown file (see `readmeBlocks`). */
function markdownBlocks(file: string): { where: string; body: string; checks: Example[] }[] {
  const blocks: { where: string; body: string; checks: Example[] }[] = [];
  let current: { where: string; lines: string[]; checks: Example[] } | null = null;
  readFileSync(join(root, file), "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (current === null) {
        if (/^```(ts|js|typescript|javascript)\s*$/.test(line)) current = { where: `${file}:${i + 1}`, lines: [], checks: [] };
        return;
      }
      if (/^```/.test(line)) {
        blocks.push({ where: current.where, body: current.lines.join("\n"), checks: current.checks });
        current = null;
        return;
      }
      if (/^\s*import\s/.test(line)) return;
      const m = /^(.+?);?\s*\/\/\s*=>\s*(.+)$/.exec(line);
      if (!m) {
        current.lines.push(line);
        return;
      }
      const check: Example = { where: `${file}:${i + 1}`, expr: m[1]!, expected: m[2]! };
      const declared = /^(const|let)\s+(\w+)\s*=\s*(.+)$/.exec(check.expr);
      const index = current.checks.push(check) - 1;
      current.lines.push(declared ? `${declared[1]} ${declared[2]} = __got(${index}, ${declared[3]});` : `__got(${index}, ${check.expr});`);
    });
  return blocks;
}

/** The documented result as a JS value: drops a trailing "(explanation)", reads `Float64Array [..]` as an array. */
function expectedValue(text: string): unknown {
  const literal = text
    .replace(/\s+\([^()]*\)\s*$/, "")
    .replace(/\b(Float64Array|Float32Array)(\(\d+\))?\s*\[/g, "[")
    .trim();
  return new Function(`return (${literal});`)();
}

function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as Float64Array);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && !(value instanceof Error)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const names = Object.keys(xent).join(", ");

/** Runs `body` with the library's names in scope; `__got(i, value)` records check i's value. */
function run(body: string, got: (index: number, value: unknown) => unknown): void {
  new Function("xent", "__got", `const { ${names} } = xent;\n${body}`)(xent, got);
}

const docExamples = docCommentExamples();
const blocks = readmeBlocks();

describe("doc-comment examples", () => {
  it("finds them", () => expect(docExamples.length).toBeGreaterThan(20));
  it.each(docExamples.map((e) => [e.where, e.expr, e.expected] as const))("%s: %s", (_where, expr, expected) => {
    let value: unknown;
    run(`__got(0, ${expr});`, (_i, v) => (value = v));
    expect(plain(value)).toEqual(plain(expectedValue(expected)));
  });
});

describe("README examples", () => {
  it("finds them", () => expect(blocks.flatMap((b) => b.checks).length).toBeGreaterThan(10));
  it.each(blocks.map((b) => [b.where, b] as const))("block at %s", (_where, block) => {
    const values: unknown[] = [];
    run(block.body, (i, v) => {
      values[i] = v;
      return v;
    });
    block.checks.forEach((check, i) => {
      expect(plain(values[i]), `${check.where}: ${check.expr}`).toEqual(plain(expectedValue(check.expected)));
    });
  });
});
