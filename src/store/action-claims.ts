// Runs of playbook actions in flight, kept as one named value of the core section so that every
// process sharing the store sees them: a run is claimed before its program starts and released
// (with its audit entry, in the same commit) when it ends. A claim lapses when its deadline passes
// (the action's timeout and a grace period: its runner died without releasing it) or when its
// runner is a dead process on this host; whoever drops a lapsed claim records that run as lost, so
// a runner killed outright still leaves its end in the audit log. Works the same on every store: it
// is an ordinary core transaction, serialised by the store (a file lock, or a refused commit retried
// on fresh data).
import type { AuditEntry } from '../model.js';
import type { Store } from './types.js';

export const ACTION_RUNS_KEY = 'actionRuns';

export interface ActionRunClaim {
  /** Unique per run. */
  runId: string;
  /** What may not run twice at once: `<playbook>.<action>`. */
  action: string;
  alertId: string;
  actor: string;
  host: string;
  pid: number;
  startedAt: string;
  /** The claim lapses after this (the run's timeout and a grace period). */
  until: string;
  /** The command, as shown to people (for "already running: … by …"). */
  command: string;
  /** For the record of a run that lapsed (absent in claims stored by older versions). */
  playbook?: string;
  actionId?: string;
  argv?: string[];
}

export interface ClaimRequest extends ActionRunClaim {
  /** Whether this run may start while another of the same action runs. */
  overlap: boolean;
  nowMs: number;
  /** Whether a process on this host is alive (a dead runner's claim lapses at once). */
  isAlive: (pid: number) => boolean;
}

export type ClaimOutcome = { claimed: true } | { claimed: false; holder: ActionRunClaim };

/** Why a claim no longer holds, or null while it does. */
function lapse(claim: ActionRunClaim, request: Pick<ClaimRequest, 'host' | 'nowMs' | 'isAlive'>): string | null {
  if (!(Date.parse(claim.until) > request.nowMs)) return `its claim ran out at ${claim.until} (the action's timeout and a grace period)`;
  if (claim.host === request.host && !request.isAlive(claim.pid)) return `its runner (pid ${claim.pid} on ${claim.host}) is gone`;
  return null;
}

/** The runs in flight as stored (without deciding whether they still hold). */
export function runsInFlight(kv: ReadonlyMap<string, unknown>): ActionRunClaim[] {
  const value = kv.get(ACTION_RUNS_KEY);
  return Array.isArray(value) ? (value as ActionRunClaim[]) : [];
}

/**
 * Claim a run: refused while another run of the same action holds its claim (unless `overlap`).
 * Lapsed claims are dropped on the way; `entries` (the run's start) are recorded with the claim.
 */
export function claimActionRun(
  store: Pick<Store, 'transact'>,
  request: ClaimRequest,
  entries: AuditEntry[] = [],
  /** The audit entry recording a lapsed run's end (its runner never recorded one). */
  lapsedEntry?: (claim: ActionRunClaim, why: string) => AuditEntry,
): Promise<ClaimOutcome> {
  return store.transact('core', (tx) => {
    const stored = (tx.get('kv', ACTION_RUNS_KEY)?.value as ActionRunClaim[] | undefined) ?? [];
    const live: ActionRunClaim[] = [];
    for (const claim of stored) {
      const why = lapse(claim, request);
      if (why === null) live.push(claim);
      else if (lapsedEntry) tx.audit(lapsedEntry(claim, why));
    }
    const holder = live.find((c) => c.action === request.action);
    if (holder && !request.overlap) {
      if (live.length !== stored.length) tx.put('kv', { key: ACTION_RUNS_KEY, value: live });
      return { claimed: false, holder: structuredClone(holder) };
    }
    const { overlap: _overlap, nowMs: _now, isAlive: _alive, ...claim } = request;
    tx.put('kv', { key: ACTION_RUNS_KEY, value: [...live, claim] });
    tx.audit(...entries);
    return { claimed: true };
  });
}

/** Release a run's claim and record what it did, in one commit. */
export function finishActionRun(store: Pick<Store, 'transact'>, runId: string, entries: AuditEntry[]): Promise<void> {
  return store.transact('core', (tx) => {
    const stored = (tx.get('kv', ACTION_RUNS_KEY)?.value as ActionRunClaim[] | undefined) ?? [];
    const rest = stored.filter((c) => c.runId !== runId);
    if (rest.length !== stored.length) tx.put('kv', { key: ACTION_RUNS_KEY, value: rest });
    tx.audit(...entries);
  });
}
