// Shared formatting of the console's figures: percentages, compact ages and countdowns, clock
// times and days in the project's timezone, metric values. Pure; used by every pane's rows.
import type { MetricValue } from '../../src/model.js';
import { formatValue } from '../../src/text/values.js';
import { sanitizeLine } from '../../src/text/sanitize.js';

/** Milliseconds of an ISO time (NaN when absent). */
export const msOf = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN);

export function percent(done: number, total: number): number {
  return total > 0 ? Math.round((done / total) * 100) : 0;
}

/** "85% (11/13 tables)" */
export function ratioLabel(done: number, total: number, noun: string): string {
  return `${percent(done, total)}% (${done}/${total} ${noun})`;
}

/** "3m", "2h5m", "4d": a compact age or countdown (the shared duration formatter). */
export { formatDuration as compactDuration } from '../../src/text/durations.js';

// Intl formatters are expensive to build (a fraction of a millisecond each): one per zone and shape.
// The shapes are this module's constants, so they are told apart by identity (a frame formats
// dozens of times: no key is serialised per call).
const formatters = new Map<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();
function formatter(timezone: string, options: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  let ofShape = formatters.get(options);
  if (!ofShape) formatters.set(options, (ofShape = new Map()));
  const key = `${locale}|${timezone}`;
  let f = ofShape.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone });
    } catch {
      f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    }
    ofShape.set(key, f);
  }
  return f;
}

const HM: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
const HMS: Intl.DateTimeFormatOptions = { ...HM, second: '2-digit' };
const YMD: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** "14:05" in the given timezone (UTC for an unknown zone). */
export function clockTime(atMs: number, timezone: string, withSeconds = false): string {
  if (!Number.isFinite(atMs)) return '–';
  return formatter(timezone, withSeconds ? HMS : HM).format(atMs);
}

export const displayValue = (value: MetricValue | undefined): string => formatValue(value, { max: 40 });

/** YYYY-MM-DD of an instant in the project's timezone. */
export function dayIn(atMs: number, timezone: string): string {
  return formatter(timezone, YMD, 'en-CA').format(atMs);
}
