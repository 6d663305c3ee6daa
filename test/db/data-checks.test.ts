// tables, sync-lag, event-flow and consistency against a real database, and the rule that a
// password in a URL never reaches any message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistencyCheck } from '../../checks/consistency.js';
import { eventFlowCheck } from '../../checks/event-flow.js';
import { migrationsCheck } from '../../checks/migrations.js';
import { postgresCheck } from '../../checks/postgres.js';
import { sqlCheck } from '../../checks/sql.js';
import { syncLagCheck } from '../../checks/sync-lag.js';
import { tablesCheck, type TablesDetail } from '../../checks/tables.js';
import type { CheckKind } from '../../checks/types.js';
import { evaluateCondition, parseCondition } from '../../src/conditions/index.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { checkContext } from './context.js';

let db: TestPostgres;
beforeAll(async () => {
  db = await startPostgres();
});
afterAll(async () => {
  await db?.stop();
});

const holds = (kind: CheckKind<any>, condition: string, metrics: Record<string, unknown>) =>
  evaluateCondition(parseCondition(condition, kind.metrics), metrics).holds;

describe('tables', () => {
  const ALL = [
    'customers', 'reservations', 'rooms', 'room_types', 'rates', 'orders', 'order_items',
    'members', 'points', 'invoices', 'payments', 'staff', 'audit_events',
  ];
  let url: string;
  beforeAll(async () => {
    url = await db.createDatabase('unified');
    await db.query('create schema pms', [], 'unified');
    for (const t of ALL.slice(0, 10)) await db.query(`create table public.${t} (id int)`, [], 'unified');
    await db.query('create table pms.staff (id int, name text)', [], 'unified');
    await db.query('alter table public.reservations add column guest_id int', [], 'unified');
  });

  it('reports 11 of 13 tables as "85% (11/13 tables)" and names the missing ones', async () => {
    const ctx = checkContext();
    const tables = [...ALL.slice(0, 10).map((t) => `public.${t}`), 'pms.staff', 'public.staff', 'audit_events'];
    const out = await tablesCheck.run(tablesCheck.schema.parse({ url, tables }), ctx);
    expect(out.status).toBeUndefined();
    expect(out.value).toBe('11/13');
    expect(out.metrics).toEqual({ present: 11, expected: 13, missing: 2, percent: 85 });
    expect(out.message).toBe('85% (11/13 tables); missing: public.staff, public.audit_events');
    expect((out.detail as TablesDetail).missing).toEqual(['public.staff', 'public.audit_events']);
    expect(holds(tablesCheck, 'missing > 0', out.metrics)).toBe(true);
    await ctx.resources.closeAll();
  });

  it('checks required columns', async () => {
    const ctx = checkContext();
    const out = await tablesCheck.run(
      tablesCheck.schema.parse({
        url,
        tables: [{ name: 'public.reservations', columns: ['id', 'guest_id'] }, { name: 'Customers', columns: ['id', 'email', 'Phone'] }],
      }),
      ctx,
    );
    expect(out.metrics).toEqual({ present: 1, expected: 2, missing: 1, percent: 50 });
    expect((out.detail as TablesDetail).missingColumns).toEqual([{ table: 'public.customers', columns: ['email', 'phone'] }]);
    expect(out.message).toBe('50% (1/2 tables); public.customers lacks email, phone');
    await ctx.resources.closeAll();
  });

  it("looks unqualified names up in the URL's Prisma ?schema= (unless schema: is given)", async () => {
    await db.query('create schema "Pms"; create table "Pms".bookings (id int)', [], 'unified');
    const ctx = checkContext();
    const prisma = await tablesCheck.run(tablesCheck.schema.parse({ url: `${url}?schema=Pms`, tables: ['bookings', 'public.rooms'] }), ctx);
    expect(prisma.message).toBe('100% (2/2 tables)');
    const given = await tablesCheck.run(tablesCheck.schema.parse({ url: `${url}?schema=Pms`, schema: 'public', tables: ['bookings'] }), ctx);
    expect(given.message).toBe('0% (0/1 tables); missing: public.bookings');
    await ctx.resources.closeAll();
  });

  it('takes the list from the integration matrix', async () => {
    const ctx = checkContext({ matrixTables: async () => ['customers', 'public.rooms', 'pms.staff', 'loyalty', 'not a name'] });
    const out = await tablesCheck.run(tablesCheck.schema.parse({ url, tables: 'from-matrix' }), ctx);
    expect(out.metrics).toEqual({ present: 3, expected: 5, missing: 2, percent: 60 });
    expect(out.message).toBe('60% (3/5 tables); missing: public.loyalty; not table names: not a name');
    await ctx.resources.closeAll();
  });

  it('is an error when from-matrix has no matrix', async () => {
    const out = await tablesCheck.run(tablesCheck.schema.parse({ url, tables: 'from-matrix' }), checkContext());
    expect(out.status).toBe('error');
    expect(out.message).toMatch(/no integration matrix configured/);
  });
});

