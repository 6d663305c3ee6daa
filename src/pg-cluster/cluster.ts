// A throwaway PostgreSQL cluster for tests and the demo, from the machine's own binaries.
//
//   const pg = await startPostgres();
//   await pg.query('create table t (id int)');
//   const url = await pg.createDatabase('member');     // its connection URL
//   await pg.halt(); await pg.resume();                 // server down and up again, same port
//   await pg.stop();                                    // stop and delete everything
//
// The cluster listens on 127.0.0.1 (a free port) and on a unix socket in its own temp directory.
// Roles: the superuser `test` connects over TCP without a password; every other role must give its
// password (scram-sha-256), so wrong-password tests are real. A template data directory is made
// once per machine (initdb ≈ 1.5 s) and copied per cluster (≈ 0.1 s). initdb refuses to run as
// root, so when we are root the server runs as the `postgres` user.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isProcessRunning } from '../processes.js';

const run = promisify(execFile);

/** The postmaster's pid from its lock file, or null when the server is not running. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Wait until `pid` has exited: 30 s at most, then SIGKILL (its backends die with it). */
async function untilGone(pid: number, patienceMs = 30_000): Promise<void> {
  const deadline = Date.now() + patienceMs;
  for (let attempt = 0; attempt < 3000 && isProcessRunning(pid); attempt++) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return; // gone meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TestPostgres {
  /** Superuser `test`, database `postgres`, over TCP: `postgresql://test@127.0.0.1:PORT/postgres`. */
  url: string;
  host: string;
  port: number;
  /** Directory holding the unix socket (and the cluster). */
  socketDir: string;
  dataDir: string;
  /** URL of another database / role on this cluster (password optional). */
  urlFor(database: string, user?: string, password?: string): string;
  /** Create a database (dropping an old one of that name) and return its URL. */
  createDatabase(name: string): Promise<string>;
  /** Create a login role with a password and return its URL for `database` (default postgres). */
  createUser(name: string, password: string, database?: string): Promise<string>;
  /** Run SQL as the superuser (in `database`, default postgres) and return the rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Stop the server, keep the data (a database outage). */
  halt(): Promise<void>;
  /** Start it again on the same port. */
  resume(): Promise<void>;
  restart(): Promise<void>;
  /** Stop the server and delete the cluster. Safe to call twice. */
  stop(): Promise<void>;
}

const TEMPLATE_VERSION = 'v1';

/** The newest PostgreSQL bin directory: $PG_BIN, pg_config --bindir, or /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // fall through to the clear error below
  }
  throw new Error('PostgreSQL binaries not found (install the postgresql package or set PG_BIN)');
}

/** Whether a cluster can be started here (the demo turns its database checks off otherwise). */
export function postgresAvailable(): boolean {
  try {
    postgresBinDir();
    return true;
  } catch {
    return false;
  }
}

/** The same cluster under the name shipped code uses. */
export type PgCluster = TestPostgres;

/** initdb and postgres refuse root: run them as `postgres` (or `nobody`) when we are root. */
function serverUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root, but there is no postgres or nobody user to run the server as');
}

function asServerUser(bin: string, args: string[]): [string, string[]] {
  const user = serverUser();
  return user ? ['runuser', ['-u', user.name, '--', bin, ...args]] : [bin, args];
}

