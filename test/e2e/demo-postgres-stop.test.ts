// `imos demo` leaves only after its PostgreSQL has stopped, even when `pg_ctl stop` gives up (a
// loaded machine, a server slow to shut down): the demo must not exit while its server is still
// running. Here pg_ctl cannot reach the cluster's directory (its permissions taken away, so it fails
// at once) while the server keeps running; the test stops the server itself a moment later, and the
// demo may exit only after that.
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../src/pg-cluster/cluster.js';
import { isProcessRunning } from '../../src/processes.js';
import { HANG_MS } from '../helpers/bounds.js';
import { cleanUpProcesses, startDemo, waitFor } from '../helpers/imos-process.js';

afterEach(cleanUpProcesses);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgresAvailable())('imos demo stopping its PostgreSQL', () => {
  it('exits only once its PostgreSQL is gone, though pg_ctl stop failed', async () => {
    const run = startDemo(['--speed', '60']);
    await waitFor('PostgreSQL to be ready', run, 4 * HANG_MS, () => (/PostgreSQL ready/.test(run.stderr()) ? true : undefined));
    await waitFor('the status URL', run, 2 * HANG_MS, () => /\/api\/status/.exec(run.stdout())?.[0]);
    const clusterDir = readdirSync(run.tmp).filter((name) => name.startsWith('imos-pg-') && !name.startsWith('imos-pg-template-'));
    expect(clusterDir).toHaveLength(1);
    const dir = join(run.tmp, clusterDir[0]!);
    const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isProcessRunning(postmaster)).toBe(true);

    // pg_ctl (run as the server's user) can no longer open the PID file: its stop fails at once.
    chmodSync(dir, 0o000);
    run.child.kill('SIGTERM');
    // A while later the server is still running: the demo must still be there, waiting for it.
    await sleep(2000);
    const exitedEarly = run.child.exitCode !== null;
    const serverStill = isProcessRunning(postmaster);
    try {
      chmodSync(dir, 0o700);
    } catch {
      // removed by a demo that left too early: said below
    }
    if (serverStill) process.kill(postmaster, 'SIGQUIT'); // the server finishes shutting down
    const exit = await Promise.race([run.exited, sleep(HANG_MS).then(() => null)]);
    expect(serverStill).toBe(true); // the test did what it meant to: pg_ctl failed, the server ran on
    expect(exitedEarly, `the demo left while its PostgreSQL (pid ${postmaster}) was running\n${run.stderr()}`).toBe(false);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isProcessRunning(postmaster)).toBe(false);
  }, 120_000);
});
