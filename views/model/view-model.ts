// The console's view model: every row the panes draw, derived from the configuration, the loaded
// store sections and the view's own choices (filters, the open system or alert) as plain data.
// Pure TypeScript with no React or Ink, so that another face (a web page from `imos serve`) can
// compute the same figures without loading the terminal UI. Each piece is memoised on the identity
// of exactly what it depends on: a key press never re-derives 10,000 alerts, and a store section
// that did not change keeps its rows (and the panes drawn from them are not redrawn).
import { emptyCoreView } from '../../src/store/views.js';
import memoizeOne from 'memoize-one';
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, AuditEntry } from '../../src/model.js';
import { activeAlertRows, sortAlertRows, escalationQueue, findAlert, recentActions, type ActionRow, type AlertRow, type EscalationItem } from './alerts.js';
import type { ConsoleData, PlanSummary } from './data.js';
import { incrementalFilter } from './filter.js';
import { holderLabel } from './header.js';
import { overdueRound } from '../../src/engine/poller-health.js';
import { overview, standupRows, type Overview, type StandupRow } from './overview.js';
import { checkRows, sortSystemRows, systemRows, type CheckRow, type SystemRow } from './systems.js';
import { timelineRows, type PhaseRow } from './timeline.js';
import { incidentRows, type IncidentRow } from './incidents.js';
import { alertRuns, type AlertRunView } from './playbook.js';
import { maintenanceRows, type MaintenanceRow } from './maintenance.js';
import { uptimeRows, type UptimeRow } from './uptime.js';
import { gateRows, type GateRow } from './gates.js';

export interface ViewModel {
  overview: Overview;
  /** Systems and active alerts as filtered by the view. */
  systems: readonly SystemRow[];
  alerts: readonly AlertRow[];
  alertsTotal: number;
  /** Every active alert, unfiltered: the alert center's columns are as wide as these need, so they stay put while a filter is typed. */
  alertsAll: readonly AlertRow[];
  /** The escalation queue as filtered by the view, and how many wait before the filter. */
  escalations: readonly EscalationItem[];
  escalationsTotal: number;
  /** Recent actions as filtered by the view, and how many there are before the filter. */
  actions: readonly ActionRow[];
  actionsTotal: number;
  phases: readonly PhaseRow[];
  /** The quality gates judged from the stored results (none configured: empty). */
  gates: readonly GateRow[];
  plan: PlanSummary | null;
  /** The checks of the system whose detail is open (none when it is closed), as filtered by the view, and how many it has. */
  detailChecks: readonly CheckRow[];
  detailChecksTotal: number;
  standups: { rows: readonly StandupRow[]; missing: readonly string[] };
  /** The alert whose details are open, as stored. */
  alertDetail: Alert | null;
  /** That alert's playbook action runs among the recent audit entries, newest first. */
  alertRuns: readonly AlertRunView[];
  /** Uptime of every check over 24 h / 7 d / 30 d. */
  uptime: readonly UptimeRow[];
  /** Resolved alerts of the last 30 days, newest first. */
  incidents: readonly IncidentRow[];
  /** Maintenance windows holding notifications now, coming, and recurring. */
  maintenance: readonly MaintenanceRow[];
  holder: string;
  /** Nobody is watching: why (no poller has recorded a round for too long), or null. */
  pollerAlarm: string | null;
  lastPollAt: string | null;
  paused: boolean;
  pausedBy: string | null;
  /** The instant the rows were derived at (ages and countdowns). */
  nowMs: number;
}

/** What the viewer chose: the rows depend on it. */
export interface ViewSelection {
  /** Filter text by list ('systems', 'alerts', 'timeline', 'checks': the open system's, 'queue': escalations, 'actions': recent actions). */
  filters: Readonly<Record<string, string>>;
  /** The column each list is sorted by ('alerts': ALERT_SORTS, 'systems': SYSTEM_SORTS), and whether reversed. */
  sorts?: Readonly<Record<string, { by: string; reverse: boolean }>>;
  /** System whose checks are open. */
  detailSystem: string | null;
  /** Alert whose details are open. */
  alertDetail: string | null;
  /** That alert's whole history read from the store (else its runs come from the recent actions in memory). */
  alertHistory?: readonly AuditEntry[] | null;
}

/** What the view model is derived from before the first read of the store. */
export const EMPTY_DATA: ConsoleData = {
  core: emptyCoreView(),
  results: { checks: {}, lastPollAt: null },
  lease: { holder: null },
  audit: [],
  plan: null,
};

const MINUTE = 60_000;
const HOUR = 3_600_000;

export type ViewModelBuilder = (config: ImosConfig, loaded: ConsoleData | null, view: ViewSelection, nowMs: number) => ViewModel;

