import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { configIssues, FILE } from './fixture.js';

const base = `project: Gates
systems:
  app: { name: App }
phases:
  - { name: "Phase 1: unified database", start: 2025-01-20, end: 2025-01-31 }
checks:
  - { id: app-ts, system: app, kind: typescript }
  - { id: app-api, system: app, kind: http, url: "http://127.0.0.1:1/health" }
  - { id: old-api, system: app, kind: http, url: "http://127.0.0.1:2/health", enabled: false }
gates:
`;

const issuesOf = (gates: string): string[] => configIssues(base + gates);

describe('gates: in imos.yaml', () => {
  it('defaults to no gates, and a gate to severity HIGH named by its id', () => {
    expect(loadConfigText(base.replace('gates:\n', ''), FILE, { env: {} }).gates).toEqual([]);
    const [gate] = loadConfigText(base + '  code:\n    - { id: types, require: [{ kind: typescript, that: errors == 0 }] }\n', FILE, { env: {} }).gates;
    expect(gate).toMatchObject({ id: 'types', name: 'types', level: 'code', severity: 'HIGH' });
    expect(gate!.phase).toBeUndefined();
  });

  it.each([
    ['an unknown level', '  quality:\n    - { id: x, require: [{ kind: http }] }\n', ['12 gates.quality: unknown key "quality"']],
    ['no requirement', '  code:\n    - { id: x, require: [] }\n', ['12 gates.code[0].require: Too small: expected array to have >=1 items']],
    ['neither check nor kind', '  code:\n    - { id: x, require: [{ that: errors == 0 }] }\n', ['12 gates.code[0].require[0]: give either check (an id or a list of ids) or kind']],
    ['system without kind', '  code:\n    - { id: x, require: [{ check: app-ts, system: app }] }\n', ['12 gates.code[0].require[0].system: system narrows a kind: give kind too']],
    ['an unknown check', '  code:\n    - { id: x, require: [{ check: [app-ts, app-tsc] }] }\n', ['12 gates.code[0].require[0].check[1]: unknown check "app-tsc" (checks: app-ts, app-api)']],
    ['a disabled check', '  integration:\n    - { id: x, require: [{ check: old-api }] }\n', ['12 gates.integration[0].require[0].check: check "old-api" is disabled (enabled: false): a gate cannot read it']],
    ['an unknown kind', '  code:\n    - { id: x, require: [{ kind: coverge }] }\n', ['12 gates.code[0].require[0].kind: unknown check kind "coverge" (known kinds: ']],
    ['a kind without checks', '  code:\n    - { id: x, require: [{ kind: coverage, that: lines >= 80% }] }\n', ['12 gates.code[0].require[0].kind: no enabled coverage check: the gate would read nothing']],
    ['a metric the kind lacks', '  code:\n    - { id: x, require: [{ check: app-ts, that: [errors == 0, lines >= 80%] }] }\n', ['12 gates.code[0].require[0].that[1]: unknown metric "lines" (known: errors, files, duration) in "lines >= 80%" (check "app-ts" is a typescript check)']],
    ['an unknown phase', '  code:\n    - { id: x, phase: Phase 3, require: [{ kind: typescript }] }\n', ['12 gates.code[0].phase: unknown phase "Phase 3" (phases: Phase 1: unified database)']],
    ['a duplicate id', '  code:\n    - { id: x, require: [{ kind: typescript }] }\n  business:\n    - { id: x, require: [{ kind: http }] }\n', ['14 gates.business[0].id: duplicate gate id "x" (also in gates.code)']],
    ['a bad severity', '  code:\n    - { id: x, severity: LOW, require: [{ kind: typescript }] }\n', ['12 gates.code[0].severity: Invalid option: expected one of "CRITICAL"|"HIGH"|"MEDIUM"']],
  ])('%s is refused at its field', (_, gates, expected) => {
    const issues = issuesOf(gates);
    expect(issues).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(issues[i]).toContain(e));
  });
});
