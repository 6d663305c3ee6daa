import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckStatus } from '../model.js';
import { MemoryStore } from '../store/memory-store.js';
import type { UptimeRecord } from '../store/records.js';
import type { Tx } from '../store/tx.js';
import { countRuns, hourOf, isDayRecord, UPTIME_DAYS, UPTIME_HOURS_KEPT, UPTIME_MAX_RECORDS, uptimeByCheck, uptimeDayId, uptimeId } from './uptime.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function run(id: string, runStatus: CheckStatus, atMs: number): CheckResult {
  return { id, system: 's', kind: 'http', status: runStatus, runStatus, value: null, metrics: {}, message: '', durationMs: 5, at: new Date(atMs).toISOString() };
}

async function record(store: MemoryStore, runs: CheckResult[]): Promise<void> {
  await store.transact('results', (tx) => countRuns(tx, runs));
}

/** The runs of a check as the figures should count them, straight from the runs themselves (later ones too: a reader's clock may be behind). */
function expected(runs: readonly CheckResult[], nowMs: number) {
  const hourNow = Math.floor(nowMs / HOUR) * HOUR;
  const today = Math.floor(nowMs / DAY) * DAY;
  const sum = (keep: (atMs: number) => boolean) => {
    const counted = runs.filter((r) => keep(Date.parse(r.at)));
    const ok = counted.filter((r) => r.runStatus === 'ok').length;
    return { ratio: counted.length > 0 ? ok / counted.length : null, ok, total: counted.length };
  };
  const dayStart = (atMs: number) => Math.floor(atMs / DAY) * DAY;
  return {
    // The hour under way and the 23 before it.
    day: sum((at) => at >= hourNow - 23 * HOUR),
    // Whole UTC days: the day under way and the 6 (29) before it.
    week: sum((at) => dayStart(at) >= today - 6 * DAY),
    month: sum((at) => dayStart(at) >= today - 29 * DAY),
  };
}

