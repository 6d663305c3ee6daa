// A slow PostgreSQL store: imos reaches its throwaway cluster through a loopback proxy that holds
// the bytes in both directions (test/helpers/slow-proxy.ts). A real `imos daemon`, the real CLI and
// the real console (tmux) use the store through it.
// - slow (250 ms each way): the poller keeps recording its rounds, CLI writes land with their audit
//   entry, `imos status` answers;
// - stopped answering (longer than the store's 15 s query timeout): nothing hangs past its timeout;
//   a write is reported failed — or, sent before the link stopped, reported as not known — and one
//   reported failed is never stored; the daemon and the console say the store does not answer; all
//   of it recovers when the link does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { HANG_MS } from '../helpers/bounds.js';
import { runImos } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { cleanUpProcesses, startImos, stopImos, waitFor, type Running } from '../helpers/imos-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

/** The PostgreSQL store's own query timeout (src/store/pg/connection.ts). */
const QUERY_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let db: TestPostgres;
let proxy: SlowProxy;
let target: HttpTarget;
let dir = '';
let direct: Store;
let daemon: Running;
let env: NodeJS.ProcessEnv;
const tmux = new Tmux(`imos-slow-db-${process.pid}`);

describe.skipIf(!postgresAvailable())('a slow PostgreSQL store', () => {
  beforeAll(async () => {
    [db, target] = await Promise.all([
      startPostgres(),
      startHttpTarget({ '/ok': (_req, res) => res.writeHead(200).end('ok'), '/down': (_req, res) => res.writeHead(503).end('down') }),
    ]);
    const url = await db.createDatabase('slow');
    proxy = await startSlowProxy(db.port);
    direct = await openStore(url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-slow-db-'));
    fs.writeFileSync(
      path.join(dir, 'imos.yaml'),
      `project: Slow store
people:
  suno: { name: Suno }
systems:
  pms: { name: PMS, leader: suno }
defaults: { every: 1s, timeout: 2s, failure_threshold: 1 }
checks:
  - { id: api, system: pms, kind: http, url: "${target.url}/ok" }
  - { id: down-1, system: pms, kind: http, url: "${target.url}/down" }
  - { id: down-2, system: pms, kind: http, url: "${target.url}/down" }
store: \${IMOS_STORE_URL}
`,
    );
    env = { IMOS_STORE_URL: db.urlFor('slow').replace(`:${db.port}/`, `:${proxy.port}/`) };
    daemon = startImos(['daemon'], { cwd: dir, env });
    await waitFor('the daemon to hold the lease', daemon, 2 * HANG_MS, () => (daemon.stderr().includes('holding the poller lease') ? true : undefined));
    await waitFor('the two alerts to open', daemon, 2 * HANG_MS, async () => ((await direct.read('core')).alerts.filter((a) => a.state === 'open').length === 2 ? true : undefined));
  }, 120_000);

  /** The alert of a failing check, as stored now. */
  const alertOf = async (checkId: string) => (await direct.read('core')).alerts.find((a) => a.checkId === checkId)!;

  afterAll(async () => {
    if (hasTmux) tmux.kill();
    await cleanUpProcesses();
    await direct?.close();
    await proxy?.close();
    await target?.close();
    await db?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The newest round recorded, read past the proxy. */
  const lastPoll = async () => (await direct.read('results')).lastPollAt;

  it('slow (250 ms each way): rounds keep being recorded, CLI writes land with their audit entry, status answers', async () => {
    proxy.setDelay(250);
    const runsBefore = (await direct.read('history')).history.api?.length ?? 0;
    const from = Date.now();
    const seen = new Set<string>();
    let gap = 0;
    let lastChange = Date.now();
    let previous = await lastPoll();
    // 12 s, and on a loaded machine (where the daemon gets little CPU) until the counts checked below
    // are there: a beat held up by the slow store never gets them.
    const runsSince = async () => ((await direct.read('history')).history.api?.length ?? 0) - runsBefore;
    while (Date.now() - from < 12_000 || ((seen.size < 3 || (await runsSince()) < 6) && Date.now() - from < 36_000)) {
      await sleep(250);
      const at = await lastPoll();
      if (at && at !== previous) {
        seen.add(at);
        gap = Math.max(gap, Date.now() - lastChange);
        lastChange = Date.now();
        previous = at;
      }
    }
    gap = Math.max(gap, Date.now() - lastChange);
    // The 1 s check kept its beat: its runs are stored in fewer, larger batches, not fewer runs.
    const runs = await runsSince();
    const observedS = Math.round((Date.now() - from) / 1000);
    const started = Date.now();
    const first = await alertOf('down-1');
    const ack = await runImos(['ack', first.id, '--as', 'suno', '--note', 'through a slow link'], { cwd: dir, env, timeoutMs: 4 * HANG_MS });
    const ackMs = Date.now() - started;
    const status = await runImos(['status', '--json'], { cwd: dir, env, timeoutMs: 4 * HANG_MS });
    console.info(`slow store (250 ms each way): the 1 s check ran ${runs} times in ${observedS} s, stored in ${seen.size} rounds (longest gap ${gap} ms); imos ack took ${ackMs} ms, exit ${ack.exitCode}; status exit ${status.exitCode}`);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(runs).toBeGreaterThanOrEqual(6); // generous: a loaded machine
    expect(gap).toBeLessThan(HANG_MS);
    expect(ack.exitCode, ack.stderr).toBe(0);
    expect(await alertOf('down-1')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'suno' });
    expect((await direct.readAudit()).filter((e) => e.action === 'ack' && e.target === first.id)).toHaveLength(1);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).poller).toMatchObject({ pid: daemon.child.pid });
  }, 120_000);

  it('stopped answering: nothing hangs, a write reported failed is not stored, daemon and console say so, and all recovers', async () => {
    proxy.setDelay(0);
    // A console following the store, and a writer whose connection is open, before the link stops.
    if (hasTmux) {
      tmux.start('c', dir, `${consoleEnv({ IMOS_STORE_URL: env.IMOS_STORE_URL! })} ${imosCommand()} console --config imos.yaml --readonly`);
      await tmux.waitFor('c', /poller: daemon /, 2 * HANG_MS);
    }
    const writer = await openStore(env.IMOS_STORE_URL!);
    try {
      await writer.read('core');
      const stall = QUERY_TIMEOUT_MS + 3000;
      proxy.setDelay(stall);
      const stalledAt = Date.now();

      // A change sent just before the link stopped: its outcome cannot be known within the timeout.
      const second = await alertOf('down-2');
      const write = writer.transact('core', (tx) => {
        const a2 = tx.edit('alerts', second.id);
        a2.state = 'acknowledged';
        a2.acknowledgedBy = 'luna';
        tx.audit({ at: new Date().toISOString(), actor: 'luna', action: 'ack', target: second.id });
      });
      const outcome = await write.then(
        () => ({ ok: true as const, message: '' }),
        (error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error) }),
      );
      const writeMs = Date.now() - stalledAt;
      // The CLI, connecting through the stopped link: refused within its timeouts, naming the database.
      const cliFrom = Date.now();
      const cli = await runImos(['snooze', (await alertOf('down-1')).id, '30m', '--as', 'suno'], { cwd: dir, env, timeoutMs: QUERY_TIMEOUT_MS + 4 * HANG_MS });
      const cliMs = Date.now() - cliFrom;
      // The daemon says the store does not answer.
      await waitFor('the daemon to say the store does not answer', daemon, QUERY_TIMEOUT_MS + 2 * HANG_MS, () =>
        /store unreachable|CANNOT POLL|could not record results/.test(daemon.stderr()) ? true : undefined,
      );
      let screen = '';
      if (hasTmux) screen = await tmux.waitFor('c', /STORE DISCONNECTED|STORE UNREADABLE/, QUERY_TIMEOUT_MS + 2 * HANG_MS);
      console.info(
        `store stopped answering: a write in flight ${outcome.ok ? 'succeeded' : `failed after ${writeMs} ms: ${outcome.message}`}; ` +
          `imos snooze exit ${cli.exitCode} after ${cliMs} ms: ${cli.stderr.trim().split('\n').at(-1)}; console: ${/✖ [A-Z ]+/.exec(screen)?.[0] ?? '(no tmux)'}`,
      );
      expect(writeMs).toBeLessThan(QUERY_TIMEOUT_MS + HANG_MS);
      expect(cliMs).toBeLessThan(QUERY_TIMEOUT_MS + 2 * HANG_MS);
      expect(cli.exitCode).not.toBe(0);
      expect(cli.stderr).toContain(`127.0.0.1:${proxy.port}/slow`);

      // The link comes back; bytes in flight arrive. What was reported failed must not be stored.
      proxy.setDelay(0);
      await sleep(Math.max(0, stall - (Date.now() - stalledAt)) + 1000);
      const a1 = await alertOf('down-1');
      const a2 = await alertOf('down-2');
      console.info(`after the link came back: the write in flight is ${a2.state === 'acknowledged' ? 'stored' : 'not stored'}; the snooze reported failed is ${a1.snoozedUntil ? 'stored' : 'not stored'}`);
      expect(a1.snoozedUntil, 'the CLI reported its snooze failed').toBeNull();
      if (!outcome.ok && !/not known|may have been stored/.test(outcome.message)) expect(a2.state, `reported: ${outcome.message}`).toBe('open');
      expect(outcome.ok || /not stored|not known|may have been stored/.test(outcome.message)).toBe(true);
      // Recovered: rounds are recorded again, the console and the daemon say so.
      const before = await lastPoll();
      await waitFor('a new round recorded', daemon, QUERY_TIMEOUT_MS + 2 * HANG_MS, async () => ((await lastPoll()) !== before ? true : undefined));
      if (hasTmux) await tmux.waitFor('c', (s) => !/STORE DISCONNECTED|STORE UNREADABLE/.test(s), QUERY_TIMEOUT_MS + 2 * HANG_MS);
      expect(daemon.child.exitCode).toBeNull();
      expect(await stopImos(daemon)).toEqual({ code: 0, signal: null });
    } finally {
      await writer.close();
    }
  }, 240_000);
});
