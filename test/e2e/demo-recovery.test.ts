// The demo's sync-recovery playbook end to end: the example workspace on the demo's database, its
// reservation sync stalled; the built `imos check` opens the DATA_SYNC_FAILURE alert; `imos run
// ALERT recover` runs the example's real recovery script (psql, as the role allowed to update the
// sync only), and the alert's check, run again at once, clears it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type PgCluster } from '../../src/pg-cluster/cluster.js';
import { createDemoDatabase, DEMO_DATABASE, type DemoDatabase } from '../../src/demo/database.js';
import { findExampleDir, writeDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { runImos } from '../helpers/cli.js';
import { CLI_HANG_MS } from '../helpers/bounds.js';

describe.skipIf(!postgresAvailable())("the demo's sync recovery", () => {
  let cluster: PgCluster;
  let db: DemoDatabase;
  let dir: string;
  let ws: DemoWorkspace;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cluster = await startPostgres();
    const example = findExampleDir();
    db = await createDemoDatabase(cluster, join(example, 'prisma', 'migrations'));
    dir = mkdtempSync(join(tmpdir(), 'imos-demo-recovery-'));
    ws = writeDemoWorkspace(example, join(dir, 'workspace'), { speed: 60, postgres: true, today: new Date().toISOString().slice(0, 10) });
    env = { DATABASE_URL: db.checksUrl, SYNC_RECOVERY_URL: db.syncRecoveryUrl, IMOS_STORE: ws.store, IMOS_CONFIG: ws.config };
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const imos = (args: string[], timeoutMs = CLI_HANG_MS) => runImos(args, { cwd: ws.dir, env, timeoutMs });

  it('brings the sync lag back down and the sync-lag alert clears', async () => {
    // The PMS sync stalled ten minutes ago.
    let stalledAt = 0;
    const admin = new pg.Client({ connectionString: cluster.urlFor(DEMO_DATABASE) });
    await admin.connect();
    try {
      await admin.query(`UPDATE sync_state SET synced_at = now() - interval '10 minutes' WHERE source = 'pms'`);
      stalledAt = Date.now();
    } finally {
      await admin.end();
    }
    // Two failing runs (failure_threshold: 2) open the alert.
    for (let i = 0; i < 2; i++) expect((await imos(['check', '--only', 'reservation-sync'])).exitCode).toBe(2);
    const alerts = JSON.parse((await imos(['alerts', '--json'])).stdout) as Array<{ id: string; type: string; checkId: string; state: string }>;
    const alert = alerts.find((a) => a.checkId === 'reservation-sync')!;
    expect(alert).toMatchObject({ type: 'DATA_SYNC_FAILURE', state: 'open' });

    // Who may run it: the PMS leader (luna) or the manager; the phrase is asked for.
    expect((await imos(['run', alert.id, 'recover', '--yes', '--confirm', 'recover sync', '--as', 'sun'])).stderr).toContain('allow is [leader (luna), manager]');
    expect((await imos(['run', alert.id, 'recover', '--yes', '--as', 'luna'])).exitCode).toBe(64);

    // Once recovered, the sync runs again (in the demo's world it does, every second): from the
    // moment the script has caught it up it stays caught up, however long the re-check after the
    // run takes on a loaded machine (the check says HIGH past 5 s of lag). A sync the script did not
    // catch up stays stalled: this touches only a sync less than a minute behind.
    const sync = new pg.Client({ connectionString: cluster.urlFor(DEMO_DATABASE) });
    await sync.connect();
    let recovering = true;
    const syncing = (async () => {
      while (recovering) {
        await sync.query(`UPDATE sync_state SET synced_at = now() WHERE source = 'pms' AND synced_at > now() - interval '1 minute'`);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const run = await imos(['run', alert.id, 'recover', '--yes', '--confirm', 'recover sync', '--as', 'luna']).finally(async () => {
      recovering = false;
      await syncing;
      await sync.end();
    });
    expect(run.stderr).toContain('running sh ./scripts/recover-sync.sh pms');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('recovering the pms reservation sync');
    // Ten minutes, and however long the commands above took (seconds each on a loaded machine).
    const behind = Number(/behind by (\d+) s/.exec(run.stdout)?.[1]);
    expect(behind).toBeGreaterThanOrEqual(590);
    expect(behind).toBeLessThanOrEqual(600 + Math.ceil((Date.now() - stalledAt) / 1000) + 5);
    expect(run.stdout).toMatch(/caught up at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(run.stdout).not.toContain(db.syncRecoveryUrl.replace(/^.*:\/\/[^:]+:([^@]+)@.*$/, '$1'));
    expect(run.stderr).toMatch(/reservation-sync checked again: ok/);

    const after = JSON.parse((await imos(['alerts', '--all', '--json'])).stdout) as Array<{ id: string; state: string; resolvedBy: string | null }>;
    expect(after.find((a) => a.id === alert.id)?.state).toBe('resolved');
    const report = await imos(['report', 'daily', '--format', 'md']);
    expect(report.stdout).toContain('## Actions run');
    expect(report.stdout).toMatch(new RegExp(`sync-recovery\\.recover for ${alert.id} — luna, exit 0`));
    // The script keeps its executable bit in the workspace copy (people may run it by hand too).
    expect(statSync(join(ws.dir, 'scripts', 'recover-sync.sh')).mode & 0o111).not.toBe(0);
  }, 300_000); // eight runs of the CLI, each tens of seconds long on a loaded machine
});
