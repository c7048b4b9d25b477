import { InputError } from "../io/inputError.js";
import { type SqlResultRow } from "../sql/sqlRowsState.js";
import { readTextFile } from "../io/readTextFile.js";

/**
 * Reads the exported result of an SQL query: JSON Lines (one object per line, as DuckDB's
 * `COPY ... TO 'f.json'`, BigQuery's NEWLINE_DELIMITED_JSON or Spark's `write.json` produce), a JSON array
 * of objects, or CSV/TSV with a header line (RFC 4180 quoting; an empty field is NULL). The format is told
 * from the first character, not the name. `where(i)` names the file and line of row i for messages.
 * Bare `Infinity`, `-Infinity` and `NaN` tokens (some engines write them in JSON) are read as numbers.
 * Column names are read case-insensitively (Snowflake writes ROW_KIND).
 */
export function readSqlRows(file: string): { rows: SqlResultRow[]; where: (i: number) => string } {
  let text = readTextFile(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = text.trimStart()[0];
  if (first === "[") {
    const parsed = parseJson(text, file, 1);
    if (!Array.isArray(parsed)) throw new InputError(file, 1, 0, "invalid SQL rows", "not a JSON array", false);
    return { rows: (parsed as SqlResultRow[]).map(lowerKeys), where: (i) => `${file}: element ${i + 1}` };
  }
  if (first === "{") {
    const rows: SqlResultRow[] = [];
    const lines: number[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === "") return;
      const v = parseJson(line, file, i + 1);
      if (v === null || typeof v !== "object" || Array.isArray(v))
        throw new InputError(file, i + 1, 0, "invalid SQL rows", "not a JSON object", false);
      rows.push(lowerKeys(v as SqlResultRow));
      lines.push(i + 1);
    });
    return { rows, where: (i) => `${file}:${lines[i]}` };
  }
  return readDelimited(text, file);
}

/** Column names in lower case: Snowflake names unquoted result columns in upper case. */
function lowerKeys(row: SqlResultRow): SqlResultRow {
  return row !== null && typeof row === "object" ? Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v])) : row;
}

function parseJson(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Bare non-finite tokens outside strings become strings, which sqlNumber reads.
    try {
      return JSON.parse(
        text.replace(/("(?:[^"\\]|\\.)*")|(-?(?:Infinity|NaN|inf|nan))\b/g, (m, str: string | undefined) => (str !== undefined ? str : `"${m}"`)),
      );
    } catch (e) {
      throw new InputError(file, line, 0, "invalid SQL rows", `not JSON (${(e as Error).message})`, false);
    }
  }
}

function readDelimited(text: string, file: string): { rows: SqlResultRow[]; where: (i: number) => string } {
  const headerEnd = text.indexOf("\n");
  const headerLine = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const delimiter = headerLine.includes("\t") && !headerLine.includes(",") ? "\t" : ",";
  const records: { fields: (string | null)[]; line: number }[] = [];
  let fields: (string | null)[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field === "" && !wasQuoted ? null : field);
    field = "";
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      wasQuoted = true;
    } else if (c === delimiter) endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endField();
      if (!(fields.length === 1 && fields[0] === null)) records.push({ fields, line: recordLine });
      fields = [];
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new InputError(file, recordLine, 0, "invalid SQL rows", "a quoted field is not closed", false);
  if (field !== "" || fields.length > 0 || wasQuoted) {
    endField();
    records.push({ fields, line: recordLine });
  }
  const header = records.shift();
  if (header === undefined) throw new InputError(file, 1, 0, "invalid SQL rows", "empty file (no header line)", false);
  const names = header.fields.map((f) => (f ?? "").toLowerCase());
  const rows = records.map(({ fields: f, line: l }) => {
    if (f.length !== names.length)
      throw new InputError(file, l, 0, "invalid SQL rows", `${f.length} fields, but the header has ${names.length}`, false);
    return Object.fromEntries(names.map((n, k) => [n, f[k]]));
  });
  return { rows, where: (i) => `${file}:${records[i]!.line}` };
}
