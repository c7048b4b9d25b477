import { type DialectSpec } from "./dialects.js";

/**
 * Words that cannot be left bare as a column or table name in at least one of the six dialects (the
 * reserved words they share, plus a few each reserves alone). A name in this list, or one that is not a
 * plain identifier, is quoted.
 */
const RESERVED = new Set(
  `all alter and any array as asc at between both by case cast check collate column constraint create cross
current current_date current_time current_timestamp current_user default delete desc distinct drop else end
except exists extract false fetch filter following for foreign from full grant group grouping having if ilike
in inner insert intersect interval into is join lateral leading left like limit localtime localtimestamp
natural new not null of offset on only or order outer over partition preceding primary qualify range recursive
references regexp right rlike row rows sample select session_user set some start struct table tablesample then
to trailing true union unique unknown update user using values when where window with
assert_rows_modified contains cube define enum escape exclude groups hash ignore lookup merge no nulls proto
respect rollup treat unbounded unnest within`.split(/\s+/),
);

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An identifier as the dialect reads it. A plain name (letters, digits, underscores, not a reserved word) is
 * written as given, so that the engine folds its case as usual (Snowflake upper-cases, PostgreSQL lower-cases
 * unquoted names); any other name is quoted and therefore case-sensitive. Names with a quote, a backslash or
 * a control character are refused (a RangeError naming `what`), rather than escaped three different ways.
 */
export function identifier(d: DialectSpec, name: string, what: string): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`logLossSql: ${what} = ${JSON.stringify(name)} is not a non-empty string`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this check refuses
  if (/["'`\\\u0000-\u001f\u007f]/.test(name)) {
    throw new RangeError(`logLossSql: ${what} = ${JSON.stringify(name)} contains a quote, a backslash or a control character`);
  }
  if (PLAIN.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return `${d.quote}${name}${d.quote}`;
}

/**
 * The FROM item: a dotted name (`table`, `schema.table`, `project.dataset.table`; each part an identifier),
 * or a parenthesised subquery `(SELECT ...)`, taken as is when its parentheses balance (outside string
 * literals and quoted names) and it has no `;`, then given the alias `xent_source`.
 */
export function tableReference(d: DialectSpec, table: string): string {
  if (typeof table !== "string" || table.trim().length === 0) {
    throw new TypeError(`logLossSql: options.table = ${JSON.stringify(table)} is not a non-empty string`);
  }
  const t = table.trim();
  if (t.startsWith("(")) {
    checkSubquery(t);
    return `${t} AS xent_source`;
  }
  return t
    .split(".")
    .map((part, i) => identifier(d, part, `options.table (part ${i + 1} of ${JSON.stringify(t)})`))
    .join(".");
}

function checkSubquery(t: string): void {
  const bad = (why: string) => new RangeError(`logLossSql: options.table is a subquery but ${why}`);
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === ";") throw bad(`it contains ";" at offset ${i}`);
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth < 0) throw bad(`a ")" at offset ${i} has no "("`);
      if (depth === 0 && i !== t.length - 1) throw bad(`it does not end at the ")" at offset ${i} that closes its first "("`);
    } else if (t.startsWith("--", i) || t.startsWith("/*", i)) throw bad(`it contains a comment at offset ${i}`);
  }
  if (quote !== null) throw bad(`a ${quote} is not closed`);
  if (depth !== 0) throw bad('its "(" are not all closed');
}
