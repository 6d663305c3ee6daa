// A quality gate that fails is an alert at the gate's severity (QUALITY_GATE, check id
// `gate:<id>`): opened once while it fails (deduplicated by that fingerprint), its message kept to
// the latest evidence, resolved when the gate passes. A gate not known yet changes nothing.
import type { Alert, AuditEntry } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreDraft } from '../store/core-draft.js';
import type { GateResult } from '../gates/evaluate.js';
import { findActiveByFingerprint, fingerprintOf, isActive, openAlert, resolveInCore, SYSTEM_ACTOR } from './lifecycle.js';
import { sanitizeLine } from '../text/sanitize.js';

export const GATE_ALERT_TYPE = 'QUALITY_GATE';

export const gateCheckId = (gateId: string): string => `gate:${gateId}`;

/** A gate alert whose gate is still configured (so it is not an orphan of a removed check). */
export function isConfiguredGateAlert(config: Pick<ImosConfig, 'gates'>, alert: Alert): boolean {
  return alert.type === GATE_ALERT_TYPE && config.gates.some((g) => gateCheckId(g.id) === alert.checkId);
}

/**
 * The checks to run again after a playbook action so that its effect shows at once: the alert's
 * own check, or for a quality gate's alert every check its gate reads (none for a blocker's alert,
 * or a check removed from the configuration).
 */
export function checksOfAlert(config: Pick<ImosConfig, 'checks' | 'gates'>, alert: Pick<Alert, 'checkId'>): string[] {
  if (config.checks.some((c) => c.id === alert.checkId)) return [alert.checkId];
  const gate = config.gates.find((g) => gateCheckId(g.id) === alert.checkId);
  return gate ? [...new Set(gate.requirements.flatMap((r) => r.checks))] : [];
}

/** `code gate "TypeScript errors 0, coverage ≥ 80 %" fails: saas-coverage lines >= 80% (was 42.9)`. */
export function gateAlertMessage(gate: GateResult): string {
  const failing = gate.evidence.filter((e) => e.verdict === 'fail').map((e) => `${e.check} ${e.reason}`);
  return sanitizeLine(`${gate.level} gate "${gate.name}" fails: ${failing.join('; ') || gate.target}`, 500);
}

/** The system a gate alert belongs to: that of its first failing check (alerts are per system). */
function gateSystem(config: ImosConfig, gate: GateResult): string {
  const first = gate.evidence.find((e) => e.verdict === 'fail') ?? gate.evidence[0];
  const check = first ? config.checks.find((c) => c.id === first.check) : undefined;
  return check?.system ?? Object.keys(config.systems)[0] ?? 'project';
}


/** Open an alert for each failing gate, refresh its message, resolve those whose gate passes. */
export function applyGateAlerts(core: CoreDraft, gates: readonly GateResult[], config: ImosConfig, nowMs: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const gate of gates) {
    const checkId = gateCheckId(gate.id);
    const found = findActiveByFingerprint(core, fingerprintOf(checkId, GATE_ALERT_TYPE));
    if (gate.status === 'pass') {
      if (found) entries.push(resolveInCore(core, config, found, { actor: SYSTEM_ACTOR, nowMs, note: `${gate.level} gate "${gate.name}" passes` }));
      continue;
    }
    if (gate.status !== 'fail') continue;
    const message = gateAlertMessage(gate);
    if (!found) {
      const failing = gate.evidence.find((e) => e.verdict === 'fail');
      const opened = openAlert(core, config, { checkId, system: gateSystem(config, gate), type: GATE_ALERT_TYPE, severity: gate.severity, message, value: failing?.value ?? null }, nowMs);
      entries.push(...opened.audit);
    } else if (found.message !== message && isActive(found)) {
      const alert = core.editAlert(found);
      alert.message = message;
      alert.lastSeenAt = new Date(nowMs).toISOString();
    }
  }
  return entries;
}
