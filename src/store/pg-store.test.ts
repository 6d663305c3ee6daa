// What is particular to the PostgreSQL store, against a throwaway cluster: opening from a URL,
// migrations, two stores standing in for two hosts (NOTIFY, conflicts, SKIP LOCKED claims), the
// lease on the database's clock with fencing, and losing the connection (terminated backends, a
// server restart). The behaviour every store shares is in store.contract.test.ts.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANG_MS, waitUntil } from '../../test/helpers/bounds.js';
import { startWorker } from '../../test/helpers/build-worker.js';
import type { LeaseHolder } from '../model.js';
import { startPostgres, type TestPostgres } from '../pg-cluster/cluster.js';
import { MemoryStore } from './memory-store.js';
import { openStore } from './open.js';
import { PgStore, type PgStoreOptions } from './pg-store.js';
import { auditStatement } from './pg/audit.js';
import { migrateStore } from './pg/migrate.js';
import { PG_MIGRATIONS } from './pg/migrations.js';
import { storeTarget } from './pg/target.js';
import { freshSchema, PG_TEST_OPTIONS } from './testing/factories.js';
import { alertRecord, outboxRecord } from './testing/records.js';
import { LeaseLostError, StoreError, type Store, type WatchedName } from './types.js';

const PASSWORD = 'Sup3r-secret-pw!';
const USER = 'imos_user';

