import { type SqlDialect } from "./logLossSql.js";

/** A function (or function-like keyword) a generated query may call, with the page that documents it. */
export interface SqlFunction {
  name: string;
  url: string;
}

/**
 * What the query builders need to know of an engine. Each dialect lists the functions its queries may call,
 * each with its documentation; a test extracts every call from every generated query and checks it is listed.
 * Functions deliberately kept out: GREATEST/LEAST (NULL handling differs between engines), IF/IFF/IIF (not
 * portable), TRY_* and SAFE_* (they would hide an error as a NULL), LOG1P except in Spark (the only one of the
 * six that has it; the others get Kahan's log1p from LN, stableTerms.ts).
 */
export interface DialectSpec {
  name: SqlDialect;
  /** The identifier quote: `"` (standard) or a backtick (Spark, BigQuery). */
  quote: '"' | "`";
  /** The name of the IEEE double type in CAST. */
  double: string;
  /** The string that CAST turns into +Infinity. */
  infinityText: string;
  /** LOG1P is available (and accurate: Spark's is java.lang.Math.log1p). */
  hasLog1p: boolean;
  /**
   * PostgreSQL raises "value out of range: underflow" when a float8 operation (exp, *) rounds a nonzero
   * result to 0, and glibc's exp reports subnormal results as range errors, which PostgreSQL turns into an
   * error too: the builders then keep every exp argument >= -708 and every product away from underflow.
   */
  raisesOnUnderflow: boolean;
  /**
   * The sum of a double expression, as exact as the engine allows, as a double:
   * - duckdb: `FSUM` (Kahan-Babuska compensated sum; the terms here are >= 0, so the result is within a few
   *   ulps of the exact sum for any row count).
   * - postgres: `SUM(CAST(CAST(x AS TEXT) AS NUMERIC))`, exact decimal arithmetic, cast back. Through TEXT
   *   because the direct float8 -> numeric cast keeps only 15 significant digits (up to 5e-16 relative per
   *   term: a one-row group's loss came back an ulp off); float8's text output (PostgreSQL 12+, with the
   *   default extra_float_digits = 1) is the shortest decimal that reads back as the same double, so each
   *   term enters within half an ulp, and a one-row sum is the double itself.
   * - spark, bigquery, trino, snowflake: plain `SUM` (none of them documents a compensated double sum; the
   *   error grows like sqrt(n) ulps for random rounding, worst case n ulps: about 1e-13 relative at 10^6 rows
   *   with random rounding, not the 1e-14 of the two engines above).
   */
  exactSum(x: string): string;
  /** The sum of `w * x` (both doubles, x >= 0, w >= 0): PostgreSQL forms the product in NUMERIC (exact, no underflow error). */
  exactSumProduct(w: string, x: string): string;
  /**
   * How a common table expression used several times is written: PostgreSQL inlines a CTE into each place
   * that reads it (so `EXP` ran once per use: 18 s instead of 6 s on 10^6 rows), `MATERIALIZED` computes it
   * once; the others plan it themselves.
   */
  materialized: string;
  functions: readonly SqlFunction[];
}

const duckdbDocs = "https://duckdb.org/docs/stable/sql/functions/numeric";
const duckdbAggregates = "https://duckdb.org/docs/stable/sql/functions/aggregates";
const postgresMath = "https://www.postgresql.org/docs/15/functions-math.html";
const postgresAggregates = "https://www.postgresql.org/docs/15/functions-aggregate.html";
const sparkDocs = "https://spark.apache.org/docs/latest/api/sql/index.html";
const bigqueryMath = "https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions";
const bigqueryAggregates = "https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions";
const trinoMath = "https://trino.io/docs/current/functions/math.html";
const trinoAggregates = "https://trino.io/docs/current/functions/aggregate.html";
const snowflakeDocs = "https://docs.snowflake.com/en/sql-reference/functions";

const plainSum = (x: string) => `SUM(${x})`;
const plainSumProduct = (w: string, x: string) => `SUM(${w} * ${x})`;

