// The demo world: a temporary workspace, the four systems, a throwaway PostgreSQL (when the
// machine has one), a seeded store, and the driver that plays the scripted day against them.
// `stop()` undoes all of it; if the process dies first, exit hooks stop PostgreSQL and delete
// the temporary directory, and if it is killed outright a detached watchdog does (reaper.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { ImosConfig } from '../config/types.js';
import type { PgCluster } from '../pg-cluster/cluster.js';
import type { DemoDatabase } from './database.js';
import { startReaper } from './reaper.js';
import { redactUrl } from '../text/redact.js';
import { EVENTS_PER_DEMO_MINUTE, MINUTE, demoClockLabel, demoClockText, eventsBetween, momentAt } from './script.js';
import { DEMO_SYSTEMS, URL_VARIABLES, newServiceState, startServices, type DemoServices, type DemoSystem } from './services.js';
import { NO_POSTGRES_NOTICE, dayIn, findExampleDir, writeDemoWorkspace, type DemoWorkspace } from './workspace.js';

export interface DemoOptions {
  /** Demo minutes per real minute (60: one demo minute per second). */
  speed: number;
  /** Use PostgreSQL when the machine has it (default); false turns the database checks off. */
  postgres?: boolean;
  /** Where the demo keeps its own store: JSON files (default) or a database in its PostgreSQL. */
  store?: 'json' | 'postgres';
  /** Story lines (what the script does). */
  log?: (line: string) => void;
  /** Progress of long steps, and notices. */
  progress?: (line: string) => void;
  /** How often the driver looks at the script (real ms). */
  tickMs?: number;
}

export interface DemoWorld {
  workspace: DemoWorkspace;
  config: ImosConfig;
  urls: Record<DemoSystem, string>;
  /** Why the database checks are off, or null when PostgreSQL runs. */
  postgresNotice: string | null;
  /** The environment the demo's config expands (also set on process.env for the console). */
  env: Record<string, string>;
  /** The scripted day's clock now: "09:41 (scripted day)", or "09:41 (scripted day 2)" after the first cycle. */
  demoClock(): string;
  stop(): Promise<void>;
}

/**
 * Remove the demo's directory; the error when it stays. Another imos on the demo's workspace (a
 * second console taking a lock, writing the lease) may add a file while it is being removed
 * (ENOTEMPTY): the removal is started again for about a second (Node's asynchronous removal
 * retries as a whole; the synchronous one only retries the last step and fails the same way).
 */