describe('sync-lag', () => {
  let source: string;
  let target: string;
  beforeAll(async () => {
    source = await db.createDatabase('pms_source');
    target = await db.createDatabase('unified_target');
    await db.query('create table reservations (id int, updated_at timestamptz)', [], 'pms_source');
    await db.query('create table public.reservations (id int, synced_at timestamptz)', [], 'unified_target');
  });

  it('compares newest rows and sees the lag rise past 5 s', async () => {
    const ctx = checkContext();
    const config = syncLagCheck.schema.parse({
      url: target,
      source: { url: source, table: 'reservations', column: 'updated_at' },
      target: { table: 'public.reservations', column: 'synced_at' },
    });
    // target empty, source has a row 30 s old: the whole source trails
    await db.query("insert into reservations values (1, now() - interval '30 seconds')", [], 'pms_source');
    const empty = await syncLagCheck.run(config, ctx);
    expect(empty.metrics.lag as number).toBeGreaterThanOrEqual(30);
    expect(empty.message).toMatch(/the target has no rows yet/);

    await db.query("insert into reservations values (2, '2026-01-01T10:00:02Z')", [], 'pms_source');
    await db.query("insert into public.reservations values (1, '2026-01-01T10:00:00Z')", [], 'unified_target');
    await db.query("delete from reservations where id = 1", [], 'pms_source');
    const fine = await syncLagCheck.run(config, ctx);
    expect(fine.status).toBeUndefined();
    expect(fine.metrics.lag).toBe(2);
    expect(holds(syncLagCheck, 'lag > 5s', fine.metrics)).toBe(false);
    expect(fine.message).toBe('lag 2s (source newest 2026-01-01T10:00:02.000Z, target newest 2026-01-01T10:00:00.000Z)');

    await db.query("insert into reservations values (3, '2026-01-01T10:00:07.5Z')", [], 'pms_source');
    const late = await syncLagCheck.run(config, ctx);
    expect(late.metrics.lag).toBe(7.5);
    expect(holds(syncLagCheck, 'lag > 5s', late.metrics)).toBe(true);
    expect(holds(syncLagCheck, 'lag > 60s', late.metrics)).toBe(false);

    // a target ahead of the source is not negative lag
    await db.query("insert into public.reservations values (2, '2026-01-01T11:00:00Z')", [], 'unified_target');
    expect((await syncLagCheck.run(config, ctx)).metrics.lag).toBe(0);
    await ctx.resources.closeAll();
  });

  it('reads a timestamp-without-time-zone column in the database time zone, like a timestamptz one', async () => {
    const url = await db.createDatabase('tz_mixed');
    await db.query('create table src (updated_at timestamptz)', [], 'tz_mixed');
    await db.query('create table dst (synced_at timestamp)', [], 'tz_mixed');
    await db.query('create table empty_dst (synced_at timestamp)', [], 'tz_mixed');
    await db.query(`alter database tz_mixed set timezone = 'Asia/Tokyo'`, [], 'tz_mixed');
    // written by an application whose session is in Tokyo time, as the database's default
    await db.query(`set timezone = 'Asia/Tokyo'; insert into src values (now()); insert into dst values (now() - interval '3 seconds')`, [], 'tz_mixed');
    const ctx = checkContext();
    const mixed = await syncLagCheck.run(
      syncLagCheck.schema.parse({ url, source: { table: 'src', column: 'updated_at' }, target: { table: 'dst', column: 'synced_at' } }),
      ctx,
    );
    expect(mixed.metrics.lag).toBe(3);
    const reversed = await syncLagCheck.run(
      syncLagCheck.schema.parse({ url, source: { table: 'dst', column: 'synced_at' }, target: { table: 'src', column: 'updated_at' } }),
      ctx,
    );
    expect(reversed.metrics.lag).toBe(0);
    const empty = await syncLagCheck.run(
      syncLagCheck.schema.parse({ url, source: { table: 'dst', column: 'synced_at' }, target: { table: 'empty_dst', column: 'synced_at' } }),
      ctx,
    );
    expect(empty.metrics.lag as number).toBeGreaterThanOrEqual(3);
    expect(empty.metrics.lag as number).toBeLessThan(60);
    await ctx.resources.closeAll();
  });

  it('runs a query returning seconds (or an interval)', async () => {
    await db.query("create table sync_state (source text, synced_at timestamptz)", [], 'unified_target');
    await db.query("insert into sync_state values ('pms', now() - interval '8 seconds')", [], 'unified_target');
    const ctx = checkContext();
    const seconds = await syncLagCheck.run(
      syncLagCheck.schema.parse({
        url: target,
        query: "select extract(epoch from now() - max(synced_at)) from sync_state where source = 'pms'",
      }),
      ctx,
    );
    expect(seconds.metrics.lag as number).toBeGreaterThanOrEqual(8);
    expect(seconds.metrics.lag as number).toBeLessThan(20);
    expect(holds(syncLagCheck, 'lag > 5s', seconds.metrics)).toBe(true);
    const interval = await syncLagCheck.run(
      syncLagCheck.schema.parse({ url: target, query: "select now() - max(synced_at) from sync_state where source = 'pms'" }),
      ctx,
    );
    expect(interval.metrics.lag as number).toBeGreaterThanOrEqual(8);
    const none = await syncLagCheck.run(
      syncLagCheck.schema.parse({ url: target, query: "select extract(epoch from now() - max(synced_at)) from sync_state where source = 'saas'" }),
      ctx,
    );
    expect(none.status).toBe('error');
    expect(none.message).toMatch(/returned NULL/);
    await ctx.resources.closeAll();
  });
});

