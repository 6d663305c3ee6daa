// The engine end to end in one process: real store files, a real HTTP target, the real alert
// pipeline. Checks are triggered with runNow (no waiting for intervals).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { ManualClock } from '../../src/time/clock.js';
import { Engine } from '../../src/engine/engine.js';
import { buildPipeline } from '../../src/engine/pipeline.js';
import { openStore } from '../../src/store/open.js';
import type { CoreData, SectionName, Store, TransactOptions } from '../../src/store/types.js';
import type { Tx } from '../../src/store/tx.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';
import { storedCounts } from '../helpers/uptime.js';

// Only the alerts of the checks: depending on the hour, missing-standup alerts may be open too.
const checkAlerts = (core: CoreData) => core.alerts.filter((a) => a.checkId === 'pms-api');

let dir: string;
let target: HttpTarget;
let healthy = true;
/** The target's answers: each run of pms-api asks once (runNow's, and the scheduler's own first run). */
let answered = { ok: 0, failed: 0 };
let store: Store;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-engine-'));
  healthy = true;
  answered = { ok: 0, failed: 0 };
  target = await startHttpTarget({
    '/health': (_req, res) => {
      answered[healthy ? 'ok' : 'failed']++;
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: healthy ? 'ok' : 'down' }));
    },
    '/slow': () => new Promise(() => {}),
  });
});

