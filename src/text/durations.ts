// Durations: read as people write them in imos.yaml and on the command line (`500ms`, `30s`,
// `10m`, `24h`, `2d`, combinations like `1h30m`), and written in the few styles imos shows them in.
// The one place for both: a leaf shared by the check kinds, the engine, the faces.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;
// Typed by hand at a prompt (`:snooze A4 1h 30m`): any case, spaces between the parts, seconds up.
const TYPED = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*/;

export interface DurationReading {
  /** Typed by a person at a prompt: any case, spaces around the parts, no milliseconds. */
  typed?: boolean;
}

/** Milliseconds of a duration text, or null when it is not one. */
export function parseDuration(text: string, { typed = false }: DurationReading = {}): number | null {
  let rest = typed ? text.trim().toLowerCase() : text.trim();
  if (rest === '') return null;
  let total = 0;
  while (rest.length > 0) {
    const m = (typed ? TYPED : DURATION).exec(rest);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * How a span of time is written, by what the reader needs:
 * - `compact`: "42s", "12m", "3h5m", "2d4h" — ages and countdowns in lists (to the second below a
 *   minute, then the two largest units; "-5m" when negative, "–" when unknown).
 * - `spaced`: "42s", "12m", "3h 5m", "2d 4h" — the same inside a sentence (Slack, email).
 * - `minutes`: "0m", "12m", "3h5m" — spans in reports, to the nearest minute.
 * - `exact`: "500ms", "1m30s", "1d5m" — a configured duration, its two largest units.
 * - `measured`: "850 ms", "1.5s", "5m" — a measurement in a check's message.
 * - `words`: "45 s", "12 min", "1 h 5 min" — spans in notices people read.
 * - `elapsed`: "2.4s", "42s", "7m 3s", "3h 5m", "2d 4h" — a lag or an age a check measured.
 * - `seconds`: "500ms", "1.5s", "90s" — a timeout in an error message.
 * - `largest`: "20m", "5h", "3d" — how long something has waited, in its largest whole unit.
 * - `hours`: "20m", "5h", "2d4h" — how long an alert has been open, in days and hours (minutes
 *   only under an hour).
 * - `ago`: "just now", "42s ago", "3m ago", "2h ago", "4d ago" — when something happened, in
 *   the CLI's tables.
 */
export type DurationStyle = 'compact' | 'spaced' | 'minutes' | 'exact' | 'measured' | 'words' | 'elapsed' | 'seconds' | 'largest' | 'hours' | 'ago';

export function formatDuration(ms: number | null, style: DurationStyle = 'compact'): string {
  if (ms === null) return '–';
  switch (style) {
    case 'compact':
    case 'spaced':
      return ageText(ms, style === 'spaced' ? ' ' : '');
    case 'minutes':
      return minutesText(ms);
    case 'exact':
      return exactText(ms);
    case 'measured':
      return measuredText(ms);
    case 'words':
      return wordsText(ms);
    case 'elapsed':
      return elapsedText(ms);
    case 'seconds':
      return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms)}ms`;
    case 'largest':
      return ms >= 86_400_000 ? `${Math.floor(ms / 86_400_000)}d` : ms >= 3_600_000 ? `${Math.floor(ms / 3_600_000)}h` : `${Math.max(0, Math.floor(ms / 60_000))}m`;
    case 'hours':
      return hoursText(ms);
    case 'ago':
      return agoText(ms);
  }
}

/** Whole `unit`s as the two largest of m/h/d: "12m", "3h5m", "2d", "2d4h". */
function largestTwo(minutes: number, separator: string): string {
  if (minutes < 60) return `${minutes}m`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 ? `${h}h${separator}${minutes % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${separator}${h % 24}h` : `${d}d`;
}

function ageText(ms: number, separator: string): string {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.floor(Math.abs(ms) / 1000);
  const text = s < 60 ? `${s}s` : largestTwo(Math.floor(s / 60), separator);
  return ms <= -1000 ? `-${text}` : text;
}

function minutesText(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return largestTwo(Math.round(ms / 60_000), '');
}

function exactText(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const negative = ms < 0;
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return ms !== 0 && Math.abs(ms) < 1000 ? `${Math.round(Math.abs(ms))}ms` : '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return (negative ? '-' : '') + parts.join('');
}

function measuredText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  for (const [size, suffix] of [
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ] as const) {
    if (ms >= size) {
      const n = ms / size;
      return `${Number.isInteger(n) ? n : Number(n.toFixed(1))}${suffix}`;
    }
  }
  return `${ms} ms`;
}

function wordsText(ms: number): string {
  // Under a minute in seconds: escalation steps may be seconds apart.
  if (ms < 59_500) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

function elapsedText(ms: number): string {
  const seconds = ms / 1000;
  if (!Number.isFinite(seconds)) return String(seconds);
  const s = Math.max(0, seconds);
  if (s < 10) return `${Math.round(s * 10) / 10}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)}m ${total % 60}s`;
  if (total < 86_400) return `${Math.floor(total / 3600)}h ${Math.floor((total % 3600) / 60)}m`;
  return `${Math.floor(total / 86_400)}d ${Math.floor((total % 86_400) / 3600)}h`;
}

function hoursText(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  // Under an hour in minutes: "open 0h" said nothing about an alert opened 20 minutes ago.
  if (h === 0) return `${Math.max(0, Math.floor(ms / 60_000))}m`;
  return h >= 24 ? `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}` : `${h}h`;
}

function agoText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
