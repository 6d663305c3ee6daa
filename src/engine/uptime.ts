// Uptime per check, kept as aggregates in the results section (docs/CONTRACT.md "Store layout"):
// two records per check however long imos runs, as every long-running process holds them all.
// `<check>@hours` counts the 25 newest hours (the hour under way, the 23 before it that the 24 h
// figure counts, and one hour for a reader whose clock is behind), `<check>@days` the UTC days
// before them that the 30 d figure counts. A run counts as passing when its own status (before
// the consecutive-run thresholds) is `ok`.
import type { CheckResult } from '../model.js';
import type { UptimeCountRecord, UptimeRecord, UptimeSeriesRecord } from '../store/records.js';
import type { Tx } from '../store/tx.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hours counted per check: the hour under way and the 24 before it. */
export const UPTIME_HOURS_KEPT = 25;
/** Days the 30 d figure counts: the UTC day under way and the 29 before it. */
export const UPTIME_DAYS = 30;
/** Days the days record holds at most: those before the kept hours that the 30 d figure counts. */
export const UPTIME_DAYS_KEPT = UPTIME_DAYS - 1;
/** Records per check. */
export const UPTIME_MAX_RECORDS = 2;
/**
 * Records of earlier versions (one per check and hour, or per check and day) one change folds at
 * most. A store written when every hour was kept 30 days has ~700 a check, and folding 1,000
 * checks' at once blocked its process 3.5–4.5 s under the results lock (whose holder gives up
 * after 2.25 s unrenewed, storing nothing). What is left folds the next times the checks start a
 * new hour.
 */
export const UPTIME_FOLD_PER_CHANGE = 50_000;

/** The start of the UTC hour an instant falls in, as an ISO time. */
export function hourOf(atMs: number): string {
  return new Date(hourStart(atMs)).toISOString();
}

function hourStart(atMs: number): number {
  return Math.floor(atMs / HOUR_MS) * HOUR_MS;
}

function dayStart(atMs: number): number {
  return Math.floor(atMs / DAY_MS) * DAY_MS;
}

/** A record's time as the start of its hour (a hand-edited one may be off it). */
function hourStartOf(record: Readonly<UptimeRecord>): number {
  return hourStart(Date.parse(record.hour));
}

/** `<check>@hours`: the check's hourly counts. */
export function uptimeHoursId(checkId: string): string {
  return `${checkId}@hours`;
}

/** `<check>@days`: the check's daily counts. */
export function uptimeDaysId(checkId: string): string {
  return `${checkId}@days`;
}

/** Whether a record holds whole UTC days' runs rather than hours'. */
export function isDayRecord(record: Readonly<UptimeRecord>): boolean {
  return record.hours === 24;
}

/** Whether a record is one of the two a check keeps (arrays of counts), not one written by an earlier version. */
export function isSeriesRecord(record: Readonly<UptimeRecord>): record is UptimeSeriesRecord {
  return Array.isArray(record.ok);
}

/** The first day the 30 d figure counts for a reader up to an hour behind the newest counted hour. */
function oldestDay(newestHourMs: number): number {
  return dayStart(newestHourMs - HOUR_MS) - UPTIME_DAYS_KEPT * DAY_MS;
}

/** The check's two records as one transaction edits them: looked up once, changed in place. */
class CheckCounts {
  private hoursRecord: UptimeSeriesRecord | undefined;
  private daysRecord: UptimeSeriesRecord | undefined;
  private daysRead = false;
  private daysEdited = false;

  constructor(
    private readonly tx: Tx,
    private readonly checkId: string,
  ) {
    const stored = tx.get('uptime', uptimeHoursId(checkId));
    if (stored && isSeriesRecord(stored)) this.hoursRecord = tx.edit('uptime', stored.id) as UptimeSeriesRecord;
  }

  /** Whether a count at this hour starts a newer hour than the check's counted ones (or its first). */
  startsNewHour(hourMs: number): boolean {
    return !this.hoursRecord || hourMs > hourStartOf(this.hoursRecord);
  }

  /** Add counts at an hour: a newer hour shifts the kept hours, the oldest into their days. */
  addHour(hourMs: number, ok: number, total: number): void {
    if (!this.hoursRecord) {
      this.hoursRecord = this.tx.put('uptime', { id: uptimeHoursId(this.checkId), checkId: this.checkId, hour: new Date(hourMs).toISOString(), ok: [ok], total: [total] }) as UptimeSeriesRecord;
      this.trimDays();
      return;
    }
    const newest = hourStartOf(this.hoursRecord);
    if (hourMs > newest) this.shiftHours(newest, (hourMs - newest) / HOUR_MS);
    const index = (hourStartOf(this.hoursRecord) - hourMs) / HOUR_MS;
    if (index < UPTIME_HOURS_KEPT) addAt(this.hoursRecord, index, ok, total);
    else this.addDay(dayStart(hourMs), ok, total);
  }

