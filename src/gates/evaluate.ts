// Quality gates judged from check results. Pure: the gates and a way to read each check's latest
// run → each gate's verdict with its evidence. A gate passes when every check each requirement
// reads meets its conditions (or, with none, is passing); it fails when any does not; it is
// unknown when nothing fails but something has not been measured (a check not run yet).
import { describeCondition, evaluateCondition } from '../conditions/index.js';
import type { GateConfig, GateLevel } from '../config/types.js';
import type { CheckRecord, CheckStatus, MetricValue, Severity } from '../model.js';
import { phaseNameMatches } from '../config/phases.js';
import type { ResultsData } from '../store/types.js';

export type GateStatus = 'pass' | 'fail' | 'unknown';

/** What a gate reads of one check: its latest run (metrics null when only the status was kept). */
export interface GateCheckInput {
  status: CheckStatus;
  value: MetricValue;
  metrics: Record<string, MetricValue> | null;
  message: string;
  at: string | null;
}

export interface GateEvidence {
  /** The requirement as written: `saas-coverage`, `kind http`. */
  requirement: string;
  check: string;
  verdict: GateStatus;
  /** The check's own status at that run. */
  status: CheckStatus;
  value: MetricValue;
  /** Why: the conditions with the values they met (`lines >= 80% (was 42.9)`), or the check's state. */
  reason: string;
  at: string | null;
}

export interface GateResult {
  id: string;
  name: string;
  level: GateLevel;
  phase: string | null;
  severity: Severity;
  status: GateStatus;
  /** What the gate asks, in one line: `kind typescript: errors == 0; saas-coverage: lines >= 80%`. */
  target: string;
  evidence: GateEvidence[];
}

const worse = (a: GateStatus, b: GateStatus): GateStatus => (a === 'fail' || b === 'fail' ? 'fail' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'pass');

/** What the gate asks, in one line. */
export function gateTarget(gate: GateConfig): string {
  return gate.requirements.map((r) => `${r.label}: ${r.that.length > 0 ? r.that.join(' and ') : 'passing'}`).join('; ');
}

export function evaluateGate(gate: GateConfig, read: (checkId: string) => GateCheckInput | null): GateResult {
  let status: GateStatus = 'pass';
  const evidence: GateEvidence[] = [];
  for (const requirement of gate.requirements) {
    for (const checkId of requirement.checks) {
      const run = read(checkId);
      const conditions = requirement.conditions[checkId] ?? [];
      let verdict: GateStatus;
      let reason: string;
      if (!run || run.status === 'pending' || run.at === null) {
        verdict = 'unknown';
        reason = 'not run yet';
      } else if (requirement.that.length === 0) {
        verdict = run.status === 'ok' ? 'pass' : 'fail';
        reason = run.status === 'ok' ? 'passing' : `${run.status}: ${run.message}`;
      } else if (run.status === 'error') {
        verdict = 'fail';
        reason = `could not run: ${run.message}`;
      } else if (run.metrics === null) {
        verdict = 'unknown';
        reason = 'its metrics at that time were not kept';
      } else {
        const met = conditions.map((c) => ({ c, ...evaluateCondition(c, run.metrics!) }));
        const failed = met.filter((m) => !m.holds);
        verdict = failed.length === 0 ? 'pass' : 'fail';
        reason = (failed.length > 0 ? failed : met).map((m) => describeCondition(m.c, m.actual)).join(', ');
      }
      status = worse(status, verdict);
      evidence.push({ requirement: requirement.label, check: checkId, verdict, status: run?.status ?? 'pending', value: run?.value ?? null, reason, at: run?.at ?? null });
    }
  }
  return {
    id: gate.id,
    name: gate.name,
    level: gate.level,
    phase: gate.phase ?? null,
    severity: gate.severity,
    status,
    target: gateTarget(gate),
    evidence,
  };
}

/** Every gate (or those of one phase), in the configured order. */
export function evaluateGates(gates: readonly GateConfig[], read: (checkId: string) => GateCheckInput | null, options: { phase?: string } = {}): GateResult[] {
  return gatesOfPhase(gates, options.phase).map((g) => evaluateGate(g, read));
}

/** The gates tied to a phase (named as the timeline names phases); all gates when no phase is given. */
export function gatesOfPhase(gates: readonly GateConfig[], phase: string | undefined): GateConfig[] {
  if (phase === undefined) return [...gates];
  return gates.filter((g) => g.phase !== undefined && phaseNameMatches(g.phase, phase));
}

/** Pass only when every gate passes (an empty list passes: nothing is asked). */
export function overallStatus(results: readonly GateResult[]): GateStatus {
  return results.reduce<GateStatus>((acc, r) => worse(acc, r.status), 'pass');
}

/** Reads the latest stored run of each check, for gates judged now. */
export function latestRuns(results: { checks: Readonly<Record<string, Pick<CheckRecord, 'last' | 'status'>>> }): (checkId: string) => GateCheckInput | null {
  return (checkId) => {
    const state = results.checks[checkId];
    if (!state?.last) return null;
    // The effective status (after the consecutive-run thresholds) is the check's verdict.
    return { status: state.status, value: state.last.value, metrics: state.last.metrics, message: state.last.message, at: state.last.at };
  };
}

/**
 * Reads each check as it stood just before `ms` (a report's end): the latest run when it is older,
 * else the history point of then, which keeps the status and the value but not the metrics.
 */
export function runsBefore(results: ResultsData, ms: number): (checkId: string) => GateCheckInput | null {
  const latest = latestRuns(results);
  return (checkId) => {
    const state = results.checks[checkId];
    if (!state) return null;
    if (state.last && Date.parse(state.last.at) < ms) return latest(checkId);
    let point: (typeof state.history)[number] | undefined;
    for (const p of state.history) if (Date.parse(p.at) < ms && (!point || p.at > point.at)) point = p;
    return point ? { status: point.status, value: point.value, metrics: null, message: '', at: point.at } : null;
  };
}
