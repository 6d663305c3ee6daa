// Maintenance windows: while one covers a system, its alerts still open and update, but nobody is
// paged about them (the alert shows `suppressed: 'maintenance: NAME'`).
import type { ImosConfig, MaintenanceWindow } from '../config/types.js';
import { parseHhMm, parseIsoInZone, wallClock, weekdayIndex } from '../time/zoned.js';

const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

export function windowName(window: MaintenanceWindow, index: number): string {
  return window.name?.trim() || `window ${index + 1}`;
}

/** An empty list or `*` covers every system. */
function coversSystem(window: MaintenanceWindow, system: string): boolean {
  const systems = window.systems ?? [];
  return systems.length === 0 || systems.includes('*') || systems.includes(system);
}

/** Is `nowMs` inside the window (ignoring which systems it covers)? Malformed windows never match. */
export function windowActive(window: MaintenanceWindow, nowMs: number, projectTimeZone: string): boolean {
  const timeZone = window.weekly?.timezone || projectTimeZone || 'UTC';
  if (window.weekly) {
    const from = parseHhMm(window.weekly.from);
    const to = parseHhMm(window.weekly.to);
    if (Number.isNaN(from) || Number.isNaN(to)) return false;
    const w = wallClock(nowMs, timeZone);
    const now = w.weekday * DAY_MINUTES + w.hour * 60 + w.minute;
    for (const dayName of window.weekly.days ?? []) {
      const day = weekdayIndex(dayName);
      if (day < 0) continue;
      const start = day * DAY_MINUTES + from;
      // A window whose end is not after its start runs past midnight into the next day.
      const end = day * DAY_MINUTES + (to > from ? to : to + DAY_MINUTES);
      // Sunday night into Monday morning wraps around the week.
      for (const t of [now, now + WEEK_MINUTES]) if (t >= start && t < end) return true;
    }
    return false;
  }
  if (window.start || window.end) {
    const start = window.start ? parseIsoInZone(window.start, timeZone) : -Infinity;
    const end = window.end ? parseIsoInZone(window.end, timeZone) : Infinity;
    if (Number.isNaN(start) || Number.isNaN(end)) return false;
    return nowMs >= start && nowMs < end;
  }
  return false;
}

/** The name of the first window that holds `system` at `nowMs`, or null. */
export function activeMaintenance(config: ImosConfig, system: string, nowMs: number): string | null {
  const windows = config.maintenance ?? [];
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    if (coversSystem(w, system) && windowActive(w, nowMs, config.timezone)) return windowName(w, i);
  }
  return null;
}