  /** Add counts at a UTC day before the kept hours; days before the 30 d figure are dropped. */
  addDay(dayMs: number, ok: number, total: number): void {
    if (this.hoursRecord && dayMs < oldestDay(hourStartOf(this.hoursRecord))) return;
    const days = this.editDays();
    if (!days) {
      this.daysEdited = true;
      this.daysRecord = this.tx.put('uptime', { id: uptimeDaysId(this.checkId), checkId: this.checkId, hour: new Date(dayMs).toISOString(), ok: [ok], total: [total], hours: 24 }) as UptimeSeriesRecord;
      return;
    }
    const newest = dayStart(Date.parse(days.hour));
    if (dayMs > newest) {
      // Days shifted past the last entry kept are dropped, however far the clock went.
      const by = (dayMs - newest) / DAY_MS;
      const zeros = Array<number>(Math.min(by, UPTIME_DAYS_KEPT)).fill(0);
      days.ok = [...zeros, ...days.ok].slice(0, UPTIME_DAYS_KEPT);
      days.total = [...zeros, ...days.total].slice(0, UPTIME_DAYS_KEPT);
      days.hour = new Date(dayMs).toISOString();
      this.trimDays();
      if (!this.daysRecord) return this.addDay(dayMs, ok, total);
    }
    const index = (dayStart(Date.parse(days.hour)) - dayMs) / DAY_MS;
    if (index < UPTIME_DAYS_KEPT) addAt(days, index, ok, total);
  }

  private shiftHours(newest: number, by: number): void {
    const hours = this.hoursRecord!;
    for (let i = hours.total.length - 1; i >= 0 && i + by >= UPTIME_HOURS_KEPT; i--) {
      if (hours.total[i]! > 0) this.addDay(dayStart(newest - i * HOUR_MS), hours.ok[i]!, hours.total[i]!);
    }
    const kept = Math.max(0, Math.min(hours.total.length, UPTIME_HOURS_KEPT - by));
    const zeros = Array<number>(kept > 0 ? by : 0).fill(0);
    hours.ok = [...zeros, ...hours.ok.slice(0, kept)];
    hours.total = [...zeros, ...hours.total.slice(0, kept)];
    hours.hour = new Date(newest + by * HOUR_MS).toISOString();
    this.trimDays();
  }

  /** Drop the days no reader counts any longer, and the days record when none is left. */
  private trimDays(): void {
    const stored = this.days();
    if (!stored || !this.hoursRecord) return;
    const keep = Math.min(UPTIME_DAYS_KEPT, (dayStart(Date.parse(stored.hour)) - oldestDay(hourStartOf(this.hoursRecord))) / DAY_MS + 1);
    if (keep >= stored.total.length) return;
    const days = this.editDays()!;
    days.ok = days.ok.slice(0, Math.max(0, keep));
    days.total = days.total.slice(0, Math.max(0, keep));
    while (days.total.length > 0 && days.total.at(-1) === 0) {
      days.ok.pop();
      days.total.pop();
    }
    if (days.total.length === 0) {
      this.tx.delete('uptime', days.id);
      this.daysRecord = undefined;
    }
  }

  /** The days record as stored (or as this transaction left it), without recording a change. */
  private days(): Readonly<UptimeSeriesRecord> | undefined {
    if (!this.daysRead) {
      this.daysRead = true;
      const stored = this.tx.get('uptime', uptimeDaysId(this.checkId));
      if (stored && isSeriesRecord(stored)) this.daysRecord = stored as UptimeSeriesRecord;
    }
    return this.daysRecord;
  }

  private editDays(): UptimeSeriesRecord | undefined {
    const stored = this.days();
    if (stored && !this.daysEdited) {
      this.daysEdited = true;
      this.daysRecord = this.tx.edit('uptime', stored.id) as UptimeSeriesRecord;
    }
    return this.daysRecord;
  }
}

function addAt(record: UptimeSeriesRecord, index: number, ok: number, total: number): void {
  while (record.total.length <= index) {
    record.ok.push(0);
    record.total.push(0);
  }
  record.ok[index]! += ok;
  record.total[index]! += total;
}

