// Uptime per check over 24 h, 7 d and 30 d, from the counts the poller keeps in the
// results section (src/engine/uptime.ts). Pure: config + records + now → rows.
import type { ImosConfig } from '../../src/config/types.js';
import type { CheckStatus } from '../../src/model.js';
import { uptimeByCheck, type UptimeWindow } from '../../src/engine/uptime.js';
import type { ResultsData } from '../../src/store/types.js';
import { sanitizeLine } from '../../src/text/sanitize.js';

export interface UptimeRow {
  checkId: string;
  name: string;
  system: string;
  status: CheckStatus;
  day: UptimeWindow;
  week: UptimeWindow;
  month: UptimeWindow;
}

const UNKNOWN: UptimeWindow = { ratio: null, ok: 0, total: 0 };

/** One row per configured check, in the configuration's order (unknown windows where it never ran). */
export function uptimeRows(config: ImosConfig, results: ResultsData, nowMs: number): UptimeRow[] {
  const figures = uptimeByCheck(results.uptime ?? [], nowMs);
  return config.checks.map((c) => {
    const f = figures.get(c.id);
    return {
      checkId: c.id,
      name: sanitizeLine(c.name ?? c.id, 60),
      system: c.system,
      status: results.checks[c.id]?.status ?? 'pending',
      day: f?.day ?? UNKNOWN,
      week: f?.week ?? UNKNOWN,
      month: f?.month ?? UNKNOWN,
    };
  });
}

/** "99.95%", "100%", "–" (no runs): as many decimals as tell a near miss from a full score. */
export function uptimeLabel(window: UptimeWindow): string {
  if (window.ratio === null) return '–';
  const pct = window.ratio * 100;
  if (pct === 100 || pct === 0) return `${pct}%`;
  const text = pct >= 99 ? pct.toFixed(2) : pct.toFixed(1);
  // Never round a miss up to a full score.
  return `${text === '100.00' ? '99.99' : text}%`;
}
