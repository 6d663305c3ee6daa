// The manager's morning (`imos today` and the console's view of it): what happened since the last
// working day, CRITICAL / HIGH alerts waiting for a human, blockers, missing standups, dependency
// issues, and today's priorities (ready tasks by priority, then what waits on them).
// Pure: config + store data + plan + now → report.
import type { Alert, AuditEntry } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreData } from '../store/types.js';
import { sortAlerts } from '../alerts/present.js';
import { addDays, localDate, startOfDay, weekdayOf } from '../time/dates.js';
import { dependencyIssues, missingStandups, openBlockers, type DependencyIssue, type MissingStandup, type OpenBlocker } from '../plan/blockers.js';
import { planSettings } from '../config/plan-settings.js';
import type { PlanOverview } from '../plan/overview.js';
import type { TaskView } from '../plan/figures.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { formatDuration } from '../text/durations.js';

export interface AlertBrief {
  id: string;
  severity: Alert['severity'];
  state: Alert['state'];
  system: string;
  type: string;
  message: string;
  openedAt: string;
  acknowledgedBy: string | null;
  escalationLevel: number;
}

export const alertBrief = (a: Alert): AlertBrief => ({
  id: a.id,
  severity: a.severity,
  state: a.state,
  system: a.system,
  type: a.type,
  message: sanitizeLine(a.message, 300),
  openedAt: a.openedAt,
  acknowledgedBy: a.acknowledgedBy,
  escalationLevel: a.escalationLevel,
});

/**
 * A plan error on one line, with its first located problem: "M.md: 1 problem(s) in the matrix" alone
 * sent the manager to `imos matrix` to learn what and where.
 */
export function planErrorLine(message: string): string {
  const [head = '', first] = message.split('\n');
  return first ? `${head}; first: ${first}` : head;
}

export interface TodayReport {
  project: string;
  date: string;
  /** Start of the last working day before today (ISO): the overnight window starts here. */
  since: string;
  sinceDate: string;
  overnight: {
    opened: AlertBrief[];
    escalated: Array<AlertBrief & { level: number; at: string }>;
    acknowledged: AlertBrief[];
    resolved: AlertBrief[];
    matrixChanges: Array<{ at: string; actor: string; item: string; from: unknown; to: unknown }>;
    standups: number;
  };
  /** CRITICAL and HIGH alerts nobody has acknowledged yet, worst and oldest first. */
  waiting: AlertBrief[];
  blockers: OpenBlocker[];
  missingStandups: MissingStandup[];
  dependencyIssues: DependencyIssue[];
  /** Ready tasks in work order. */
  priorities: TaskView[];
  inProgress: TaskView[];
  /** Every active alert, worst first. */
  openAlerts: AlertBrief[];
  plan: { tables: string; systems: string; status: string | null; reason: string | null; forecast: string | null } | null;
  /** Why there is no plan section (no matrix configured, or it does not parse). */
  planError: string | null;
}

/** The last working day strictly before `today` (project working days), at most a week back. */
export function lastWorkingDay(today: string, workingDays: readonly string[]): string {
  for (let i = 1; i <= 7; i++) {
    const d = addDays(today, -i);
    if (workingDays.includes(weekdayOf(d))) return d;
  }
  return addDays(today, -1);
}

export interface TodayInput {
  config: ImosConfig;
  core: CoreData;
  /** Audit entries since the window start (at least). */
  audit: AuditEntry[];
  plan: PlanOverview | null;
  planError?: string | null;
  now: number;
}

export function buildToday({ config, core, audit, plan, planError = null, now }: TodayInput): TodayReport {
  const settings = planSettings(config);
  const date = localDate(now, config.timezone);
  const sinceDate = lastWorkingDay(date, settings.workingDays);
  const sinceMs = startOfDay(sinceDate, config.timezone);
  const inWindow = (iso: string | null | undefined): boolean => Boolean(iso) && Date.parse(iso!) >= sinceMs && Date.parse(iso!) <= now;
  const byId = new Map(core.alerts.map((a) => [a.id, a]));
  const sorted = sortAlerts(core.alerts);
  const escalated = audit
    .filter((e) => e.action === 'escalate' && inWindow(e.at) && byId.has(e.target))
    .map((e) => ({ ...alertBrief(byId.get(e.target)!), level: Number(e.detail?.level ?? 0), at: e.at }));
  const matrixChanges = audit
    .filter((e) => e.action === 'matrix-set' && inWindow(e.at))
    .map((e) => ({ at: e.at, actor: e.actor, item: e.target, from: e.detail?.from ?? null, to: e.detail?.to ?? null }));
  const active = sorted.filter((a) => a.state !== 'resolved');
  return {
    project: config.project,
    date,
    since: new Date(sinceMs).toISOString(),
    sinceDate,
    overnight: {
      opened: sorted.filter((a) => inWindow(a.openedAt)).map(alertBrief),
      escalated,
      acknowledged: sorted.filter((a) => inWindow(a.acknowledgedAt)).map(alertBrief),
      resolved: sorted.filter((a) => inWindow(a.resolvedAt)).map(alertBrief),
      matrixChanges,
      standups: core.standups.filter((s) => inWindow(s.at)).length,
    },
    waiting: active.filter((a) => a.state === 'open' && (a.severity === 'CRITICAL' || a.severity === 'HIGH')).map(alertBrief),
    blockers: openBlockers(core, now),
    missingStandups: missingStandups(config, core, now),
    dependencyIssues: dependencyIssues(config, core, plan?.loaded.matrix ?? null, now),
    priorities: plan?.figures.ready ?? [],
    inProgress: plan?.figures.inProgress ?? [],
    openAlerts: active.map(alertBrief),
    plan: plan
      ? {
          tables: plan.figures.tables.label,
          systems: plan.figures.systems.label,
          status: plan.timeline.project?.status ?? null,
          reason: plan.timeline.project?.reason ?? null,
          forecast: plan.timeline.project ? (plan.timeline.project.forecast.finish ?? null) : null,
        }
      : null,
    planError: plan ? null : planError,
  };
}


