// The console's view model: every row the panes draw, derived from the configuration, the loaded
// store sections and the view's own choices (filters, the open system or alert) as plain data.
// Pure TypeScript with no React or Ink, so that another face (a web page from `imos serve`) can
// compute the same figures without loading the terminal UI. Each piece is memoised on the identity
// of exactly what it depends on: a key press never re-derives 10,000 alerts, and a store section
// that did not change keeps its rows (and the panes drawn from them are not redrawn).
import { emptyCoreView } from '../../src/store/views.js';
import memoizeOne from 'memoize-one';
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert } from '../../src/model.js';
import { activeAlertRows, escalationQueue, findAlert, recentActions, type ActionRow, type AlertRow, type EscalationItem } from './alerts.js';
import type { ConsoleData, PlanSummary } from './data.js';
import { incrementalFilter } from './filter.js';
import { holderLabel } from './header.js';
import { overview, standupRows, type Overview, type StandupRow } from './overview.js';
import { checkRows, systemRows, type CheckRow, type SystemRow } from './systems.js';
import { timelineRows, type PhaseRow } from './timeline.js';

export interface ViewModel {
  overview: Overview;
  /** Systems and active alerts as filtered by the view. */
  systems: readonly SystemRow[];
  alerts: readonly AlertRow[];
  alertsTotal: number;
  escalations: readonly EscalationItem[];
  actions: readonly ActionRow[];
  phases: readonly PhaseRow[];
  plan: PlanSummary | null;
  /** The checks of the system whose detail is open (none when it is closed). */
  detailChecks: readonly CheckRow[];
  standups: { rows: readonly StandupRow[]; missing: readonly string[] };
  /** The alert whose details are open, as stored. */
  alertDetail: Alert | null;
  holder: string;
  lastPollAt: string | null;
  paused: boolean;
  pausedBy: string | null;
  /** The instant the rows were derived at (ages and countdowns). */
  nowMs: number;
}

/** What the viewer chose: the rows depend on it. */
export interface ViewSelection {
  /** Filter text by list ('systems', 'alerts'). */
  filters: Readonly<Record<string, string>>;
  /** System whose checks are open. */
  detailSystem: string | null;
  /** Alert whose details are open. */
  alertDetail: string | null;
}

/** What the view model is derived from before the first read of the store. */
export const EMPTY_DATA: ConsoleData = {
  core: emptyCoreView(),
  results: { checks: {}, lastPollAt: null },
  lease: { holder: null },
  audit: [],
  plan: null,
};

export type ViewModelBuilder = (config: ImosConfig, loaded: ConsoleData | null, view: ViewSelection, nowMs: number) => ViewModel;

/** A view model builder with its own memo: one per console (or per page being served). */
export function createViewModel(): ViewModelBuilder {
  const alertRows = memoizeOne(activeAlertRows);
  const filterAlerts = incrementalFilter<AlertRow>();
  const allSystemRows = memoizeOne(systemRows);
  const filterSystems = incrementalFilter<SystemRow>();
  const escalations = memoizeOne(escalationQueue);
  const actions = memoizeOne(recentActions);
  const phases = memoizeOne(timelineRows);
  const figures = memoizeOne(overview);
  const standups = memoizeOne(standupRows);
  const alertDetail = memoizeOne((alerts: readonly Alert[], id: string | null) => (id ? (findAlert(alerts, id) ?? null) : null));
  const detailChecks = memoizeOne((config: ImosConfig, results: ConsoleData['results'], system: string | null): readonly CheckRow[] =>
    system ? checkRows(config, results, system) : [],
  );
  const assemble = memoizeOne(
    (
      ov: Overview,
      systems: readonly SystemRow[],
      alerts: readonly AlertRow[],
      alertsTotal: number,
      queue: readonly EscalationItem[],
      recent: readonly ActionRow[],
      phaseRows: readonly PhaseRow[],
      plan: PlanSummary | null,
      checks: readonly CheckRow[],
      today: ViewModel['standups'],
      detail: Alert | null,
      holder: string,
      lastPollAt: string | null,
      control: ConsoleData['core']['control'],
      nowMs: number,
    ): ViewModel => ({
      overview: ov,
      systems,
      alerts,
      alertsTotal,
      escalations: queue,
      actions: recent,
      phases: phaseRows,
      plan,
      detailChecks: checks,
      standups: today,
      alertDetail: detail,
      holder,
      lastPollAt,
      paused: control.paused,
      pausedBy: control.pausedBy,
      nowMs,
    }),
  );

  return (config, loaded, view, nowMs) => {
    const data = loaded ?? EMPTY_DATA;
    const { core, results, lease, audit, plan } = data;
    const allAlerts = alertRows(core.alerts, nowMs);
    return assemble(
      figures(config, data, nowMs),
      filterSystems(allSystemRows(config, results, core.alerts), view.filters.systems ?? ''),
      filterAlerts(allAlerts, view.filters.alerts ?? ''),
      allAlerts.length,
      escalations(core.alerts, nowMs),
      actions(audit),
      phases(config, plan, nowMs),
      plan,
      detailChecks(config, results, view.detailSystem),
      standups(config, core.standups, nowMs),
      alertDetail(core.alerts, view.alertDetail),
      loaded ? holderLabel(lease.holder, nowMs) : 'loading…',
      results.lastPollAt,
      core.control,
      nowMs,
    );
  };
}
