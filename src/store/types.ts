// The store interface every face uses. Two implementations: the embedded JSON store (files beside
// the configured path, many processes on one machine) and the PostgreSQL store (a team on several
// hosts). Both keep records by collection and commit a transaction's change set as one unit, with
// its audit entries; the layout of each is documented in docs/CONTRACT.md ("The store").
import type {
  Alert,
  AuditEntry,
  CheckRecord,
  CheckState,
  CompletionSnapshot,
  HistoryPoint,
  LeaseHolder,
  OutboxMessage,
  Standup,
} from '../model.js';
import type { OutboxClaimRequest } from './outbox-claims.js';
import type { CollectionName, Records, SectionName, UptimeRecord } from './records.js';
import type { Tx } from './tx.js';

export type { SectionName, CollectionName, Records, KvRecord, UptimeRecord } from './records.js';
export type { OutboxClaimRequest } from './outbox-claims.js';
export { SECTION_NAMES } from './records.js';

/** The format version this imos writes. A store of a newer version is refused, never rewritten. */
export const STORE_VERSION = 2;

/** The console's shared controls: any console may set them; the poller follows them. */
export interface Control {
  paused: boolean;
  pausedBy: string | null;
  /** A console asks the poller holder to run every check now (`r`). */
  runNowRequestedAt: string | null;
}

export const DEFAULT_CONTROL: Control = { paused: false, pausedBy: null, runNowRequestedAt: null };
export const CONTROL_KEY = 'control';

/** Alerts, outbox, standups, completion history and shared state, as of one change (read only). */
export interface CoreView {
  seq: number;
  alerts: readonly Alert[];
  outbox: readonly OutboxMessage[];
  standups: readonly Standup[];
  snapshots: readonly CompletionSnapshot[];
  control: Readonly<Control>;
  /** Small named values (counters, a module's own state). */
  kv: ReadonlyMap<string, unknown>;
}

/** The core section as read (a view): the name the read-only rules use. */
export type CoreData = CoreView;

/** Every check's last result and counters (no history: that is its own section). */
export interface ResultsView {
  seq: number;
  checks: Readonly<Record<string, Readonly<CheckRecord>>>;
  /** When a result was last recorded (the newest `last.at`), or null. */
  lastPollAt: string | null;
  /** Pass counts of every check, two records a check (src/engine/uptime.ts), in store order. */
  uptime: readonly UptimeRecord[];
}

/** Every check's recent runs, oldest first. */
export interface HistoryView {
  seq: number;
  history: Readonly<Record<string, readonly HistoryPoint[]>>;
}

export interface LeaseView {
  holder: LeaseHolder | null;
}
export type LeaseData = LeaseView;

/** Check states with their history, as the console and the reports read them (views.ts withHistory). */
export interface ResultsData {
  checks: Readonly<Record<string, CheckState>>;
  lastPollAt: string | null;
  /** Uptime pass counts (absent where nobody read them: uptime is then unknown). */
  uptime?: readonly UptimeRecord[];
}

export interface Views {
  core: CoreView;
  results: ResultsView;
  history: HistoryView;
  lease: LeaseView;
}
export type ViewName = keyof Views;

export interface AuditQuery {
  /** ISO time: only entries at or after it; a value that is not a time is refused (AuditQueryError). */
  since?: string;
  /** Only entries aimed at this target (an alert's id, a check's, …). */
  target?: string;
  /** Only the newest N entries of those the fields above select. */
  limit?: number;
}

/** Proof that the caller holds the poller lease: a write carrying it is refused once it does not. */
export interface Fence {
  token: string;
  epoch: number;
}

export interface TransactOptions {
  /** Commit only while this lease is still held (poller writes); otherwise LeaseLostError. */
  fence?: Fence;
}

/** What a lease attempt found. */
export interface LeaseOutcome {
  /** The holder now (ours when `ours`). */
  holder: LeaseHolder | null;
  ours: boolean;
  /** Grows with every change of holder: writes fenced with an older epoch are refused. */
  epoch: number;
}

