// Wall-clock arithmetic in an IANA timezone with Intl only (no timezone database of our own):
// what a maintenance window or a bare "2026-01-05T10:00" means to the people who wrote it.

export interface WallClock {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a valid IANA timezone. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`unknown timezone '${timeZone}'`);
  }
}

export function wallClock(ms: number, timeZone: string): WallClock {
  // UTC (the default zone) needs no zone rules: the first formatter with a zone loads ICU's zone
  // data (40–110 ms of a command here), and a Date's UTC fields say the same.
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    const year = d.getUTCFullYear();
    if (year >= 1 && year <= 9999) {
      return { weekday: (d.getUTCDay() + 6) % 7, year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
    }
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS.indexOf(parts.weekday!.slice(0, 3).toLowerCase()),
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Day name (mon, Monday, MON…) → 0..6, or -1. */
export function weekdayIndex(name: string): number {
  return WEEKDAYS.indexOf(name.trim().slice(0, 3).toLowerCase());
}

/** UTC milliseconds of a wall-clock time in `timeZone` (the earlier one when a DST change repeats it). */
export function zonedToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two rounds of "what does the zone show at this guess" settle the offset, DST included.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    guess += asUtc - shown;
  }
  return guess;
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO time as milliseconds. With an offset or Z it is absolute; without one it is wall-clock time
 * in `timeZone`. NaN when it is not a time.
 */
export function parseIsoInZone(text: string, timeZone: string): number {
  const t = text.trim();
  // 2026-11-31 or 25:30 would roll over to another day: not a time.
  const fields = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(t);
  if (fields && !realFields(fields)) return Number.NaN;
  if (HAS_OFFSET.test(t)) return Date.parse(t);
  const m = ISO_LOCAL.exec(t);
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return zonedToUtc(+y!, +mo!, +d!, +h, +mi, +s, timeZone);
}

function realFields([, y, mo, d, h = '0', mi = '0', s = '0']: RegExpExecArray): boolean {
  const daysInMonth = new Date(Date.UTC(+y!, +mo!, 0)).getUTCDate();
  return +mo! >= 1 && +mo! <= 12 && +d! >= 1 && +d! <= daysInMonth && +h <= 23 && +mi <= 59 && +s <= 59;
}

/** "HH:MM" → minutes since midnight, or NaN. */
export function parseHhMm(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 24 || mi > 59 || (h === 24 && mi > 0)) return Number.NaN;
  return h * 60 + mi;
}

/** "YYYY-MM-DD HH:MM" of an instant in `timeZone`, for messages people read (never the stored ISO). */
export function localStamp(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}
