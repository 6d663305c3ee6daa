// The migrations kind against a real database: Prisma (one pending, one failed, one drifted),
// a version table, and a command such as `prisma migrate status`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsCheck, type MigrationsDetail } from '../../checks/migrations.js';
import { evaluateCondition, parseCondition } from '../../src/conditions/index.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { checkContext } from './context.js';
import { HANG_MS } from '../helpers/bounds.js';

let db: TestPostgres;
let work: string;
beforeAll(async () => {
  db = await startPostgres();
  work = mkdtempSync(join(tmpdir(), 'imos-migrations-'));
});
afterAll(async () => {
  await db?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const PRISMA_TABLE = `create table "_prisma_migrations" (
  "id" varchar(36) primary key not null,
  "checksum" varchar(64) not null,
  "finished_at" timestamptz,
  "migration_name" varchar(255) not null,
  "logs" text,
  "rolled_back_at" timestamptz,
  "started_at" timestamptz not null default now(),
  "applied_steps_count" integer not null default 0)`;

function prismaDir(names: string[]): string {
  const dir = join(work, `prisma-${Math.random().toString(36).slice(2)}`, 'migrations');
  for (const name of names) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'migration.sql'), '-- sql\n');
  }
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  mkdirSync(join(dir, 'not_a_migration'), { recursive: true }); // no migration.sql: ignored
  return dir;
}

const parse = (config: Record<string, unknown>) => migrationsCheck.schema.parse(config);
const holds = (condition: string, metrics: Record<string, unknown>) =>
  evaluateCondition(parseCondition(condition, migrationsCheck.metrics), metrics).holds;

describe('migrations, style prisma', () => {
  it('finds one pending, one failed and one drifted migration', async () => {
    const url = await db.createDatabase('prisma_app');
    await db.query(PRISMA_TABLE, [], 'prisma_app');
    await db.query(
      `insert into _prisma_migrations (id, checksum, migration_name, started_at, finished_at, rolled_back_at, logs) values
        ('1', 'c', '20240101000000_init',       now(), now(), null, null),
        ('2', 'c', '20240102000000_add_guests', now(), null,  now(), 'rolled back'),
        ('3', 'c', '20240102000000_add_guests', now(), now(), null, null),
        ('4', 'c', '20240103000000_add_orders', now(), null,  null, 'ERROR: relation "orders" already exists'),
        ('5', 'c', '20231201000000_hotfix',     now(), now(), null, null),
        ('6', 'c', '20240105000000_undone',     now(), null,  now(), null)`,
      [],
      'prisma_app',
    );
    const dir = prismaDir([
      '20240101000000_init',
      '20240102000000_add_guests',
      '20240103000000_add_orders',
      '20240104000000_add_invoices',
    ]);
    const ctx = checkContext();
    const out = await migrationsCheck.run(parse({ url, style: 'prisma', dir }), ctx);
    expect(out.status).toBeUndefined();
    expect(out.metrics).toEqual({ pending: 1, failed: 1, drift: 1, applied: 3 });
    expect(out.value).toBe(1);
    const detail = out.detail as MigrationsDetail;
    expect(detail.pending).toEqual(['20240104000000_add_invoices']);
    expect(detail.failed).toEqual(['20240103000000_add_orders']);
    expect(detail.drift).toEqual(['20231201000000_hotfix']);
    expect(out.message).toBe(
      '1 pending (20240104000000_add_invoices); 1 failed (20240103000000_add_orders); 1 applied but missing on disk (20231201000000_hotfix)',
    );
    expect(holds('pending > 0', out.metrics)).toBe(true);
    await ctx.resources.closeAll();
  });

  it('reads a relative dir against the config directory, and reports all applied', async () => {
    const url = await db.createDatabase('prisma_ok');
    await db.query(PRISMA_TABLE, [], 'prisma_ok');
    await db.query(`insert into _prisma_migrations (id, checksum, migration_name, finished_at) values ('1', 'c', '20240101000000_init', now())`, [], 'prisma_ok');
    const dir = prismaDir(['20240101000000_init']);
    const base = join(dir, '..', '..');
    const ctx = checkContext({ baseDir: base });
    const out = await migrationsCheck.run(parse({ url, dir: join(dir.slice(base.length + 1)) }), ctx);
    expect(out.metrics).toEqual({ pending: 0, failed: 0, drift: 0, applied: 1 });
    expect(out.message).toBe('all 1 migrations applied');
    expect(holds('pending > 0', out.metrics)).toBe(false);
    await ctx.resources.closeAll();
  });

  it('counts everything as pending on a database Prisma never touched', async () => {
    const url = await db.createDatabase('prisma_fresh');
    const ctx = checkContext();
    const out = await migrationsCheck.run(parse({ url, dir: prismaDir(['20240101000000_init', '20240102000000_b']) }), ctx);
    expect(out.metrics.pending).toBe(2);
    expect(out.message).toMatch(/no _prisma_migrations table yet/);
    await ctx.resources.closeAll();
  });

  it("finds _prisma_migrations in the schema named by Prisma's ?schema= in the URL", async () => {
    const url = await db.createDatabase('prisma_schema');
    await db.query(`create schema "App"; set search_path = "App"; ${PRISMA_TABLE}`, [], 'prisma_schema');
    await db.query(`insert into "App"._prisma_migrations (id, checksum, migration_name, finished_at) values ('1', 'c', '20240101000000_init', now())`, [], 'prisma_schema');
    const ctx = checkContext();
    const out = await migrationsCheck.run(parse({ url: `${url}?schema=App`, dir: prismaDir(['20240101000000_init']) }), ctx);
    expect(out.metrics).toEqual({ pending: 0, failed: 0, drift: 0, applied: 1 });
    // without it, the public schema (where Prisma never wrote) is what is read
    const plain = await migrationsCheck.run(parse({ url, dir: prismaDir(['20240101000000_init']) }), ctx);
    expect(plain.message).toMatch(/no _prisma_migrations table yet/);
    await ctx.resources.closeAll();
  });

  it('is an error, not a pass, when the migrations folder is missing', async () => {
    const ctx = checkContext();
    const out = await migrationsCheck.run(parse({ url: db.url, dir: join(work, 'nowhere') }), ctx);
    expect(out.status).toBe('error');
    expect(out.message).toBe(`migrations directory ${join(work, 'nowhere')} not found`);
    await ctx.resources.closeAll();
  });
});

