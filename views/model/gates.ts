// The quality gates as the console and the dashboard show them: each gate's verdict with the one
// piece of evidence that explains it, a one-line summary for the overview, and a phase's gates for
// the timeline. Pure: config + stored results → rows (the same judgement as `imos gates`).
import type { ImosConfig } from '../../src/config/types.js';
import { phaseNameMatches } from '../../src/config/phases.js';
import { evaluateGates, latestRuns, type GateResult, type GateStatus } from '../../src/gates/evaluate.js';
import { sanitizeLine } from '../../src/text/sanitize.js';

export interface GateRow {
  id: string;
  name: string;
  level: string;
  phase: string | null;
  status: GateStatus;
  severity: string;
  /** Why, in one line: the first failing (or unknown) check with its reason; the target when it passes. */
  reason: string;
}

export function gateRow(result: GateResult): GateRow {
  const why = result.evidence.find((e) => e.verdict === result.status && result.status !== 'pass');
  return {
    id: result.id,
    name: result.name,
    level: result.level,
    phase: result.phase,
    status: result.status,
    severity: result.severity,
    reason: sanitizeLine(why ? `${why.check} ${why.reason}` : result.target, 200),
  };
}

export function gateRows(config: ImosConfig, results: Parameters<typeof latestRuns>[0]): GateRow[] {
  if (config.gates.length === 0) return [];
  return evaluateGates(config.gates, latestRuns(results)).map(gateRow);
}

/** The overview's line: `1/3 pass · ✖ code-quality, connected · ○ flows`; null without gates. */
export function gatesSummary(rows: readonly GateRow[]): { text: string; tone: 'ok' | 'critical' | 'warn' } | null {
  if (rows.length === 0) return null;
  const passing = rows.filter((r) => r.status === 'pass').length;
  const failing = rows.filter((r) => r.status === 'fail').map((r) => r.id);
  const unknown = rows.filter((r) => r.status === 'unknown').map((r) => r.id);
  const parts = [`${passing}/${rows.length} pass`];
  if (failing.length) parts.push(`✖ ${failing.join(', ')}`);
  if (unknown.length) parts.push(`○ ${unknown.join(', ')}`);
  return { text: parts.join(' · '), tone: failing.length ? 'critical' : unknown.length ? 'warn' : 'ok' };
}

/** The gates tied to a phase, for the timeline's phase detail. */
export function phaseGateRows(rows: readonly GateRow[], phase: string): GateRow[] {
  return rows.filter((r) => r.phase !== null && phaseNameMatches(r.phase, phase));
}

export { GATE_GLYPH } from '../../src/gates/format.js';

export function gateTone(status: GateStatus): 'ok' | 'critical' | 'muted' {
  return status === 'pass' ? 'ok' : status === 'fail' ? 'critical' : 'muted';
}
