// The runs and passing runs uptime records hold, whichever shape they have (src/engine/uptime.ts).
import type { UptimeRecord } from '../../src/store/records.js';

export function storedCounts(records: readonly UptimeRecord[]): { ok: number; total: number } {
  const sum = (n: number | number[]) => (Array.isArray(n) ? n.reduce((a, b) => a + b, 0) : n);
  return { ok: records.reduce((n, r) => n + sum(r.ok), 0), total: records.reduce((n, r) => n + sum(r.total), 0) };
}
