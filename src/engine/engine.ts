// The engine every face shares. Whoever holds the poller lease runs the scheduler, turns fresh
// results into alerts, escalates and sends notifications; everybody else follows the store.
import type { CheckConfig, ImosConfig } from '../config/types.js';
import type { CheckResult } from '../model.js';
import type { Fence, Store } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';
import { applyRun, historyPoint } from './evaluate.js';
import { PollerLease } from './lease.js';
import { createResourceRegistry } from './resources.js';
import { checkTarget, runCheck } from './run-check.js';
import { matrixTablesOf } from './pipeline.js';
import { Scheduler } from './scheduler.js';
import { countRuns } from './uptime.js';
import { configSecrets } from '../config/secrets.js';
import { Heartbeat } from './heartbeat.js';
import { formatDuration } from '../text/durations.js';
import { LeaseLostError } from '../store/types.js';

/** A failure that lasts this long (several lease attempts in a row) means the process cannot poll. */
export const PROBLEM_AFTER_MS = 5_000;
/** While it cannot poll, the process says so this often. */
export const PROBLEM_LOG_EVERY_MS = 60_000;

/** Why this process cannot do its job as a poller, and since when. */
export interface PollerProblem {
  reason: string;
  sinceMs: number;
}

/** Results recorded per commit at most: a commit of 10,000 would hold the store's lock for seconds. */
export const RESULTS_PER_COMMIT = 1000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Some chunks of a batch were stored, a later one was not. */
export class PartlyStoredError extends Error {
  constructor(
    readonly cause: unknown,
    readonly stored: number,
    readonly total: number,
  ) {
    super(`${stored} of ${total} results were stored, the rest not: ${messageOf(cause)}`);
    this.name = 'PartlyStoredError';
  }
}

/** The results of a run could not be stored (the file or database is named in the message). */
export class RecordError extends Error {
  constructor(
    readonly cause: unknown,
    /** The results of the run, as measured (not stored). */
    readonly results: CheckResult[] = [],
  ) {
    super(cause instanceof PartlyStoredError ? `not all results were stored: ${cause.message}` : `the results were not stored: ${messageOf(cause)}`);
    this.name = 'RecordError';
  }
}

/** What the lease holder does besides running checks (alerts, escalation, notifications). */
export interface EnginePipeline {
  /** Fresh results (effective status applied), in the order they were recorded. */
  afterResults?(results: CheckResult[], nowMs: number, fence: Fence): Promise<void>;
  /** Called about once a second while holding the lease; its writes carry `fence`. */
  onTick?(nowMs: number, fence: Fence): Promise<void>;
  close?(): Promise<void>;
}

export interface EngineOptions {
  config: ImosConfig;
  store: Store;
  role: string;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  pipeline?: EnginePipeline;
  /** Tables of the integration matrix, for `tables: from-matrix`. */
  matrixTables?: () => Promise<string[]>;
  log?: (line: string) => void;
  /** Lease timings (tests shorten them). */
  lease?: { ttlMs?: number; renewEveryMs?: number };
  tickMs?: number;
  /** A scheduled run started `lateMs` after it was due (for metrics and benchmarks). */
  onRunStart?: (check: CheckConfig, lateMs: number) => void;
  /** Results per commit at most (RESULTS_PER_COMMIT; tests make it small). */
  resultsPerCommit?: number;
  /**
   * Told at once when the poller's results could not be stored (why), and when they are stored
   * again (null): the console's header says so at the first failed write, not a minute later.
   */
  onWriteFailure?: (reason: string | null) => void;
}

