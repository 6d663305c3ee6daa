// Small formatting helpers for check messages.

/** `850 ms`, `10s`, `1.5s`, `5m`, `2h` — short, for one-line messages. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const units: Array<[number, string]> = [
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, suffix] of units) {
    if (ms >= size) {
      const n = ms / size;
      return `${Number.isInteger(n) ? n : Number(n.toFixed(1))}${suffix}`;
    }
  }
  return `${ms} ms`;
}

/** `1 error` / `3 errors`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** `512 B`, `1.5 KiB`, `1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
}