describe('event-flow', () => {
  let url: string;
  beforeAll(async () => {
    url = await db.createDatabase('saas');
    await db.query('create table outbox (id serial, created_at timestamptz not null, processed_at timestamptz)', [], 'saas');
  });

  it('counts the backlog and the age of the oldest unprocessed event', async () => {
    const ctx = checkContext();
    const config = eventFlowCheck.schema.parse({ url, table: 'outbox', created_column: 'created_at', processed_column: 'processed_at' });
    const empty = await eventFlowCheck.run(config, ctx);
    expect(empty.metrics).toEqual({ backlog: 0, oldest: 0 });
    expect(empty.message).toBe('no unprocessed events');

    await db.query(
      `insert into outbox (created_at, processed_at) values
        (now() - interval '2 hours', now() - interval '119 minutes'),
        (now() - interval '10 minutes', null),
        (now() - interval '3 minutes', null),
        (now() - interval '5 seconds', null)`,
      [],
      'saas',
    );
    const out = await eventFlowCheck.run(config, ctx);
    expect(out.value).toBe(3);
    expect(out.metrics.backlog).toBe(3);
    expect(out.metrics.oldest as number).toBeGreaterThanOrEqual(600);
    expect(out.metrics.oldest as number).toBeLessThan(620);
    expect(out.message).toMatch(/^3 unprocessed events, oldest 10m \d+s$/);
    expect(holds(eventFlowCheck, 'oldest > 5m', out.metrics)).toBe(true);
    expect(holds(eventFlowCheck, 'backlog > 100', out.metrics)).toBe(false);
    await ctx.resources.closeAll();
  });

  it('says how many unprocessed events have no created time (NULL), instead of an age of 0', async () => {
    await db.query('create table undated (created_at timestamp, processed_at timestamp)', [], 'saas');
    await db.query('insert into undated values (null, null), (null, null)', [], 'saas');
    const ctx = checkContext();
    const config = eventFlowCheck.schema.parse({ url, table: 'undated' });
    const none = await eventFlowCheck.run(config, ctx);
    expect(none.metrics).toEqual({ backlog: 2, oldest: 0 });
    expect(none.message).toBe('2 unprocessed events, none with created_at (age unknown)');
    await db.query("insert into undated values (now() - interval '2 minutes', null)", [], 'saas');
    const some = await eventFlowCheck.run(config, ctx);
    expect(some.message).toMatch(/^3 unprocessed events, oldest 2m \d+s; 2 without created_at$/);
    await ctx.resources.closeAll();
  });

  it('accepts a query answering (backlog, oldest)', async () => {
    const ctx = checkContext();
    const out = await eventFlowCheck.run(
      eventFlowCheck.schema.parse({ url, query: "select count(*), max(now() - created_at) from outbox where processed_at is null" }),
      ctx,
    );
    expect(out.metrics.backlog).toBe(3);
    expect(out.metrics.oldest as number).toBeGreaterThanOrEqual(600);
    await ctx.resources.closeAll();
  });

  it('says which column is wrong', async () => {
    const ctx = checkContext();
    const out = await eventFlowCheck.run(eventFlowCheck.schema.parse({ url, table: 'outbox', processed_column: 'handled_at' }), ctx);
    expect(out.status).toBe('error');
    expect(out.message).toBe('query failed: column "handled_at" does not exist');
    await ctx.resources.closeAll();
  });
});