export class Engine {
  readonly lease: PollerLease;
  readonly resources = createResourceRegistry();
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly shutdown = new AbortController();
  private readonly checksById: Map<string, CheckConfig>;
  /** Results waiting to be recorded, each with whoever waits for it. */
  private pendingWrites: Array<{ results: CheckResult[]; done: (recorded: CheckResult[], error: unknown) => void; poller: boolean }> = [];
  /** The one writer: records pending results batch by batch until none is left. */
  private writing: Promise<void> | null = null;
  private tickTimer: unknown;
  private ticking = false;
  private following = false;
  private lastRunNowSeen: string | null = null;
  /** Per check, the time of the newest result turned into alerts here (ours, or another process's). */
  private readonly processedAt = new Map<string, string>();
  /** Results recorded before we held the lease were the previous holder's to process. */
  private baselineNeeded = true;
  private stopped = false;
  /** Bumped whenever the lease is gained or lost: a start decided for an older holding is not made. */
  private holdings = 0;
  /** The store's last reported problem (null: reachable), so it is logged once per change. */
  private storeProblem: string | null = null;
  /** The poller's results could not be stored: why, since when (cleared by the next stored batch). */
  private writeFailing: { message: string; sinceMs: number } | null = null;
  /** When "cannot poll" was last logged (null: not failing). */
  private problemLoggedAt: number | null = null;
  private readonly heartbeat: Heartbeat | null;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.checksById = new Map(options.config.checks.map((c) => [c.id, c]));
    // A lease file that cannot be read (corrupt, newer format) keeps everyone from polling: say
    // why, once per distinct reason (the lease is retried every second).
    let leaseProblem = '';
    const onLeaseError = (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      if (text !== leaseProblem) this.log(`poller lease: ${text}`);
      leaseProblem = text;
    };
    this.lease = new PollerLease(options.store, { role: options.role, clock: this.clock, onError: onLeaseError, ...options.lease });
    this.heartbeat = options.config.heartbeat
      ? new Heartbeat({ url: options.config.heartbeat, checks: options.config.checks, clock: this.clock, log: (line) => this.log(line) })
      : null;
    this.scheduler = this.createScheduler(
      options.config.checks,
      async (check) => {
        const result = await this.execute(check);
        // A run cut short by our own stop says nothing about the check: recording it would show
        // "error: aborted" (and count a failure) until the next holder runs the check again.
        if (this.shutdown.signal.aborted) return;
        // Not awaited: the run's slot is free once the check is done, whatever the store takes.
        void this.record([result], { poller: true });
      },
      options.onRunStart,
    );
  }

  /** Why we no longer hold the lease, as far as this process can tell (for the log). */
  private whyLeaseLost(): string {
    const problem = this.lease.problem();
    if (problem) return `the store does not answer (${problem.message})`;
    const seen = this.lease.holder();
    if (seen && seen.token !== this.lease.token) return `${seen.role} pid ${seen.pid} on ${seen.host} polls now`;
    return 'not renewed within its time to live (the store answered too slowly)';
  }

  /** Start following the lease: run the scheduler while holding it. */
  async start(): Promise<void> {
    this.lease.onChange((holding) => {
      this.holdings++;
      if (holding && !this.stopped) {
        this.log(`holding the poller lease (${this.options.role})`);
        this.baselineNeeded = true;
        void this.startScheduler(this.holdings);
      } else {
        // Lost while running: taken over, the store not answering, or our own renewal too late.
        if (!this.stopped) this.log(`lost the poller lease: ${this.whyLeaseLost()}; waiting to take over`);
        this.scheduler.stop();
        // Taken over by a process that answers: a write failure of ours is no longer news (lost
        // because the store fails us too, it still is).
        if (this.writeFailing && !this.lease.problem()) {
          this.writeFailing = null;
          this.options.onWriteFailure?.(null);
        }
      }
    });
    await this.lease.start();
    this.scheduleTick();
  }

  isHolder(): boolean {
    return this.lease.isHolder();
  }

  /**
   * Work started and not finished: checks running or queued, results not yet recorded (with their
   * alerts), a tick under way. Whoever drives the clock (tests, the memory soak) waits for none
   * before moving time on, so that a step never outlasts the lease on a slow machine.
   */
  outstanding(): number {
    return this.scheduler.outstanding + this.pendingWrites.length + (this.writing ? 1 : 0) + (this.ticking || this.following ? 1 : 0);
  }

  /**
   * Why this process cannot poll (the lease cannot be read or written, the poller's results cannot
   * be stored), once the failure has lasted PROBLEM_AFTER_MS; null while it polls or another
   * process does.
   */
  problem(): PollerProblem | null {
    const now = this.clock.now();
    const found: PollerProblem[] = [];
    const lease = this.lease.problem();
    if (lease) found.push({ reason: `cannot take or renew the poller lease: ${lease.message}`, sinceMs: lease.sinceMs });
    if (this.writeFailing) found.push({ reason: `cannot record results: ${this.writeFailing.message}`, sinceMs: this.writeFailing.sinceMs });
    // The lease first when both fail: without it nothing polls, and a fenced write fails too when
    // the lease cannot be checked (a locked lease row), so the lease is the cause to name.
    return found.find((p) => now - p.sinceMs >= PROBLEM_AFTER_MS) ?? null;
  }

  /** Say in the log, once a minute, that this process cannot poll; and when it can again. */
  private followProblem(): void {
    const problem = this.problem();
    const now = this.clock.now();
    if (!problem) {
      if (this.problemLoggedAt !== null) this.log('polling again: the poller lease and the store answer');
      this.problemLoggedAt = null;
      return;
    }
    if (this.problemLoggedAt !== null && now - this.problemLoggedAt < PROBLEM_LOG_EVERY_MS) return;
    this.problemLoggedAt = now;
    const since = new Date(problem.sinceMs).toISOString();
    this.log(`CANNOT POLL for ${formatDuration(now - problem.sinceMs, 'spaced')} (since ${since}): ${problem.reason}; no check runs and nothing is sent meanwhile`);
  }

  /**
   * A new holder follows a pause someone set before it took over: no run before it knows. The
   * scheduler then starts unless the lease was lost since (its loss stops the scheduler). Not
   * `isHolder()` at that moment: a slow read (a database just back from a restart) can end after
   * the lease's time ran out but before the timer that says so fired, and a renewal landing then
   * is no news to anyone: the process went on renewing a lease it never polled with.
   */
  private async startScheduler(holding: number): Promise<void> {
    try {
      const core = await this.options.store.read('core');
      this.scheduler.setPaused(core.control.paused);
    } catch (error) {
      this.log(`could not read the shared controls: ${String(error)}`);
    }
    if (!this.stopped && holding === this.holdings) this.scheduler.start();
  }

  /** Run checks now: here when holding the lease, else by asking the holder through the store. */
  async runNow(ids?: string[]): Promise<void> {
    if (this.isHolder()) {
      await this.scheduler.runNow(ids);
      await this.writing; // and recorded
      return;
    }
    const { requestRunNow } = await import('./control.js');
    await requestRunNow(this.options.store, this.options.role);
  }

  /**
   * Run checks once, now, and record them (for `imos check`): whatever holds the lease. Returns
   * the fresh results (runStatus is this run's own verdict; status has the thresholds applied).
   */
  async runOnce(ids?: string[], onProgress?: (done: number, total: number, result: CheckResult) => void): Promise<CheckResult[]> {
    const checks = ids ? this.options.config.checks.filter((c) => ids.includes(c.id)) : this.options.config.checks;
    const results = new Map<string, CheckResult>();
    // The same per-target limits as the poller's: a hanging target does not hold up the rest.
    const once = this.createScheduler(checks, async (check) => {
      const result = await this.execute(check);
      results.set(check.id, result);
      onProgress?.(results.size, checks.length, result);
    });
    await once.runNow();
    const ordered = checks.map((c) => results.get(c.id)!);
    try {
      const recorded = await this.record(ordered, { throwOnFailure: true });
      return ordered.map((r, i) => ({ ...r, status: recorded[i]?.status ?? r.status }));
    } catch (error) {
      throw error instanceof RecordError ? new RecordError(error.cause, ordered) : error;
    }
  }

  private createScheduler(checks: CheckConfig[], runOne: (check: CheckConfig) => Promise<void>, onStart?: EngineOptions['onRunStart']): Scheduler {
    return new Scheduler({
      checks,
      clock: this.clock,
      concurrency: this.options.config.concurrency,
      laneOf: checkTarget,
      runOne,
      onError: (check, error) => this.log(`check ${check.id}: ${String(error)}`),
      onStart,
    });
  }

  /** Stop: abort running checks, hand the lease over, close pools. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.tickTimer);
    this.scheduler.stop();
    this.shutdown.abort();
    await this.writing;
    await this.lease.stop();
    await this.options.pipeline?.close?.();
    await this.resources.closeAll();
  }

  private execute(check: CheckConfig): Promise<CheckResult> {
    return runCheck(check, {
      clock: this.clock,
      baseDir: this.options.config.baseDir,
      env: this.options.env ?? process.env,
      resources: this.resources,
      matrixTables: this.options.matrixTables ?? matrixTablesOf(this.options.config),
      signal: this.shutdown.signal,
      secrets: configSecrets(this.options.config),
    });
  }

  /**
   * Fold results into the stored check states and histories, then turn them into alerts. One
   * writer records whatever has piled up since its last write as one batch (one transaction per
   * section, writing only the checks that ran), so a slow store costs fewer, larger writes and never
   * holds up the checks themselves. The poller's own results are fenced by its lease; `imos check`
   * records without holding it. Resolves with the results as recorded (effective status applied).
   */
  private record(results: CheckResult[], options: { poller?: boolean; throwOnFailure?: boolean } = {}): Promise<CheckResult[]> {
    const done = new Promise<CheckResult[]>((resolve, reject) =>
      this.pendingWrites.push({
        results,
        poller: options.poller === true,
        done: (recorded, error) => (error !== undefined && options.throwOnFailure ? reject(new RecordError(error)) : resolve(recorded)),
      }),
    );
    this.writing ??= this.writeAll().finally(() => {
      this.writing = null;
    });
    return done;
  }

  private async writeAll(): Promise<void> {
    while (this.pendingWrites.length > 0) {
      const waiting = this.pendingWrites;
      this.pendingWrites = [];
      const recorded = new Map<CheckResult, CheckResult>();
      const failed = new Map<boolean, unknown>();
      for (const poller of [true, false]) {
        const batch = waiting.filter((w) => w.poller === poller).flatMap((w) => w.results);
        if (batch.length === 0) continue;
        const fence = poller ? this.lease.fence() : null;
        // Lost the lease meanwhile: the poller's results are not ours to record any more.
        if (poller && !fence) continue;
        const written = await this.writeBatch(batch, fence);
        for (const [result, stored] of written.recorded) recorded.set(result, stored);
        if (written.error !== undefined) failed.set(poller, written.error);
      }
      for (const { results, done, poller } of waiting) done(results.map((r) => recorded.get(r) ?? r), failed.get(poller));
    }
  }

  /**
   * Writes of the results and history sections, then the alerts; returns each result as recorded.
   * A large batch (the first run of 10,000 checks) is written RESULTS_PER_COMMIT results at a time,
   * each chunk stored whole or not at all: no commit holds the store's lock for long.
   */
  private async writeBatch(batch: CheckResult[], fence: Fence | null): Promise<{ recorded: Map<CheckResult, CheckResult>; error?: unknown }> {
    const recorded = new Map<CheckResult, CheckResult>();
    let failure: unknown;
    const size = this.options.resultsPerCommit ?? RESULTS_PER_COMMIT;
    for (let from = 0; from < batch.length && failure === undefined; from += size) {
      const chunk = batch.slice(from, from + size);
      try {
        await this.writeChunk(chunk, fence, recorded);
      } catch (error) {
        // Chunks before this one are stored, and their results go on to the alerts.
        // A lost lease stays what it is: the new holder records from now on.
        const partly = recorded.size > 0 && !(error instanceof LeaseLostError);
        failure = partly ? new PartlyStoredError(error, recorded.size, batch.length) : error;
        this.log(`could not record results: ${partly ? messageOf(failure) : String(error)}`);
      }
    }
    if (fence) {
      // A write refused because another process took over is no failure of ours to report.
      const before = this.writeFailing?.message ?? null;
      if (failure === undefined) this.writeFailing = null;
      else if (!(failure instanceof LeaseLostError)) {
        this.writeFailing = { message: failure instanceof Error ? failure.message : String(failure), sinceMs: this.writeFailing?.sinceMs ?? this.clock.now() };
      }
      const now = this.writeFailing?.message ?? null;
      if (now !== before) this.options.onWriteFailure?.(now);
    }
    const holding = this.lease.fence();
    if (holding && recorded.size > 0) {
      await this.options.pipeline?.afterResults?.([...recorded.values()], this.clock.now(), holding).catch((e) => this.log(`alerts: ${String(e)}`));
    }
    // A completed round of the poller: results stored and turned into alerts.
    if (fence && failure === undefined && recorded.size > 0) this.heartbeat?.beat();
    return failure === undefined ? { recorded } : { recorded, error: failure };
  }

  /** One chunk: its results, then its history; adds each stored result to `recorded`. */
  private async writeChunk(chunk: CheckResult[], fence: Fence | null, recorded: Map<CheckResult, CheckResult>): Promise<void> {
    const transact = fence ? { fence } : {};
    const { store, config } = this.options;
    const mine = new Map<CheckResult, CheckResult>();
    await store.transact(
      'results',
      (tx) => {
        mine.clear(); // a transaction may run again
        for (const result of chunk) {
          const check = this.checksById.get(result.id);
          if (!check) continue;
          mine.set(result, tx.put('checks', applyRun(tx.get('checks', result.id), result, check)).last!);
        }
        // Uptime's counts travel in the same change: no write of their own.
        countRuns(tx, chunk.filter((result) => this.checksById.has(result.id)));
      },
      transact,
    );
    for (const [result, last] of mine) {
      recorded.set(result, last);
      this.processedAt.set(last.id, last.at); // ours: processed below, not again by tick()
    }
    // Results stored but their history not: the alerts still follow the results.
    await store.transact(
      'history',
      (tx) => {
        for (const result of chunk) if (this.checksById.has(result.id)) tx.appendHistory(result.id, [historyPoint(result)], config.historySize);
      },
      transact,
    );
  }

  /** Say in the log when the store's server stops answering and when it answers again. */
  private followHealth(): void {
    const health = this.options.store.health();
    const text = health.connected ? null : `${health.problem ?? 'no answer'}`;
    if (text === this.storeProblem) return;
    if (text) this.log(`store unreachable: ${text}; showing the last state and reconnecting (nothing is stored meanwhile)`);
    else this.log('store reachable again: caught up');
    this.storeProblem = text;
  }

  private scheduleTick(): void {
    if (this.stopped) return;
    // Every second, whether or not the last tick is done: a notification that takes long (Slack
    // not answering) must not keep a pause or a run-now request from a console waiting.
    this.tickTimer = this.clock.setTimeout(() => {
      this.followHealth();
      this.followProblem();
      void this.tick();
      this.scheduleTick();
    }, this.options.tickMs ?? 1000);
  }

  /**
   * The holder's heartbeat: follow shared controls, escalate, notify. `othersResults: false`: do
   * not look for results other processes recorded (a one-off run, whose first look would only
   * note what is there as already handled, reading every check's state to do so).
   */
  async tick({ othersResults = true }: { othersResults?: boolean } = {}): Promise<void> {
    if (this.stopped || !this.isHolder()) return;
    if (!this.following) {
      this.following = true;
      try {
        await this.followControls();
      } catch (error) {
        this.log(`tick: ${String(error)}`);
      } finally {
        this.following = false;
      }
    }
    if (this.ticking || this.stopped || !this.isHolder()) return;
    this.ticking = true;
    try {
      const fence = this.lease.fence();
      if (!fence) return;
      if (othersResults) await this.processOthersResults(fence);
      await this.options.pipeline?.onTick?.(this.clock.now(), fence);
    } catch (error) {
      this.log(`tick: ${String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Pause and run-now, as set from any console. */
  private async followControls(): Promise<void> {
    const core = await this.options.store.read('core');
    this.scheduler.setPaused(core.control.paused);
    const request = core.control.runNowRequestedAt;
    if (request && request !== this.lastRunNowSeen) {
      const first = this.lastRunNowSeen === null && this.clock.now() - Date.parse(request) > 60_000;
      this.lastRunNowSeen = request;
      if (!first) void this.scheduler.runNow();
    }
  }

  /**
   * Results another process recorded (`imos check` while this process polls) become alerts too:
   * only the holder turns results into alerts, so it picks them up from the store.
   */
  private async processOthersResults(fence: Fence): Promise<void> {
    if (!this.options.pipeline?.afterResults) return;
    const { checks } = await this.options.store.read('results');
    const fresh: CheckResult[] = [];
    for (const [id, state] of Object.entries(checks)) {
      const last = state.last;
      if (!last || !this.checksById.has(id)) continue;
      const seen = this.processedAt.get(id);
      if (this.baselineNeeded || (seen !== undefined && last.at <= seen)) {
        this.processedAt.set(id, seen && seen > last.at ? seen : last.at);
        continue;
      }
      this.processedAt.set(id, last.at);
      fresh.push(last);
    }
    this.baselineNeeded = false;
    if (fresh.length > 0) await this.options.pipeline.afterResults(fresh, this.clock.now(), fence);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
