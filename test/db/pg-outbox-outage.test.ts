// The outbox dispatcher of a poller-lease holder whose flush a database outage cut short, on a real
// PostgreSQL that is stopped and started again: once the server is back and the same process still
// holds the lease (nobody took it meanwhile, so its epoch is unchanged), the rows it had claimed go
// out at once, not when their claims lapse minutes later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../src/model.js';
import { Dispatcher } from '../../src/notify/dispatcher.js';
import { PgStore } from '../../src/store/pg-store.js';
import { freshSchema, PG_TEST_OPTIONS } from '../../src/store/testing/factories.js';
import { systemClock } from '../../src/time/clock.js';
import type { ChannelSender } from '../../src/channels/types.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';
import { makeRow, notifyConfig } from '../helpers/notify-fixtures.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

let cluster: TestPostgres;

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('the outbox across a PostgreSQL restart', () => {
  it('a holder whose flush the outage cut short sends the rows it had claimed as soon as the server is back', async () => {
    const store = await PgStore.open(`${cluster.url}?schema=${freshSchema()}`, PG_TEST_OPTIONS);
    try {
      const me = { token: 'holder-1', pid: process.pid, host: 'host-a', user: 'u', role: 'daemon' };
      const acquire = () => store.lease.acquire(me, 60_000, { nowMs: Date.now(), isAlive: () => true });
      const held = await acquire();
      expect(held.ours).toBe(true);
      const fence = { token: me.token, epoch: held.epoch };
      const now = new Date().toISOString();
      const rows = ['r1', 'r2', 'r3'].map((id) => makeRow({ id, channel: 'webhook', alertId: null, nextAttemptAt: now, createdAt: now }));
      await store.transact('core', (tx) => rows.forEach((row) => tx.put('outbox', row)), { fence });

      // The peer takes r1; the database goes down while it does, so the flush cannot record r1 and
      // stops with r2 and r3 claimed.
      const sent: Array<{ id: string; earlierAttemptUnknown: boolean }> = [];
      let outage: Promise<void> | null = null;
      const webhook: ChannelSender = {
        channel: 'webhook',
        async send(message: OutboxMessage, ctx) {
          sent.push({ id: message.id, earlierAttemptUnknown: ctx.earlierAttemptUnknown === true });
          if (!outage) await (outage = cluster.halt());
          return {};
        },
      };
      const dispatcher = new Dispatcher(store, notifyConfig(), systemClock, { webhook }, { claimTtlMs: 5 * 60_000 });
      await expect(dispatcher.flush(Date.now(), fence)).rejects.toThrow(/cannot be reached|not stored|connect/);
      const claimed = (await store.read('core')).outbox.filter((r) => r.claimedBy === dispatcher.owner).map((r) => r.id);
      expect(claimed).toEqual(['r1', 'r2', 'r3']);

      // Back: the same holder renews the lease (same token, same epoch) and flushes again.
      await cluster.resume();
      await waitUntil('the store to reconnect', () => store.health().connected, HANG_MS);
      const renewed = await waitUntil('the lease renewed', async () => (await acquire().catch(() => null)) ?? null, HANG_MS, 100);
      expect(renewed.epoch).toBe(held.epoch);
      await dispatcher.flush(Date.now(), fence);
      // r1 may have reached the peer: it goes again marked so (the peer can drop the repeat).
      expect(sent).toEqual([
        { id: 'r1', earlierAttemptUnknown: false },
        { id: 'r1', earlierAttemptUnknown: true },
        { id: 'r2', earlierAttemptUnknown: true },
        { id: 'r3', earlierAttemptUnknown: true },
      ]);
      expect((await store.read('core')).outbox.map((r) => [r.id, r.state, r.claimedBy])).toEqual([
        ['r1', 'sent', null],
        ['r2', 'sent', null],
        ['r3', 'sent', null],
      ]);
    } finally {
      await cluster.resume();
      await store.close();
    }
  });
});
