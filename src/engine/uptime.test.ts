import { describe, expect, it } from 'vitest';
import { storedCounts } from '../../test/helpers/uptime.js';
import type { CheckResult, CheckStatus } from '../model.js';
import { MemoryStore } from '../store/memory-store.js';
import type { UptimeRecord } from '../store/records.js';
import type { Tx } from '../store/tx.js';
import {
  countRuns,
  hourOf,
  isDayRecord,
  isSeriesRecord,
  UPTIME_DAYS_KEPT,
  UPTIME_HOURS_KEPT,
  UPTIME_MAX_RECORDS,
  uptimeByCheck,
  uptimeDaysId,
  uptimeHoursId,
} from './uptime.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function run(id: string, runStatus: CheckStatus, atMs: number): CheckResult {
  return { id, system: 's', kind: 'http', status: runStatus, runStatus, value: null, metrics: {}, message: '', durationMs: 5, at: new Date(atMs).toISOString() };
}

async function record(store: MemoryStore, runs: CheckResult[], foldAtMost?: number): Promise<void> {
  await store.transact('results', (tx) => countRuns(tx, runs, foldAtMost));
}

const dayStart = (atMs: number) => Math.floor(atMs / DAY) * DAY;

/** The runs of a check as the figures should count them, straight from the runs themselves (later ones too: a reader's clock may be behind). */
function expected(runs: readonly CheckResult[], nowMs: number) {
  const hourNow = Math.floor(nowMs / HOUR) * HOUR;
  const today = dayStart(nowMs);
  const sum = (keep: (atMs: number) => boolean) => {
    const counted = runs.filter((r) => keep(Date.parse(r.at)));
    const ok = counted.filter((r) => r.runStatus === 'ok').length;
    return { ratio: counted.length > 0 ? ok / counted.length : null, ok, total: counted.length };
  };
  return {
    // The hour under way and the 23 before it.
    day: sum((at) => at >= hourNow - 23 * HOUR),
    // Whole UTC days: the day under way and the 6 (29) before it.
    week: sum((at) => dayStart(at) >= today - 6 * DAY),
    month: sum((at) => dayStart(at) >= today - 29 * DAY),
  };
}

const NONE = { ratio: null, ok: 0, total: 0 };

/** The figures of a check for readers at `nowMs`, an hour behind and an hour ahead, against the runs. */
function expectExact(uptime: readonly UptimeRecord[], id: string, runs: readonly CheckResult[], nowMs: number): void {
  for (const at of [nowMs, nowMs - HOUR, nowMs + HOUR]) {
    const figures = uptimeByCheck(uptime, at).get(id) ?? { day: NONE, week: NONE, month: NONE };
    expect({ id, at: new Date(at).toISOString(), ...figures }).toEqual({ id, at: new Date(at).toISOString(), ...expected(runs, at) });
  }
}

/** The two records hold what they may: arrays of the same length, within their bounds. */
function expectWellFormed(records: readonly UptimeRecord[]): void {
  for (const r of records) {
    expect(isSeriesRecord(r)).toBe(true);
    if (!isSeriesRecord(r)) continue;
    expect(r.ok).toHaveLength(r.total.length);
    expect(r.total.length).toBeLessThanOrEqual(isDayRecord(r) ? UPTIME_DAYS_KEPT : UPTIME_HOURS_KEPT);
    expect(r.id).toBe(isDayRecord(r) ? uptimeDaysId(r.checkId) : uptimeHoursId(r.checkId));
    expect(r.hour).toMatch(isDayRecord(r) ? /T00:00:00\.000Z$/ : /:00:00\.000Z$/);
  }
}

/** Counts every run into a scan-counting view of the transaction; returns how many times the uptime collection was scanned. */
async function recordCountingScans(store: MemoryStore, runs: CheckResult[]): Promise<number> {
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
    countRuns(counted as Tx, runs);
  });
  return scans;
}

