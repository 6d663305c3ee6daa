// The store at team scale, for both stores: 10,000 open alerts, 100,000 resolved ones (the newest
// month in the hot store, the rest archived) and a year of standups. Measures
// - acknowledgement latency (the real action: performAlertAction) against a floor measured in the
//   same run: an fsynced append of a line of the same size (JSON), a bare UPDATE round trip
//   (PostgreSQL: same server with every commit flushed, same connection settings, one row by
//   primary key of a table with as many rows as the alerts); for PostgreSQL also both without
//   the flush, to show the commit's own work, and the CPU time each costs (the server's processes
//   and this one), which a loaded machine inflates less than wall time;
// - propagation: from an acknowledgement in this process until another process's console state
//   (the console's own loader, following the store's watch) shows it.
// Targets (issue "store at team scale"): JSON ack p95 ≤ 20 ms; PostgreSQL ack ≤ 2 × a bare UPDATE
// round trip; propagation p95 ≤ 500 ms on both.
// Run as `node store-scale.mjs watch <store>` it is the other process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import pg from 'pg';
import { performAlertAction } from '../../src/alerts/actions.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, AuditEntry, Standup } from '../../src/model.js';
import { startPostgres, type TestPostgres } from '../../src/pg-cluster/cluster.js';
import { copyStore } from '../../src/store/copy.js';
import { clientConfig, DEFAULT_POOL_OPTIONS } from '../../src/store/pg/connection.js';
import { storeTarget } from '../../src/store/pg/target.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { loadConsoleData, reloadSection } from '../../views/model/data.js';
import { hotelConfig } from '../../test/helpers/config.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import { figure, figures, report, target, type Figures } from './measure.js';

const OPEN = 10_000;
const RESOLVED = 100_000;
const HOT_RESOLVED = 8_000; // resolved within the retention (30 days): still in the hot store
const SYSTEMS = 20;
const DAYS = 365;
const ACKS = 300;
const PROPAGATIONS = 40;
const NOW = Date.now();
/** What a store's server runs with (PostgreSQL's defaults; the throwaway clusters of tests turn them off). */
const DURABLE = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };
/** Each measurement acknowledges alerts nobody acknowledged before (a repeat changes nothing);
 * 7,919 is prime to 10,000, so the first 10,000 ids are all different. */
let nextOpen = 0;
const freshAlertId = () => `A${1 + (nextOpen++ * 7_919) % OPEN}`;
const iso = (ms: number) => new Date(ms).toISOString();

function benchConfig(store: string): ImosConfig {
  const base = hotelConfig();
  const systems: ImosConfig['systems'] = {};
  for (let s = 0; s < SYSTEMS; s++) systems[`system-${s}`] = { id: `system-${s}`, name: `System ${s}`, leader: 'suno', depends_on: [] };
  return { ...base, systems, store, channels: {} };
}

function openAlert(i: number): Alert {
  return makeAlert({
    id: `A${i + 1}`,
    fingerprint: `check-${i}:DOWN`,
    checkId: `check-${i}`,
    system: `system-${i % SYSTEMS}`,
    type: 'DOWN',
    severity: i % 3 === 0 ? 'CRITICAL' : 'HIGH',
    message: `check-${i}: 503 Service Unavailable after ${i % 900} ms`,
    openedAt: iso(NOW - (i % 5000) * 60_000),
  });
}

function resolvedAlert(i: number, resolvedAtMs: number): Alert {
  return { ...openAlert(OPEN + i), id: `A${OPEN + i + 1}`, state: 'resolved', resolvedAt: iso(resolvedAtMs), resolvedBy: 'imos' };
}

function standup(system: number, day: number): Standup {
  const date = iso(NOW - day * 86_400_000).slice(0, 10);
  return {
    id: `S-${date}-system-${system}`,
    system: `system-${system}`,
    date,
    author: 'suno',
    done: `day ${day}: migrated table ${day % 13}`,
    next: 'the next table',
    blockers: [],
    at: iso(NOW - day * 86_400_000),
    history: [],
  };
}

