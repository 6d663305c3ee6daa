// Durations: read as people write them in imos.yaml and on the command line (`500ms`, `30s`,
// `10m`, `24h`, `2d`, combinations like `1h30m`), and written in the few styles imos shows them in.
// The one place for both: a leaf shared by the check kinds, the engine, the faces.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;

/** Milliseconds of a duration text, or null when it is not one. */
export function parseDuration(text: string): number | null {
  let rest = text.trim();
  if (rest === '') return null;
  let total = 0;
  while (rest.length > 0) {
    const m = DURATION.exec(rest);
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
 */
export type DurationStyle = 'compact' | 'spaced' | 'minutes' | 'exact' | 'measured' | 'words';

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
