// The poller lease: of all the processes sharing a store (consoles, the daemon, one-shot
// commands) exactly one runs checks, escalations and notifications. The holder renews the store's
// lease record (a file, or a row in PostgreSQL); another process takes it when it is free, expired,
// or its holder's pid is dead on this host (kill -9). A holder believes it holds only while its
// last renewal is younger than the ttl, and a taker waits until the record is at least ttl old, so
// on one clock the two never overlap. Every write the holder makes carries its fence (token and
// epoch): once another process has taken over, the store refuses them.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { LeaseHolder } from '../model.js';
import { actorName } from '../identity.js';
import { isProcessAlive } from '../processes.js';
import { isLiveHolder as isLiveHolderRule } from '../store/lease-rules.js';
import type { Fence, Store } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';

export interface PollerLeaseOptions {
  /** What kind of process asks: console, daemon, check. */
  role: string;
  clock?: Clock;
  /** A holder that has not renewed for this long has lost the lease. */
  ttlMs?: number;
  renewEveryMs?: number;
  /** Who we are; defaults come from the process (overridable for tests). */
  pid?: number;
  host?: string;
  user?: string;
  /** Whether a pid on this host is alive; default `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
  /** A renewal that failed (store locked, unreadable file): the lease lapses, the timer goes on. */
  onError?: (error: unknown) => void;
}

export const DEFAULT_LEASE_TTL_MS = 3000;
export const DEFAULT_LEASE_RENEW_MS = 1000;

export { leaseAction, type LeaseAction, type Claimant } from '../store/lease-rules.js';

/** Whether a stored holder is still live (fresh and, on this host, its process alive). */
export function isLiveHolder(
  holder: LeaseHolder | null,
  now: number,
  ttlMs = DEFAULT_LEASE_TTL_MS,
  host = os.hostname(),
  isAlive: (pid: number) => boolean = isProcessAlive,
): holder is LeaseHolder {
  return isLiveHolderRule(holder, now, ttlMs, host, isAlive);
}

/** The process holding the poller lease now, or null (nobody, expired, or dead). */
export async function readHolder(
  store: Store,
  options: { ttlMs?: number; clock?: Clock } = {},
): Promise<LeaseHolder | null> {
  const holder = await store.lease.read();
  const now = (options.clock ?? systemClock).now();
  return isLiveHolder(holder, now, options.ttlMs ?? DEFAULT_LEASE_TTL_MS) ? holder : null;
}


