// `gates:` from the file to GateConfig: each requirement's checks resolved (by id, or every
// enabled check of a kind, optionally of one system) and its conditions parsed against each
// check's kind, with mistakes reported at the field that holds them.
import { checkKindNames, getCheckKind } from '../../checks/registry.js';
import { ConditionError, parseCondition, type Condition } from '../conditions/index.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { ConfigIssue } from './errors.js';
import { phaseNameMatches } from './phases.js';
import type { FieldPath, SourceMap } from './load.js';
import type { RawConfig } from './schema.js';
import { GATE_LEVELS, type CheckConfig, type GateConfig, type GateRequirement, type PhaseConfig } from './types.js';

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function normalizeGates(
  raw: RawConfig['gates'],
  checks: CheckConfig[],
  /** Ids of checks written with `enabled: false`. */
  disabled: string[],
  phases: PhaseConfig[],
  source: SourceMap,
  issues: ConfigIssue[],
): GateConfig[] {
  // No gates: no index of what may be 10,000 checks.
  if (GATE_LEVELS.every((level) => raw[level].length === 0)) return [];
  const byId = new Map(checks.map((c) => [c.id, c]));
  const off = new Set(disabled);
  const seen = new Map<string, string>();
  const gates: GateConfig[] = [];
  for (const level of GATE_LEVELS) {
    raw[level].forEach((gate, g) => {
      const at: FieldPath = ['gates', level, g];
      const earlier = seen.get(gate.id);
      if (earlier) issues.push(source.issue([...at, 'id'], `duplicate gate id "${gate.id}" (also in gates.${earlier})`));
      seen.set(gate.id, level);
      if (gate.phase !== undefined && phases.length > 0 && !phases.some((p) => phaseNameMatches(p.name, gate.phase!))) {
        issues.push(source.issue([...at, 'phase'], `unknown phase "${gate.phase}" (phases: ${phases.map((p) => p.name).join(', ')})`));
      }
      const requirements: GateRequirement[] = [];
      gate.require.forEach((req, r) => {
        const rat: FieldPath = [...at, 'require', r];
        const selected: CheckConfig[] = [];
        let label: string;
        if (req.check !== undefined) {
          const ids = asList(req.check);
          label = ids.join(', ');
          ids.forEach((checkId, i) => {
            const fieldPath: FieldPath = Array.isArray(req.check) ? [...rat, 'check', i] : [...rat, 'check'];
            const check = byId.get(checkId);
            if (check) selected.push(check);
            else if (off.has(checkId)) issues.push(source.issue(fieldPath, `check "${checkId}" is disabled (enabled: false): a gate cannot read it`));
            else issues.push(source.issue(fieldPath, `unknown check "${checkId}" (checks: ${[...byId.keys()].join(', ') || 'none defined'})`));
          });
        } else {
          const kind = req.kind!;
          label = `kind ${kind}${req.system ? ` on ${req.system}` : ''}`;
          if (!getCheckKind(kind)) {
            issues.push(source.issue([...rat, 'kind'], `unknown check kind "${kind}" (known kinds: ${checkKindNames().join(', ')})`));
            return;
          }
          selected.push(...checks.filter((c) => c.kind === kind && (req.system === undefined || c.system === req.system)));
          if (selected.length === 0) {
            issues.push(source.issue([...rat, 'kind'], `no enabled ${kind} check${req.system ? ` of system "${req.system}"` : ''}: the gate would read nothing`));
            return;
          }
        }
        const that = asList(req.that);
        const conditions: Record<string, Condition[]> = {};
        // Parsed once per kind: a message names the field, not every check that shares the kind.
        const perKind = new Map<string, Condition[] | null>();
        for (const check of selected) {
          if (!perKind.has(check.kind)) {
            const kind = getCheckKind(check.kind);
            if (!kind) continue;
            const parsed: Condition[] = [];
            let failed = false;
            that.forEach((text, i) => {
              try {
                parsed.push(parseCondition(text, kind.metrics));
              } catch (error) {
                if (!(error instanceof ConditionError)) throw error;
                failed = true;
                const fieldPath: FieldPath = Array.isArray(req.that) ? [...rat, 'that', i] : [...rat, 'that'];
                issues.push(source.issue(fieldPath, `${error.reason} in "${text}" (check "${check.id}" is a ${check.kind} check)`, error.column));
              }
            });
            perKind.set(check.kind, failed ? null : parsed);
          }
          const parsed = perKind.get(check.kind);
          if (parsed) conditions[check.id] = parsed;
        }
        requirements.push({ label: sanitizeLine(label, 120), checks: selected.map((c) => c.id), that, conditions });
      });
      gates.push({
        id: gate.id,
        name: sanitizeLine(gate.name ?? gate.id, 120),
        level,
        ...(gate.phase !== undefined ? { phase: sanitizeLine(gate.phase, 120) } : {}),
        severity: gate.severity,
        requirements,
      });
    });
  }
  return gates;
}