describe('migrations, style table', () => {
  it('compares file versions with a version table (leading zeros, up/down pairs, drift, dirty)', async () => {
    const url = await db.createDatabase('table_app');
    await db.query('create schema meta', [], 'table_app');
    await db.query('create table meta."Applied" ("Version" bigint, dirty boolean)', [], 'table_app');
    await db.query('insert into meta."Applied" values (1, false), (2, false), (3, true), (9, false)', [], 'table_app');
    const dir = join(work, 'sql-migrations');
    mkdirSync(dir, { recursive: true });
    for (const f of ['000001_init.up.sql', '000001_init.down.sql', '000002_users.up.sql', '000003_orders.up.sql', '000004_invoices.up.sql', 'README.md']) {
      writeFileSync(join(dir, f), '');
    }
    const ctx = checkContext();
    const out = await migrationsCheck.run(
      parse({ url, style: 'table', table: 'meta."Applied"', column: '"Version"', dirty_column: 'dirty', dir }),
      ctx,
    );
    expect(out.status).toBeUndefined();
    const detail = out.detail as MigrationsDetail;
    expect(detail.pending).toEqual(['000004_invoices.up.sql']);
    expect(detail.failed).toEqual(['000003_orders.up.sql']);
    expect(detail.drift).toEqual(['9']);
    expect(out.metrics).toMatchObject({ pending: 1, failed: 1, drift: 1, applied: 3 });
    await ctx.resources.closeAll();
  });

  it('uses schema_migrations(version) by default (Rails style)', async () => {
    const url = await db.createDatabase('rails_app');
    await db.query('create table schema_migrations (version varchar primary key)', [], 'rails_app');
    await db.query("insert into schema_migrations values ('20240101120000'), ('20240102120000')", [], 'rails_app');
    const dir = join(work, 'rails');
    mkdirSync(dir, { recursive: true });
    for (const f of ['20240101120000_create_users.rb', '20240102120000_add_email.rb', '20240103120000_add_orders.rb']) writeFileSync(join(dir, f), '');
    const ctx = checkContext();
    const out = await migrationsCheck.run(parse({ url, style: 'table', dir }), ctx);
    expect(out.metrics).toMatchObject({ pending: 1, failed: 0, drift: 0 });
    expect(out.message).toBe('1 pending (20240103120000_add_orders.rb)');
    await ctx.resources.closeAll();
  });

  it('quotes identifiers from the config instead of running them', async () => {
    const ctx = checkContext();
    expect(() => parse({ url: db.url, style: 'table', table: 'x; drop table y', dir: work })).toThrow(/not a valid name/);
    const out = await migrationsCheck.run(parse({ url: db.url, style: 'table', table: '"x; drop table y"', dir: work }), ctx);
    // a (weird but quoted) name that does not exist: everything pending, nothing executed
    expect(out.status).toBeUndefined();
    expect(out.message).toMatch(/no "x; drop table y" table yet/);
    await ctx.resources.closeAll();
  });
});

