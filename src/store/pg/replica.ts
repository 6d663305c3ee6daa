// This process's copy of a section, read from the tables: loaded whole on first use (one query),
// then moved forward by catching up: rows whose seq is past the copy's, and the tombstones of rows
// deleted since. Each is one statement, so one snapshot: the copy is the database as of one change.
// Deletions apply before rows, and rows in store order (pos): a record deleted and stored again
// moves to the end, as it does in the table.
import { collectionsOf, COLLECTIONS, type CollectionName, type Records, type SectionName } from '../records.js';
import { emptyChangeSet, SectionState } from '../state.js';
import type { PgConnections } from './connection.js';
import { qualified, type StoreTarget } from './target.js';

export function tableOf(collection: CollectionName): string {
  return `imos_${collection}`;
}

interface Row {
  k: number;
  c: string | null;
  key: string | null;
  n: string;
  m: string | null;
  data: unknown;
}

function sectionQuery(target: StoreTarget, section: SectionName, catchUp: boolean): string {
  const parts = [`SELECT 0 AS k, NULL::text AS c, NULL::text AS key, s.seq AS n, s.pruned_to AS m, NULL::jsonb AS data FROM ${qualified(target, 'imos_sections')} s WHERE s.section = $1`];
  if (catchUp) {
    parts.push(`SELECT 1, t.collection, t.key, t.seq, NULL, NULL FROM ${qualified(target, 'imos_tombstones')} t WHERE t.section = $1 AND t.seq > $2`);
  }
  for (const collection of collectionsOf(section)) {
    const where = catchUp ? ' WHERE seq > $2' : '';
    parts.push(`SELECT 2, '${collection}', NULL, pos, NULL, data FROM ${qualified(target, tableOf(collection))}${where}`);
  }
  return parts.join('\nUNION ALL\n') + '\nORDER BY 1, 4';
}

export interface SectionRead {
  seq: number;
  prunedTo: number;
  tombstones: Array<{ collection: CollectionName; key: string }>;
  records: { [C in CollectionName]?: Array<Records[C]> };
}

async function readSection(db: PgConnections, section: SectionName, since: number | null): Promise<SectionRead> {
  const catchUp = since !== null;
  const rows = await db.query<Row>(
    `cannot read the ${section} section`,
    {
      // Prepared once per connection: the poller's catch-ups come often.
      name: `imos_${catchUp ? 'catchup' : 'load'}_${section}`,
      text: sectionQuery(db.target, section, catchUp),
      values: catchUp ? [section, since] : [section],
    },
    { retry: true },
  );
  const out: SectionRead = { seq: 0, prunedTo: 0, tombstones: [], records: {} };
  for (const row of rows) {
    if (row.k === 0) {
      out.seq = Number(row.n);
      out.prunedTo = Number(row.m);
    } else if (row.k === 1) {
      out.tombstones.push({ collection: row.c as CollectionName, key: row.key! });
    } else {
      const collection = row.c as CollectionName;
      ((out.records[collection] ??= []) as unknown[]).push(row.data);
    }
  }
  return out;
}

/** The whole section, as of its latest change. */
export async function loadSection(db: PgConnections, section: SectionName): Promise<SectionState> {
  const read = await readSection(db, section, null);
  const state = new SectionState(section);
  state.load(read.seq, read.records);
  return state;
}

/**
 * Moves `state` to the section's latest change. Returns whether it changed. A copy older than the
 * tombstones still kept cannot know what was deleted meanwhile: it is reloaded whole.
 */
export async function catchUp(db: PgConnections, state: SectionState): Promise<boolean> {
  const read = await readSection(db, state.section, state.seq);
  if (read.seq <= state.seq) return false;
  if (state.seq < read.prunedTo) {
    const fresh = await readSection(db, state.section, null);
    state.load(fresh.seq, fresh.records);
    return true;
  }
  applyRead(state, read);
  return true;
}

function applyRead(state: SectionState, read: SectionRead): void {
  const deletions = emptyChangeSet(state.section);
  for (const { collection, key } of read.tombstones) {
    if (!COLLECTIONS[collection] || COLLECTIONS[collection].section !== state.section) continue;
    if (state.get(collection, key) !== undefined) (deletions.del[collection] ??= []).push(key);
  }
  const puts = emptyChangeSet(state.section);
  puts.put = read.records;
  const hasDeletions = Object.keys(deletions.del).length > 0;
  const hasPuts = Object.values(read.records).some((list) => list && list.length > 0);
  if (hasDeletions) state.apply(deletions, read.seq);
  if (hasPuts) state.apply(puts, read.seq);
  // A change with nothing in this section's tables (audit entries only) moves the copy on all the same.
  if (!hasDeletions && !hasPuts) state.apply(deletions, read.seq);
}
