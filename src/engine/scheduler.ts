// Runs each check on its interval (with a little jitter so checks of the same interval spread
// out), never two runs of one check at once, and offers "run now". Time comes from the injected
// clock; the scheduler does no I/O itself.
//
// Concurrency is per target, a "lane" (an HTTP host, a database server, this machine's programs):
// at most `concurrency` runs at a time against one target, so a target that is slow or hangs holds
// up only its own checks. Within a lane, a run still going after `patienceMs` gives its slot back
// and finishes outside the limit (at most `concurrency` such runs per lane), so a few checks
// hanging until their timeout do not stall even the other checks of their target.
import type { CheckConfig } from '../config/types.js';
import type { Clock } from '../time/clock.js';

export interface SchedulerOptions {
  checks: CheckConfig[];
  clock: Clock;
  /** Runs at a time against one target (lane). */
  concurrency: number;
  /** The target (lane) a check's runs load; default: one lane for every check. */
  laneOf?: (check: CheckConfig) => string;
  /** How long a run holds its lane's slot before it runs on outside the limit (default 1 s). */
  patienceMs?: number;
  /** Runs at a time in all, whatever their lanes (default 256: sockets and processes are finite). */
  maxInFlight?: number;
  /** First runs planned per second at most (default 100): a large configuration starts spread out. */
  startRate?: number;
  /** Runs one check and records its result; must not throw (errors are logged and dropped). */
  runOne: (check: CheckConfig) => Promise<void>;
  /** Fraction of the interval used as random jitter (default 0.1, at most 5 s). */
  jitter?: number;
  random?: () => number;
  onError?: (check: CheckConfig, error: unknown) => void;
  /** A scheduled run starts `lateMs` after it was due (the scheduling lag; not called for "run now"). */
  onStart?: (check: CheckConfig, lateMs: number) => void;
}

export const DEFAULT_PATIENCE_MS = 1_000;
export const DEFAULT_MAX_IN_FLIGHT = 256;
export const DEFAULT_START_RATE = 100;

interface Slot {
  check: CheckConfig;
  /** Its target's lane, found on the first run (null before). */
  lane: Lane | null;
  timer: unknown;
  nextAt: number;
  running: boolean;
  queued: boolean;
  /** When the queued run was due (a scheduled run), else null. */
  dueAt: number | null;
  /** `runNow` callers waiting for this check's run to end. */
  waiters: Array<() => void>;
}

interface Lane {
  key: string;
  /** Runs holding one of the lane's `concurrency` slots. */
  holding: number;
  /** Runs past their patience, running on outside the limit. */
  overtime: number;
  queue: Fifo<Slot>;
}

export class Scheduler {
  /** Each check's slot, made when first needed: a scheduler never used makes none. */
  private slotsMade: Map<string, Slot> | null = null;
  private readonly lanes = new Map<string, Lane>();
  /** Lanes with runs waiting, in the order they are served (round robin). */
  private readonly waiting = new Set<Lane>();
  private inFlight = 0;
  private started = false;
  private paused = false;

  constructor(private readonly options: SchedulerOptions) {}

  /**
   * The checks' slots, made on first use: `imos check --only` makes an engine (and its poller's
   * scheduler of 10,000 checks) to run one check. A check's lane (its target: a URL parsed, a host
   * resolved from options) is found when it is first queued.
   */
  private get slots(): Map<string, Slot> {
    if (!this.slotsMade) {
      this.slotsMade = new Map();
      for (const check of this.options.checks) {
        this.slotsMade.set(check.id, { check, lane: null, timer: undefined, nextAt: 0, running: false, queued: false, dueAt: null, waiters: [] });
      }
    }
    return this.slotsMade;
  }