describe('uptime as hourly and daily aggregates', () => {
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

  it('over 40 days of runs keeps at most 25 hours and 29 days a check, loses no run of the 30 days, and gives exact figures', async () => {
    const store = new MemoryStore();
    const start = Date.parse('2026-03-01T17:05:00.000Z');
    const checks = {
      // every 10 minutes, failing one run in 7
      api: (tick: number) => (tick % 7 === 3 ? 'CRITICAL' : 'ok'),
      // once an hour, failing on some days
      db: (tick: number) => (tick % 6 !== 0 ? null : Math.floor(tick / 144) % 5 === 2 ? 'error' : 'ok'),
      // every 10 minutes, but silent for 8 hours every 3 days and for the whole of day 20
      web: (tick: number) => (Math.floor(tick / 144) === 20 || (tick % 432) < 48 ? null : tick % 11 === 0 ? 'MEDIUM' : 'ok'),
    } satisfies Record<string, (tick: number) => CheckStatus | null>;
    const runs: Record<string, CheckResult[]> = { api: [], db: [], web: [] };
    /** When each check last started a new hour: its records keep the days a reader then counts. */
    const foldedAt: Record<string, number> = {};
    const maxes = { hours: 0, days: 0, all: 0 };
    const ticks = 40 * 144;
    for (let tick = 0; tick < ticks; tick++) {
      const at = start + tick * 10 * 60_000;
      const batch: CheckResult[] = [];
      for (const [id, status] of Object.entries(checks)) {
        const s = status(tick);
        if (s === null) continue;
        const r = run(id, s, at);
        const previous = runs[id]!.at(-1);
        if (!previous || hourOf(Date.parse(previous.at)) !== hourOf(at)) foldedAt[id] = at;
        runs[id]!.push(r);
        batch.push(r);
      }
      await record(store, batch);
      const { uptime } = await store.read('results');
      for (const id of Object.keys(checks)) {
        const mine = uptime.filter((r) => r.checkId === id);
        const days = mine.filter(isDayRecord).length;
        maxes.hours = Math.max(maxes.hours, mine.length - days);
        maxes.days = Math.max(maxes.days, days);
        maxes.all = Math.max(maxes.all, mine.length);
      }
      if (tick % 47 !== 0 && tick !== ticks - 1) continue;
      for (const id of Object.keys(checks)) {
        const mine = uptime.filter((r) => r.checkId === id);
        // Nothing lost: the records hold every run of the days a reader an hour behind still counts.
        const keptFrom = Math.floor((foldedAt[id]! - HOUR) / DAY) * DAY - 29 * DAY;
        const held = runs[id]!.filter((r) => Math.floor(Date.parse(r.at) / DAY) * DAY >= keptFrom);
        expect(mine.reduce((n, r) => n + r.total, 0)).toBe(held.length);
        expect(mine.reduce((n, r) => n + r.ok, 0)).toBe(held.filter((r) => r.runStatus === 'ok').length);
        // Exact figures now, for a reader whose clock is an hour behind, and one an hour ahead.
        for (const nowMs of [at, at - HOUR, at + HOUR]) {
          const none = { ratio: null, ok: 0, total: 0 };
          const figures = uptimeByCheck(uptime, nowMs).get(id) ?? { day: none, week: none, month: none };
          const want = expected(runs[id]!, nowMs);
          expect({ id, nowMs, ...figures }).toEqual({ id, nowMs, ...want });
        }
      }
    }
    // The bound, reached: a check that runs every hour ends with 25 hours and 29 days.
    expect(maxes).toEqual({ hours: UPTIME_HOURS_KEPT, days: UPTIME_DAYS - 1, all: UPTIME_MAX_RECORDS });
    expect(UPTIME_MAX_RECORDS).toBe(54);
    const api = (await store.read('results')).uptime.filter((r) => r.checkId === 'api');
    expect(api).toHaveLength(UPTIME_MAX_RECORDS);
    // A day's record: its own id, the start of its UTC day as its hour, 24 hours.
    const dayRecord = api.find(isDayRecord)!;
    expect(dayRecord.hour).toMatch(/T00:00:00\.000Z$/);
    expect(dayRecord.id).toBe(uptimeDayId('api', dayRecord.hour));
    expect(dayRecord.id).toMatch(/^api@\d{4}-\d{2}-\d{2}$/);
    expect(dayRecord.hours).toBe(24);
  }, 120_000);

  it('folds the old hours of every check starting a new hour in one scan of the batch, and only those checks', async () => {
    const store = new MemoryStore();
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
    for (let h = 0; h < 30; h++) await record(store, [...ids, 'idle'].map((id) => run(id, h % 4 === 0 ? 'error' : 'ok', T0 + h * HOUR)));
    // 'idle' stops; the others start hour 30 in one batch.
    const idleBefore = (await store.read('results')).uptime.filter((r) => r.checkId === 'idle');
    expect(idleBefore.some((r) => r.hour === hourOf(T0 + 5 * HOUR))).toBe(true);
    let scans = 0;
    await store.transact('results', (tx) => {
      const counted = new Proxy(tx, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (['iterate', 'all', 'find'].includes(String(prop)) && args[0] === 'uptime') scans++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      countRuns(counted as Tx, ids.map((id) => run(id, 'ok', T0 + 30 * HOUR)));
    });
    expect(scans).toBe(1);
    const stored = (await store.read('results')).uptime;
    for (const id of ids) {
      const mine = stored.filter((r) => r.checkId === id);
      // Hours 0..5 (09:00 on the 5th to 14:00) folded into the 5th; 6..30 kept.
      expect(mine.filter((r) => !isDayRecord(r))).toHaveLength(UPTIME_HOURS_KEPT);
      expect(mine.filter(isDayRecord)).toEqual([{ id: `${id}@2026-01-05`, checkId: id, hour: '2026-01-05T00:00:00.000Z', ok: 4, total: 6, hours: 24 }]);
      expect(mine.reduce((n, r) => n + r.total, 0)).toBe(31);
    }
    expect(stored.filter((r) => r.checkId === 'idle')).toEqual(idleBefore);
  });

  it('a day receives its hours over several batches', async () => {
    const store = new MemoryStore();
    for (let h = 0; h < 40; h++) await record(store, [run('api', h === 2 ? 'error' : 'ok', T0 + h * HOUR)]);
    const day = (await store.read('results')).uptime.filter(isDayRecord);
    // Hours 09:00..23:00 on the 5th, folded one by one as hours 25..39 started.
    expect(day).toEqual([{ id: 'api@2026-01-05', checkId: 'api', hour: '2026-01-05T00:00:00.000Z', ok: 14, total: 15, hours: 24 }]);
  });

  it('a store written with 30 days of hourly records is folded the next time each check starts a new hour', async () => {
    const store = new MemoryStore();
    const now = Date.parse('2026-02-10T12:20:00.000Z');
    const old: UptimeRecord[] = [];
    const oldRuns: CheckResult[] = [];
    // As the earlier release kept them: 722 hours per check, up to the hour under way.
    for (const id of ['api', 'db']) {
      for (let h = 0; h < 722; h++) {
        const hour = hourOf(now - h * HOUR);
        const ok = h % 9 === 0 ? 1 : 2;
        old.push({ id: uptimeId(id, hour), checkId: id, hour, ok, total: 2 });
        if (id === 'api') oldRuns.push(run(id, 'ok', Date.parse(hour)), run(id, ok === 2 ? 'ok' : 'error', Date.parse(hour) + 60_000));
      }
    }
    await store.transact('results', (tx) => {
      for (const r of old) tx.put('uptime', r);
    });
    const before = uptimeByCheck((await store.read('results')).uptime, now).get('api')!;
    expect(before).toEqual(expected(oldRuns, now));

    const next = run('api', 'ok', now + HOUR);
    await record(store, [next]);
    const stored = (await store.read('results')).uptime;
    const api = stored.filter((r) => r.checkId === 'api');
    expect(api.filter((r) => !isDayRecord(r))).toHaveLength(UPTIME_HOURS_KEPT);
    expect(api.filter(isDayRecord)).toHaveLength(UPTIME_DAYS - 1);
    // The figures are the same as before the fold (and count the new run).
    const after = uptimeByCheck(stored, now + HOUR).get('api')!;
    expect(after).toEqual(expected([...oldRuns, next], now + HOUR));
    // A check that has not started a new hour yet keeps its hours until it does.
    expect(stored.filter((r) => r.checkId === 'db')).toHaveLength(722);
  });

  it('one change folds at most so many old records: an old store of many checks folds over the next hours, its figures exact meanwhile', async () => {
    const store = new MemoryStore();
    const now = Date.parse('2026-02-10T12:20:00.000Z');
    const ids = ['a', 'b', 'c'];
    const runs: Record<string, CheckResult[]> = { a: [], b: [], c: [] };
    await store.transact('results', (tx) => {
      for (const id of ids) {
        for (let h = 721; h >= 0; h--) {
          const hour = hourOf(now - h * HOUR);
          const ok = (h + id.length) % 5 === 0 ? 0 : 1;
          tx.put('uptime', { id: uptimeId(id, hour), checkId: id, hour, ok, total: 1 });
          runs[id]!.push(run(id, ok ? 'ok' : 'error', Date.parse(hour)));
        }
      }
    });
    const counts: number[] = [];
    for (let h = 1; h <= 6; h++) {
      const batch = ids.map((id) => run(id, 'ok', now + h * HOUR));
      await store.transact('results', (tx) => countRuns(tx, batch, 400));
      for (const r of batch) runs[r.id]!.push(r);
      const { uptime } = await store.read('results');
      counts.push(uptime.length);
      for (const id of ids) expect(uptimeByCheck(uptime, now + h * HOUR).get(id)).toEqual(expected(runs[id]!, now + h * HOUR));
    }
    // 3 × 722 records, 400 folded or deleted an hour (and a day's record written for each day
    // reached), until each check holds its 25 hours and 29 days.
    expect(counts.at(-1)).toBe(3 * UPTIME_MAX_RECORDS);
    expect(counts[0]).toBeGreaterThan(3 * 722 + 3 - 400);
    expect(counts.every((n, i) => i === 0 || n < counts[i - 1]!)).toBe(true);
  });

  it('gives 24 h from hours only, and 7 d and 30 d by whole UTC days; a window without runs is unknown', () => {
    const now = T0 + 30 * 60_000; // 09:30 on the 5th
    const at = (hoursAgo: number, ok: number, total: number): UptimeRecord => ({ id: `api@${hoursAgo}`, checkId: 'api', hour: hourOf(now - hoursAgo * HOUR), ok, total });
    const dayAgo = (days: number, ok: number, total: number): UptimeRecord => {
      const hour = new Date(Date.parse('2026-01-05T00:00:00.000Z') - days * DAY).toISOString();
      return { id: uptimeDayId('api', hour), checkId: 'api', hour, ok, total, hours: 24 };
    };
    const figures = uptimeByCheck(
      [
        at(0, 9, 10),
        at(23, 10, 10),
        at(24, 0, 10),
        // 10:00 seven days ago: inside the last 7 × 24 hours, but on a day that started before them
        at(24 * 7 - 1, 5, 10),
        // today's and yesterday's days (as a store a clock jump left): never in the 24 h figure
        dayAgo(0, 1, 1000),
        dayAgo(1, 2, 1000),
        dayAgo(6, 7, 7),
        dayAgo(7, 0, 1),
        dayAgo(29, 0, 20),
        dayAgo(30, 0, 100),
      ],
      now,
    );
    const api = figures.get('api')!;
    expect(api.day).toEqual({ ratio: 19 / 20, ok: 19, total: 20 });
    expect(api.week).toEqual({ ratio: 29 / 2037, ok: 29, total: 2037 });
    expect(api.month).toEqual({ ratio: 34 / 2068, ok: 34, total: 2068 });
    const stale = uptimeByCheck([{ id: 'x', checkId: 'old', hour: hourOf(now - 48 * HOUR), ok: 1, total: 1 }], now).get('old')!;
    expect(stale.day.ratio).toBeNull();
    expect(stale.week.ratio).toBe(1);
  });
});