export class PollerLease {
  readonly token = randomBytes(12).toString('hex');
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly me: Omit<LeaseHolder, 'since' | 'renewedAt' | 'token'>;
  private readonly isAlive: (pid: number) => boolean;
  private readonly onError: (error: unknown) => void;
  private readonly listeners = new Set<(holding: boolean) => void>();
  /** Time (our clock) taken before our last successful renewal was sent; null when not holding. */
  private renewedAt: number | null = null;
  /** The epoch of our holding (changes with every change of holder). */
  private epoch = 0;
  private lastSeen: LeaseHolder | null = null;
  private reported = false;
  private started = false;
  private stopped = false;
  private inFlight: Promise<void> | null = null;
  /** Why the last attempt failed and since when (our clock); null after one that got an answer. */
  private failing: { message: string; sinceMs: number } | null = null;
  private renewTimer: unknown = null;
  private expiryTimer: unknown = null;
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly store: Store,
    options: PollerLeaseOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.renewEveryMs = options.renewEveryMs ?? DEFAULT_LEASE_RENEW_MS;
    if (this.renewEveryMs >= this.ttlMs) {
      throw new Error(`lease renewal interval (${this.renewEveryMs} ms) must be shorter than its ttl (${this.ttlMs} ms)`);
    }
    this.me = {
      pid: options.pid ?? process.pid,
      host: options.host ?? os.hostname(),
      user: actorName(options.user),
      role: options.role,
    };
    this.isAlive = options.isAlive ?? isProcessAlive;
    this.onError = options.onError ?? (() => {});
  }

  /** Try to acquire now, then renew (or retry) every `renewEveryMs`. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    // A holder that quits releases the record: followers hear of it at once instead of waiting
    // for their next retry.
    this.unwatch = this.store.watch((section) => {
      if (section === 'lease') void this.onLeaseChanged();
    });
    void this.tick();
  }

  /** True only while our last renewal is younger than the ttl (and nobody took the lease since). */
  isHolder(): boolean {
    return !this.stopped && this.renewedAt !== null && this.clock.now() - this.renewedAt < this.ttlMs;
  }

  /** What our writes carry while we hold the lease; null when we do not. */
  fence(): Fence | null {
    return this.isHolder() ? { token: this.token, epoch: this.epoch } : null;
  }

  /**
   * Why the lease cannot be read or written (a corrupt file, a read-only disk, a database not
   * answering) and since when; null while every attempt gets an answer, whoever holds it.
   */
  problem(): { message: string; sinceMs: number } | null {
    return this.failing ? { ...this.failing } : null;
  }

  /** The holder as last seen in the store (ours or another process's). */
  holder(): LeaseHolder | null {
    return this.lastSeen ? { ...this.lastSeen } : null;
  }

  /** Called with `true` when this process gains the lease and `false` when it loses it. */
  onChange(listener: (holding: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop renewing and release the lease if held, so a follower takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatch?.();
    this.unwatch = null;
    this.clearTimer('renewTimer');
    this.clearTimer('expiryTimer');
    await this.inFlight;
    const mayHold = this.renewedAt !== null;
    this.renewedAt = null;
    this.report();
    if (!mayHold) return;
    try {
      await this.store.lease.release(this.token);
    } catch (error) {
      this.onError(error); // the record expires by itself after the ttl
    }
  }

  /** One acquire-or-renew attempt (the timer calls it; tests may call it directly). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    this.clearTimer('renewTimer');
    this.inFlight = this.attempt().finally(() => {
      this.inFlight = null;
      if (!this.stopped) this.renewTimer = this.clock.setTimeout(() => void this.tick(), this.renewEveryMs);
    });
    return this.inFlight;
  }

  private async attempt(): Promise<void> {
    try {
      // Taken before asking: the lease is ours for the ttl counted from when we asked, never from
      // when the answer arrived (a slow store must not stretch our belief past the record's expiry).
      const now = this.clock.now();
      const outcome = await this.store.lease.acquire({ ...this.me, token: this.token }, this.ttlMs, { nowMs: now, isAlive: this.isAlive });
      this.lastSeen = outcome.holder;
      this.renewedAt = outcome.ours ? now : null;
      if (outcome.ours) this.epoch = outcome.epoch;
      this.failing = null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failing = { message, sinceMs: this.failing?.sinceMs ?? this.clock.now() };
      this.onError(error);
    }
    this.report();
  }

  private async onLeaseChanged(): Promise<void> {
    if (this.stopped) return;
    try {
      const holder = await this.store.lease.read();
      this.lastSeen = holder;
      if (this.renewedAt !== null && holder?.token !== this.token) {
        this.renewedAt = null; // someone took it (we must have stalled past the ttl)
        this.report();
      }
      const free = !isLiveHolder(holder, this.clock.now(), this.ttlMs, this.me.host, this.isAlive);
      if (this.renewedAt === null && free) void this.tick();
    } catch (error) {
      this.onError(error);
    }
  }

  /** Tell listeners when our belief changed; arm a timer for the moment it lapses on its own. */
  private report(): void {
    const holding = this.isHolder();
    this.clearTimer('expiryTimer');
    if (holding && this.renewedAt !== null) {
      const left = this.renewedAt + this.ttlMs - this.clock.now();
      this.expiryTimer = this.clock.setTimeout(() => this.report(), Math.max(0, left));
    }
    if (holding === this.reported) return;
    this.reported = holding;
    for (const listener of [...this.listeners]) {
      try {
        listener(holding);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private clearTimer(which: 'renewTimer' | 'expiryTimer'): void {
    if (this[which] !== null) this.clock.clearTimeout(this[which]);
    this[which] = null;
  }
}
