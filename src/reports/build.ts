// One entry point for the report faces (CLI, console, a future Slack post): read what a report
// needs from the store and the matrix, build it, render it.
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { withHistory } from '../store/views.js';
import { loadPlanOverview, type PlanOverview } from '../plan/overview.js';
import { addDays, mondayOf, startOfDay } from '../time/dates.js';
import { alertsWithArchive } from '../alerts/archive.js';
import { buildDaily, type DailyReport } from './daily.js';
import { buildWeekly, type WeeklyReport } from './weekly.js';
import { dailyMarkdown, weeklyMarkdown } from './markdown.js';
import { planErrorLine } from './today.js';

export type ReportKind = 'daily' | 'weekly';
export type ReportFormat = 'md' | 'json';

export interface BuiltReport {
  report: DailyReport | WeeklyReport;
  /** Why the plan sections are empty, when the matrix could not be read. */
  planError: string | null;
}

export async function buildReport(kind: ReportKind, config: ImosConfig, store: Store, date: string, now: number): Promise<BuiltReport> {
  const [view, resultsView, historyView] = await Promise.all([store.read('core'), store.read('results'), store.read('history')]);
  const results = withHistory(resultsView, historyView);
  const from = kind === 'daily' ? date : mondayOf(date);
  const since = new Date(startOfDay(addDays(from, -1), config.timezone)).toISOString();
  const audit = await store.readAudit({ since });
  // Alerts resolved long ago live in the archive: a report for any past date still sees them.
  const core = { ...view, alerts: await alertsWithArchive(store, view, since) };
  let plan: PlanOverview | null = null;
  let planError: string | null = null;
  if (config.matrix) {
    try {
      plan = await loadPlanOverview(config, core.snapshots, now);
    } catch (err) {
      planError = err instanceof Error ? err.message : String(err);
    }
  } else planError = 'no `matrix:` configured';
  const input = { config, core, results, audit, plan, date, now };
  return { report: kind === 'daily' ? buildDaily(input) : buildWeekly(input), planError };
}

export function renderReport(built: BuiltReport, format: ReportFormat): string {
  const { report, planError } = built;
  if (format === 'json') return JSON.stringify(planError ? { ...report, planError } : report, null, 2) + '\n';
  const md = report.kind === 'daily' ? dailyMarkdown(report) : weeklyMarkdown(report);
  return (planError ? md.replace('\n\n', `\n\n> Plan figures unavailable: ${planErrorLine(planError)}\n\n`) : md).trimEnd() + '\n';
}