export const DIALECTS: Readonly<Record<SqlDialect, DialectSpec>> = {
  duckdb: {
    name: "duckdb",
    quote: '"',
    double: "DOUBLE",
    infinityText: "Infinity",
    hasLog1p: false,
    raisesOnUnderflow: false,
    materialized: "",
    exactSum: (x) => `FSUM(${x})`,
    exactSumProduct: (w, x) => `FSUM(${w} * ${x})`,
    functions: [
      { name: "ABS", url: `${duckdbDocs}#absx` },
      { name: "EXP", url: `${duckdbDocs}#expx` },
      { name: "LN", url: `${duckdbDocs}#lnx` },
      { name: "FLOOR", url: `${duckdbDocs}#floorx` },
      { name: "CAST", url: "https://duckdb.org/docs/stable/sql/expressions/cast" },
      { name: "COUNT", url: `${duckdbAggregates}#countarg` },
      { name: "FSUM", url: `${duckdbAggregates}#fsumarg` },
    ],
  },
  postgres: {
    name: "postgres",
    quote: '"',
    double: "DOUBLE PRECISION",
    infinityText: "Infinity",
    hasLog1p: false,
    raisesOnUnderflow: true,
    exactSum: (x) => `CAST(SUM(CAST(CAST(${x} AS TEXT) AS NUMERIC)) AS DOUBLE PRECISION)`,
    exactSumProduct: (w, x) => `CAST(SUM(CAST(CAST(${w} AS TEXT) AS NUMERIC) * CAST(CAST(${x} AS TEXT) AS NUMERIC)) AS DOUBLE PRECISION)`,
    materialized: "MATERIALIZED ",
    functions: [
      { name: "ABS", url: `${postgresMath}#FUNCTIONS-MATH-FUNC-TABLE` },
      { name: "EXP", url: `${postgresMath}#FUNCTIONS-MATH-FUNC-TABLE` },
      { name: "LN", url: `${postgresMath}#FUNCTIONS-MATH-FUNC-TABLE` },
      { name: "FLOOR", url: `${postgresMath}#FUNCTIONS-MATH-FUNC-TABLE` },
      { name: "CAST", url: "https://www.postgresql.org/docs/15/sql-expressions.html#SQL-SYNTAX-TYPE-CASTS" },
      { name: "COUNT", url: `${postgresAggregates}#FUNCTIONS-AGGREGATE-TABLE` },
      { name: "SUM", url: `${postgresAggregates}#FUNCTIONS-AGGREGATE-TABLE` },
    ],
  },
  spark: {
    name: "spark",
    quote: "`",
    double: "DOUBLE",
    infinityText: "Infinity",
    hasLog1p: true,
    raisesOnUnderflow: false,
    materialized: "",
    exactSum: plainSum,
    exactSumProduct: plainSumProduct,
    functions: [
      { name: "ABS", url: `${sparkDocs}#abs` },
      { name: "EXP", url: `${sparkDocs}#exp` },
      { name: "LN", url: `${sparkDocs}#ln` },
      { name: "LOG1P", url: `${sparkDocs}#log1p` },
      { name: "FLOOR", url: `${sparkDocs}#floor` },
      { name: "CAST", url: `${sparkDocs}#cast` },
      { name: "COUNT", url: `${sparkDocs}#count` },
      { name: "SUM", url: `${sparkDocs}#sum` },
    ],
  },
  bigquery: {
    name: "bigquery",
    quote: "`",
    double: "FLOAT64",
    infinityText: "inf",
    hasLog1p: false,
    raisesOnUnderflow: false,
    materialized: "",
    exactSum: plainSum,
    exactSumProduct: plainSumProduct,
    functions: [
      { name: "ABS", url: `${bigqueryMath}#abs` },
      { name: "EXP", url: `${bigqueryMath}#exp` },
      { name: "LN", url: `${bigqueryMath}#ln` },
      { name: "FLOOR", url: `${bigqueryMath}#floor` },
      { name: "CAST", url: "https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast" },
      { name: "COUNT", url: `${bigqueryAggregates}#count` },
      { name: "SUM", url: `${bigqueryAggregates}#sum` },
    ],
  },
  trino: {
    name: "trino",
    quote: '"',
    double: "DOUBLE",
    infinityText: "Infinity",
    hasLog1p: false,
    raisesOnUnderflow: false,
    materialized: "",
    exactSum: plainSum,
    exactSumProduct: plainSumProduct,
    functions: [
      { name: "ABS", url: `${trinoMath}#abs` },
      { name: "EXP", url: `${trinoMath}#exp` },
      { name: "LN", url: `${trinoMath}#ln` },
      { name: "FLOOR", url: `${trinoMath}#floor` },
      { name: "CAST", url: "https://trino.io/docs/current/functions/conversion.html#cast" },
      { name: "COUNT", url: `${trinoAggregates}#count` },
      { name: "SUM", url: `${trinoAggregates}#sum` },
    ],
  },
  snowflake: {
    name: "snowflake",
    quote: '"',
    double: "DOUBLE",
    infinityText: "inf",
    hasLog1p: false,
    raisesOnUnderflow: false,
    materialized: "",
    exactSum: plainSum,
    exactSumProduct: plainSumProduct,
    functions: [
      { name: "ABS", url: `${snowflakeDocs}/abs` },
      { name: "EXP", url: `${snowflakeDocs}/exp` },
      { name: "LN", url: `${snowflakeDocs}/ln` },
      { name: "FLOOR", url: `${snowflakeDocs}/floor` },
      { name: "CAST", url: `${snowflakeDocs}/cast` },
      { name: "COUNT", url: `${snowflakeDocs}/count` },
      { name: "SUM", url: `${snowflakeDocs}/sum` },
    ],
  },
};
