import { type LogLossSqlOptions, logLossSql, SQL_DIALECTS, type SqlDialect } from "../index.js";
import { type OptionSpec, parseArgs } from "./args.js";
import { type CliIO, type Command, writeOut } from "./cliIO.js";
import { UsageError } from "./usageError.js";

const sqlOptions: OptionSpec[] = [
  { name: "dialect", type: "string", value: "NAME", help: `the engine: ${SQL_DIALECTS.join(", ")}` },
  { name: "table", type: "string", value: "TABLE", help: 'the table (schema.table allowed) or a subquery "(SELECT ...)"' },
  { name: "label", type: "string", value: "COLUMN", help: "the label column: 0/1 (or -1/+1 with --labels pm1)" },
  { name: "prob", type: "string", value: "COLUMN", help: "the column of probabilities of y = 1" },
  { name: "logit", type: "string", value: "COLUMN", help: "the column of logits (instead of --prob)" },
  { name: "weight", type: "string", value: "COLUMN", help: "a column of sample weights (finite, >= 0)" },
  { name: "by", type: "string", value: "COLUMN", help: "one result row per value of this column" },
  { name: "labels", type: "string", value: "01|pm1", help: "the label convention (default 01)" },
  { name: "auc", type: "boolean", help: "also print the ROC AUC bins query (after the metrics query)" },
  { name: "state", type: "boolean", help: "print the state query instead: its result, exported, is what xent merge --sql-rows reads" },
];

export const sqlCommand: Command = {
  name: "sql",
  summary: "print SQL that computes the exact log loss, Brier, accuracy and AUC bins inside a database",
  options: sqlOptions,
  help: `xent sql --dialect NAME --table TABLE --label COLUMN (--prob COLUMN | --logit COLUMN) [options]

Prints a query that computes, inside the database, what xent eval computes: the log loss (within 1e-14
relative of xent eval with DuckDB and PostgreSQL, which sum exactly; plain SUM elsewhere), the Brier score,
the accuracy (a score exactly at 0.5 / logit 0 predicts 0) and the counts, one row per --by group. Stable
forms only: softplus from exp(-|s|) for logits, -ln(p) and -log1p(-p) for probabilities, a guarded
log1p (Kahan's trick where the engine has no LOG1P), no exp that can overflow or underflow into an error.
An infinite loss (p = 0 or 1, or an infinite logit, on the wrong side) gives log_loss = Infinity and is
counted in infinite_loss_count; rows with an invalid label, score or weight are counted in invalid_count.

--auc adds the ROC AUC query: the bins of xent's AUC accumulator (one row per distinct score up to 65536
per group, else its 32770-bin histogram). --state prints one query with the sums and the bins together:
export its result (CSV or JSON Lines) and \`xent merge --sql-rows FILE\` turns it into an xent state and
prints the figures, AUC and its error bound included, bit-identical to xent eval on the same rows.

Options:
{{options}}

Examples:
  xent sql --dialect duckdb --table preds --label y --prob p
  xent sql --dialect postgres --table scores.daily --label clicked --logit score --by country --auc
  xent sql --dialect bigquery --table my-project.ml.preds --label y --logit s --weight w
  xent sql --dialect snowflake --table "(SELECT * FROM preds WHERE day = '2026-12-01')" --label y --prob p
  xent sql --dialect duckdb --table preds --label y --prob p --state > state.sql
  duckdb db.duckdb -c "COPY ($(cat state.sql)) TO 'rows.csv' (HEADER)" && xent merge --sql-rows rows.csv
`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { options: o, positionals } = parseArgs("sql", argv, sqlOptions);
    const usage = (m: string) => new UsageError("sql", m);
    if (positionals.length > 0) throw usage(`unexpected argument ${JSON.stringify(positionals[0])} (the table is --table)`);
    const dialect = o.dialect as string | undefined;
    if (dialect === undefined) throw usage(`--dialect is required (${SQL_DIALECTS.join(", ")})`);
    if (!(SQL_DIALECTS as readonly string[]).includes(dialect))
      throw usage(`--dialect ${JSON.stringify(dialect)} is not one of ${SQL_DIALECTS.join(", ")}`);
    if (typeof o.table !== "string") throw usage("--table is required");
    if (typeof o.label !== "string") throw usage("--label COLUMN is required");
    if ((o.prob === undefined) === (o.logit === undefined)) throw usage("give exactly one of --prob and --logit");
    const labels = (o.labels as string | undefined) ?? "01";
    if (labels !== "01" && labels !== "pm1") throw usage(`--labels ${JSON.stringify(labels)} is not 01 or pm1`);
    if (o.auc === true && o.state === true) throw usage("--auc and --state exclude each other (the state query holds the AUC bins)");
    const options: LogLossSqlOptions = { dialect: dialect as SqlDialect, table: o.table, label: o.label, labels };
    for (const k of ["prob", "logit", "weight", "by"] as const) if (typeof o[k] === "string") options[k] = o[k];
    let queries;
    try {
      queries = logLossSql(options);
    } catch (e) {
      if (e instanceof RangeError || e instanceof TypeError)
        throw usage(e.message.replace(/^logLossSql: options\./, "--").replace(/^logLossSql: /, ""));
      throw e;
    }
    let text: string;
    if (o.state === true) text = queries.state;
    else if (o.auc === true)
      text = `-- xent sql: metrics\n${queries.metrics.trimEnd()};\n\n-- xent sql: ROC AUC bins\n${queries.rocAuc.trimEnd()};\n`;
    else text = queries.metrics;
    await writeOut(io.stdout, text);
    return 0;
  },
};