function giveToServerUser(path: string): void {
  const user = serverUser();
  if (user) chownSync(path, user.uid, user.gid);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const HBA = [
  'local all all trust',
  'host all test 127.0.0.1/32 trust',
  'host all all 127.0.0.1/32 scram-sha-256',
  '',
].join('\n');

/** The shared template data directory, made once (atomically: built aside, then renamed). */
async function templateDataDir(bin: string): Promise<string> {
  const major = bin.split('/').at(-2) ?? 'x';
  // Per user: another user's template (its data directory is private to them) cannot be copied.
  const uid = process.getuid?.() ?? 0;
  const root = join(tmpdir(), `imos-pg-template-${major}-${TEMPLATE_VERSION}-u${uid}`);
  const data = join(root, 'data');
  const usable = (): boolean => {
    if (!existsSync(root)) return false;
    // Only a template this user made: one planted in a shared /tmp would run their configuration.
    const owner = lstatSync(root);
    if (!owner.isDirectory() || owner.uid !== uid) throw new Error(`${root} is not this user's PostgreSQL template: remove it`);
    return existsSync(join(data, 'PG_VERSION'));
  };
  if (usable()) return data;
  const building = mkdtempSync(`${root}.building-`);
  chmodSync(building, 0o755);
  const buildData = join(building, 'data');
  try {
    execFileSync('mkdir', ['-m', '700', buildData]);
    giveToServerUser(buildData);
    const [cmd, args] = asServerUser(join(bin, 'initdb'), [
      '-D', buildData, '-U', 'test', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C', '--no-instructions',
    ]);
    await run(cmd, args, { timeout: 60_000 });
    writeFileSync(join(buildData, 'pg_hba.conf'), HBA);
    try {
      renameSync(building, root);
    } catch {
      // another process won the race: use theirs
      rmSync(building, { recursive: true, force: true });
      usable();
    }
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  return data;
}

const live = new Set<{ bin: string; dataDir: string; dir: string }>();
let exitHookInstalled = false;

/** If a test process ends without stop(), do not leave a postmaster or files behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cluster of live) {
      const [cmd, args] = asServerUser(join(cluster.bin, 'pg_ctl'), ['stop', '-D', cluster.dataDir, '-m', 'immediate', '-w']);
      spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
      rmSync(cluster.dir, { recursive: true, force: true });
    }
  });
}

export async function startPostgres(options: { settings?: Record<string, string> } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const template = await templateDataDir(bin);
  const dir = mkdtempSync(join(tmpdir(), 'imos-pg-'));
  chmodSync(dir, 0o700);
  giveToServerUser(dir);
  const dataDir = join(dir, 'data');
  try {
    execFileSync('cp', ['-a', template, dataDir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const cluster = { bin, dataDir, dir };
  live.add(cluster);
  installExitHook();

  const host = '127.0.0.1';
  let port = 0;
  let running = false;
  const settings: Record<string, string> = {
    listen_addresses: host,
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '16MB',
    max_connections: '40',
    ...options.settings,
  };

  const pgCtl = async (args: string[]): Promise<void> => {
    const [cmd, argv] = asServerUser(join(bin, 'pg_ctl'), args);
    await run(cmd, argv, { timeout: 60_000 });
  };
  const serverStart = async (): Promise<void> => {
    const opts = Object.entries({ ...settings, port: String(port) })
      // pg_ctl hands -o to a shell: quoted, a TMPDIR with a space (or a quote) stays one value.
      .map(([k, v]) => `-c ${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    try {
      await pgCtl(['start', '-D', dataDir, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', opts]);
    } catch (error) {
      // pg_ctl's own error is its whole command line; the server's log says why.
      let reason = '';
      try {
        const lines = readFileSync(join(dir, 'server.log'), 'utf8').split('\n');
        const text = (l: string | undefined) => l?.replace(/^.*?\b(FATAL|PANIC|ERROR|LOG):\s*/, '') ?? '';
        reason = text(lines.filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l)).at(-1));
        // The cause often comes first, as a LOG line ("socket path … is too long", "Address already in use").
        const cause = text(lines.find((l) => /\bLOG:.*(too long|already in use|permission denied)/i.test(l)));
        if (reason && cause) reason = `${reason} (${cause})`;
      } catch {
        // no log: keep pg_ctl's error
      }
      if (reason) throw new Error(`PostgreSQL did not start: ${reason}`, { cause: error });
      throw error;
    }
    running = true;
  };

  const cleanup = () => {
    live.delete(cluster);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A free port can be taken between our probe and the server's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await serverStart();
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    cleanup();
    throw error;
  }

  const urlFor = (database: string, user = 'test', password?: string): string => {
    const auth = password === undefined ? encodeURIComponent(user) : `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
    return `postgresql://${auth}@${host}:${port}/${encodeURIComponent(database)}`;
  };

  const query = async <R = Record<string, unknown>>(sql: string, params?: unknown[], database = 'postgres'): Promise<R[]> => {
    const client = new pg.Client({ connectionString: urlFor(database), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const result = await client.query(sql, params as unknown[] | undefined);
      return (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as R[];
    } finally {
      await client.end();
    }
  };

  const halt = async (): Promise<void> => {
    if (!running) return;
    await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']);
    running = false;
  };
  const resume = async (): Promise<void> => {
    if (!running) await serverStart();
  };

  return {
    url: urlFor('postgres'),
    host,
    port,
    socketDir: dir,
    dataDir,
    urlFor,
    query,
    async createDatabase(name) {
      const quoted = '"' + name.replace(/"/g, '""') + '"';
      await query(`drop database if exists ${quoted} with (force)`);
      await query(`create database ${quoted}`);
      return urlFor(name);
    },
    async createUser(name, password, database = 'postgres') {
      const quoted = '"' + name.replace(/"/g, '""') + '"';
      const literal = "'" + password.replace(/'/g, "''") + "'";
      await query(`create role ${quoted} login password ${literal}`);
      return urlFor(database, name, password);
    },
    halt,
    resume,
    async restart() {
      await halt();
      await resume();
    },
    async stop() {
      if (!live.has(cluster)) return;
      const postmaster = postmasterPid(dataDir);
      try {
        if (running) await pgCtl(['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30']);
      } catch {
        // pg_ctl gave up waiting (a loaded machine): the server is made to stop below
      } finally {
        // Whoever stops the cluster (the demo on its way out) returns only once the server is gone.
        if (postmaster !== null) await untilGone(postmaster);
        running = false;
        cleanup();
      }
    },
  };
}
