// Memory at programme scale: 200 systems, 2,000 `http` checks against loopback targets that answer
// 503, 10,000 open alerts in the JSON store: five per check, on checks that keep failing, so that
// every run updates one of them and none resolves (the store holds 10,000 open alerts throughout).
// Every check's history is already at its cap of 60 points and its uptime counts at their bound,
// as in a workspace that has run for a month: what is measured is the steady state, not the
// histories and counts filling up.
// Floor: a bare `node` process's resident memory, measured in the same run.
// IMOS_BENCH_NODE_FLAGS="--optimize-for-size" runs the daemon, the console and the soak with those node options.
// 1. The real processes: `imos daemon` polling, and `imos console --readonly` on a
//    pseudo-terminal following the store the daemon writes; resident memory sampled from /proc
//    every half second. Target: peak ≤ 150 MB each.
// 2. A compressed soak with a driven clock (a child process, run with --expose-gc): the engine
//    with a ManualClock polls the same checks (every 2 min, real requests) into a copy of the
//    store, and the console's data path (the store follower and the view model, rebuilt on every
//    change) follows it; 60 simulated minutes in 5-second steps, each step waiting until the
//    engine's work of the one before is done (runs recorded, their alerts written: a step never
//    outlasts the poller lease on a slow machine). Resident memory, the heap left after a full GC
//    and the open alerts the view model lists are sampled every simulated minute, with where the
//    memory sits (V8's spaces, Buffers, malloc's arenas) printed beside them; the slope (least
//    squares from minute 5 on, given in MB per 30 min) says whether memory is flat. The soak is
//    bounded in real time (10 min); how far it got is reported. Target: resident slope ≤ 10 MB /
//    30 min, with the 10,000 alerts open to the end.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import v8 from 'node:v8';
import { loadConfigFile } from '../../src/config/load.js';
import { defaultsSchema } from '../../src/config/schema.js';
import { Engine } from '../../src/engine/engine.js';
import { buildPipeline } from '../../src/engine/pipeline.js';
import { openStore } from '../../src/store/open.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { ManualClock } from '../../src/time/clock.js';
import { keepHeapNearLiveData } from '../../src/heap.js';
import { StoreFollower } from '../../views/model/follow.js';
import { createViewModel } from '../../views/model/view-model.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import type { HistoryPoint } from '../../src/model.js';
import { uptimeAtBound } from './lib/steady-state.js';
import { serveTargets, startTargets } from './lib/targets.js';
import { figure, target } from './measure.js';

const SYSTEMS = 200;
const CHECKS = 2_000;
const OPEN_ALERTS = 10_000;
const HOSTS = 4;
const RSS_LIMIT_MB = 150;
const SLOPE_LIMIT_MB = 10;
/**
 * Simulated minutes of the soak; the slope is fitted from minute 5 on and given per 30 minutes. The
 * readings swing 10–15 MB from minute to minute with when V8 gives freed pages back, and a fit over
 * minutes 5–30 moved from 3.4 to 15.9 MB / 30 min between runs of the same code; twice the span
 * makes such a fit's error about three times smaller (README, Performance: "Memory").
 */
