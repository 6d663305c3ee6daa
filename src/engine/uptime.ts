// Uptime per check, kept as aggregates in the results section (docs/CONTRACT.md "Store layout"):
// one record per check and hour (`<check>@<hour>`) for the last day, counting the runs and the
// passing ones, and one per check and UTC day (`<check>@<day>`, `hours: 24`) for older runs, so a
// check costs at most UPTIME_MAX_RECORDS small records however long imos runs (every long-running
// process holds them all). A run counts as passing when its own status (before the consecutive-run
// thresholds) is `ok`.
import type { CheckResult } from '../model.js';
import type { UptimeRecord } from '../store/records.js';
import type { Tx } from '../store/tx.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hourly records kept per check: the hour under way and the 24 before it (the 24 h window and one hour for a reader whose clock is behind). */
export const UPTIME_HOURS_KEPT = 25;
/** Days the 30 d figure counts: the UTC day under way and the 29 before it. */
export const UPTIME_DAYS = 30;
/**
 * Records per check at most: the kept hours and the daily records of the days before them that
 * the 30 d figure counts (29: the day under way never has one, as its hours are all kept).
 */
export const UPTIME_MAX_RECORDS = UPTIME_HOURS_KEPT + UPTIME_DAYS - 1;
/**
 * Old records one change folds or deletes at most. A check starting a new hour has one or two;
 * a store written when every hour was kept 30 days has ~700 a check, and folding 1,000 checks'
 * at once blocked its process 3.5–4.5 s under the results lock (whose holder gives up after
 * 2.25 s unrenewed, storing nothing). What is left folds the next times the checks start a new hour.
 */
export const UPTIME_FOLD_PER_CHANGE = 50_000;

/** The start of the UTC hour an instant falls in, as an ISO time. */
export function hourOf(atMs: number): string {
  return new Date(Math.floor(atMs / HOUR_MS) * HOUR_MS).toISOString();
}

/** The start of the UTC day an instant falls in, as an ISO time. */
function dayOf(atMs: number): string {
  return new Date(Math.floor(atMs / DAY_MS) * DAY_MS).toISOString();
}

export function uptimeId(checkId: string, hour: string): string {
  return `${checkId}@${hour}`;
}

/** `<check>@<YYYY-MM-DD>`: never an hourly id, which always ends in a time. */
export function uptimeDayId(checkId: string, day: string): string {
  return `${checkId}@${day.slice(0, 10)}`;
}

/** Whether a record holds a whole UTC day's runs rather than one hour's. */
export function isDayRecord(record: Readonly<UptimeRecord>): boolean {
  return record.hours === 24;
}

/**
 * Count fresh runs into their hour's record, inside the results transaction that stores them.
 * When a check starts a new hour, its older hours are folded into days and its days beyond the
 * 30 d figure deleted: in one scan over the collection for all such checks of the batch (a scan
 * per check made a first run of 10,000 checks quadratic).
 */
export function countRuns(tx: Tx, runs: readonly CheckResult[], foldAtMost = UPTIME_FOLD_PER_CHANGE): void {
  const newHour = new Map<string, number>();
  for (const run of runs) {
    const atMs = Date.parse(run.at);
    if (!Number.isFinite(atMs)) continue;
    const hour = hourOf(atMs);
    const id = uptimeId(run.id, hour);
    const passed = run.runStatus === 'ok' ? 1 : 0;
    if (tx.get('uptime', id)) {
      const record = tx.edit('uptime', id);
      record.ok += passed;
      record.total += 1;
      continue;
    }
    tx.put('uptime', { id, checkId: run.id, hour, ok: passed, total: 1 });
    newHour.set(run.id, Math.max(atMs, newHour.get(run.id) ?? atMs));
  }
  foldUptime(tx, newHour, foldAtMost);
}

