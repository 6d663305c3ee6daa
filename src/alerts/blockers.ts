// Standup blockers escalate like alerts: each open blocker is one BLOCKER alert on the standup's
// system, escalated at once (problems are reported immediately), resolved when the blocker
// is. The plan module says which blockers are open; this module only maps them onto alerts.
import type { AuditEntry, Severity } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreDraft } from '../store/core-draft.js';
import { isActive, openAlert, resolveInCore, SYSTEM_ACTOR, type AlertsRead } from './lifecycle.js';

export const BLOCKER_TYPE = 'BLOCKER';
const BLOCKER_CHECK_PREFIX = 'blocker:';

/** An open blocker, as the plan module reports it. */
export interface BlockerSource {
  /** Stable id of the blocker (kept across edits of the day's standup). */
  id: string;
  /** The standup's system. */
  system: string;
  text: string;
  /** What it waits on, when the standup said so. */
  waitsOn?: { kind: string; id: string } | null;
}

export function blockerSeverity(config: ImosConfig): Severity {
  return config.blockers?.severity ?? 'HIGH';
}

export function blockerCheckId(blockerId: string): string {
  return `${BLOCKER_CHECK_PREFIX}${blockerId}`;
}

/** Does the set of open blockers differ from the active BLOCKER alerts? (cheap pre-check) */
export function blockersOutOfStep(core: AlertsRead, open: readonly BlockerSource[]): boolean {
  const alerted = new Set(core.alerts.filter((a) => a.type === BLOCKER_TYPE && isActive(a)).map((a) => a.checkId));
  const wanted = new Set(open.map((b) => blockerCheckId(b.id)));
  if (alerted.size !== wanted.size) return true;
  for (const id of wanted) if (!alerted.has(id)) return true;
  return false;
}

/**
 * Open an alert for each open blocker that has none, resolve the alerts of blockers that are no
 * longer open. Records the changes on `core`; returns the audit entries.
 */
export function applyBlockers(core: CoreDraft, open: readonly BlockerSource[], config: ImosConfig, nowMs: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const wanted = new Map(open.map((b) => [blockerCheckId(b.id), b]));
  for (const alert of core.alerts) {
    if (alert.type !== BLOCKER_TYPE || !isActive(alert)) continue;
    if (wanted.has(alert.checkId)) wanted.delete(alert.checkId);
    else entries.push(resolveInCore(core, config, alert, { actor: SYSTEM_ACTOR, nowMs, note: 'blocker resolved' }));
  }
  for (const [checkId, blocker] of wanted) {
    const { audit } = openAlert(
      core,
      config,
      {
        checkId,
        system: blocker.system,
        type: BLOCKER_TYPE,
        severity: blockerSeverity(config),
        message: `Blocker: ${blocker.text}${blocker.waitsOn ? ` (waits on ${blocker.waitsOn.kind} ${blocker.waitsOn.id})` : ''}`,
        value: null,
        escalateAtOnce: true,
        neverHeld: true,
      },
      nowMs,
    );
    entries.push(...audit);
  }
  return entries;
}