/** Plain text for people (80 columns friendly: one item per line). */
export function formatToday(r: TodayReport, now: number): string {
  const out: string[] = [`${r.project} — today ${r.date} (since ${r.sinceDate})`];
  if (r.plan) {
    out.push(`Plan: tables ${r.plan.tables} · systems ${r.plan.systems}${r.plan.status ? ` · ${r.plan.status} (${r.plan.reason})` : ''}${r.plan.forecast ? ` · forecast ${r.plan.forecast}` : ''}`);
  } else if (r.planError) out.push(`Plan: unavailable — ${planErrorLine(r.planError)}`);
  const o = r.overnight;
  out.push(
    '',
    `Since ${r.sinceDate}: ${o.opened.length} opened, ${o.escalated.length} escalated, ${o.acknowledged.length} acknowledged, ${o.resolved.length} resolved; ${o.standups} standup(s), ${o.matrixChanges.length} matrix change(s)`,
  );
  for (const a of o.opened) out.push(`  opened    ${a.id} ${a.severity} ${a.system}: ${a.message}`);
  for (const a of o.escalated) out.push(`  escalated ${a.id} to level ${a.level} (${a.system})`);
  for (const a of o.resolved) out.push(`  resolved  ${a.id} ${a.severity} ${a.system}: ${a.message}`);
  for (const m of o.matrixChanges) out.push(`  matrix    ${m.item}: ${String(m.from)} → ${String(m.to)} by ${m.actor}`);
  out.push('', r.waiting.length ? `Waiting for a human (${r.waiting.length}):` : 'Waiting for a human: none');
  for (const a of r.waiting) out.push(`  ${a.id} ${a.severity} ${a.system} open ${formatDuration(now - Date.parse(a.openedAt), 'hours')}: ${a.message}`);
  if (r.blockers.length) {
    out.push('', `Blockers (${r.blockers.length}):`);
    for (const b of r.blockers) out.push(`  ${b.id} ${b.system} ${formatDuration(b.ageMs, 'hours')}${b.waitsOn ? ` waits on ${b.waitsOn.kind} ${b.waitsOn.id}` : ''}: ${b.text}`);
  }
  if (r.missingStandups.length) out.push('', `Missing standups: ${r.missingStandups.map((m) => `${m.system}${m.leader ? ` (${m.leader})` : ''}`).join(', ')}`);
  if (r.dependencyIssues.length) {
    out.push('', 'Dependency issues:');
    for (const d of r.dependencyIssues) out.push(`  ${d.system} ← ${d.dependsOn}: ${d.reason}`);
  }
  out.push('', r.priorities.length ? "Today's priorities (ready tasks):" : "Today's priorities: no task is ready");
  r.priorities.forEach((t, i) => out.push(`  ${i + 1}. ${t.id} ${t.priority} ${t.system}${t.assignee ? ` @${t.assignee}` : ''}: ${t.title}${t.depth ? ` (unblocks ${t.depth} step${t.depth > 1 ? 's' : ''})` : ''}`));
  if (r.inProgress.length) out.push(`  in progress: ${r.inProgress.map((t) => `${t.id} ${t.priority}`).join(', ')}`);
  const others = r.openAlerts.filter((a) => !r.waiting.some((w) => w.id === a.id));
  if (others.length) {
    out.push('', `Other open alerts (${others.length}):`);
    for (const a of others) out.push(`  ${a.id} ${a.severity} ${a.state} ${a.system}: ${a.message}`);
  }
  // Every line quotes stored text (blockers, notes, actors): none may reach the terminal raw.
  return sanitizeText(out.join('\n'));
}
