// The demo's workspace: the example copied and rewritten for a compressed day; it must still load.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { coverageCheck } from '../../checks/coverage.js';
import { checkContext } from '../../checks/shared/testing.js';
import { evaluateGates } from '../../src/gates/evaluate.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { getCheckKind } from '../../checks/registry.js';
import { coordinatedPeople, playbookFor } from '../../src/playbooks/select.js';
import { DATABASE_KINDS, NO_POSTGRES_NOTICE, findExampleDir, shiftDates, writeDemoWorkspace } from '../../src/demo/workspace.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(postgres: boolean, speed = 60) {
  const dir = mkdtempSync(join(tmpdir(), 'imos-demo-ws-test-'));
  dirs.push(dir);
  return writeDemoWorkspace(findExampleDir(), dir, { speed, postgres, today: '2026-11-26' });
}

const env = {
  DATABASE_URL: 'postgresql://imos:secret@127.0.0.1:5999/hotel',
  IMOS_STORE: '/tmp/nowhere/imos.json',
};

describe('demo workspace', () => {
  it('divides intervals and escalation delays by the speed, at least 1s', () => {
    const ws = workspace(true, 60);
    const config = loadConfigFile(ws.config, { env });
    const byId = new Map(config.checks.map((c) => [c.id, c]));
    expect(byId.get('pms-api')!.everyMs).toBe(1000); // 15s / 60 → floor 1s
    expect(byId.get('pending-migrations')!.everyMs).toBe(5000); // 5m / 60
    expect(byId.get('saas-typescript')!.everyMs).toBe(10_000); // 10m / 60
    expect(config.severities.CRITICAL.escalate.map((l) => l.afterMs)).toEqual([30_000, 30_000]);
    expect(config.severities.CRITICAL.ackTimeoutMs).toBe(120_000);
    expect(config.severities.HIGH.respondWithinMs).toBe(60_000);
    expect(config.checks.filter((c) => DATABASE_KINDS.has(c.kind)).length).toBe(5);
  });

  it('moves the plan by whole weeks so that today falls inside it', () => {
    const ws = workspace(true);
    const config = loadConfigFile(ws.config, { env });
    expect(config.phases[0]!.start).toBe('2026-11-16'); // 2025-01-20 (a Monday) + 95 weeks
    expect(new Date(`${config.phases[0]!.start}T00:00:00Z`).getUTCDay()).toBe(1);
    const matrix = readFileSync(ws.matrix, 'utf8');
    expect(matrix).not.toContain('2025-01-');
    expect(matrix).toContain('| 2026-11-16 |');
  });

  it('without PostgreSQL, replaces the database checks by one visible notice', () => {
    const ws = workspace(false);
    const config = loadConfigFile(ws.config, { env: {} });
    expect(config.checks.some((c) => DATABASE_KINDS.has(c.kind))).toBe(false);
    const notice = config.checks.find((c) => c.id === 'database-checks')!;
    expect(notice.kind).toBe('command');
    expect(readFileSync(ws.config, 'utf8')).toContain(NO_POSTGRES_NOTICE);
    // The gates keep what they can still read: the business flows (all in the database) go.
    expect(config.gates.map((g) => [g.id, g.requirements.map((r) => r.label)])).toEqual([
      ['code-quality', ['kind typescript', 'kind coverage']],
      ['systems-connected', ['kind http']],
    ]);
  });

  it("keeps the example's gates for the three levels of an integration, and runs its node programs with this Node", () => {
    const ws = workspace(true);
    const config = loadConfigFile(ws.config, { env });
    expect(config.gates.map((g) => [g.level, g.id, g.phase ?? null])).toEqual([
      ['code', 'code-quality', 'Phase 2'],
      ['integration', 'systems-connected', 'Phase 2'],
      ['business', 'business-flows', null],
    ]);
    expect(config.gates[1]!.requirements[0]!.checks).toEqual(['member-api', 'pms-api', 'saas-api', 'common-api']);
    const coverage = config.checks.find((c) => c.id === 'saas-coverage')!;
    expect((coverage.options.run as string[])[0]).toBe(process.execPath);
  });

  it("the example's coverage check runs the checkout tests and its code gate reads it: 77.8 % is under 80 %", async () => {
    const ws = workspace(true);
    const config = loadConfigFile(ws.config, { env });
    const check = config.checks.find((c) => c.id === 'saas-coverage')!;
    const outcome = await coverageCheck.run(coverageCheck.schema.parse(check.options), checkContext({ baseDir: dirname(ws.config), timeoutMs: 60_000 }));
    expect(outcome.status).toBeUndefined();
    expect(outcome.metrics).toMatchObject({ lines: 77.8, files: 2 });
    expect(outcome.message).toContain('lowest checkout/billing.mjs 66.7 %');
    const [code] = evaluateGates(config.gates, (id) =>
      id === 'saas-coverage'
        ? { status: 'ok', value: outcome.value, metrics: outcome.metrics as Record<string, number>, message: outcome.message, at: new Date().toISOString() }
        : { status: 'ok', value: 0, metrics: { errors: 0 }, message: 'no errors', at: new Date().toISOString() },
    );
    expect(code).toMatchObject({ id: 'code-quality', status: 'fail' });
    expect(code!.evidence.find((e) => e.check === 'saas-coverage')!.reason).toBe('lines >= 80% (was 77.8)');
  }, 60_000);

  it("ships a playbook for each of the example's three kinds of CRITICAL alert, answering the alerts its checks open", () => {
    const ws = workspace(true);
    const config = loadConfigFile(ws.config, { env });
    // The type a failing check of the kind opens (an HTTP endpoint that does not answer at all:
    // a connection failure).
    const answer = (kind: string) => {
      const check = config.checks.find((c) => c.kind === kind)!;
      const type = kind === 'http' ? 'SYSTEM_CONNECTION_FAILURE' : getCheckKind(kind)!.alertType;
      return { check, type, playbook: playbookFor(config, { checkId: check.id, type }) };
    };
    // Pending migrations: reported to the project owner at once.
    const migrations = answer('migrations');
    expect(migrations.type).toBe('PENDING_MIGRATIONS');
    expect(coordinatedPeople(config, migrations.playbook!, migrations.check.system)).toContain('owner');
    // A system connection failure brings the affected systems' teams together: the unified
    // platform's leader and the leaders of every system that depends on it.
    const connection = answer('http');
    expect(coordinatedPeople(config, connection.playbook!, 'hotel-common').sort()).toEqual(['luna', 'manager', 'sun', 'suno']);
    // A data-sync failure starts the sync recovery: the workspace's own script, asked for first.
    const sync = answer('sync-lag');
    expect(sync.type).toBe('DATA_SYNC_FAILURE');
    const recover = sync.playbook!.actions.find((a) => a.id === 'recover')!;
    expect(recover.confirm).not.toBeNull();
    expect(recover.run.slice(0, 2)).toEqual(['sh', './scripts/recover-sync.sh']);
    expect(readFileSync(join(recover.cwd, 'scripts', 'recover-sync.sh'), 'utf8')).toContain('UPDATE sync_state SET synced_at = now()');
  });

  it('shifts only real dates', () => {
    expect(shiftDates('2025-01-31 and 20250120090000 and 2025-02-30', 1)).toBe('2025-02-01 and 20250120090000 and 2025-02-30');
    expect(shiftDates('start: "2025-02-01T22:00"', 2)).toBe('start: "2025-02-03T22:00"');
  });
});