const SOAK_MINUTES = 60;
/** The slope is reported per this many simulated minutes. */
const SLOPE_PER_MINUTES = 30;
const STEP_MS = 5_000;
/** The soak stops here in real time, whatever it reached (reported). */
const SOAK_REAL_LIMIT_MS = 10 * 60_000;
/** A step waits at most this long (real time) for the engine's outstanding work. */
const STEP_WAIT_LIMIT_MS = 20_000;
/** History points kept per check: the default of `defaults.history`, which the configs here leave as is. */
const HISTORY_POINTS = defaultsSchema.parse({}).history;
/** The alert types seeded per check: the one its failing runs report, and four others it keeps open. */
const ALERT_TYPES = ['ENDPOINT_DOWN', 'LATENCY_HIGH', 'BODY_INVALID', 'CERT_EXPIRING', 'QUOTA_NEAR'];
const root = process.cwd();
/** Node options for the measured processes (e.g. `--optimize-for-size`), to compare V8's settings. */
const nodeFlags = (process.env.IMOS_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const bin = path.join(root, 'bin/imos.js');

/** `timeout`: the soak's is long, since its clock jumps 5 s at a step while requests take real time. */
function configText(ports: number[], every: string, timeout = '5s'): string {
  const lines = ['project: Programme', 'people:', '  suno: { name: Suno }', 'systems:'];
  for (let s = 0; s < SYSTEMS; s++) lines.push(`  sys-${s}: { name: System ${s}, leader: suno }`);
  lines.push(`defaults: { every: ${every}, timeout: ${timeout} }`, 'store: ./state/imos.json', 'checks:');
  for (let i = 0; i < CHECKS; i++) {
    lines.push(`  - { id: api-${i}, system: sys-${i % SYSTEMS}, kind: http, url: "http://127.0.0.1:${ports[i % ports.length]}/down/${i}", expect: ["status == 200", "body.status == 'ok'"] }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * 10,000 open alerts, five on each configured check, and each check's stored state already failing
 * (its runs keep failing against /down/): the first type is what the runs report (updated at every
 * run), the other four stay open because the check never recovers.
 */
async function seed(storeFile: string): Promise<void> {
  const store = await openStore(storeFile);
  const now = Date.now();
  const alerts = [];
  for (let i = 0; i < OPEN_ALERTS; i++) {
    const checkId = `api-${i % CHECKS}`;
    const type = ALERT_TYPES[Math.floor(i / CHECKS) % ALERT_TYPES.length]!;
    alerts.push(
      makeAlert({
        id: `A${i + 1}`,
        checkId,
        fingerprint: `${checkId}:${type}`,
        type,
        system: `sys-${i % CHECKS % SYSTEMS}`,
        // The reported type at the severity the failing runs have (CRITICAL): no change of severity at each run.
        severity: i < CHECKS || i % 3 === 0 ? 'CRITICAL' : i % 3 === 1 ? 'HIGH' : 'MEDIUM',
        message: `${checkId}: 503 Service Unavailable after ${i % 900} ms`,
        openedAt: new Date(now - (i % 5000) * 60_000).toISOString(),
      }),
    );
  }
  const since = new Date(now - 3_600_000).toISOString();
  const checks = Array.from({ length: CHECKS }, (_, i) => ({ id: `api-${i}`, last: null, failures: 3, successes: 0, status: 'CRITICAL' as const, since }));
  await seedStore(store, { checks });
  // Each check's history already at its cap, as in a workspace that has run for a few hours: a run
  // adds a point and drops the oldest. On an empty history the soak measured the history filling
  // (2,000 checks × 15 points per 30 min, about 4 MB of heap), not whether memory stays flat.
  const history: Record<string, HistoryPoint[]> = {};
  for (let c = 0; c < CHECKS; c++) {
    history[`api-${c}`] = Array.from({ length: HISTORY_POINTS }, (_, k) => ({
      at: new Date(now - (HISTORY_POINTS - k) * 120_000).toISOString(),
      status: 'CRITICAL' as const,
      value: (c + k) % 900,
      durationMs: (c + k) % 900,
    }));
  }
  await seedStore(store, { history });
  // And its uptime counts at their bound, as after a month: two records a check. Its runs every
  // 2 min keep failing (30 an hour).
  for (let from = 0; from < CHECKS; from += 500) {
    await store.transact('results', (tx) => {
      for (let c = from; c < from + 500; c++) for (const record of uptimeAtBound(`api-${c}`, now, 30, false)) tx.put('uptime', record);
    });
  }
  // In batches: one transaction of 10,000 alerts can outlast the store's lock on a loaded machine.
  for (let i = 0; i < alerts.length; i += 500) await seedStore(store, { alerts: alerts.slice(i, i + 500) });
  await store.close();
}

/** Resident memory of a bare `node` process that has started and waits: the floor. */
async function bareNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  try {
    let peak = 0;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 500));
      peak = Math.max(peak, rssMbOf(child.pid!) ?? 0);
    }
    return peak;
  } finally {
    child.kill('SIGKILL');
  }
}

const rssMbOf = (pid: number): number | null => {
  try {
    const line = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) / 1024 : null;
  } catch {
    return null;
  }
};

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

async function main(): Promise<void> {
  const targets = await startTargets(HOSTS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-memory-'));
  const children: ChildProcess[] = [];
  let ok = true;
  try {
    fs.writeFileSync(path.join(dir, 'imos.yaml'), configText(targets.ports, '30s'));
    fs.writeFileSync(path.join(dir, 'soak.yaml'), configText(targets.ports, '2m', '1m'));
    fs.mkdirSync(path.join(dir, 'state'));
    await seed(path.join(dir, 'state/imos.json'));
    fs.cpSync(path.join(dir, 'state'), path.join(dir, 'soak-state'), { recursive: true });

    // 1. The real daemon, then a console beside it.
    const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '160', LINES: '48', TERM: 'xterm-256color' };
    delete env.CI;
    if (nodeFlags.length > 0) console.log(`measured processes run with: node ${nodeFlags.join(' ')}`);
    const daemon = spawn(process.execPath, [...nodeFlags, bin, 'daemon'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(daemon);
    // Read its output (a full pipe would stop a process writing to it); the tail is kept for errors.
    let daemonLog = '';
    const keep = (chunk: Buffer) => (daemonLog = (daemonLog + String(chunk)).slice(-4000));
    daemon.stdout!.on('data', keep);
    daemon.stderr!.on('data', keep);
    const consoleCommand = [process.execPath, ...nodeFlags, bin, 'console', '--readonly'].join(' ');
    let console_: ChildProcess | null = null;
    const peak = { daemon: 0, console: 0 };
    const started = Date.now();
    for (let i = 0; i < 100 && Date.now() - started < 50_000; i++) {
      if (!console_ && Date.now() - started > 15_000) {
        console_ = spawn('script', ['-qfec', consoleCommand, '/dev/null'], { cwd: dir, env, stdio: ['pipe', 'ignore', 'ignore'] });
        children.push(console_);
      }
      const d = rssMbOf(daemon.pid!);
      if (d !== null) peak.daemon = Math.max(peak.daemon, d);
      const consolePid = console_?.pid ? Number(fs.readFileSync(`/proc/${console_.pid}/task/${console_.pid}/children`, 'utf8').trim().split(' ')[0] || 0) : 0;
      const c = consolePid ? rssMbOf(consolePid) : null;
      if (c !== null) peak.console = Math.max(peak.console, c);
      await new Promise((r) => setTimeout(r, 500));
    }
    if (daemon.exitCode !== null) throw new Error(`the daemon exited (${daemon.exitCode})\n${daemonLog}`);
    const { polled, open: daemonOpen } = await readCounts(path.join(dir, 'state/imos.json'));
    figure({ name: 'daemon: checks with a result after 50 s', unit: '', value: polled });
    const floor = { name: 'bare node', value: await bareNodeRssMb() };
    figure({ name: 'floor: bare node, resident', unit: 'MB', value: floor.value });
    figure({ name: 'daemon: resident memory, peak', unit: 'MB', value: peak.daemon, floor, ratio: peak.daemon / floor.value });
    figure({ name: 'console (160×48, following the daemon): resident, peak', unit: 'MB', value: peak.console, floor, ratio: peak.console / floor.value });
    figure({ name: 'open alerts in the store after 50 s', unit: '', value: daemonOpen });
    ok = target('memory: daemon resident peak', peak.daemon, RSS_LIMIT_MB, 'MB') && ok;
    ok = target('memory: console resident peak', peak.console || Number.NaN, RSS_LIMIT_MB, 'MB') && ok;
    for (const child of children) child.kill('SIGTERM');

    // 2. The soak, in its own process.
    const soakChild = spawn(process.execPath, ['--expose-gc', ...nodeFlags, process.argv[1]!, '--soak', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(soakChild);
    const samples: SoakSample[] = [];
    process.stdout.write(`${DIAGNOSTIC_HEAD}\n`);
    for await (const line of createInterface({ input: soakChild.stdout! })) {
      if (line.startsWith('{')) {
        samples.push(JSON.parse(line) as SoakSample);
        process.stdout.write(`${diagnosticRow(samples[samples.length - 1]!)}\n`);
      } else process.stdout.write(`${line}\n`);
    }
    const later = samples.filter((s) => s.minute >= 5);
    const reached = samples[samples.length - 1]?.minute ?? 0;
    const rssSlope = slope(later.map((s) => [s.minute, s.rssMb])) * SLOPE_PER_MINUTES;
    const heapSlope = slope(later.map((s) => [s.minute, s.heapMb])) * SLOPE_PER_MINUTES;
    const fitted = `minutes 5–${SOAK_MINUTES}`;
    const last = samples[samples.length - 1];
    figure({ name: 'soak: simulated minutes reached', unit: 'min', value: reached, note: `(of ${SOAK_MINUTES}; bounded at ${SOAK_REAL_LIMIT_MS / 60_000} min real)` });
    figure({ name: 'soak: check runs', unit: '', value: last?.runs ?? 0 });
    const fewestOpen = samples.length > 0 ? Math.min(...samples.map((s) => s.openAlerts)) : 0;
    figure({ name: 'soak: open alerts the view model lists, fewest in any minute', unit: '', value: fewestOpen, note: `(at the end ${last?.openAlerts ?? 0})` });
    figure({ name: 'soak: resident memory at the end', unit: 'MB', value: last?.rssMb ?? Number.NaN, note: `(peak ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB)` });
    figure({ name: `soak: resident slope, ${fitted}`, unit: 'MB/30 min', value: rssSlope });
    figure({ name: `soak: heap after GC slope, ${fitted}`, unit: 'MB/30 min', value: heapSlope });
    // Where resident memory grows when the live heap does not: V8's committed spaces, Buffers, malloc's
    // arenas (README, Performance: "Resident memory that moved with the machine's load").
    for (const [name, of] of DIAGNOSTIC_SLOPES) {
      figure({ name: `soak: ${name} slope, ${fitted}`, unit: 'MB/30 min', value: slope(later.map((s) => [s.minute, of(s)])) * SLOPE_PER_MINUTES, note: `(at the end ${last ? of(last).toFixed(1) : '?'} MB)` });
    }
    // 2,000 checks every 2 min: 1,000 runs a simulated minute planned.
    const planned = CHECKS * SOAK_MINUTES / 2;
    const soakPolled = (last?.runs ?? 0) >= planned / 2;
    const heldOpen = fewestOpen >= OPEN_ALERTS;
    ok =
      target(
        'memory: soak resident slope',
        later.length >= 5 && soakPolled && heldOpen ? rssSlope : Number.NaN,
        SLOPE_LIMIT_MB,
        'MB/30 min',
        later.length < 5
          ? `the soak reached only ${reached} simulated minutes in ${SOAK_REAL_LIMIT_MS / 60_000} real minutes`
          : !soakPolled
            ? `not a soak of polling: the engine on the driven clock ran ${last?.runs ?? 0} of ${planned} planned checks; the slope (${rssSlope.toFixed(1)} MB) is mostly the console's data path and the store`
            : !heldOpen
              ? `the store did not hold ${OPEN_ALERTS} open alerts throughout (fewest: ${fewestOpen}); the slope (${rssSlope.toFixed(1)} MB) is of a smaller store`
              : undefined,
      ) && ok;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    targets.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 2;
}

/** One simulated minute of the soak, after a forced full collection (MB unless said). */
interface SoakSample {
  minute: number;
  rssMb: number;
  /** Live heap: used after the collection. */
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Resident pages of anonymous memory (heap, malloc) and of files (the node binary, mapped files). */
  rssAnonMb: number;
  rssFileMb: number;
  /** Resident memory of malloc's arenas other than the main one (other threads': V8's, libuv's). */
  arenasMb: number;
  /** Resident memory of malloc's main arena (`[heap]`). */
  mainArenaMb: number;
  /** Resident anonymous mappings under 1 MB: mostly V8's heap pages (smapsResident). */
  smallAnonMb: number;
  /** Per V8 heap space: committed (what it holds from the system) and used. */
  spaces: Record<string, { committedMb: number; usedMb: number }>;
  runs: number;
  openAlerts: number;
}

const space = (s: SoakSample, name: string) => s.spaces[name] ?? { committedMb: Number.NaN, usedMb: Number.NaN };

/** The diagnostic figures whose slopes are reported beside the resident slope. */
const DIAGNOSTIC_SLOPES: Array<[string, (s: SoakSample) => number]> = [
  ['heap committed (heapTotal)', (s) => s.heapTotalMb],
  ['old space committed', (s) => space(s, 'old_space').committedMb],
  ['old space used', (s) => space(s, 'old_space').usedMb],
  ['large object space committed', (s) => space(s, 'large_object_space').committedMb],
  ['code space committed', (s) => space(s, 'code_space').committedMb],
  ['external (Buffers and the like)', (s) => s.externalMb],
  ['resident anonymous', (s) => s.rssAnonMb],
  ['resident file-backed', (s) => s.rssFileMb],
  ["malloc's arenas of other threads, resident", (s) => s.arenasMb],
  ["malloc's main arena, resident", (s) => s.mainArenaMb],
  ["anonymous mappings under 1 MB (V8's heap pages, mostly), resident", (s) => s.smallAnonMb],
  ['resident outside the V8 heap (rss − heapTotal)', (s) => s.rssMb - s.heapTotalMb],
];

const DIAGNOSTIC_HEAD = 'soak min   rss  anon  file | heap used/total | old c/u   | large c/u | code c/u | new c | external arrayBuf arenas  main v8pgs';

function diagnosticRow(s: SoakSample): string {
  const n = (v: number, w = 5) => v.toFixed(1).padStart(w);
  const cu = (name: string) => `${n(space(s, name).committedMb)}/${n(space(s, name).usedMb, 4)}`;
  return (
    `soak ${String(s.minute).padStart(3)} ${n(s.rssMb)} ${n(s.rssAnonMb)} ${n(s.rssFileMb)} | ${n(s.heapMb)}/${n(s.heapTotalMb)}     | ${cu('old_space')} | ${cu('large_object_space')} | ` +
    `${cu('code_space')} | ${n(space(s, 'new_space').committedMb)} | ${n(s.externalMb, 8)} ${n(s.arrayBuffersMb, 8)} ${n(s.arenasMb, 6)} ${n(s.mainArenaMb)} ${n(s.smallAnonMb)}`
  );
}

/**
 * Where anonymous resident memory sits, in MB, from /proc/self/smaps: glibc malloc's arenas other
 * than the main one (each a heap of at most 64 MB that starts on a 64 MB boundary, its used part an
 * anonymous read-write mapping there); the main arena (`[heap]`); and anonymous read-write mappings
 * under 1 MB, which are mostly V8's heap pages (256 KB each, mapped one by one; V8 holds more of
 * them than heapTotal counts: pages it has freed but not yet given back).
 */
function smapsResident(): { arenasMb: number; mainArenaMb: number; smallAnonMb: number } {
  try {
    const kb = { arenas: 0, main: 0, small: 0 };
    let into: keyof typeof kb | null = null;
    for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(\S*)/.exec(line);
      if (head) {
        const start = BigInt(`0x${head[1]}`);
        const anonymous = head[3]!.startsWith('rw') && head[4] === '0' && head[5] === '';
        into =
          head[5] === '[heap]' ? 'main'
          : anonymous && start % (64n << 20n) === 0n ? 'arenas'
          : anonymous && BigInt(`0x${head[2]}`) - start < 1n << 20n ? 'small'
          : null;
        continue;
      }
      const rss = into ? /^Rss:\s+(\d+) kB/.exec(line) : null;
      if (rss) kb[into!] += Number(rss[1]);
    }
    return { arenasMb: kb.arenas / 1024, mainArenaMb: kb.main / 1024, smallAnonMb: kb.small / 1024 };
  } catch {
    return { arenasMb: Number.NaN, mainArenaMb: Number.NaN, smallAnonMb: Number.NaN };
  }
}

/** Resident anonymous and file-backed memory of this process (Linux), in MB. */
function residentKinds(): { rssAnonMb: number; rssFileMb: number } {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rssAnonMb: kb('RssAnon'), rssFileMb: kb('RssFile') + kb('RssShmem') };
  } catch {
    return { rssAnonMb: Number.NaN, rssFileMb: Number.NaN };
  }
}