describe('migrations, style command', () => {
  const node = process.execPath;
  const script = (text: string, code: number) => [node, '-e', `process.stdout.write(${JSON.stringify(text)}); process.exit(${code})`];

  it('parses prisma migrate status output', async () => {
    const output = [
      'Prisma schema loaded from prisma/schema.prisma',
      'Datasource "db": PostgreSQL database "app", schema "public" at "localhost:5432"',
      '',
      '4 migrations found in prisma/migrations',
      '',
      'Following migrations have not yet been applied:',
      '20240103000000_add_orders',
      '20240104000000_add_invoices',
      '',
      'To apply migrations in development run prisma migrate dev.',
      '',
    ].join('\n');
    const out = await migrationsCheck.run(parse({ style: 'command', run: script(output, 1) }), checkContext());
    expect(out.status).toBeUndefined();
    expect(out.metrics).toEqual({ pending: 2, failed: 0, drift: 0, exit: 1 });
    expect((out.detail as MigrationsDetail).pending).toEqual(['20240103000000_add_orders', '20240104000000_add_invoices']);
  });

  it('reads "up to date" as zero pending', async () => {
    const out = await migrationsCheck.run(parse({ style: 'command', run: script('Database schema is up to date!\n', 0) }), checkContext());
    expect(out.metrics).toEqual({ pending: 0, failed: 0, drift: 0, exit: 0 });
  });

  it('takes the number from capture when given', async () => {
    const out = await migrationsCheck.run(
      parse({ style: 'command', run: script('pending migrations: 3\n', 0), capture: 'pending migrations: (\\d+)' }),
      checkContext(),
    );
    expect(out.value).toBe(3);
    expect(out.metrics).toMatchObject({ pending: 3, exit: 0 });
  });

  it('is an error when the command fails without saying anything useful, or is missing', async () => {
    const failed = await migrationsCheck.run(parse({ style: 'command', run: script('Error: P1001 cannot reach database\n', 1) }), checkContext());
    expect(failed.status).toBe('error');
    expect(failed.message).toMatch(/exited 1: Error: P1001 cannot reach database$/);
    const missing = await migrationsCheck.run(parse({ style: 'command', run: ['no-such-command-imos'] }), checkContext());
    expect(missing.status).toBe('error');
    expect(missing.message).toBe('no-such-command-imos: command not found: no-such-command-imos');
  });

  it('kills a command that outlives the timeout', async () => {
    const t0 = Date.now();
    const out = await migrationsCheck.run(
      parse({ style: 'command', run: [node, '-e', 'setTimeout(() => {}, 60000)'] }),
      checkContext({ timeoutMs: 300 }),
    );
    expect(Date.now() - t0).toBeLessThan(HANG_MS); // not the program's 60 s
    expect(out.status).toBe('error');
    expect(out.message).toMatch(/timed out after 0.3s/);
  });

  it('requires run for style command and url otherwise', () => {
    expect(migrationsCheck.schema.safeParse({ style: 'command' }).success).toBe(false);
    expect(migrationsCheck.schema.safeParse({ style: 'prisma' }).success).toBe(false);
    const bad = migrationsCheck.schema.safeParse({ style: 'prisma', url: 'mysql://u:pw@h/db' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error)).not.toContain('pw@');
  });
});