/** The poller lease, kept by the store (a file, or a row with an expiry in PostgreSQL). */
export interface LeaseStore {
  /** Take the lease when it is free (or renew it when ours). `me.token` identifies this process. */
  acquire(me: Omit<LeaseHolder, 'since' | 'renewedAt'>, ttlMs: number, options: LeaseAcquireOptions): Promise<LeaseOutcome>;
  /** Give the lease up when ours. */
  release(token: string): Promise<void>;
  /** The holder as stored (null: nobody), without deciding whether it is still alive. */
  read(): Promise<LeaseHolder | null>;
}

export interface LeaseAcquireOptions {
  /** Our clock's time (the JSON store; PostgreSQL uses the database's clock). */
  nowMs: number;
  /** Whether a process on this host is alive (a dead holder here is replaced at once). */
  isAlive: (pid: number) => boolean;
}

/** A change another process (or this one) made: which section, for watchers. */
export type WatchedName = SectionName | 'lease' | 'audit';

/** Whether the store can be reached now (a database connection can drop and come back). */
export interface StoreHealth {
  connected: boolean;
  /** Why not, when not connected; null otherwise. */
  problem: string | null;
  /** Since when (ISO) it has been disconnected, or null. */
  since: string | null;
}

export interface Store {
  /** Human-readable location (a path, or a redacted URL). */
  readonly location: string;
  readonly kind: 'json' | 'postgres' | 'memory';
  /** The section as of now (other processes' changes included), read only: never mutate it. */
  read<V extends ViewName>(name: V): Promise<Views[V]>;
  /**
   * Read-modify-write of one section: `fn` reads and records changes on the transaction; the store
   * commits them with their audit entries as one unit, or nothing when `fn` throws. `fn` must not
   * do I/O and may run more than once. Returns what `fn` returned.
   */
  transact<R>(section: SectionName, fn: (tx: Tx) => R, options?: TransactOptions): Promise<R>;
  /**
   * Mark the outbox rows a dispatcher may send now as claimed by it (one attempt more each) and
   * return them: no row is ever claimed by two dispatchers whose claims both hold.
   */
  claimOutbox(request: OutboxClaimRequest): Promise<OutboxMessage[]>;
  /** Every record of a section, by collection, in store order (for copies and checks; read only). */
  records(section: SectionName): Promise<SectionRecords>;
  /** Audit entries, oldest first. */
  readAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Alerts moved out of the hot store (resolved long ago), resolved at or after `since` (a time, as in readAudit). */
  readArchivedAlerts(query?: { since?: string }): Promise<Alert[]>;
  readonly lease: LeaseStore;
  /** Called (debounced) when a section changed; returns an unsubscribe. */
  watch(listener: (name: WatchedName) => void): () => void;
  health(): StoreHealth;
  close(): Promise<void>;
}

/** Every record of a section, by collection. */
export type SectionRecords = { [C in CollectionName]?: Array<Readonly<Records[C]>> };

/** Raised for a store that cannot be used: the message names the file (or database) and what is wrong. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** An audit query the store cannot answer (a `since` that is not a time): the caller's mistake, not the store's. */
export class AuditQueryError extends Error {
  constructor(
    message: string,
    readonly since: string,
  ) {
    super(message);
    this.name = 'AuditQueryError';
  }
}

/** The store's directory was there and has been removed (a workspace deleted, a demo ended): nothing is recreated. */
export class StoreGoneError extends StoreError {
  constructor(dir: string, location: string) {
    super(`the store directory ${dir} was removed: nothing is written there any more (reopen the store to start afresh)`, location);
    this.name = 'StoreGoneError';
  }
}

/** A fenced write after this process lost the poller lease: it must stop acting. */
export class LeaseLostError extends StoreError {
  constructor(message: string, location: string) {
    super(message, location);
    this.name = 'LeaseLostError';
  }
}
