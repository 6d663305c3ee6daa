// For tests of the pure rules: a core section in memory behind one open transaction, so a test can
// apply rules again and again and read what they did (nothing is ever committed). `seedStore` puts
// records into a real store the way a test's "given" needs them.
import type { Alert, AuditEntry, CheckRecord, CompletionSnapshot, HistoryPoint, OutboxMessage, Standup } from '../../model.js';
import { CoreDraft } from '../core-draft.js';
import { SectionState } from '../state.js';
import { Tx } from '../tx.js';
import { CONTROL_KEY, type Control, type Store } from '../types.js';

/** An empty core section to run rules on (reads see every change made so far). */
export function draftCore(seed: CoreSeed = {}): CoreDraft {
  const core = new CoreDraft(new Tx('core', new SectionState('core'), 'memory'));
  putCore(core, seed);
  return core;
}

export interface CoreSeed {
  alerts?: Alert[];
  outbox?: OutboxMessage[];
  standups?: Standup[];
  snapshots?: CompletionSnapshot[];
  control?: Partial<Control>;
  kv?: Record<string, unknown>;
  audit?: AuditEntry[];
}

function putCore(core: CoreDraft, seed: CoreSeed): void {
  for (const alert of seed.alerts ?? []) core.addAlert(structuredClone(alert));
  for (const row of seed.outbox ?? []) core.addOutbox(structuredClone(row));
  for (const standup of seed.standups ?? []) core.putStandup(structuredClone(standup));
  for (const snapshot of seed.snapshots ?? []) core.addSnapshot(structuredClone(snapshot));
  if (seed.control) core.setKv(CONTROL_KEY, { ...core.control, ...seed.control });
  for (const [key, value] of Object.entries(seed.kv ?? {})) core.setKv(key, value);
  if (seed.audit?.length) core.audit(...seed.audit);
  const numbers = (seed.alerts ?? []).map((a) => Number(/^A(\d+)$/.exec(a.id)?.[1] ?? 0));
  if (numbers.length > 0 && core.kv('nextAlertNumber') === undefined) core.setKv('nextAlertNumber', Math.max(...numbers) + 1);
}

export interface StoreSeed extends CoreSeed {
  checks?: Array<Omit<CheckRecord, 'id'> & { id: string }>;
  history?: Record<string, HistoryPoint[]>;
}

/** Put records into a store, one transaction per section (alert ids keep counting after the seeded ones). */
export async function seedStore(store: Store, seed: StoreSeed): Promise<void> {
  const { checks, history, ...core } = seed;
  if (Object.keys(core).length > 0) await store.transact('core', (tx) => putCore(new CoreDraft(tx), core));
  if (checks?.length) await store.transact('results', (tx) => checks.forEach((check) => tx.put('checks', structuredClone(check))));
  if (history && Object.keys(history).length > 0) {
    await store.transact('history', (tx) => {
      for (const [id, points] of Object.entries(history)) tx.appendHistory(id, points, Math.max(points.length, 1));
    });
  }
}
