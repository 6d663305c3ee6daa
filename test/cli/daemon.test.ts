// `imos daemon` as it runs in production: holds the lease and polls; a second daemon waits, takes
// over within seconds after `kill -9` of the first, and stops cleanly (exit 0) on SIGTERM,
// handing the lease back.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let dir: string;
let target: HttpTarget;
const daemons: ResultPromise[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-daemon-'));
  target = await startHttpTarget({ '/health': (_req, res) => res.writeHead(200).end('ok') });
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Daemon test\nsystems: { pms: { name: PMS } }\ndefaults: { every: 1s }\nchecks:\n  - { id: api, system: pms, kind: http, url: "${target.url}/health" }\nstore: ./state/imos.json\n`,
  );
});

afterAll(async () => {
  for (const d of daemons) d.kill('SIGKILL');
  await target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startDaemon(extraEnv: NodeJS.ProcessEnv = {}): ResultPromise {
  const env = { ...process.env, ...extraEnv };
  delete env.CI;
  const child = execa(process.execPath, [IMOS_BIN, 'daemon'], { cwd: dir, env, extendEnv: false, reject: false, timeout: 60_000 });
  daemons.push(child);
  return child;
}

async function status(): Promise<{ poller: { pid: number; role: string } | null; lastPollAt: string | null }> {
  const run = await runImos(['status', '--json'], { cwd: dir });
  return JSON.parse(run.stdout);
}

/** `imos status` is a whole process: asked for no more often than this. */
const STATUS_EVERY_MS = 100;

describe('imos daemon', () => {
  it('polls as holder, is taken over after kill -9, and stops with exit 0 on SIGTERM', async () => {
    const first = startDaemon();
    const held = await waitUntil('the first daemon to poll', async () => {
      const s = await status();
      return s.poller?.pid === first.pid && s.lastPollAt ? s : undefined;
    }, HANG_MS, STATUS_EVERY_MS);
    expect(held.poller!.role).toBe('daemon');

    // The second waits: it says so once its first try at the lease is done (waited for, not
    // slept on: a loaded machine may take seconds to start it).
    const second = startDaemon();
    let secondSaid = '';
    second.stderr!.on('data', (d) => (secondSaid += String(d)));
    await waitUntil('the second daemon to start', () => /imos daemon started.*\n.*waiting to take over/.test(secondSaid), HANG_MS);
    expect(secondSaid).toContain('another process holds the poller lease; waiting to take over');
    expect((await status()).poller!.pid).toBe(first.pid);

    first.kill('SIGKILL');
    const killedAt = Date.now();
    await waitUntil('the second daemon to take over', async () => (await status()).poller?.pid === second.pid, HANG_MS, STATUS_EVERY_MS);
    expect(Date.now() - killedAt).toBeLessThan(HANG_MS); // a dead holder's lease is taken, not waited on forever

    second.kill('SIGTERM');
    const result = await second;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('stopping');
    expect((await status()).poller).toBeNull();
  }, 60_000);

  it('says why it cannot poll when the lease file is unreadable, and leaves that file alone', async () => {
    const lease = path.join(dir, 'state', 'imos.lease.json');
    fs.mkdirSync(path.dirname(lease), { recursive: true });
    fs.writeFileSync(lease, '{"holder": ');
    const daemon = startDaemon();
    // Signalled only once it has started (a loaded machine may take seconds to get there).
    let said = '';
    daemon.stderr!.on('data', (d) => (said += String(d)));
    await waitUntil('the daemon to start', () => said.includes('imos daemon started'), HANG_MS);
    // A few of its tries at the lease (one a second): the problem is said once, not at each.
    await new Promise((r) => setTimeout(r, 1500));
    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    const lines = String(result.stderr).split('\n');
    expect(lines.filter((l) => l.includes(`poller lease: ${lease} is not valid JSON`))).toHaveLength(1); // once, not every second
    expect(String(result.stderr)).not.toContain('another process holds');
    expect(fs.readFileSync(lease, 'utf8')).toBe('{"holder": ');
    fs.rmSync(lease);
  }, 60_000);

  it('keeps terminal controls in the login name out of the lease file and imos status', async () => {
    const daemon = startDaemon({ USER: 'ops\u001b]0;owned\u0007\u001b[2J', SUDO_USER: '', LOGNAME: '' });
    await waitUntil('the daemon to hold the lease', async () => (await status()).poller?.pid === daemon.pid, HANG_MS, STATUS_EVERY_MS);
    const text = await runImos(['status'], { cwd: dir });
    expect(text.stdout).toContain(`pid ${daemon.pid} on `);
    expect(text.stdout).toContain('(ops)');
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(fs.readFileSync(path.join(dir, 'state', 'imos.lease.json'), 'utf8')).toContain('"user":"ops"');
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
  }, 60_000);
});

