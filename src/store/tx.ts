// A transaction over one section: reads see the section as it is plus this transaction's own
// changes; writes are recorded, not applied, and become the change set the store commits (one
// journal line, or one database call). A transaction function must not do I/O and may run more
// than once (a store that detects a conflict runs it again on fresher data).
// Records are JSON data: a JSON-only deep copy costs a fraction of structuredClone (paid on every change).
import { klona as cloneRecord } from 'klona/json';
import type { AuditEntry, HistoryPoint } from '../model.js';
import { COLLECTIONS, keyOf, recordProblem, type CollectionName, type Records, type SectionName } from './records.js';
import { emptyChangeSet, type ChangeSet, type SectionState } from './state.js';
import { StoreError } from './types.js';

export class Tx {
  private readonly puts = new Map<CollectionName, Map<string, unknown>>();
  private readonly dels = new Map<CollectionName, Set<string>>();
  private readonly appends: ChangeSet['append'] = [];
  private readonly auditEntries: AuditEntry[] = [];

  constructor(
    readonly section: SectionName,
    private readonly base: SectionState,
    /** Where the store lives, for error messages. */
    private readonly location: string,
  ) {}

  private check(collection: CollectionName): void {
    if (COLLECTIONS[collection].section !== this.section) {
      throw new Error(`collection ${collection} belongs to the ${COLLECTIONS[collection].section} section, not ${this.section}`);
    }
  }

  private putsOf(collection: CollectionName): Map<string, unknown> {
    let map = this.puts.get(collection);
    if (!map) this.puts.set(collection, (map = new Map()));
    return map;
  }

  /** The record as this transaction sees it (frozen unless this transaction edits it). */
  get<C extends CollectionName>(collection: C, key: string): Readonly<Records[C]> | undefined {
    this.check(collection);
    if (this.dels.get(collection)?.has(key)) return undefined;
    const put = this.puts.get(collection)?.get(key);
    if (put !== undefined) return put as Records[C];
    return this.base.get(collection, key);
  }

  /** Every record in store order, this transaction's changes included. */
  all<C extends CollectionName>(collection: C): Array<Readonly<Records[C]>> {
    const out: Array<Readonly<Records[C]>> = [];
    for (const record of this.iterate(collection)) out.push(record);
    return out;
  }

  *iterate<C extends CollectionName>(collection: C): Generator<Readonly<Records[C]>> {
    this.check(collection);
    const puts = this.puts.get(collection);
    const dels = this.dels.get(collection);
    for (const key of this.base.keys(collection)) {
      if (dels?.has(key)) continue;
      yield (puts?.get(key) as Records[C] | undefined) ?? this.base.get(collection, key)!;
    }
    if (puts) {
      for (const [key, record] of puts) {
        if (this.base.get(collection, key) === undefined && !dels?.has(key)) yield record as Records[C];
      }
    }
  }

  /**
   * Keys of the records stored before this transaction whose `field` is `value`, from the
   * section's index (this transaction's own changes are not in it: see CoreDraft.alertsWhere).
   */
  baseKeysWhere<C extends CollectionName>(collection: C, field: keyof Records[C] & string, value: string): ReadonlySet<string> | undefined {
    this.check(collection);
    return this.base.keysWhere(collection, field, value);
  }

  /** Whether the record was stored before this transaction (whatever this transaction did to it). */
  inBase(collection: CollectionName, key: string): boolean {
    this.check(collection);
    return this.base.get(collection, key) !== undefined;
  }

  find<C extends CollectionName>(collection: C, predicate: (record: Readonly<Records[C]>) => boolean): Readonly<Records[C]> | undefined {
    for (const record of this.iterate(collection)) if (predicate(record)) return record;
    return undefined;
  }

  /**
   * A mutable copy of the record, recorded as changed: edit it in place. Editing the same record
   * twice returns the same copy. Throws when there is no such record.
   */
  edit<C extends CollectionName>(collection: C, key: string): Records[C] {
    this.check(collection);
    const puts = this.putsOf(collection);
    const mine = puts.get(key);
    if (mine !== undefined && !this.dels.get(collection)?.has(key)) return mine as Records[C];
    const current = this.get(collection, key);
    if (current === undefined) throw new Error(`no ${collection} record ${key} to edit`);
    const copy = cloneRecord(current) as Records[C];
    puts.set(key, copy);
    return copy;
  }

  /** Insert or replace a record whole. */
  put<C extends CollectionName>(collection: C, record: Records[C]): Records[C] {
    this.check(collection);
    const key = keyOf(collection, record);
    this.dels.get(collection)?.delete(key);
    this.putsOf(collection).set(key, record);
    return record;
  }

  delete(collection: CollectionName, key: string): void {
    this.check(collection);
    this.puts.get(collection)?.delete(key);
    if (this.base.get(collection, key) === undefined) return;
    let dels = this.dels.get(collection);
    if (!dels) this.dels.set(collection, (dels = new Set()));
    dels.add(key);
  }

  /** Add points to a check's history, keeping the newest `max`. */
  appendHistory(id: string, points: HistoryPoint[], max: number): void {
    this.check('history');
    if (points.length > 0) this.appends.push({ id, points: cloneRecord(points), max });
  }

  /** Audit entries committed together with this transaction's changes. */
  audit(...entries: AuditEntry[]): void {
    if (entries.length === 0) return;
    if (this.section !== 'core') throw new Error('audit entries are stored with core changes only');
    this.auditEntries.push(...entries.map((entry) => cloneRecord(entry)));
  }

  /** The change set to commit; records are validated here, as they enter the store. */
  changes(): ChangeSet {
    const out = emptyChangeSet(this.section);
    for (const [collection, records] of this.puts) {
      if (records.size === 0) continue;
      const list: unknown[] = [];
      for (const [key, record] of records) {
        const problem = recordProblem(collection, record);
        if (problem) throw new StoreError(`refusing to write ${collection} record ${key} to ${this.location}: ${problem}`, this.location);
        list.push(record);
      }
      (out.put as Record<string, unknown[]>)[collection] = list;
    }
    for (const [collection, keys] of this.dels) if (keys.size > 0) out.del[collection] = [...keys];
    out.append = this.appends;
    out.audit = this.auditEntries;
    return out;
  }
}
