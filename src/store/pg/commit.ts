// A transaction's change set as one call of imos_commit (one round trip, one database transaction
// with its audit entries). Optimistic: the transaction runs on this process's copy of the section,
// and the database refuses the commit when something the transaction read was changed by a commit
// the copy had not seen yet. What was read is recorded here: each record fetched by key, and each
// collection iterated whole (a scan conflicts with any change to that collection).
import type { HistoryPoint } from '../../model.js';
import type { CollectionName, Records, SectionName } from '../records.js';
import { keyOf } from '../records.js';
import type { ChangeSet, SectionState } from '../state.js';
import type { Fence } from '../types.js';

/** The part of SectionState a Tx reads (get, keys, keysWhere), recording what it touched. */
export class ReadTracker {
  readonly reads = new Map<CollectionName, Set<string>>();
  readonly scans = new Set<CollectionName>();

  constructor(private readonly state: SectionState) {}

  get<C extends CollectionName>(collection: C, key: string): Readonly<Records[C]> | undefined {
    let keys = this.reads.get(collection);
    if (!keys) this.reads.set(collection, (keys = new Set()));
    keys.add(key);
    return this.state.get(collection, key);
  }

  keys(collection: CollectionName): IterableIterator<string> {
    this.scans.add(collection);
    return this.state.keys(collection);
  }

  /** A look-up by field value: what it answers depends on every record of the collection. */
  keysWhere<C extends CollectionName>(collection: C, field: keyof Records[C] & string, value: string): ReadonlySet<string> | undefined {
    this.scans.add(collection);
    return this.state.keysWhere(collection, field, value);
  }

  /** As a SectionState for `new Tx(...)`: Tx reads its base through get(), keys() and keysWhere() only. */
  asBase(): SectionState {
    return this as unknown as SectionState;
  }
}

export interface CommitPayload {
  section: SectionName;
  since: number;
  fence: Fence | null;
  reads: Record<string, string[]>;
  scans: string[];
  put: Record<string, Array<[string, unknown]>>;
  del: Record<string, string[]>;
  append: Array<Array<{ id: string; points: HistoryPoint[]; max: number }>>;
  audit: unknown[];
}

/**
 * History appends in rounds: a round names each check once (one set-based statement). A second
 * append to the same check goes into the next round, so they apply in order.
 */
export function appendRounds(append: ChangeSet['append']): CommitPayload['append'] {
  const rounds: Array<Map<string, { id: string; points: HistoryPoint[]; max: number }>> = [];
  for (const { id, points, max } of append) {
    // slice(length - max) keeps ceil(max) points of a fractional max, as the JSON stores do.
    const entry = { id, points, max: Math.max(0, Math.ceil(max)) };
    const index = roundAfterLast(rounds, id);
    if (index === rounds.length) rounds.push(new Map());
    rounds[index]!.set(id, entry);
  }
  return rounds.map((r) => [...r.values()]);
}

/** The first round after the last one that names `id` (0 when none does). */
function roundAfterLast(rounds: Array<Map<string, unknown>>, id: string): number {
  for (let i = rounds.length - 1; i >= 0; i--) if (rounds[i]!.has(id)) return i + 1;
  return 0;
}

const MAX_READ_KEYS = 1000;

export function commitPayload(changes: ChangeSet, since: number, tracker: ReadTracker, fence: Fence | undefined): CommitPayload {
  const put: CommitPayload['put'] = {};
  for (const [collection, records] of Object.entries(changes.put) as Array<[CollectionName, unknown[] | undefined]>) {
    if (records && records.length > 0) put[collection] = records.map((record) => [keyOf(collection, record as never), record]);
  }
  const del: CommitPayload['del'] = {};
  for (const [collection, keys] of Object.entries(changes.del)) if (keys && keys.length > 0) del[collection] = keys;
  const reads: CommitPayload['reads'] = {};
  const scans = new Set(tracker.scans);
  for (const [collection, keys] of tracker.reads) {
    if (scans.has(collection) || keys.size === 0) continue;
    // Thousands of keys (the poller recording every check): checking the collection is as good and smaller.
    if (keys.size > MAX_READ_KEYS) scans.add(collection);
    else reads[collection] = [...keys];
  }
  return {
    section: changes.section,
    since,
    fence: fence ?? null,
    reads,
    scans: [...scans],
    put,
    del,
    append: appendRounds(changes.append),
    audit: changes.audit,
  };
}

/** SQLSTATEs raised by the store's functions (see migrations.ts). */
export const CONFLICT = 'IM001';
export const LEASE_LOST = 'IM002';

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
