// The store: a locked, atomic, durable update against the floor of a raw write + fsync + rename,
// and a read of an unchanged file (cached) against a raw readFile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { measure, report, verdict } from './measure.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-store-'));
try {
  const raw = path.join(dir, 'raw.json');
  const payload = JSON.stringify({ version: 1, counter: 0, pad: 'x'.repeat(2000) });
  const rawWrite = await measure(200, (i) => {
    const tmp = `${raw}.${i}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, payload);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, raw);
  });
  report('raw write + fsync + rename (floor)', rawWrite);

  const store = await openStore(path.join(dir, 'imos.json'));
  const update = await measure(200, (i) => store.transact('core', (tx) => void tx.put('kv', { key: 'counter', value: i })));
  report('store.transact (lock + append + fsync)', update, rawWrite);

  const rawRead = await measure(200, () => JSON.parse(fs.readFileSync(raw, 'utf8')));
  report('raw read + parse (floor)', rawRead);
  const read = await measure(200, () => store.read('core'));
  report('store.read (unchanged file)', read, rawRead);

  // 2,000 alerts: the console's busiest realistic store.
  await store.transact('core', (tx) => {
    for (let i = 0; i < 2000; i++) {
      tx.put('alerts', {
        id: `A${i}`, fingerprint: `c${i}:T`, checkId: `c${i}`, system: 's', type: 'T', severity: 'HIGH', state: 'open',
        message: 'lag 7s — HIGH: lag > 5s', value: 7, count: 1, openedAt: new Date().toISOString(), lastSeenAt: new Date().toISOString(),
        acknowledgedBy: null, acknowledgedAt: null, ackNote: null, resolvedAt: null, resolvedBy: null, snoozedUntil: null,
        escalationLevel: 0, nextEscalationAt: null, respondBy: null, breached: false, causedBy: null, suppressed: null, notified: [], slack: null,
      });
    }
  });
  const big = await measure(30, (i) => store.transact('core', (tx) => void (tx.edit('alerts', `A${i}`).count += 1)));
  report('store.transact with 2,000 alerts', big, rawWrite);

  // Another session sees a change: from one store's update to another's watch callback (the
  // README: within a second). Floor: fs.watch noticing a raw rename in the same directory.
  const watched = path.join(dir, 'watched.json');
  fs.writeFileSync(watched, payload);
  const rawSeen = await measure(20, async (i) => {
    const seen = new Promise<void>((resolve) => {
      const watcher = fs.watch(dir, () => {
        watcher.close();
        resolve();
      });
    });
    fs.writeFileSync(`${watched}.tmp`, `${payload}${i}`);
    fs.renameSync(`${watched}.tmp`, watched);
    await seen;
  });
  report('fs.watch sees a rename (floor)', rawSeen);
  // A store as small as a fresh project's: the figure is the watch, not the write.
  fs.mkdirSync(path.join(dir, 'watch'));
  const writer = await openStore(path.join(dir, 'watch', 'imos.json'));
  const other = await openStore(path.join(dir, 'watch', 'imos.json'));
  const changeSeen = await measure(20, async (i) => {
    let timer: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve, reject) => {
      const stop = other.watch((section) => {
        if (section !== 'core') return;
        stop();
        resolve();
      });
      // The watcher's own timers do not keep a process alive: this one does, and bounds the wait.
      timer = setTimeout(() => reject(new Error('no change seen within 10 s')), 10_000);
    });
    await writer.transact('core', (tx) => void tx.put('kv', { key: 'counter', value: -i }));
    await seen.finally(() => clearTimeout(timer));
  });
  report('another store sees an update', changeSeen, rawSeen);
  if (!verdict('another session sees a change (p95)', changeSeen.p95, 1000, ' ms')) process.exitCode = 1;
  await other.close();
  await writer.close();
  await store.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
