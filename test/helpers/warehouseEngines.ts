// The two real engines behind one small interface, for the warehouse tests and bench/warehouse.bench.ts:
// DuckDB in process (@duckdb/node-api) and PostgreSQL in a throwaway cluster (postgresCluster.ts), each loaded
// with the same CSV of warehouse rows (warehouseRows.ts).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { startPostgresCluster } from "./postgresCluster.js";
import { TABLE_COLUMNS_SQL } from "./warehouseRows.js";

/** A row of a query result; numbers as JS numbers (bigint, hugeint, decimal and numeric converted). */
export type ResultRow = Record<string, unknown>;

/** An engine that can load a CSV of warehouse rows into a table and run queries. */
export interface WarehouseEngine {
  readonly dialect: "duckdb" | "postgres";
  /** Name and version, e.g. "PostgreSQL 15.14" or "DuckDB v1.5.6". */
  readonly version: string;
  /** A directory to write CSV files the engine can read. */
  readonly dir: string;
  /** Creates `table` (label, prob, logit, weight, grp) from the CSV file (with a header). */
  load(table: string, csvPath: string): Promise<void>;
  query(sql: string): Promise<ResultRow[]>;
  /** Exports a query's result as CSV with a header, by the engine itself (COPY ... TO), as a user would. */
  exportCsv(sql: string, path: string): Promise<void>;
  /**
   * Exports a query's result as CSV through the engine's command-line client, where this suite has one
   * (PostgreSQL: `psql --csv -f query.sql -o rows.csv`, the README's example).
   */
  exportCsvByClient?(sql: string, path: string): Promise<void>;
  /** Stops the engine and removes its files. */
  close(): Promise<void>;
}

/** Numbers as JS numbers: bigint (BIGINT, HUGEINT) and DuckDB's decimal values are converted. */
function toPlain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  return value;
}

/** DuckDB, in memory, in this process, with a temp dir for its files (removed by close). */
export async function openDuckdb(options: { threads?: number } = {}): Promise<WarehouseEngine> {
  const dir = mkdtempSync(join(tmpdir(), "xent-duckdb-"));
  const instance = await DuckDBInstance.create(":memory:", options.threads === undefined ? {} : { threads: String(options.threads) });
  const connection = await instance.connect();
  const query = async (sql: string): Promise<ResultRow[]> => {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toPlain(v)])));
  };
  const [versionRow] = await query("SELECT version() AS v");
  return {
    dialect: "duckdb",
    version: `DuckDB ${String(versionRow?.v)}`,
    dir,
    async load(table, csvPath) {
      await connection.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${duckdbReadCsv(csvPath)}`);
    },
    query,
    async exportCsv(sql, path) {
      await connection.run(`COPY (${sql}) TO '${path.replaceAll("'", "''")}' (HEADER)`);
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** DuckDB's read_csv of a warehouse CSV with the column types given (no sniffing). */
export function duckdbReadCsv(csvPath: string): string {
  return (
    `read_csv('${csvPath.replaceAll("'", "''")}', header = true, ` +
    "columns = {'label': 'INTEGER', 'prob': 'DOUBLE', 'logit': 'DOUBLE', 'weight': 'DOUBLE', 'grp': 'VARCHAR'})"
  );
}

/** PostgreSQL in a throwaway cluster; throws PostgresNotInstalled when the server binaries are missing. */
export async function openPostgres(): Promise<WarehouseEngine> {
  const cluster = await startPostgresCluster();
  try {
    const client = await cluster.connect();
    const query = async (sql: string): Promise<ResultRow[]> => (await client.query(sql)).rows as ResultRow[];
    const [versionRow] = await query("SHOW server_version");
    return {
      dialect: "postgres",
      version: `PostgreSQL ${String(versionRow?.server_version).split(" ")[0]}`,
      dir: cluster.dir,
      async load(table, csvPath) {
        // Server-side COPY: the server reads the file itself (it must be readable by the server's user), the
        // fastest load. Unlogged: a throwaway table needs no write-ahead log.
        chmodSync(csvPath, 0o644);
        await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.query(`CREATE UNLOGGED TABLE ${table} (${TABLE_COLUMNS_SQL})`);
        await client.query(`COPY ${table} FROM '${csvPath.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`);
        await client.query(`ANALYZE ${table}`);
      },
      query,
      async exportCsv(sql, path) {
        // Server-side COPY: the file is written by the server's user, into the cluster's dir (which it owns).
        await client.query(`COPY (${sql}) TO '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`);
      },
      async exportCsvByClient(sql, path) {
        const sqlFile = `${path}.sql`;
        writeFileSync(sqlFile, sql);
        const r = spawnSync(
          join(cluster.bindir, "psql"),
          [
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            cluster.host,
            "-p",
            String(cluster.port),
            "-U",
            cluster.user,
            "-d",
            cluster.database,
            "--csv",
            "-f",
            sqlFile,
            "-o",
            path,
          ],
          { encoding: "utf8", timeout: 300_000 },
        );
        if (r.status !== 0) throw new Error(`psql failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
      },
      close: () => cluster.stop(),
    };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** A path in the engine's directory. */
export function engineFile(engine: WarehouseEngine, name: string): string {
  return join(engine.dir, name);
}
