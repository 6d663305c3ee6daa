// The timeline's rows: each phase placed on the project's span, with today marked and the plan's
// figures (percent, status) when the matrix gives them.
import type { ImosConfig } from '../../src/config/types.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import type { PlanSummary } from './data.js';
import { msOf as ms } from './format.js';

export interface PhaseRow {
  name: string;
  start: string;
  end: string;
  /** 0…1 of the phase's calendar time gone by. */
  elapsed: number;
  state: 'upcoming' | 'current' | 'finished';
  percent: number | null;
  status: string | null;
  /** Where the phase sits on the whole project's span, 0…1. */
  from: number;
  to: number;
  today: number;
  /** Lower-cased text the filter matches against. */
  search: string;
}

const DAY = 86_400_000;

export function timelineRows(config: ImosConfig, plan: PlanSummary | null, nowMs: number): PhaseRow[] {
  // Phases may come from the matrix's phases table when the config has none (as `imos matrix` reads them).
  const phases = config.phases.length > 0 ? config.phases : (plan?.phaseList ?? []);
  if (phases.length === 0) return [];
  const starts = phases.map((p) => ms(p.start));
  // A phase ends at the end of its last day.
  const ends = phases.map((p) => ms(p.end) + DAY);
  const spanStart = Math.min(...starts);
  const spanEnd = Math.max(...ends);
  const span = Math.max(1, spanEnd - spanStart);
  return phases.map((p, i) => {
    const start = starts[i]!;
    const end = ends[i]!;
    const elapsed = Math.min(1, Math.max(0, (nowMs - start) / Math.max(1, end - start)));
    const fig = plan?.phases[p.name];
    return {
      name: sanitizeLine(p.name, 60),
      start: p.start,
      end: p.end,
      elapsed,
      state: nowMs < start ? 'upcoming' : nowMs >= end ? 'finished' : 'current',
      percent: fig?.percent ?? null,
      status: fig?.status ?? null,
      from: (start - spanStart) / span,
      to: (end - spanStart) / span,
      today: Math.min(1, Math.max(0, (nowMs - spanStart) / span)),
      search: `${p.name} ${fig?.status ?? ''} ${nowMs < start ? 'upcoming' : nowMs >= end ? 'finished' : 'current'}`.toLowerCase(),
    };
  });
}

/** The project's line on the timeline: the plan's status and reason, else what the calendar says. */
export function timelineSummary(plan: PlanSummary | null, fallback: string): string {
  const figures = plan && !plan.error ? plan : null;
  return figures?.status ? `${figures.status}${figures.reason ? ` — ${figures.reason}` : ''}` : fallback;
}

/** The forecast finish with what it rests on; without one, why (too few days, no progress…), as `imos matrix` says. */
export function forecastText(plan: PlanSummary | null): string {
  const figures = plan && !plan.error ? plan : null;
  if (figures?.forecast) return `forecast finish ${figures.forecast}${figures.forecastBasis ? ` (${figures.forecastBasis})` : ''}`;
  return figures?.forecastBasis ?? 'forecast: needs the matrix and a few days of history';
}

/** A phase's figures: percent done (else of the time gone by) and its dates. */
export function phaseFigures(p: PhaseRow): string {
  return `${p.percent !== null ? `${p.percent}% done` : `${Math.round(p.elapsed * 100)}% of time`} · ${p.start.slice(5)}→${p.end.slice(5)}`;
}

/** How a schedule status reads: Delayed is critical, At Risk a warning, On Track (or done) fine, anything else neutral. */
export function timelineTone(status: string | null): 'ok' | 'warn' | 'critical' | 'muted' {
  const s = (status ?? '').toLowerCase();
  if (s.includes('delayed')) return 'critical';
  if (s.includes('risk')) return 'warn';
  if (s.includes('on track') || s.includes('done')) return 'ok';
  return 'muted';
}