/** A view model builder with its own memo: one per console (or per page being served). */
export function createViewModel(): ViewModelBuilder {
  const alertRows = memoizeOne(activeAlertRows);
  const sortAlerts = memoizeOne(sortAlertRows);
  const filterAlerts = incrementalFilter<AlertRow>();
  const sortSystems = memoizeOne(sortSystemRows);
  const filterPhases = incrementalFilter<PhaseRow>();
  const allSystemRows = memoizeOne(systemRows);
  const filterSystems = incrementalFilter<SystemRow>();
  const escalations = memoizeOne(escalationQueue);
  const actions = memoizeOne(recentActions);
  const filterActions = incrementalFilter<ActionRow>();
  const filterQueue = incrementalFilter<EscalationItem>();
  const filterChecks = incrementalFilter<CheckRow>();
  const phases = memoizeOne(timelineRows);
  const gates = memoizeOne((config: ImosConfig, results: ConsoleData['results']) => gateRows(config, results));
  // By the minute, rounded up (the sparkline's last point then counts every alert open now): a frame
  // a second does not recount 10,000 alerts; a change of the data still recounts at once.
  const figures = memoizeOne((config: ImosConfig, data: ConsoleData, minute: number) => overview(config, data, minute * MINUTE));
  // Today's standups by the minute: a year of standups is not walked at every tick.
  const standups = memoizeOne((config: ImosConfig, list: ConsoleData['core']['standups'], minute: number) => standupRows(config, list, minute * MINUTE));
  const alertDetail = memoizeOne((alerts: readonly Alert[], id: string | null) => (id ? (findAlert(alerts, id) ?? null) : null));
  const runsOfAlert = memoizeOne((audit: readonly AuditEntry[], id: string | null): readonly AlertRunView[] => (id ? alertRuns(audit, id) : []));
  // Figures by the hour or the minute: a frame a second does not recount 30 days of records.
  const uptime = memoizeOne((config: ImosConfig, results: ConsoleData['results'], hour: number) => uptimeRows(config, results, hour * HOUR));
  const incidents = memoizeOne((alerts: readonly Alert[], log: ConsoleData['incidentLog'], audit: ConsoleData['audit'], minute: number) =>
    incidentRows(alerts, log?.archived ?? [], log?.audit ?? audit, minute * MINUTE),
  );
  const maintenance = memoizeOne((config: ImosConfig, minute: number) => maintenanceRows(config, minute * MINUTE));
  const detailChecks = memoizeOne((config: ImosConfig, results: ConsoleData['results'], system: string | null): readonly CheckRow[] =>
    system ? checkRows(config, results, system) : [],
  );
  const assemble = memoizeOne(
    (
      ov: Overview,
      systems: readonly SystemRow[],
      alerts: readonly AlertRow[],
      alertsTotal: number,
      alertsAll: readonly AlertRow[],
      queue: readonly EscalationItem[],
      queueTotal: number,
      recent: readonly ActionRow[],
      recentTotal: number,
      phaseRows: readonly PhaseRow[],
      gateList: readonly GateRow[],
      plan: PlanSummary | null,
      checks: readonly CheckRow[],
      checksTotal: number,
      today: ViewModel['standups'],
      detail: Alert | null,
      detailRuns: readonly AlertRunView[],
      uptimeRows: readonly UptimeRow[],
      incidentList: readonly IncidentRow[],
      windows: readonly MaintenanceRow[],
      holder: string,
      pollerAlarm: string | null,
      lastPollAt: string | null,
      control: ConsoleData['core']['control'],
      nowMs: number,
    ): ViewModel => ({
      overview: ov,
      systems,
      alerts,
      alertsTotal,
      alertsAll,
      escalations: queue,
      escalationsTotal: queueTotal,
      actions: recent,
      actionsTotal: recentTotal,
      phases: phaseRows,
      gates: gateList,
      plan,
      detailChecks: checks,
      detailChecksTotal: checksTotal,
      standups: today,
      alertDetail: detail,
      alertRuns: detailRuns,
      uptime: uptimeRows,
      incidents: incidentList,
      maintenance: windows,
      holder,
      pollerAlarm,
      lastPollAt,
      paused: control.paused,
      pausedBy: control.pausedBy,
      nowMs,
    }),
  );

  // A store that never had a round is overdue only after the same wait counted from our start.
  let watchingSinceMs: number | null = null;
  return (config, loaded, view, nowMs) => {
    watchingSinceMs ??= nowMs;
    const data = loaded ?? EMPTY_DATA;
    const { core, results, lease, audit, plan } = data;
    const allAlerts = alertRows(core.alerts);
    const sorts = view.sorts ?? {};
    const allActions = actions(audit);
    const queue = escalations(core.alerts);
    const allChecks = detailChecks(config, results, view.detailSystem);
    return assemble(
      figures(config, data, Math.ceil(nowMs / MINUTE)),
      filterSystems(sortSystems(allSystemRows(config, results, core.alerts), sorts.systems?.by ?? '', sorts.systems?.reverse ?? false), view.filters.systems ?? ''),
      filterAlerts(sortAlerts(allAlerts, sorts.alerts?.by ?? '', sorts.alerts?.reverse ?? false), view.filters.alerts ?? ''),
      allAlerts.length,
      allAlerts,
      filterQueue(queue, view.filters.queue ?? ''),
      queue.length,
      filterActions(allActions, view.filters.actions ?? ''),
      allActions.length,
      filterPhases(phases(config, plan, nowMs), view.filters.timeline ?? ''),
      gates(config, results),
      plan,
      filterChecks(allChecks, view.filters.checks ?? ''),
      allChecks.length,
      standups(config, core.standups, Math.floor(nowMs / MINUTE)),
      alertDetail(core.alerts, view.alertDetail),
      runsOfAlert(view.alertHistory ?? audit, view.alertDetail),
      uptime(config, results, Math.floor(nowMs / HOUR)),
      incidents(core.alerts, data.incidentLog, audit, Math.floor(nowMs / MINUTE)),
      maintenance(config, Math.floor(nowMs / MINUTE)),
      loaded ? holderLabel(lease.holder, nowMs) : 'loading…',
      loaded ? overdueRound({ checks: config.checks, lastPollAt: results.lastPollAt, watchingSinceMs, nowMs, paused: core.control.paused }) : null,
      results.lastPollAt,
      core.control,
      nowMs,
    );
  };
}
