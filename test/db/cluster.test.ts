// The throwaway cluster (tests and the demo) in a temporary directory whose path has a space and a
// quote: pg_ctl passes the server options through a shell.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres } from '../helpers/postgres.js';

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
});
