// Poller takeover: how long after the holder is killed (SIGKILL) another process runs the checks.
// Three real `imos daemon` processes on one store (a killed one is started again, as a service
// manager would); the holder is killed KILLS times. Both stores: the JSON store, and PostgreSQL on a
// throwaway cluster (the lease row, on the database's clock). The figure is the time from the kill
// to the new holder's `since` in the lease. Target: every takeover within 5 s (README, Reliability).
// A holder that died on this host is taken over at a follower's next look (every second); one on
// another host once its lease lapses (3 s).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../../src/pg-cluster/cluster.js';
import { figure, figures, target } from './measure.js';

const KILLS = Number(process.env.IMOS_BENCH_KILLS ?? 20);
const LIMIT_MS = 5000;
const root = process.cwd();
const bin = path.join(root, 'bin/imos.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Holder {
  pid: number;
  since: number;
  token: string;
}

interface Daemon {
  child: ChildProcess;
  started: () => boolean;
}

/** Poll until `probe` gives a value; bounded in time. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(20);
  }
  throw new Error(`takeover bench: timed out waiting for ${what}`);
}

/** Kills the holder among three daemons KILLS times; the takeover times in ms. */
async function takeovers(dir: string, store: string, holder: () => Promise<Holder | null>): Promise<number[]> {
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Takeover
systems: { app: { name: App } }
checks:
  - { id: alive, system: app, kind: command, every: 1s, run: ["${process.execPath}", "-e", "0"] }
store: ${store}
`,
  );
  const daemon = (): Daemon => {
    const env = { ...process.env };
    delete env.CI;
    const child = spawn(process.execPath, [bin, 'daemon'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    return { child, started: () => err.includes('imos daemon started') };
  };
  const daemons = [daemon(), daemon(), daemon()];
  const times: number[] = [];
  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      const before = await until('a live holder and a started follower', async () => {
        const h = await holder();
        return h && daemons.some((d) => d.child.pid === h.pid) && daemons.some((d) => d.child.pid !== h.pid && d.started()) ? h : null;
      });
      await sleep(200 + (kill % 5) * 150);
      const index = daemons.findIndex((d) => d.child.pid === before.pid);
      const killedAt = Date.now();
      daemons[index]!.child.kill('SIGKILL');
      await new Promise((resolve) => daemons[index]!.child.once('exit', resolve));
      daemons[index] = daemon();
      const after = await until(`a new holder after kill ${kill}`, async () => {
        const h = await holder();
        return h && h.token !== before.token ? h : null;
      });
      times.push(Math.max(0, after.since - killedAt));
    }
  } finally {
    for (const d of daemons) d.child.kill('SIGKILL');
    await sleep(200);
  }
  return times;
}

function report(label: string, times: number[]): void {
  const f = figures(times);
  figure({ name: `poller takeover after kill -9, ${label} (${KILLS} kills)`, unit: 'ms', value: f.p50, n: f.n, p50: f.p50, p95: f.p95, p99: f.p99, max: f.max });
  target(`slowest takeover after kill -9, ${label}`, f.max, LIMIT_MS, 'ms', `a takeover took ${Math.round(f.max)} ms: a follower looks every second and takes a dead holder's lease at once; a loaded machine delays its look`);
}

const jsonDir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-takeover-'));
try {
  const leaseFile = path.join(jsonDir, 'state', 'imos.lease.json');
  const times = await takeovers(jsonDir, './state/imos.json', async () => {
    try {
      const h = (JSON.parse(fs.readFileSync(leaseFile, 'utf8')) as { holder: { pid: number; since: string; token: string } | null }).holder;
      return h ? { pid: h.pid, token: h.token, since: Date.parse(h.since) } : null;
    } catch {
      return null; // not written yet
    }
  });
  report('JSON store', times);
} finally {
  fs.rmSync(jsonDir, { recursive: true, force: true });
}

const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-takeover-pg-'));
const cluster = await startPostgres();
try {
  const url = await cluster.createDatabase('takeover');
  const times = await takeovers(pgDir, url, async () => {
    try {
      const [row] = await cluster.query<{ pid: number | null; token: string | null; since: Date | null }>('select pid, token, since from imos_lease where id = 1', [], 'takeover');
      return row?.token && row.pid !== null && row.since ? { pid: row.pid, token: row.token, since: row.since.getTime() } : null;
    } catch {
      return null; // the schema is not there yet
    }
  });
  report('PostgreSQL store', times);
} finally {
  await cluster.stop();
  fs.rmSync(pgDir, { recursive: true, force: true });
}