let cluster: TestPostgres;
let baseUrl: string;
let schema: string;
const opened: Store[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  baseUrl = await cluster.createUser(USER, PASSWORD);
  await cluster.query(`GRANT CREATE ON DATABASE postgres TO ${USER}`);
});
afterAll(async () => {
  await cluster?.stop();
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => {});
  await cluster.resume();
  await cluster.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

function storeUrl(): string {
  return `${baseUrl}?schema=${schema}`;
}

async function open(options: PgStoreOptions = {}): Promise<PgStore> {
  const store = await PgStore.open(storeUrl(), { ...PG_TEST_OPTIONS, ...options });
  opened.push(store);
  return store;
}

function recorder(store: Store): WatchedName[] {
  const seen: WatchedName[] = [];
  store.watch((name) => seen.push(name));
  return seen;
}

/** Ends the server side of this cluster's connections of `application` (the store's, not ours). */
async function terminate(application: string): Promise<number> {
  const rows = await cluster.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE usename = $1 AND application_name = $2 AND pid <> pg_backend_pid()`,
    [USER, application],
  );
  await cluster.query(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [rows.map((r) => r.pid)]);
  // Gone from the server: their clients have been told by now.
  await waitUntil('terminated backends to go', async () => {
    const left = await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [rows.map((r) => r.pid)]);
    return left.length === 0;
  });
  return rows.length;
}

/**
 * The store as an older imos left it: the migrations before `before` only, then `fill` writes
 * through that version's functions.
 */
async function previousStore(before: string, fill: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: storeUrl() });
  await client.connect();
  try {
    await migrateStore(client, async () => {
      const runner = new pg.Client({ connectionString: storeUrl() });
      await runner.connect();
      return runner;
    }, storeTarget(storeUrl()), PG_MIGRATIONS.filter((m) => m.name < before));
    await fill(client);
  } finally {
    await client.end();
  }
}

/**
 * test_writes in the store's schema: a row for each row written to `tables`, with the connection
 * that wrote it and the database's time as it was written.
 */
async function noteWrites(tables: string[]): Promise<void> {
  await cluster.query(`SET search_path TO "${schema}";
    CREATE TABLE test_writes (id bigserial PRIMARY KEY, tbl text, key text, app text, at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE FUNCTION test_note_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN
      INSERT INTO test_writes (tbl, key, app) VALUES (TG_TABLE_NAME, NEW.key, current_setting('application_name'));
      RETURN NEW; END $$;
    ${tables.map((table) => `CREATE TRIGGER test_${table} AFTER INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION test_note_write();`).join('\n')}`);
}

const me = (token: string, pid: number, host = 'host-a'): Omit<LeaseHolder, 'since' | 'renewedAt'> => ({ pid, host, user: 'ann', role: 'daemon', token });
const alive = () => true;

describe('opening a PostgreSQL store', () => {
  it('opens postgres:// and postgresql:// URLs, in the ?schema= given, and shows the URL redacted', async () => {
    schema = freshSchema();
    const store = await openStore(storeUrl(), { postgres: PG_TEST_OPTIONS });
    opened.push(store);
    expect(store.kind).toBe('postgres');
    expect(store.location).toBe(`postgresql://${USER}:***@127.0.0.1:${cluster.port}/postgres?schema=${schema}`);
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const rows = await cluster.query<{ key: string; state: string }>(`SELECT key, state FROM "${schema}".imos_alerts`);
    expect(rows).toEqual([{ key: 'A1', state: 'open' }]);

    const other = await openStore(storeUrl().replace(/^postgresql:/, 'postgres:'), { postgres: PG_TEST_OPTIONS });
    opened.push(other);
    expect((await other.read('core')).alerts.map((a) => a.id)).toEqual(['A1']);
    expect(other.health()).toEqual({ connected: true, problem: null, since: null });
  });

  it('says why it cannot open, naming the store without its password', async () => {
    schema = freshSchema();
    const refused = `postgresql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/postgres`;
    const failure = (await openStore(refused, { postgres: PG_TEST_OPTIONS }).catch((e: unknown) => e)) as StoreError;
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure.message).toMatch(/cannot open the store postgresql:\/\/imos_user:\*\*\*@127\.0\.0\.1:1\/postgres: cannot connect to 127\.0\.0\.1:1\/postgres: connection refused/);
    expect(failure.file).toBe(`postgresql://${USER}:***@127.0.0.1:1/postgres`);

    const wrong = baseUrl.replace(encodeURIComponent(PASSWORD), 'Wr0ng-' + encodeURIComponent(PASSWORD));
    const auth = (await openStore(wrong, { postgres: PG_TEST_OPTIONS }).catch((e: unknown) => e)) as StoreError;
    expect(auth.message).toMatch(/authentication failed for user "imos_user"/);
    for (const error of [failure, auth]) {
      expect(`${error.message} ${error.file} ${error.stack}`).not.toContain(PASSWORD);
      expect(`${error.message} ${error.file}`).not.toContain(encodeURIComponent(PASSWORD));
    }
    // TLS as the URL's sslmode says: this server has none, so a store that requires it does not open.
    const tls = (await openStore(`${baseUrl}?sslmode=verify-full`, { postgres: PG_TEST_OPTIONS }).catch((e: unknown) => e)) as StoreError;
    expect(tls).toBeInstanceOf(StoreError);
    expect(tls.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+\/postgres: TLS: The server does not support SSL connections/);
    expect(tls.message).not.toContain(PASSWORD);
    const badSchema = (await openStore(`${baseUrl}?schema=a"b`).catch((e: unknown) => e)) as StoreError;
    expect(badSchema.message).toMatch(/names the schema "a"b": expected letters, digits and _ only/);
  });

  it('applies the migrations once when two processes open a new store together', async () => {
    schema = freshSchema();
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const applied = await cluster.query<{ name: string }>(`SELECT name FROM "${schema}".imos_migrations ORDER BY id`);
    expect(applied.map((r) => r.name)).toEqual(PG_MIGRATIONS.map((m) => m.name));
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    expect((await b.read('core')).alerts).toHaveLength(1);
    expect((await c.read('core')).alerts).toHaveLength(1);
  });

  it('brings a store made by the previous version up to date on first open, keeping its data', async () => {
    schema = freshSchema();
    // The store as the previous version left it: its migrations only, written by its imos_commit.
    await previousStore('0003', async (client) => {
      const commit = (payload: object) => client.query(`SELECT "${schema}".imos_commit($1::jsonb) AS seq`, [JSON.stringify(payload)]);
      const empty = { fence: null, reads: {}, scans: [], put: {}, del: {}, append: [], audit: [] };
      await commit({ ...empty, section: 'core', since: 0, put: { alerts: [['A1', alertRecord('A1', { openedAt: '2026-01-05T08:00:00+01:00' })], ['A2', alertRecord('A2')]] }, audit: [{ at: '2026-01-05T07:00:00.000Z', actor: 'ann', action: 'open', target: 'A1' }] });
      await commit({ ...empty, section: 'core', since: 1, del: { alerts: ['A2'] } });
      await commit({ ...empty, section: 'history', since: 0, append: [[{ id: 'c1', points: [{ at: '2026-01-05T07:00:00.000Z', status: 'ok', value: 1, durationMs: 1 }], max: 5 }]] });
    });
    const times = ['2026-01-05T07:00:00.000Z', '2026-01-05T08:00:00+01:00', '2026-01-05T08:00+0130', '2026-01-05T08:00:00.123456-05:00', '2026-01-05', 'not a time', '', '2026-13-01T00:00:00Z'];
    const converted = () => cluster.query<{ v: Date | null }>(`SELECT "${schema}".imos_ts(t) AS v FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i`, [times]);
    const before = await converted();
    const columns = `SELECT key, opened_at, state FROM "${schema}".imos_alerts ORDER BY key`;
    const stored = await cluster.query(columns);

    const store = await open();
    const applied = await cluster.query<{ name: string }>(`SELECT name FROM "${schema}".imos_migrations ORDER BY id`);
    expect(applied.map((r) => r.name)).toEqual(PG_MIGRATIONS.map((m) => m.name));
    // The same records, columns and audit log; the time conversion gives what it gave before.
    expect((await store.read('core')).alerts).toEqual([alertRecord('A1', { openedAt: '2026-01-05T08:00:00+01:00' })]);
    expect(await cluster.query(columns)).toEqual(stored);
    expect(stored[0]).toMatchObject({ key: 'A1', opened_at: new Date('2026-01-05T07:00:00.000Z') });
    expect(await converted()).toEqual(before);
    expect(before.map((r) => r.v?.toISOString() ?? null)).toEqual(['2026-01-05T07:00:00.000Z', '2026-01-05T07:00:00.000Z', '2026-01-05T06:30:00.000Z', '2026-01-05T13:00:00.123Z', null, null, null, null]);
    expect(Object.keys((await store.read('history')).history)).toEqual(['c1']);
    expect((await store.readAudit()).map((e) => `${e.action} ${e.target} ${e.seq}`)).toEqual(['open A1 1']);

    // And it goes on from there: the change numbers continue, another process hears of the next
    // change, which is stored with its audit entry.
    const other = await open();
    expect((await other.read('core')).seq).toBe(2);
    await store.transact('core', (tx) => {
      tx.edit('alerts', 'A1').state = 'acknowledged';
      tx.audit({ at: '2026-01-05T09:00:00.000Z', actor: 'ann', action: 'ack', target: 'A1' });
    });
    await waitUntil('the other copy to see the acknowledgement', async () => (await other.read('core')).alerts[0]?.state === 'acknowledged');
    expect((await other.read('core')).seq).toBe(3);
    expect((await cluster.query(columns))[0]).toMatchObject({ key: 'A1', state: 'acknowledged' });
    expect((await other.readAudit()).map((e) => `${e.action} ${e.target} ${e.seq}`)).toEqual(['open A1 1', 'ack A1 3']);
  });

  it('refuses a database set up by a newer imos, and leaves it as it is', async () => {
    schema = freshSchema();
    const first = await open();
    await first.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await first.close();
    await cluster.query(`INSERT INTO "${schema}".imos_migrations (name, run_on) VALUES ('9001_from_the_future', now())`);
    const failure = (await PgStore.open(storeUrl(), PG_TEST_OPTIONS).catch((e: unknown) => e)) as StoreError;
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure.message).toContain(`the store postgresql://${USER}:***@127.0.0.1:${cluster.port}/postgres?schema=${schema} (schema ${schema}) was set up by a newer imos`);
    expect(failure.message).toContain('9001_from_the_future');
    expect(failure.message).not.toContain(PASSWORD);
    expect(await cluster.query(`SELECT key FROM "${schema}".imos_alerts`)).toEqual([{ key: 'A1' }]);
  });
});

