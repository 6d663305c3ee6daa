// The JSON store under SIGKILL, with real processes: a writer killed at a random point 200 times
// while others write: the store always parses, every change a writer reported done is there with
// its audit entry, and no audit entry exists for a change that is not. (8 processes acting at once:
// store-contention.test.ts, a file of its own so that the two run side by side.)
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JsonStore } from '../../src/store/json-store.js';
import { useWorkerStore, type WorkerProcess } from '../helpers/build-worker.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';
import { SteadyLane } from '../helpers/steady-lane.js';

const WRITER = 'test/workers/store-writer.ts';
const KILLS = Number(process.env.IMOS_FAULT_WRITER_KILLS ?? 200);
/** Victims alive at a time: their start-up and the stale locks they leave overlap. */
const BATCH = 4;
/** Changes each steady writer (with those that follow it) reports done: what the checks rest on. */
const STEADY_WRITES = 30;
/**
 * Steady writers that may give up on a lane, each followed by a new one. Each gives up after the
 * lock's 15 s of waiting, so a lane's steady writers give up 40 times at most in the test's 10
 * minutes (two runs saw 3 and 6 over both lanes). More than 20 is a lock that keeps writers out.
 */
const STEADY_RESTARTS = 20;

const processes = useWorkerStore('imos-faults-store-', [WRITER]);
const start = (entry: string, args: string[]): Promise<WorkerProcess> => processes.start(entry, args);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the JSON store under kills', () => {
  it(`a writer killed with SIGKILL ${KILLS} times while others write: nothing torn, lost or audited alone`, async () => {
    const lanes = ['s1', 's2'].map((name) => new SteadyLane(name, (id) => start(WRITER, [processes.storePath, id, '5', '1000000']), STEADY_RESTARTS));
    await Promise.all(lanes.map((lane) => lane.start()));
    const victims: WorkerProcess[] = [];
    let parses = 0;
    const parse = async () => {
      const reader = new JsonStore(processes.storePath);
      await reader.read('core'); // throws, failing the test, if a reader cannot load the store
      await reader.readAudit({ limit: 5 });
      await reader.close();
      parses++;
    };
    const from = Date.now();
    // A rolling pool: BATCH victims at a time, each slot starting the next victim as soon as its
    // last one is dead (the start-up of one overlaps the stale lock another left); the store is
    // read after every BATCH kills.
    let next = 0;
    let killed = 0;
    let parsing = Promise.resolve();
    const slot = async () => {
      for (let n = next++; n < KILLS; n = next++) {
        // A quarter are killed right inside the locked section (in the write, the fsync, the rename).
        const targeted = n % 4 === 3;
        let victim!: WorkerProcess;
        // A victim waiting for the lock while others are killed holding it may give up (its write
        // reported failed: "stayed locked", which is the truth); then another takes its place.
        for (let attempt = 0; attempt < 3; attempt++) {
          victim = await start(WRITER, [processes.storePath, `v${n}${attempt ? `-${attempt}` : ''}`, '0', '1000000', targeted ? 'announce' : '']);
          victims.push(victim);
          // Generous: victims start at once on a loaded machine, and may queue behind a dead writer's lock.
          await victim.waitForLine((l) => l.startsWith('ready'), 60_000);
          if (!targeted) break;
          const at = 1 + Math.floor(Math.random() * 3);
          const line = await victim.waitForLine((l) => (l.startsWith('in v') && Number(l.split(' ')[2]) >= at) || (l.startsWith('failed ') && l.includes('stayed locked')), 60_000);
          if (!line.startsWith('failed ')) break;
          victim.kill('SIGKILL');
          await victim.exited;
        }
        if (!targeted) await sleep(5 + Math.random() * 60);
        victim.kill('SIGKILL');
        await victim.exited;
        if (++killed % BATCH === 0) parsing = parsing.then(parse);
      }
    };
    await Promise.all(Array.from({ length: BATCH }, slot));
    await parsing;
    // Enough reported changes for the checks below to mean something, however loaded the machine
    // (what the steady writers manage during the kills depends on its speed): each lane's
    // STEADY_WRITES, waited for.
    for (const lane of lanes) {
      await waitUntil(`${lane.name} to report ${STEADY_WRITES} changes done`, () => lane.wrote() >= STEADY_WRITES || lane.ended !== null, 2 * HANG_MS);
    }
    await Promise.all(lanes.map((lane) => lane.stop()));
    const steady = lanes.flatMap((lane) => lane.writers);
    const seconds = Math.round((Date.now() - from) / 1000);

    const store = new JsonStore(processes.storePath);
    const core = await store.read('core');
    const audit = await store.readAudit();
    await store.close();
    let reported = 0;
    const missing: string[] = [];
    for (const worker of [...steady, ...victims]) {
      for (const line of worker.lines) {
        const match = /^wrote (\S+) (\d+) \d+$/.exec(line);
        if (!match) continue;
        reported++;
        if (!((core.kv.get(`w:${match[1]}`) as number[] | undefined) ?? []).includes(Number(match[2]))) missing.push(line);
      }
    }
    const stored = [...core.kv].filter(([key]) => key.startsWith('w:')).flatMap(([key, list]) => (list as number[]).map((seq) => `${key}#${seq}`));
    const audited = audit.filter((e) => e.action === 'write').map((e) => `${e.target}#${e.detail!.seq as number}`);
    const storedSet = new Set(stored);
    const auditedSet = new Set(audited);
    const withoutAudit = stored.filter((s) => !auditedSet.has(s));
    const auditWithoutChange = audited.filter((a) => !storedSet.has(a));
    const auditTwice = audited.length - auditedSet.size;
    const leftovers = (await fs.readdir(processes.dir)).filter((n) => n.endsWith('.tmp'));
    console.info(
      `writer kills: ${victims.length} SIGKILLs in ${seconds} s (${victims.length - KILLS} of writers that gave up waiting for the lock; ${steady.length - lanes.length} steady writers followed one that did); store parsed ${parses} times; ${reported} changes reported done, ${stored.length} stored, ${audited.length} audit entries; ` +
        `missing ${missing.length}, stored without audit ${withoutAudit.length}, audit without change ${auditWithoutChange.length}, audited twice ${auditTwice}; ${leftovers.length} temp files left`,
    );
    expect(killed).toBe(KILLS);
    expect(victims.length - KILLS).toBeLessThan(KILLS / 4); // victims that gave up on the lock and were replaced
    expect(missing).toEqual([]);
    expect(withoutAudit).toEqual([]);
    expect(auditWithoutChange).toEqual([]);
    expect(auditTwice).toBe(0);
    expect(lanes.map((lane) => lane.ended)).toEqual(lanes.map(() => null));
    for (const lane of lanes) expect(lane.wrote(), lane.name).toBeGreaterThanOrEqual(STEADY_WRITES);
    expect(reported).toBeGreaterThanOrEqual(lanes.length * STEADY_WRITES);
    // Every stored list is a gap-free prefix: a change is wholly there or wholly absent.
    for (const [key, list] of core.kv) {
      if (key.startsWith('w:')) expect(list, key).toEqual(Array.from({ length: (list as number[]).length }, (_, i) => i + 1));
    }
  }, 600_000);
});
