// A store held in memory, for unit tests of logic that reads and writes the store (and for
// one-process tools). Same contract as the JSON and PostgreSQL stores: frozen views out, one
// transaction at a time, nothing stored when the transaction throws, listeners told of every change.
import type { Alert, AuditEntry, CheckRecord, CheckState, CompletionSnapshot, LeaseHolder, OutboxMessage, Standup } from '../model.js';
import { archivedAlertsFrom } from './archive-entries.js';
import { auditSinceMs } from './audit-query.js';
import { leaseAction } from './lease-rules.js';
import { SECTION_NAMES, type SectionName } from './records.js';
import { isEmptyChangeSet, SectionState } from './state.js';
import { claimInTransaction, type OutboxClaimRequest } from './outbox-claims.js';
import { Tx } from './tx.js';
import {
  CONTROL_KEY,
  DEFAULT_CONTROL,
  LeaseLostError,
  type Control,
  type AuditQuery,
  type LeaseAcquireOptions,
  type LeaseOutcome,
  type LeaseStore,
  type SectionRecords,
  type Store,
  type StoreHealth,
  type TransactOptions,
  type ViewName,
  type Views,
  type WatchedName,
} from './types.js';
import { coreView, historyView, resultsView } from './views.js';

class MemoryLease implements LeaseStore {
  holder: LeaseHolder | null = null;
  epoch = 0;
  constructor(private readonly emit: () => void) {}

  async acquire(me: Omit<LeaseHolder, 'since' | 'renewedAt'>, ttlMs: number, options: LeaseAcquireOptions): Promise<LeaseOutcome> {
    const action = leaseAction(this.holder, me, options.nowMs, ttlMs, options.isAlive);
    if (action === 'wait') return { holder: this.holder, ours: false, epoch: this.epoch };
    const nowIso = new Date(options.nowMs).toISOString();
    const since = action === 'renew' && this.holder ? this.holder.since : nowIso;
    if (action === 'take') this.epoch++;
    this.holder = { ...me, since, renewedAt: nowIso };
    this.emit();
    return { holder: { ...this.holder }, ours: true, epoch: this.epoch };
  }

  async release(token: string): Promise<void> {
    if (this.holder?.token !== token) return;
    this.holder = null;
    this.emit();
  }

