// What a connection URL points at, for messages (never with its password), and the secrets it
// carries, so that every message can be scrubbed of them.
import { redactSecrets, redactUrl } from '../../src/text/redact.js';

export interface PgTarget {
  /** `127.0.0.1:5432/app`, or `/run/postgresql (socket)/app`: no user, no password. */
  where: string;
  user: string | null;
  database: string | null;
  host: string | null;
  /** Password(s) found in the URL, raw and decoded, to scrub from any text. */
  secrets: string[];
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

export function describeTarget(url: string): PgTarget {
  const secrets: string[] = [];
  try {
    const u = parseUrl(url);
    if (u.password) secrets.push(u.password, safeDecode(u.password));
    const queryPassword = u.searchParams.get('password');
    if (queryPassword) secrets.push(queryPassword, encodeURIComponent(queryPassword));
    const socketHost = u.searchParams.get('host');
    const hostname = u.hostname === DUMMY_HOST ? '' : safeDecode(u.hostname);
    const host = socketHost || hostname || null;
    const port = u.port || u.searchParams.get('port') || '5432';
    const database = safeDecode(u.pathname.replace(/^\//, '')) || null;
    const user = safeDecode(u.username) || u.searchParams.get('user') || null;
    const place = host === null ? 'default socket' : host.startsWith('/') ? `${host} (socket)` : `${host}:${port}`;
    return { where: `${place}/${database ?? ''}`, user, database, host, secrets: unique(secrets) };
  } catch {
    // Not a parseable URL: say so without echoing it, and still know its password to scrub it.
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^@]*)@/i.exec(url)?.[1];
    if (password) secrets.push(password, safeDecode(password));
    return { where: 'the configured url', user: null, database: null, host: null, secrets: unique(secrets) };
  }
}

/** The database server a URL points at (`postgres 127.0.0.1:5432`), a check's target. */
export function pgServer(url: string | undefined): string {
  if (!url) return 'postgres (no url)';
  const where = describeTarget(url).where;
  return `postgres ${where.slice(0, where.lastIndexOf('/'))}`;
}

/**
 * Prisma's `?schema=NAME` (a DATABASE_URL shared with Prisma usually carries it): the schema
 * Prisma keeps its tables and _prisma_migrations in. pg ignores the parameter; sessions put it
 * first on the search_path instead. null when absent or unparseable.
 */
export function urlSchema(url: string): string | null {
  try {
    const schema = parseUrl(url).searchParams.get('schema');
    return schema && schema.trim() !== '' ? schema : null;
  } catch {
    return null;
  }
}

/** Scrub a text meant for people: URLs redacted, the URL's password(s) removed. */
export function scrub(text: string, target: PgTarget | PgTarget[]): string {
  const secrets = (Array.isArray(target) ? target : [target]).flatMap((t) => t.secrets);
  return redactSecrets(text, secrets);
}

export { redactUrl };

const DUMMY_HOST = 'imos-no-host.invalid';

/** WHATWG URL refuses `postgresql://user@/db?host=/socket` (user info, empty host); pg accepts it. */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch (error) {
    const patched = url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#]|$)/i, `$1${DUMMY_HOST}`);
    if (patched === url) throw error;
    return new URL(patched);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
