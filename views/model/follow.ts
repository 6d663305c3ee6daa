// Follows the store for a face (the console, the web dashboard): loads every section once, then
// reloads only the section another process (or this one) changed, so acknowledgements and
// standups from elsewhere show within a second. Reloads run one at a time, in order: a later
// change is never overwritten by an earlier read. Unchanged sections keep their identity, so the
// view model's memos hold. Plain TypeScript: the console's hook and the web feed both use it.
import type { ImosConfig } from '../../src/config/types.js';
import type { Store, WatchedName } from '../../src/store/types.js';
import { loadConsoleData, loadIncidentLog, reloadSection, type ConsoleData, type PlanLoader } from './data.js';

export interface FollowOptions {
  now: () => number;
  loadPlan?: PlanLoader;
  /** The matrix file is not in the store: re-read the plan figures this often. */
  planEveryMs?: number;
  /** Also keep the incident history's archive and notes (the web page), re-read at most this often. */
  incidentsEveryMs?: number;
}

/** What a face shows after each reload: the data (null before the first read) and what is wrong, if anything. */
export type FollowListener = (data: ConsoleData | null, error: string | null) => void;

/** What the header and the status line say while the store's server cannot be reached; null when it can. */
export function disconnectedText(store: Store): string | null {
  const health = store.health();
  if (health.connected) return null;
  const since = health.since ? ` since ${health.since.slice(11, 19)}Z` : '';
  return `store disconnected${since}: ${health.problem ?? 'no answer'}; showing the last state, reconnecting`;
}

export class StoreFollower {
  private current: ConsoleData | null = null;
  private problem: string | null = null;
  private queue: Promise<void> = Promise.resolve();
  private alive = false;
  private unwatch: (() => void) | null = null;
  private planTimer: ReturnType<typeof setInterval> | null = null;
  private incidentTimer: ReturnType<typeof setTimeout> | null = null;
  private incidentsReadAt = 0;
  private readonly listeners = new Set<FollowListener>();
  /** Reloads asked for and not yet started, by what they re-read: a burst of changes is one reload. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly config: ImosConfig,
    private readonly options: FollowOptions,
  ) {}

  get data(): ConsoleData | null {
    return this.current;
  }

  /** What the last reload found wrong (null when it went well). */
  get error(): string | null {
    return this.problem;
  }

  onUpdate(listener: FollowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.alive) return;
    this.alive = true;
    this.refresh();
    this.unwatch = this.store.watch((section) => this.refresh(section));
    if (this.options.loadPlan) {
      this.planTimer = setInterval(() => this.refresh('core'), this.options.planEveryMs ?? 30_000);
      this.planTimer.unref?.();
    }
  }

  /** Reload now: one section, or everything (the first load, or after this face's own action). */
  refresh(section?: WatchedName): void {
    // Results and history are re-read together; a full reload covers any section.
    const key = !section ? 'all' : section === 'history' ? 'results' : section;
    if (this.waiting.has(key) || this.waiting.has('all')) return;
    this.waiting.add(key);
    this.enqueue(async () => {
      this.waiting.delete(key);
      const { store, config, options } = this;
      const now = options.now();
      const current = this.current;
      if (!current || !section) {
        const data = await loadConsoleData(store, config, now, options.loadPlan);
        return options.incidentsEveryMs !== undefined ? { ...data, incidentLog: await this.readIncidents(now) } : data;
      }
      if (section === 'audit' && options.incidentsEveryMs !== undefined) this.scheduleIncidents();
      return reloadSection(store, config, current, section, now, options.loadPlan);
    });
  }

  /** A stretch of audit entries after an ack or a resolution: the archive and notes are re-read once, soon. */
  private scheduleIncidents(): void {
    if (this.incidentTimer) return;
    const wait = Math.max(0, this.incidentsReadAt + (this.options.incidentsEveryMs ?? 0) - this.options.now());
    this.incidentTimer = setTimeout(() => {
      this.incidentTimer = null;
      this.enqueue(async () => (this.current ? { ...this.current, incidentLog: await this.readIncidents(this.options.now()) } : null));
    }, wait);
    this.incidentTimer.unref?.();
  }

  private async readIncidents(nowMs: number) {
    this.incidentsReadAt = nowMs;
    return loadIncidentLog(this.store, nowMs);
  }

  private enqueue(job: () => Promise<ConsoleData | null>): void {
    this.queue = this.queue.then(async () => {
      if (!this.alive) return;
      try {
        const next = await job();
        if (!this.alive || !next) return;
        this.current = next;
        // A shared store whose server cannot be reached answers with the last state it had: say so.
        this.emit(next, disconnectedText(this.store));
      } catch (err) {
        if (this.alive) this.emit(this.current, err instanceof Error ? err.message : String(err));
      }
    });
  }

  private emit(data: ConsoleData | null, error: string | null): void {
    this.problem = error;
    for (const listener of [...this.listeners]) listener(data, error);
  }

  /** Resolves when every reload asked for so far is done (tests, a page waiting for its first data). */
  settled(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.alive = false;
    this.waiting.clear();
    this.unwatch?.();
    this.unwatch = null;
    if (this.planTimer) clearInterval(this.planTimer);
    if (this.incidentTimer) clearTimeout(this.incidentTimer);
    this.planTimer = null;
    this.incidentTimer = null;
  }
}
