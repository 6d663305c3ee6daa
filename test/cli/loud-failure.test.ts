// The real binary when it cannot poll: `imos daemon` says so and, after `poller.grace`, exits 69 for
// its supervisor to restart it; `imos serve` answers /healthz with 503 and the reason. Tried with a
// corrupt lease file and with the store's disk made read-only under a running daemon.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { canMount, mountDisk, type Disk } from '../helpers/disk.js';
import { cleanUpProcesses, startImos, stopImos, waitFor } from '../helpers/imos-process.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

let target: HttpTarget;
const children: ResultPromise[] = [];
const dirs: string[] = [];
const disks: Disk[] = [];

beforeAll(async () => {
  target = await startHttpTarget({ '/health': (_req, res) => res.writeHead(200).end('ok') });
});

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await cleanUpProcesses();
  for (const d of disks.splice(0)) d.remove();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

afterAll(async () => {
  await target.close();
});

/** A project directory whose store lives in `storeDir` (default: inside it). */
function project(storeDir?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-loud-cli-'));
  dirs.push(dir);
  const store = path.join(storeDir ?? dir, 'state', 'imos.json');
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Loud failure\nsystems: { pms: { name: PMS } }\ndefaults: { every: 1s }\nchecks:\n  - { id: api, system: pms, kind: http, url: "${target.url}/health" }\nstore: ${store}\npoller: { grace: 7s }\n`,
  );
  return dir;
}

function daemon(dir: string): ResultPromise {
  const env = { ...process.env };
  delete env.CI;
  const child = execa(process.execPath, [IMOS_BIN, 'daemon'], { cwd: dir, env, extendEnv: false, reject: false, timeout: 60_000 });
  children.push(child);
  return child;
}

describe('a daemon that cannot poll', () => {
  it('with a corrupt lease file: says so, exits 69 after poller.grace; /healthz answers 503 with the reason', async () => {
    const dir = project();
    const lease = path.join(dir, 'state', 'imos.lease.json');
    fs.mkdirSync(path.dirname(lease), { recursive: true });
    fs.writeFileSync(lease, '{"holder": ');

    const serve = startImos(['serve', '--port', '0'], { cwd: dir });
    const url = await waitFor('imos serve to listen', serve, HANG_MS, () => /listening on (http:\/\/\S+)/.exec(serve.stderr())?.[1]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    const body = await health.text();
    expect(body).toContain(`poller lease unreadable: ${lease} is not valid JSON`);

    const started = Date.now();
    const result = await daemon(dir);
    expect(result.exitCode).toBe(69);
    expect(Date.now() - started).toBeLessThan(HANG_MS + 7_000);
    const stderr = String(result.stderr);
    expect(stderr).toMatch(/CANNOT POLL for \d+s \(since [^)]+\): cannot take or renew the poller lease: .*imos\.lease\.json is not valid JSON/);
    expect(stderr).toMatch(/giving up: unable to poll for \d+s \(poller\.grace 7s\): .*; exiting 69 for the supervisor to restart imos/);
    expect(fs.readFileSync(lease, 'utf8')).toBe('{"holder": '); // left for imos store repair
    await stopImos(serve);
  }, 60_000);

  it.skipIf(!canMount())('with the store\'s disk turned read-only while it polls: says so and exits 69', async () => {
    const disk = mountDisk(2048);
    disks.push(disk);
    const dir = project(disk.dir);
    const child = daemon(dir);
    const status = async () => JSON.parse((await runImos(['status', '--json'], { cwd: dir })).stdout) as { poller: { pid: number } | null; lastPollAt: string | null };
    await waitUntil('the daemon to poll', async () => {
      const now = await status();
      return now.poller?.pid === child.pid && now.lastPollAt;
    }, HANG_MS, 200);
    // The store's files (locks and a write's temporary file come and go).
    const files = () => fs.readdirSync(path.join(disk.dir, 'state')).filter((f) => !f.endsWith('.lock') && !f.endsWith('.tmp')).sort();
    const stored = files();

    disk.readOnly();
    const result = await child;
    expect(result.exitCode).toBe(69);
    const stderr = String(result.stderr);
    expect(stderr).toMatch(/CANNOT POLL .*(read-only file system|EROFS)/i);
    expect(stderr).toContain('giving up');
    disk.writable();
    // The old files are all there (the daemon may have written a first file of another section
    // between the listing and the remount).
    expect(files()).toEqual(expect.arrayContaining(stored));
    const after = await runImos(['store', 'check'], { cwd: dir });
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
  }, 60_000);
});
