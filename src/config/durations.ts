// Durations are written `500ms`, `30s`, `10m`, `24h`, `2d` (and combinations like `1h30m`).

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

/** A compact human form: 90_000 → "1m30s", 0 → "0s". */
export function formatDuration(ms: number): string {
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
