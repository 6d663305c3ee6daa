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

const RANK: Record<string, number> = { 'on track': 0, 'at risk': 1, delayed: 2 };

/**
 * The project's status follows from its phases: the worst of them, and the reason says so and
 * which ("2 of 2 phases at risk (Phase 2: 0 % done at 40 % of the time) · 48 % done overall"),
 * so that the line above the phases never contradicts them. Null without phases.
 */
export function statusFromPhases(
  phases: ReadonlyArray<{ name: string; status: string; reason: string }>,
  overallPercent: number | null,
): { status: string; reason: string } | null {
  if (phases.length === 0) return null;
  const rank = (s: string) => RANK[s.toLowerCase()] ?? 0;
  const worst = phases.reduce((w, p) => (rank(p.status) > rank(w.status) ? p : w), phases[0]!);
  const same = phases.filter((p) => rank(p.status) === rank(worst.status));
  const overall = overallPercent === null ? '' : ` · ${overallPercent} % done overall`;
  if (rank(worst.status) === 0) return { status: worst.status, reason: `${phases.length === 1 ? 'its phase is' : `all ${phases.length} phases are`} on track${overall}` };
  const count = phases.length === 1 ? 'its phase is' : `${same.length} of ${phases.length} phases`;
  return { status: worst.status, reason: `${count} ${worst.status.toLowerCase()} (${sanitizeLine(worst.name, 60)}: ${worst.reason})${overall}` };
}

/** What a phase bar's cells mean (console and dashboard draw the same four). */
export const TIMELINE_LEGEND = '█ done  ▒ time gone, not done  ░ to come  │ today';

/**
 * A phase's bar on the project's span, 0…1: where the phase sits, how far it is done (the share
 * of its span that its percent done covers; nothing at 0 %) and how far its time has gone.
 * Without figures from the matrix nothing counts as done.
 */
export function phaseBarSegments(p: PhaseRow): { from: number; to: number; doneTo: number; elapsedTo: number; today: number } {
  const length = p.to - p.from;
  const done = p.percent === null ? 0 : Math.min(1, Math.max(0, p.percent / 100));
  return { from: p.from, to: p.to, doneTo: p.from + length * done, elapsedTo: p.from + length * p.elapsed, today: p.today };
}
