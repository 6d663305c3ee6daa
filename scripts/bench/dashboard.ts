// The web dashboard: how long an acknowledgement made by another process takes to reach an open
// page's event stream (the README promises within a second), against the floor of another store
// handle noticing the same change; and what the page weighs before data (HTML, script and styles;
// at most 100 KB).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { performAlertAction } from '../../src/alerts/actions.js';
import { openStore } from '../../src/store/open.js';
import { startServer } from '../../src/server/server.js';
import { systemClock } from '../../src/time/clock.js';
import { loadConfigText } from '../../src/config/load.js';
import { figure, figures, measure, report, target } from './measure.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-dashboard-'));
const config = loadConfigText(
  `project: Bench
people: { luna: { name: Luna } }
systems: { web: { name: Web, leader: luna } }
store: ./imos.json
`,
  path.join(dir, 'imos.yaml'),
  { env: {} },
);
const at = new Date().toISOString();
const alert = {
  id: 'A1', fingerprint: 'web:T', checkId: 'web-api', system: 'web', type: 'ENDPOINT_DOWN', severity: 'HIGH' as const, state: 'open' as const,
  message: 'GET /health answered 503', value: 503, count: 1, openedAt: at, lastSeenAt: at, acknowledgedBy: null, acknowledgedAt: null, ackNote: null,
  resolvedAt: null, resolvedBy: null, snoozedUntil: null, escalationLevel: 0, nextEscalationAt: null, respondBy: null, breached: false, causedBy: null,
  suppressed: null, notified: [], slack: null,
};

try {
  // Before any data: the page of an empty project, its script and its styles.
  const empty = await openStore(path.join(dir, 'empty', 'imos.json'));
  const bare = await startServer({ store: empty, config: { ...config, systems: {}, checks: [] }, clock: systemClock, host: '127.0.0.1', port: 0 });
  const sizes = await Promise.all(['/dashboard', '/dashboard/app.js', '/dashboard/app.css'].map(async (p) => (await (await fetch(`${bare.url}${p}`)).arrayBuffer()).byteLength));
  await bare.close();
  await empty.close();
  const weight = sizes.reduce((a, b) => a + b, 0) / 1024;
  figure({ name: 'page weight before data', unit: 'KB', value: weight, note: `HTML ${sizes[0]} B + script ${sizes[1]} B + styles ${sizes[2]} B` });
  target('page weight before data (HTML + script + styles)', weight, 100, 'KB');

  const served = await openStore(path.join(dir, 'imos.json'));
  const other = await openStore(path.join(dir, 'imos.json'));
  await other.transact('core', (tx) => void tx.put('alerts', alert));
  const server = await startServer({ store: served, config, clock: systemClock, host: '127.0.0.1', port: 0 });

  // Floor: a second store handle (as another process has) notices a change.
  const watcher = await openStore(path.join(dir, 'imos.json'));
  const floor = await measure(20, async (i) => {
    const seen = new Promise<void>((resolve) => {
      const stop = watcher.watch((section) => {
        if (section !== 'core') return;
        stop();
        resolve();
      });
    });
    await other.transact('core', (tx) => void tx.put('kv', { key: 'bench', value: i }));
    await seen;
  });
  report('another store sees an update (floor)', floor);

  // An open page: the event stream, read as a browser does.
  const abort = new AbortController();
  const res = await fetch(`${server.url}/dashboard/events`, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const waiters: Array<(text: string) => boolean> = [];
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (let w = waiters.length - 1; w >= 0; w--) if (waiters[w]!(block)) waiters.splice(w, 1);
      }
    }
  })();
  const next = (test: (block: string) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no update within 10 s')), 10_000);
      waiters.push((block) => (test(block) ? (clearTimeout(timer), resolve(), true) : false));
    });
  await next((b) => b.includes('event: dashboard'));
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const action = i % 2 === 0 ? 'ack' : 'unack';
    const shown = i % 2 === 0 ? 'ack luna' : '>open<';
    const arrived = next((b) => b.includes('"alerts"') && b.includes(shown));
    const start = performance.now();
    await performAlertAction(other, config, action, { id: 'A1', actor: 'luna', nowMs: Date.now() });
    await arrived;
    samples.push(performance.now() - start);
  }
  const push = figures(samples);
  report('ack by another process → open page', push, floor);
  target('a store change reaches an open page (p95)', push.p95, 1000, 'ms', `p95 ${push.p95.toFixed(0)} ms against ${floor.p95.toFixed(0)} ms for another store handle to notice the change: the watch dominates`);
  abort.abort();
  await server.close();
  await Promise.all([served.close(), other.close(), watcher.close()]);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
