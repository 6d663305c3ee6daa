// A Store held in memory, for unit tests of logic that reads and writes sections (and for
// one-process demos). Same contract as the JSON store: copies in and out, updates one at a time,
// nothing written when `fn` throws, listeners told about every change.
import type { AuditEntry } from '../model.js';
import { sectionProblem } from './schema.js';
import {
  emptySection,
  StoreError,
  type AuditQuery,
  type SectionName,
  type Sections,
  type Store,
} from './types.js';

export class MemoryStore implements Store {
  readonly location = 'memory';
  private sections: Sections = {
    core: emptySection('core'),
    results: emptySection('results'),
    lease: emptySection('lease'),
  };
  private audit: AuditEntry[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(section: SectionName | 'audit') => void>();
  /** Number of updates that changed something, per section (handy in assertions). */
  readonly writes: Record<SectionName, number> = { core: 0, results: 0, lease: 0 };

  /** Number of reads (handy to wait for a component to have loaded). */
  reads = 0;

  constructor(initial: Partial<Sections> = {}, audit: AuditEntry[] = []) {
    for (const [name, value] of Object.entries(initial)) {
      (this.sections as unknown as Record<string, unknown>)[name] = structuredClone(value);
    }
    this.audit = structuredClone(audit);
  }

  async read<S extends SectionName>(section: S): Promise<Sections[S]> {
    this.reads++;
    return structuredClone(this.sections[section]);
  }

  update<S extends SectionName, R>(section: S, fn: (data: Sections[S]) => R | Promise<R>): Promise<R> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.sections[section]);
      const before = JSON.stringify(draft);
      const result = await fn(draft);
      const after = JSON.stringify(draft);
      if (after !== before) {
        const problem = sectionProblem(section, draft);
        if (problem) throw new StoreError(`refusing to write ${section}: ${problem}`, this.location);
        this.sections[section] = JSON.parse(after) as Sections[S];
        this.writes[section]++;
        this.emit(section);
      }
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.audit.push(...entries.map((entry) => structuredClone(entry)));
    this.emit('audit');
  }

  async readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const since = query.since ? Date.parse(query.since) : -Infinity;
    const matching = this.audit.filter((entry) => Date.parse(entry.at) >= since);
    const limited = query.limit === undefined ? matching : matching.slice(-query.limit);
    return structuredClone(limited);
  }

  watch(listener: (section: SectionName | 'audit') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.queue;
  }

  private emit(section: SectionName | 'audit'): void {
    for (const listener of [...this.listeners]) {
      queueMicrotask(() => listener(section));
    }
  }
}