describe('consistency', () => {
  let legacy: string;
  let unified: string;
  beforeAll(async () => {
    legacy = await db.createDatabase('member_legacy');
    unified = await db.createDatabase('member_unified');
    await db.query('create table members as select g as id, md5(g::text) as email from generate_series(1, 1200) g', [], 'member_legacy');
    await db.query('create table members as select g as id, md5(g::text) as email from generate_series(1, 1187) g', [], 'member_unified');
  });

  it('compares row counts of two databases', async () => {
    const ctx = checkContext();
    const out = await consistencyCheck.run(
      consistencyCheck.schema.parse({ source: { url: legacy, table: 'members' }, target: { url: unified, table: 'public.members' } }),
      ctx,
    );
    expect(out.value).toBe(13);
    expect(out.metrics).toEqual({ difference: 13, source: 1200, target: 1187, match: false });
    expect(out.message).toBe('source 1200 rows, target 1187 rows: difference 13');
    expect(holds(consistencyCheck, 'difference > 0', out.metrics)).toBe(true);
    await ctx.resources.closeAll();
  });

  it('compares numeric checksums past 2^53 exactly', async () => {
    const ctx = checkContext();
    const run = (a: string, b: string) =>
      consistencyCheck.run(consistencyCheck.schema.parse({ source: { url: legacy, query: `select ${a}::numeric` }, target: { url: unified, query: `select ${b}::numeric` } }), ctx);
    const differ = await run('9007199254740993', '9007199254740992');
    expect(differ.metrics.match).toBe(false);
    expect(differ.metrics.difference).toBe(1);
    expect(differ.message).toBe("source and target differ: '9007199254740993' vs '9007199254740992'");
    const same = await run('123456789012345678901234567890', '123456789012345678901234567890');
    expect(same.metrics.match).toBe(true);
    const small = await run('12', '10');
    expect(small.metrics).toEqual({ difference: 2, source: 12, target: 10, match: false });
    await ctx.resources.closeAll();
  });

  it('compares checksums from queries', async () => {
    const ctx = checkContext();
    const checksum = 'select md5(string_agg(email, \',\' order by id)) from members where id <= 1000';
    const same = await consistencyCheck.run(
      consistencyCheck.schema.parse({ source: { url: legacy, query: checksum }, target: { url: unified, query: checksum } }),
      ctx,
    );
    expect(same.metrics.match).toBe(true);
    expect(same.metrics.difference).toBe(0);
    const all = 'select md5(string_agg(email, \',\' order by id)) from members';
    const differ = await consistencyCheck.run(
      consistencyCheck.schema.parse({ source: { url: legacy, query: all }, target: { url: unified, query: all } }),
      ctx,
    );
    expect(differ.metrics.match).toBe(false);
    expect(differ.metrics.difference).toBe(1);
    expect(differ.message).toMatch(/^source and target differ: '[0-9a-f]{32}' vs '[0-9a-f]{32}'$/);
    await ctx.resources.closeAll();
  });

  it('says which side failed', async () => {
    const ctx = checkContext();
    const out = await consistencyCheck.run(
      consistencyCheck.schema.parse({ source: { url: legacy, table: 'members' }, target: { url: db.urlFor('gone_db'), table: 'members' } }),
      ctx,
    );
    expect(out.status).toBe('CRITICAL');
    expect(out.message).toMatch(/^target: cannot connect to 127\.0\.0\.1:\d+\/gone_db: database "gone_db" does not exist$/);
    await ctx.resources.closeAll();
  });
});

