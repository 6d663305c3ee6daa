// Database failures in words a person can act on. Connection failures (the database cannot be
// reached: refused, DNS, timeout, authentication, unknown database) are the kind's own verdict:
// CRITICAL, alert type SYSTEM_CONNECTION_FAILURE. Failures of a query are `error` (the check
// could not run). Server text is kept short and sanitised; it never carries the URL's password.
import { sanitizeLine } from '../../src/text/sanitize.js';
import { formatDuration } from '../../src/text/durations.js';
import type { PgTarget } from './target.js';

export const CONNECTION_ALERT = 'SYSTEM_CONNECTION_FAILURE';

export type PgFailureKind =
  | 'auth'
  | 'unknown-database'
  | 'refused'
  | 'dns'
  | 'connect-timeout'
  | 'unreachable'
  | 'connection-lost'
  | 'too-many-connections'
  | 'starting'
  | 'tls'
  | 'connect'
  | 'query-timeout'
  | 'read-only'
  | 'query';

export interface PgFailure {
  kind: PgFailureKind;
  /** The database could not be reached (as opposed to a query that failed on a live connection). */
  connection: boolean;
  /** One line, sanitised, without secrets. */
  message: string;
  /** SQLSTATE or Node error code, when there was one. */
  code?: string;
}

const CONNECTION_KINDS = new Set<PgFailureKind>([
  'auth',
  'unknown-database',
  'refused',
  'dns',
  'connect-timeout',
  'unreachable',
  'connection-lost',
  'too-many-connections',
  'starting',
  'tls',
  'connect',
]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** The innermost useful error: pg wraps connection timeouts, Node wraps happy-eyeballs attempts. */
function unwrap(error: unknown): ErrorLike {
  let e = (error ?? {}) as ErrorLike;
  for (let depth = 0; depth < 4; depth++) {
    if (typeof e.code === 'string') return e;
    if (Array.isArray(e.errors) && e.errors.length > 0) e = e.errors[0] as ErrorLike;
    else if (e.cause && typeof e.cause === 'object') e = e.cause as ErrorLike;
    else break;
  }
  return e;
}

export function classifyPgError(
  error: unknown,
  context: { phase: 'connect' | 'query'; target: PgTarget; timeoutMs: number },
): PgFailure {
  const outer = (error ?? {}) as ErrorLike;
  const inner = unwrap(error);
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const outerText = typeof outer.message === 'string' ? outer.message : String(error);
  const text = typeof inner.message === 'string' && inner.message ? inner.message : outerText;
  const serverText = sanitizeLine(text, 160);
  const { target } = context;
  const user = target.user ? `"${target.user}"` : '(default user)';
  const seconds = formatDuration(context.timeoutMs, 'seconds');
  const make = (kind: PgFailureKind, reason: string): PgFailure => {
    const connection = CONNECTION_KINDS.has(kind);
    const message = connection ? `cannot connect to ${target.where}: ${reason}` : reason;
    return { kind, connection, message: sanitizeLine(message, 300), ...(code ? { code } : {}) };
  };

  switch (code) {
    case '28P01':
      return make('auth', `authentication failed for user ${user} (wrong password)`);
    case '28000':
      return make('auth', `authentication rejected: ${serverText}`);
    case '3D000':
      return make('unknown-database', `database "${target.database ?? '?'}" does not exist`);
    case '53300':
      return make('too-many-connections', 'too many connections (the server refused a new one)');
    case '57P03':
      return make('starting', 'the server is starting up or shutting down');
    case '57P01':
    case '57P02':
    case '57P04':
      return make('connection-lost', `the server closed the connection (${serverText})`);
    case '57014':
      return make('query-timeout', `query timed out after ${seconds} (statement_timeout)`);
    case '25006':
      return make('read-only', `the query tried to write; database checks are read-only (${serverText})`);
    case 'ECONNREFUSED':
      return make('refused', 'connection refused (is the server running and listening there?)');
    case 'ENOENT':
      return make('refused', 'no server socket there (is the server running?)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return make('dns', `host "${target.host ?? '?'}" not found (DNS lookup failed)`);
    case 'ETIMEDOUT':
      return make('connect-timeout', `connection timed out after ${seconds}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return make('unreachable', `host unreachable (${code})`);
    case 'ECONNRESET':
    case 'EPIPE':
      return make('connection-lost', `connection lost (${code})`);
  }
  if (code && /^08/.test(code)) return make('connection-lost', `connection failure: ${serverText}`);
  if (code && /^28/.test(code)) return make('auth', `authentication rejected: ${serverText}`);

  const all = `${outerText} ${text}`;
  if (/timeout|timed out/i.test(all) && context.phase === 'connect') {
    return make('connect-timeout', `connection timed out after ${seconds}`);
  }
  if (/SASL|SCRAM|password must be a string|password authentication|no password/i.test(all)) {
    return make('auth', `authentication failed for user ${user} (the server wants a password)`);
  }
  if (/\bSSL\b|\bTLS\b|certificate/i.test(all)) return make('tls', `TLS: ${serverText}`);
  if (/Connection terminated|Client has encountered a connection error|not queryable|socket hang up/i.test(all)) {
    return make('connection-lost', 'connection lost (the server went away)');
  }
  if (context.phase === 'connect') return make('connect', serverText || 'connection failed');
  return make('query', `query failed: ${serverText || 'unknown error'}`);
}

export function timeoutFailure(phase: 'connect' | 'query', target: PgTarget, timeoutMs: number): PgFailure {
  const seconds = formatDuration(timeoutMs, 'seconds');
  return phase === 'connect'
    ? { kind: 'connect-timeout', connection: true, message: `cannot connect to ${target.where}: connection timed out after ${seconds}` }
    : { kind: 'query-timeout', connection: false, message: `query timed out after ${seconds}` };
}

