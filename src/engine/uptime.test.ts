import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckStatus } from '../model.js';
import { MemoryStore } from '../store/memory-store.js';
import { countRuns, hourOf, UPTIME_KEEP_HOURS, uptimeByCheck, uptimeId } from './uptime.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function run(id: string, runStatus: CheckStatus, atMs: number): CheckResult {
  return { id, system: 's', kind: 'http', status: runStatus, runStatus, value: null, metrics: {}, message: '', durationMs: 5, at: new Date(atMs).toISOString() };
}

async function record(store: MemoryStore, runs: CheckResult[]): Promise<void> {
  await store.transact('results', (tx) => countRuns(tx, runs));
}

describe('uptime as hourly aggregates', () => {
  it('counts runs into one record per check and hour: passing runs are those whose own status is ok', async () => {
    const store = new MemoryStore();
    await record(store, [run('api', 'ok', T0 + 1000), run('api', 'CRITICAL', T0 + 2000), run('db', 'MEDIUM', T0 + 3000)]);
    await record(store, [run('api', 'ok', T0 + 59 * 60_000)]);
    await record(store, [run('api', 'error', T0 + HOUR)]);
    const { uptime } = await store.read('results');
    expect(uptime).toEqual([
      { id: 'api@2026-01-05T09:00:00.000Z', checkId: 'api', hour: '2026-01-05T09:00:00.000Z', ok: 2, total: 3 },
      { id: 'db@2026-01-05T09:00:00.000Z', checkId: 'db', hour: '2026-01-05T09:00:00.000Z', ok: 0, total: 1 },
      { id: 'api@2026-01-05T10:00:00.000Z', checkId: 'api', hour: '2026-01-05T10:00:00.000Z', ok: 0, total: 1 },
    ]);
    // A batch costs the hours it touches: the next run of the hour edits one record.
    expect(store.writes.results).toBe(3);
  });

  it('keeps 30 days per check: starting a new hour drops that check’s records older than the span', async () => {
    const store = new MemoryStore();
    await record(store, [run('api', 'ok', T0), run('db', 'ok', T0)]);
    await record(store, [run('api', 'ok', T0 + (UPTIME_KEEP_HOURS - 1) * HOUR)]);
    let ids = (await store.read('results')).uptime.map((r) => r.id);
    expect(ids).toContain(uptimeId('api', hourOf(T0)));
    await record(store, [run('api', 'ok', T0 + UPTIME_KEEP_HOURS * HOUR)]);
    ids = (await store.read('results')).uptime.map((r) => r.id);
    expect(ids).not.toContain(uptimeId('api', hourOf(T0)));
    // Another check's records are its own to prune.
    expect(ids).toContain(uptimeId('db', hourOf(T0)));
  });

  it('one batch of many checks starting a new hour prunes each one’s old records, and only those', async () => {
    const store = new MemoryStore();
    const ids = Array.from({ length: 50 }, (_, i) => `c${i}`);
    await record(store, ids.map((id) => run(id, 'ok', T0)));
    await record(store, [run('kept', 'ok', T0)]);
    await record(store, ids.map((id) => run(id, 'ok', T0 + UPTIME_KEEP_HOURS * HOUR)));
    const stored = (await store.read('results')).uptime.map((r) => r.id);
    for (const id of ids) {
      expect(stored).not.toContain(uptimeId(id, hourOf(T0)));
      expect(stored).toContain(uptimeId(id, hourOf(T0 + UPTIME_KEEP_HOURS * HOUR)));
    }
    expect(stored).toContain(uptimeId('kept', hourOf(T0)));
    expect(stored).toHaveLength(51);
  });

  it('gives 24 h, 7 d and 30 d per check, the hour under way included; a window without runs is unknown', () => {
    const now = T0 + 30 * 60_000;
    const at = (hoursAgo: number, ok: number, total: number) => ({ id: `api@${hoursAgo}`, checkId: 'api', hour: hourOf(now - hoursAgo * HOUR), ok, total });
    const figures = uptimeByCheck([at(0, 9, 10), at(23, 10, 10), at(24, 0, 10), at(24 * 7 - 1, 5, 10), at(24 * 30 - 1, 0, 20), at(24 * 30, 0, 100)], now);
    const api = figures.get('api')!;
    expect(api.day).toEqual({ ratio: 19 / 20, ok: 19, total: 20 });
    expect(api.week).toEqual({ ratio: 24 / 40, ok: 24, total: 40 });
    expect(api.month).toEqual({ ratio: 24 / 60, ok: 24, total: 60 });
    const stale = uptimeByCheck([{ id: 'x', checkId: 'old', hour: hourOf(now - 48 * HOUR), ok: 1, total: 1 }], now).get('old')!;
    expect(stale.day.ratio).toBeNull();
    expect(stale.week.ratio).toBe(1);
  });
});
