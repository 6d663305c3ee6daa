// MTTA and MTTR per severity and per system, against the severity policy's response targets.
// Pure: alerts in, figures out (used by reports, the console and the HTTP face).
import { SEVERITIES, type Alert, type Severity } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { policyFor, responseTargetMs } from './policy.js';

export interface ResponseFigures {
  /** Alerts opened in the period. */
  count: number;
  /** Of those, how many a person responded to (ack, snooze, resolve by hand) / were resolved / are still open. */
  responded: number;
  resolved: number;
  open: number;
  /** Mean time to acknowledge: opening → first human response, over responded alerts (ms). */
  mttaMs: number | null;
  /** Mean time to resolve: opening → resolution, over resolved alerts (ms). */
  mttrMs: number | null;
  /** Alerts that missed their response target (recorded breach, or a response after the deadline). */
  breached: number;
}

export interface SeverityFigures extends ResponseFigures {
  /** The policy's response target (ms); null when the policy sets none. */
  targetMs: number | null;
}

export interface ResponseStats {
  from: string;
  to: string;
  overall: ResponseFigures;
  bySeverity: Record<Severity, SeverityFigures>;
  bySystem: Record<string, ResponseFigures>;
}

class Tally {
  count = 0;
  responded = 0;
  resolved = 0;
  open = 0;
  breached = 0;
  private ackSum = 0;
  private resolveSum = 0;

  add(alert: Alert): void {
    const opened = Date.parse(alert.openedAt);
    this.count += 1;
    const respondedAt = alert.respondedAt ?? alert.acknowledgedAt;
    if (respondedAt) {
      this.responded += 1;
      this.ackSum += Math.max(0, Date.parse(respondedAt) - opened);
    }
    if (alert.state === 'resolved' && alert.resolvedAt) {
      this.resolved += 1;
      this.resolveSum += Math.max(0, Date.parse(alert.resolvedAt) - opened);
    } else {
      this.open += 1;
    }
    const late = Boolean(respondedAt && alert.respondBy && Date.parse(respondedAt) > Date.parse(alert.respondBy));
    if (alert.breached || late) this.breached += 1;
  }

  figures(): ResponseFigures {
    return {
      count: this.count,
      responded: this.responded,
      resolved: this.resolved,
      open: this.open,
      mttaMs: this.responded ? Math.round(this.ackSum / this.responded) : null,
      mttrMs: this.resolved ? Math.round(this.resolveSum / this.resolved) : null,
      breached: this.breached,
    };
  }
}

/** Figures for the alerts opened in [fromMs, toMs). */
export function responseStats(alerts: readonly Alert[], config: ImosConfig, fromMs: number, toMs: number): ResponseStats {
  const overall = new Tally();
  const bySeverity = new Map<Severity, Tally>(SEVERITIES.map((s) => [s, new Tally()]));
  const bySystem = new Map<string, Tally>();
  for (const alert of alerts) {
    const opened = Date.parse(alert.openedAt);
    if (!(opened >= fromMs && opened < toMs)) continue;
    overall.add(alert);
    bySeverity.get(alert.severity)?.add(alert);
    let system = bySystem.get(alert.system);
    if (!system) bySystem.set(alert.system, (system = new Tally()));
    system.add(alert);
  }
  const severities = {} as Record<Severity, SeverityFigures>;
  for (const s of SEVERITIES) severities[s] = { ...bySeverity.get(s)!.figures(), targetMs: responseTargetMs(policyFor(config, s)) };
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    overall: overall.figures(),
    bySeverity: severities,
    bySystem: Object.fromEntries([...bySystem].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => [k, t.figures()])),
  };
}