afterEach(async () => {
  await store?.close();
  await target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(extraChecks = '') {
  const text = `project: Engine test
people: { manager: { name: M }, owner: { name: O } }
systems: { pms: { name: PMS, leader: manager } }
defaults: { failure_threshold: 2, success_threshold: 1, concurrency: 2 }
checks:
  - { id: pms-api, system: pms, kind: http, url: "${target.url}/health", expect: ["status == 200", "body.status == 'ok'"], severity: CRITICAL }
  - { id: true-cmd, system: pms, kind: command, run: ["${process.execPath}", "-e", "console.log('42 rows')"], capture: '(\\d+) rows', thresholds: { HIGH: "value > 100" } }
${extraChecks}
store: ./store/imos.json
`;
  fs.writeFileSync(path.join(dir, 'imos.yaml'), text);
  return loadConfigText(text, path.join(dir, 'imos.yaml'), { env: {} });
}

/** A daemon's engine on `on` with a test clock, holding the lease (3 s to live, renewed every second). */
async function holdingDaemon(on: Store) {
  const clock = new ManualClock(Date.now());
  const lines: string[] = [];
  const engine = new Engine({ config: config(), store: on, role: 'daemon', clock, log: (l) => lines.push(l), lease: { ttlMs: 3000, renewEveryMs: 1000 } });
  await engine.start();
  await engine.lease.tick();
  expect(engine.isHolder()).toBe(true);
  return { engine, clock, lines };
}

describe('Engine', () => {
  it('polls as lease holder: results stored, alert opened after the failure threshold, resolved on recovery', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    const engine = new Engine({ config: cfg, store, role: 'test', pipeline: await buildPipeline(cfg, store), lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await engine.start();
    await waitUntil('the engine to hold the lease', () => engine.isHolder());
    try {
      await engine.runNow();
      let results = await store.read('results');
      expect(results.checks['pms-api']!.status).toBe('ok');
      expect(results.checks['true-cmd']!.last!.value).toBe(42);
      expect((await store.read('lease')).holder!.role).toBe('test');

      healthy = false;
      await engine.runNow(['pms-api']);
      expect((await store.read('results')).checks['pms-api']!.status).toBe('ok'); // one failure is not enough
      expect(checkAlerts(await store.read('core'))).toHaveLength(0);
      await engine.runNow(['pms-api']);
      results = await store.read('results');
      expect(results.checks['pms-api']!.status).toBe('CRITICAL');
      expect(results.checks['pms-api']!.last!.message).toContain('expected status == 200 (was 503)');
      let core = await store.read('core');
      expect(checkAlerts(core)).toHaveLength(1);
      expect(checkAlerts(core)[0]).toMatchObject({ checkId: 'pms-api', severity: 'CRITICAL', state: 'open' });

      await engine.runNow(['pms-api']); // still failing: the same alert, not a second one
      core = await store.read('core');
      expect(checkAlerts(core)).toHaveLength(1);

      healthy = true;
      await engine.runNow(['pms-api']);
      core = await store.read('core');
      expect(checkAlerts(core)[0]!.state).toBe('resolved');
      expect((await store.read('history')).history['pms-api']!.length).toBeGreaterThanOrEqual(3);
      // Uptime: every run of pms-api counted in the results' own change (its hours record). Five
      // by runNow; on a slow machine the scheduler's first run (within the start's jitter) too.
      const uptime = (await store.read('results')).uptime.filter((r) => r.checkId === 'pms-api');
      expect(answered.ok + answered.failed).toBeGreaterThanOrEqual(5);
      expect(storedCounts(uptime)).toEqual({ ok: answered.ok, total: answered.ok + answered.failed });
    } finally {
      await engine.stop();
    }
    expect((await store.read('lease')).holder).toBeNull(); // stopping hands the lease over
  });

  it('aborts a check at its timeout, records an error, and runs the others on time', async () => {
    const cfg = config(`  - { id: hangs, system: pms, kind: http, url: "${target.url}/slow", timeout: 300ms }`);
    store = await openStore(cfg.store);
    const engine = new Engine({ config: cfg, store, role: 'test' });
    const started = Date.now();
    const results = await engine.runOnce();
    await engine.stop();
    expect(Date.now() - started).toBeLessThan(HANG_MS); // /slow never answers
    const hangs = results.find((r) => r.id === 'hangs')!;
    expect(hangs.runStatus === 'error' || hangs.runStatus === 'CRITICAL').toBe(true);
    expect(hangs.message).toMatch(/timed out/);
    expect(results.find((r) => r.id === 'pms-api')!.runStatus).toBe('ok');
  });

  it('a check cut short by stopping (SIGTERM, quitting the console) records nothing', async () => {
    // The command says when it runs: stopping is then sure to cut it short, however slow the start.
    const started = path.join(dir, 'long.started');
    const long = JSON.stringify(`require('fs').writeFileSync(${JSON.stringify(started)}, ''); setTimeout(() => {}, 5000)`);
    const cfg = config(`  - { id: long, system: pms, kind: command, run: ["${process.execPath}", "-e", ${long}], timeout: 10s }`);
    store = await openStore(cfg.store);
    const engine = new Engine({ config: cfg, store, role: 'test', pipeline: await buildPipeline(cfg, store), lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await engine.start();
    await waitUntil('the engine to hold the lease', () => engine.isHolder());
    await engine.runNow(['pms-api']);
    const running = engine.runNow(['long']);
    await waitUntil('the long check to run', () => fs.existsSync(started));
    await engine.stop();
    await running;
    await new Promise((r) => setTimeout(r, 200));
    const results = await store.read('results');
    expect(results.checks['pms-api']!.status).toBe('ok');
    expect(results.checks.long).toBeUndefined();
    expect(checkAlerts(await store.read('core'))).toHaveLength(0);
  });

  it('a Slack that does not answer holds up neither the polling, the escalation clock nor a pause from a console', async () => {
    const { startSlackApi } = await import('../helpers/slack-api.js');
    const slack = await startSlackApi();
    slack.script('chat.postMessage', { hang: true });
    const text = `project: Engine test
people: { manager: { name: M, slack: U01M } }
systems: { pms: { name: PMS, leader: manager } }
defaults: { failure_threshold: 1, every: 1s }
checks:
  - { id: pms-api, system: pms, kind: http, url: "${target.url}/health", expect: ["status == 200"], severity: CRITICAL }
severities:
  CRITICAL: { respond_within: 0m, notify: [slack], escalate: [{ after: 2s, to: [manager] }] }
channels:
  slack: { token: xoxb-test-token, channel: "#ops", api_url: "${slack.url}" }
store: ./store/imos.json
`;
    fs.writeFileSync(path.join(dir, 'imos.yaml'), text);
    const cfg = loadConfigText(text, path.join(dir, 'imos.yaml'), { env: {} });
    store = await openStore(cfg.store);
    healthy = false;
    const engine = new Engine({ config: cfg, store, role: 'test', pipeline: await buildPipeline(cfg, store), lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await engine.start();
    try {
      // The alert's message is in flight and Slack says nothing, now and until the end.
      await waitUntil('the alert posted to Slack', () => slack.calls.some((c) => c.method === 'chat.postMessage'));
      const countAt = async () => checkAlerts(await store.read('core'))[0]?.count ?? 0;
      const before = await countAt();
      // Still polled, and escalated, while that message waits: held up, neither would happen.
      await waitUntil('two more runs counted', async () => (await countAt()) >= before + 2);
      await waitUntil('the escalation', async () => checkAlerts(await store.read('core'))[0]!.escalationLevel > 0);
      expect(checkAlerts(await store.read('core'))[0]!.escalationLevel).toBe(1);
      // A pause from a console reaches the holder while its tick waits on Slack: the count, which
      // grew every second, stands still (waited for, not timed: a loaded machine may take seconds).
      const { setPaused } = await import('../../src/engine/control.js');
      await setPaused(store, true, 'suno');
      let last = -1;
      let since = Date.now();
      const paused = await waitUntil('the count to stand still for 3 s after the pause', async () => {
        const count = await countAt();
        if (count !== last) [last, since] = [count, Date.now()];
        return Date.now() - since >= 3000 ? { count } : null;
      }, HANG_MS, 100);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await countAt()).toBe(paused.count);
    } finally {
      const stopping = engine.stop(); // waits for the hanging send: closing Slack ends it
      await slack.close();
      await stopping;
    }
    }, 60_000);

  it('a process that takes the lease while polling is paused runs no check (p from a console, then a takeover)', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    const { setPaused } = await import('../../src/engine/control.js');
    await setPaused(store, true, 'suno');
    const fast = { ...cfg, checks: cfg.checks.map((c) => ({ ...c, everyMs: 200 })) };
    const engine = new Engine({ config: fast, store, role: 'test', lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await engine.start();
    try {
      await waitUntil('the engine to hold the lease', () => engine.isHolder());
      await new Promise((r) => setTimeout(r, 1500));
      expect((await store.read('results')).checks).toEqual({});
      await setPaused(store, false, 'suno');
      await waitUntil('a run after the pause is lifted', async () => (await store.read('results')).checks['pms-api'] !== undefined);
    } finally {
      await engine.stop();
    }
  });
});

describe('Engine: results recorded by another process', () => {
  it('the holder turns them into alerts (imos check while a console polls)', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    // A driven clock: the holder's own scheduler never fires, only the one-shot runs checks.
    const clock = new ManualClock(Date.now());
    const holder = new Engine({ config: cfg, store, role: 'test', clock, pipeline: await buildPipeline(cfg, store, { clock }), lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await holder.start();
    await waitUntil('the holder to hold the lease', () => holder.isHolder());
    const oneShot = new Engine({ config: cfg, store, role: 'check' });
    try {
      await holder.tick(); // the holder's baseline
      healthy = false;
      await oneShot.runOnce(['pms-api']);
      await oneShot.runOnce(['pms-api']); // two failures: the stored status turns CRITICAL
      expect(oneShot.isHolder()).toBe(false);
      expect(checkAlerts(await store.read('core'))).toHaveLength(0);
      await holder.tick();
      const alerts = checkAlerts(await store.read('core'));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.state).toBe('open');
      await holder.tick(); // nothing new: nothing changes
      expect(checkAlerts(await store.read('core'))[0]!.count).toBe(alerts[0]!.count);
    } finally {
      await oneShot.stop();
      await holder.stop();
    }
  });
});

describe('Engine: losing the lease', () => {
  it('says so in its log when another process takes the lease over', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    const { engine, clock, lines } = await holdingDaemon(store);
    // Another holder's record, as after our process stalled past the ttl and was taken over.
    const mine = (await store.read('lease')).holder!;
    await store.lease.acquire({ ...mine, pid: 1, token: 'someone-else' }, 3000, { nowMs: clock.now() + 3000, isAlive: () => true });
    await clock.advance(1000);
    await engine.lease.tick();
    expect(engine.isHolder()).toBe(false);
    expect(lines).toContain('lost the poller lease: daemon pid 1 on ' + mine.host + ' polls now; waiting to take over');
    await engine.stop();
  });

  it('says its own renewal came too late when nobody else took it (not that another process polls)', async () => {
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const slowStore = new MemoryStore();
    const acquire = slowStore.lease.acquire.bind(slowStore.lease);
    let stalled = false;
    // After the first acquire, renewals wait until the test lets them go: a store answering late.
    let letGo = () => {};
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    slowStore.lease.acquire = async (...args: Parameters<typeof acquire>) => {
      if (stalled) await gate;
      return acquire(...args);
    };
    const { engine, clock, lines } = await holdingDaemon(slowStore);
    stalled = true;
    for (let i = 0; i < 8 && engine.isHolder(); i++) await clock.advance(1000);
    expect(engine.isHolder()).toBe(false);
    expect(lines).toContain('lost the poller lease: not renewed within its time to live (the store answered too slowly); waiting to take over');
    letGo();
    await engine.stop();
  });
});

describe('Engine: gaining the lease', () => {
  it('polls when its first read as holder ends after the lease ran out and a renewal then lands (a database just back)', async () => {
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const slowStore = new MemoryStore();
    // The shared controls, read before the first run, answer only when the test lets them.
    const read = slowStore.read.bind(slowStore);
    let letGo = () => {};
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    slowStore.read = (async (name: Parameters<typeof read>[0]) => {
      if (name === 'core') await gate;
      return read(name);
    }) as typeof slowStore.read;
    const { engine, clock, lines } = await holdingDaemon(slowStore);
    // The lease's time runs out while the read is slow, and the timer that would say so has not
    // run yet (a loaded machine); the read ends in that moment, then the renewal lands.
    clock.jump(3000);
    expect(engine.isHolder()).toBe(false);
    letGo();
    await new Promise((resolve) => setImmediate(resolve));
    await engine.lease.tick();
    expect(engine.isHolder()).toBe(true);
    await clock.advance(60_000);
    await waitUntil('the holder to run its checks', () => (answered.ok > 0 ? true : null), HANG_MS);
    expect(lines.filter((l) => l.startsWith('holding the poller lease'))).toHaveLength(1);
    await engine.stop();
  });
});

describe('Engine: a store slow to write', () => {
  it('holds up no check: a run frees its slot when the check is done, and what piled up is recorded in one write', async () => {
    // Recording results used to happen inside the run's concurrency slot: with concurrency 1, one
    // write stuck behind the store's lock stopped every check until it finished.
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    /** How many runs each write of the results held (the hourly uptime counts grow by one a run). */
    const runsPerWrite: number[] = [];
    class SlowResultsStore extends MemoryStore {
      override async transact<R>(section: SectionName, fn: (tx: Tx) => R, options?: TransactOptions): Promise<R> {
        if (section !== 'results') return super.transact(section, fn, options);
        await gate;
        const runs = async () => storedCounts((await this.read('results')).uptime).total;
        const before = await runs();
        const result = await super.transact(section, fn, options);
        runsPerWrite.push((await runs()) - before);
        return result;
      }
    }
    const slowStore = new SlowResultsStore();
    const text = `project: Engine test
systems: { pms: { name: PMS } }
defaults: { every: 1s, concurrency: 1 }
checks:
  - { id: a, system: pms, kind: http, url: "${target.url}/health" }
  - { id: b, system: pms, kind: http, url: "${target.url}/health" }
`;
    const cfg = loadConfigText(text, path.join(dir, 'imos.yaml'), { env: {} });
    const engine = new Engine({ config: cfg, store: slowStore, role: 'test', lease: { ttlMs: 2000, renewEveryMs: 500 } });
    await engine.start();
    try {
      // Both checks keep running every second while not one result can be written.
      await waitUntil('six runs while no result can be written', () => target.requests.length >= 6);
      expect(slowStore.writes.results).toBe(0);
      openGate();
      // The first run's write was waiting at the gate; every run finished since (at least four
      // more: with concurrency 1 a run starts when the one before is done) goes in the next write.
      await waitUntil('the writes after the gate', () => runsPerWrite.length >= 2 && slowStore.writes.history >= 2);
      expect(runsPerWrite[0]).toBe(1);
      expect(runsPerWrite[1]).toBeGreaterThanOrEqual(4); // the pile-up, recorded as one batch
      const { history } = await slowStore.read('history');
      expect(history.a!.length + history.b!.length).toBeGreaterThanOrEqual(5);
    } finally {
      openGate();
      await engine.stop();
    }
  });
});

describe('Engine: outstanding work, for whoever drives the clock', () => {
  it('counts a check from its start until its result is recorded, then none', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const gated = await startHttpTarget({
      '/gate': async (_req, res) => {
        await released;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      },
    });
    try {
      const cfg = config(`  - { id: gated, system: pms, kind: http, url: "${gated.url}/gate", expect: ["status == 200"], every: 10m }`);
      store = await openStore(cfg.store);
      const clock = new ManualClock(Date.now());
      // The lease outlives the driven time below (a few seconds): on a slow machine renewals lag the
      // driven clock, and a lapsed lease rightly records nothing.
      const engine = new Engine({ config: { ...cfg, checks: cfg.checks.filter((c) => c.id === 'gated') }, store, role: 'test', clock, pipeline: await buildPipeline(cfg, store, { clock }), lease: { ttlMs: 600_000, renewEveryMs: 60_000 } });
      await engine.start();
      await engine.lease.tick();
      expect(engine.isHolder()).toBe(true);
      try {
        expect(engine.outstanding()).toBe(0);
        // The first run falls due within the start's jitter (at most 2 s) once the scheduler runs.
        // Waited for at the target: the engine's own ticks count as outstanding work too.
        // Driven past the jitter, then waited for in real time (a loaded machine's request is late).
        const from = clock.now();
        await waitUntil('the gated check to reach its target', async () => {
          if (clock.now() - from < 5_000) await clock.advance(500);
          return gated.requests.length > 0;
        }, HANG_MS, 10);
        expect(engine.outstanding()).toBeGreaterThan(0);
        expect((await store.read('results')).checks['gated']).toBeUndefined();
        release();
        await waitUntil('no outstanding work', () => engine.outstanding() === 0, HANG_MS, 10);
        expect((await store.read('results')).checks['gated']!.last!.runStatus).toBe('ok');
      } finally {
        await engine.stop();
      }
    } finally {
      release();
      await gated.close();
    }
  });
});

describe('Engine: a large run is stored in chunks', () => {
  const checksText = (n: number) =>
    `project: Engine test
systems: { pms: { name: PMS } }
defaults: { concurrency: 4 }
checks:
${Array.from({ length: n }, (_, i) => `  - { id: c${i}, system: pms, kind: http, url: "${target.url}/health" }`).join('\n')}
`;

  it('records every result, a bounded number per commit, each chunk whole', async () => {
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const chunks: number[] = [];
    class CountingStore extends MemoryStore {
      override async transact<R>(section: SectionName, fn: (tx: Tx) => R, options?: TransactOptions): Promise<R> {
        const before = section === 'results' ? (await this.read('results')).checks : {};
        const result = await super.transact(section, fn, options);
        if (section === 'results') chunks.push(Object.keys((await this.read('results')).checks).length - Object.keys(before).length);
        return result;
      }
    }
    const counting = new CountingStore();
    const cfg = loadConfigText(checksText(7), path.join(dir, 'imos.yaml'), { env: {} });
    const engine = new Engine({ config: cfg, store: counting, role: 'check', resultsPerCommit: 3 });
    try {
      const results = await engine.runOnce();
      expect(results.map((r) => r.runStatus)).toEqual(Array(7).fill('ok'));
      expect(chunks).toEqual([3, 3, 1]);
      expect(counting.writes.history).toBe(3);
      const stored = await counting.read('results');
      expect(Object.keys(stored.checks).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `c${i}`).sort());
      expect(stored.uptime).toHaveLength(7);
      expect(Object.keys((await counting.read('history')).history)).toHaveLength(7);
    } finally {
      await engine.stop();
    }
  });

  it('a chunk that cannot be stored: the chunks before it are kept, and the error says how many', async () => {
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const { StoreError } = await import('../../src/store/types.js');
    const { RecordError } = await import('../../src/engine/engine.js');
    let commits = 0;
    class FullDiskStore extends MemoryStore {
      override async transact<R>(section: SectionName, fn: (tx: Tx) => R, options?: TransactOptions): Promise<R> {
        if (section === 'results' && ++commits === 3) throw new StoreError('no space left on device (imos.results.jsonl)', 'imos.json');
        return super.transact(section, fn, options);
      }
    }
    const full = new FullDiskStore();
    const cfg = loadConfigText(checksText(7), path.join(dir, 'imos.yaml'), { env: {} });
    const engine = new Engine({ config: cfg, store: full, role: 'check', resultsPerCommit: 3 });
    try {
      const error = await engine.runOnce().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecordError);
      expect((error as Error).message).toBe('not all results were stored: 6 of 7 results were stored, the rest not: no space left on device (imos.results.jsonl)');
      expect((error as InstanceType<typeof RecordError>).results).toHaveLength(7);
      expect(Object.keys((await full.read('results')).checks)).toHaveLength(6);
    } finally {
      await engine.stop();
    }
  });
});