/** Checks with a result, and open alerts, in the store. */
async function readCounts(storeFile: string): Promise<{ polled: number; open: number }> {
  const store = await openStore(storeFile);
  try {
    const checks = Object.values((await store.read('results')).checks).filter((c) => c.last !== null).length;
    const open = (await store.read('core')).alerts.filter((a) => a.state !== 'resolved').length;
    return { polled: checks, open };
  } finally {
    await store.close();
  }
}

/** The child: engine + console data path on a driven clock; one JSON line per simulated minute. */
async function soak(dir: string): Promise<void> {
  // As the daemon and the console do (src/heap.ts): this process stands for both.
  keepHeapNearLiveData();
  const config = loadConfigFile(path.join(dir, 'soak.yaml'));
  const store = await openStore(path.join(dir, 'soak-state/imos.json'));
  const clock = new ManualClock(Date.now());
  let runs = 0;
  let logged = 0;
  // The lease outlives a step of the driven clock (its default 3 s would lapse at every 5 s step).
  const engine = new Engine({ config, store, role: 'bench', clock, env: process.env, lease: { ttlMs: 30_000, renewEveryMs: STEP_MS }, pipeline: await buildPipeline(config, store, { clock }), onRunStart: () => runs++, log: (line) => logged++ < 20 && process.stderr.write(`soak engine: ${line}\n`) });
  const follower = new StoreFollower(store, config, { now: () => clock.now() });
  const build = createViewModel();
  let rows = 0;
  let openAlerts = 0;
  follower.onUpdate((data) => {
    rows = build(config, data, { filters: {}, detailSystem: null, alertDetail: null }, clock.now()).alerts.length;
    openAlerts = (data?.core.alerts ?? []).filter((a) => a.state !== 'resolved').length;
  });
  follower.start();
  await engine.start();
  const gc = (globalThis as { gc?: () => void }).gc;
  const sample = (minute: number) => {
    gc?.();
    const memory = process.memoryUsage();
    const mb = (bytes: number) => bytes / 2 ** 20;
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((sp) => [sp.space_name, { committedMb: mb(sp.space_size), usedMb: mb(sp.space_used_size) }]));
    const sampled: SoakSample = {
      minute,
      rssMb: mb(memory.rss),
      heapMb: mb(memory.heapUsed),
      heapTotalMb: mb(memory.heapTotal),
      externalMb: mb(memory.external),
      arrayBuffersMb: mb(memory.arrayBuffers),
      ...residentKinds(),
      ...smapsResident(),
      spaces,
      runs,
      openAlerts,
    };
    process.stdout.write(`${JSON.stringify(sampled)}\n`);
  };
  await follower.settled(); // the first read of the store: the view model lists its alerts from minute 0
  sample(0);
  const stepsPerMinute = 60_000 / STEP_MS;
  const realStart = Date.now();
  let lostAt: number | null = null;
  for (let step = 1; step <= SOAK_MINUTES * stepsPerMinute && Date.now() - realStart < SOAK_REAL_LIMIT_MS; step++) {
    await clock.advance(STEP_MS);
    // Real requests take real time: the clock moves on once the runs this step started are done
    // and recorded, their alerts written (bounded: a step that waits too long is reported).
    const waitStart = Date.now();
    do await new Promise((r) => setTimeout(r, 20));
    while (engine.outstanding() > 0 && Date.now() - waitStart < STEP_WAIT_LIMIT_MS);
    if (engine.outstanding() > 0) process.stderr.write(`soak: step ${step} still had ${engine.outstanding()} runs or writes after ${STEP_WAIT_LIMIT_MS / 1000} s\n`);
    if (!engine.isHolder() && lostAt === null) {
      lostAt = step;
      process.stderr.write(`soak: the engine lost the poller lease at step ${step}\n`);
    }
    if (step % stepsPerMinute === 0) sample(step / stepsPerMinute);
    if (step % (5 * stepsPerMinute) === 0) process.stderr.write(`soak: ${step / stepsPerMinute} simulated min after ${((Date.now() - realStart) / 1000).toFixed(0)} s\n`);
  }
  console.log(`soak: the console's view model lists ${rows} alerts at the end`);
  follower.stop();
  await engine.stop();
  await store.close();
  process.exit(0);
}

// Last: the declarations above are all in place before any of them runs.
if (process.argv[2] === '--targets') await serveTargets(Number(process.argv[3]));
else if (process.argv[2] === '--soak') await soak(process.argv[3]!);
else await main();
