// Loading what the console shows from the store, and reloading only the section that changed.
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, AuditEntry } from '../../src/model.js';
import type { CoreData, LeaseData, ResultsData, Store, WatchedName } from '../../src/store/types.js';
import { withHistory } from '../../src/store/views.js';
import { INCIDENT_WINDOW_MS } from './incidents.js';

/** Figures from the integration matrix (src/plan), when a matrix is configured and readable. */
export interface PlanSummary {
  tables: { done: number; total: number };
  systems: { done: number; total: number };
  /** Ready tasks of priority CRITICAL or HIGH. */
  highPriorityTasks: number;
  /** On Track / At Risk / Delayed, with the reason ("62 % done at 80 % of the time"). */
  status: string | null;
  reason: string | null;
  /** Forecast finish date (YYYY-MM-DD) and what it rests on. */
  forecast: string | null;
  forecastBasis: string | null;
  /** Per phase name: percent complete and status. */
  phases: Record<string, { percent: number | null; status: string | null }>;
  /** The phases the plan used: the config's, else the matrix's phases table. */
  phaseList?: Array<{ name: string; start: string; end: string }>;
  /** Ids of the matrix's tables, systems and tasks (for completion on the `:` line). */
  itemIds?: string[];
  /** Ids of its tasks alone. */
  taskIds?: string[];
  /** Matrix problems to show instead of figures. */
  error?: string | null;
}

export interface ConsoleData {
  core: CoreData;
  results: ResultsData;
  lease: LeaseData;
  audit: AuditEntry[];
  plan: PlanSummary | null;
  /** The longer look back the incident history needs (loadIncidentLog); without it, the recent audit. */
  incidentLog?: IncidentLog | null;
}

/** What the incident history reads besides the hot alerts: the archive and the notes of its window. */
export interface IncidentLog {
  since: string;
  archived: readonly Alert[];
  audit: readonly AuditEntry[];
}

/** Alerts archived and audit entries (notes) since the incident window began. */
export async function loadIncidentLog(store: Store, nowMs: number, windowMs = INCIDENT_WINDOW_MS): Promise<IncidentLog> {
  const since = new Date(nowMs - windowMs).toISOString();
  const [archived, audit] = await Promise.all([store.readArchivedAlerts({ since }), store.readAudit({ since })]);
  return { since, archived, audit };
}

/** Recent actions kept in memory for the alert center. */
export const AUDIT_LIMIT = 200;

/** Reads the matrix figures (src/plan) for the overview and timeline; null when there is no matrix. */
export type PlanLoader = (config: ImosConfig, data: Omit<ConsoleData, 'plan'>, nowMs: number) => Promise<PlanSummary | null>;

export async function loadConsoleData(store: Store, config: ImosConfig, nowMs: number, loadPlan?: PlanLoader): Promise<ConsoleData> {
  const [core, results, history, lease, audit] = await Promise.all([
    store.read('core'),
    store.read('results'),
    store.read('history'),
    store.read('lease'),
    store.readAudit({ limit: AUDIT_LIMIT }),
  ]);
  const base = { core, results: withHistory(results, history), lease, audit };
  return { ...base, plan: await safePlan(loadPlan, config, base, nowMs) };
}

/** A new ConsoleData with one section re-read (the others keep their identity, so memos hold). */
export async function reloadSection(
  store: Store,
  config: ImosConfig,
  data: ConsoleData,
  section: WatchedName,
  nowMs: number,
  loadPlan?: PlanLoader,
): Promise<ConsoleData> {
  switch (section) {
    case 'core': {
      const core = await store.read('core');
      const next = { ...data, core };
      // Snapshots and standups feed the plan figures.
      return { ...next, plan: loadPlan ? await safePlan(loadPlan, config, next, nowMs) : data.plan };
    }
    case 'results':
    case 'history': {
      const [results, history] = await Promise.all([store.read('results'), store.read('history')]);
      return { ...data, results: withHistory(results, history) };
    }
    case 'lease':
      return { ...data, lease: await store.read('lease') };
    case 'audit':
      return { ...data, audit: await store.readAudit({ limit: AUDIT_LIMIT }) };
  }
}

async function safePlan(
  loadPlan: PlanLoader | undefined,
  config: ImosConfig,
  data: Omit<ConsoleData, 'plan'>,
  nowMs: number,
): Promise<PlanSummary | null> {
  if (!loadPlan) return null;
  try {
    return await loadPlan(config, data, nowMs);
  } catch (err) {
    return emptyPlanWithError(err instanceof Error ? err.message : String(err));
  }
}

export function emptyPlanWithError(error: string): PlanSummary {
  return {
    tables: { done: 0, total: 0 },
    systems: { done: 0, total: 0 },
    highPriorityTasks: 0,
    status: null,
    reason: null,
    forecast: null,
    forecastBasis: null,
    phases: {},
    error,
  };
}