export async function removeDemoDir(dir: string): Promise<Error | null> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export async function startDemoWorld(options: DemoOptions): Promise<DemoWorld> {
  const log = options.log ?? (() => {});
  const progress = options.progress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'imos-demo-'));
  // At an exit without a stop (an error, a second signal): a best effort, the watchdog does the rest.
  const removeDir = () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // left to the watchdog
    }
  };
  process.on('exit', removeDir);
  const reaper = startReaper(dir);
  const undo: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // keep undoing the rest
      }
    }
    process.removeListener('exit', removeDir);
    const failed = await removeDemoDir(dir);
    // Then it is left to the watchdog, which removes it once this process has ended.
    if (failed) progress(`could not remove ${dir} (${failed.message}): it is removed once imos demo has ended`);
    else reaper.stop();
  };

  try {
    const exampleDir = findExampleDir();
    const state = newServiceState(Date.now());
    const services: DemoServices = await startServices(state);
    undo.push(() => services.close());

    let cluster: PgCluster | null = null;
    let db: DemoDatabase | null = null;
    let postgresNotice: string | null = null;
    const { postgresAvailable, startPostgres } = await import('../pg-cluster/cluster.js');
    const storeInPostgres = options.store === 'postgres';
    if (storeInPostgres && (options.postgres === false || !postgresAvailable())) {
      throw new Error(`--store postgres needs PostgreSQL, and ${options.postgres === false ? 'it was turned off' : NO_POSTGRES_NOTICE.replace(/:.*$/, '')}`);
    }
    let storeUrl: string | null = null;
    if (options.postgres === false) {
      postgresNotice = "PostgreSQL turned off (--no-postgres): the demo's database checks are off";
    } else if (!postgresAvailable()) {
      postgresNotice = NO_POSTGRES_NOTICE;
    } else {
      const started = Date.now();
      progress('starting a throwaway PostgreSQL…');
      try {
        cluster = await startPostgres();
        undo.push(() => cluster!.stop());
        reaper.protect([cluster.dataDir]);
        const { createDemoDatabase } = await import('./database.js');
        db = await createDemoDatabase(cluster, join(exampleDir, 'prisma', 'migrations'));
        undo.push(() => db!.close());
        // The team set-up: the store itself in a database of its own on the same server.
        if (storeInPostgres) storeUrl = await cluster.createDatabase('imos_store');
        progress(`PostgreSQL ready in ${((Date.now() - started) / 1000).toFixed(1)} s (unified schema: 11 of 13 tables, 1 migration pending)`);
      } catch (error) {
        if (storeInPostgres) throw error;
        postgresNotice = `PostgreSQL could not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): the demo's database checks are off`;
        await cluster?.stop().catch(() => {});
        cluster = null;
        db = null;
      }
    }
    if (postgresNotice) progress(postgresNotice);

    const { loadConfigFile } = await import('../config/load.js');
    const timezone = exampleTimezone(exampleDir);
    const workspace = writeDemoWorkspace(exampleDir, join(dir, 'workspace'), {
      speed: options.speed,
      postgres: db !== null,
      ...(postgresNotice ? { notice: postgresNotice } : {}),
      today: dayIn(Date.now(), timezone),
    });
    if (storeUrl) {
      workspace.store = storeUrl;
      progress(`the store is in PostgreSQL: ${redactUrl(storeUrl)}`);
    }
    const env: Record<string, string> = { IMOS_STORE: workspace.store, IMOS_CONFIG: workspace.config };
    for (const system of DEMO_SYSTEMS) env[URL_VARIABLES[system]] = services.urls[system];
    if (db) {
      env.DATABASE_URL = db.checksUrl;
      // The sync-recovery playbook's script connects with it (data/example/scripts/recover-sync.sh).
      env.SYNC_RECOVERY_URL = db.syncRecoveryUrl;
    }
    // Whatever the user's shell has, the demo's config points at the demo's own world.
    Object.assign(process.env, env);
    const config = loadConfigFile(workspace.config, { env: process.env });

    await seedStore(config, workspace);

    const startedAt = Date.now();
    const driver = startDriver({ speed: options.speed, tickMs: options.tickMs ?? 250, state, db, log });
    undo.push(() => driver.stop());
    const demoClock = () => demoClockText((Date.now() - startedAt) * options.speed);

    return { workspace, config, urls: services.urls, postgresNotice, env, demoClock, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The example project's timezone (its "today" decides how the plan's dates move). */
function exampleTimezone(exampleDir: string): string {
  try {
    const raw = YAML.parse(readFileSync(join(exampleDir, 'imos.yaml'), 'utf8')) as { timezone?: unknown };
    if (typeof raw?.timezone === 'string') {
      new Intl.DateTimeFormat('en', { timeZone: raw.timezone });
      return raw.timezone;
    }
  } catch {
    // fall back to UTC: the config loader reports a bad file properly later
  }
  return 'UTC';
}

async function seedStore(config: ImosConfig, workspace: DemoWorkspace): Promise<void> {
  const [{ openStore }, { CoreDraft }, { readMatrixFile }, { snapshotOf }, { seedSnapshots, seedStandups }] = await Promise.all([
    import('../store/open.js'),
    import('../store/core-draft.js'),
    import('../plan/matrix-file.js'),
    import('../plan/figures.js'),
    import('./seed.js'),
  ]);
  const now = Date.now();
  const { matrix } = await readMatrixFile(workspace.matrix);
  const current = snapshotOf(matrix, new Date(now).toISOString());
  const store = await openStore(workspace.store);
  try {
    await store.transact('core', (tx) => {
      const core = new CoreDraft(tx);
      seedStandups(core, config, now);
      for (const snapshot of seedSnapshots(current, now)) core.addSnapshot(snapshot);
    });
  } finally {
    await store.close();
  }
}

interface DriverOptions {
  speed: number;
  tickMs: number;
  state: ReturnType<typeof newServiceState>;
  db: DemoDatabase | null;
  log: (line: string) => void;
}

/** Plays the script: flips the services' state and writes sync and outbox rows. */
function startDriver({ speed, tickMs, state, db, log }: DriverOptions): { stop(): Promise<void> } {
  const startedAt = Date.now();
  let lastDemoMs = -1;
  let lastSyncWrite = 0;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const tick = async () => {
    const now = Date.now();
    const demoMs = (now - startedAt) * speed;
    for (const event of eventsBetween(lastDemoMs, demoMs)) {
      log(`demo ${demoClockLabel(event.at)}${event.cycle > 0 ? ` (day ${event.cycle + 1})` : ''}: ${event.text}`);
    }
    lastDemoMs = demoMs;
    const moment = momentAt(demoMs);
    if (moment.pmsDown) state.down.add('hotel-pms');
    else state.down.delete('hotel-pms');

    if (!moment.syncStalled) {
      state.lastSyncedAt = now;
      if (db && now - lastSyncWrite >= 1000) {
        lastSyncWrite = now;
        await db.touchSync();
      }
    }

    const due = Math.floor((demoMs / MINUTE) * EVENTS_PER_DEMO_MINUTE) - state.produced;
    if (due > 0) {
      for (let i = 0; i < due; i++) state.pendingEvents.push(now);
      state.produced += due;
      await db?.produceEvents(due);
    }
    if (!moment.outboxConsumerStalled && state.pendingEvents.length > 0) {
      state.processed += state.pendingEvents.length;
      state.pendingEvents = [];
      await db?.consumeEvents();
    }
  };

  const step = () => {
    if (stopped || inFlight) return;
    inFlight = tick()
      .catch((error) => log(`demo driver: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = setInterval(step, tickMs);
  step();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