  async read(): Promise<LeaseHolder | null> {
    return this.holder ? { ...this.holder } : null;
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly location = 'memory';
  readonly lease: MemoryLease;
  private readonly states = new Map<SectionName, SectionState>();
  private audit: AuditEntry[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(name: WatchedName) => void>();
  /** Number of commits that changed something, per section (handy in assertions). */
  readonly writes: Record<SectionName, number> = { core: 0, results: 0, history: 0 };
  /** Number of reads (handy to wait for a component to have loaded). */
  reads = 0;

  /** A store holding `seed` from the start (tests and one-process tools). */
  constructor(seed: MemorySeed = {}, audit: AuditEntry[] = []) {
    for (const name of SECTION_NAMES) this.states.set(name, new SectionState(name));
    this.audit = structuredClone(audit);
    this.lease = new MemoryLease(() => this.emit('lease'));
    loadSeed(this.states, seed);
  }

  async read<V extends ViewName>(name: V): Promise<Views[V]> {
    this.reads++;
    if (name === 'lease') return { holder: await this.lease.read() } as Views[V];
    const state = this.states.get(name as SectionName)!;
    if (name === 'core') return coreView(state) as Views[V];
    if (name === 'results') return resultsView(state) as Views[V];
    return historyView(state) as Views[V];
  }

  async records(section: SectionName): Promise<SectionRecords> {
    return this.states.get(section)!.dump();
  }

  transact<R>(section: SectionName, fn: (tx: Tx) => R, options: TransactOptions = {}): Promise<R> {
    const run = this.queue.then(async () => {
      if (options.fence && (this.lease.holder?.token !== options.fence.token || this.lease.epoch !== options.fence.epoch)) {
        throw new LeaseLostError('not stored: this process no longer holds the poller lease', this.location);
      }
      const state = this.states.get(section)!;
      const tx = new Tx(section, state, this.location);
      const result = fn(tx);
      if (result instanceof Promise) throw new Error('a store transaction must not be async (it may not do I/O)');
      const changes = tx.changes();
      if (isEmptyChangeSet(changes)) return result;
      const seq = state.seq + 1;
      state.apply(changes, seq);
      this.audit.push(...changes.audit.map((entry) => ({ ...structuredClone(entry), seq })));
      this.writes[section]++;
      this.emit(section);
      if (changes.audit.length > 0) this.emit('audit');
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  claimOutbox(request: OutboxClaimRequest): Promise<OutboxMessage[]> {
    return claimInTransaction(this, request);
  }

  async readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const since = auditSinceMs(query.since) ?? -Infinity;
    const matching = this.audit.filter((entry) => Date.parse(entry.at) >= since && (query.target === undefined || entry.target === query.target));
    const limited = query.limit === undefined ? matching : matching.slice(-query.limit);
    return structuredClone(limited);
  }

  async readArchivedAlerts(query: { since?: string } = {}): Promise<Alert[]> {
    return archivedAlertsFrom(await this.readAudit(query.since === undefined ? {} : { since: query.since }));
  }

  watch(listener: (name: WatchedName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): StoreHealth {
    return { connected: true, problem: null, since: null };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.queue;
  }

  private emit(name: WatchedName): void {
    for (const listener of [...this.listeners]) queueMicrotask(() => listener(name));
  }
}

/** What a memory store may start with: the sections as they read (plain data, history included). */
export interface MemorySeed {
  core?: {
    alerts?: readonly Alert[];
    outbox?: readonly OutboxMessage[];
    standups?: readonly Standup[];
    snapshots?: readonly CompletionSnapshot[];
    control?: Partial<Control>;
    /** Named values (a Map, as a view has them, or a plain object). */
    kv?: ReadonlyMap<string, unknown> | Record<string, unknown>;
    /** The next alert number (default: one past the highest seeded id). */
    nextAlertNumber?: number;
  };
  results?: { checks: Readonly<Record<string, Readonly<CheckState> | Readonly<CheckRecord>>> };
}

function loadSeed(states: Map<SectionName, SectionState>, seed: MemorySeed): void {
  const core = seed.core ?? {};
  const kv = new Map<string, unknown>(core.kv instanceof Map ? core.kv : Object.entries(core.kv ?? {}));
  if (core.control) kv.set(CONTROL_KEY, { ...DEFAULT_CONTROL, ...core.control });
  const numbers = (core.alerts ?? []).map((a) => Number(/^A(\d+)$/.exec(a.id)?.[1] ?? 0));
  const next = core.nextAlertNumber ?? (numbers.length > 0 ? Math.max(...numbers) + 1 : undefined);
  if (next !== undefined) kv.set('nextAlertNumber', next);
  states.get('core')!.load(0, {
    alerts: structuredClone([...(core.alerts ?? [])]),
    outbox: structuredClone([...(core.outbox ?? [])]),
    standups: structuredClone([...(core.standups ?? [])]),
    snapshots: structuredClone([...(core.snapshots ?? [])]),
    kv: [...kv].map(([key, value]) => ({ key, value: structuredClone(value) })),
  });
  const checks = Object.entries(seed.results?.checks ?? {});
  states.get('results')!.load(0, {
    checks: checks.map(([id, state]) => {
      const { history: _history, ...rest } = state as CheckState;
      return structuredClone({ ...rest, id }) as CheckRecord;
    }),
  });
  states.get('history')!.load(0, {
    history: checks.map(([id, state]) => ({ id, points: structuredClone([...((state as CheckState).history ?? [])]) })),
  });
}
