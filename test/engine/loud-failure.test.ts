// A poller that cannot poll says so (problem(), a log line every minute, "polling again" when it
// recovers), and a poller that polls pings its heartbeat after every round, whatever the heartbeat
// answers. Real store files, a real loopback server for the heartbeat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { Engine, PROBLEM_AFTER_MS, PROBLEM_LOG_EVERY_MS } from '../../src/engine/engine.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { ManualClock } from '../../src/time/clock.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let dir: string;
let store: Store | undefined;
let engine: Engine | undefined;
let target: HttpTarget | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-loud-'));
});

afterEach(async () => {
  await engine?.stop();
  await store?.close();
  await target?.close();
  engine = store = target = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(extra = '') {
  const text = `project: Loud failure
systems: { pms: { name: PMS } }
defaults: { every: 1s }
checks:
  - { id: true-cmd, system: pms, kind: command, run: ["${process.execPath}", "-e", "console.log('1 rows')"] }
store: ./store/imos.json
${extra}`;
  fs.writeFileSync(path.join(dir, 'imos.yaml'), text);
  return loadConfigText(text, path.join(dir, 'imos.yaml'), { env: {} });
}

/** Move the manual clock in one-second steps, letting file I/O finish between them. */
async function advance(clock: ManualClock, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a poller that cannot poll', () => {
  it('reports a corrupt lease file as its problem, logs it every minute, and says when it polls again', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    const lease = path.join(dir, 'store', 'imos.lease.json');
    fs.mkdirSync(path.dirname(lease), { recursive: true });
    fs.writeFileSync(lease, '{"holder": ');
    const clock = new ManualClock(Date.now());
    const lines: string[] = [];
    engine = new Engine({ config: cfg, store, role: 'daemon', clock, log: (line) => lines.push(line) });
    await engine.start();
    const loud = () => lines.filter((l) => l.startsWith('CANNOT POLL'));
    const firstFailure = clock.now();
    // Driven a second at a time until it says so: how many seconds pass in real time between
    // steps is the machine's business (the lease's file I/O is real).
    for (const until = Date.now() + HANG_MS; loud().length === 0 && Date.now() < until; ) await advance(clock, 1);
    const problem = engine.problem();
    expect(problem?.reason).toContain(`cannot take or renew the poller lease: ${lease} is not valid JSON`);
    expect(clock.now() - problem!.sinceMs).toBeGreaterThanOrEqual(5_000); // a moment's failure is not yet a problem
    expect(problem!.sinceMs).toBeGreaterThanOrEqual(firstFailure);
    expect(loud()).toHaveLength(1);
    expect(loud()[0]).toContain(lease);
    expect(loud()[0]).toContain('no check runs and nothing is sent meanwhile');
    await advance(clock, PROBLEM_LOG_EVERY_MS / 1000 - 10);
    expect(loud()).toHaveLength(1);
    await advance(clock, 15);
    expect(loud()).toHaveLength(2); // again a minute later
    expect(engine.isHolder()).toBe(false);
    expect(fs.readFileSync(lease, 'utf8')).toBe('{"holder": '); // left for imos store repair

    fs.rmSync(lease);
    const recovered = () => lines.includes('polling again: the poller lease and the store answer');
    for (const until = Date.now() + HANG_MS; !recovered() && Date.now() < until; ) await advance(clock, 1);
    expect(recovered()).toBe(true);
  }, 60_000);

  it('reports results it cannot store as its problem', async () => {
    const cfg = config();
    store = await openStore(cfg.store);
    const lines: string[] = [];
    engine = new Engine({ config: cfg, store, role: 'daemon', log: (line) => lines.push(line), lease: { ttlMs: 3000, renewEveryMs: 500 } });
    await engine.start();
    await waitUntil('the engine to hold the lease', () => engine!.isHolder());
    // The results' files replaced by directories: the lease still works, no result can be stored.
    const results = path.join(dir, 'store', 'imos.results.jsonl');
    const snapshot = path.join(dir, 'store', 'imos.results.json');
    for (const file of [results, snapshot]) {
      fs.rmSync(file, { force: true });
      fs.mkdirSync(file);
    }
    // Said once the writes have failed for PROBLEM_AFTER_MS: that long, then a bound for a hang.
    const logged = () => lines.some((l) => l.startsWith('CANNOT POLL') && l.includes('cannot record results'));
    await waitUntil('CANNOT POLL in the log', logged, PROBLEM_AFTER_MS + HANG_MS, 100);
    expect(engine.problem()?.reason).toMatch(/^cannot record results: /);
  }, 60_000);
});

describe('the heartbeat (a dead man\'s switch)', () => {
  it('is pinged after the rounds the poller completes, and a failing one is logged without its secret path and stops nothing', async () => {
    let answer = 200;
    target = await startHttpTarget({ '/ping/secret-uuid-1234': (_req, res) => res.writeHead(answer).end('OK') });
    const cfg = config(`heartbeat: ${target.url}/ping/secret-uuid-1234\n`);
    store = await openStore(cfg.store);
    const lines: string[] = [];
    engine = new Engine({ config: cfg, store, role: 'daemon', log: (line) => lines.push(line), lease: { ttlMs: 3000, renewEveryMs: 500 } });
    await engine.start();
    const pings = () => target!.requests.filter((r) => r.path === '/ping/secret-uuid-1234').length;
    await waitUntil('two pings', () => pings() >= 2);
    expect(target.requests[0]!.method).toBe('GET');

    answer = 500;
    const before = (await store.read('results')).lastPollAt;
    await waitUntil('a failed ping logged', () => lines.some((l) => l.startsWith('heartbeat:')));
    const failed = lines.find((l) => l.startsWith('heartbeat:'))!;
    expect(failed).toBe(`heartbeat: ping to ${target.url}/*** failed (HTTP 500); polling goes on`); // the path may hold the monitor's token
    expect(lines.join('\n')).not.toContain('secret-uuid-1234');
    const pinged = pings();
    await waitUntil('rounds go on', () => pings() > pinged + 1);
    expect((await store.read('results')).lastPollAt! > before!).toBe(true);
    expect(lines.filter((l) => l.startsWith('heartbeat:'))).toHaveLength(1); // the same failure again is not repeated within a minute

    answer = 200;
    await waitUntil('the recovery logged', () => lines.some((l) => l.includes('answers again')));
  }, 40_000);
});