describe('two PostgreSQL stores on one database (two hosts)', () => {
  it('each sees the other\'s changes through NOTIFY, in the same order, deletions included', async () => {
    schema = freshSchema();
    const a = await open();
    const b = await open();
    await a.read('core');
    const seen = recorder(a);
    await b.transact('core', (tx) => {
      for (const id of ['A1', 'A2', 'A3']) tx.put('alerts', alertRecord(id));
    });
    // No read on `a`: only the notification can tell it.
    await waitUntil('a to hear of b\'s commit', () => seen.includes('core'));
    await b.transact('core', (tx) => {
      tx.delete('alerts', 'A1');
      tx.put('alerts', alertRecord('A4'));
    });
    await b.transact('core', (tx) => void tx.put('alerts', alertRecord('A1', { state: 'acknowledged' })));
    await b.transact('core', (tx) => void (tx.edit('alerts', 'A2').message = 'edited'));
    const fromA = await a.read('core');
    const fromB = await b.read('core');
    expect(fromA.alerts.map((x) => x.id)).toEqual(['A2', 'A3', 'A4', 'A1']);
    expect(fromA.alerts).toEqual(fromB.alerts);
    expect(fromA.seq).toBe(fromB.seq);
  });

  it('reads again only what others changed: its own commits, heard of through NOTIFY too, cost no catch-up', async () => {
    schema = freshSchema();
    // Every catch-up reads imos_tombstones (a first load and a commit do not): its scans count them.
    // A backend's counts reach the statistics when it ends, so each count is taken after closing.
    const catchUps = async (...stores: PgStore[]): Promise<number> => {
      for (const store of stores) await store.close();
      await waitUntil('the store connections to end', async () => (await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE usename = $1`, [USER])).length === 0);
      const [row] = await cluster.query<{ n: string }>(`SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'imos_tombstones'`, [schema]);
      return Number(row!.n);
    };
    const alone = await open();
    await alone.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const start = await catchUps(alone);

    const a = await open();
    expect((await a.read('core')).seq).toBe(1);
    for (let i = 0; i < 40; i++) await a.transact('core', (tx) => void (tx.edit('alerts', 'A1').message = `edit ${i}`));
    const afterOwn = await catchUps(a);
    expect(afterOwn - start).toBe(0);

    // The control: a change made by another store is caught up with.
    const c = await open();
    expect((await c.read('core')).alerts[0]!.message).toBe('edit 39');
    const d = await open();
    await d.transact('core', (tx) => void (tx.edit('alerts', 'A1').message = 'from d'));
    await waitUntil('c to catch up with d\'s change', async () => (await c.read('core')).alerts[0]!.message === 'from d');
    expect(await catchUps(c, d)).toBeGreaterThan(afterOwn);
  });

  it('commits on its listening connection while it is idle, and on a pooled one while it is busy (a slow commit holds up no other)', async () => {
    schema = freshSchema();
    const a = await open();
    await a.read('core');
    await a.read('history');
    // Which connection wrote each row, as the server saw it.
    await noteWrites(['imos_alerts', 'imos_history']);
    const writes = () => cluster.query<{ tbl: string; key: string; app: string }>(`SELECT tbl, key, app FROM "${schema}".test_writes ORDER BY id`);
    const seen = recorder(a);
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    expect(await writes()).toEqual([{ tbl: 'imos_alerts', key: 'A1', app: 'imos-listen' }]);
    await waitUntil('a to tell its watchers', () => seen.includes('core'));

    // A history commit held up by a lock another session holds keeps the listening connection busy.
    const blocker = new pg.Client({ connectionString: cluster.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "${schema}".imos_sections WHERE section = 'history' FOR UPDATE`);
      const slow = a.transact('history', (tx) => void tx.put('history', { id: 'api', points: [] }));
      await waitUntil('the history commit to wait for the lock', async () =>
        (await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'imos-listen' AND usename = $1 AND wait_event_type = 'Lock'`, [USER])).length === 1,
      );
      await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A2')));
      expect((await writes()).at(-1)).toEqual({ tbl: 'imos_alerts', key: 'A2', app: 'imos' });
      await blocker.query('COMMIT');
      await slow;
      expect((await writes()).at(-1)).toEqual({ tbl: 'imos_history', key: 'api', app: 'imos-listen' });
    } finally {
      await blocker.end();
    }
    expect((await a.read('core')).alerts.map((x) => x.id)).toEqual(['A1', 'A2']);
    expect(a.health().connected).toBe(true);
  });

  it('re-runs a transaction whose reads changed meanwhile: no update is lost, counters and scans alike', async () => {
    schema = freshSchema();
    const stores = await Promise.all([open(), open(), open()]);
    let runs = 0;
    const work = stores.flatMap((store, s) =>
      Array.from({ length: 15 }, (_, i) =>
        store.transact('core', (tx) => {
          runs++;
          // A blind insert plus a total computed by iterating: another store's insert must re-run it.
          tx.put('alerts', alertRecord(`S${s}-${i}`));
          tx.put('kv', { key: 'total', value: tx.all('alerts').length });
          tx.put('kv', { key: 'n', value: ((tx.get('kv', 'n')?.value as number | undefined) ?? 0) + 1 });
        }),
      ),
    );
    await Promise.all(work);
    for (const store of stores) {
      const core = await store.read('core');
      expect(core.alerts).toHaveLength(45);
      expect(core.kv.get('total')).toBe(45);
      expect(core.kv.get('n')).toBe(45);
    }
    expect(runs).toBeGreaterThan(45); // some ran again on fresher data
  });

  it('refuses a commit whose read records changed since the copy it ran on (the database\'s check)', async () => {
    schema = freshSchema();
    const a = await open();
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const seq = (await a.read('core')).seq;
    await a.transact('core', (tx) => void (tx.edit('alerts', 'A1').message = 'newer'));
    const commit = (payload: object) => cluster.query(`SELECT "${schema}".imos_commit($1::jsonb)`, [JSON.stringify(payload)]);
    const stale = { section: 'core', since: seq, fence: null, reads: { alerts: ['A1'] }, scans: [], put: { alerts: [['A1', alertRecord('A1', { message: 'stale' })]] }, del: {}, append: [], audit: [] };
    await expect(commit(stale)).rejects.toMatchObject({ code: 'IM001' });
    await expect(commit({ ...stale, reads: {}, scans: ['alerts'] })).rejects.toMatchObject({ code: 'IM001' });
    const current = (await a.read('core')).seq;
    await expect(commit({ ...stale, since: current, reads: {}, put: { checks: [['x', {}]] } })).rejects.toMatchObject({ code: 'IM003', message: 'collection checks is not part of the core section' });
    await expect(commit({ ...stale, since: current, reads: {}, put: {}, del: { history: ['x'] } })).rejects.toMatchObject({ code: 'IM003', message: 'collection history is not part of the core section' });
    await expect(commit({ ...stale, since: current, section: 'elsewhere' })).rejects.toMatchObject({ code: 'IM003', message: 'unknown section elsewhere' });
    await expect(commit({ ...stale, since: current, reads: {}, put: {}, append: [[{ id: 'c1', points: [], max: 1 }]] })).rejects.toMatchObject({ code: 'IM003' });
    // A refused commit leaves the section's change number where it was.
    expect((await cluster.query<{ seq: string }>(`SELECT seq FROM "${schema}".imos_sections WHERE section = 'core'`))[0]!.seq).toBe(String(current));
    expect((await a.read('core')).alerts[0]!.message).toBe('newer');
  });

  it('hands every outbox row to one dispatcher only, claiming from two stores at once; a row locked elsewhere is skipped, not waited for', async () => {
    schema = freshSchema();
    const a = await open();
    const b = await open();
    await a.transact('core', (tx) => {
      for (let i = 0; i < 40; i++) tx.put('outbox', outboxRecord(`r${i}`));
    });
    const request = { host: 'h', pid: 1, nowMs: Date.parse('2026-01-05T00:10:00.000Z'), claimTtlMs: 60_000, limit: 3, deadClaimants: [] };
    const claimedBy = new Map<string, string[]>();
    await Promise.all(
      [a, b].flatMap((store, s) =>
        Array.from({ length: 10 }, async () => {
          const rows = await store.claimOutbox({ ...request, owner: `d${s}` });
          for (const row of rows) claimedBy.set(row.id, [...(claimedBy.get(row.id) ?? []), row.claimedBy!]);
        }),
      ),
    );
    expect(claimedBy.size).toBe(40);
    expect([...claimedBy.values()].every((owners) => owners.length === 1)).toBe(true);

    await a.transact('core', (tx) => {
      tx.put('outbox', outboxRecord('x1'));
      tx.put('outbox', outboxRecord('x2'));
    });
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${schema}".imos_outbox WHERE key = 'x1' FOR UPDATE`);
      const rows = await b.claimOutbox({ ...request, owner: 'd9', limit: 100 });
      expect(rows.map((r) => r.id)).not.toContain('x1');
      expect(rows.map((r) => r.id)).toContain('x2');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await waitUntil('a to see the claims', async () => (await a.read('core')).outbox.find((r) => r.id === 'x2')?.claimedBy === 'd9');
  });
});

describe('the lease on the database clock', () => {
  it('expires on the database\'s time, whatever the hosts\' clocks say; a takeover fences the old holder out', async () => {
    schema = freshSchema();
    const a = await open();
    const b = await open();
    const farFuture = Date.now() + 3600_000;
    // A short lease (2 s: long enough for the next statements even on a loaded machine).
    const mine = await a.lease.acquire(me('ta', 101), 2000, { nowMs: Date.now() - 3600_000, isAlive: alive });
    expect(mine.ours).toBe(true);
    // A host whose clock runs an hour ahead cannot take a lease the database says is fresh.
    const early = await b.lease.acquire(me('tb', 202, 'host-b'), 2000, { nowMs: farFuture, isAlive: alive });
    expect(early.ours).toBe(false);
    expect(early.holder?.token).toBe('ta');
    const [dbNow] = await cluster.query<{ now: Date }>('SELECT now()');
    expect(Math.abs(Date.parse(mine.holder!.renewedAt) - dbNow!.now.getTime())).toBeLessThan(5000);

    await a.transact('core', (tx) => void tx.put('outbox', outboxRecord('r1')), { fence: { token: 'ta', epoch: mine.epoch } });
    let theirs = early;
    await waitUntil('the lease to expire on the database clock', async () => {
      theirs = await b.lease.acquire(me('tb', 202, 'host-b'), 3000, { nowMs: 0, isAlive: alive });
      return theirs.ours;
    });
    expect(theirs.epoch).toBe(mine.epoch + 1);
    const fence = { token: 'ta', epoch: mine.epoch };
    await expect(a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')), { fence })).rejects.toBeInstanceOf(LeaseLostError);
    const lost = (await a.transact('core', () => undefined, { fence }).catch((e: unknown) => e)) as Error;
    expect(lost).toBeInstanceOf(LeaseLostError);
    expect(lost.message).toMatch(/no longer holds the poller lease \(held by daemon pid 202 on host-b, epoch \d+\)/);
    const claim = { owner: 'd1', host: 'host-a', pid: 101, nowMs: Date.now(), claimTtlMs: 1000, limit: 5, deadClaimants: [], fence };
    await expect(a.claimOutbox(claim)).rejects.toBeInstanceOf(LeaseLostError);
    expect((await a.read('core')).alerts).toEqual([]);
    expect((await b.read('lease')).holder?.token).toBe('tb');
  });

  it("stamps a takeover's since after the old holder's commits under way: its writes are all earlier, in a new store and in one an older imos made", async () => {
    for (const made of ['new', 'older'] as const) {
      schema = freshSchema();
      if (made === 'older') await previousStore('0006', async () => {});
      const a = await open();
      const b = await open();
      // The time of every alert write, on the database's clock, as the row is written.
      await noteWrites(['imos_alerts']);
      const mine = await a.lease.acquire(me('ta', 101), 60_000, { nowMs: 0, isAlive: alive });
      // The holder's commits under way, as its connection runs them: one transaction, still open.
      const holder = new pg.Client({ connectionString: storeUrl() });
      await holder.connect();
      try {
        const commit = async (since: number, key: string) =>
          Number((await holder.query<{ seq: string }>(`SELECT "${schema}".imos_commit($1::jsonb) AS seq`, [JSON.stringify({
            section: 'core', since, fence: { token: 'ta', epoch: mine.epoch }, reads: {}, scans: [], put: { alerts: [[key, alertRecord(key)]] }, del: {}, append: [], audit: [],
          })])).rows[0]!.seq);
        await holder.query('BEGIN');
        const first = await commit(0, 'A1');
        // Another daemon on this host takes the lease of the holder it finds dead: it queues behind the commit.
        const takeover = b.lease.acquire(me('tb', 202), 60_000, { nowMs: 0, isAlive: (pid) => pid !== 101 });
        await waitUntil('the takeover to wait for the commit under way', async () =>
          (await cluster.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%imos_lease_acquire%'`)).length > 0);
        await commit(first, 'A2');
        await holder.query('COMMIT');
        const theirs = await takeover;
        expect(theirs.ours).toBe(true);
        expect(theirs.epoch).toBe(mine.epoch + 1);
      } finally {
        await holder.end();
      }
      const [order] = await cluster.query<{ earlier: boolean; wrote: string; since: string }>(
        `SELECT max(w.at) < l.since AS earlier, max(w.at)::text AS wrote, l.since::text AS since
           FROM "${schema}".test_writes w, "${schema}".imos_lease l WHERE l.id = 1 GROUP BY l.since`,
      );
      expect(order, made).toMatchObject({ earlier: true });
      expect(order!.wrote, made).not.toBeNull();
      await a.close();
      await b.close();
      await cluster.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it('replaces at once a holder on this host whose process is gone', async () => {
    schema = freshSchema();
    const a = await open();
    await a.lease.acquire(me('t-dead', 301), 60_000, { nowMs: 0, isAlive: alive });
    const taken = await a.lease.acquire(me('t-new', 302), 60_000, { nowMs: 0, isAlive: (pid) => pid !== 301 });
    expect(taken.ours).toBe(true);
    expect(taken.holder?.token).toBe('t-new');
  });
});

describe('losing the connection', () => {
  it('reports a terminated listener, reconnects, and catches up on what it missed', async () => {
    schema = freshSchema();
    const a = await open({ listener: { ...PG_TEST_OPTIONS.listener, reconnectMs: 400, reconnectMaxMs: 400 } });
    const b = await open();
    await a.read('core');
    const seen = recorder(a);
    await terminate('imos-listen');
    await waitUntil('a to report the lost connection', () => !a.health().connected);
    expect(a.health().problem).toMatch(/closed the connection|connection lost/);
    expect(a.health().since).not.toBeNull();
    await b.transact('core', (tx) => void tx.put('alerts', alertRecord('A9')));
    await waitUntil('a to reconnect', () => a.health().connected);
    await waitUntil('a to catch up', () => seen.includes('core'));
    // Caught up by the reconnect, not by this read: the watcher was told first.
    expect((await a.read('core')).alerts.map((x) => x.id)).toEqual(['A9']);
  });

  it('carries on after its pooled connections are terminated', async () => {
    schema = freshSchema();
    const a = await open();
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    expect(await terminate('imos')).toBeGreaterThan(0);
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A2')));
    expect((await a.read('core')).alerts.map((x) => x.id)).toEqual(['A1', 'A2']);
    expect(a.health().connected).toBe(true);
  });

  it('survives a server restart: keeps the last state, refuses actions with the reason, reconnects and catches up', async () => {
    schema = freshSchema();
    const a = await open();
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    await a.read('results');
    await cluster.halt();
    await waitUntil('a to report the lost connection', () => !a.health().connected);
    // The state as last seen, while nothing can be asked.
    expect((await a.read('core')).alerts.map((x) => x.id)).toEqual(['A1']);
    await waitUntil('a reconnect attempt to fail', async () => {
      const failure = await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A2'))).catch((e: unknown) => e);
      return failure instanceof StoreError && /cannot be reached/.test(failure.message);
    });
    const failure = (await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A2'))).catch((e: unknown) => e)) as StoreError;
    expect(failure.message).toMatch(/^not stored: the store postgresql:\/\/imos_user:\*\*\*@.* cannot be reached: cannot connect to 127\.0\.0\.1:\d+\/postgres: (connection refused|the server is starting up or shutting down).* \(disconnected since /);
    expect(failure.message).not.toContain(PASSWORD);
    expect(a.health()).toMatchObject({ connected: false });
    expect(JSON.stringify(a.health())).not.toContain(PASSWORD);

    await cluster.resume();
    await waitUntil('a to reconnect', () => a.health().connected);
    const b = await open();
    await b.transact('core', (tx) => void tx.put('alerts', alertRecord('A3')));
    await waitUntil('a to see b\'s change', async () => (await a.read('core')).alerts.length === 2);
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A4')));
    expect((await b.read('core')).alerts.map((x) => x.id)).toEqual(['A1', 'A3', 'A4']);
  });
});

describe('the tables', () => {
  it('keep the audit log append-only, newest-limited reads oldest first', async () => {
    schema = freshSchema();
    const a = await open();
    for (let i = 1; i <= 5; i++) {
      await a.transact('core', (tx) => {
        tx.put('alerts', alertRecord(`A${i}`));
        tx.audit({ at: `2026-01-0${i}T00:00:00.000Z`, actor: 'ann', action: 'open', target: `A${i}` });
      });
    }
    expect((await a.readAudit({ limit: 2 })).map((e) => e.target)).toEqual(['A4', 'A5']);
    expect((await a.readAudit({ since: '2026-01-03T00:00:00.000Z' })).map((e) => e.target)).toEqual(['A3', 'A4', 'A5']);
    await expect(a.readAudit({ since: 'not a time' })).rejects.toThrow(/since "not a time" is not a time/);
    const seqs = (await a.readAudit()).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x! - y!));
    await expect(cluster.query(`UPDATE "${schema}".imos_audit SET data = '{}'`)).rejects.toThrow(/append-only/);
    await expect(cluster.query(`DELETE FROM "${schema}".imos_audit`)).rejects.toThrow(/append-only/);
  });

  it('find one target\'s audit entries through their own index, in a new store and in one an older imos made', async () => {
    const indexes = async () =>
      (await cluster.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'imos_audit' ORDER BY indexname`, [schema])).map((r) => r.indexname);
    schema = freshSchema();
    const fresh = await open();
    expect(await indexes()).toContain('imos_audit_target');
    await fresh.close();
    await cluster.query(`DROP SCHEMA "${schema}" CASCADE`);

    // An older store with a long audit log: 500 alerts, 40 entries each, interleaved in time.
    schema = freshSchema();
    const entries = 20_000;
    await previousStore('0005', async (client) => {
      await client.query(
        `INSERT INTO "${schema}".imos_audit (seq, data, at, actor, action, target)
           SELECT i, jsonb_build_object('at', "${schema}".imos_iso(t), 'actor', 'ann', 'action', 'ack', 'target', 'A' || i % 500), t, 'ann', 'ack', 'A' || i % 500
           FROM generate_series(1, $1::integer) AS i, LATERAL (SELECT timestamptz '2026-01-05T00:00:00Z' + i * interval '1 second' AS t) AS s`,
        [entries],
      );
    });
    expect(await indexes()).not.toContain('imos_audit_target');
    const store = await open();
    expect(await indexes()).toContain('imos_audit_target');
    await cluster.query(`ANALYZE "${schema}".imos_audit`);

    // The store's own statement, as it reads one alert's history (newest, and since a time).
    for (const query of [{ target: 'A7' }, { target: 'A7', limit: 5 }, { target: 'A7', since: '2026-01-05T05:00:00Z' }]) {
      const statement = auditStatement(`"${schema}".imos_audit`, query);
      const plan = await cluster.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
      expect(JSON.stringify(plan[0]!['QUERY PLAN']), JSON.stringify(query)).toContain('"Index Name":"imos_audit_target"');
    }
    const all = await store.readAudit({ target: 'A7' });
    expect(all).toHaveLength(entries / 500);
    expect(all.every((e) => e.target === 'A7')).toBe(true);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => 7 + 500 * i));
    expect((await store.readAudit({ target: 'A7', limit: 2 })).map((e) => e.seq)).toEqual([19_007, 19_507]);
    // 05:00 is the 18,000th second: the entries after it.
    expect((await store.readAudit({ target: 'A7', since: '2026-01-05T05:00:00Z' })).map((e) => e.seq)).toEqual([18_007, 18_507, 19_007, 19_507]);
  });

  it('keep the columns people query on alerts and audit entries in step with the records, written one at a time or many', async () => {
    schema = freshSchema();
    const a = await open();
    // Many at once (the set-based write), then one new, then one changed (the write by key).
    await a.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A1', { openedAt: '2026-01-05T08:00:00+01:00' }));
      tx.put('alerts', alertRecord('A2', { severity: 'CRITICAL' }));
      tx.audit({ at: '2026-01-05T07:00:00.000Z', actor: 'ann', action: 'open', target: 'A1' }, { at: 'not a time', actor: 'bob', action: 'open', target: 'A2' });
    });
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A3', { openedAt: '2026-01-05' })));
    await a.transact('core', (tx) => {
      const alert = tx.edit('alerts', 'A1');
      alert.state = 'resolved';
      alert.resolvedAt = '2026-01-05T09:30:00.000Z';
      tx.audit({ at: '2026-01-05T09:30:00.000Z', actor: 'cid', action: 'resolve', target: 'A1' });
    });
    await a.transact('core', (tx) => void (tx.edit('alerts', 'A2').checkId = 'api-7'));
    // What the columns were generated from before: the record, times through imos_ts.
    const ts = `"${schema}".imos_ts`;
    const alerts = await cluster.query(
      `SELECT key, fingerprint IS NOT DISTINCT FROM data->>'fingerprint' AND check_id IS NOT DISTINCT FROM data->>'checkId'
         AND system IS NOT DISTINCT FROM data->>'system' AND state IS NOT DISTINCT FROM data->>'state'
         AND severity IS NOT DISTINCT FROM data->>'severity' AND opened_at IS NOT DISTINCT FROM ${ts}(data->>'openedAt')
         AND resolved_at IS NOT DISTINCT FROM ${ts}(data->>'resolvedAt') AS same, state, check_id, opened_at, resolved_at
       FROM "${schema}".imos_alerts ORDER BY key`,
    );
    expect(alerts).toEqual([
      { key: 'A1', same: true, state: 'resolved', check_id: 'check-A1', opened_at: new Date('2026-01-05T07:00:00.000Z'), resolved_at: new Date('2026-01-05T09:30:00.000Z') },
      { key: 'A2', same: true, state: 'open', check_id: 'api-7', opened_at: expect.any(Date), resolved_at: null },
      { key: 'A3', same: true, state: 'open', check_id: 'check-A3', opened_at: null, resolved_at: null },
    ]);
    const audit = await cluster.query(`SELECT at, actor, action, target, at IS NOT DISTINCT FROM ${ts}(data->>'at') AS same FROM "${schema}".imos_audit ORDER BY id`);
    expect(audit).toEqual([
      { at: new Date('2026-01-05T07:00:00.000Z'), actor: 'ann', action: 'open', target: 'A1', same: true },
      { at: null, actor: 'bob', action: 'open', target: 'A2', same: true },
      { at: new Date('2026-01-05T09:30:00.000Z'), actor: 'cid', action: 'resolve', target: 'A1', same: true },
    ]);
  });

  it('append history points as the other stores do: several appends to one check in one commit, bounded', async () => {
    schema = freshSchema();
    const a = await open();
    const memory = new MemoryStore();
    const point = (value: number) => ({ at: new Date(Date.UTC(2026, 0, 5, 0, 0, value)).toISOString(), status: 'ok' as const, value, durationMs: 1 });
    for (const store of [a, memory] as Store[]) {
      await store.transact('history', (tx) => {
        tx.put('history', { id: 'old', points: [point(1), point(2)] });
        tx.appendHistory('old', [point(3)], 2);
        tx.appendHistory('new', [point(4), point(5), point(6)], 5);
        tx.appendHistory('new', [point(7)], 3);
        tx.appendHistory('other', [point(8)], 4);
      });
      await store.transact('history', (tx) => tx.appendHistory('new', [point(9), point(10)], 4));
    }
    const other = await open();
    expect((await a.read('history')).history).toEqual((await memory.read('history')).history);
    expect((await other.read('history')).history).toEqual((await memory.read('history')).history);
    expect((await other.read('history')).history.new!.map((p) => p.value)).toEqual([6, 7, 9, 10]);
  });

  it('lets a copy older than the kept tombstones reload instead of missing a deletion', async () => {
    schema = freshSchema();
    const a = await open();
    await a.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A1'));
      tx.put('alerts', alertRecord('A2'));
    });
    const b = await open();
    const seq = (await b.read('core')).seq;
    // A deletion whose tombstone is pruned before anyone hears of it (one transaction: the
    // notification goes out at commit): b can only find out by reloading.
    const payload = JSON.stringify({ section: 'core', since: seq, fence: null, reads: {}, scans: [], put: {}, del: { alerts: ['A1'] }, append: [], audit: [] });
    await cluster.query(
      `BEGIN; SELECT "${schema}".imos_commit('${payload}'::jsonb); DELETE FROM "${schema}".imos_tombstones; ` +
        `UPDATE "${schema}".imos_sections SET pruned_to = seq WHERE section = 'core'; COMMIT;`,
    );
    expect((await b.read('core')).alerts.map((x) => x.id)).toEqual(['A2']);
  });

  it('works in a short-lived process: opens, commits, closes, and the process exits by itself', async () => {
    schema = freshSchema();
    const a = await open();
    await a.transact('core', (tx) => void tx.put('kv', { key: 'n', value: 41 }));
    const worker = await startWorker('test/workers/pg-store-once.ts', [storeUrl()]);
    // Twice the hang bound: starting a process and connecting took over 15 s at a load of 20 on 2 cores.
    const exit = await Promise.race([worker.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2 * HANG_MS))]);
    if (exit === 'hung') worker.kill('SIGKILL');
    expect(exit, worker.stderr()).toEqual({ code: 0, signal: null });
    expect(worker.lines).toEqual(['42']);
    expect((await a.read('core')).kv.get('n')).toBe(42);
  }, 4 * HANG_MS);
});
