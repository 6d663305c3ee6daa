// The postgres kind and the shared session against a real throwaway cluster: healthy, wrong
// password, unknown database, refused, connect timeout, outage and recovery, slow query.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCheck } from '../../checks/postgres.js';
import { sqlCheck } from '../../checks/sql.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { checkContext } from './context.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let db: TestPostgres;
beforeAll(async () => {
  db = await startPostgres();
});
afterAll(async () => {
  await db?.stop();
});

const PASSWORD = 'Pa55-w0rd!secret';

describe('postgres kind', () => {
  it('reports latency, version and connection usage of a healthy server', async () => {
    const ctx = checkContext();
    const out = await postgresCheck.run(postgresCheck.schema.parse({ url: db.url }), ctx);
    expect(out.status).toBeUndefined();
    expect(typeof out.metrics.latency).toBe('number');
    expect(out.metrics.latency as number).toBeGreaterThanOrEqual(0);
    expect(out.metrics.version).toMatch(/^\d+\.\d+/);
    expect(out.metrics.max_connections).toBe(40);
    expect(out.metrics.used as number).toBeGreaterThanOrEqual(1);
    expect(out.metrics.connections).toBeCloseTo(((out.metrics.used as number) / 40) * 100, 1);
    expect(out.value).toBe(out.metrics.latency);
    expect(out.message).toMatch(/^PostgreSQL \d+\.\d+ at 127\.0\.0\.1:\d+\/postgres: round trip \d+ ms, \d+\/40 connections/);
    await ctx.resources.closeAll();
  });

  it('says "wrong password" for a bad password, CRITICAL, and never shows the password', async () => {
    await db.createUser('app_user', PASSWORD);
    const ctx = checkContext();
    const good = await postgresCheck.run({ url: db.urlFor('postgres', 'app_user', PASSWORD) }, ctx);
    expect(good.status).toBeUndefined();
    const wrong = 'Wr0ng-guess-' + PASSWORD;
    const out = await postgresCheck.run({ url: db.urlFor('postgres', 'app_user', wrong) }, ctx);
    expect(out.status).toBe('CRITICAL');
    expect(out.alertType).toBe('SYSTEM_CONNECTION_FAILURE');
    expect(out.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+\/postgres: authentication failed for user "app_user" \(wrong password\)/);
    const everything = JSON.stringify([good, out]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(encodeURIComponent(PASSWORD));
    await ctx.resources.closeAll();
  });

  it('says the database does not exist', async () => {
    const ctx = checkContext();
    const out = await postgresCheck.run({ url: db.urlFor('no_such_db') }, ctx);
    expect(out.status).toBe('CRITICAL');
    expect(out.message).toMatch(/database "no_such_db" does not exist/);
    await ctx.resources.closeAll();
  });

  it('says connection refused when nothing listens', async () => {
    const port = await closedPort();
    const ctx = checkContext();
    const out = await postgresCheck.run({ url: `postgresql://u:${PASSWORD}@127.0.0.1:${port}/app` }, ctx);
    expect(out.status).toBe('CRITICAL');
    expect(out.message).toBe(`cannot connect to 127.0.0.1:${port}/app: connection refused (is the server running and listening there?)`);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
    await ctx.resources.closeAll();
  });

  it('connects over the unix socket, and says so when the socket is missing', async () => {
    const ctx = checkContext();
    const url = `postgresql://test@/postgres?host=${db.socketDir}&port=${db.port}`;
    const out = await postgresCheck.run({ url }, ctx);
    expect(out.status).toBeUndefined();
    expect(out.message).toContain(`at ${db.socketDir} (socket)/postgres`);
    const gone = await postgresCheck.run({ url: `postgresql://test@/postgres?host=${db.socketDir}/nowhere&port=${db.port}` }, ctx);
    expect(gone.status).toBe('CRITICAL');
    expect(gone.message).toMatch(/no server socket there \(is the server running\?\)/);
    await ctx.resources.closeAll();
  });

  it('times out a server that accepts and never answers, within the check timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const ctx = checkContext({ timeoutMs: 400 });
    const t0 = Date.now();
    const out = await postgresCheck.run({ url: `postgresql://u@127.0.0.1:${port}/app` }, ctx);
    expect(Date.now() - t0).toBeLessThan(HANG_MS); // the server never answers
    expect(out.status).toBe('CRITICAL');
    expect(out.message).toMatch(/connection timed out after 400ms/);
    await ctx.resources.closeAll();
    for (const s of sockets) s.destroy();
    silent.close();
  });

  it('honours the engine abort signal while connecting', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const controller = new AbortController();
    const ctx = checkContext({ timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const t0 = Date.now();
    const out = await postgresCheck.run({ url: `postgresql://u@127.0.0.1:${port}/app` }, ctx);
    expect(Date.now() - t0).toBeLessThan(HANG_MS); // not the 60 s timeout
    expect(out.status).toBe('error');
    expect(out.message).toBe('cancelled before it finished (imos is stopping)');
    // shutdown does not wait for the abandoned connect to a silent server
    const closing = Date.now();
    await ctx.resources.closeAll();
    expect(Date.now() - closing).toBeLessThan(HANG_MS); // the connect would never finish
    silent.close();
  });

  it('recovers by itself when the server stops mid-run and comes back (same registry)', async () => {
    const ctx = checkContext({ timeoutMs: 3000 });
    const config = { url: db.url };
    expect((await postgresCheck.run(config, ctx)).status).toBeUndefined();
    // a query is running when the server goes down
    const running = sqlCheck.run({ url: db.url, query: 'select 1 from pg_sleep(5)' }, ctx);
    const sleepingNow = async () =>
      (await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg_sleep(5)%' and pid <> pg_backend_pid()"))[0]!.n > 0;
    await waitUntil('the query to run on the server', sleepingNow, HANG_MS, 20);
    await db.halt();
    const cut = await running;
    expect(cut.status).toBe('CRITICAL');
    expect(cut.alertType).toBe('SYSTEM_CONNECTION_FAILURE');
    const down = await postgresCheck.run(config, ctx);
    expect(down.status).toBe('CRITICAL');
    expect(down.message).toMatch(/connection refused/);
    await db.resume();
    const back = await postgresCheck.run(config, ctx);
    expect(back.status).toBeUndefined();
    expect(back.message).toMatch(/^PostgreSQL/);
    await ctx.resources.closeAll();
  });

  it('shares one pool between concurrent runs, through an outage and back', async () => {
    const ctx = checkContext({ timeoutMs: 3000 });
    const burst = () => Promise.all(Array.from({ length: 8 }, () => postgresCheck.run({ url: db.url }, ctx)));
    expect((await burst()).map((o) => o.status ?? 'ok')).toEqual(Array(8).fill('ok'));
    await db.halt();
    let down;
    try {
      down = await burst();
    } finally {
      await db.resume();
    }
    expect(down.map((o) => o.status)).toEqual(Array(8).fill('CRITICAL'));
    for (const o of down) expect(o.message).toMatch(/connection refused|connection lost|server closed the connection/);
    expect((await burst()).map((o) => o.status ?? 'ok')).toEqual(Array(8).fill('ok'));
    await ctx.resources.closeAll();
  });

  it('keeps working when pooled idle connections died in a restart', async () => {
    const ctx = checkContext({ timeoutMs: 3000 });
    expect((await postgresCheck.run({ url: db.url }, ctx)).status).toBeUndefined();
    await db.restart();
    const after = await postgresCheck.run({ url: db.url }, ctx);
    expect(after.status).toBeUndefined();
    await ctx.resources.closeAll();
  });
});

describe('read-only sessions with a statement timeout', () => {
  it('aborts pg_sleep longer than the timeout quickly, and the server stops the query', async () => {
    const ctx = checkContext({ timeoutMs: 600 });
    const t0 = Date.now();
    const out = await sqlCheck.run({ url: db.url, query: 'select 1 from pg_sleep(60)' }, ctx);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(HANG_MS); // not the query's 60 s
    expect(out.status).toBe('error');
    expect(out.alertType).toBeUndefined();
    expect(out.message).toMatch(/query timed out after 600ms/);
    // nothing is left sleeping on the server (its session ends soon after: waited for, bounded)
    const sleeping = async () =>
      (await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(60)%' and pid <> pg_backend_pid()"))[0]!.n;
    await waitUntil('the timed-out query gone from the server', async () => (await sleeping()) === 0, HANG_MS, 50);
    await ctx.resources.closeAll();
  });

  it('cancels the running statement when the engine aborts', async () => {
    const controller = new AbortController();
    const ctx = checkContext({ timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const t0 = Date.now();
    const out = await sqlCheck.run({ url: db.url, query: 'select 1 from pg_sleep(50)' }, ctx);
    expect(Date.now() - t0).toBeLessThan(HANG_MS); // not the query's 50 s
    expect(out.status).toBe('error');
    const left = async () =>
      (await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(50)%' and pid <> pg_backend_pid()"))[0]!.n;
    await waitUntil('the cancelled query gone from the server', async () => (await left()) === 0, HANG_MS, 50);
    await ctx.resources.closeAll();
  });

  it('refuses writes and second statements', async () => {
    await db.query('create table if not exists victims (id int)');
    await db.query('insert into victims values (1)');
    const ctx = checkContext();
    const write = await sqlCheck.run({ url: db.url, query: 'with d as (delete from victims returning 1) select count(*) from d' }, ctx);
    expect(write.status).toBe('error');
    expect(write.message).toMatch(/read-only/);
    const two = await sqlCheck.run({ url: db.url, query: 'select 1; delete from victims' }, ctx);
    expect(two.status).toBe('error');
    expect((await db.query<{ n: number }>('select count(*)::int as n from victims'))[0]!.n).toBe(1);
    await ctx.resources.closeAll();
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