describe('secrets', () => {
  it('never shows the password of any URL, in any kind, in any outcome', async () => {
    const password = 'S3cr3t/P@ss:word%';
    const good = await db.createUser('reporter', password);
    const wrongPw = db.urlFor('postgres', 'reporter', password + 'x');
    const noDb = db.urlFor('missing_db', 'reporter', password);
    const ctx = checkContext({ timeoutMs: 3000 });
    const outcomes = [];
    for (const url of [good, wrongPw, noDb]) {
      outcomes.push(
        await postgresCheck.run({ url }, ctx),
        await sqlCheck.run({ url, query: `select '${url}'` }, ctx),
        await sqlCheck.run({ url, query: 'select count(*) from nowhere' }, ctx),
        await migrationsCheck.run(migrationsCheck.schema.parse({ url, dir: '/nonexistent' }), ctx),
        await tablesCheck.run(tablesCheck.schema.parse({ url, tables: ['a'] }), ctx),
        await syncLagCheck.run(syncLagCheck.schema.parse({ url, query: 'select 1' }), ctx),
        await syncLagCheck.run(syncLagCheck.schema.parse({ url, source: { table: 'a', column: 'b' }, target: { table: 'a', column: 'b' } }), ctx),
        await eventFlowCheck.run(eventFlowCheck.schema.parse({ url, table: 'outbox' }), ctx),
        await consistencyCheck.run(consistencyCheck.schema.parse({ url, source: { table: 'a' }, target: { query: 'select 1' } }), ctx),
      );
    }
    expect(outcomes.filter((o) => o.status === 'CRITICAL').length).toBeGreaterThanOrEqual(14);
    const text = JSON.stringify(outcomes);
    for (const form of [password, encodeURIComponent(password), 'S3cr3t']) expect(text).not.toContain(form);
    await ctx.resources.closeAll();
  });
});
