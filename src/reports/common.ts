// What the daily and weekly reports share: the report window in the project's timezone, check runs
// inside a window (from the stored history), alert movements, completion at an instant.
import type { Alert, AuditEntry, CheckStatus, CompletionSnapshot } from '../model.js';
import { worstStatus } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreData, ResultsData } from '../store/types.js';
import { addDays, startOfDay } from '../time/dates.js';
import { snapshotFraction } from '../plan/figures.js';
import { alertBrief, type AlertBrief } from './today.js';
import { responseStats, type ResponseFigures } from '../alerts/metrics.js';

export interface Window {
  /** First and last calendar day (inclusive), project timezone. */
  from: string;
  to: string;
  fromMs: number;
  /** Exclusive end. */
  toMs: number;
}

export function windowOf(from: string, to: string, timeZone: string): Window {
  return { from, to, fromMs: startOfDay(from, timeZone), toMs: startOfDay(addDays(to, 1), timeZone) };
}

export const within = (w: Window, iso: string | null | undefined): boolean => {
  if (!iso) return false;
  const t = Date.parse(iso);
  return t >= w.fromMs && t < w.toMs;
};

export interface CheckRuns {
  id: string;
  system: string;
  kind: string;
  runs: number;
  /** Runs per status in the window. */
  byStatus: Partial<Record<CheckStatus, number>>;
  worst: CheckStatus | null;
  /** The last run in the window. */
  last: { at: string; status: CheckStatus; value: unknown } | null;
}

/** Per check: its runs in the window, from the stored (bounded) history. */
export function checkRuns(config: ImosConfig, results: ResultsData, w: Window): CheckRuns[] {
  const kinds = new Map(config.checks.map((c) => [c.id, c]));
  return Object.entries(results.checks)
    .map(([id, state]) => {
      const points = state.history.filter((p) => within(w, p.at)).sort((a, b) => a.at.localeCompare(b.at));
      const byStatus: Partial<Record<CheckStatus, number>> = {};
      for (const p of points) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
      const last = points[points.length - 1];
      return {
        id,
        system: state.last?.system ?? kinds.get(id)?.system ?? '',
        kind: state.last?.kind ?? kinds.get(id)?.kind ?? '',
        runs: points.length,
        byStatus,
        worst: points.length ? worstStatus(points.map((p) => p.status)) : null,
        last: last ? { at: last.at, status: last.status, value: last.value } : null,
      };
    })
    .sort((a, b) => a.system.localeCompare(b.system) || a.id.localeCompare(b.id));
}

export interface AlertMovements {
  opened: AlertBrief[];
  acknowledged: AlertBrief[];
  escalated: Array<AlertBrief & { level: number; at: string }>;
  resolved: AlertBrief[];
  /** MTTA / MTTR over the alerts opened in the window. */
  response: ResponseFigures;
}

export function alertMovements(config: ImosConfig, alerts: readonly Alert[], audit: AuditEntry[], w: Window): AlertMovements {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const order = (list: readonly Alert[], key: (a: Alert) => string | null) =>
    list.filter((a) => within(w, key(a))).sort((a, b) => (key(a) ?? '').localeCompare(key(b) ?? '') || a.id.localeCompare(b.id, 'en', { numeric: true }));
  return {
    opened: order(alerts, (a) => a.openedAt).map(alertBrief),
    acknowledged: order(alerts, (a) => a.acknowledgedAt).map(alertBrief),
    escalated: audit
      .filter((e) => e.action === 'escalate' && within(w, e.at) && byId.has(e.target))
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e) => ({ ...alertBrief(byId.get(e.target)!), level: Number(e.detail?.level ?? 0), at: e.at })),
    resolved: order(alerts, (a) => a.resolvedAt).map(alertBrief),
    response: responseStats(alerts, config, w.fromMs, w.toMs).overall,
  };
}

/** The last snapshot taken before `ms`, or null. */
export function snapshotBefore(core: Pick<CoreData, 'snapshots'>, ms: number): CompletionSnapshot | null {
  let best: CompletionSnapshot | null = null;
  for (const s of core.snapshots) if (Date.parse(s.at) < ms && (!best || s.at >= best.at)) best = s;
  return best;
}

export interface CompletionFigures {
  at: string | null;
  tables: string;
  systems: string;
  tasks: string;
  /** Overall percent (tables, systems and tasks counted alike). */
  overall: number | null;
}

const pct = (done: number, total: number) => (total ? Math.round((done / total) * 100) : 0);

export function completionFigures(s: CompletionSnapshot | null): CompletionFigures {
  if (!s) return { at: null, tables: '–', systems: '–', tasks: '–', overall: null };
  return {
    at: s.at,
    tables: `${pct(s.tablesDone, s.tablesTotal)}% (${s.tablesDone}/${s.tablesTotal} tables)`,
    systems: `${pct(s.systemsDone, s.systemsTotal)}% (${s.systemsDone}/${s.systemsTotal} systems)`,
    tasks: `${pct(s.tasksDone, s.tasksTotal)}% (${s.tasksDone}/${s.tasksTotal} tasks)`,
    overall: Math.round(snapshotFraction(s) * 100),
  };
}

