// The maintenance windows of imos.yaml as people read them: which hold notifications now, which
// are coming, and when each applies. Pure: config + now → rows (past one-off windows are left out).
import type { ImosConfig } from '../../src/config/types.js';
import { windowActive, windowName } from '../../src/alerts/maintenance.js';
import { parseIsoInZone } from '../../src/time/zoned.js';
import { sanitizeLine } from '../../src/text/sanitize.js';

export interface MaintenanceRow {
  name: string;
  systems: string[];
  /** "mon, wed, fri 23:00–01:00 Asia/Tokyo" or "2025-02-01T22:00 → 2025-02-02T02:00 Asia/Tokyo". */
  schedule: string;
  /** Holding notifications now. */
  active: boolean;
  /** A one-off window that has not started yet; a weekly one that is not active is 'recurring'. */
  when: 'now' | 'upcoming' | 'recurring';
}

export function maintenanceRows(config: ImosConfig, nowMs: number): MaintenanceRow[] {
  const rows: MaintenanceRow[] = [];
  (config.maintenance ?? []).forEach((w, i) => {
    const zone = w.weekly?.timezone || config.timezone || 'UTC';
    const active = windowActive(w, nowMs, config.timezone);
    const systems = (w.systems ?? []).map((s) => sanitizeLine(s, 40));
    const name = sanitizeLine(windowName(w, i), 60);
    if (w.weekly) {
      const schedule = `${w.weekly.days.join(', ')} ${w.weekly.from}–${w.weekly.to} ${zone}`;
      rows.push({ name, systems, schedule: sanitizeLine(schedule, 120), active, when: active ? 'now' : 'recurring' });
      return;
    }
    const end = w.end ? parseIsoInZone(w.end, zone) : Infinity;
    if (!active && end <= nowMs) return; // over
    const schedule = `${w.start ?? '…'} → ${w.end ?? '…'} ${zone}`;
    rows.push({ name, systems, schedule: sanitizeLine(schedule, 120), active, when: active ? 'now' : 'upcoming' });
  });
  // Active first, then coming, then the recurring ones, each in the configuration's order.
  const rank = { now: 0, upcoming: 1, recurring: 2 } as const;
  return rows.map((r, i) => ({ r, i })).sort((a, b) => rank[a.r.when] - rank[b.r.when] || a.i - b.i).map(({ r }) => r);
}
