// The domain vocabulary of imos as plain data. Every face (CLI, console, daemon, HTTP) and every
// store implementation speaks these types; none of them holds behaviour.

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A check's status. `error`: the check could not run; `pending`: it has not run yet. */
export const CHECK_STATUSES = ['ok', 'MEDIUM', 'HIGH', 'CRITICAL', 'error', 'pending'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Worst first: used to sort and to pick "the worst" of several statuses. */
const STATUS_RANK: Record<CheckStatus, number> = {
  CRITICAL: 5,
  error: 4,
  HIGH: 3,
  MEDIUM: 2,
  pending: 1,
  ok: 0,
};

export function statusRank(status: CheckStatus): number {
  return STATUS_RANK[status];
}

export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'ok';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
  return worst;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export type MetricValue = number | string | boolean | null;

/** One run of one check, as stored and as printed by `imos check --json`. */
export interface CheckResult {
  id: string;
  system: string;
  kind: string;
  /** Effective status, after failure / success thresholds. */
  status: CheckStatus;
  /** Status of this run alone, before the consecutive-run thresholds. */
  runStatus: CheckStatus;
  value: MetricValue;
  metrics: Record<string, MetricValue>;
  message: string;
  /** Kind-specific detail for the console's detail view (missing tables, errors by file, …). */
  detail?: unknown;
  durationMs: number;
  at: string;
  /** Problem type for the alert this result opens (the kind's alertType or the outcome's own). */
  alertType?: string;
}

export interface HistoryPoint {
  at: string;
  status: CheckStatus;
  value: MetricValue;
  durationMs: number;
}

/** What the store keeps per check: the last result and the run counters (its history is kept apart). */
export interface CheckRecord {
  /** The check's id. */
  id: string;
  last: CheckResult | null;
  /** Consecutive failing runs / passing runs (for failure_threshold / success_threshold). */
  failures: number;
  successes: number;
  /** Effective status and since when it holds. */
  status: CheckStatus;
  since: string | null;
}

/** A check's recent runs, oldest first, bounded by `defaults.history`. */
export interface HistoryRecord {
  /** The check's id. */
  id: string;
  points: HistoryPoint[];
}

/** A check's state together with its history, as the console and the reports use it. */
export interface CheckState extends Omit<CheckRecord, 'id'> {
  history: HistoryPoint[];
}

export const ALERT_STATES = ['open', 'acknowledged', 'resolved', 'snoozed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Alert {
  /** Short, human-typable id (`imos ack A12`). */
  id: string;
  /** check id + problem type: a check failing 100 times is one alert. */
  fingerprint: string;
  checkId: string;
  system: string;
  /** Problem type, e.g. PENDING_MIGRATIONS, SYSTEM_CONNECTION_FAILURE, BLOCKER. */
  type: string;
  severity: Severity;
  state: AlertState;
  message: string;
  value: MetricValue;
  /** How many failing runs this alert has absorbed. */
  count: number;
  openedAt: string;
  lastSeenAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  ackNote: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  snoozedUntil: string | null;
  escalationLevel: number;
  nextEscalationAt: string | null;
  /** Response deadline from the severity policy; `breached` once it passed unacknowledged. */
  respondBy: string | null;
  breached: boolean;
  /** First human response (ack, snooze or resolve by hand); kept through an unack, for MTTA. */
  respondedAt?: string | null;
  /** Root cause: the alert id of the system connection failure this one depends on. */
  causedBy: string | null;
  /** Notifications are held back (maintenance window, root cause elsewhere). */
  suppressed: string | null;
  /** Channels that were told about this alert, so the resolved notice reaches them too. */
  notified: string[];
  /** Where the Slack message lives, so escalation and resolution update it. */
  slack: { channel: string; ts: string } | null;
}

export interface AuditEntry {
  at: string;
  actor: string;
  /** e.g. ack, unack, resolve, snooze, open, escalate, auto-resolve, standup, matrix-set */
  action: string;
  /** What was acted on: an alert id, a system, a matrix item. */
  target: string;
  note?: string;
  detail?: Record<string, unknown>;
  /** The store change this entry was committed with (set by the store). */
  seq?: number;
}

export interface LeaseHolder {
  pid: number;
  host: string;
  user: string;
  since: string;
  renewedAt: string;
  /** Random token: a holder that finds another token in the file has lost the lease. */
  token: string;
  /** What kind of process holds it: console, daemon, check. */
  role: string;
}

export interface Blocker {
  id: string;
  text: string;
  /** What it waits on, e.g. { kind: 'system', id: 'hotel-common' }. */
  waitsOn: { kind: 'system' | 'task' | 'person'; id: string } | null;
  openedAt: string;
  resolvedAt: string | null;
}

export interface Standup {
  id: string;
  system: string;
  /** Calendar day in the project's timezone, YYYY-MM-DD. */
  date: string;
  author: string;
  done: string;
  next: string;
  blockers: Blocker[];
  at: string;
  /** Earlier versions of the same day's entry, oldest first. */
  history: Array<Omit<Standup, 'history'>>;
}

export type NotificationState = 'pending' | 'sent' | 'failed';

/** An outbox row: written before it is sent, sent once, retried with backoff. */
export interface OutboxMessage {
  id: string;
  /** slack | email | webhook | console */
  channel: string;
  /** alert | escalation | severity | resolved | blocker | test | report */
  kind: string;
  alertId: string | null;
  /** Person ids or addresses the message is for. */
  to: string[];
  subject: string;
  text: string;
  /** Channel-specific extra (Slack blocks, webhook body). */
  payload?: Record<string, unknown>;
  state: NotificationState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** In flight: the dispatcher that claimed the row, and until when its claim holds (src/notify). */
  claimedBy?: string | null;
  claimedUntil?: string | null;
  /** Where the claiming dispatcher runs: a claim of a dead process on this host holds no longer. */
  claimedHost?: string | null;
  claimedPid?: number | null;
  /**
   * The poller lease epoch the claim was made under (null: by a process not holding the lease).
   * Once the lease has passed to a newer epoch, the claim no longer holds: its claimant lost the
   * lease and sends nothing more, so the new holder takes the row at once.
   */
  claimedEpoch?: number | null;
}

/** A point of the completion history, for sparklines, trends and the forecast. */
export interface CompletionSnapshot {
  at: string;
  tablesDone: number;
  tablesTotal: number;
  systemsDone: number;
  systemsTotal: number;
  tasksDone: number;
  tasksTotal: number;
}