  private laneOf(slot: Slot): Lane {
    if (slot.lane) return slot.lane;
    const key = this.options.laneOf?.(slot.check) ?? '';
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { key, holding: 0, overtime: 0, queue: new Fifo() }));
    return (slot.lane = lane);
  }

  /**
   * Start: every check runs soon, then on its interval. The first runs are spread over the
   * initial jitter, or over as long as `startRate` needs for all of them (never past a check's
   * own interval): 10,000 checks do not all fall due in the same two seconds.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const random = this.options.random ?? Math.random;
    // More checks than one second of starts: spread them over as many seconds as they need.
    const rate = this.options.startRate ?? DEFAULT_START_RATE;
    const window = this.slots.size > rate ? (this.slots.size / rate) * 1000 : 0;
    for (const slot of this.slots.values()) {
      const spread = Math.min(Math.max(this.initialJitter(slot.check), window), slot.check.everyMs);
      this.scheduleIn(slot, Math.floor(random() * spread));
    }
  }

  stop(): void {
    this.started = false;
    for (const slot of this.slotsMade?.values() ?? []) {
      this.options.clock.clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.queued = false;
      slot.dueAt = null;
      if (!slot.running) this.wake(slot);
    }
    for (const lane of this.lanes.values()) lane.queue.clear();
    this.waiting.clear();
  }

  get isRunning(): boolean {
    return this.started;
  }

  /** Checks running or queued to run now. */
  get outstanding(): number {
    let count = 0;
    for (const slot of this.slotsMade?.values() ?? []) if (slot.running || slot.queued) count++;
    return count;
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
    await Promise.all(
      wanted.map((slot) => (slot.running || slot.queued ? new Promise<void>((resolve) => slot.waiters.push(resolve)) : undefined)),
    );
  }

  /** The jitter of a check's first run: at most 10 % of its interval, and 2 s. */
  private initialJitter(check: CheckConfig): number {
    return Math.min(check.everyMs * (this.options.jitter ?? 0.1), 2_000);
  }

  private jitterFor(check: CheckConfig): number {
    const random = this.options.random ?? Math.random;
    const spread = Math.min(check.everyMs * (this.options.jitter ?? 0.1), 5_000);
    return Math.floor((random() - 0.5) * spread);
  }

  private scheduleIn(slot: Slot, delay: number): void {
    if (!this.started) return;
    this.options.clock.clearTimeout(slot.timer);
    const ms = Math.max(0, delay);
    slot.nextAt = this.options.clock.now() + ms;
    slot.timer = this.options.clock.setTimeout(() => {
      slot.timer = undefined;
      if (this.paused) {
        this.scheduleIn(slot, slot.check.everyMs + this.jitterFor(slot.check));
        return;
      }
      if (!slot.running && !slot.queued) slot.dueAt = slot.nextAt;
      this.enqueue(slot);
    }, ms);
  }

  private enqueue(slot: Slot): void {
    // A run still in progress (or waiting) absorbs the request: never two runs of one check.
    if (slot.running || slot.queued) return;
    slot.queued = true;
    const lane = this.laneOf(slot);
    lane.queue.push(slot);
    this.waiting.add(lane);
    this.drain();
  }

  /** Start what may start: lanes in turn, one run each per pass, within both limits. */
  private drain(): void {
    const maxInFlight = this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    let started = true;
    while (started && this.waiting.size > 0 && this.inFlight < maxInFlight) {
      started = false;
      for (const lane of [...this.waiting]) {
        if (this.inFlight >= maxInFlight) break;
        if (lane.holding >= this.options.concurrency) continue;
        const slot = lane.queue.shift()!;
        // Served: to the back of the line, so that one busy lane cannot keep the others waiting.
        this.waiting.delete(lane);
        if (lane.queue.size > 0) this.waiting.add(lane);
        this.begin(slot);
        started = true;
      }
    }
  }

  private begin(slot: Slot): void {
    const { check } = slot;
    const lane = slot.lane!; // set when it was queued (enqueue)
    const clock = this.options.clock;
    slot.queued = false;
    slot.running = true;
    lane.holding++;
    this.inFlight++;
    clock.clearTimeout(slot.timer);
    const startedAt = clock.now();
    if (slot.dueAt !== null) this.options.onStart?.(check, startedAt - slot.dueAt);
    slot.dueAt = null;

    let holding = true;
    const patience = Math.min(this.options.patienceMs ?? DEFAULT_PATIENCE_MS, check.timeoutMs);
    const patienceTimer = clock.setTimeout(() => {
      if (!slot.running || lane.overtime >= this.options.concurrency) return;
      // Slow or hanging: give the slot to the next run of this lane and finish outside the limit.
      holding = false;
      lane.holding--;
      lane.overtime++;
      this.drain();
    }, patience);

    this.options
      .runOne(check)
      .catch((error) => this.options.onError?.(check, error))
      .finally(() => {
        clock.clearTimeout(patienceTimer);
        slot.running = false;
        if (holding) lane.holding--;
        else lane.overtime--;
        this.inFlight--;
        // `every` is from start to start: a run that takes 10 s of a 30 s interval must not
        // stretch it to 40 s (failure thresholds and the console's "next run" assume `every`).
        const took = clock.now() - startedAt;
        this.scheduleIn(slot, check.everyMs - took + this.jitterFor(check));
        this.wake(slot);
        this.drain();
      });
  }

  private wake(slot: Slot): void {
    const waiters = slot.waiters;
    slot.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A first-in first-out queue with O(1) shift (Array#shift moves every element). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
