// An in-memory Store for component tests (pure logic; integration tests use the real store).
// `watch` listeners hear every update, as they would hear another process's write.
import type { AuditEntry } from '../../src/model.js';
import { emptySection, type AuditQuery, type SectionName, type Sections, type Store } from '../../src/store/types.js';

export class MemoryStore implements Store {
  readonly location = 'memory';
  private sections: Sections = { core: emptySection('core'), results: emptySection('results'), lease: emptySection('lease') };
  private audit: AuditEntry[] = [];
  private listeners = new Set<(section: SectionName | 'audit') => void>();
  reads = 0;

  constructor(init: Partial<Sections> = {}, audit: AuditEntry[] = []) {
    Object.assign(this.sections, structuredClone(init));
    this.audit = structuredClone(audit);
  }

  async read<S extends SectionName>(section: S): Promise<Sections[S]> {
    this.reads++;
    return structuredClone(this.sections[section]);
  }

  async update<S extends SectionName, R>(section: S, fn: (data: Sections[S]) => R | Promise<R>): Promise<R> {
    const copy = structuredClone(this.sections[section]);
    const result = await fn(copy);
    this.sections[section] = copy;
    this.emit(section);
    return result;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    this.audit.push(...structuredClone(entries));
    this.emit('audit');
  }

  async readAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    let list = this.audit.filter((e) => !query.since || e.at >= query.since);
    if (query.limit !== undefined) list = list.slice(-query.limit);
    return structuredClone(list);
  }

  watch(listener: (section: SectionName | 'audit') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private emit(section: SectionName | 'audit'): void {
    for (const l of this.listeners) l(section);
  }
}
