// A section held in memory: its records by collection, frozen (a module that changes a record
// without going through a transaction fails at once instead of losing the change), and the change
// sequence it has reached. Every store keeps one per section and moves it forward by applying
// change sets: its own commits, and other processes' commits read from a journal or a database.
// Records are JSON data: a JSON-only deep copy costs a fraction of structuredClone (paid on every change).
import { klona as cloneRecord } from 'klona/json';
import type { AuditEntry, HistoryPoint } from '../model.js';
import { COLLECTIONS, collectionsOf, keyOf, type CollectionName, type Records, type SectionName } from './records.js';

/** What one commit changed: the unit a store writes, journals and replays. */
export interface ChangeSet {
  section: SectionName;
  /** Records written whole (inserted or replaced), by collection. */
  put: { [C in CollectionName]?: Array<Records[C]> };
  /** Keys removed, by collection. */
  del: { [C in CollectionName]?: string[] };
  /** Points added to the end of history records, the oldest dropped past `max`. */
  append: Array<{ id: string; points: HistoryPoint[]; max: number }>;
  /** Audit entries stored together with the change (core only). */
  audit: AuditEntry[];
}

export function emptyChangeSet(section: SectionName): ChangeSet {
  return { section, put: {}, del: {}, append: [], audit: [] };
}

export function isEmptyChangeSet(changes: ChangeSet): boolean {
  return (
    changes.audit.length === 0 &&
    changes.append.length === 0 &&
    Object.values(changes.put).every((records) => !records || records.length === 0) &&
    Object.values(changes.del).every((keys) => !keys || keys.length === 0)
  );
}

/** Collections a change set touches (what a watcher is told about). */
export function touchedCollections(changes: ChangeSet): CollectionName[] {
  const names = new Set<CollectionName>();
  for (const [name, records] of Object.entries(changes.put)) if (records && records.length > 0) names.add(name as CollectionName);
  for (const [name, keys] of Object.entries(changes.del)) if (keys && keys.length > 0) names.add(name as CollectionName);
  if (changes.append.length > 0) names.add('history');
  return [...names];
}

/** Deep-freezes plain data (records are JSON: objects and arrays only). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  freezeTree(value);
  return value;
}

/**
 * Freezes an object not frozen yet and what it holds: children are looked at in place, not listed
 * first (an array of values per object was most of the cost of freezing 10,000 results).
 */
function freezeTree(value: object): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) freezeTree(child);
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) freezeTree(child);
    }
  }
  Object.freeze(value);
}

export class SectionState {
  /** The sequence number of the last change applied. */
  seq = 0;
  /** Bumped on every change: views are rebuilt only when it moved. */
  version = 0;
  private readonly maps = new Map<CollectionName, Map<string, unknown>>();
  /**
   * Collections holding records not frozen yet. Records are frozen when first handed out (get,
   * values, dump), not as they are read in: a snapshot's records replaced by its journal before
   * anyone asks, and collections a command never shows (imos status and the uptime counts), cost
   * no freezing. Nobody but this section holds a record before it is handed out.
   */
  private readonly thawed = new Set<CollectionName>();
  /**
   * Keys of records by the value of one of their fields, per collection and field: built on first
   * use and kept in step by every change after, so a transaction that looks up each result of a
   * batch by fingerprint no longer walks every alert to build its own index.
   */
  private readonly indexes = new Map<CollectionName, Map<string, Map<string, Set<string>>>>();

  constructor(readonly section: SectionName) {
    for (const name of collectionsOf(section)) this.maps.set(name, new Map());
  }

  /**
   * A snapshot's records not keyed yet, by collection: a collection is keyed when first used, so
   * one a command never looks at (the uptime counts, for imos status) costs nothing beyond
   * its parse.
   */
  private readonly unkeyed = new Map<CollectionName, unknown[]>();

  private map<C extends CollectionName>(collection: C): Map<string, Records[C]> {
    const map = this.maps.get(collection);
    if (!map) throw new Error(`collection ${collection} is not part of the ${this.section} section`);
    const list = this.unkeyed.get(collection);
    if (list) {
      this.unkeyed.delete(collection);
      // keyOf's rule, with the collection's key field looked up once for all its records.
      const field = COLLECTIONS[collection].key;
      for (const record of list) {
        const key = (record as Record<string, unknown>)[field];
        map.set(typeof key === 'string' ? key : String(key), record);
      }
    }
    return map as Map<string, Records[C]>;
  }

  has(collection: CollectionName): boolean {
    return this.maps.has(collection);
  }

  get<C extends CollectionName>(collection: C, key: string): Readonly<Records[C]> | undefined {
    const record = this.map(collection).get(key);
    return record === undefined ? undefined : deepFreeze(record);
  }

  /** Records in insertion order (the order they were first stored). */
  values<C extends CollectionName>(collection: C): IterableIterator<Readonly<Records[C]>> {
    return this.frozen(collection).values();
  }

  /** The collection's map with every record in it frozen (those handed out before already are). */
  private frozen<C extends CollectionName>(collection: C): Map<string, Records[C]> {
    const map = this.map(collection);
    if (this.thawed.delete(collection)) for (const record of map.values()) deepFreeze(record);
    return map;
  }

