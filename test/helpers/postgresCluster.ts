// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries, a fresh data directory in
// the OS temp dir, a server on a free TCP port of 127.0.0.1 (its socket in the same temp dir), and a `stop()`
// that shuts the server down and removes everything, also when the process exits early.
//
//   const pg = await startPostgresCluster();   // throws PostgresNotInstalled when there is no server
//   const client = await pg.connect();          // a connected `pg` Client, closed by stop()
//   ...
//   await pg.stop();
//
// Binaries: `pg_config --bindir` when it names a directory with initdb, else the newest
// /usr/lib/postgresql/<version>/bin. Nothing from PATH (a stray initdb or pg_ctl elsewhere may be anything).
// initdb and the server refuse to run as root: as root, both run as the `postgres` system user (runuser), and
// the temp dir is handed to that user.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Thrown by `startPostgresCluster` when no PostgreSQL server binaries are installed. */
export class PostgresNotInstalled extends Error {
  override name = "PostgresNotInstalled";
}

/** The directory with initdb, pg_ctl and postgres, or null when PostgreSQL's server is not installed. */
export function findPostgresBinaries(): string | null {
  const candidates: string[] = [];
  for (const pgConfig of ["/usr/bin/pg_config", ...debianVersionDirs().map((d) => join(d, "pg_config"))]) {
    if (!existsSync(pgConfig)) continue;
    try {
      candidates.push(execFileSync(pgConfig, ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    } catch {
      // a broken pg_config: fall back to the Debian layout
    }
    break;
  }
  candidates.push(...debianVersionDirs());
  return candidates.find((d) => ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(d, b)))) ?? null;
}

/** /usr/lib/postgresql/<version>/bin, newest version first. */
function debianVersionDirs(): string[] {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, "bin"));
}

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** The server's binary directory (psql lives there too). */
  readonly bindir: string;
  /** The temp dir: data/, the socket, the server log; owned by the server's user. Files put here are readable by the server (server-side COPY). */
  readonly dir: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The superuser the cluster was created with (trust authentication on 127.0.0.1 only). */
  readonly user: string;
  readonly database: string;
  /** The server's major version, e.g. 15. */
  readonly version: number;
  /** A new connected client (closed by `stop()` if still open); int8 and numeric results come back as numbers. */
  connect(): Promise<pg.Client>;
  /** Makes a file in `dir` readable by the server's user (for `COPY ... FROM 'file'`). */
  shareWithServer(path: string): void;
  /** Closes the clients, stops the server (fast shutdown) and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const USER = "xent";

/**
 * Result parsing: bigint (int8, oid 20) and numeric (oid 1700) as JS numbers instead of pg's strings (a numeric's
 * decimal string converts with one correct rounding; 'NaN' and 'Infinity' too); the other types as pg parses them
 * (float8 by parseFloat of PostgreSQL's shortest exact output).
 */
const numericTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 || oid === 1700 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Whether this process runs as root (initdb and postgres must then run as another user). */
function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** uid and gid of the `postgres` system user (the Debian package creates it). */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const fields = line?.split(":");
  if (fields === undefined || fields.length < 4) {
    throw new Error("postgresCluster: running as root, but there is no `postgres` user to run initdb and the server as");
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** Runs a server binary (as `postgres` when we are root); throws with its output when it fails. */
function runServerTool(bindir: string, tool: string, args: string[]): string {
  const file = join(bindir, tool);
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`postgresCluster: ${tool} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster. Throws `PostgresNotInstalled` when the server binaries are missing (the
 * caller decides: skip locally, fail under CI), any other error when they are there but do not work.
 * The server runs without fsync (a throwaway: speed over durability).
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bindir = findPostgresBinaries();
  if (bindir === null) {
    throw new PostgresNotInstalled(
      "PostgreSQL's server is not installed (no initdb in `pg_config --bindir` or /usr/lib/postgresql/*/bin); " +
        "on Debian: apt-get install postgresql",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "xent-pg-"));
  const data = join(dir, "data");
  const clients: pg.Client[] = [];
  let started = false;
  let stopped = false;

  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", stopSync);
    if (started) {
      try {
        runServerTool(bindir, "pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "60"]);
      } catch {
        // Fast shutdown failed (or timed out): do not leave a server behind.
        try {
          runServerTool(bindir, "pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
        } catch {
          // nothing more to do; the data dir goes anyway
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that dies without reaching afterAll still stops the server.
  process.on("exit", stopSync);

  try {
    if (isRoot()) {
      const { uid, gid } = postgresUser();
      chownSync(dir, uid, gid);
    }
    mkdirSync(data, { mode: 0o700 });
    if (isRoot()) {
      const { uid, gid } = postgresUser();
      chownSync(data, uid, gid);
    }
    runServerTool(bindir, "initdb", ["-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    const version = Number(readFileSync(join(data, "PG_VERSION"), "utf8").trim());
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses=127.0.0.1",
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=20",
      ].join(" ");
      try {
        runServerTool(bindir, "pg_ctl", ["start", "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "120", "-o", options]);
        started = true;
        break;
      } catch (e) {
        // The port may have been taken between freePort and the start: try another one, twice.
        if (attempt >= 2) throw e;
      }
    }
    const cluster: PostgresCluster = {
      bindir,
      dir,
      host: "127.0.0.1",
      port,
      user: USER,
      database: "postgres",
      version,
      async connect() {
        const client = new pg.Client({ host: "127.0.0.1", port, user: USER, database: "postgres", types: numericTypes });
        await client.connect();
        clients.push(client);
        return client;
      },
      shareWithServer(path: string) {
        chmodSync(path, 0o644);
      },
      async stop() {
        for (const c of clients.splice(0)) await c.end().catch(() => undefined);
        stopSync();
      },
    };
    return cluster;
  } catch (e) {
    stopSync();
    throw e;
  }
}

/**
 * Why the PostgreSQL tests of this run are skipped, or null when they run. They are skipped only when the
 * server is not installed and we are not under CI (`CI` or `XENT_REQUIRE_POSTGRES` set; .ci/run sets the
 * latter): CI installs it (.ci/run), so there its absence is a broken setup and the tests run and fail loudly
 * (startPostgresCluster throws).
 */
export function postgresSkipReason(): string | null {
  if (findPostgresBinaries() !== null || process.env.CI || process.env.XENT_REQUIRE_POSTGRES) return null;
  return "PostgreSQL's server is not installed (apt-get install postgresql); the PostgreSQL tests are skipped locally";
}
