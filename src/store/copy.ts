// Moving a whole workspace from one store to another (a JSON store to PostgreSQL when a team
// outgrows one machine, or back): every record of every section and the whole audit log, in
// batches of ordinary transactions, then the counts on both sides compared. The poller lease is not
// copied (it belongs to running processes). A target that already holds anything is refused unless
// `replace` is set; then its records are removed first and its audit log is kept, the source's
// entries it lacks appended after it (an audit log is never rewritten, and an entry copied twice
// would count twice in every report built from the log).
import type { AuditEntry } from '../model.js';
import { COLLECTION_NAMES, collectionsOf, keyOf, SECTION_NAMES, type CollectionName, type Records } from './records.js';
import { StoreError, type SectionRecords, type Store } from './types.js';

const BATCH = 500;

export interface CopyCount {
  /** A collection name, or `audit`. */
  what: CollectionName | 'audit';
  source: number;
  target: number;
}

export interface CopyReport {
  counts: CopyCount[];
  /** Whether every count matched. */
  verified: boolean;
}

/** How many records and audit entries a store holds. */
export async function storeCounts(store: Store): Promise<Map<CollectionName | 'audit', number>> {
  const counts = new Map<CollectionName | 'audit', number>();
  for (const section of SECTION_NAMES) {
    const records = await store.records(section);
    for (const name of collectionsOf(section)) counts.set(name, records[name]?.length ?? 0);
  }
  counts.set('audit', (await store.readAudit()).length);
  return counts;
}

export async function copyStore(source: Store, target: Store, options: { replace?: boolean; onProgress?: (line: string) => void } = {}): Promise<CopyReport> {
  const before = await storeCounts(target);
  const occupied = [...before].filter(([, n]) => n > 0);
  if (occupied.length > 0 && !options.replace) {
    throw new StoreError(
      `the target store ${target.location} is not empty (${occupied.map(([what, n]) => `${n} ${what}`).join(', ')}); ` +
        'copy into an empty store, or give --replace to remove its records first (its audit log is kept)',
      target.location,
    );
  }
  const targetAudit = before.get('audit') ?? 0;
  for (const section of SECTION_NAMES) {
    if (options.replace) {
      const existing = await target.records(section);
      for (const name of collectionsOf(section)) {
        const keys = (existing[name] ?? []).map((record) => keyOf(name, record as Records[typeof name]));
        for (let i = 0; i < keys.length; i += BATCH) {
          const batch = keys.slice(i, i + BATCH);
          await target.transact(section, (tx) => batch.forEach((key) => tx.delete(name, key)));
        }
      }
    }
    const records: SectionRecords = await source.records(section);
    for (const name of collectionsOf(section)) {
      const list = (records[name] ?? []) as Array<Records[typeof name]>;
      for (let i = 0; i < list.length; i += BATCH) {
        const batch = list.slice(i, i + BATCH);
        await target.transact(section, (tx) => {
          for (const record of batch) {
            if (name === 'history') {
              // History records are appended point by point (that is how the stores keep them bounded).
              const { id, points } = record as Records['history'];
              if (points.length > 0) tx.appendHistory(id, structuredClone(points) as never, points.length);
            } else tx.put(name, structuredClone(record) as never);
          }
        });
      }
      if (list.length > 0) options.onProgress?.(`${name}: ${list.length}`);
    }
  }
  const audit = await source.readAudit();
  const present = new Set((await target.readAudit()).map(auditIdentity));
  const missing = audit.filter((entry) => !present.has(auditIdentity(entry)));
  for (let i = 0; i < missing.length; i += BATCH) {
    // The target numbers the entries with its own changes; the source's numbers mean nothing there.
    const batch: AuditEntry[] = missing.slice(i, i + BATCH).map(({ seq: _seq, ...entry }) => entry);
    await target.transact('core', (tx) => tx.audit(...batch));
  }
  if (audit.length > 0) options.onProgress?.(`audit: ${audit.length}${missing.length < audit.length ? ` (${audit.length - missing.length} already there)` : ''}`);

  const [from, to] = await Promise.all([storeCounts(source), storeCounts(target)]);
  const counts: CopyCount[] = [...COLLECTION_NAMES, 'audit' as const].map((what) => ({
    what,
    source: from.get(what) ?? 0,
    // The target's audit count: what this copy appended, and the source's entries it already had.
    target: what === 'audit' ? (to.get('audit') ?? 0) - targetAudit + (audit.length - missing.length) : (to.get(what) ?? 0),
  }));
  return { counts, verified: counts.every((c) => c.source === c.target) };
}

/** One audit entry without its store-given number, keys sorted: the same change reads the same in both stores. */
function auditIdentity({ seq: _seq, ...entry }: AuditEntry): string {
  return JSON.stringify(entry, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
}
