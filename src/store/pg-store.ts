// The shared store: every host of a team points at one PostgreSQL (`store: postgres://…`).
//
// - Tables, one per collection, with the schema applied by versioned migrations (pg/migrations.ts,
//   pg/migrate.ts); the layout is documented in docs/CONTRACT.md ("The PostgreSQL store").
// - Each process keeps a copy of the sections it uses (pg/replica.ts), loaded on first use and kept
//   current through LISTEN/NOTIFY (pg/listener.ts): reads cost no round trip, and a change made on
//   another host shows as soon as its notification arrives.
// - A transaction runs on that copy and is committed by one call of imos_commit (pg/commit.ts): one
//   round trip, one database transaction with its audit entries and fence check. When something it
//   read was changed meanwhile, the commit is refused, the copy catches up and the transaction
//   function runs again (which is why it may run more than once).
// - The poller lease is a row with an expiry on the database's clock and an epoch (pg/lease.ts).
// - Connection loss is reported by health(); reads keep the last state; actions fail with a clear
//   StoreError; the listener reconnects with backoff and the copies catch up (pg/health.ts).
import type pg from 'pg';
import type { Alert, AuditEntry, OutboxMessage } from '../model.js';
import { readArchivedAlerts, readAudit } from './pg/audit.js';
import { CONFLICT, commitPayload, LEASE_LOST, ReadTracker, sqlState } from './pg/commit.js';
import { clientConfig, DEFAULT_POOL_OPTIONS, PgConnections, type PoolOptions } from './pg/connection.js';
import { ConnectionHealth } from './pg/health.js';
import { PgLease, type LeaseClock } from './pg/lease.js';
import { ChangeListener, DEFAULT_LISTENER_OPTIONS, type ListenerOptions } from './pg/listener.js';
import { migrateStore } from './pg/migrate.js';
import { claimOutboxRows } from './pg/outbox.js';
import { catchUp, loadSection } from './pg/replica.js';
import { describeFailure, outcomeUnknown, qualified, storeFailure, storeTarget, type StoreTarget } from './pg/target.js';
import type { OutboxClaimRequest } from './outbox-claims.js';
import { SECTION_NAMES, type SectionName } from './records.js';
import { emptyChangeSet, isEmptyChangeSet, type SectionState } from './state.js';
import { Tx } from './tx.js';
import {
  LeaseLostError,
  StoreError,
  type AuditQuery,
  type Fence,
  type SectionRecords,
  type Store,
  type StoreHealth,
  type TransactOptions,
  type ViewName,
  type Views,
  type WatchedName,
} from './types.js';
import { coreView, historyView, resultsView } from './views.js';

export interface PgStoreOptions {
  /** Where lease expiries are decided: the database's clock (always, but in tests that drive a clock). */
  leaseClock?: LeaseClock;
  pool?: Partial<PoolOptions>;
  listener?: Partial<ListenerOptions>;
  /** Watchers are told after this long, once for a burst of changes. */
  watchDebounceMs?: number;
  /** A transaction refused this many times in a row for conflicts fails (it never gets through). */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 50;

export class PgStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly lease: PgLease;
  readonly target: StoreTarget;
  private readonly db: PgConnections;
  private readonly health_: ConnectionHealth;
  private listener: ChangeListener | null = null;
  private readonly states = new Map<SectionName, SectionState>();
  private readonly loading = new Map<SectionName, Promise<SectionState>>();
  /** Commits and catch-ups of a section run one after another (each moves the copy forward). */
  private readonly queues = new Map<SectionName, Promise<unknown>>();
  private readonly refreshes = new Map<SectionName, Promise<void>>();
  /** A catch-up queued for notifications heard, and the newest change they named. */
  private readonly heard = new Map<SectionName, { upTo: number }>();
  private readonly listeners = new Set<(name: WatchedName) => void>();
  private readonly pendingNames = new Set<WatchedName>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly debounceMs: number;
  private readonly maxAttempts: number;
  private closed = false;

