import { UsageError } from "./usageError.js";

/** One option of a command. Booleans are flags (`--json`); the others take a value (`--C 1` or `--C=1`). */
export interface OptionSpec {
  name: string;
  type: "string" | "number" | "boolean";
  /** Shown in --help: the value's placeholder and what the option does. */
  value?: string;
  help: string;
  /** The value may be given several times (strings only); the result is an array. */
  multiple?: boolean;
}

export type OptionValues = Record<string, string | number | boolean | string[] | undefined>;

export interface ParsedArgs {
  options: OptionValues;
  positionals: string[];
}

/**
 * A small argument parser: `--name value`, `--name=value`, boolean flags, `--` to end the options, `-` as a
 * positional (stdin), `-h`/`--help`. A value may start with a dash (`--logit -3`). Unknown options, missing
 * values and non-numeric numbers are UsageErrors naming the option.
 */
export function parseArgs(command: string, argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options: OptionValues = {};
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") {
      options.help = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "-") {
      if (arg.startsWith("-") && arg !== "-" && !/^-\d|^-\./.test(arg)) {
        throw new UsageError(command, `unknown option ${arg}`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError(command, `unknown option --${name}`);
    if (spec.type === "boolean") {
      if (eq >= 0) throw new UsageError(command, `--${name} is a flag and takes no value`);
      options[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(command, `--${name} needs a value${spec.value ? ` (${spec.value})` : ""}`);
      value = argv[++i]!;
    }
    if (spec.type === "number") {
      const t = value.trim();
      const x = t === "" ? NaN : Number(t);
      if (!Number.isFinite(x) && !/^[+-]?inf(inity)?$/i.test(t)) {
        throw new UsageError(command, `--${name} = ${JSON.stringify(value)} is not a number`);
      }
      options[name] = Number.isFinite(x) ? x : t.startsWith("-") ? -Infinity : Infinity;
      if (spec.multiple) throw new Error("multiple numbers are not supported");
      continue;
    }
    if (spec.multiple) {
      const list = (options[name] as string[] | undefined) ?? [];
      list.push(value);
      options[name] = list;
    } else {
      if (options[name] !== undefined) throw new UsageError(command, `--${name} given twice`);
      options[name] = value;
    }
  }
  return { options, positionals };
}

/** The options section of a command's --help. */
export function optionsHelp(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => [`--${s.name}${s.value ? ` ${s.value}` : ""}`, s.help] as const);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join("\n");
}
