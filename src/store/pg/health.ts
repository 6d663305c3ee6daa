// Whether this process can reach the store's database, as its connections have found: the LISTEN
// connection (dropped, reconnecting) and the queries (a statement that failed to reach the server).
// What a face shows ("disconnected since 10:02: connection refused"), and what makes an action fail
// at once with that reason instead of waiting for a connection timeout each time.
import type { StoreHealth } from '../types.js';

interface Problem {
  problem: string;
  since: string;
}

export class ConnectionHealth {
  private listener: Problem | null = null;
  private queries: Problem | null = null;
  /** A reconnect attempt failed since the listener dropped: the server is not reachable now. */
  private unreachableNow = false;

  constructor(
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  private stamp(problem: string, previous: Problem | null): Problem {
    return { problem, since: previous?.since ?? new Date(this.now()).toISOString() };
  }

  listenerDown(problem: string): void {
    const was = this.connected;
    this.listener = this.stamp(problem, this.listener);
    if (was) this.onChange();
  }

  listenerAttemptFailed(problem: string): void {
    const was = this.connected;
    this.listener = { problem, since: this.listener?.since ?? new Date(this.now()).toISOString() };
    this.unreachableNow = true;
    if (was) this.onChange();
  }

  listenerUp(): void {
    const was = this.connected;
    this.listener = null;
    this.unreachableNow = false;
    // The listener reached the server: a query failure from before says nothing about now.
    this.queries = null;
    if (!was) this.onChange();
  }

  queryFailed(problem: string): void {
    const was = this.connected;
    this.queries = this.stamp(problem, this.queries);
    if (was) this.onChange();
  }

  querySucceeded(): void {
    if (!this.queries) return;
    const was = this.connected;
    this.queries = null;
    if (!was && this.connected) this.onChange();
  }

  get connected(): boolean {
    return this.listener === null && this.queries === null;
  }

  /** The server could not be reached on the last try: actions fail at once with `problem`. */
  get unreachable(): boolean {
    return this.unreachableNow;
  }

  snapshot(): StoreHealth {
    const first = [this.listener, this.queries].filter((p): p is Problem => p !== null).sort((a, b) => a.since.localeCompare(b.since))[0];
    if (!first) return { connected: true, problem: null, since: null };
    return { connected: false, problem: first.problem, since: first.since };
  }
}
