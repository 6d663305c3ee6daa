// The weekly report: completion trend and the matrix changes of the week, phase status and
// forecast, MEDIUM alerts collected (the severity policy sends them here), the configured quality
// gates (`gates:`, judged as they stood at the week's end), risks,
// next week's priorities. Built from the store and the matrix alone.
import { evaluateGates, runsBefore, type GateResult } from '../gates/evaluate.js';
import type { ImosConfig } from '../config/types.js';
import type { ResultsData } from '../store/types.js';
import { addDays, mondayOf } from '../time/dates.js';
import { blockersOpenAt, dependencyIssues } from '../plan/blockers.js';
import type { TaskView } from '../plan/figures.js';
import { planSettings } from '../config/plan-settings.js';
import { formatDuration } from '../text/durations.js';
import { resolvePhases, timeline, type TimelineReport } from '../plan/timeline.js';
import {
  alertMovements,
  completionFigures,
  snapshotBefore,
  windowOf,
  within,
  type AlertMovements,
  type CompletionFigures,
  type Window,
} from './common.js';
import { alertBrief, type AlertBrief } from './today.js';
import type { ReportInput } from './daily.js';

export interface WeeklyReport {
  kind: 'weekly';
  project: string;
  timezone: string;
  week: { from: string; to: string };
  completion: { days: Array<{ date: string } & CompletionFigures>; start: CompletionFigures; end: CompletionFigures; change: number | null };
  matrixChanges: Array<{ at: string; actor: string; item: string; from: unknown; to: unknown }>;
  timeline: TimelineReport | null;
  alerts: AlertMovements;
  mediumAlerts: AlertBrief[];
  qualityGates: GateResult[];
  risks: string[];
  nextWeek: { from: string; to: string; ready: TaskView[]; due: Array<{ id: string; title: string; due: string; priority: string; status: string }> };
}

/** The configured quality gates as they stood at `ms` (the week's end, or now). */
export function qualityGates(config: ImosConfig, results: ResultsData, ms: number): GateResult[] {
  return evaluateGates(config.gates, runsBefore(results, ms));
}

export function buildWeekly({ config, core, results, audit, plan, date, now }: ReportInput): WeeklyReport {
  const from = mondayOf(date);
  const to = addDays(from, 6);
  const w: Window = windowOf(from, to, config.timezone);
  const end = Math.min(w.toMs, now);
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i))
    .map((d) => ({ date: d, ms: windowOf(d, d, config.timezone).toMs }))
    .filter((d) => d.ms - 86_400_000 <= now)
    .map((d) => ({ date: d.date, ...completionFigures(snapshotBefore(core, Math.min(d.ms, now + 1))) }));
  const start = completionFigures(snapshotBefore(core, w.fromMs));
  const finish = completionFigures(snapshotBefore(core, end + 1));
  const phases = plan ? resolvePhases(config.phases, plan.loaded.matrix) : [];
  const tl = plan ? timeline(phases, plan.loaded.matrix, core.snapshots.filter((s) => Date.parse(s.at) <= end), end, planSettings(config), config.timezone) : null;
  const mediumAlerts = core.alerts
    .filter((a) => a.severity === 'MEDIUM' && (within(w, a.openedAt) || (Date.parse(a.openedAt) < w.fromMs && (!a.resolvedAt || Date.parse(a.resolvedAt) >= w.fromMs))))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
    .map(alertBrief);
  const gates = qualityGates(config, results, end + 1);
  const blockers = blockersOpenAt(core, end);
  const risks: string[] = [];
  for (const p of tl?.phases ?? []) if (p.status !== 'On Track') risks.push(`${p.name}: ${p.status} — ${p.reason}`);
  if (tl?.project?.forecast.late) risks.push(`forecast finish ${tl.project.forecast.finish} is after the planned end ${tl.project.end}`);
  for (const b of blockers) if (b.ageMs >= 86_400_000) risks.push(`blocker ${b.id} (${b.system}) open ${formatDuration(b.ageMs, 'largest')}: ${b.text}`);
  for (const a of core.alerts)
    if (a.severity === 'CRITICAL' && Date.parse(a.openedAt) < end && (!a.resolvedAt || Date.parse(a.resolvedAt) >= end))
      risks.push(`CRITICAL alert ${a.id} (${a.system}) unresolved: ${alertBrief(a).message}`);
  for (const g of gates) if (g.status === 'fail') risks.push(`${g.level} gate "${g.name}" fails (${g.target})`);
  for (const d of dependencyIssues(config, { standups: core.standups.filter((s) => Date.parse(s.at) < end) }, plan?.loaded.matrix ?? null, end))
    risks.push(`${d.system} ← ${d.dependsOn}: ${d.reason}`);
  const nextFrom = addDays(to, 1);
  const nextTo = addDays(nextFrom, 6);
  return {
    kind: 'weekly',
    project: config.project,
    timezone: config.timezone,
    week: { from, to },
    completion: { days, start, end: finish, change: start.overall !== null && finish.overall !== null ? finish.overall - start.overall : null },
    matrixChanges: audit
      .filter((e) => e.action === 'matrix-set' && within(w, e.at))
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e) => ({ at: e.at, actor: e.actor, item: e.target, from: e.detail?.from ?? null, to: e.detail?.to ?? null })),
    timeline: tl,
    alerts: alertMovements(config, core.alerts, audit, w),
    mediumAlerts,
    qualityGates: gates,
    risks,
    nextWeek: {
      from: nextFrom,
      to: nextTo,
      ready: plan?.figures.ready ?? [],
      due: (plan?.loaded.matrix.tasks ?? [])
        .filter((t) => t.status !== 'done' && t.due !== null && t.due <= nextTo)
        .sort((a, b) => (a.due ?? '').localeCompare(b.due ?? '') || a.id.localeCompare(b.id, 'en', { numeric: true }))
        .map((t) => ({ id: t.id, title: t.title, due: t.due!, priority: t.priority ?? 'MEDIUM', status: t.status })),
    },
  };
}
