// Runs each check on its interval (with a little jitter so checks of the same interval spread
// out), never two runs of one check at once, at most `concurrency` checks at a time, and offers
// "run now". Time comes from the injected clock; the scheduler does no I/O itself.
import type { CheckConfig } from '../config/types.js';
import type { Clock } from './clock.js';

export interface SchedulerOptions {
  checks: CheckConfig[];
  clock: Clock;
  concurrency: number;
  /** Runs one check and records its result; must not throw (errors are logged and dropped). */
  runOne: (check: CheckConfig) => Promise<void>;
  /** Fraction of the interval used as random jitter (default 0.1, at most 5 s). */
  jitter?: number;
  random?: () => number;
  onError?: (check: CheckConfig, error: unknown) => void;
  /** A scheduled run starts `lateMs` after it was due (the scheduling lag; not called for "run now"). */
  onStart?: (check: CheckConfig, lateMs: number) => void;
}

interface Slot {
  check: CheckConfig;
  timer: unknown;
  nextAt: number;
  running: boolean;
  queued: boolean;
  /** When the queued run was due (a scheduled run), else null. */
  dueAt: number | null;
}

export class Scheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly queue: Slot[] = [];
  private active = 0;
  private started = false;
  private paused = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: SchedulerOptions) {
    for (const check of options.checks) {
      this.slots.set(check.id, { check, timer: undefined, nextAt: 0, running: false, queued: false, dueAt: null });
    }
  }

  /** Start: every check runs soon (staggered by jitter), then on its interval. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const slot of this.slots.values()) this.scheduleIn(slot, this.jitterFor(slot.check, true));
  }

  stop(): void {
    this.started = false;
    for (const slot of this.slots.values()) {
      this.options.clock.clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.queued = false;
    }
    this.queue.length = 0;
  }

  get isRunning(): boolean {
    return this.started;
  }

  /** While paused, scheduled runs are skipped (and rescheduled); "run now" still works. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** When each check runs next (ms since epoch), for the console. */
  nextRuns(): Record<string, number> {
    return Object.fromEntries([...this.slots].map(([id, slot]) => [id, slot.nextAt]));
  }

  /** Run the given checks (default: all) now; resolves when they have all finished. */
  async runNow(ids?: string[]): Promise<void> {
    const wanted = ids ? ids.map((id) => this.slots.get(id)).filter((s): s is Slot => !!s) : [...this.slots.values()];
    for (const slot of wanted) this.enqueue(slot);
    await this.whenIdle(wanted);
  }

  private async whenIdle(slots: Slot[]): Promise<void> {
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (slots.every((s) => !s.running && !s.queued)) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private jitterFor(check: CheckConfig, initial: boolean): number {
    const random = this.options.random ?? Math.random;
    const ratio = this.options.jitter ?? 0.1;
    const spread = Math.min(check.everyMs * ratio, 5_000);
    return initial ? Math.floor(random() * Math.min(spread, 2_000)) : Math.floor((random() - 0.5) * spread);
  }

  private scheduleIn(slot: Slot, delay: number): void {
    if (!this.started) return;
    this.options.clock.clearTimeout(slot.timer);
    const ms = Math.max(0, delay);
    slot.nextAt = this.options.clock.now() + ms;
    slot.timer = this.options.clock.setTimeout(() => {
      slot.timer = undefined;
      if (this.paused) this.scheduleIn(slot, slot.check.everyMs + this.jitterFor(slot.check, false));
      else {
        if (!slot.running && !slot.queued) slot.dueAt = slot.nextAt;
        this.enqueue(slot);
      }
    }, ms);
  }

  private enqueue(slot: Slot): void {
    // A run still in progress (or waiting) absorbs the request: never two runs of one check.
    if (slot.running || slot.queued) return;
    slot.queued = true;
    this.queue.push(slot);
    this.drain();
  }

  private drain(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const slot = this.queue.shift()!;
      slot.queued = false;
      slot.running = true;
      this.active++;
      this.options.clock.clearTimeout(slot.timer);
      const startedAt = this.options.clock.now();
      if (slot.dueAt !== null) this.options.onStart?.(slot.check, startedAt - slot.dueAt);
      slot.dueAt = null;
      this.options
        .runOne(slot.check)
        .catch((error) => this.options.onError?.(slot.check, error))
        .finally(() => {
          slot.running = false;
          this.active--;
          // `every` is from start to start: a run that takes 10 s of a 30 s interval must not
          // stretch it to 40 s (failure thresholds and the console's "next run" assume `every`).
          const took = this.options.clock.now() - startedAt;
          this.scheduleIn(slot, slot.check.everyMs - took + this.jitterFor(slot.check, false));
          this.drain();
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const wake of waiters) wake();
        });
    }
  }
}
