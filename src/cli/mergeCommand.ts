import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { parseCi, writeState } from "./evalCommand.js";
import { reportJson, reportText } from "./evalOutput.js";
import { mergeStates } from "./evalRun.js";
import { readSqlRows } from "./sqlRowsFile.js";
import { stateFromSqlRows } from "../sql/sqlRowsState.js";
import { UsageError } from "./usageError.js";
import { readJsonFile } from "../io/readTextFile.js";

const mergeOptions: OptionSpec[] = [
  { name: "json", type: "boolean", help: "print JSON (exact doubles) instead of a table" },
  { name: "state-out", type: "string", value: "FILE", help: "also write the merged state (to merge again later)" },
  {
    name: "ci",
    type: "string",
    value: "LEVEL",
    help: "the level of the bootstrap intervals of states written with eval --ci (default: the level they were written with)",
  },
  {
    name: "sql-rows",
    type: "string",
    multiple: true,
    value: "FILE",
    help: "the exported result (CSV, TSV, JSON Lines or a JSON array) of the state query of xent sql --state",
  },
];

export const mergeCommand: Command = {
  name: "merge",
  summary: "combine the states of sharded evaluations (eval --state-out) into the final figures",
  options: mergeOptions,
  help: `xent merge STATE.json... [--sql-rows FILE]... [--json] [--state-out FILE]

Combines the partial states written by \`xent eval --state-out\` on shards of a data set into the figures of
the whole: the same (to a few ulps) as evaluating the concatenated files. The states must agree on the
input (probabilities or logits), on --by, --clip and --ci (replicates and seed). Merged states can be
merged again. With --ci, the intervals are those of one run over all the files, bit for bit, when each
file was evaluated whole in one shard (a file in two states is an error: its rows would share their
resampling weights).

With --sql-rows, the result of the query that \`xent sql --state\` prints, run inside a database and
exported as CSV or JSON Lines, becomes a state too (the same JSON as \`xent eval --state-out\`): the figures
of the table, with an AUC and error bound bit-identical to \`xent eval\` on the same (unweighted or
integer-weighted) rows.

Options:
{{options}}

Example:
  xent eval part-1.csv --label y --prob p --state-out s1.json
  xent eval part-2.csv --label y --prob p --state-out s2.json
  xent merge s1.json s2.json
  xent sql --dialect duckdb --table preds --label y --prob p --state > state.sql
  duckdb db.duckdb -c "COPY ($(cat state.sql)) TO 'rows.csv' (HEADER)"
  xent merge --sql-rows rows.csv --state-out state.json
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals: files } = parseArgs("merge", argv, mergeOptions);
    const sqlRows = (o["sql-rows"] as string[] | undefined) ?? [];
    const ci = parseCi(o.ci as string | undefined, undefined, undefined, "merge");
    if (files.length === 0 && sqlRows.length === 0) {
      throw new UsageError("merge", "no state file (give the files written by xent eval --state-out, or --sql-rows FILE)");
    }
    const states: { file: string; value: unknown }[] = files.map((file) => ({ file, value: readJsonFile(file, "a state file") }));
    for (const file of sqlRows) {
      const { rows, where } = readSqlRows(file);
      states.push({ file, value: stateFromSqlRows(rows, file, where) });
    }
    const { report, state } = mergeStates(states, ci === null ? null : ci.level);
    if (typeof o["state-out"] === "string") writeState(o["state-out"], state);
    await writeOut(io.stdout, o.json === true ? reportJson(report) : reportText(report));
    return 0;
  },
};
