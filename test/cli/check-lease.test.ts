// `imos check` and the poller lease, with real processes: a daemon that starts while a one-shot
// run's checks are still running takes the lease at once (it used to wait for the whole run), and
// a run with nobody polling still turns its results into alerts.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let dir: string;
const children: ResultPromise[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-check-lease-'));
  const node = JSON.stringify(process.execPath);
  // The suite runs until the test releases it (at most 60 s): the daemon's start is then timed by
  // what it does, not raced against a sleep a loaded machine may outlast.
  // It says when it runs (a file): the daemon is started only then, however slowly the run began.
  const release = JSON.stringify(path.join(dir, 'release'));
  const running = JSON.stringify(path.join(dir, 'suite-running'));
  const suite = JSON.stringify(`const t0 = Date.now(); const fs = require('fs'); fs.writeFileSync(${running}, ''); setInterval(() => { if (fs.existsSync(${release}) || Date.now() - t0 > 60000) process.exit(0); }, 50);`);
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Check lease test
systems: { pms: { name: PMS } }
defaults: { every: 1h, failure_threshold: 1 }
checks:
  - { id: suite, system: pms, kind: command, run: [${node}, "-e", ${suite}], timeout: 90s }
  - { id: broken, system: pms, kind: command, run: [${node}, "-e", "process.exit(3)"], thresholds: { HIGH: "exit != 0" } }
store: ./state/imos.json
`,
  );
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): ResultPromise {
  const env = { ...process.env };
  delete env.CI;
  const child = execa(process.execPath, [IMOS_BIN, ...args], { cwd: dir, env, extendEnv: false, reject: false, timeout: 60_000 });
  children.push(child);
  return child;
}

async function poller(): Promise<{ pid: number; role: string } | null> {
  return JSON.parse((await runImos(['status', '--json'], { cwd: dir })).stdout).poller;
}

describe('imos check and the poller lease', () => {
  it('does not keep a starting daemon waiting while its checks run, and opens alerts when nobody polls', async () => {
    const check = start(['check']);
    await waitUntil('the check run to start its suite', () => fs.existsSync(path.join(dir, 'suite-running')));
    const daemon = start(['daemon']);
    const holder = await waitUntil('the daemon to hold the lease', async () => {
      const now = await poller();
      return now?.pid === daemon.pid ? now : null;
    }, HANG_MS, 100);
    expect(holder.role).toBe('daemon');
    expect(check.exitCode).toBeNull(); // the one-shot run is still going
    fs.writeFileSync(path.join(dir, 'release'), '');
    expect((await check).exitCode).toBe(1); // broken is HIGH
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);

    // Nobody polls now: the run itself opens the alert (the daemon's is resolved by hand first).
    expect(await poller()).toBeNull();
    for (const a of JSON.parse((await runImos(['alerts', '--json'], { cwd: dir })).stdout) as Array<{ id: string }>) {
      expect((await runImos(['resolve', a.id, '--as', 'suno'], { cwd: dir })).exitCode).toBe(0);
    }
    expect((await runImos(['check', '--only', 'broken'], { cwd: dir })).exitCode).toBe(1);
    const alerts = JSON.parse((await runImos(['alerts', '--json'], { cwd: dir })).stdout) as Array<{ checkId: string; state: string }>;
    expect(alerts.filter((a) => a.checkId === 'broken').map((a) => a.state)).toEqual(['open']);
  }, 90_000); // some ten runs of the CLI, each seconds long on a loaded machine
});
