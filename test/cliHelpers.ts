// Helpers for the CLI tests: a temporary directory, the built binary run as a child process, and `main` run
// in process with collected output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main } from "../src/cli/main.js";

export const bin = join(import.meta.dirname, "..", "dist", "cli", "bin.js");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/bin.js ...args` in `cwd`, with optional stdin bytes. */
export function xent(cwd: string, args: string[], input?: string | Buffer): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input: input ?? "" });
  return { code: r.status ?? -1, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8") };
}

/** Runs `main(args)` in process; stdin from the given chunks. */
export async function xentInProcess(args: string[], stdinChunks: (string | Buffer)[] = [], stderrIsTTY = false): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdin: Readable.from(stdinChunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c))),
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stderrIsTTY,
  });
  return { code, stdout, stderr };
}

export function tempDir(): { dir: string; file: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "xent-cli-"));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** ulp distance between two doubles (0 for equal, Infinity if one is not finite and they differ). */
export function ulps(a: number, b: number): number {
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const e = Math.floor(Math.log2(Math.max(Math.abs(a), Math.abs(b))));
  return Math.abs(a - b) / 2 ** (Math.max(e, -1022) - 52);
}
