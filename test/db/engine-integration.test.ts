// The database kinds as the engine sees them: declared in YAML (URL from the environment), loaded
// by the real config loader, run by runCheck with thresholds. An unreachable database is CRITICAL
// with a connection-failure alert type, and the password appears nowhere.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import type { ImosConfig } from '../../src/config/types.js';
import { ManualClock } from '../../src/time/clock.js';
import { createResourceRegistry } from '../../src/engine/resources.js';
import { runCheck } from '../../src/engine/run-check.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

const PASSWORD = 'unified-Pa55word';
let db: TestPostgres;
let dir: string;
let config: ImosConfig;

const YAML = `
project: Hotel integration
people:
  manager: { name: Integration manager }
  owner: { name: Project owner }
systems:
  hotel-common: { name: Unified platform }
  hotel-pms: { name: PMS, depends_on: [hotel-common] }
  hotel-saas: { name: Orders SaaS, depends_on: [hotel-common] }
  hotel-member: { name: Members, depends_on: [hotel-common] }
defaults: { every: 30s, timeout: 15s }
checks:
  - id: unified-db
    system: hotel-common
    kind: postgres
    url: \${DATABASE_URL}
    thresholds: { HIGH: "connections > 80%" }
  - id: pending-migrations
    system: hotel-common
    kind: migrations
    url: \${DATABASE_URL}
    style: prisma
    dir: ./prisma/migrations
    thresholds: { CRITICAL: "pending > 0" }
  - id: unified-tables
    system: hotel-common
    kind: tables
    url: \${DATABASE_URL}
    tables: [public.customers, public.reservations, { name: public.outbox, columns: [id, created_at, processed_at] }]
    thresholds: { HIGH: "missing > 0" }
  - id: reservation-sync
    system: hotel-pms
    kind: sync-lag
    url: \${DATABASE_URL}
    query: "select extract(epoch from now() - max(synced_at)) from sync_state where source = 'pms'"
    thresholds: { HIGH: "lag > 5s", CRITICAL: "lag > 60s" }
  - id: order-events
    system: hotel-saas
    kind: event-flow
    url: \${DATABASE_URL}
    table: outbox
    created_column: created_at
    processed_column: processed_at
    thresholds: { HIGH: ["backlog > 100", "oldest > 5m"] }
  - id: member-counts
    system: hotel-member
    kind: consistency
    source:
      url: \${MEMBER_DB_URL}
      table: members
    target:
      url: \${DATABASE_URL}
      table: public.customers
    thresholds: { HIGH: "difference > 0" }
  - id: unpaid-invoices
    system: hotel-common
    kind: sql
    url: \${DATABASE_URL}
    query: "select count(*) from customers where id < 0"
    thresholds: { MEDIUM: "value > 0" }
`;

beforeAll(async () => {
  db = await startPostgres();
  await db.createDatabase('unified');
  await db.createDatabase('member');
  await db.query(`create role app login password '${PASSWORD}'`);
  await db.query('grant all on schema public to app', [], 'unified');
  const q = (sql: string) => db.query(sql, [], 'unified');
  await q('create table customers (id int)');
  await q('insert into customers select generate_series(1, 10)');
  await q('create table outbox (id int, created_at timestamptz, processed_at timestamptz)');
  await q("insert into outbox values (1, now() - interval '20 minutes', null)");
  await q('create table sync_state (source text, synced_at timestamptz)');
  await q("insert into sync_state values ('pms', now() - interval '12 seconds')");
  await q('create table _prisma_migrations (id text, checksum text, finished_at timestamptz, migration_name text, logs text, rolled_back_at timestamptz, started_at timestamptz default now(), applied_steps_count int default 0)');
  await q("insert into _prisma_migrations (id, checksum, migration_name, finished_at) values ('1', 'x', '20240101000000_init', now())");
  await q('grant select on all tables in schema public to app');
  await db.query('create table members (id int)', [], 'member');
  await db.query('insert into members select generate_series(1, 12)', [], 'member');
  await db.query('grant select on members to app', [], 'member');

  dir = mkdtempSync(join(tmpdir(), 'imos-dbcfg-'));
  for (const m of ['20240101000000_init', '20240102000000_add_outbox']) {
    mkdirSync(join(dir, 'prisma', 'migrations', m), { recursive: true });
    writeFileSync(join(dir, 'prisma', 'migrations', m, 'migration.sql'), '');
  }
  const file = join(dir, 'imos.yaml');
  writeFileSync(file, YAML);
  config = loadConfigText(YAML, file, {
    env: { DATABASE_URL: db.urlFor('unified', 'app', PASSWORD), MEMBER_DB_URL: db.urlFor('member', 'app', PASSWORD) },
  });
});

