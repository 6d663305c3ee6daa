// The store: a locked, atomic, durable update against the floor of a raw write + fsync + rename,
// and a read of an unchanged file (cached) against a raw readFile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { measure, report } from './measure.js';

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
  const update = await measure(200, (i) =>
    store.update('core', (core) => {
      core.extra.counter = i;
    }),
  );
  report('store.update (lock + validate + atomic write)', update, rawWrite);

  const rawRead = await measure(200, () => JSON.parse(fs.readFileSync(raw, 'utf8')));
  report('raw read + parse (floor)', rawRead);
  const read = await measure(200, () => store.read('core'));
  report('store.read (unchanged file)', read, rawRead);

  // 2,000 alerts: the console's busiest realistic store.
  await store.update('core', (core) => {
    for (let i = 0; i < 2000; i++) {
      core.alerts.push({
        id: `A${i}`, fingerprint: `c${i}:T`, checkId: `c${i}`, system: 's', type: 'T', severity: 'HIGH', state: 'open',
        message: 'lag 7s — HIGH: lag > 5s', value: 7, count: 1, openedAt: new Date().toISOString(), lastSeenAt: new Date().toISOString(),
        acknowledgedBy: null, acknowledgedAt: null, ackNote: null, resolvedAt: null, resolvedBy: null, snoozedUntil: null,
        escalationLevel: 0, nextEscalationAt: null, respondBy: null, breached: false, causedBy: null, suppressed: null, notified: [], slack: null,
      });
    }
  });
  const big = await measure(30, (i) => store.update('core', (core) => void (core.alerts[i]!.count += 1)));
  report('store.update with 2,000 alerts', big, rawWrite);
  await store.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
