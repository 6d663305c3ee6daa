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

export class CoreDraft {
  /** Alert ids by key field and value, each built on first use (a batch of results looks up each). */
  private readonly index = new Map<AlertKey, Map<string, string[]>>();

  constructor(readonly tx: Tx) {}

  get alerts(): readonly Alert[] {
    return this.tx.all('alerts');
  }

  /**
   * The alerts (any state, as this transaction sees them, in store order) whose `field` is
   * `value`. Looking up each result of a batch in the whole list cost a copy of every alert per
   * result: 2,000 results against 10,000 alerts made 20 million entries of garbage a round.
   */
  alertsWhere(field: AlertKey, value: string): Alert[] {
    const ids = this.indexOf(field).get(value);
    if (!ids) return [];
    const out: Alert[] = [];
    for (const id of ids) {
      const alert = this.tx.get('alerts', id);
      if (alert) out.push(alert as Alert);
    }
    return out;
  }

  private indexOf(field: AlertKey): Map<string, string[]> {
    let byValue = this.index.get(field);
    if (!byValue) {
      this.index.set(field, (byValue = new Map()));
      for (const alert of this.tx.iterate('alerts')) addId(byValue, alert[field], alert.id);
    }
    return byValue;
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
    const isNew = this.tx.get('alerts', alert.id) === undefined;
    const added = this.tx.put('alerts', alert);
    if (isNew) for (const [field, byValue] of this.index) addId(byValue, added[field], added.id);
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
