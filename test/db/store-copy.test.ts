// `imos store copy` with the real binary: the report fixture's workspace moved from its JSON store to
// a throwaway PostgreSQL and back, each time producing the same daily report (the golden file) and
// the same counts; a target that holds something is refused unless --replace.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, renderReport } from '../../src/reports/build.js';
import { openStore } from '../../src/store/open.js';
import { runImos } from '../helpers/cli.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { FIXTURE_NOW, loadFixture } from '../plan/fixture.js';
import { makeWorkspace, type Workspace } from '../plan/workspace.js';

const GOLDEN = path.resolve(import.meta.dirname, '../plan/golden/daily-2025-01-28.md');

const PASSWORD = 'copy-S3cret-pw';
let db: TestPostgres;
/** A role with a password (the test superuser has none), so redaction is tested for real. */
let userUrl: string;
let ws: Workspace | null = null;

beforeAll(async () => {
  db = await startPostgres();
  userUrl = await db.createUser('copier', PASSWORD);
  await db.query('GRANT CREATE ON DATABASE postgres TO copier');
}, 60_000);
afterAll(async () => db?.stop());
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

const daily = async (target: string) => {
  const store = await openStore(target);
  try {
    return renderReport(await buildReport('daily', ws!.config, store, '2025-01-28', FIXTURE_NOW), 'md');
  } finally {
    await store.close();
  }
};

describe.skipIf(!postgresAvailable())('imos store copy', () => {
  it('moves a workspace to PostgreSQL and back: the same report, the same counts', async () => {
    ws = await makeWorkspace({ now: new Date(FIXTURE_NOW).toISOString() });
    await loadFixture(ws.store, ws.config);
    const golden = await fs.readFile(GOLDEN, 'utf8');
    expect(await daily(ws.store.location)).toBe(golden);
    await ws.store.close();

    const url = `${userUrl}?schema=copy_${process.pid}`;
    const there = await runImos(['--config', ws.configFile, 'store', 'copy', '--to', url, '--json']);
    expect(there.exitCode, there.stderr).toBe(0);
    const report = JSON.parse(there.stdout) as { verified: boolean; to: string; counts: Array<{ what: string; source: number; target: number }> };
    expect(report.verified).toBe(true);
    expect(report.to).not.toContain(PASSWORD);
    expect(report.counts.find((c) => c.what === 'alerts')).toEqual({ what: 'alerts', source: 5, target: 5 });
    expect(report.counts.find((c) => c.what === 'audit')!.source).toBeGreaterThan(5);
    expect(await daily(url)).toBe(golden);

    // Into a store that holds something: refused, nothing written.
    const again = await runImos(['--config', ws.configFile, 'store', 'copy', '--to', url]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/is not empty \(.*5 alerts.*\); copy into an empty store, or give --replace/);
    expect(again.stderr).not.toContain(PASSWORD);

    const back = path.join(ws.dir, 'back', 'imos.json');
    const home = await runImos(['--config', ws.configFile, 'store', 'copy', '--from', url, '--to', back]);
    expect(home.exitCode, home.stderr).toBe(0);
    expect(home.stdout).toMatch(/every count matches/);
    expect(await daily(back)).toBe(golden);

    // --replace empties the target's records first; its audit log stays, and gains only the
    // entries it lacks (the same entries twice would count twice in every report from the log).
    const auditLength = async (target: string) => {
      const store = await openStore(target);
      try {
        return (await store.readAudit()).length;
      } finally {
        await store.close();
      }
    };
    const backAudit = await auditLength(back);
    const replaced = await runImos(['--config', ws.configFile, 'store', 'copy', '--from', url, '--to', back, '--replace', '--json']);
    expect(replaced.exitCode, replaced.stderr).toBe(0);
    expect((JSON.parse(replaced.stdout) as { verified: boolean }).verified).toBe(true);
    expect(await daily(back)).toBe(golden);
    expect(await auditLength(back)).toBe(backAudit);

    const check = await runImos(['--store', url, 'store', 'check'], { cwd: ws.dir });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/✓ core +postgresql:\/\/.*· \d+ records/);
    expect(check.stdout).not.toContain(PASSWORD);
  }, 90_000);

  it('names both sides and the reason when a store cannot be opened', async () => {
    ws = await makeWorkspace({ now: new Date(FIXTURE_NOW).toISOString() });
    const wrong = userUrl.replace(PASSWORD, 'wrong-password');
    const r = await runImos(['--config', ws.configFile, 'store', 'copy', '--to', wrong]);
    expect(r.exitCode).toBe(78);
    expect(r.stderr).toMatch(/password authentication failed|authentication/i);
    expect(r.stderr).not.toContain('wrong-password');
    const same = await runImos(['--config', ws.configFile, 'store', 'copy', '--to', ws.config.store]);
    expect(same.exitCode).toBe(64);
  }, 60_000);
});
