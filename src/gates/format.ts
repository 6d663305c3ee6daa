// Gates as plain text (`imos gates`) and as the JSON of docs/CONTRACT.md (`imos gates --json`).
import { sanitizeLine } from '../text/sanitize.js';
import { formatValue } from '../text/values.js';
import { overallStatus, type GateResult, type GateStatus } from './evaluate.js';

export const GATE_GLYPH: Record<GateStatus, string> = { pass: '✓', fail: '✖', unknown: '○' };

/** `imos gates --json`. */
export function gatesJson(results: readonly GateResult[], phase: string | null): Record<string, unknown> {
  return { status: overallStatus(results), phase, gates: results };
}

/** Each gate with its evidence, one check a line; `ago` renders an evidence time. */
export function formatGates(results: readonly GateResult[], phase: string | null, ago: (iso: string | null) => string): string {
  const scope = phase ? ` of ${phase}` : '';
  if (results.length === 0) return `No quality gates${scope} configured.`;
  const passing = results.filter((r) => r.status === 'pass').length;
  const overall = overallStatus(results);
  const lines = [`Quality gates${scope}: ${passing} of ${results.length} pass — ${overall === 'pass' ? 'PASS' : overall === 'fail' ? 'FAIL' : 'NOT YET KNOWN'}`];
  for (const r of results) {
    lines.push('');
    const tied = r.phase ? ` · phase ${r.phase}` : '';
    lines.push(`${GATE_GLYPH[r.status]} ${r.level} · ${r.name} (${r.id}) — ${r.status}${r.status === 'fail' ? `, ${r.severity}` : ''}${tied}`);
    lines.push(`    asks: ${r.target}`);
    const width = Math.max(...r.evidence.map((e) => e.check.length));
    for (const e of r.evidence) {
      const value = e.value === null || e.reason.includes('(was ') ? '' : ` [${formatValue(e.value, { max: 40 })}]`;
      lines.push(`    ${GATE_GLYPH[e.verdict]} ${e.check.padEnd(width)}  ${sanitizeLine(e.reason, 200)}${value}  ${ago(e.at)}`);
    }
  }
  return lines.join('\n');
}
