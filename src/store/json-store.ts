// The embedded store: each section in its own JSON file beside the configured path, read without
// a lock (files are only ever replaced whole by a rename), written under an inter-process lock
// through a lowdb adapter that writes atomically and durably. A file that fails validation is
// refused for reading and writing alike, and never overwritten (see repair.ts).
import fs from 'node:fs/promises';
import { Low } from 'lowdb';
import type { AuditEntry } from '../model.js';
import { AtomicJsonFile, fileSignature, readSnapshot, removeStaleTempFiles } from './atomic-file.js';
import { appendAuditLines, readAuditTail } from './audit-log.js';
import { DEFAULT_LOCK_OPTIONS, withFileLock, type LockOptions } from './lock.js';
import { storePaths, type StorePaths } from './paths.js';
import { parseSection, sectionProblem } from './schema.js';
import {
  emptySection,
  StoreError,
  type AuditQuery,
  type SectionName,
  type Sections,
  type Store,
} from './types.js';
import { DEFAULT_WATCH_OPTIONS, StoreWatcher, type WatchedName, type WatchOptions } from './watcher.js';

export interface JsonStoreOptions {
  lock?: Partial<LockOptions>;
  watch?: Partial<WatchOptions>;
}

/** `core` is read by people now and then: indented. The others are rewritten often: compact. */
const PRETTY: Record<SectionName, boolean> = { core: true, results: false, lease: false };

export function serializeSection(section: SectionName, data: unknown): string {
  return JSON.stringify(data, null, PRETTY[section] ? 2 : undefined) + '\n';
}

interface CacheEntry {
  signature: string;
  text: string;
  /** Parsed on first use (undefined until then). */
  data: unknown;
}

export class JsonStore implements Store {
  readonly location: string;
  readonly paths: StorePaths;
  private readonly lockOptions: LockOptions;
  private readonly watchOptions: WatchOptions;
  private readonly cache = new Map<SectionName, CacheEntry>();
  /** Updates from this process run one after another per section (the file lock is per process). */
  private readonly queues = new Map<SectionName, Promise<unknown>>();
  private readonly cleanedTemp = new Set<SectionName>();
  private readonly listeners = new Set<(section: WatchedName) => void>();
  private watcher: StoreWatcher | null = null;
  private closed = false;

  constructor(configuredPath: string, options: JsonStoreOptions = {}) {
    this.paths = storePaths(configuredPath);
    this.location = this.paths.sections.core;
    this.lockOptions = { ...DEFAULT_LOCK_OPTIONS, ...options.lock };
    this.watchOptions = { ...DEFAULT_WATCH_OPTIONS, ...options.watch };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(`the store ${this.location} is closed`, this.location);
  }

  async read<S extends SectionName>(section: S): Promise<Sections[S]> {
    this.assertOpen();
    const file = this.paths.sections[section];
    const signature = await fileSignature(file);
    if (signature === null) return emptySection(section);
    const cached = this.cache.get(section);
    if (cached && cached.signature === signature) return structuredClone(this.cachedData(section, cached));
    const snapshot = await readSnapshot(file);
    if (!snapshot) return emptySection(section);
    const data = parseSection(section, snapshot.text, file);
    this.cache.set(section, { signature: snapshot.signature, text: snapshot.text, data });
    return structuredClone(data);
  }

  private cachedData<S extends SectionName>(_section: S, entry: CacheEntry): Sections[S] {
    entry.data ??= JSON.parse(entry.text);
    return entry.data as Sections[S];
  }

  update<S extends SectionName, R>(section: S, fn: (data: Sections[S]) => R | Promise<R>): Promise<R> {
    this.assertOpen();
    const previous = this.queues.get(section) ?? Promise.resolve();
    const run = previous.then(
      () => this.lockedUpdate(section, fn),
      () => this.lockedUpdate(section, fn),
    );
    const settled = run.catch(() => undefined);
    this.queues.set(section, settled);
    void settled.then(() => {
      if (this.queues.get(section) === settled) this.queues.delete(section);
    });
    return run;
  }

  private async lockedUpdate<S extends SectionName, R>(
    section: S,
    fn: (data: Sections[S]) => R | Promise<R>,
  ): Promise<R> {
    const file = this.paths.sections[section];
    try {
      await fs.mkdir(this.paths.dir, { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the store directory ${this.paths.dir}: ${(error as Error).message}`, file);
    }
    return withFileLock(file, this.lockOptions, async (guard) => {
      if (!this.cleanedTemp.has(section)) {
        this.cleanedTemp.add(section);
        await removeStaleTempFiles(file);
      }
      const adapter = new AtomicJsonFile<Sections[S]>(file, {
        serialize: (data) => {
          try {
            return serializeSection(section, data);
          } catch (error) {
            throw new StoreError(`refusing to write ${file}: ${(error as Error).message}`, file);
          }
        },
        parse: (text, name, signature) => {
          const cached = this.cache.get(section);
          if (cached?.signature === signature) return structuredClone(this.cachedData(section, cached));
          const data = parseSection(section, text, name);
          this.cache.set(section, { signature, text, data });
          return structuredClone(data);
        },
        // Never write what the next reader would refuse: a bug in one module must not lock
        // everyone out of the store.
        validate: (data) => {
          const problem = sectionProblem(section, data);
          if (problem) throw new StoreError(`refusing to write ${file}: ${problem}`, file);
        },
        beforeCommit: () => guard.assertStillHeld(),
      });
      const db = new Low<Sections[S]>(adapter, emptySection(section));
      await db.read();
      const result = await fn(db.data);
      await db.write();
      if (adapter.lastText !== null && adapter.lastSignature !== null) {
        // Parsed lazily by the next read: what we wrote was validated already.
        const cached = this.cache.get(section);
        if (cached?.signature !== adapter.lastSignature) {
          this.cache.set(section, { signature: adapter.lastSignature, text: adapter.lastText, data: undefined });
        }
      }
      return result;
    });
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    this.assertOpen();
    await appendAuditLines(this.paths.audit, entries, this.lockOptions);
  }

  async readAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    this.assertOpen();
    return readAuditTail(this.paths.audit, query);
  }

  watch(listener: (section: SectionName | 'audit') => void): () => void {
    this.assertOpen();
    this.listeners.add(listener);
    this.watcher ??= new StoreWatcher(
      this.paths,
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    this.listeners.clear();
    // Let updates already under way finish: closing never tears a write.
    await Promise.all([...this.queues.values()]);
  }
}