/** Fill a JSON store in batches (one transaction each, as a long-running project would have). */
async function seed(store: Store): Promise<void> {
  const batch = 2000;
  for (let i = 0; i < OPEN; i += batch) {
    await store.transact('core', (tx) => {
      for (let j = i; j < Math.min(OPEN, i + batch); j++) tx.put('alerts', openAlert(j));
    });
  }
  for (let i = 0; i < HOT_RESOLVED; i += batch) {
    await store.transact('core', (tx) => {
      for (let j = i; j < Math.min(HOT_RESOLVED, i + batch); j++) tx.put('alerts', resolvedAlert(j, NOW - (j % 29) * 86_400_000));
    });
  }
  // The rest resolved long ago: archived, one audit entry each with the alert's final record.
  for (let i = HOT_RESOLVED; i < RESOLVED; i += batch) {
    const entries: AuditEntry[] = [];
    for (let j = i; j < Math.min(RESOLVED, i + batch); j++) {
      const alert = resolvedAlert(j, NOW - (31 + (j % 330)) * 86_400_000);
      entries.push({ at: alert.resolvedAt!, actor: 'imos', action: 'archive', target: alert.id, detail: { alert: alert as never } });
    }
    await store.transact('core', (tx) => tx.audit(...entries));
  }
  for (let s = 0; s < SYSTEMS; s++) {
    await store.transact('core', (tx) => {
      for (let d = 0; d < DAYS; d++) tx.put('standups', standup(s, d));
    });
  }
  await store.transact('core', (tx) => tx.put('kv', { key: 'nextAlertNumber', value: OPEN + RESOLVED + 1 }));
}

/** The other process: follows the store as a console does and prints when it sees an acknowledgement. */
async function watchProcess(target: string): Promise<void> {
  const store = await openStore(target);
  const config = benchConfig(target);
  let data = await loadConsoleData(store, config, Date.now());
  const reported = new Set<string>();
  const look = () => {
    for (const alert of data.core.alerts) {
      if (alert.state === 'acknowledged' && !reported.has(alert.id)) {
        reported.add(alert.id);
        process.stdout.write(`seen ${alert.id} ${Date.now()}\n`);
      }
    }
  };
  look();
  let queue = Promise.resolve();
  store.watch((section) => {
    queue = queue.then(async () => {
      data = await reloadSection(store, config, data, section, Date.now());
      look();
    });
  });
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => void store.close().then(() => process.exit(0)));
}

async function ackLatency(store: Store, config: ImosConfig): Promise<Figures> {
  return (await ackLatencyAgainst(store, config, null)).ack;
}

/** CPU time so far, in µs: the server's processes (the postmaster's children) and this process. */
type CpuClock = () => { server: Map<number, number>; client: number };

/**
 * Where the server's processes' CPU time can be read (Linux /proc): a figure that load inflates
 * less than wall time, since a shared machine's waiting for a core is not in it.
 */
