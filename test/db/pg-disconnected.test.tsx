// A console and a daemon on the PostgreSQL store while its server stops and starts again: they say
// so (the header, the log), keep showing the last state, refuse an action with a clear message,
// and catch up with what changed once the server is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleApp } from '../../views/App.js';
import { storeActions } from '../../views/model/store-actions.js';
import { hotelConfig, NOW } from '../../views/testing/fixtures.js';
import { renderAt, type Rendered } from '../../views/testing/render.js';
import { monoTheme } from '../../views/theme.js';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/time/clock.js';
import { PgStore } from '../../src/store/pg-store.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { PG_TEST_OPTIONS } from '../../src/store/testing/factories.js';
import { makeAlert } from '../helpers/alerts.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { HANG_MS } from '../helpers/bounds.js';

let db: TestPostgres;
beforeAll(async () => {
  db = await startPostgres();
}, 60_000);
afterAll(async () => db?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresAvailable())('the PostgreSQL store while its server is away', () => {
  it('the console says STORE DISCONNECTED, keeps the last state, refuses an action clearly, and catches up', async () => {
    const url = `${db.url}?schema=console_${process.pid}`;
    const console1 = await PgStore.open(url, PG_TEST_OPTIONS);
    const other = await PgStore.open(url, PG_TEST_OPTIONS);
    await seedStore(other, { alerts: [makeAlert({ id: 'A1', system: 'hotel-pms', message: 'reservation-sync: lag 12s' })] });
    const config = hotelConfig();
    const actions = storeActions({ store: console1, config, actor: 'suno', now: () => NOW });
    let r: Rendered | null = null;
    try {
      r = await renderAt(
        <ConsoleApp config={config} store={console1} actions={actions} actor="suno" now={() => NOW} tick={false} theme={monoTheme} onQuit={() => undefined} />,
        120,
        30,
      );
      await r.press('4');
      await r.waitFor(/A1 /);
      await db.halt();
      const down = await r.waitFor('STORE DISCONNECTED', 15_000);
      expect(down).toMatch(/A1 /); // the last state stays on screen
      const refused = await actions.acknowledge('A1', 'while away').then(
        () => null,
        (error: unknown) => (error as Error).message,
      );
      expect(refused).toMatch(/cannot be reached|connect|terminat|ECONNREFUSED/i);
      await db.resume();
      // Meanwhile another process acknowledged the alert: the console shows it once back.
      for (const until = Date.now() + HANG_MS; ; ) {
        try {
          await other.transact('core', (tx) => void (tx.edit('alerts', 'A1').acknowledgedBy = 'luna'));
          break;
        } catch (error) {
          if (Date.now() > until) throw error;
          await sleep(100);
        }
      }
      await other.transact('core', (tx) => void (tx.edit('alerts', 'A1').state = 'acknowledged'));
      const back = await r.waitFor(/A1 .*ack luna/, 15_000);
      expect(back).not.toContain('STORE DISCONNECTED');
    } finally {
      await r?.unmount();
      await console1.close();
      await other.close();
    }
  }, 60_000);

  it('the daemon logs losing and regaining the store', async () => {
    const store = await PgStore.open(`${db.url}?schema=daemon_${process.pid}`, PG_TEST_OPTIONS);
    const lines: string[] = [];
    const clock = new ManualClock(Date.now());
    const engine = new Engine({ config: { ...hotelConfig(), checks: [] }, store, role: 'daemon', clock, log: (l) => lines.push(l) });
    try {
      await engine.start();
      await store.read('core');
      await db.halt();
      // Driven a second at a time until it says so, bounded in real time (the store's I/O is real).
      for (const until = Date.now() + HANG_MS; !lines.some((l) => l.startsWith('store unreachable')) && Date.now() < until; ) {
        await clock.advance(1000);
        await sleep(50);
      }
      expect(lines.find((l) => l.startsWith('store unreachable'))).toMatch(/showing the last state and reconnecting/);
      await db.resume();
      for (const until = Date.now() + HANG_MS; !lines.includes('store reachable again: caught up') && Date.now() < until; ) {
        await clock.advance(1000);
        await sleep(50);
      }
      expect(lines).toContain('store reachable again: caught up');
    } finally {
      await engine.stop();
      await store.close();
    }
  }, 60_000);
});
