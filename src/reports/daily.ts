// The daily report: checks run and their results, alert movements with MTTA / MTTR, standups per
// system and missing ones, blockers open at the end of the day, completion change, priorities.
// Built from the store and the matrix alone, so any past day can be regenerated.
import type { AuditEntry, Standup } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreData, ResultsData } from '../store/types.js';
import { blockersOpenAt, missingOn, dependencyIssues, type DependencyIssue, type OpenBlocker } from '../plan/blockers.js';
import { snapshotOf, type TaskView } from '../plan/figures.js';
import type { PlanOverview } from '../plan/overview.js';
import { standupsOn } from '../plan/standups.js';
import { actionRuns, type ActionRunRecord } from '../playbooks/records.js';
import {
  alertMovements,
  checkRuns,
  completionFigures,
  snapshotBefore,
  windowOf,
  type AlertMovements,
  type CheckRuns,
  type CompletionFigures,
} from './common.js';

export interface DailyReport {
  kind: 'daily';
  project: string;
  date: string;
  timezone: string;
  window: { from: string; to: string };
  checks: { total: number; runs: number; failing: string[]; list: CheckRuns[] };
  alerts: AlertMovements;
  standups: Array<Pick<Standup, 'system' | 'author' | 'at' | 'done' | 'next'> & { blockers: string[]; edits: number }>;
  missingStandups: string[];
  blockers: OpenBlocker[];
  dependencyIssues: DependencyIssue[];
  completion: { start: CompletionFigures; end: CompletionFigures; change: number | null };
  priorities: TaskView[];
  /** Playbook actions run this day (who, when, command, exit code, duration, output tail). */
  actions: ActionRunRecord[];
}

export interface ReportInput {
  config: ImosConfig;
  core: CoreData;
  results: ResultsData;
  audit: AuditEntry[];
  plan: PlanOverview | null;
  /** A calendar day (project timezone). */
  date: string;
  now: number;
}

export function buildDaily({ config, core, results, audit, plan, date, now }: ReportInput): DailyReport {
  const w = windowOf(date, date, config.timezone);
  const end = Math.min(w.toMs, now);
  const list = checkRuns(config, results, w);
  const startSnap = snapshotBefore(core, w.fromMs);
  // The day still running ends at the matrix as it is now; a past day at its last snapshot.
  const endSnap = now < w.toMs && plan ? snapshotOf(plan.loaded.matrix, new Date(now).toISOString()) : snapshotBefore(core, w.toMs);
  const start = completionFigures(startSnap);
  const finish = completionFigures(endSnap);
  return {
    kind: 'daily',
    project: config.project,
    date,
    timezone: config.timezone,
    window: { from: new Date(w.fromMs).toISOString(), to: new Date(w.toMs).toISOString() },
    checks: {
      total: list.length,
      runs: list.reduce((s, c) => s + c.runs, 0),
      failing: list.filter((c) => c.worst !== null && c.worst !== 'ok' && c.worst !== 'pending').map((c) => c.id),
      list,
    },
    alerts: alertMovements(config, core.alerts, audit, w),
    standups: standupsOn(core, date).map((s) => ({
      system: s.system,
      author: s.author,
      at: s.at,
      done: s.done,
      next: s.next,
      blockers: s.blockers.map((b) => b.id),
      edits: s.history.length,
    })),
    missingStandups: missingOn(config, core, date).map((m) => m.system),
    blockers: blockersOpenAt(core, end),
    dependencyIssues: dependencyIssues(config, { standups: core.standups.filter((s) => Date.parse(s.at) < end) }, plan?.loaded.matrix ?? null, end),
    completion: {
      start,
      end: finish,
      change: start.overall !== null && finish.overall !== null ? finish.overall - start.overall : null,
    },
    priorities: plan?.figures.ready ?? [],
    actions: actionRuns(audit, { fromMs: w.fromMs, toMs: w.toMs }),
  };
}