  private constructor(pgModule: typeof pg, target: StoreTarget, options: PgStoreOptions) {
    this.target = target;
    this.location = target.location;
    this.debounceMs = options.watchDebounceMs ?? 5;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.health_ = new ConnectionHealth(() => this.healthChanged());
    this.db = new PgConnections(pgModule, target, this.health_, { ...DEFAULT_POOL_OPTIONS, ...options.pool });
    this.lease = new PgLease(this.db, options.leaseClock ?? 'database');
  }

  /**
   * Connects, brings the schema up to date (or refuses a newer one) and starts listening. `pg` is
   * loaded here, so that users of the JSON store never load it.
   */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const target = storeTarget(url);
    const pgModule = (await import('pg')).default;
    const store = new PgStore(pgModule, target, options);
    try {
      await store.start(pgModule, { ...DEFAULT_LISTENER_OPTIONS, ...options.listener });
    } catch (error) {
      await store.close().catch(() => {});
      throw storeFailure(`cannot open the store ${target.location}`, error, target);
    }
    return store;
  }

  private async start(pgModule: typeof pg, listenerOptions: ListenerOptions): Promise<void> {
    const config = (name: string) => clientConfig(this.target, this.db.options, name);
    const probe = await this.db.pool.connect();
    try {
      await migrateStore(probe, async () => {
        const client = new pgModule.Client(config('imos-migrate'));
        client.on('error', () => {});
        await client.connect();
        return client;
      }, this.target);
    } finally {
      probe.release();
    }
    const listener = new ChangeListener(
      () => new pgModule.Client(config('imos-listen')),
      `imos:${this.target.schema}`,
      {
        notification: (payload) => this.onNotification(payload),
        down: (error) => this.health_.listenerDown(describeFailure(error, this.target)),
        attemptFailed: (error) => this.health_.listenerAttemptFailed(describeFailure(error, this.target)),
        up: () => {
          this.health_.listenerUp();
          this.catchUpAll();
        },
      },
      listenerOptions,
    );
    this.listener = listener;
    await listener.start();
    this.db.useSpare(listener);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(`the store ${this.location} is closed`, this.location);
  }

  /** The section's copy, loaded on first use (one query). */
  private section(name: SectionName): Promise<SectionState> {
    const loaded = this.states.get(name);
    if (loaded) return Promise.resolve(loaded);
    let pending = this.loading.get(name);
    if (!pending) {
      pending = (async () => {
        try {
          const problem = this.db.unreachableProblem();
          if (problem) throw new StoreError(`cannot read the ${name} section: the store ${this.location} cannot be reached: ${problem}`, this.location);
          const state = await loadSection(this.db, name);
          this.states.set(name, state);
          return state;
        } catch (error) {
          throw storeFailure(`cannot read the ${name} section of the store`, error, this.target);
        } finally {
          this.loading.delete(name);
        }
      })();
      this.loading.set(name, pending);
    }
    return pending;
  }

  async records(name: SectionName): Promise<SectionRecords> {
    this.assertOpen();
    const loaded = this.states.get(name);
    if (loaded && !this.db.unreachableProblem()) await this.refresh(name, loaded);
    return (loaded ?? (await this.section(name))).dump();
  }

  async read<V extends ViewName>(name: V): Promise<Views[V]> {
    this.assertOpen();
    if (name === 'lease') {
      try {
        return { holder: await this.lease.read() } as Views[V];
      } catch (error) {
        // Disconnected: the holder last seen, as the sections keep their last state.
        if (this.lease.lastSeen) return { holder: this.lease.lastSeen.holder } as Views[V];
        throw error;
      }
    }
    const section = name as SectionName;
    const loaded = this.states.get(section);
    // Already loaded: catch up first, so a read sees every change committed before it (anywhere).
    // While the server cannot be reached, the last state is what there is.
    if (loaded && !this.db.unreachableProblem()) await this.refresh(section, loaded);
    const state = loaded ?? (await this.section(section));
    if (name === 'core') return coreView(state) as Views[V];
    if (name === 'results') return resultsView(state) as Views[V];
    return historyView(state) as Views[V];
  }

  /**
   * Catches a copy up (queued after the section's commits). Reads that come while one is waiting
   * to start share it: it looks at the database after they asked, which is all they need.
   */
  private refresh(section: SectionName, state: SectionState): Promise<void> {
    let pending = this.refreshes.get(section);
    if (!pending) {
      pending = this.enqueue(section, async () => {
        this.refreshes.delete(section);
        if (this.closed) return;
        if (await this.catchUpState(state, false)) this.emit(section);
      });
      this.refreshes.set(section, pending);
    }
    return pending;
  }

  /** Runs `work` after everything queued for `section` (commits and catch-ups move the copy in order). */
  private enqueue<R>(section: SectionName, work: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(section) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.queues.set(section, settled);
    void settled.then(() => {
      if (this.queues.get(section) === settled) this.queues.delete(section);
    });
    return run;
  }

  transact<R>(section: SectionName, fn: (tx: Tx) => R, options: TransactOptions = {}): Promise<R> {
    this.assertOpen();
    return this.enqueue(section, () => this.commitLoop(section, fn, options.fence));
  }

  private async commitLoop<R>(section: SectionName, fn: (tx: Tx) => R, fence: Fence | undefined): Promise<R> {
    const state = await this.section(section);
    for (let attempt = 1; ; attempt++) {
      const tracker = new ReadTracker(state);
      const tx = new Tx(section, tracker.asBase(), this.location);
      const result = fn(tx);
      if (result instanceof Promise) throw new Error('a store transaction must not be async (it may not do I/O)');
      const changes = tx.changes();
      if (isEmptyChangeSet(changes)) {
        if (fence) await this.checkFence(fence);
        return result;
      }
      const since = state.seq;
      let seq: number;
      try {
        const [row] = await this.db.query<{ seq: string }>(
          'not stored',
          {
            name: 'imos_commit',
            text: `SELECT ${qualified(this.target, 'imos_commit')}($1) AS seq`,
            values: [JSON.stringify(commitPayload(changes, since, tracker, fence))],
          },
          { failFast: true, spare: true },
        );
        seq = Number(row!.seq);
      } catch (error) {
        const code = sqlState(error);
        if (code === CONFLICT && attempt < this.maxAttempts) {
          await this.catchUpState(state, true);
          // Many writers on the same records: step aside a little before the next try.
          if (attempt > 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 5)));
          continue;
        }
        if (code === CONFLICT) {
          throw new StoreError(`not stored: the ${section} records this change reads kept changing (${attempt} tries) in ${this.location}`, this.location);
        }
        if (code === LEASE_LOST) throw this.leaseLost(error);
        // Sent, and then no answer: the database may yet have committed it. Saying "not stored"
        // could make someone repeat a change that happened; saying "stored" could be false.
        if (outcomeUnknown(error, this.target)) {
          throw new StoreError(`not known whether stored: ${describeFailure(error, this.target)}; the change may have been stored — look before doing it again (store ${this.location})`, this.location);
        }
        throw storeFailure('not stored', error, this.target);
      }
      if (seq === since + 1 && state.seq === since) {
        state.apply(changes, seq);
      } else {
        // Others committed to this section in between: read what they changed (ours included).
        // The change is stored whatever happens here: a failed catch-up is retried later.
        await this.catchUpState(state, false).catch(() => undefined);
      }
      this.emit(section);
      if (changes.audit.length > 0) this.emit('audit');
      return result;
    }
  }

  private async checkFence(fence: Fence): Promise<void> {
    const lease = await this.lease.load();
    if (lease.holder?.token !== fence.token || lease.epoch !== fence.epoch) throw this.leaseLostFor(lease.holder, lease.epoch);
  }

  private leaseLost(error: unknown): LeaseLostError {
    let detail: { holder: { role: string; pid: number; host: string } | null; epoch: number } = { holder: null, epoch: 0 };
    try {
      detail = JSON.parse((error as { detail?: string }).detail ?? '');
    } catch {
      // keep the defaults: the message still says the lease was lost
    }
    return this.leaseLostFor(detail.holder, detail.epoch);
  }

  private leaseLostFor(holder: { role: string; pid: number; host: string } | null, epoch: number): LeaseLostError {
    const who = holder ? `${holder.role} pid ${holder.pid} on ${holder.host}` : 'nobody';
    return new LeaseLostError(`not stored: this process no longer holds the poller lease (held by ${who}, epoch ${epoch})`, this.location);
  }

  /** Moves a copy to the latest change; `strict`: a failure is the caller's error. */
  private async catchUpState(state: SectionState, strict: boolean): Promise<boolean> {
    try {
      return await catchUp(this.db, state);
    } catch (error) {
      if (!strict) return false;
      throw storeFailure('not stored', error, this.target);
    }
  }

  claimOutbox(request: OutboxClaimRequest): Promise<OutboxMessage[]> {
    this.assertOpen();
    return this.enqueue('core', async () => {
      let claimed;
      try {
        claimed = await claimOutboxRows(this.db, request);
      } catch (error) {
        if (sqlState(error) === LEASE_LOST) throw this.leaseLost(error);
        throw storeFailure('not claimed', error, this.target);
      }
      if (claimed.seq === null) return [];
      const state = this.states.get('core');
      if (state) {
        if (claimed.seq === state.seq + 1) {
          const changes = emptyChangeSet('core');
          changes.put.outbox = claimed.rows;
          state.apply(changes, claimed.seq);
        } else {
          await this.catchUpState(state, false).catch(() => undefined);
        }
      }
      this.emit('core');
      return claimed.rows;
    });
  }

  async readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.assertOpen();
    return readAudit(this.db, query);
  }

  async readArchivedAlerts(query: { since?: string } = {}): Promise<Alert[]> {
    this.assertOpen();
    return readArchivedAlerts(this.db, query);
  }

  /** `<section> <seq>[ audit]` for a commit, `lease` for a lease change (see imos_commit). */
  private onNotification(payload: string): void {
    if (this.closed) return;
    const [name, seqText, extra] = payload.split(' ');
    if (name === 'lease') {
      this.emit('lease');
      return;
    }
    if (!SECTION_NAMES.includes(name as SectionName)) return;
    const section = name as SectionName;
    if (extra === 'audit') this.emit('audit');
    const state = this.states.get(section);
    if (!state) {
      this.emit(section);
      return;
    }
    const seq = Number(seqText);
    if (seq > state.seq) this.catchUpHeard(section, state, seq);
  }

  /**
   * Catches up to a change heard of, unless the copy is there by the time it is its turn: this
   * process's own commit is usually heard of before its reply is read, and reading the section
   * again for it would cost every change a second round trip (and hold up the next commit).
   */
  private catchUpHeard(section: SectionName, state: SectionState, seq: number): void {
    const pending = this.heard.get(section);
    if (pending) {
      pending.upTo = Math.max(pending.upTo, seq);
      return;
    }
    const heard = { upTo: seq };
    this.heard.set(section, heard);
    void this.enqueue(section, async () => {
      this.heard.delete(section);
      if (this.closed || state.seq >= heard.upTo) return;
      if (await this.catchUpState(state, false)) this.emit(section);
    });
  }

  /** After a reconnect: whatever was committed meanwhile was not heard; read it. */
  private catchUpAll(): void {
    for (const [section, state] of this.states) void this.refresh(section, state);
    this.emit('lease');
    this.emit('audit');
  }

  /** Connected or not changed: faces re-read (and ask health()) on any watched name. */
  private healthChanged(): void {
    for (const section of this.states.keys()) this.emit(section);
    this.emit('lease');
  }

  watch(listener: (name: WatchedName) => void): () => void {
    this.assertOpen();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(name: WatchedName): void {
    if (this.closed || this.listeners.size === 0) return;
    this.pendingNames.add(name);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const names = [...this.pendingNames];
      this.pendingNames.clear();
      for (const each of names) for (const listener of [...this.listeners]) listener(each);
    }, this.debounceMs);
  }

  health(): StoreHealth {
    return this.health_.snapshot();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.listeners.clear();
    // Let commits already under way finish: closing never abandons a write half-told.
    await Promise.all([...this.queues.values()]);
    await this.listener?.close();
    await this.db.close();
  }
}