describe('uptime as two records a check', () => {
  it('counts runs into the check\'s hours record, newest hour first: passing runs are those whose own status is ok', async () => {
    const store = new MemoryStore();
    await record(store, [run('api', 'ok', T0 + 1000), run('api', 'CRITICAL', T0 + 2000), run('db', 'MEDIUM', T0 + 3000)]);
    await record(store, [run('api', 'ok', T0 + 59 * 60_000)]);
    await record(store, [run('api', 'error', T0 + 2 * HOUR)]);
    const { uptime } = await store.read('results');
    expect(uptime).toEqual([
      { id: 'api@hours', checkId: 'api', hour: '2026-01-05T11:00:00.000Z', ok: [0, 0, 2], total: [1, 0, 3] },
      { id: 'db@hours', checkId: 'db', hour: '2026-01-05T09:00:00.000Z', ok: [0], total: [1] },
    ]);
    // A batch writes the hours records it touches, nothing else.
    expect(store.writes.results).toBe(3);
  });

  it('over 40 days of runs keeps two records a check, loses no run of the 30 days, and gives exact figures', async () => {
    const store = new MemoryStore();
    const start = Date.parse('2026-03-01T17:05:00.000Z');
    const checks = {
      // every 10 minutes, failing one run in 7
      api: (tick: number) => (tick % 7 === 3 ? 'CRITICAL' : 'ok'),
      // once an hour, failing on some days
      db: (tick: number) => (tick % 6 !== 0 ? null : Math.floor(tick / 144) % 5 === 2 ? 'error' : 'ok'),
      // every 10 minutes, but silent for 8 hours every 3 days and for the whole of days 20 to 23
      web: (tick: number) => ([20, 21, 22, 23].includes(Math.floor(tick / 144)) || tick % 432 < 48 ? null : tick % 11 === 0 ? 'MEDIUM' : 'ok'),
      // once every 5 hours and 20 minutes
      cron: (tick: number) => (tick % 32 === 0 ? (tick % 3 === 0 ? 'error' : 'ok') : null),
    } satisfies Record<string, (tick: number) => CheckStatus | null>;
    const runs: Record<string, CheckResult[]> = { api: [], db: [], web: [], cron: [] };
    /** When each check last started a new hour: its records keep the days a reader then counts. */
    const foldedAt: Record<string, number> = {};
    let most = 0;
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
      for (const id of Object.keys(checks)) most = Math.max(most, uptime.filter((r) => r.checkId === id).length);
      if (tick % 47 !== 0 && tick !== ticks - 1) continue;
      expectWellFormed(uptime);
      for (const id of Object.keys(checks)) {
        const mine = uptime.filter((r) => r.checkId === id);
        // Nothing lost: the records hold every run of the days a reader an hour behind still counts.
        const keptFrom = dayStart(foldedAt[id]! - HOUR) - 29 * DAY;
        const held = runs[id]!.filter((r) => dayStart(Date.parse(r.at)) >= keptFrom);
        expect({ id, ...storedCounts(mine) }).toEqual({ id, ok: held.filter((r) => r.runStatus === 'ok').length, total: held.length });
        expectExact(uptime, id, runs[id]!, at);
      }
    }
    expect(most).toBe(UPTIME_MAX_RECORDS);
    expect(UPTIME_MAX_RECORDS).toBe(2);
    // A check that runs every hour ends with 25 hours and 29 days.
    const api = (await store.read('results')).uptime.filter((r) => r.checkId === 'api');
    expect(api.map((r) => [r.id, (r.total as number[]).length])).toEqual([
      ['api@hours', UPTIME_HOURS_KEPT],
      ['api@days', UPTIME_DAYS_KEPT],
    ]);
    expect(api[1]!.hours).toBe(24);
  }, 120_000);

  it('a run in the hour under way edits one record and scans nothing; the first of a new hour scans once for the whole batch', async () => {
    const store = new MemoryStore();
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
    for (let h = 0; h < 30; h++) await record(store, ids.map((id) => run(id, h % 4 === 0 ? 'error' : 'ok', T0 + h * HOUR)));
    expect(await recordCountingScans(store, ids.map((id) => run(id, 'ok', T0 + 29 * HOUR + 60_000)))).toBe(0);
    expect(await recordCountingScans(store, ids.map((id) => run(id, 'ok', T0 + 30 * HOUR)))).toBe(1);
    const stored = (await store.read('results')).uptime;
    expect(stored).toHaveLength(2 * ids.length);
    for (const id of ids) {
      const mine = stored.filter((r) => r.checkId === id);
      // Hours 0..5 (09:00 on the 5th to 14:00) went into the 5th; 6..30 are the kept hours.
      expect(mine.find(isDayRecord)).toEqual({ id: `${id}@days`, checkId: id, hour: '2026-01-05T00:00:00.000Z', ok: [4], total: [6], hours: 24 });
      expect(storedCounts(mine).total).toBe(32);
    }
  });

  it('late runs count in their hour, or in their day when older than the kept hours, or not at all when older than 30 days', async () => {
    const store = new MemoryStore();
    const now = Date.parse('2026-02-10T12:20:00.000Z');
    const runs: CheckResult[] = [];
    const send = async (batch: CheckResult[]) => {
      await record(store, batch);
      runs.push(...batch);
    };
    await send([run('api', 'ok', now)]);
    // within the kept hours, out of order, some in the same batch as a newer run
    await send([run('api', 'error', now - 3 * HOUR), run('api', 'ok', now + HOUR), run('api', 'ok', now - 20 * HOUR)]);
    await send([run('api', 'ok', now - 23 * HOUR + 5), run('api', 'error', now - 24 * HOUR + 5)]);
    // older than the kept hours: into their days, one of them a day the days record did not hold yet
    await send([run('api', 'error', now - 2 * DAY), run('api', 'ok', now - 10 * DAY), run('api', 'ok', now - 3 * DAY)]);
    await send([run('api', 'ok', now - 28 * DAY)]);
    const { uptime } = await store.read('results');
    expectWellFormed(uptime);
    expect(uptime).toHaveLength(2);
    expect(storedCounts(uptime).total).toBe(runs.length);
    // 12:00 on the 9th is the first hour before the kept ones (13:00 on the 9th to 13:00 on the 10th).
    expect(uptime.find(isDayRecord)!.hour).toBe('2026-02-09T00:00:00.000Z');
    expectExact(uptime, 'api', runs, now + HOUR);
    // Older than any reader's 30 d figure: dropped, and the figures stay exact.
    await record(store, [run('api', 'ok', now - 31 * DAY)]);
    const after = (await store.read('results')).uptime;
    expect(storedCounts(after).total).toBe(runs.length);
    expectExact(after, 'api', runs, now + HOUR);
  });

  it('a gap of days between runs shifts the hours into their days, and days no reader counts are dropped', async () => {
    const store = new MemoryStore();
    const runs: CheckResult[] = [];
    for (let h = 0; h < 30; h++) runs.push(run('api', h % 5 === 0 ? 'error' : 'ok', T0 + h * HOUR));
    for (const r of runs) await record(store, [r]);
    // Silent for 3 days and 5 hours: every kept hour moves into the days.
    const back = run('api', 'ok', T0 + 29 * HOUR + 3 * DAY + 5 * HOUR);
    await record(store, [back]);
    runs.push(back);
    let uptime = (await store.read('results')).uptime;
    expectWellFormed(uptime);
    expect(uptime.find((r) => !isDayRecord(r))).toEqual({ id: 'api@hours', checkId: 'api', hour: hourOf(Date.parse(back.at)), ok: [1], total: [1] });
    // 09:00..23:00 on the 5th, 00:00..14:00 on the 6th: the newest day held is the 6th.
    expect(uptime.find(isDayRecord)).toEqual({ id: 'api@days', checkId: 'api', hour: '2026-01-06T00:00:00.000Z', ok: [12, 12], total: [15, 15], hours: 24 });
    expect(storedCounts(uptime).total).toBe(31);
    expectExact(uptime, 'api', runs, Date.parse(back.at));
    // Silent for 40 days: the days record goes, the hours hold the one new run.
    const last = run('api', 'error', Date.parse(back.at) + 40 * DAY);
    await record(store, [last]);
    runs.push(last);
    uptime = (await store.read('results')).uptime;
    expect(uptime).toEqual([{ id: 'api@hours', checkId: 'api', hour: hourOf(Date.parse(last.at)), ok: [0], total: [1] }]);
    expectExact(uptime, 'api', runs, Date.parse(last.at));
  });

  it('a store of an earlier version (30 days of hourly records, some daily ones) folds into two records a check, so many a change, its figures exact throughout', async () => {
    const store = new MemoryStore();
    const now = Date.parse('2026-02-10T12:20:00.000Z');
    const ids = ['a', 'b', 'c'];
    const runs: Record<string, CheckResult[]> = { a: [], b: [], c: [] };
    await store.transact('results', (tx) => {
      for (const id of ids) {
        // 722 hours up to the hour under way, as a release before daily records kept them...
        for (let h = 721; h >= 0; h--) {
          const hour = hourOf(now - h * HOUR);
          const ok = (h + id.length) % 5 === 0 ? 0 : 1;
          tx.put('uptime', { id: `${id}@${hour}`, checkId: id, hour, ok, total: 2 });
          runs[id]!.push(run(id, ok ? 'ok' : 'error', Date.parse(hour)), run(id, 'error', Date.parse(hour) + 60_000));
        }
        // ...and days before them, as the release after it did (one of them older than 30 days).
        for (const days of [31, 32, 40]) {
          const day = new Date(dayStart(now) - days * DAY).toISOString();
          tx.put('uptime', { id: `${id}@${day.slice(0, 10)}`, checkId: id, hour: day, ok: 3, total: 4, hours: 24 });
          for (let i = 0; i < 4; i++) runs[id]!.push(run(id, i < 3 ? 'ok' : 'error', Date.parse(day) + i * HOUR));
        }
      }
    });
    expectExact((await store.read('results')).uptime, 'a', runs.a!, now);
    const earlier: number[] = [];
    for (let h = 1; h <= 8; h++) {
      const batch = ids.map((id) => run(id, 'ok', now + h * HOUR));
      await record(store, batch, 400);
      for (const r of batch) runs[r.id]!.push(r);
      const { uptime } = await store.read('results');
      earlier.push(uptime.filter((r) => !isSeriesRecord(r)).length);
      for (const id of ids) expectExact(uptime, id, runs[id]!, now + h * HOUR);
    }
    // 3 × 725 records of the earlier version, 400 folded (or dropped when no reader counts them) a change.
    expect(earlier).toEqual([1775, 1375, 975, 575, 175, 0, 0, 0]);
    const { uptime } = await store.read('results');
    expect(uptime).toHaveLength(3 * UPTIME_MAX_RECORDS);
    expectWellFormed(uptime);
    // A check that has not started a new hour since keeps its earlier records until it does.
    await store.transact('results', (tx) => void tx.put('uptime', { id: 'idle@2026-02-10T12:00:00.000Z', checkId: 'idle', hour: '2026-02-10T12:00:00.000Z', ok: 1, total: 1 }));
    await record(store, ids.map((id) => run(id, 'ok', now + 9 * HOUR)));
    expect((await store.read('results')).uptime.filter((r) => r.checkId === 'idle')).toHaveLength(1);
  });

  it('gives 24 h from hourly counts only, and 7 d and 30 d by whole UTC days, from both records and earlier ones; a window without runs is unknown', () => {
    const now = T0 + 30 * 60_000; // 09:30 on the 5th
    const hoursAgo = (n: number) => hourOf(now - n * HOUR);
    const dayAgo = (n: number) => new Date(Date.parse('2026-01-05T00:00:00.000Z') - n * DAY).toISOString();
    const hours = new Array<number>(UPTIME_HOURS_KEPT).fill(0);
    const ok = [...hours];
    const total = [...hours];
    [ok[0], total[0], ok[23], total[23], ok[24], total[24]] = [9, 10, 10, 10, 0, 10];
    const daysOk = new Array<number>(UPTIME_DAYS_KEPT).fill(0);
    const daysTotal = [...daysOk];
    // days counted from yesterday (index 0), as a check running every hour has them
    [daysOk[0], daysTotal[0], daysOk[5], daysTotal[5], daysOk[6], daysTotal[6], daysOk[28], daysTotal[28]] = [2, 1000, 7, 7, 0, 1, 0, 20];
    const figures = uptimeByCheck(
      [
        { id: 'api@hours', checkId: 'api', hour: hoursAgo(0), ok, total },
        { id: 'api@days', checkId: 'api', hour: dayAgo(1), ok: daysOk, total: daysTotal, hours: 24 },
        // an earlier version's: 10:00 seven days ago is inside the last 7 × 24 hours, but on a day that started before them
        { id: `api@${hoursAgo(24 * 7 - 1)}`, checkId: 'api', hour: hoursAgo(24 * 7 - 1), ok: 5, total: 10 },
        { id: 'api@x', checkId: 'api', hour: dayAgo(0), ok: 1, total: 1000, hours: 24 },
        { id: 'api@y', checkId: 'api', hour: dayAgo(30), ok: 0, total: 100, hours: 24 },
      ],
      now,
    );
    const api = figures.get('api')!;
    // 24 h: hours 0 and 23; hour 24 (08:00 yesterday) is not in it.
    expect(api.day).toEqual({ ratio: 19 / 20, ok: 19, total: 20 });
    // 7 d: the hours (all on today or yesterday), today's and yesterday's days, 6 days ago.
    expect(api.week).toEqual({ ratio: 29 / 2037, ok: 29, total: 2037 });
    expect(api.month).toEqual({ ratio: 34 / 2068, ok: 34, total: 2068 });
    const stale = uptimeByCheck([{ id: 'old@hours', checkId: 'old', hour: hourOf(now - 48 * HOUR), ok: [1], total: [1] }], now).get('old')!;
    expect(stale.day.ratio).toBeNull();
    expect(stale.week.ratio).toBe(1);
  });
});
