// The store keeps records, not documents: every collection names its section (which file or which
// group of tables it lives in), how a record is keyed, and what a record must look like before the
// store trusts it. A change costs the records it touches; validation happens where a record enters
// (read from disk or a database, or put by a transaction), never by re-checking every stored record.
import * as z from 'zod';
import {
  ALERT_STATES,
  CHECK_STATUSES,
  SEVERITIES,
  type Alert,
  type CheckRecord,
  type CompletionSnapshot,
  type HistoryRecord,
  type OutboxMessage,
  type Standup,
} from '../model.js';

/** Sections change independently: each has its own lock, journal and change sequence. */
export const SECTION_NAMES = ['core', 'results', 'history'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** A small value kept by name (shared controls, counters, a module's own state). */
export interface KvRecord {
  key: string;
  value: unknown;
}

/**
 * Pass/fail counts of one check (src/engine/uptime.ts: two records a check): `<check>@hours` and
 * `<check>@days` hold consecutive hours or UTC days, newest first; earlier versions kept one record
 * per hour or day, read and folded into the two.
 */
export type UptimeRecord = UptimeSeriesRecord | UptimeCountRecord;

export interface UptimeSeriesRecord {
  /** `<check id>@hours` or `<check id>@days` */
  id: string;
  checkId: string;
  /** The start of the newest hour (or UTC day) counted: index i counts the hour (day) i before it */
  hour: string;
  /** Passing runs per hour (day); entries past the end count 0 */
  ok: number[];
  /** Runs per hour (day), as many entries as `ok` */
  total: number[];
  /** 24 on the days record; absent on the hours record */
  hours?: number;
}

/** One hour's (or UTC day's) counts, as earlier versions kept them. */
export interface UptimeCountRecord {
  /** `<check id>@<hour as ISO time>`, or `<check id>@<YYYY-MM-DD>` for a day */
  id: string;
  checkId: string;
  /** The start of the hour, or of the day */
  hour: string;
  ok: number;
  total: number;
  /** 24 on a day's record; absent on an hour's */
  hours?: number;
}

export interface Records {
  alerts: Alert;
  outbox: OutboxMessage;
  standups: Standup;
  snapshots: CompletionSnapshot;
  kv: KvRecord;
  checks: CheckRecord;
  uptime: UptimeRecord;
  history: HistoryRecord;
}
export type CollectionName = keyof Records;

const isoTime = z.string();
const nullableTime = z.string().nullable();

const alert = z.looseObject({
  id: z.string().min(1),
  fingerprint: z.string(),
  checkId: z.string(),
  system: z.string(),
  type: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(ALERT_STATES),
  message: z.string(),
  count: z.number(),
  openedAt: isoTime,
  lastSeenAt: isoTime,
});

const outbox = z.looseObject({
  id: z.string().min(1),
  channel: z.string(),
  kind: z.string(),
  to: z.array(z.string()),
  state: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  nextAttemptAt: isoTime,
});

const standup = z.looseObject({
  id: z.string().min(1),
  system: z.string(),
  date: z.string(),
  author: z.string(),
  blockers: z.array(z.looseObject({ id: z.string(), text: z.string() })),
  at: isoTime,
});

const snapshot = z.looseObject({ at: isoTime });
const kv = z.looseObject({ key: z.string().min(1), value: z.unknown() });

const check = z.looseObject({
  id: z.string().min(1),
  last: z.looseObject({ id: z.string(), status: z.enum(CHECK_STATUSES), at: isoTime }).nullable(),
  failures: z.number(),
  successes: z.number(),
  status: z.enum(CHECK_STATUSES),
  since: nullableTime,
});

const counts = z.array(z.number().int().nonnegative());
const uptime = z
  .looseObject({ id: z.string().min(1), checkId: z.string(), hour: isoTime, ok: z.union([z.number(), counts]), total: z.union([z.number(), counts]), hours: z.number().optional() })
  .refine((r) => Array.isArray(r.ok) === Array.isArray(r.total) && (!Array.isArray(r.ok) || r.ok.length === (r.total as number[]).length), {
    message: 'ok and total must both be numbers, or lists of counts of the same length',
    path: ['total'],
  });

const history = z.looseObject({
  id: z.string().min(1),
  points: z.array(z.looseObject({ at: isoTime, status: z.enum(CHECK_STATUSES) })),
});

export interface CollectionSpec {
  section: SectionName;
  /** The field that keys a record. */
  key: string;
  schema: z.ZodType;
}

export const COLLECTIONS: Record<CollectionName, CollectionSpec> = {
  alerts: { section: 'core', key: 'id', schema: alert },
  outbox: { section: 'core', key: 'id', schema: outbox },
  standups: { section: 'core', key: 'id', schema: standup },
  snapshots: { section: 'core', key: 'at', schema: snapshot },
  kv: { section: 'core', key: 'key', schema: kv },
  checks: { section: 'results', key: 'id', schema: check },
  uptime: { section: 'results', key: 'id', schema: uptime },
  history: { section: 'history', key: 'id', schema: history },
};

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export function collectionsOf(section: SectionName): CollectionName[] {
  return COLLECTION_NAMES.filter((name) => COLLECTIONS[name].section === section);
}

export function keyOf<C extends CollectionName>(collection: C, record: Records[C]): string {
  return String((record as unknown as Record<string, unknown>)[COLLECTIONS[collection].key]);
}

/** `['state']` → `state`, `['blockers', 0, 'id']` → `blockers[0].id` */
export function fieldPath(parts: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

/** Why `value` is not a valid record of `collection` (`field state: …`), or null when it is. */
export function recordProblem(collection: CollectionName, value: unknown): string | null {
  const result = COLLECTIONS[collection].schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  return `field ${fieldPath(issue.path)}: ${issue.message}${more}`;
}
