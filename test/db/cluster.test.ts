// The throwaway cluster (tests and the demo) in a temporary directory whose path has a space and a
// quote: pg_ctl passes the server options through a shell.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { IMOS_BIN } from '../helpers/cli.js';
import { postgresAvailable, postgresBinDir, startPostgres } from '../helpers/postgres.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

const saved = process.env.TMPDIR;
const dirs: string[] = [];
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!postgresAvailable())('startPostgres', () => {
  it("starts, answers and cleans up under a TMPDIR like /tmp/my temp/it's", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'imos-cluster-test-'));
    dirs.push(parent);
    const odd = join(parent, "my temp", "it's");
    mkdirSync(odd, { recursive: true });
    for (const d of [parent, join(parent, 'my temp'), odd]) chmodSync(d, 0o755); // the postgres user must reach its cluster inside
    process.env.TMPDIR = odd;
    const pg = await startPostgres();
    try {
      expect(pg.socketDir.startsWith(odd)).toBe(true);
      expect(await pg.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await pg.stop();
    }
    expect(readdirSync(odd).filter((n) => !n.startsWith('imos-pg-template-'))).toEqual([]);
  }, 60_000);

  it('says why the server did not start (from its log), and leaves nothing behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'imos-cluster-test-'));
    dirs.push(parent);
    const long = join(parent, 'x'.repeat(100)); // the unix socket path goes past 107 bytes
    mkdirSync(long);
    for (const d of [parent, long]) chmodSync(d, 0o755);
    process.env.TMPDIR = long;
    await expect(startPostgres()).rejects.toThrow(/^PostgreSQL did not start: could not create any Unix-domain sockets \(Unix-domain socket path .* is too long/);
    expect(readdirSync(long).filter((n) => !n.startsWith('imos-pg-template-'))).toEqual([]);
  }, 60_000);

  const asRoot = process.getuid?.() === 0;
  const nobody = (() => {
    try {
      return asRoot ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim()) : null;
    } catch {
      return null;
    }
  })();

  it.skipIf(nobody === null)("refuses a template directory that another user made (a planted one in a shared /tmp)", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'imos-cluster-test-'));
    dirs.push(parent);
    chmodSync(parent, 0o755);
    const major = postgresBinDir().split('/').at(-2);
    const planted = join(parent, `imos-pg-template-${major}-v1-u0`);
    mkdirSync(join(planted, 'data'), { recursive: true });
    chownSync(planted, nobody!, nobody!);
    process.env.TMPDIR = parent;
    await expect(startPostgres()).rejects.toThrow(/is not this user's PostgreSQL template: remove it/);
    expect(readdirSync(parent)).toEqual([`imos-pg-template-${major}-v1-u0`]);
  });

  it.skipIf(nobody === null)('another user runs the demo with its database after root made its own template', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'imos-cluster-test-'));
    dirs.push(parent);
    chmodSync(parent, 0o1777);
    process.env.TMPDIR = parent;
    await (await startPostgres()).stop(); // root's template, private to root's server user
    const env = { PATH: process.env.PATH ?? '', HOME: parent, TMPDIR: parent };
    const child = spawn('runuser', ['-u', 'nobody', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, IMOS_BIN, 'demo', '--headless', '--port', '0'], {
      cwd: parent,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      // Its own template first (initdb): tens of seconds on a loaded machine.
      await waitUntil('the demo\'s PostgreSQL to start or fail', () => /PostgreSQL ready|could not start|not installed/.test(err), 4 * HANG_MS, 100).catch(() => {});
      expect(err).toMatch(/PostgreSQL ready/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