/**
 * Count fresh runs into their check's records, inside the results transaction that stores them:
 * each run edits its check's hours record (looked up by id, no scan). Records of earlier versions
 * are folded into the two when their check starts a new hour, in one scan for the whole batch.
 */
export function countRuns(tx: Tx, runs: readonly CheckResult[], foldAtMost = UPTIME_FOLD_PER_CHANGE): void {
  const checks = new Map<string, CheckCounts>();
  const newHour = new Set<string>();
  for (const run of runs) {
    const atMs = Date.parse(run.at);
    if (!Number.isFinite(atMs)) continue;
    let counts = checks.get(run.id);
    if (!counts) checks.set(run.id, (counts = new CheckCounts(tx, run.id)));
    const hourMs = hourStart(atMs);
    if (counts.startsNewHour(hourMs)) newHour.add(run.id);
    counts.addHour(hourMs, run.runStatus === 'ok' ? 1 : 0, 1);
  }
  if (newHour.size > 0) foldEarlierRecords(tx, checks, newHour, foldAtMost);
}

/**
 * Records of earlier versions (`<check>@<hour>`, `<check>@<YYYY-MM-DD>`) of the checks given are
 * added into their check's two records and deleted, `atMost` in one change; those no reader counts
 * any longer are only deleted.
 */
function foldEarlierRecords(tx: Tx, checks: ReadonlyMap<string, CheckCounts>, of: ReadonlySet<string>, atMost: number): void {
  const earlier: Array<Readonly<UptimeCountRecord>> = [];
  for (const record of tx.iterate('uptime')) {
    if (isSeriesRecord(record) || !of.has(record.checkId)) continue;
    // An hour newer than any run counted (a clock that jumped back) waits until the check gets there.
    if (!isDayRecord(record) && checks.get(record.checkId)!.startsNewHour(hourStartOf(record))) continue;
    earlier.push(record as Readonly<UptimeCountRecord>);
    if (earlier.length >= atMost) break;
  }
  for (const record of earlier) {
    tx.delete('uptime', record.id);
    const counts = checks.get(record.checkId)!;
    if (isDayRecord(record)) counts.addDay(dayStart(Date.parse(record.hour)), record.ok, record.total);
    else counts.addHour(hourStartOf(record), record.ok, record.total);
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
 * counts only. 7 d and 30 d count whole UTC days: the day under way and the 6 (29) before it,
 * i.e. a day counts when it starts inside the last 7 × 24 (30 × 24) hours, whether its runs are
 * still counted by the hour or already by the day. Records of earlier versions count the same
 * until they are folded.
 */
export function uptimeByCheck(records: readonly UptimeRecord[], nowMs: number): Map<string, CheckUptime> {
  const current = hourStart(nowMs);
  const today = dayStart(nowMs);
  const dayFrom = current - 23 * HOUR_MS;
  const weekFrom = today - 6 * DAY_MS;
  const monthFrom = today - (UPTIME_DAYS - 1) * DAY_MS;
  type Sums = Record<keyof CheckUptime, { ok: number; total: number }>;
  const sums = new Map<string, Sums>();
  const add = (sum: Sums, atMs: number, isHour: boolean, ok: number, total: number) => {
    const day = dayStart(atMs);
    if (day < monthFrom) return;
    sum.month.ok += ok;
    sum.month.total += total;
    if (day >= weekFrom) {
      sum.week.ok += ok;
      sum.week.total += total;
    }
    if (isHour && atMs >= dayFrom) {
      sum.day.ok += ok;
      sum.day.total += total;
    }
  };
  for (const r of records) {
    let sum = sums.get(r.checkId);
    if (!sum) sums.set(r.checkId, (sum = { day: { ok: 0, total: 0 }, week: { ok: 0, total: 0 }, month: { ok: 0, total: 0 } }));
    const atMs = Date.parse(r.hour);
    const isHour = !isDayRecord(r);
    if (!isSeriesRecord(r)) {
      add(sum, atMs, isHour, r.ok, r.total);
      continue;
    }
    const step = isHour ? HOUR_MS : DAY_MS;
    for (let i = 0; i < r.total.length; i++) if (r.total[i]! > 0) add(sum, atMs - i * step, isHour, r.ok[i] ?? 0, r.total[i]!);
  }
  const window = ({ ok, total }: { ok: number; total: number }): UptimeWindow => ({ ratio: total > 0 ? ok / total : null, ok, total });
  const out = new Map<string, CheckUptime>();
  for (const [id, s] of sums) out.set(id, { day: window(s.day), week: window(s.week), month: window(s.month) });
  return out;
}
