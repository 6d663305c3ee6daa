// The demo's workspace: the example copied and rewritten for a compressed day; it must still load.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
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
  });

  it('shifts only real dates', () => {
    expect(shiftDates('2025-01-31 and 20250120090000 and 2025-02-30', 1)).toBe('2025-02-01 and 20250120090000 and 2025-02-30');
    expect(shiftDates('start: "2025-02-01T22:00"', 2)).toBe('start: "2025-02-03T22:00"');
  });
});
