/**
 * The layers' dependency direction (ARCHITECTURE.md), checked on the import statements of the sources:
 * src/core <- src/model <- src/io <- src/cli, src/sql beside io importing only core, src/parallel
 * (xent/threads) importing only core, src/index.ts re-exporting a browser-safe graph (no `node:` module
 * reachable from it), and web/ using the library only through its public name "xent". Inside core, the
 * shared helpers (core/common) and the numerics (core/numerics) import nothing from the losses above them.
 * A new import against the direction fails here with the file and the specifier.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/**
 * The specifiers of a module's static imports, re-exports and dynamic imports (comments ignored; a type
 * query `typeof import("x")` loads nothing and is not counted).
 */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /(?<!typeof\s+)\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // not a type: `typeof import("node:fs")`
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]!);
  return specs;
}

interface Import {
  /** The importing file, relative to the repository root. */
  from: string;
  specifier: string;
  /** The imported file relative to the root (relative specifiers only; `.js` mapped to the `.ts` source). */
  target: string | null;
}

function resolve(fromAbs: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const abs = path.resolve(path.dirname(fromAbs), specifier.replace(/\?.*$/, ""));
  const candidates = [abs, abs.replace(/\.js$/, ".ts"), abs.replace(/\.mjs$/, ".mts"), `${abs}.ts`];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? abs;
  return path.relative(root, found).split(path.sep).join("/");
}

function importsOf(file: string): Import[] {
  const from = path.relative(root, file).split(path.sep).join("/");
  return importSpecifiers(readFileSync(file, "utf8")).map((specifier) => ({
    from,
    specifier,
    target: resolve(file, specifier),
  }));
}

function importsUnder(dir: string): Import[] {
  return sourceFiles(path.join(root, dir)).flatMap(importsOf);
}

const describeImport = (i: Import) => `${i.from} imports "${i.specifier}"`;

/** The imports that break a rule, as "file imports spec" lines (expected to be none). */
function violations(imports: Import[], allowed: (i: Import) => boolean): string[] {
  return imports.filter((i) => !allowed(i)).map(describeImport);
}

const inside = (i: Import, ...dirs: string[]) => i.target !== null && dirs.some((d) => i.target!.startsWith(`${d}/`));

describe("the layers import one way", () => {
  it("finds the imports it checks (the scanner itself)", () => {
    expect(
      importSpecifiers(
        'import { a } from "./a.js";\nexport { b } from "../b.js";\nimport type {\n  C,\n} from "./c.js";\n// import "./no.js";\nconst d = await import("./d.js");\nlet fs: typeof import("node:fs");\n',
      ),
    ).toEqual(["./a.js", "../b.js", "./c.js", "./d.js"]);
    expect(importsUnder("src/core").length).toBeGreaterThan(100);
  });

  it("core imports only core: no other layer, no package, no node: module", () => {
    expect(violations(importsUnder("src/core"), (i) => inside(i, "src/core"))).toEqual([]);
  });

  it("inside core, common and numerics import nothing from the losses, metrics or kernels above them", () => {
    expect(violations(importsUnder("src/core/common"), (i) => inside(i, "src/core/common"))).toEqual([]);
    expect(violations(importsUnder("src/core/numerics"), (i) => inside(i, "src/core/numerics", "src/core/common"))).toEqual([]);
    expect(violations(importsUnder("src/core/scalar"), (i) => inside(i, "src/core/scalar", "src/core/numerics", "src/core/common"))).toEqual([]);
  });

  it("model imports only core and model, and no node: module", () => {
    expect(violations(importsUnder("src/model"), (i) => inside(i, "src/core", "src/model"))).toEqual([]);
  });

  it("io imports core, model, io, node: modules and packages, never cli, parallel or sql", () => {
    const io = importsUnder("src/io");
    expect(violations(io, (i) => (i.target === null ? true : inside(i, "src/core", "src/model", "src/io")))).toEqual([]);
  });

  it("sql (the query generator) imports only core and sql: browser-safe, no node: module, no package", () => {
    expect(violations(importsUnder("src/sql"), (i) => inside(i, "src/core", "src/sql"))).toEqual([]);
  });

  it("parallel (xent/threads) imports only core, parallel and node: modules", () => {
    const parallel = importsUnder("src/parallel");
    expect(violations(parallel, (i) => (i.target === null ? i.specifier.startsWith("node:") : inside(i, "src/core", "src/parallel")))).toEqual([]);
  });

  it("nothing but cli imports cli", () => {
    const outside = ["src/core", "src/model", "src/io", "src/sql", "src/parallel"].flatMap(importsUnder);
    expect(violations(outside, (i) => !inside(i, "src/cli"))).toEqual([]);
    expect(violations(importsOf(path.join(root, "src/index.ts")), (i) => !inside(i, "src/cli"))).toEqual([]);
  });

  it("no node: module or package is reachable from src/index.ts (the public API runs in browsers)", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (rel: string) => {
      if (seen.has(rel)) return;
      seen.add(rel);
      for (const i of importsOf(path.join(root, rel))) {
        if (i.target === null) bad.push(describeImport(i));
        else visit(i.target);
      }
    };
    visit("src/index.ts");
    expect(seen.size).toBeGreaterThan(50);
    expect(bad).toEqual([]);
  });

  it('web/ uses the library only through its public name "xent"', () => {
    const web = importsUnder("web/src");
    expect(web.length).toBeGreaterThan(0);
    const ok = (i: Import) => (i.target === null ? !i.specifier.startsWith("xent/") && !i.specifier.startsWith("/") : inside(i, "web", "data"));
    expect(violations(web, ok)).toEqual([]);
  });
});
