// `imos demo --headless` as a user starts it: the built binary, from a clean temporary directory
// (its own TMPDIR, so even PostgreSQL's template is made fresh). The scripted PMS outage must open
// an alert that escalates nothing twice and resolves; SIGTERM must leave no process and no file.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../src/pg-cluster/cluster.js';
import { runImos } from '../helpers/cli.js';
import { cleanUpProcesses, processesMentioning, startDemo, waitFor } from '../helpers/imos-process.js';
import { CLI_HANG_MS, HANG_MS } from '../helpers/bounds.js';

afterEach(cleanUpProcesses);

async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(HANG_MS) });
  expect(res.status).toBe(200);
  return res.json();
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('imos demo --headless', () => {
  it.skipIf(!postgresAvailable())(
    'plays the PMS outage (alert opens and resolves), serves /api/status, and leaves nothing behind on SIGTERM',
    async () => {
      const run = startDemo(['--speed', '120']);
      // A fresh PostgreSQL (initdb in the demo's own TMPDIR) first: tens of seconds on a loaded machine.
      const base = await waitFor('the status URL', run, 60_000, () => /(http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(run.stdout())?.[1]);
      const pmsUrl = /hotel-pms\s+(http:\/\/127\.0\.0\.1:\d+)\/health/.exec(run.stdout())?.[1];
      expect(pmsUrl).toBeDefined();
      expect(run.stderr()).toMatch(/starting a throwaway PostgreSQL/);
      const postmasters = processesMentioning(run.tmp);
      expect(postmasters.length).toBeGreaterThan(0);

      // The outage: pms-api opens an alert, then the PMS comes back and it resolves.
      let seenOpen = false;
      const resolved = await waitFor('the PMS alert to open and resolve', run, 50_000, async () => {
        const { alerts } = await getJson(`${base}/api/alerts?all=1`);
        const pms = alerts.filter((a: any) => a.checkId === 'pms-api');
        if (pms.some((a: any) => a.state === 'open')) seenOpen = true;
        return seenOpen ? pms.find((a: any) => a.state === 'resolved') : undefined;
      });
      expect(resolved).toMatchObject({ system: 'hotel-pms', severity: 'CRITICAL', state: 'resolved' });
      expect(Date.parse(resolved.resolvedAt)).toBeGreaterThan(Date.parse(resolved.openedAt));

      const status = await getJson(`${base}/api/status`);
      expect(status.project).toBe('Hotel integration');
      expect(status.poller).toMatchObject({ pid: run.child.pid, role: 'daemon' });
      expect(status.systems.map((s: any) => s.id).sort()).toEqual(['hotel-common', 'hotel-member', 'hotel-pms', 'hotel-saas']);
      const checks = new Map<string, any>(status.systems.flatMap((s: any) => s.checks).map((c: any) => [c.id, c]));
      expect(checks.get('pms-api').status).toBe('ok');
      expect(checks.get('pending-migrations')).toMatchObject({ status: 'CRITICAL', metrics: { pending: 1, applied: 2 } });
      expect(checks.get('unified-tables')).toMatchObject({ status: 'HIGH', metrics: { present: 11, expected: 13 } });
      expect(checks.get('saas-typescript')).toMatchObject({ status: 'HIGH', value: 4 });
      expect(checks.get('reservation-sync').status).not.toBe('error');
      expect(JSON.stringify(status)).not.toMatch(/imos:[0-9a-f]{24}@/); // the checks' password never shows
      // The CRITICAL migrations alert, open since the start, has escalated on the compressed clock.
      const { alerts } = await getJson(`${base}/api/alerts`);
      expect(alerts.find((a: any) => a.checkId === 'pending-migrations')?.escalationLevel).toBeGreaterThanOrEqual(1);
      // The code gate fails on the bundled project's TypeScript errors: its own alert, once.
      const gate = alerts.filter((a: any) => a.checkId === 'gate:code-quality');
      expect(gate).toHaveLength(1);
      expect(gate[0]).toMatchObject({ type: 'QUALITY_GATE', severity: 'HIGH', system: 'hotel-saas' });
      expect(gate[0].message).toMatch(/^code gate "TypeScript errors 0, coverage ≥ 80 %" fails: saas-typescript errors == 0 \(was 4\)/);

      run.child.kill('SIGTERM');
      const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), CLI_HANG_MS))]);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(processesMentioning(run.tmp)).toEqual([]);
      expect(await refused(`${base}/healthz`)).toBe(true);
      expect(await refused(`${pmsUrl}/health`)).toBe(true);
      // Only PostgreSQL's per-machine template cache may stay (it is reused by the next start).
      expect(readdirSync(run.tmp).filter((name) => !name.startsWith('imos-pg-template-'))).toEqual([]);
    },
    // A hang bound (the whole run was also held to 60 s, which a loaded machine's initdb alone may take).
    240_000,
  );

  it.skipIf(!postgresAvailable())('killed outright (SIGKILL), leaves no PostgreSQL and no temporary directory behind', async () => {
    const run = startDemo(['--speed', '60']);
    await waitFor('PostgreSQL to be ready', run, 60_000, () => (/PostgreSQL ready/.test(run.stderr()) ? true : undefined));
    await waitFor('the status URL', run, 30_000, () => /(http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(run.stdout())?.[1]);
    expect(processesMentioning(run.tmp).length).toBeGreaterThan(0);
    run.child.kill('SIGKILL');
    await run.exited;
    // Its reaper stops PostgreSQL and removes the files: seconds, more on a loaded machine.
    const deadline = Date.now() + CLI_HANG_MS;
    let left: string[] = [];
    for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
      left = [
        ...processesMentioning(run.tmp).map((pid) => `pid ${pid}`),
        ...readdirSync(run.tmp).filter((name) => !name.startsWith('imos-pg-template-')),
      ];
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toEqual([]);
  }, 120_000);

  it.skipIf(!postgresAvailable())('--store postgres keeps the demo store in its PostgreSQL: another process acts on it, and it is gone afterwards', async () => {
    const run = startDemo(['--speed', '60', '--store', 'postgres']);
    const base = await waitFor('the status URL', run, 60_000, () => /(http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(run.stdout())?.[1]);
    const storeUrl = /store:\s+(postgresql:\/\/\S+)/.exec(run.stdout())?.[1];
    expect(storeUrl).toMatch(/^postgresql:\/\/test@127\.0\.0\.1:\d+\/imos_store$/);
    expect(run.stdout()).toContain(`--store ${storeUrl}`);
    const config = /console:\s+imos console --config (\S+)/.exec(run.stdout())![1]!;
    // The seeded standups are in the database; an alert opened by the demo's daemon is acknowledged
    // by a second process through the database, and the demo's HTTP face shows it.
    const open = await waitFor('an open alert', run, 30_000, async () => (await getJson(`${base}/api/alerts`)).alerts.find((a: any) => a.state === 'open'));
    const ack = await runImos(['--config', config, '--store', storeUrl!, 'ack', open.id, '--as', 'luna', '--note', 'from another process'], { env: run.env });
    expect(ack.exitCode, ack.stderr).toBe(0);
    const acked = await waitFor('the acknowledgement on the HTTP face', run, HANG_MS, async () =>
      (await getJson(`${base}/api/alerts`)).alerts.find((a: any) => a.id === open.id && a.state === 'acknowledged'),
    );
    expect(acked.acknowledgedBy).toBe('luna');
    const standups = await runImos(['--config', config, '--store', storeUrl!, 'standup', 'list', '--json'], { env: run.env });
    expect(standups.exitCode, standups.stderr).toBe(0);
    expect(JSON.parse(standups.stdout).standups.length).toBeGreaterThan(0); // the seeded ones of today
    run.child.kill('SIGTERM');
    const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), CLI_HANG_MS))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(processesMentioning(run.tmp)).toEqual([]);
  }, 240_000);

  it('refuses --store postgres without PostgreSQL, and an unknown --store kind', async () => {
    const off = startDemo(['--no-postgres', '--store', 'postgres']);
    expect((await off.exited).code).toBe(64);
    expect(off.stderr()).toContain('--store postgres needs PostgreSQL');
    const odd = startDemo(['--store', 'mongodb']);
    expect((await odd.exited).code).toBe(64);
    expect(odd.stderr()).toContain('imos demo --store takes json or postgres');
  });

  it('without PostgreSQL shows the database checks as off, and stops cleanly on SIGINT', async () => {
    const run = startDemo(['--no-postgres', '--speed', '60']);
    const base = await waitFor('the status URL', run, 4 * HANG_MS, () => /(http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(run.stdout())?.[1]);
    expect(run.stdout()).toContain("the demo's database checks are off");
    const notice = await waitFor('the notice check', run, HANG_MS, async () => {
      const status = await getJson(`${base}/api/status`);
      const check = status.systems.flatMap((s: any) => s.checks).find((c: any) => c.id === 'database-checks');
      return check?.status === 'ok' ? check : undefined;
    });
    expect(notice.message).toContain("the demo's database checks are off");
    const status = await getJson(`${base}/api/status`);
    expect(status.systems.flatMap((s: any) => s.checks).map((c: any) => c.kind)).not.toContain('postgres');
    run.child.kill('SIGINT');
    const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), CLI_HANG_MS))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(readdirSync(run.tmp)).toEqual([]);
  }, 120_000);

  it('refuses a bad --speed with a usage error', async () => {
    const run = startDemo(['--speed', 'fast']);
    const exit = await run.exited;
    expect(exit.code).toBe(64);
    expect(run.stderr()).toContain('--speed');
    expect(readdirSync(run.tmp)).toEqual([]);
  });
});
