// /healthz tells whether imos is watching: 200 while a poller records rounds, 503 with the reason
// when none has for 3 × the shortest interval (at least 1 min), or when the lease cannot be read.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import type { Store } from '../store/types.js';
import { seedStore } from '../store/testing/draft.js';
import { startServer, type RunningServer } from './server.js';
import { notifyConfig, tempStore } from '../../test/helpers/notify-fixtures.js';
import type { CheckRecord } from '../model.js';

const result = (at: string): CheckRecord => ({
  id: 'member-api',
  last: { id: 'member-api', system: 'hotel-member', kind: 'http', status: 'ok', runStatus: 'ok', value: 200, metrics: {}, message: 'ok', durationMs: 5, at },
  failures: 0,
  successes: 1,
  status: 'ok',
  since: at,
});

describe('GET /healthz', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer;
  const clock = new ManualClock('2026-01-05T00:10:00Z');
  // member-api runs every 15 s: overdue after max(1 min, 45 s) = 1 min.
  const config = notifyConfig();

  beforeEach(async () => {
    ({ store, dir, cleanup } = await tempStore());
    await seedStore(store, { checks: [result('2026-01-05T00:09:50.000Z')] });
    server = await startServer({ store, config, clock, host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  it('answers 200 while rounds are recorded, 503 once none has been for the limit, 200 again after the next', async () => {
    let res = await fetch(`${server.url}/healthz`);
    expect([res.status, await res.text()]).toEqual([200, 'ok\n']);
    await clock.advance(59_000); // 59 s since the newest result
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await clock.advance(2_000);
    res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('no poller has recorded a round for 1m (overdue after 1m)\n');
    await seedStore(store, { checks: [result(new Date(clock.now()).toISOString())] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 naming the lease file when it cannot be read', async () => {
    const lease = path.join(dir, 'imos.lease.json');
    await fs.writeFile(lease, 'not json at all');
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain(`poller lease unreadable: ${lease} is not valid JSON`);
  });
});
