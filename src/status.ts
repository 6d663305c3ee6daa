// The stored state as one read model: what `imos status`, `GET /api/status` and the plain
// no-TTY console summary print. Reads the store; computes nothing that a face needs to redo.
import type { ImosConfig } from './config/types.js';
import { worstStatus, type CheckStatus } from './model.js';
import { alertJson, type AlertJson } from './alert-json.js';
import type { Store } from './store/types.js';
import { DEFAULT_LEASE_TTL_MS, isLiveHolder } from './engine/lease.js';
import { sanitizeLine } from './text/sanitize.js';
import { belowThreshold, type BelowThreshold } from './thresholds.js';

export interface StatusCheck {
  id: string;
  system: string;
  kind: string;
  status: CheckStatus;
  value: unknown;
  metrics: Record<string, unknown>;
  message: string;
  durationMs: number | null;
  at: string | null;
  /** Present while the check has failed fewer runs in a row than its failure_threshold (no alert yet). */
  failing?: BelowThreshold;
}

export interface StatusReport {
  project: string;
  at: string;
  poller: { pid: number; host: string; user: string; since: string; role: string; renewedAt: string } | null;
  lastPollAt: string | null;
  paused: boolean;
  overview: {
    checks: Record<CheckStatus, number>;
    systems: { total: number; healthy: number };
    openAlerts: Record<'CRITICAL' | 'HIGH' | 'MEDIUM', number>;
  };
  systems: Array<{ id: string; name: string; leader: string | null; status: CheckStatus; checks: StatusCheck[] }>;
  /** Open alerts in the --json contract's shape (not the store's record, with its internal fields). */
  alerts: AlertJson[];
}

export async function readStatus(config: ImosConfig, store: Store, nowMs = Date.now()): Promise<StatusReport> {
  const [results, core, lease] = await Promise.all([store.read('results'), store.read('core'), store.read('lease')]);
  const checks: StatusCheck[] = config.checks.map((c) => {
    const state = results.checks[c.id];
    const last = state?.last;
    const below = belowThreshold(state, c);
    return {
      id: c.id,
      system: c.system,
      kind: c.kind,
      status: state?.status ?? 'pending',
      value: last?.value ?? null,
      metrics: last?.metrics ?? {},
      message: last?.message ?? 'not run yet',
      durationMs: last?.durationMs ?? null,
      at: last?.at ?? null,
      ...(below ? { failing: below } : {}),
    };
  });
  const counts = { ok: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0, error: 0, pending: 0 } as Record<CheckStatus, number>;
  for (const c of checks) counts[c.status]++;
  const open = core.alerts.filter((a) => a.state !== 'resolved');
  const openAlerts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0 };
  for (const a of open) openAlerts[a.severity]++;
  // Each system's checks, in one pass (not one pass over every check per system).
  const bySystem = new Map<string, StatusCheck[]>();
  for (const c of checks) {
    const list = bySystem.get(c.system);
    if (list) list.push(c);
    else bySystem.set(c.system, [c]);
  }
  const systems = Object.values(config.systems).map((s) => {
    const own = bySystem.get(s.id) ?? [];
    return { id: s.id, name: s.name, leader: s.leader ?? null, status: own.length ? worstStatus(own.map((c) => c.status)) : ('ok' as CheckStatus), checks: own };
  });
  // Only a live holder: a record left by a process that died is nobody.
  const holder = isLiveHolder(lease.holder, nowMs, DEFAULT_LEASE_TTL_MS) ? lease.holder : null;
  return {
    project: config.project,
    at: new Date(nowMs).toISOString(),
    poller: holder
      ? // written by whichever process holds the lease, from its environment: no terminal controls
        { pid: holder.pid, host: sanitizeLine(holder.host, 80), user: sanitizeLine(holder.user, 80), since: holder.since, role: sanitizeLine(holder.role, 20), renewedAt: holder.renewedAt }
      : null,
    lastPollAt: results.lastPollAt,
    paused: core.control.paused,
    overview: {
      checks: counts,
      systems: { total: systems.length, healthy: systems.filter((s) => s.status === 'ok').length },
      openAlerts,
    },
    systems,
    alerts: open.map(alertJson),
  };
}
