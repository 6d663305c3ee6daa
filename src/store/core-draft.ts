// The core section as a transaction sees it, with the words the engine's pure rules use: read the
// alerts, outbox, standups and snapshots as they stand (this transaction's changes included), and
// change them only through `edit*` / `add*` / `put*`, so that what the store is handed is exactly
// what changed. Records read here are frozen: a rule that changes one without `edit*` fails at once.
import type { Alert, AuditEntry, CompletionSnapshot, OutboxMessage, Standup } from '../model.js';
import type { Tx } from './tx.js';
import { CONTROL_KEY, DEFAULT_CONTROL, type Control, type Store } from './types.js';

const NEXT_ALERT_KEY = 'nextAlertNumber';

/** Fields of an alert that never change once it is opened: what the draft can index alerts by. */
export type AlertKey = 'fingerprint' | 'checkId' | 'type';
const ALERT_KEYS: readonly AlertKey[] = ['fingerprint', 'checkId', 'type'];

export class CoreDraft {
  /**
   * Ids of alerts this transaction added (not stored before it), by key field and value. Those
   * stored before are looked up in the section's own index (SectionState.keysWhere).
   */
  private readonly added = new Map<AlertKey, Map<string, string[]>>();

  constructor(readonly tx: Tx) {}

  get alerts(): readonly Alert[] {
    return this.tx.all('alerts');
  }

  /**
   * The alerts (any state, as this transaction sees them, in store order) whose `field` is
   * `value`. Looking up each result of a batch in the whole list cost a copy of every alert per
   * result, and an index of every alert built per transaction still cost a walk over all of them
   * per batch: the section keeps the index, and this transaction's additions come after it.
   */
  alertsWhere(field: AlertKey, value: string): Alert[] {
    const out: Alert[] = [];
    const take = (id: string) => {
      const alert = this.tx.get('alerts', id);
      if (alert) out.push(alert as Alert);
    };
    const stored = this.tx.baseKeysWhere('alerts', field, value);
    if (stored) for (const id of stored) take(id);
    const added = this.added.get(field)?.get(value);
    if (added) for (const id of added) take(id);
    return out;
  }

  get outbox(): readonly OutboxMessage[] {
    return this.tx.all('outbox');
  }

  get standups(): readonly Standup[] {
    return this.tx.all('standups');
  }

  get snapshots(): readonly CompletionSnapshot[] {
    return this.tx.all('snapshots');
  }

  get control(): Readonly<Control> {
    return { ...DEFAULT_CONTROL, ...(this.kv<Control>(CONTROL_KEY) ?? {}) };
  }

  alert(id: string): Readonly<Alert> | undefined {
    return this.tx.get('alerts', id);
  }

  findAlert(predicate: (alert: Readonly<Alert>) => boolean): Readonly<Alert> | undefined {
    return this.tx.find('alerts', predicate);
  }

  /** A mutable copy of the alert, recorded as changed (the same copy on every call). */
  editAlert(alert: Pick<Alert, 'id'>): Alert {
    return this.tx.edit('alerts', alert.id);
  }

  /** The id the next new alert gets (A1, A2, …): counted in the store, never reused. */
  nextAlertId(): string {
    const next = Number(this.kv<number>(NEXT_ALERT_KEY) ?? 1);
    const safe = Number.isSafeInteger(next) && next > 0 ? next : 1;
    this.setKv(NEXT_ALERT_KEY, safe + 1);
    return `A${safe}`;
  }

  addAlert(alert: Alert): Alert {
    // New to the store and to this transaction: stored ones are in the section's index already.
    const isNew = this.tx.get('alerts', alert.id) === undefined && !this.tx.inBase('alerts', alert.id);
    const added = this.tx.put('alerts', alert);
    if (isNew) {
      for (const field of ALERT_KEYS) {
        let byValue = this.added.get(field);
        if (!byValue) this.added.set(field, (byValue = new Map()));
        addId(byValue, added[field], added.id);
      }
    }
    return added;
  }

  addOutbox(row: OutboxMessage): OutboxMessage {
    return this.tx.put('outbox', row);
  }

  editOutbox(id: string): OutboxMessage | undefined {
    return this.tx.get('outbox', id) ? this.tx.edit('outbox', id) : undefined;
  }

  deleteOutbox(id: string): void {
    this.tx.delete('outbox', id);
  }

  editStandup(id: string): Standup {
    return this.tx.edit('standups', id);
  }

  putStandup(standup: Standup): Standup {
    return this.tx.put('standups', standup);
  }

  addSnapshot(snapshot: CompletionSnapshot): CompletionSnapshot {
    return this.tx.put('snapshots', snapshot);
  }

  deleteSnapshot(at: string): void {
    this.tx.delete('snapshots', at);
  }

  kv<T>(key: string): T | undefined {
    return this.tx.get('kv', key)?.value as T | undefined;
  }

  setKv(key: string, value: unknown): void {
    this.tx.put('kv', { key, value });
  }

  setControl(change: Partial<Control>): void {
    this.setKv(CONTROL_KEY, { ...this.control, ...change });
  }

  audit(...entries: AuditEntry[]): void {
    this.tx.audit(...entries);
  }
}

function addId(byValue: Map<string, string[]>, value: string, id: string): void {
  const ids = byValue.get(value);
  if (ids) ids.push(id);
  else byValue.set(value, [id]);
}

/** Store audit entries that go with no other change (a matrix cell rewritten in its file, …). */
export async function recordAudit(store: Store, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await store.transact('core', (tx) => tx.audit(...entries));
}