function cpuClock(db: TestPostgres): CpuClock | null {
  const runNs = (pid: string | number) => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  let postmaster: number;
  try {
    postmaster = Number(fs.readFileSync(path.join(db.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    runNs(postmaster);
  } catch {
    return null;
  }
  return () => {
    const server = new Map<number, number>();
    for (const pid of fs.readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(' ')) {
      try {
        server.set(Number(pid), runNs(pid) / 1000);
      } catch {
        // ended meanwhile
      }
    }
    const { user, system } = process.cpuUsage();
    return { server, client: user + system };
  };
}

/** CPU µs spent between two readings (a server process started meanwhile counts from zero). */
function cpuSpent(before: ReturnType<CpuClock>, after: ReturnType<CpuClock>): { server: number; client: number } {
  let server = 0;
  for (const [pid, us] of after.server) server += us - (before.server.get(pid) ?? 0);
  return { server, client: after.client - before.client };
}

interface CpuPerAction {
  server: number;
  client: number;
}

/**
 * Acknowledgements, in blocks of ten after ten runs of `floor` when given: both are measured in the
 * same stretches of time, so that the load of a shared machine, which moves from second to second,
 * weighs on both alike; each runs back to back as it did alone.
 */
async function ackLatencyAgainst(
  store: Store,
  config: ImosConfig,
  floor: ((i: number) => Promise<unknown>) | null,
  clock: CpuClock | null = null,
): Promise<{ ack: Figures; floor: Figures; cpu: { ack: CpuPerAction; floor: CpuPerAction } | null }> {
  const samples: number[] = [];
  const floorSamples: number[] = [];
  const cpu = { ack: { server: 0, client: 0 }, floor: { server: 0, client: 0 } };
  const add = (into: CpuPerAction, spent: CpuPerAction) => {
    into.server += spent.server;
    into.client += spent.client;
  };
  const BLOCK = 10;
  for (let block = 0; block < ACKS; block += BLOCK) {
    let mark = clock?.();
    for (let i = block; floor && i < Math.min(ACKS, block + BLOCK); i++) {
      const started = performance.now();
      await floor(i);
      floorSamples.push(performance.now() - started);
    }
    if (clock && mark) {
      const now = clock();
      add(cpu.floor, cpuSpent(mark, now));
      mark = clock();
    }
    for (let i = block; i < Math.min(ACKS, block + BLOCK); i++) {
      const id = freshAlertId();
      const start = performance.now();
      await performAlertAction(store, config, 'ack', { id, actor: 'bench', nowMs: Date.now() });
      samples.push(performance.now() - start);
    }
    if (clock && mark) add(cpu.ack, cpuSpent(mark, clock()));
  }
  const per = (total: CpuPerAction) => ({ server: total.server / ACKS, client: total.client / ACKS });
  return { ack: figures(samples), floor: figures(floorSamples), cpu: clock ? { ack: per(cpu.ack), floor: per(cpu.floor) } : null };
}

/** The CPU an acknowledgement and its floor cost, on the server and in this process. */
function reportCpu(label: string, cpu: { ack: CpuPerAction; floor: CpuPerAction } | null): void {
  if (!cpu) return;
  const total = (c: CpuPerAction) => (c.server + c.client) / 1000;
  const floor = { name: 'a bare UPDATE', value: total(cpu.floor) };
  figure({ name: `bare UPDATE CPU${label} (floor)`, unit: 'ms', value: total(cpu.floor), note: `server ${(cpu.floor.server / 1000).toFixed(3)} ms + this process ${(cpu.floor.client / 1000).toFixed(3)} ms` });
  figure({
    name: `PostgreSQL store: acknowledge, CPU${label}`,
    unit: 'ms',
    value: total(cpu.ack),
    floor,
    ratio: total(cpu.ack) / floor.value,
    note: `server ${(cpu.ack.server / 1000).toFixed(3)} ms + this process ${(cpu.ack.client / 1000).toFixed(3)} ms`,
  });
}

async function propagation(store: Store, config: ImosConfig, target: string): Promise<Figures> {
  const child = spawn(process.execPath, [process.argv[1]!, 'watch', target], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting = new Map<string, (at: number) => void>();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  lines.on('line', (line) => {
    if (line === 'ready') ready();
    const match = /^seen (\S+) (\d+)$/.exec(line);
    if (match) waiting.get(match[1]!)?.(Number(match[2]));
  });
  await isReady;
  const samples: number[] = [];
  try {
    for (let i = 0; i < PROPAGATIONS; i++) {
      const id = freshAlertId();
      const seen = new Promise<number>((resolve, reject) => {
        waiting.set(id, resolve);
        setTimeout(() => reject(new Error(`${id} not seen by the other process within 10 s`)), 10_000).unref();
      });
      const sent = Date.now();
      await performAlertAction(store, config, 'ack', { id, actor: 'bench', nowMs: sent });
      samples.push((await seen) - sent);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return figures(samples);
}

/** The comparison is only what it says with these settings in force. */
async function expectSettings(client: pg.Client, wanted: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(wanted)) {
    const shown = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name];
    if (shown !== value) throw new Error(`the bench needs ${name} = ${value}, the server has ${shown}`);
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-bench-scale-'));
  let db: TestPostgres | null = null;
  try {
    const jsonPath = path.join(dir, 'imos.json');
    const json = await openStore(jsonPath);
    let started = performance.now();
    await seed(json);
    console.log(`seeded the JSON store: ${OPEN} open alerts, ${RESOLVED} resolved (${HOT_RESOLVED} hot), ${SYSTEMS * DAYS} standups in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Floor: an fsynced append of a line as large as an acknowledgement's.
    const line = JSON.stringify({ seq: 1, put: { alerts: [openAlert(1)] }, audit: [{ at: iso(NOW), actor: 'bench', action: 'ack', target: 'A1' }] }) + '\n';
    const raw = fs.openSync(path.join(dir, 'raw.jsonl'), 'a');
    const appendSamples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      fs.writeSync(raw, line);
      fs.fdatasyncSync(raw);
      appendSamples.push(performance.now() - start);
    }
    fs.closeSync(raw);
    const append = figures(appendSamples);
    report('raw append + fdatasync of one line (floor)', append);
    const jsonConfig = benchConfig(jsonPath);
    const jsonAck = await ackLatency(json, jsonConfig);
    report('JSON store: acknowledge (10k open, 100k resolved)', jsonAck, append, 'an fsynced append');
    target('JSON acknowledgement p95', jsonAck.p95, 20, 'ms', `p95 ${jsonAck.p95.toFixed(1)} ms: a change is two fsyncs (the journal line, then the audit log) under a file lock; the fsync floor here is p95 ${append.p95.toFixed(1)} ms`);
    const jsonSeen = await propagation(json, jsonConfig, jsonPath);
    report('JSON store: another process sees an ack', jsonSeen);
    target('JSON propagation to another console p95', jsonSeen.p95, 500, 'ms');

    started = performance.now();
    // The server as a store's durability promise needs it (an acknowledged change survives a
    // crash): every commit, the floor's and the acknowledgement's alike, is flushed to disk.
    db = await startPostgres({ settings: DURABLE });
    const url = `${db.url}?schema=bench`;
    const postgres = await openStore(url);
    await copyStore(json, postgres);
    console.log(`copied it into PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await json.close();

    // Floor: a bare UPDATE of one row by primary key, on a table with as many rows as the store's
    // alerts, over a connection set up as the store's own, one block before each block of
    // acknowledgements.
    const client = new pg.Client(clientConfig(storeTarget(db.url), DEFAULT_POOL_OPTIONS, 'imos-bench-floor'));
    await client.connect();
    await client.query('CREATE TABLE bench_floor (id text PRIMARY KEY, n int)');
    await client.query(`INSERT INTO bench_floor SELECT 'A' || g, 0 FROM generate_series(1, ${OPEN + HOT_RESOLVED}) g`);
    await client.query('VACUUM ANALYZE bench_floor');
    await expectSettings(client, { fsync: 'on', synchronous_commit: 'on' });
    const floorName = 'a bare UPDATE';
    const pgConfig = benchConfig(url);
    await postgres.read('core');
    const bareUpdate = (i: number) => client.query('UPDATE bench_floor SET n = n + 1 WHERE id = $1', [`A${1 + ((i * 37) % OPEN)}`]);
    const clock = cpuClock(db);
    const measured = await ackLatencyAgainst(postgres, pgConfig, bareUpdate, clock);
    const update = measured.floor;
    const pgAck = measured.ack;
    report('bare UPDATE round trip (floor)', update);
    report('PostgreSQL store: acknowledge', pgAck, update, floorName);
    reportCpu('', measured.cpu);
    target(
      'PostgreSQL acknowledgement p50 against a bare UPDATE',
      pgAck.p50 / update.p50,
      2,
      '×',
      `${pgAck.p50.toFixed(2)} ms against ${update.p50.toFixed(2)} ms: one round trip and one flush, as the floor, but the commit writes three rows where the floor writes one (the section's change number; the alert, about 1 KB, never a HOT update as its change number is indexed; the audit entry with 3 indexes) and wakes every other process's listener with its notification: README, "Performance", the store at team scale`,
    );
    const pgSeen = await propagation(postgres, pgConfig, url);
    report('PostgreSQL store: another process sees an ack', pgSeen);
    target('PostgreSQL propagation to another console p95', pgSeen.p95, 500, 'ms');
    await client.end();
    await postgres.close();
    // The same without waiting for the flush (synchronous_commit off for new sessions, for this
    // comparison only): the work of the commit itself, on the server and in this process.
    await db.query('ALTER ROLE test SET synchronous_commit = off');
    const quick = await openStore(url);
    const quickFloor = new pg.Client(clientConfig(storeTarget(db.url), DEFAULT_POOL_OPTIONS, 'imos-bench-floor'));
    await quickFloor.connect();
    await expectSettings(quickFloor, { fsync: 'on', synchronous_commit: 'off' });
    await quick.read('core');
    const unflushed = await ackLatencyAgainst(quick, pgConfig, (i) => quickFloor.query('UPDATE bench_floor SET n = n + 1 WHERE id = $1', [`A${1 + ((i * 37) % OPEN)}`]), clock);
    report('bare UPDATE round trip, no flush (floor)', unflushed.floor);
    report('PostgreSQL store: acknowledge, no flush', unflushed.ack, unflushed.floor, floorName);
    reportCpu(', no flush', unflushed.cpu);
    await quickFloor.end();
    await quick.close();
  } finally {
    await db?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'watch') await watchProcess(process.argv[3]!);
else await main();
