// The alert engine's face towards the poller: fresh results and the passing of time go through one
// transaction of the core section each (alerts, their outbox rows and audit entries together),
// fenced by the poller lease. Only the poller-lease holder calls these.
import type { Alert, AuditEntry, CheckResult } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { CoreDraft } from '../store/core-draft.js';
import type { CoreView, Fence, Store } from '../store/types.js';
import { applyResults, applyTime, hasTimeWork, isActive, resolveOrphans } from './lifecycle.js';
import { applyBlockers, blockersOutOfStep, BLOCKER_TYPE, type BlockerSource } from './blockers.js';
import { missingStandups as planMissingStandups, openBlockers as planOpenBlockers } from '../plan/blockers.js';
import { applyGateAlerts, isConfiguredGateAlert } from './gates.js';
import { evaluateGates, latestRuns } from '../gates/evaluate.js';
import { applyMissingStandups, missingStandupsOutOfStep, MISSING_STANDUP_TYPE, type MissingStandupSource } from './missing-standups.js';

export { applyResults, applyTime, hasTimeWork } from './lifecycle.js';
export { applyBlockers, type BlockerSource } from './blockers.js';
export { responseStats, type ResponseStats, type ResponseFigures } from './metrics.js';
export {
  acknowledgeAlert,
  unacknowledgeAlert,
  resolveAlert,
  snoozeAlert,
  performAlertAction,
  AlertActionError,
  type AlertActionInput,
  type AlertActionOutcome,
  type AlertAction,
} from './actions.js';
export { sortAlerts } from './present.js';
export { archiveResolvedAlerts, alertsWithArchive, alertsDueForArchive, ARCHIVE_ACTION } from './archive.js';

/** Turn fresh check results into alert changes and notices; returns what was audited. */
export async function processResults(store: Store, config: ImosConfig, results: CheckResult[], nowMs: number, options: { fence?: Fence } = {}): Promise<AuditEntry[]> {
  if (results.length === 0) return [];
  // The gates read every check's latest run, these results included (they are stored by now).
  const gates = config.gates.length > 0 ? evaluateGates(config.gates, latestRuns(await store.read('results'))) : [];
  return store.transact(
    'core',
    (tx) => {
      const core = new CoreDraft(tx);
      const entries = applyResults(core, results, config, nowMs);
      entries.push(...applyGateAlerts(core, gates, config, nowMs));
      core.audit(...entries);
      return entries;
    },
    options,
  );
}

/** Alerts that belong to people's reports, not to a configured check. */
const isBlocker = (alert: Alert) => alert.type === BLOCKER_TYPE || alert.type === MISSING_STANDUP_TYPE;

export interface ProcessTimeOptions {
  /**
   * The open standup blockers, computed from the same core section. Default: the plan module's
   * `openBlockers`; `null` leaves blockers alone.
   */
  openBlockers?: ((core: StandupsRead, nowMs: number) => BlockerSource[]) | null;
  /** Systems whose standup is overdue. Default: the plan module's `missingStandups`; `null` leaves them alone. */
  missingStandups?: ((core: StandupsRead, nowMs: number) => MissingStandupSource[]) | null;
  /** Commit only while holding the poller lease. */
  fence?: Fence;
}

/** When the store first ran the time rules (kv): standups due before then are not missing. */
export const CREATED_KEY = 'createdAt';

/** The earliest time a store's records name (a store from before `createdAt` was kept). */
function earliestRecord(core: Pick<CoreView, 'alerts' | 'standups' | 'snapshots'>): string | null {
  let first: string | null = null;
  const see = (at: string | null | undefined) => {
    if (at && !Number.isNaN(Date.parse(at)) && (first === null || at < first)) first = at;
  };
  for (const a of core.alerts) see(a.openedAt);
  for (const s of core.standups) see(s.at);
  for (const s of core.snapshots) see(s.at);
  return first;
}

/** What the standup rules read: the view or a transaction's draft. */
type StandupsRead = Pick<CoreView, 'alerts' | 'standups'>;

/**
 * Escalations, snooze ends, ack timeouts, response breaches (and blockers, when given) at `nowMs`;
 * alerts of checks no longer in the config are resolved (they could never recover).
 * Reads first and writes only when something is due, so calling it every second is cheap.
 */
export async function processTime(store: Store, config: ImosConfig, nowMs: number, options: ProcessTimeOptions = {}): Promise<AuditEntry[]> {
  const blockers = options.openBlockers === undefined ? planOpenBlockers : options.openBlockers;
  const snapshot = await store.read('core');
  // A workspace created today does not owe the standups that were due before it existed: the
  // store keeps when it first saw this loop (the earliest record it already had, else now).
  const createdAt = snapshot.kv.get(CREATED_KEY) as string | undefined;
  const createdMs = Date.parse(createdAt ?? earliestRecord(snapshot) ?? new Date(nowMs).toISOString());
  const missing =
    options.missingStandups === undefined
      ? (core: StandupsRead, now: number) => planMissingStandups(config, core, now).filter((m) => Date.parse(m.dueAt) >= createdMs)
      : options.missingStandups;
  // Recorded once, by the first call that applies the standup rule.
  const recordCreated = createdAt === undefined && missing !== null;
  const blockersDue =
    recordCreated ||
    (blockers ? blockersOutOfStep(snapshot, blockers(snapshot, nowMs)) : false) ||
    (missing ? missingStandupsOutOfStep(snapshot, missing(snapshot, nowMs)) : false);
  const known = new Set(config.checks.map((c) => c.id));
  // Alerts of configured gates are not orphans: their gate resolves them when it passes.
  const exempt = (a: Alert) => isBlocker(a) || isConfiguredGateAlert(config, a);
  const orphans = snapshot.alerts.some((a) => isActive(a) && !exempt(a) && !known.has(a.checkId));
  if (!blockersDue && !orphans && !hasTimeWork(snapshot, config, nowMs)) return [];
  return store.transact(
    'core',
    (tx) => {
      const core = new CoreDraft(tx);
      const out: AuditEntry[] = [];
      if (recordCreated && core.kv<string>(CREATED_KEY) === undefined) core.setKv(CREATED_KEY, earliestRecord(core) ?? new Date(nowMs).toISOString());
      out.push(...resolveOrphans(core, config, nowMs, exempt));
      if (blockers) out.push(...applyBlockers(core, blockers(core, nowMs), config, nowMs));
      if (missing) out.push(...applyMissingStandups(core, missing(core, nowMs), config, nowMs));
      out.push(...applyTime(core, config, nowMs));
      core.audit(...out);
      return out;
    },
    options.fence ? { fence: options.fence } : {},
  );
}
