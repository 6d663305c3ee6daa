// Uptime per check, kept as hourly aggregates in the results section: one record per check and
// hour (`<check>@<hour>`, docs/CONTRACT.md "Store layout") counting the runs and the passing ones,
// so 24 h / 7 d / 30 d figures cost at most 720 small records a check, whatever its interval.
// A run counts as passing when its own status (before the consecutive-run thresholds) is `ok`.
import type { CheckResult } from '../model.js';
import type { UptimeRecord } from '../store/records.js';
import type { Tx } from '../store/tx.js';

const HOUR_MS = 3_600_000;
/** Hours kept per check: 30 days and the hour under way, plus one so a 30-day window is always whole. */
export const UPTIME_KEEP_HOURS = 30 * 24 + 2;

/** The start of the UTC hour an instant falls in, as an ISO time. */
export function hourOf(atMs: number): string {
  return new Date(Math.floor(atMs / HOUR_MS) * HOUR_MS).toISOString();
}

export function uptimeId(checkId: string, hour: string): string {
  return `${checkId}@${hour}`;
}

/**
 * Count fresh runs into their hour's record, inside the results transaction that stores them.
 * When a check starts a new hour, its records older than the kept span are deleted: in one scan
 * over the collection for all such checks of the batch (a scan per check made a first run of
 * 10,000 checks quadratic).
 */
export function countRuns(tx: Tx, runs: readonly CheckResult[]): void {
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
  pruneUptime(tx, newHour);
}

/** Delete the hourly records older than the kept span of the checks given (check id → now). */
function pruneUptime(tx: Tx, nowByCheck: ReadonlyMap<string, number>): void {
  if (nowByCheck.size === 0) return;
  const oldest = new Map([...nowByCheck].map(([checkId, nowMs]) => [checkId, hourOf(nowMs - (UPTIME_KEEP_HOURS - 1) * HOUR_MS)]));
  const stale: string[] = [];
  for (const record of tx.iterate('uptime')) {
    const limit = oldest.get(record.checkId);
    if (limit !== undefined && record.hour < limit) stale.push(record.id);
  }
  for (const id of stale) tx.delete('uptime', id);
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

/** 24 h / 7 d / 30 d per check, counting the hour under way and the ones before it. */
export function uptimeByCheck(records: readonly UptimeRecord[], nowMs: number): Map<string, CheckUptime> {
  const current = Date.parse(hourOf(nowMs));
  const since = (hours: number) => new Date(current - (hours - 1) * HOUR_MS).toISOString();
  const bounds = { day: since(24), week: since(24 * 7), month: since(24 * 30) };
  const sums = new Map<string, Record<keyof CheckUptime, { ok: number; total: number }>>();
  for (const r of records) {
    let sum = sums.get(r.checkId);
    if (!sum) sums.set(r.checkId, (sum = { day: { ok: 0, total: 0 }, week: { ok: 0, total: 0 }, month: { ok: 0, total: 0 } }));
    for (const key of ['day', 'week', 'month'] as const) {
      if (r.hour < bounds[key]) continue;
      sum[key].ok += r.ok;
      sum[key].total += r.total;
    }
  }
  const window = ({ ok, total }: { ok: number; total: number }): UptimeWindow => ({ ratio: total > 0 ? ok / total : null, ok, total });
  const out = new Map<string, CheckUptime>();
  for (const [id, s] of sums) out.set(id, { day: window(s.day), week: window(s.week), month: window(s.month) });
  return out;
}
