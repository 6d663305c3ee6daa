// `imos gates` with the real binary: gates over real check results (an HTTP endpoint, a program,
// the lcov Node's test runner writes for a fixture project), its exit codes and its JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';

const project = path.resolve(import.meta.dirname, '../fixtures/coverage-project');
let dir: string;
let target: HttpTarget;
let healthy = true;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-gates-'));
  target = await startHttpTarget({
    '/health': (_req, res) => res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'),
  });
  const report = path.join(dir, 'coverage', 'lcov.info');
  fs.mkdirSync(path.dirname(report));
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Gates CLI test
systems:
  app: { name: App }
phases:
  - { name: "Phase 1: code", start: 2025-01-20, end: 2025-01-31 }
  - { name: "Phase 2: connections", start: 2025-01-27, end: 2025-02-21 }
checks:
  - id: api
    system: app
    kind: http
    url: ${target.url}/health
    failure_threshold: 1
  - id: app-coverage
    system: app
    kind: coverage
    report: ${report}
    run: [${JSON.stringify(process.execPath)}, --test, --experimental-test-coverage, --test-reporter=lcov, "--test-reporter-destination=${report}", test/node/price.spec.js]
    cwd: ${project}
    timeout: 60s
  - id: booking-flow
    system: app
    kind: command
    run: [${JSON.stringify(process.execPath)}, -e, "process.exit(0)"]
gates:
  code:
    - id: coverage
      name: coverage at least the minimum
      phase: Phase 1
      require: [{ kind: coverage, that: "lines >= \${COVERAGE_MIN:-80}%" }]
  integration:
    - id: apis
      name: every API connected
      phase: Phase 2
      severity: CRITICAL
      require: [{ kind: http }]
  business:
    - id: flows
      require: [{ check: booking-flow }]
store: ./state/imos.json
`,
  );
});

afterAll(async () => {
  await target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('imos gates', () => {
  it('exits 1 while the checks have not run: the gates are not known yet', async () => {
    const run = await runImos(['gates'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Quality gates: 0 of 3 pass — NOT YET KNOWN');
    expect(run.stdout).toMatch(/○ app-coverage\s+not run yet/);
  });

  it('exits 1 when a gate fails, naming the failing condition and the value it met', async () => {
    healthy = true;
    await runImos(['check'], { cwd: dir, timeoutMs: 90_000 });
    const run = await runImos(['gates'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Quality gates: 2 of 3 pass — FAIL');
    expect(run.stdout).toContain('✖ code · coverage at least the minimum (coverage) — fail, HIGH · phase Phase 1');
    expect(run.stdout).toMatch(/✖ app-coverage {2}lines >= 80% \(was [\d.]+\)/);
    expect(run.stdout).toMatch(/✓ integration · every API connected \(apis\) — pass/);

    const json = await runImos(['gates', '--json'], { cwd: dir });
    expect(json.exitCode).toBe(1);
    const body = JSON.parse(json.stdout);
    expect(body.status).toBe('fail');
    expect(body.gates.map((g: { id: string; level: string; status: string }) => [g.id, g.level, g.status])).toEqual([
      ['coverage', 'code', 'fail'],
      ['apis', 'integration', 'pass'],
      ['flows', 'business', 'pass'],
    ]);
    expect(Object.keys(body.gates[0])).toEqual(['id', 'name', 'level', 'phase', 'severity', 'status', 'target', 'evidence']);
    expect(Object.keys(body.gates[0].evidence[0])).toEqual(['requirement', 'check', 'verdict', 'status', 'value', 'reason', 'at']);
    expect(body.gates[0].evidence[0].value).toBeLessThan(80);
  }, 120_000);

  it('--phase judges only the gates of that phase: exit 0 when they pass, 64 for an unknown phase', async () => {
    const phase2 = await runImos(['gates', '--phase', 'Phase 2'], { cwd: dir });
    expect(phase2.exitCode).toBe(0);
    expect(phase2.stdout).toContain('Quality gates of Phase 2: connections: 1 of 1 pass — PASS');
    expect((await runImos(['gates', '--phase', 'phase 1', '--json'], { cwd: dir })).exitCode).toBe(1);
    const unknown = await runImos(['gates', '--phase', 'Phase 9'], { cwd: dir });
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('unknown phase "Phase 9" (phases: Phase 1: code, Phase 2: connections)');
  });

  it('exits 0 when every gate passes, and 1 again when an API goes down', async () => {
    const env = { COVERAGE_MIN: '40' };
    const pass = await runImos(['gates'], { cwd: dir, env });
    expect(pass.exitCode).toBe(0);
    expect(pass.stdout).toContain('Quality gates: 3 of 3 pass — PASS');
    healthy = false;
    await runImos(['check', '--only', 'api'], { cwd: dir, env });
    const down = await runImos(['gates', '--json'], { cwd: dir, env });
    expect(down.exitCode).toBe(1);
    const apis = JSON.parse(down.stdout).gates[1];
    expect(apis).toMatchObject({ id: 'apis', status: 'fail', severity: 'CRITICAL' });
    expect(apis.evidence[0].reason).toMatch(/^CRITICAL: /);
  }, 60_000);

  it('exits 78 on a gate the configuration cannot hold; imos validate counts the gates', async () => {
    expect((await runImos(['validate'], { cwd: dir })).stdout).toContain('3 checks, 3 gates, 0 people');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(path.join(dir, 'imos.yaml'), 'utf8').replace('require: [{ kind: http }]', 'require: [{ kind: http, that: lines > 1 }]'));
    const run = await runImos(['gates', '--config', bad], { cwd: dir });
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toContain('gates.integration[0].require[0].that: unknown metric "lines"');
  });
});
