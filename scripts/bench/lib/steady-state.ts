// What a month of polling leaves in a store, for the benchmarks that measure the steady state
// (memory, config) without polling for a month.
import { UPTIME_DAYS_KEPT, UPTIME_HOURS_KEPT, uptimeDaysId, uptimeHoursId } from '../../../src/engine/uptime.js';
import type { UptimeSeriesRecord } from '../../../src/store/records.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A check's two uptime records at their bound: its 25 hours and the 29 days before them
 * (src/engine/uptime.ts), `runsPerHour` runs in each hour, all passing or all failing.
 */
export function uptimeAtBound(checkId: string, nowMs: number, runsPerHour: number, passing: boolean): UptimeSeriesRecord[] {
  const newestHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const newestDay = Math.floor((newestHour - UPTIME_HOURS_KEPT * HOUR_MS) / DAY_MS) * DAY_MS;
  const counts = (entries: number, runs: number) => ({ ok: Array<number>(entries).fill(passing ? runs : 0), total: Array<number>(entries).fill(runs) });
  return [
    { id: uptimeHoursId(checkId), checkId, hour: new Date(newestHour).toISOString(), ...counts(UPTIME_HOURS_KEPT, runsPerHour) },
    { id: uptimeDaysId(checkId), checkId, hour: new Date(newestDay).toISOString(), ...counts(UPTIME_DAYS_KEPT, runsPerHour * 24), hours: 24 },
  ];
}
