import { InputError } from "../io/inputError.js";
import { optionsHelp } from "./args.js";
import { calibrateCommand } from "./calibrateCommand.js";
import { type CliIO, type Command } from "./cliIO.js";
import { evalCommand } from "./evalCommand.js";
import { lossCommand } from "./lossCommand.js";
import { mergeCommand } from "./mergeCommand.js";
import { plotCommand } from "./plotCommand.js";
import { predictCommand } from "./predictCommand.js";
import { sqlCommand } from "./sqlCommand.js";
import { trainCommand } from "./trainCommand.js";
import { reportCommand } from "./reportCommand.js";
import { version } from "./version.js";
import { UsageError } from "./usageError.js";

export type { CliIO } from "./cliIO.js";

const commands: Command[] = [
  evalCommand,
  mergeCommand,
  sqlCommand,
  lossCommand,
  trainCommand,
  predictCommand,
  calibrateCommand,
  plotCommand,
  reportCommand,
];

function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `xent: cross-entropy, exact

Usage: xent COMMAND [options]   (xent COMMAND --help for each command)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Exit codes: 0 success, 1 bad input data, 2 bad usage (an unknown option, a missing argument, an option
value that is not valid).

Example:
  xent eval preds.csv --label y --prob p
`;
}

function commandHelp(c: Command): string {
  return c.help.replace("{{options}}", optionsHelp(c.options));
}

/**
 * The command line, callable in process: `main(["eval", "preds.csv", "--label", "y", "--prob", "p"], io)`
 * resolves to the exit code (0 success, 1 bad input, 2 bad usage). Results go to `io.stdout`, messages
 * and the progress bar to `io.stderr`; on an error nothing is printed on stdout.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? commands.find((c) => c.name === rest[0]) : undefined;
    if (name === undefined) {
      io.stderr.write(generalHelp());
      return 2;
    }
    io.stdout.write(topic === undefined ? generalHelp() : commandHelp(topic));
    return 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`xent: unknown command ${JSON.stringify(name)} (commands: ${commands.map((c) => c.name).join(", ")})\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`xent ${name}: ${e.message}\nRun "xent ${name} --help" for usage.\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof RangeError || e instanceof TypeError) {
      io.stderr.write(`xent ${name}: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`xent ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
