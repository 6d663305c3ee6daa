// The store interface. The embedded implementation keeps each section in its own JSON file next
// to the configured path (data/imos.json → imos.json, imos.results.json, imos.lease.json,
// imos.audit.jsonl) so that what changes every few seconds (results, the lease) never forces
// rewriting what changes rarely (alerts, standups). A PostgreSQL implementation can keep the same
// sections as rows.
import type {
  Alert,
  AuditEntry,
  CheckState,
  CompletionSnapshot,
  LeaseHolder,
  OutboxMessage,
  Standup,
} from '../model.js';

export const STORE_VERSION = 1;

/** Alerts, outbox, standups, completion history and the console's shared controls. */
export interface CoreData {
  version: number;
  /** Next number for alert ids (A1, A2, …). */
  nextAlertNumber: number;
  alerts: Alert[];
  outbox: OutboxMessage[];
  standups: Standup[];
  snapshots: CompletionSnapshot[];
  /** Shared controls any console may set; the poller follows them. */
  control: {
    paused: boolean;
    pausedBy: string | null;
    /** A console asks the poller holder to run every check now (`r`). */
    runNowRequestedAt: string | null;
  };
  /** Free-form keyed state owned by one module each (e.g. 'standup-reminders'), kept small. */
  extra: Record<string, unknown>;
}

/** The poller's results: rewritten often, so nothing long-lived lives here. */
export interface ResultsData {
  version: number;
  checks: Record<string, CheckState>;
  lastPollAt: string | null;
}

export interface LeaseData {
  version: number;
  holder: LeaseHolder | null;
}

export interface Sections {
  core: CoreData;
  results: ResultsData;
  lease: LeaseData;
}
export type SectionName = keyof Sections;
export const SECTION_NAMES: SectionName[] = ['core', 'results', 'lease'];

export function emptySection<S extends SectionName>(name: S): Sections[S] {
  const empty: Sections = {
    core: {
      version: STORE_VERSION,
      nextAlertNumber: 1,
      alerts: [],
      outbox: [],
      standups: [],
      snapshots: [],
      control: { paused: false, pausedBy: null, runNowRequestedAt: null },
      extra: {},
    },
    results: { version: STORE_VERSION, checks: {}, lastPollAt: null },
    lease: { version: STORE_VERSION, holder: null },
  };
  return empty[name];
}

export interface AuditQuery {
  /** ISO time: only entries at or after it. */
  since?: string;
  /** Only the newest N entries (after `since`). */
  limit?: number;
}

export interface Store {
  /** Human-readable location (a path, or a redacted URL). */
  readonly location: string;
  /** A consistent copy of one section (the caller may mutate it freely). */
  read<S extends SectionName>(section: S): Promise<Sections[S]>;
  /**
   * Read-modify-write of one section under an inter-process lock. `fn` may mutate `data` in place
   * and return a value. If `fn` throws, nothing is written. The write is atomic and durable.
   */
  update<S extends SectionName, R>(section: S, fn: (data: Sections[S]) => R | Promise<R>): Promise<R>;
  /** Append to the append-only audit log. */
  appendAudit(entries: AuditEntry[]): Promise<void>;
  readAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Called (debounced) when another process changed a section; returns an unsubscribe. */
  watch(listener: (section: SectionName | 'audit') => void): () => void;
  close(): Promise<void>;
}

/** Raised for a store file that cannot be used: the message names the file and what is wrong. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
