// What a section file must look like before imos trusts it. The schemas check what the engine
// relies on (ids, states, counters) and keep every other field as it is (loose objects: a field
// added by a newer module is never stripped on rewrite).
import { z } from 'zod';
import { ALERT_STATES, CHECK_STATUSES, SEVERITIES } from '../model.js';
import { STORE_VERSION, StoreError, type SectionName, type Sections } from './types.js';

const isoTime = z.string();
const nullableTime = z.string().nullable();

const checkState = z.looseObject({
  last: z.looseObject({ id: z.string(), status: z.enum(CHECK_STATUSES), at: isoTime }).nullable(),
  history: z.array(z.looseObject({ at: isoTime, status: z.enum(CHECK_STATUSES) })),
  failures: z.number(),
  successes: z.number(),
  status: z.enum(CHECK_STATUSES),
  since: nullableTime,
});

const alert = z.looseObject({
  id: z.string(),
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

const outboxMessage = z.looseObject({
  id: z.string(),
  channel: z.string(),
  kind: z.string(),
  to: z.array(z.string()),
  state: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  nextAttemptAt: isoTime,
});

const standup = z.looseObject({
  id: z.string(),
  system: z.string(),
  date: z.string(),
  author: z.string(),
  blockers: z.array(z.looseObject({ id: z.string(), text: z.string() })),
  at: isoTime,
});

const snapshot = z.looseObject({ at: isoTime });

const leaseHolder = z.looseObject({
  pid: z.number().int(),
  host: z.string(),
  user: z.string(),
  since: isoTime,
  renewedAt: isoTime,
  token: z.string(),
  role: z.string(),
});

export const SECTION_SCHEMAS = {
  core: z.looseObject({
    version: z.number(),
    nextAlertNumber: z.number().int(),
    alerts: z.array(alert),
    outbox: z.array(outboxMessage),
    standups: z.array(standup),
    snapshots: z.array(snapshot),
    control: z.looseObject({
      paused: z.boolean(),
      pausedBy: z.string().nullable(),
      runNowRequestedAt: nullableTime,
    }),
    extra: z.record(z.string(), z.unknown()),
  }),
  results: z.looseObject({
    version: z.number(),
    checks: z.record(z.string(), checkState),
    lastPollAt: nullableTime,
  }),
  lease: z.looseObject({
    version: z.number(),
    holder: leaseHolder.nullable(),
  }),
} satisfies Record<SectionName, z.ZodType>;

/** `['alerts', 3, 'state']` → `alerts[3].state` */
export function fieldPath(parts: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

/** Parses and validates one section file's text; every failure names the file (and field). */
export function parseSection<S extends SectionName>(section: S, text: string, file: string): Sections[S] {
  if (text.trim() === '') {
    throw new StoreError(`${file} is empty: expected the imos ${section} data (the file was left untouched)`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoreError(
      `${file} is not valid JSON (${(error as Error).message}); the file was left untouched`,
      file,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StoreError(`${file} does not hold an imos ${section} object; the file was left untouched`, file);
  }
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== 'number') {
    throw new StoreError(`${file} has no format version (field "version"); the file was left untouched`, file);
  }
  if (version > STORE_VERSION) {
    throw new StoreError(
      `${file} was written by a newer imos (format version ${version}; this imos reads version ${STORE_VERSION}); ` +
        'upgrade imos to use it. The file was left untouched',
      file,
    );
  }
  if (version !== STORE_VERSION) {
    throw new StoreError(
      `${file} has format version ${version}, which this imos cannot read (it reads version ${STORE_VERSION}); ` +
        'the file was left untouched',
      file,
    );
  }
  const problem = sectionProblem(section, raw);
  if (problem) throw new StoreError(`${file}: ${problem}; the file was left untouched`, file);
  // Validated; the original object (not zod's copy) keeps every field exactly as stored.
  return raw as Sections[S];
}

/** Why `value` is not a valid section (`field alerts[2].state: …`), or null when it is. */
export function sectionProblem(section: SectionName, value: unknown): string | null {
  const result = SECTION_SCHEMAS[section].safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  return `field ${fieldPath(issue.path)}: ${issue.message}${more}`;
}
