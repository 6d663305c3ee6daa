import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { configIssues, FILE, HOTEL_HEAD } from './fixture.js';

const base = `${HOTEL_HEAD}checks:
  - id: pms-api
    system: hotel-pms
    kind: http
    url: http://127.0.0.1:8002/health
    every: 15s
    expect: ["status == 200", "latency < 500ms", "body.status == 'ok'"]
    severity: HIGH
  - id: disk
    system: hotel-common
    kind: command
    run: [df, -P, .]
    capture: '(\\d+)%'
    thresholds: { HIGH: "value > 90", CRITICAL: ["value > 98", "exit != 0"] }
`;

const issuesOf = (text: string, env: NodeJS.ProcessEnv = {}): string[] => configIssues(text, { env, columns: true });

describe('loading imos.yaml', () => {
  it('loads a valid configuration into milliseconds, parsed conditions and defaults', () => {
    const config = loadConfigText(base, FILE, { env: {} });
    expect(config.project).toBe('Hotel integration');
    expect(config.systems['hotel-pms']!.depends_on).toEqual(['hotel-common']);
    const api = config.checks[0]!;
    expect(api.everyMs).toBe(15_000);
    expect(api.timeoutMs).toBe(10_000);
    expect(api.failureThreshold).toBe(2);
    expect(api.expect.map((c) => [c.metric, c.op, c.value])).toEqual([
      ['status', '==', 200],
      ['latency', '<', 500],
      ['body.status', '==', 'ok'],
    ]);
    const disk = config.checks[1]!;
    expect(disk.thresholds.map((t) => [t.severity, t.conditions.map((c) => c.source)])).toEqual([
      ['CRITICAL', ['value > 98', 'exit != 0']],
      ['HIGH', ['value > 90']],
    ]);
    // The default policy (docs/CONTRACT.md) fills in severities the file leaves out.
    expect(config.severities.CRITICAL.escalate.map((l) => [l.afterMs, l.to])).toEqual([
      [1_800_000, ['manager']],
      [1_800_000, ['owner']],
    ]);
    expect(config.severities.HIGH.respondWithinMs).toBe(3_600_000);
    expect(config.store).toBe('/work/data/imos.json');
  });

  it("reads each check's own expectations when checks of a kind repeat, alternate or change theirs", () => {
    const http = (id: string, expectText: string) => `  - { id: ${id}, system: hotel-pms, kind: http, url: http://127.0.0.1:8002/${id}, expect: ${expectText} }\n`;
    const text =
      `${HOTEL_HEAD}checks:\n` +
      http('a', '["status == 200", "latency < 500ms"]') +
      http('b', '["status == 200", "latency < 500ms"]') +
      '  - { id: c, system: hotel-common, kind: command, run: [true], expect: "exit == 0" }\n' +
      http('d', '["status == 200", "latency < 900ms"]') +
      http('e', '"status == 204"') +
      http('f', '"status == 204"') +
      http('g', '["status == 200", "latency < 500ms"]');
    const config = loadConfigText(text, FILE, { env: {} });
    expect(Object.fromEntries(config.checks.map((c) => [c.id, c.expect.map((e) => e.source)]))).toEqual({
      a: ['status == 200', 'latency < 500ms'],
      b: ['status == 200', 'latency < 500ms'],
      c: ['exit == 0'],
      d: ['status == 200', 'latency < 900ms'],
      e: ['status == 204'],
      f: ['status == 204'],
      g: ['status == 200', 'latency < 500ms'],
    });
    expect(config.checks.every((c) => c.thresholds.length === 0)).toBe(true);
    // A mistake in a list another check wrote correctly is reported at its own place.
    expect(issuesOf(text.replace('id: b, system: hotel-pms, kind: http, url: http://127.0.0.1:8002/b, expect: ["status == 200", "latency < 500ms"]', 'id: b, system: hotel-pms, kind: http, url: http://127.0.0.1:8002/b, expect: ["status == 200", "latency << 500ms"]'))).toEqual([
      expect.stringMatching(/^\d+:\d+ checks\[1\]\.expect\[1\]: .* in "latency << 500ms"$/),
    ]);
  });

  it('fills in the default policy of docs/CONTRACT.md for every severity left out, keeping the escalation levels whose people exist', () => {
    const full = loadConfigText(base, FILE, { env: {} }).severities;
    expect(full.CRITICAL).toMatchObject({ respondWithinMs: 0, notify: ['slack', 'email', 'console'], ackTimeoutMs: 7_200_000 });
    expect(full.HIGH).toMatchObject({ respondWithinMs: 3_600_000, notify: ['slack', 'console'], escalate: [{ afterMs: 86_400_000, to: ['manager'] }] });
    expect(full.MEDIUM).toMatchObject({ respondWithinMs: 86_400_000, notify: ['console'], escalate: [], digest: 'weekly' });
    // Without an owner in `people`, CRITICAL climbs to the manager only.
    const small = loadConfigText('project: P\npeople: { manager: { name: M } }\nsystems: { app: { name: App, leader: manager } }\n', FILE, { env: {} }).severities;
    expect(small.CRITICAL.escalate).toEqual([{ afterMs: 1_800_000, to: ['manager'] }]);
    // Nobody: no escalation at all, and the loaded defaults are the loader's own copy.
    const none = loadConfigText('project: P\nsystems: { app: { name: App } }\n', FILE, { env: {} }).severities;
    expect(none.CRITICAL.escalate).toEqual([]);
    expect(none.HIGH.escalate).toEqual([]);
    expect(full.HIGH.escalate).toHaveLength(1);
  });

  it("thresholds keep the kind's default expectations on the metrics they do not grade", () => {
    const text = `${base}  - { id: df, system: hotel-common, kind: command, run: [df, -P, .], capture: '(\\d+)%', thresholds: { HIGH: "value > 90" } }
  - { id: slow-api, system: hotel-pms, kind: http, url: "http://127.0.0.1:8002/", thresholds: { HIGH: "latency > 500ms" } }
  - { id: codes, system: hotel-pms, kind: http, url: "http://127.0.0.1:8002/", thresholds: { MEDIUM: "status >= 400" } }
  - { id: ts, system: hotel-pms, kind: typescript, thresholds: { CRITICAL: "errors > 150", HIGH: "errors > 0" } }
  - { id: plain, system: hotel-pms, kind: command, run: [make, check] }
  - { id: med, system: hotel-pms, kind: command, run: [make, check], capture: '(\\d+)', thresholds: { MEDIUM: "value > 80" } }
  - { id: told, system: hotel-pms, kind: command, run: [make, check], capture: '(\\d+)', thresholds: { MEDIUM: "value > 80" }, severity: CRITICAL }
`;
    const config = loadConfigText(text, FILE, { env: {} });
    const expects = (id: string) => config.checks.find((c) => c.id === id)!.expect.map((c) => c.source);
    // A failed df (exit 1, nothing captured) is not ok because its value is not over 90.
    expect(expects('df')).toEqual(['exit == 0']);
    // An unreachable endpoint (status 0) is not ok because it answered fast.
    expect(expects('slow-api')).toEqual(['status > 0', 'status < 400']);
    // Thresholds that grade a metric replace the defaults about it.
    expect(expects('codes')).toEqual([]);
    expect(expects('ts')).toEqual([]);
    expect(expects('disk')).toEqual([]);
    expect(expects('plain')).toEqual(['exit == 0']);
    expect(expects('pms-api')).toEqual(["status == 200", 'latency < 500ms', "body.status == 'ok'"]);
    // A kept expectation fails as seriously as the worst threshold, unless severity says otherwise.
    const severity = (id: string) => config.checks.find((c) => c.id === id)!.severity;
    expect([severity('df'), severity('slow-api'), severity('med'), severity('told'), severity('plain')]).toEqual(['HIGH', 'HIGH', 'MEDIUM', 'CRITICAL', 'CRITICAL']);
    expect(expects('med')).toEqual(['exit == 0']);
  });

  it('a system or person id that breaks the id rule says what an id may be', () => {
    const text = base.replace('  luna: { name: Luna }', '  "luna san": { name: Luna }').replace('  hotel-pms: {', '  "hotel pms 🏨": {');
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(/people\.luna san: expected an id of letters, digits/);
    expect(issues).toMatch(/systems\.hotel pms 🏨: expected an id of letters, digits/);
    expect(issues).not.toContain('Invalid key in record');
  });

  it('expands ${VAR} and ${VAR:-default} from the environment', () => {
    const text = base.replace('http://127.0.0.1:8002/health', '${PMS_URL}/health').replace('Hotel integration', '${NAME:-Fallback name}');
    const config = loadConfigText(text, FILE, { env: { PMS_URL: 'http://127.0.0.1:9999' } });
    expect(config.checks[0]!.options.url).toBe('http://127.0.0.1:9999/health');
    expect(config.project).toBe('Fallback name');
    // A reference made by an escape in a double-quoted text ("\x24" is "$", "\" joins lines) is one too.
    const escaped = base.replace('http://127.0.0.1:8002/health', '"\\x24{PMS_URL}/health"').replace('Hotel integration', '"$\\\n  {NAME:-Joined}"');
    const fromEscapes = loadConfigText(escaped, FILE, { env: { PMS_URL: 'http://127.0.0.1:9998' } });
    expect(fromEscapes.checks[0]!.options.url).toBe('http://127.0.0.1:9998/health');
    expect(fromEscapes.project).toBe('Joined');
  });

  it.each([
    ['a missing variable names it', (t: string) => t.replace('http://127.0.0.1:8002/health', '${PMS_URL}/health'), '14:10 checks[0].url: environment variable PMS_URL is not set'],
    ['an unknown kind lists the known ones', (t: string) => t.replace('kind: http', 'kind: htp'), '13:11 checks[0].kind: unknown check kind "htp" (known kinds: '],
    ['a bad condition points at the character', (t: string) => t.replace('latency < 500ms', 'latncy < 500ms'), '16:32 checks[0].expect[1]: unknown metric "latncy"'],
    ['a malformed duration', (t: string) => t.replace('every: 15s', 'every: soon'), '15:12 checks[0].every: expected a duration such as 30s, 10m, 24h'],
    ['an unknown system', (t: string) => t.replace('system: hotel-pms', 'system: hotel-pmz'), '12:13 checks[0].system: unknown system "hotel-pmz" (systems: hotel-common, hotel-pms)'],
    ['an unknown leader', (t: string) => t.replace('leader: luna', 'leader: lunaa'), '9:35 systems.hotel-pms.leader: unknown person "lunaa"'],
    ['an unknown key', (t: string) => t.replace('timezone: Asia/Tokyo', 'timezone: Asia/Tokyo\ntimezon: UTC'), '3:10 timezon: unknown key "timezon"'],
    ['a duplicate check id', (t: string) => t.replace('id: disk', 'id: pms-api'), '18:9 checks[1].id: duplicate check id "pms-api"'],
    ['a wrong type', (t: string) => t.replace('severity: HIGH', 'severity: LOUD'), '17:15 checks[0].severity: '],
    ['an unknown time zone', (t: string) => t.replace('Asia/Tokyo', 'Mars/Olympus'), '2:11 timezone: unknown time zone "Mars/Olympus"'],
    ['a missing required key', (t: string) => t.replace('project: Hotel integration\n', ''), 'project: '],
    ['a kind-specific mistake', (t: string) => t.replace('url: http://127.0.0.1:8002/health', 'url: ftp://x'), '14:10 checks[0].url: expected an http:// or https:// URL'],
    ['a bad plan setting', (t: string) => t + 'plan:\n  standup: { due: "25:00" }\n', '25:19 plan.standup.due: expected a time of day'],
    ['a short dashboard token', (t: string) => t + 'server:\n  auth: { token: short }\n', 'server.auth.token: the token needs at least 16 characters'],
    ['an escalation to nobody', (t: string) => t + 'severities:\n  HIGH:\n    respond_within: 1h\n    escalate: [{ after: 1h, to: [nobody] }]\n', 'severities.HIGH.escalate[0].to[0]: unknown person "nobody"'],
  ])('%s', (_name, edit, expected) => {
    const issues = issuesOf(edit(base));
    expect(issues.some((i) => i.includes(expected)), `${expected}\nnot in:\n${issues.join('\n')}`).toBe(true);
  });

  it('takes the dashboard token from the environment and counts it among the secrets to redact', async () => {
    const token = 'dashboard-token-0123456789';
    const config = loadConfigText(`${base}server:\n  public_url: https://imos.example.com\n  auth: { token: "\${IMOS_SERVER_TOKEN}" }\n`, FILE, { env: { IMOS_SERVER_TOKEN: token } });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3401, public_url: 'https://imos.example.com', auth: { token, public_badges: false } });
    const { configSecrets } = await import('../../src/config/secrets.js');
    expect(configSecrets(config)).toContain(token);
  });

  it('validates a disabled check but does not run it', () => {
    const config = loadConfigText(base.replace('kind: command', 'kind: command\n    enabled: false'), FILE, { env: {} });
    expect(config.checks.map((c) => c.id)).toEqual(['pms-api']);
    expect(config.disabledChecks).toEqual(['disk']);
    expect(issuesOf(base.replace('kind: command', 'kind: command\n    enabled: false\n    every: never')).join('\n')).toContain('checks[1].every');
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('project: x\nsystems:\n  a: { name: [unclosed\n');
    expect(issues[0]).toMatch(/^[34]:/);
  });

  it('names the file in every message, and a missing file clearly', () => {
    expect(() => loadConfigFile('/nonexistent/imos.yaml')).toThrow('/nonexistent/imos.yaml: configuration file not found');
    try {
      loadConfigText(base.replace('every: 15s', 'every: soon'), FILE, { env: {} });
    } catch (error) {
      expect((error as Error).message).toMatch(/^\/work\/imos\.yaml:15:12: checks\[0\]\.every: /);
    }
  });

  it('loads the example workspace', () => {
    const example = path.resolve(import.meta.dirname, '../../data/example/imos.yaml');
    const config = loadConfigFile(example, { env: {} });
    expect(Object.keys(config.systems)).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
    expect(config.checks.length).toBeGreaterThanOrEqual(5);
  });

  it('resolves relative paths against the configuration file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'imos.yaml'), base + 'matrix: ./plan/matrix.md\nstore: ./state/imos.json\n');
      const config = loadConfigFile(path.join(dir, 'imos.yaml'), { env: {} });
      expect(config.matrix).toBe(path.join(dir, 'plan/matrix.md'));
      expect(config.store).toBe(path.join(dir, 'state/imos.json'));
      expect(config.baseDir).toBe(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('strips terminal controls from the names it shows (project, people, systems, checks, phases)', () => {
    const evil = '\u001b]0;owned\u0007\u001b[2J\u202e\u009b31m';
    const text = base
      .replace('project: Hotel integration', `project: "Hotel${evil} integration"`)
      .replace('{ name: Luna }', `{ name: "Luna${evil}" }`)
      .replace('{ name: PMS,', `{ name: "PMS${evil}",`)
      .replace('    every: 15s\n', `    every: 15s\n    name: "PMS API${evil}"\n`) +
      `phases:\n  - { name: "Phase 1${evil}", start: 2025-01-01, end: 2025-02-01 }\n`;
    const config = loadConfigText(text, FILE, { env: {} });
    const shown = [config.project, config.people.luna!.name, config.systems['hotel-pms']!.name, config.checks[0]!.name, config.phases[0]!.name];
    expect(shown).toEqual(['Hotel integration', 'Luna', 'PMS', 'PMS API', 'Phase 1']);
  });

  it('refuses a check interval under 1s and a timeout of 0 (a check run back to back, or failing at once)', () => {
    const text = base.replace('    every: 15s\n', '    every: 0s\n    timeout: 0ms\n').replace('checks:\n', 'defaults: { every: 500ms }\nchecks:\n');
    expect(issuesOf(text)).toEqual([
      '10:20 defaults.every: expected an interval of at least 1s',
      '16:12 checks[0].every: expected an interval of at least 1s',
      '17:14 checks[0].timeout: expected a timeout longer than 0s',
    ]);
    expect(issuesOf(base.replace('    every: 15s\n', '    every: 5x\n'))).toEqual(['15:12 checks[0].every: expected a duration such as 30s, 10m, 24h']);
  });

  it("lists problems in the file's order, and a check's own kind problems once the rest is sound", () => {
    const strip = (issue: string) => issue.replace(/^\d+:\d+ /, '');
    const kindMistake = base.replace('run: [df, -P, .]', 'run: "df -P ."');
    const text = kindMistake.replace('    every: 15s\n', '    every: soon\n').replace('checks:\n', 'defaults: { every: soon }\nchecks:\n') + 'server: { port: -1 }\n';
    expect(issuesOf(text).map(strip)).toEqual([
      'defaults.every: expected a duration such as 30s, 10m, 24h',
      'checks[0].every: expected a duration such as 30s, 10m, 24h',
      'server.port: Too small: expected number to be >=0',
    ]);
    expect(issuesOf(kindMistake).map(strip)).toEqual([
      'checks[1].run: a command line as one string needs `shell: true`; otherwise write it as a list [program, arg, …]',
    ]);
  });

  it("keeps a check's options as its kind reads them (a kind that drops unknown keys gets only its own)", () => {
    const text = `${base}  - { id: db, system: hotel-common, kind: postgres, url: "postgres://127.0.0.1/db", every: 1m }\n`;
    const config = loadConfigText(text, FILE, { env: {} });
    expect(config.checks.find((c) => c.id === 'db')!.options).toEqual({ url: 'postgres://127.0.0.1/db' });
    expect(config.checks.find((c) => c.id === 'pms-api')!.options).toMatchObject({ id: 'pms-api', url: 'http://127.0.0.1:8002/health', headers: {}, follow_redirects: true });
  });

  it('names a misspelt key of a check kind instead of ignoring it', () => {
    const text = `${base}  - { id: web, system: hotel-pms, kind: http, url: "http://127.0.0.1:9/", headrs: { A: b } }
  - { id: cmd, system: hotel-pms, kind: command, run: [ls], captur: x }
  - { id: mig, system: hotel-common, kind: migrations, url: "postgres://h/db", style: prisma, dir: ./m, tabel: x }
  - { id: lag, system: hotel-pms, kind: sync-lag, url: "postgres://h/db", query: "select 1", treshold: 5 }
`;
    const issues = issuesOf(text);
    expect(issues).toHaveLength(4);
    expect(issues[0]).toMatch(
      /^24:\d+ checks\[2\]\.headrs: unknown key "headrs" for a http check \(did you mean "headers"\?\); allowed: id, system, kind, name, every, timeout, failure_threshold, success_threshold, thresholds, expect, severity, enabled, url, method, headers, body, follow_redirects$/,
    );
    expect(issues[1]).toMatch(/checks\[3\]\.captur: unknown key "captur" for a command check/);
    expect(issues[2]).toMatch(/checks\[4\]\.tabel: unknown key "tabel" for a migrations check/);
    expect(issues[3]).toMatch(/checks\[5\]\.treshold: unknown key "treshold" for a sync-lag check/);
  });

  it('hints: a number for a duration, every allowed key and the closest one, one YAML mistake once', () => {
    expect(issuesOf(base.replace('every: 15s', 'every: 30'))).toEqual(['15:12 checks[0].every: 30 is a number, not a duration: use a duration such as 30s']);
    const misspelt = issuesOf(base.replace('    expect: [', '    expct: ['));
    expect(misspelt).toHaveLength(1);
    expect(misspelt[0]).toMatch(/^16:\d+ checks\[0\]\.expct: unknown key "expct" for a http check \(did you mean "expect"\?\); allowed: .*\bexpect\b/);
    for (const key of ['thresholds', 'severity', 'expect', 'url']) expect(misspelt[0]).toMatch(new RegExp(`allowed: .*\\b${key}\\b`));
    expect(issuesOf(base.replace('timezone: Asia/Tokyo', 'timezone: Asia/Tokyo\ndefaults: { evry: 30s }'))).toEqual([
      '3:19 defaults.evry: unknown key "evry" (did you mean "every"?); allowed: every, timeout, failure_threshold, success_threshold, concurrency, history',
    ]);
    // Nothing near enough: no guess, still the list.
    expect(issuesOf(base.replace('timezone: Asia/Tokyo', 'timezone: Asia/Tokyo\ndefaults: { colour: red }'))[0]).toBe(
      '3:21 defaults.colour: unknown key "colour"; allowed: every, timeout, failure_threshold, success_threshold, concurrency, history',
    );
    // An unquoted ${VAR} inside { … }: one problem, where it is, what to write, how many more follow.
    const yaml = issuesOf(`${base}  - { id: db, system: hotel-common, kind: postgres, url: \${DATABASE_URL} }\n  - id: after\n    system: hotel-pms\n    kind: http\n    url: http://127.0.0.1:1/\n`);
    expect(yaml).toHaveLength(1);
    expect(yaml[0]).toMatch(
      /^24:\d+ : Unexpected flow-map-start at node end — a \$\{VAR\} inside \{ … \} or \[ … \] must be quoted, or YAML reads its \{ as a mapping: write url: "\$\{DATABASE_URL\}" \(\d+ more YAML problems follow from it: fix this one first\)$/,
    );
  });

  it('refuses maintenance times and phase dates it could not read (the window would never apply)', () => {
    const text = `${base}maintenance:
  - { name: a, systems: [hotel-pms], start: "tonight", end: "2025-02-02T02:00" }
  - { name: b, systems: [hotel-pms], start: "2025-02-01T25:99", end: "2025-13-01" }
  - { name: c, systems: [hotel-pms], start: "2025-02-02T22:00", end: "2025-02-01T02:00" }
  - { name: ok, systems: [hotel-pms], start: "2025-02-01T22:00+09:00", end: "2025-02-02 02:00" }
phases:
  - { name: P, start: "2025-02-30", end: "2025-03-10" }
`;
    expect(issuesOf(text).map((i) => i.replace(/^\d+:\d+ /, ''))).toEqual([
      'phases[0].start: not a calendar date (expected YYYY-MM-DD)',
    ]);
    expect(issuesOf(text.replace('2025-02-30', '2025-02-28')).map((i) => i.replace(/^\d+:\d+ /, ''))).toEqual([
      'maintenance[0].start: "tonight" is not a date and time such as 2025-02-01T22:00 (or with an offset, +09:00)',
      'maintenance[1].start: "2025-02-01T25:99" is not a date and time such as 2025-02-01T22:00 (or with an offset, +09:00)',
      'maintenance[1].end: "2025-13-01" is not a date and time such as 2025-02-01T22:00 (or with an offset, +09:00)',
      'maintenance[2].end: ends (2025-02-01T02:00) before or when it starts (2025-02-02T22:00)',
    ]);
  });

  it('reports YAML aliases that expand without bound as a mistake in the file', () => {
    const bomb = `${base}a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: [${Array(20).fill('*b').join(', ')}]\n`;
    expect(issuesOf(bomb)).toEqual(['1:- : cannot read the YAML: Excessive alias count indicates a resource exhaustion attack']);
  });

  it('names a dependency cycle between systems, once per loop', () => {
    const text = base
      .replace('hotel-common: { name: Unified platform, leader: manager }', 'hotel-common: { name: Unified platform, leader: manager, depends_on: [hotel-pms] }')
      .replace('checks:\n', '  hotel-solo: { name: Solo, depends_on: [hotel-solo] }\nchecks:\n');
    expect(issuesOf(text).map((i) => i.replace(/^\d+:\d+ /, ''))).toEqual([
      'systems.hotel-common.depends_on[0]: dependency cycle: hotel-common → hotel-pms → hotel-common',
      'systems.hotel-solo.depends_on[0]: dependency cycle: hotel-solo → hotel-solo',
    ]);
  });
});


describe('loading for imos check --only', () => {
  const withBrokenOther = `${base}  - { id: broken, system: hotel-pms, kind: http, url: "not a url", expect: ["status ==="] }
  - { id: off, system: hotel-pms, kind: command, run: [true], enabled: false }
`;

  it('validates the named checks in full and reads the others for what running the named ones needs', () => {
    expect(issuesOf(withBrokenOther).join('\n')).toMatch(/checks\[2\]\.url/);
    const config = loadConfigText(withBrokenOther, FILE, { env: {}, checks: ['pms-api'] });
    const named = config.checks.find((c) => c.id === 'pms-api')!;
    expect(named.expect.map((c) => c.source)).toEqual(['status == 200', 'latency < 500ms', "body.status == 'ok'"]);
    expect(named.everyMs).toBe(15_000);
    // The others: known (ids, systems, kinds, their options for redaction), not validated, not parsed.
    const broken = config.checks.find((c) => c.id === 'broken')!;
    expect(broken).toMatchObject({ system: 'hotel-pms', kind: 'http', expect: [], thresholds: [] });
    expect(broken.options.url).toBe('not a url');
    expect(config.checks.map((c) => c.id)).toEqual(['pms-api', 'disk', 'broken']);
    expect(config.disabledChecks).toEqual(['off']);
  });

  it('still refuses what concerns every check: a duplicate id, an unknown system or kind, a mistake in a named check', () => {
    const dup = `${base}  - { id: disk, system: nowhere, kind: nokind }\n`;
    expect(() => loadConfigText(dup, FILE, { env: {}, checks: ['pms-api'] })).toThrow(/duplicate check id "disk"/);
    expect(() => loadConfigText(dup, FILE, { env: {}, checks: ['pms-api'] })).toThrow(/unknown system "nowhere"/);
    expect(() => loadConfigText(withBrokenOther, FILE, { env: {}, checks: ['broken'] })).toThrow(/url/);
  });
});
