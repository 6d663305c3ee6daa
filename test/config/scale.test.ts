// A configuration of thousands of checks is read by other means than a small one (checks.ts: a
// generated parser per schema from COMPILE_FROM checks on): what a check means, and what is said
// of a mistake in it, must not depend on how many checks share its kind.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { COMPILE_FROM } from '../../src/config/checks.js';
import { configIssues, FILE, HOTEL_HEAD } from './fixture.js';
import { CPU_BOUND_MS } from '../helpers/bounds.js';

/** Checks of every shape the kinds allow: defaults, conversions, optional keys, rules. */
const VARIANTS = [
  '  - { id: v-http, system: hotel-pms, kind: http, url: "http://127.0.0.1:9/a" }',
  '  - { id: v-http-full, system: hotel-pms, kind: http, url: "https://u:p@127.0.0.1:9/b?q=1", method: post, headers: { X-Num: 5, X-Flag: true, X-Text: t }, body: { a: [1, 2], b: null }, follow_redirects: false, name: Full, every: 1m, timeout: 3s, failure_threshold: 3, success_threshold: 2, severity: HIGH, enabled: true, expect: "status == 201", thresholds: { HIGH: "latency > 2s", CRITICAL: ["status >= 500", "latency > 5s"] } }',
  '  - { id: v-http-body, system: hotel-pms, kind: http, url: "http://127.0.0.1:9/c", method: PUT, body: "raw text" }',
  '  - { id: v-cmd, system: hotel-common, kind: command, run: [df, -P, .], capture: "(\\\\d+)%", thresholds: { HIGH: "value > 90" } }',
  '  - { id: v-cmd-shell, system: hotel-common, kind: command, run: "echo 1", shell: true, env: { A: b }, every: 2m }',
  '  - { id: v-pg, system: hotel-common, kind: postgres, url: "postgres://127.0.0.1/db", every: 1m }',
  '  - { id: v-off, system: hotel-common, kind: command, run: [true], enabled: false }',
];

/** `count` valid checks of `kind` after the one under test. */
function filler(kind: string, count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (kind === 'http') lines.push(`  - { id: f-${i}, system: hotel-pms, kind: http, url: "http://127.0.0.1:9/${i}", expect: ["status == 200"] }`);
    else if (kind === 'command') lines.push(`  - { id: f-${i}, system: hotel-common, kind: command, run: [true] }`);
    else lines.push(`  - { id: f-${i}, system: hotel-common, kind: ${kind}, url: "postgres://127.0.0.1/f${i}" }`);
  }
  return lines.join('\n');
}

const kindOf = (variant: string) => /kind: ([\w-]+)/.exec(variant)![1]!;
const file = (checks: string) => `${HOTEL_HEAD}checks:\n${checks}\n`;

describe('a configuration of thousands of checks', () => {
  it('reads a check the same whether its kind has one check or thousands', () => {
    for (const variant of VARIANTS) {
      const alone = loadConfigText(file(variant), FILE, { env: {} });
      const many = loadConfigText(file(`${variant}\n${filler(kindOf(variant), COMPILE_FROM)}`), FILE, { env: {} });
      const read = (config: typeof alone) => ({ check: config.checks.find((c) => c.id.startsWith('v-')), disabled: config.disabledChecks });
      expect(read(many), variant).toEqual(read(alone));
      expect(many.checks.length + (many.disabledChecks?.length ?? 0)).toBe(COMPILE_FROM + 1);
    }
    // What the kinds make of what they read, as the engine gets it.
    const full = loadConfigText(file(`${VARIANTS[1]}\n${filler('http', COMPILE_FROM)}`), FILE, { env: {} }).checks[0]!;
    expect(full.options).toMatchObject({ method: 'POST', headers: { 'X-Num': '5', 'X-Flag': 'true', 'X-Text': 't' }, body: { a: [1, 2], b: null }, follow_redirects: false });
    expect(full.thresholds.map((t) => [t.severity, t.conditions.map((c) => c.source)])).toEqual([
      ['CRITICAL', ['status >= 500', 'latency > 5s']],
      ['HIGH', ['latency > 2s']],
    ]);
  }, CPU_BOUND_MS);

  it('names the file, line, column and field of a mistake among thousands of checks, as among a few', () => {
    const mistakes = [
      ['  - { id: bad, system: hotel-pms, kind: http, url: "ftp://127.0.0.1/" }', 'checks[0].url: expected an http:// or https:// URL'],
      ['  - { id: bad, system: hotel-pms, kind: http, url: "http://127.0.0.1/", method: "G T" }', 'checks[0].method: expected an HTTP method such as GET or POST'],
      ['  - { id: bad, system: hotel-pms, kind: http, url: "http://127.0.0.1/", every: 0s }', 'checks[0].every: expected an interval of at least 1s'],
      ['  - { id: bad, system: hotel-pms, kind: http, url: "http://127.0.0.1/", timeout: 30 }', 'checks[0].timeout: 30 is a number, not a duration: use a duration such as 30s'],
      ['  - { id: bad, system: hotel-pms, kind: http, url: "http://127.0.0.1/", headrs: { A: b } }', 'checks[0].headrs: unknown key "headrs" for a http check (did you mean "headers"?)'],
      ['  - { id: bad, system: hotel-common, kind: command, run: "df -P ." }', 'checks[0].run: a command line as one string needs `shell: true`'],
      ['  - { id: "-bad", system: hotel-common, kind: command, run: [true] }', 'checks[0].id: expected an id of letters, digits, "-", "_" or "."'],
    ] as const;
    for (const [check, message] of mistakes) {
      const alone = configIssues(file(check), { columns: true });
      const many = configIssues(file(`${check}\n${filler(kindOf(check), COMPILE_FROM)}`), { columns: true });
      expect(many, check).toEqual(alone);
      expect(alone).toHaveLength(1);
      expect(alone[0]).toContain(message);
      expect(alone[0]).toMatch(/^11:\d+ /);
    }
    // One mistake deep in the file: its own line and field, nothing said of the others.
    const lines = filler('http', 2 * COMPILE_FROM).split('\n');
    const at = COMPILE_FROM + 17;
    lines[at] = lines[at]!.replace('"http://127.0.0.1:9/', '"not a url/');
    expect(configIssues(file(lines.join('\n')), { columns: true })).toEqual([
      `${11 + at}:${lines[at]!.indexOf('"not a url') + 1} checks[${at}].url: expected an http:// or https:// URL`,
    ]);
  }, CPU_BOUND_MS);
  it('shares one list of expectations between checks of a kind that repeat them, within one load only', () => {
    const text = file(filler('http', 3));
    const first = loadConfigText(text, FILE);
    const [a, b, c] = first.checks;
    expect(a!.expect.map((x) => x.source)).toEqual(['status == 200']);
    expect(b!.expect).toBe(a!.expect);
    expect(c!.expect).toBe(a!.expect);
    // A second load (a daemon reading its edited file) builds its own: nothing of one load is kept for the next.
    const second = loadConfigText(text, FILE);
    expect(second.checks[0]!.expect).toEqual(a!.expect);
    expect(second.checks[0]!.expect).not.toBe(a!.expect);
    expect(second.checks[1]!.expect).toBe(second.checks[0]!.expect);
  });
});