  keys(collection: CollectionName): IterableIterator<string> {
    return this.map(collection).keys();
  }

  size(collection: CollectionName): number {
    return this.map(collection).size;
  }

  /**
   * Keys of the records whose `field` is `value`, in store order (the order they were first
   * stored; a record whose field changed comes last under its new value); undefined when there
   * are none. The set is the index's own: read it, never keep it.
   */
  keysWhere<C extends CollectionName>(collection: C, field: keyof Records[C] & string, value: string): ReadonlySet<string> | undefined {
    return this.indexOf(collection, field).get(value);
  }

  private indexOf(collection: CollectionName, field: string): Map<string, Set<string>> {
    let byField = this.indexes.get(collection);
    if (!byField) this.indexes.set(collection, (byField = new Map()));
    let byValue = byField.get(field);
    if (!byValue) {
      byField.set(field, (byValue = new Map()));
      for (const [key, record] of this.map(collection)) indexAdd(byValue, (record as unknown as Record<string, unknown>)[field], key);
    }
    return byValue;
  }

  /** Keeps the built indexes of `collection` in step with a record put (`before`: the record it replaces). */
  private indexPut(collection: CollectionName, key: string, before: unknown, after: unknown): void {
    const byField = this.indexes.get(collection);
    if (!byField) return;
    for (const [field, byValue] of byField) {
      const old = (before as Record<string, unknown> | undefined)?.[field];
      const now = (after as Record<string, unknown>)[field];
      if (before !== undefined && old === now) continue;
      if (before !== undefined) indexDelete(byValue, old, key);
      indexAdd(byValue, now, key);
    }
  }

  private indexDel(collection: CollectionName, key: string, before: unknown): void {
    const byField = this.indexes.get(collection);
    if (!byField || before === undefined) return;
    for (const [field, byValue] of byField) indexDelete(byValue, (before as Record<string, unknown>)[field], key);
  }

  /** Replace everything (a snapshot just read). Records are taken over, frozen when handed out. */
  load(seq: number, records: { [C in CollectionName]?: Array<Records[C]> }): void {
    for (const map of this.maps.values()) map.clear();
    this.indexes.clear();
    this.thawed.clear();
    this.unkeyed.clear();
    for (const [name, list] of Object.entries(records) as Array<[CollectionName, unknown[]]>) {
      if (!this.maps.has(name) || list.length === 0) continue;
      this.unkeyed.set(name, list);
      this.thawed.add(name);
    }
    this.seq = seq;
    this.version++;
  }

  /**
   * Apply one committed change set; `seq` is the sequence number it was committed under. With
   * `owned`, its records were just parsed and nobody else holds them: they are taken over (frozen
   * in place when handed out), not copied. That matters beyond the copy: an object built key by key, as a deep
   * copy builds it, has its properties in a hash table past 16 keys (V8's dictionary mode), and
   * an alert held that way takes about four times the memory of the same alert parsed from JSON.
   */
  apply(changes: ChangeSet, seq: number, options: { owned?: boolean } = {}): void {
    const take = options.owned ? <T>(record: T) => record : cloneRecord;
    for (const [name, records] of Object.entries(changes.put) as Array<[CollectionName, unknown[] | undefined]>) {
      if (!records) continue;
      const map = this.map(name);
      for (const record of records) {
        const key = keyOf(name, record as never);
        const kept = take(record as Records[typeof name]);
        this.indexPut(name, key, map.get(key), kept);
        map.set(key, kept);
      }
      if (records.length > 0) this.thawed.add(name);
    }
    for (const [name, keys] of Object.entries(changes.del) as Array<[CollectionName, string[] | undefined]>) {
      if (!keys) continue;
      const map = this.map(name);
      for (const key of keys) {
        this.indexDel(name, key, map.get(key));
        map.delete(key);
      }
    }
    if (changes.append.length > 0) {
      const history = this.map('history');
      for (const { id, points, max } of changes.append) {
        // The points held already (frozen, or frozen here on the first append) are shared with the
        // new record: only the new points are copied (copying the whole history at every append
        // made every run cost its history).
        const all = [...(history.get(id)?.points ?? []), ...points.map((point) => take(point))];
        const record = deepFreeze({ id, points: all.slice(Math.max(0, all.length - max)) });
        this.indexPut('history', id, history.get(id), record);
        history.set(id, record);
      }
    }
    this.seq = seq;
    this.version++;
  }

  /** Every record, by collection (for a snapshot file or a copy to another store). */
  dump(): { [C in CollectionName]?: Array<Records[C]> } {
    const out: Record<string, unknown[]> = {};
    for (const name of this.maps.keys()) out[name] = [...this.frozen(name).values()];
    return out as { [C in CollectionName]?: Array<Records[C]> };
  }
}

/** Index values are strings; a record whose field is missing or not a string is not indexed. */
function indexAdd(byValue: Map<string, Set<string>>, value: unknown, key: string): void {
  if (typeof value !== 'string') return;
  const keys = byValue.get(value);
  if (keys) keys.add(key);
  else byValue.set(value, new Set([key]));
}

function indexDelete(byValue: Map<string, Set<string>>, value: unknown, key: string): void {
  if (typeof value !== 'string') return;
  const keys = byValue.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) byValue.delete(value);
}
