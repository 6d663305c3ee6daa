// The embedded store: no server, readable files beside the configured path, safe for many processes
// on one machine. Each section is a snapshot plus an append-only journal (journal.ts); a commit takes
// the section's file lock, reads what others appended, runs the transaction, appends one fsynced
// line and releases. Audit entries travel in the core line and are then appended to the audit log
// (by the next writer, should this one die in between), so a change and its audit entry are stored
// together or not at all. The layout is documented in docs/CONTRACT.md ("The store").
import fs from 'node:fs/promises';
import type { Alert, AuditEntry, OutboxMessage } from '../model.js';
import { removeStaleTempFiles } from './atomic-file.js';
import { appendAuditEntries, lastAuditSeq, readAuditTail } from './audit-log.js';
import { JournaledSection, DEFAULT_JOURNAL_OPTIONS, type JournalLine, type JournalOptions } from './journal.js';
import { LeaseFile } from './lease-file.js';
import { DEFAULT_LOCK_OPTIONS, withFileLock, type LockOptions } from './lock.js';
import { migrateV1IfNeeded } from './migrate-v1.js';
import { storePaths, watchedFiles, type StorePaths } from './paths.js';
import { SECTION_NAMES, type SectionName } from './records.js';
import { isEmptyChangeSet, type ChangeSet, type SectionState } from './state.js';
import { claimInTransaction, type OutboxClaimRequest } from './outbox-claims.js';
import { Tx } from './tx.js';
import { coreView, historyView, resultsView } from './views.js';
import { archivedAlertsFrom } from './archive-entries.js';
import { auditSinceMs } from './audit-query.js';
import {
  LeaseLostError,
  StoreError,
  StoreGoneError,
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
import { DEFAULT_WATCH_OPTIONS, StoreWatcher, type WatchOptions } from './watcher.js';

export interface JsonStoreOptions {
  lock?: Partial<LockOptions>;
  watch?: Partial<WatchOptions>;
  journal?: Partial<JournalOptions>;
  /**
   * Awaited with the lock held, after a transaction ran and before its line is written: the fault
   * tests stop or kill a writer there. Nothing else sets it.
   */
  beforeWrite?: () => Promise<void>;
  /**
   * History points are appended without reading the history section while this process has not
   * read it (JournaledSection.appendBlind): for a command that runs once (`imos check --only`),
   * which otherwise read a month of history to add a point. A process that runs for days reads
   * the section at its first change and follows it from then on, as it always did.
   */
  appendUnreadHistory?: boolean;
}

export class JsonStore implements Store {
  readonly kind = 'json' as const;
  readonly location: string;
  readonly paths: StorePaths;
  readonly lease: LeaseFile;
  private readonly lockOptions: LockOptions;
  private readonly watchOptions: WatchOptions;
  private readonly sections = new Map<SectionName, JournaledSection>();
  /** Commits from this process run one after another per section (the file lock is per process). */
  private readonly queues = new Map<SectionName, Promise<unknown>>();
  /** Audit entries of core lines applied here, kept until the audit log is known to hold them. */
  private recentAudit: Array<{ seq: number; entries: AuditEntry[] }> = [];
  private readonly listeners = new Set<(name: WatchedName) => void>();
  private watcher: StoreWatcher | null = null;
  private migrated: Promise<void> | null = null;
  private cleanedTemp = false;
  private closed = false;
  /** The store's directory existed (or was made) while this store was open. */
  private dirSeen = false;
  private readonly beforeWrite: (() => Promise<void>) | undefined;
  private readonly appendUnreadHistory: boolean;

  constructor(configuredPath: string, options: JsonStoreOptions = {}) {
    this.paths = storePaths(configuredPath);
    this.location = this.paths.sections.core.snapshot;
    this.lockOptions = { ...DEFAULT_LOCK_OPTIONS, ...options.lock };
    this.watchOptions = { ...DEFAULT_WATCH_OPTIONS, ...options.watch };
    const journal = { ...DEFAULT_JOURNAL_OPTIONS, ...options.journal };
    for (const name of SECTION_NAMES) {
      const onLine = name === 'core' ? (line: JournalLine) => this.rememberAudit(line) : undefined;
      this.sections.set(name, new JournaledSection(name, this.paths.sections[name], journal, onLine));
    }
    this.lease = new LeaseFile(this.paths.lease, this.lockOptions, () => this.ensureDir());
    this.beforeWrite = options.beforeWrite;
    this.appendUnreadHistory = options.appendUnreadHistory ?? false;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(`the store ${this.location} is closed`, this.location);
  }

  private rememberAudit(line: JournalLine): void {
    if (!line.audit || line.audit.length === 0) return;
    this.recentAudit.push({ seq: line.seq, entries: line.audit.map((e) => ({ ...e, seq: line.seq })) });
    // A reader that never writes keeps only the newest: older lines are in the log long since.
    if (this.recentAudit.length > 5000) this.recentAudit = this.recentAudit.slice(-2500);
  }

  /**
   * The directory is made once, by the first write of a fresh store. One that existed and was
   * removed since (the workspace deleted, a demo ended under this process) is not made again: a
   * process still running there would otherwise bring a deleted workspace back.
   */
  private async ensureDir(): Promise<void> {
    if (this.dirSeen) {
      const there = await fs.stat(this.paths.dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!there) throw new StoreGoneError(this.paths.dir, this.location);
      return;
    }
    try {
      await fs.mkdir(this.paths.dir, { recursive: true });
      this.dirSeen = true;
    } catch (error) {
      throw new StoreError(`cannot create the store directory ${this.paths.dir}: ${(error as Error).message}`, this.location);
    }
  }

  /** A store of format version 1 is converted once, by whichever process opens it first. */
  private migrate(): Promise<void> {
    this.migrated ??= migrateV1IfNeeded(this.paths, this.lockOptions).catch((error: unknown) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  /** A reader notes that the directory is there: from then on it is never made again. */
  private async noteDir(): Promise<void> {
    if (this.dirSeen) return;
    this.dirSeen = await fs.stat(this.paths.dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  private async section(name: SectionName): Promise<JournaledSection> {
    await this.noteDir();
    await this.migrate();
    const section = this.sections.get(name)!;
    await section.refresh();
    return section;
  }

  async read<V extends ViewName>(name: V): Promise<Views[V]> {
    this.assertOpen();
    if (name === 'lease') {
      await this.noteDir();
      await this.migrate();
      return { holder: await this.lease.read() } as Views[V];
    }
    const section = await this.section(name as SectionName);
    const state = section.state!;
    if (name === 'core') return coreView(state) as Views[V];
    if (name === 'results') return resultsView(state) as Views[V];
    return historyView(state) as Views[V];
  }

  async records(name: SectionName): Promise<SectionRecords> {
    this.assertOpen();
    return (await this.section(name)).state!.dump();
  }

  transact<R>(section: SectionName, fn: (tx: Tx) => R, options: TransactOptions = {}): Promise<R> {
    this.assertOpen();
    const previous = this.queues.get(section) ?? Promise.resolve();
    const run = previous.then(
      () => this.lockedTransact(section, fn, options),
      () => this.lockedTransact(section, fn, options),
    );
    const settled = run.catch(() => undefined);
    this.queues.set(section, settled);
    void settled.then(() => {
      if (this.queues.get(section) === settled) this.queues.delete(section);
    });
    return run;
  }

  private async lockedTransact<R>(name: SectionName, fn: (tx: Tx) => R, options: TransactOptions): Promise<R> {
    await this.ensureDir();
    await this.migrate();
    const section = this.sections.get(name)!;
    const lockFile = section.files.snapshot;
    return withFileLock(lockFile, this.lockOptions, async (guard) => {
      if (!this.cleanedTemp) {
        this.cleanedTemp = true;
        for (const each of SECTION_NAMES) await removeStaleTempFiles(this.paths.sections[each].snapshot);
      }
      // The test hook runs once per transaction that writes, whichever way it writes.
      let hookRan = false;
      const beforeWrite = async () => {
        if (hookRan) return;
        hookRan = true;
        await this.beforeWrite?.();
      };
      // History points added by a one-shot command that has not read the section: appended
      // without reading it (JournaledSection.appendBlind).
      if (this.appendUnreadHistory && name === 'history' && !section.state) {
        if (options.fence) await this.checkFence(options.fence);
        const blind = blindChanges(name, fn, this.location);
        if (blind && isEmptyChangeSet(blind.changes)) return blind.result;
        if (blind) {
          await beforeWrite();
          if (await section.appendBlind(blind.changes, () => guard.assertStillHeld())) return blind.result;
        }
      }
      await section.refresh();
      if (name === 'core') await this.reconcileAudit();
      if (options.fence) await this.checkFence(options.fence);
      const tx = new Tx(name, section.state!, this.location);
      const result = fn(tx);
      if (result instanceof Promise) throw new Error('a store transaction must not be async (it may not do I/O)');
      const changes = tx.changes();
      if (isEmptyChangeSet(changes)) return result;
      await beforeWrite();
      const line = await section.commit(changes, () => guard.assertStillHeld());
      let auditStored = true;
      if (line.audit && line.audit.length > 0) {
        try {
          await appendAuditEntries(this.paths.audit, line.audit.map((entry) => ({ ...entry, seq: line.seq })));
          this.recentAudit = this.recentAudit.filter((r) => r.seq > line.seq);
        } catch {
          // The change and its entries are stored in the journal: the next writer appends them to
          // the audit log, and readers merge them meanwhile. Never report a stored change as failed.
          auditStored = false;
        }
      }
      if (auditStored && section.wantsCompaction()) {
        await section.compact(() => guard.assertStillHeld()).catch(() => {
          // A full disk or the like: the journal stays as it is and is folded in later.
        });
      }
      return result;
    });
  }

  /** Under the core lock: append audit entries of lines whose writer died before it could. */
  private async reconcileAudit(): Promise<void> {
    if (this.recentAudit.length === 0) return;
    const inLog = (await lastAuditSeq(this.paths.audit)) ?? 0;
    const missing = this.recentAudit.filter((r) => r.seq > inLog).flatMap((r) => r.entries);
    if (missing.length > 0) await appendAuditEntries(this.paths.audit, missing);
    this.recentAudit = [];
  }

  private async checkFence(fence: Fence): Promise<void> {
    const lease = await this.lease.load();
    if (lease.holder?.token !== fence.token || lease.epoch !== fence.epoch) {
      const who = lease.holder ? `${lease.holder.role} pid ${lease.holder.pid} on ${lease.holder.host}` : 'nobody';
      throw new LeaseLostError(`not stored: this process no longer holds the poller lease (held by ${who}, epoch ${lease.epoch})`, this.location);
    }
  }

  claimOutbox(request: OutboxClaimRequest): Promise<OutboxMessage[]> {
    return claimInTransaction(this, request);
  }

  async readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.assertOpen();
    const since = auditSinceMs(query.since) ?? -Infinity;
    const fromLog = await readAuditTail(this.paths.audit, query);
    // Entries stored with a change but not yet in the log (its writer died before appending them).
    await this.sections.get('core')!.refresh().catch(() => undefined);
    if (this.recentAudit.length === 0) return fromLog;
    const inLog = Math.max(0, ...fromLog.map((e) => e.seq ?? 0), (await lastAuditSeq(this.paths.audit)) ?? 0);
    this.recentAudit = this.recentAudit.filter((r) => r.seq > inLog);
    const pending = this.recentAudit
      .filter((r) => r.seq > inLog)
      .flatMap((r) => r.entries)
      .filter((e) => Date.parse(e.at) >= since && (query.target === undefined || e.target === query.target));
    if (pending.length === 0) return fromLog;
    const merged = [...fromLog, ...pending];
    return query.limit === undefined ? merged : merged.slice(-query.limit);
  }

  async readArchivedAlerts(query: { since?: string } = {}): Promise<Alert[]> {
    return archivedAlertsFrom(await this.readAudit(query.since === undefined ? {} : { since: query.since }));
  }

  watch(listener: (name: WatchedName) => void): () => void {
    this.assertOpen();
    this.listeners.add(listener);
    this.watcher ??= new StoreWatcher(
      watchedFiles(this.paths),
      (name) => {
        for (const each of [...this.listeners]) each(name);
      },
      this.watchOptions,
    );
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.watcher?.close();
        this.watcher = null;
      }
    };
  }

  health(): StoreHealth {
    return { connected: true, problem: null, since: null };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    this.listeners.clear();
    // Let commits already under way finish: closing never tears a write.
    await Promise.all([...this.queues.values()]);
    await Promise.all([...this.sections.values()].map((section) => section.close()));
  }
}

/** A transaction's function asked for a record: it is run again on the section's records. */
class NeedsRecords extends Error {}

/** A section that holds nothing a transaction may read: any read is NeedsRecords. */
const NO_RECORDS = new Proxy({} as SectionState, {
  get() {
    throw new NeedsRecords();
  },
});

/**
 * What `fn` does when it reads no record and only appends history points (the engine's history
 * transaction); null when it reads a record or changes one otherwise (run it on the records then).
 */
function blindChanges<R>(name: SectionName, fn: (tx: Tx) => R, location: string): { result: R; changes: ChangeSet } | null {
  try {
    const tx = new Tx(name, NO_RECORDS, location);
    const result = fn(tx);
    if (result instanceof Promise) throw new Error('a store transaction must not be async (it may not do I/O)');
    const changes = tx.changes();
    // Appends alone: without them the change would be empty.
    return isEmptyChangeSet({ ...changes, append: [] }) ? { result, changes } : null;
  } catch (error) {
    if (error instanceof NeedsRecords) return null;
    throw error;
  }
}