/**
 * For the checks given (check id → now): hourly records older than the kept hours are added into
 * their day's record and deleted; days before the 30 d figure of a reader up to an hour behind are
 * deleted (and hours of such days are not folded first); `atMost` of them in one change. Stores
 * written before days existed fold the same way, the next times each check starts a new hour.
 */
function foldUptime(tx: Tx, nowByCheck: ReadonlyMap<string, number>, atMost: number): void {
  if (nowByCheck.size === 0) return;
  const limits = new Map<string, { hour: string; day: string }>();
  for (const [checkId, nowMs] of nowByCheck) {
    limits.set(checkId, { hour: hourOf(nowMs - (UPTIME_HOURS_KEPT - 1) * HOUR_MS), day: dayOf(nowMs - HOUR_MS - (UPTIME_DAYS - 1) * DAY_MS) });
  }
  const stale: Array<Readonly<UptimeRecord>> = [];
  for (const record of tx.iterate('uptime')) {
    const limit = limits.get(record.checkId);
    if (limit === undefined || record.hour >= (isDayRecord(record) ? limit.day : limit.hour)) continue;
    stale.push(record);
    if (stale.length >= atMost) break;
  }
  for (const record of stale) {
    tx.delete('uptime', record.id);
    if (isDayRecord(record)) continue;
    const day = dayOf(Date.parse(record.hour));
    if (day < limits.get(record.checkId)!.day) continue;
    const id = uptimeDayId(record.checkId, day);
    if (tx.get('uptime', id)) {
      const into = tx.edit('uptime', id);
      into.ok += record.ok;
      into.total += record.total;
    } else {
      tx.put('uptime', { id, checkId: record.checkId, hour: day, ok: record.ok, total: record.total, hours: 24 });
    }
  }
}

export interface UptimeWindow {
  /** Passing runs / all runs, or null when the check did not run in the window. */
  ratio: number | null;
  ok: number;
  total: number;
}

export interface CheckUptime {
  day: UptimeWindow;
  week: UptimeWindow;
  month: UptimeWindow;
}

/**
 * 24 h / 7 d / 30 d per check. 24 h counts the hour under way and the 23 before it, from hourly
 * records only. 7 d and 30 d count whole UTC days: the day under way and the 6 (29) before it,
 * i.e. a day counts when it starts inside the last 7 × 24 (30 × 24) hours, whether its runs are
 * still hourly or already folded into the day.
 */
export function uptimeByCheck(records: readonly UptimeRecord[], nowMs: number): Map<string, CheckUptime> {
  const current = Date.parse(hourOf(nowMs));
  const today = Date.parse(dayOf(nowMs));
  const fromDay = (days: number) => new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const dayFrom = new Date(current - 23 * HOUR_MS).toISOString();
  const weekFrom = fromDay(7);
  const monthFrom = fromDay(UPTIME_DAYS);
  const sums = new Map<string, Record<keyof CheckUptime, { ok: number; total: number }>>();
  const add = (sum: { ok: number; total: number }, r: UptimeRecord) => {
    sum.ok += r.ok;
    sum.total += r.total;
  };
  for (const r of records) {
    let sum = sums.get(r.checkId);
    if (!sum) sums.set(r.checkId, (sum = { day: { ok: 0, total: 0 }, week: { ok: 0, total: 0 }, month: { ok: 0, total: 0 } }));
    // ISO times: the first ten characters are the UTC day.
    const day = r.hour.slice(0, 10);
    if (day < monthFrom) continue;
    add(sum.month, r);
    if (day >= weekFrom) add(sum.week, r);
    if (r.hour >= dayFrom && !isDayRecord(r)) add(sum.day, r);
  }
  const window = ({ ok, total }: { ok: number; total: number }): UptimeWindow => ({ ratio: total > 0 ? ok / total : null, ok, total });
  const out = new Map<string, CheckUptime>();
  for (const [id, s] of sums) out.set(id, { day: window(s.day), week: window(s.week), month: window(s.month) });
  return out;
}
