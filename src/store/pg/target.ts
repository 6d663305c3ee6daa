// Where a PostgreSQL store lives, as the configuration names it (`store: postgres://…`), and how
// its failures are told: always with the URL redacted and the password scrubbed from any text the
// server or the driver produced. The URL parsing is the database checks' (checks/pg/target.ts).
import { classifyPgError } from '../../../checks/pg/errors.js';
import { describeTarget, scrub, urlSchema, type PgTarget } from '../../../checks/pg/target.js';
import { redactUrl } from '../../text/redact.js';
import { StoreError } from '../types.js';

export interface StoreTarget {
  /** The URL as given, password included: handed to the driver and nothing else. */
  url: string;
  /** The URL with its password redacted: what every message shows. */
  location: string;
  /** The schema the store's tables live in: `?schema=` (as Prisma URLs carry it), or public. */
  schema: string;
  describe: PgTarget;
}

/** Plain names only: they are quoted everywhere, and the migration tool does not escape quotes. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function storeTarget(url: string): StoreTarget {
  const trimmed = url.trim();
  const location = redactUrl(trimmed);
  const schema = urlSchema(trimmed) ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(`the store URL ${location} names the schema "${scrub(schema, describeTarget(trimmed))}": expected letters, digits and _ only`, location);
  }
  return { url: trimmed, location, schema, describe: describeTarget(trimmed) };
}

/** "schema"."name", for SQL text (schema names are checked above, but quoted all the same). */
export function qualified(target: StoreTarget, name: string): string {
  return `"${target.schema.replace(/"/g, '""')}".${name}`;
}

/** The driver's query timeout: the statement went out and no answer came back in time. */
export function isUnanswered(error: unknown): boolean {
  return !(error instanceof StoreError) && error instanceof Error && /^Query read timeout$/i.test(error.message);
}

/** Whether a failure means the database could not be reached (rather than a refused statement). */
export function isConnectionFailure(error: unknown, target: StoreTarget): boolean {
  if (error instanceof StoreError) return false;
  if (isUnanswered(error)) return true; // a database that does not answer is as good as unreachable
  return classifyPgError(error, { phase: 'query', target: target.describe, timeoutMs: 0 }).connection;
}

/**
 * Whether a statement may have taken effect though it failed: it went out and then the answer
 * did not come (no answer in time, the connection lost). A statement the server refused (an SQL
 * error), or one that never left (no connection), did not.
 */
export function outcomeUnknown(error: unknown, target: StoreTarget): boolean {
  if (error instanceof StoreError) return false;
  if (isUnanswered(error)) return true;
  return classifyPgError(error, { phase: 'query', target: target.describe, timeoutMs: 0 }).kind === 'connection-lost';
}

/** One line saying why, for a person: connection failures in words, never the password. */
export function describeFailure(error: unknown, target: StoreTarget, timeoutMs = 0): string {
  if (error instanceof StoreError) return error.message;
  if (isUnanswered(error)) return `no answer from ${target.describe.where} within the store's query timeout (the database is slow or unreachable)`;
  const failure = classifyPgError(error, { phase: 'query', target: target.describe, timeoutMs });
  return scrub(failure.message, target.describe);
}

/** A StoreError naming the store (redacted) for `error`, prefixed with what was being done. */
export function storeFailure(what: string, error: unknown, target: StoreTarget): StoreError {
  if (error instanceof StoreError) return error;
  const why = describeFailure(error, target);
  const reach = isConnectionFailure(error, target) ? '' : ` (store ${target.location})`;
  return new StoreError(`${what}: ${why}${reach}`, target.location);
}