afterAll(async () => {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('database checks through the config loader and the engine', () => {
  it('loads, runs and judges every database kind', async () => {
    const resources = createResourceRegistry();
    const deps = { clock: new ManualClock(), baseDir: config.baseDir, env: {}, resources, secrets: [PASSWORD] };
    const results = Object.fromEntries(
      await Promise.all(config.checks.map(async (check) => [check.id, await runCheck(check, deps)] as const)),
    );
    expect(results['unified-db']!.status).toBe('ok');
    expect(results['pending-migrations']!.status).toBe('CRITICAL');
    expect(results['pending-migrations']!.message).toMatch(/^1 pending \(20240102000000_add_outbox\)/);
    expect(results['unified-tables']!.status).toBe('HIGH');
    expect(results['unified-tables']!.value).toBe('2/3');
    expect(results['unified-tables']!.message).toMatch(/^67% \(2\/3 tables\); missing: public\.reservations/);
    expect(results['reservation-sync']!.status).toBe('HIGH');
    expect(results['order-events']!.status).toBe('HIGH');
    expect(results['order-events']!.metrics).toMatchObject({ backlog: 1 });
    expect(results['member-counts']!.status).toBe('HIGH');
    expect(results['member-counts']!.metrics).toMatchObject({ difference: 2, source: 12, target: 10 });
    expect(results['unpaid-invoices']!.status).toBe('ok');
    expect(JSON.stringify(results)).not.toContain(PASSWORD);
    await resources.closeAll();
  });

  it('turns CRITICAL with a connection-failure alert when the database goes away, and ok when it is back', async () => {
    const resources = createResourceRegistry();
    const deps = { clock: new ManualClock(), baseDir: config.baseDir, env: {}, resources, secrets: [] };
    const check = config.checks.find((c) => c.id === 'unified-db')!;
    expect((await runCheck(check, deps)).status).toBe('ok');
    await db.halt();
    try {
      const down = await runCheck(check, deps);
      expect(down.status).toBe('CRITICAL');
      expect(down.alertType).toBe('SYSTEM_CONNECTION_FAILURE');
      expect(down.message).toMatch(/^cannot connect to 127\.0\.0\.1:\d+\/unified: connection refused/);
      expect(JSON.stringify(down)).not.toContain(PASSWORD);
      const events = await runCheck(config.checks.find((c) => c.id === 'order-events')!, deps);
      expect(events.status).toBe('CRITICAL');
    } finally {
      await db.resume();
    }
    expect((await runCheck(check, deps)).status).toBe('ok');
    await resources.closeAll();
  });

  it('reports config mistakes with the field, without echoing the URL', () => {
    const bad = YAML.replace('tables: [public.customers,', 'tables: [public.customers; drop,').replace(
      'style: prisma',
      'style: flyway',
    );
    let message = '';
    try {
      loadConfigText(bad, join(dir, 'imos.yaml'), { env: { DATABASE_URL: 'mysql://u:hunter22@h/db', MEMBER_DB_URL: 'x' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/style/);
    expect(message).toMatch(/not a valid name/);
    expect(message).toMatch(/postgres:\/\/ or postgresql:\/\//);
    expect(message).not.toContain('hunter22');
  });
});
