// The PostgreSQL store's poller lease out of reach, with the real binary: another session holds the
// lease table locked (ACCESS EXCLUSIVE: neither renewal nor reading gets through, each fails at the
// database's lock_timeout) while `imos daemon` polls. As with a JSON lease file it cannot read, the daemon says CANNOT POLL with the
// reason, gives up after `poller.grace` with exit 69 for its supervisor, and `imos serve` answers
// /healthz with 503 naming the lease. Once the lock is gone a new daemon polls again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { HANG_MS } from '../helpers/bounds.js';
import { cleanUpProcesses, startImos, stopImos, waitFor } from '../helpers/imos-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';

let db: TestPostgres;
let dir = '';
const locks: pg.Client[] = [];

beforeAll(async () => {
  if (!postgresAvailable()) return;
  db = await startPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-pg-lease-'));
});

afterEach(async () => {
  await Promise.all(locks.splice(0).map((c) => c.end().catch(() => {})));
  await cleanUpProcesses();
});

afterAll(async () => {
  await db?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A session that holds the lease table locked until it is ended. */
async function lockLeaseTable(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  locks.push(client);
  await client.query('begin');
  await client.query('lock table imos_lease in access exclusive mode');
  return client;
}

describe.skipIf(!postgresAvailable())('the PostgreSQL lease row out of reach', () => {
  it('the daemon says CANNOT POLL and exits 69 after poller.grace; /healthz answers 503 naming the lease', async () => {
    const url = await db.createDatabase('lease_locked');
    await (await openStore(url)).close(); // the schema
    // A statement waiting on a lock fails after 2 s here (a DBA's lock_timeout) instead of at the
    // store's own query timeout (15 s): the same failure of the lease, sooner.
    await db.query(`alter database lease_locked set lock_timeout = '2s'`);
    fs.writeFileSync(
      path.join(dir, 'imos.yaml'),
      `project: Lease out of reach
systems: { pms: { name: PMS } }
defaults: { every: 1s }
checks:
  - { id: echo, system: pms, kind: command, run: ["${process.execPath}", "-e", "console.log('1 rows')"] }
store: \${IMOS_STORE_URL}
poller: { grace: 7s }
`,
    );
    const env = { IMOS_STORE_URL: url };
    const daemon = startImos(['daemon'], { cwd: dir, env });
    await waitFor('the daemon to hold the lease', daemon, 2 * HANG_MS, () => (daemon.stderr().includes('holding the poller lease') ? true : undefined));
    const serve = startImos(['serve', '--port', '0'], { cwd: dir, env });
    const base = await waitFor('imos serve to listen', serve, 2 * HANG_MS, () => /listening on (http:\/\/\S+)/.exec(serve.stderr())?.[1]);
    const healthy = await waitFor('/healthz 200', serve, 2 * HANG_MS, async () => ((await fetch(`${base}/healthz`)).status === 200 ? true : undefined));
    expect(healthy).toBe(true);

    const lock = await lockLeaseTable(url);
    const locked = Date.now();
    // Renewals wait on the lock, then fail: the daemon says so once the failure has lasted 5 s, and
    // gives up 7 s (poller.grace) after it began.
    const exit = await Promise.race([daemon.exited, new Promise<null>((r) => setTimeout(() => r(null), 4 * HANG_MS))]);
    const stderr = daemon.stderr();
    expect(exit, stderr).toEqual({ code: 69, signal: null });
    const gaveUpAfter = Date.now() - locked;
    console.info(`lease table locked: the daemon exited 69 after ${gaveUpAfter} ms`);
    expect(gaveUpAfter).toBeLessThan(4 * HANG_MS);
    expect(stderr).toMatch(/CANNOT POLL for \d+s \(since [^)]+\): cannot take or renew the poller lease: /);
    expect(stderr).toMatch(/giving up: unable to poll for \d+s \(poller\.grace 7s\): cannot take or renew the poller lease: .*; exiting 69 for the supervisor to restart imos/);
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2 * HANG_MS) });
    expect(health.status).toBe(503);
    expect(await health.text()).toMatch(/poller lease unreadable: /);

    // The lock gone, a daemon restarted by its supervisor polls again.
    await lock.query('rollback');
    const again = startImos(['daemon'], { cwd: dir, env });
    await waitFor('the new daemon to hold the lease', again, 2 * HANG_MS, () => (again.stderr().includes('holding the poller lease') ? true : undefined));
    expect(await stopImos(again)).toEqual({ code: 0, signal: null });
    await stopImos(serve);
  }, 120_000);
});
