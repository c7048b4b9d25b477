import { type Readable } from "node:stream";
import { type OptionSpec } from "./args.js";

/** A writable the CLI prints to: process.stdout, or a collector in tests. */
export interface OutStream {
  write(chunk: string): boolean | void;
  once?(event: "drain", listener: () => void): unknown;
}

/** Everything the CLI touches of its process, so that `main` can run in process (tests) or as the binary. */
export interface CliIO {
  stdin?: Readable;
  stdout: OutStream;
  stderr: OutStream;
  /** Draw a progress bar on stderr (the binary passes process.stderr.isTTY). */
  stderrIsTTY?: boolean;
}

export interface Command {
  name: string;
  summary: string;
  options: OptionSpec[];
  /** --help text; "{{options}}" is replaced by the options table. */
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Writes, waiting for "drain" when the stream asks for it (large outputs into a slow pipe). */
export async function writeOut(out: OutStream, text: string): Promise<void> {
  if (out.write(text) === false && out.once !== undefined) {
    await new Promise<void>((resolve) => out.once!("drain", resolve));
  }
}
