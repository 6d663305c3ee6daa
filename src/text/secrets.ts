// Which values are secrets: environment variables and headers with secret-looking names, passwords
// inside URLs, webhook URLs as a whole. Shared by the check kinds (checks/), the configuration and
// the notifications, so every place that shows text blanks out the same things. A leaf: it imports
// nothing of imos.

/** Names of environment variables whose values are secrets (redacted from messages). */
export const SECRET_NAME = /(token|secret|passw(or)?d|pass|pwd|api[_-]?key|(?:^|[_-])key(?:$|[_-])|auth|credential|private)/i;

/** Header names whose values are credentials (Authorization, X-Api-Key, Cookie…). */
export const SECRET_HEADER = new RegExp(`${SECRET_NAME.source}|cookie|session`, 'i');

/**
 * Names of environment variables whose URL values are secrets as a whole: a webhook's address is
 * its credential (`https://hooks.slack.com/services/T…/B…/SECRET`), as is a heartbeat's ping URL.
 */
export const SECRET_URL_NAME = /hook|heartbeat/i;

/** A URL that is a secret as a whole is shown by its scheme and host only. */
export function isWholeSecretUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value);
}

/**
 * Values of environment variables whose names look secret (SLACK_BOT_TOKEN, DB_PASSWORD, API_KEY…):
 * a command may print them, a URL or an argument may carry them. Not directories (PWD, *_SOCK)
 * nor flags and numbers, which would blank out ordinary text. A webhook's URL (WEBHOOK_URL,
 * SLACK_WEBHOOK…) is a secret as a whole, and so is whatever credential sits inside any URL.
 */
export function envSecrets(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      out.push(...urlCredentials(value));
      if (SECRET_URL_NAME.test(name) || SECRET_NAME.test(name)) out.push(value);
      continue;
    }
    if (!SECRET_NAME.test(name)) continue;
    if (/^(OLD)?PWD$|_SOCK$/i.test(name) || value.startsWith('/') || /^(true|false|yes|no|\d+)$/i.test(value)) continue;
    out.push(value);
  }
  return out;
}

/**
 * Every form a user name and password take when they travel: the password raw and URL-encoded,
 * `user:password`, and its Base64 as a Basic Authorization header carries it (standard and
 * URL-safe, with and without padding). A target that echoes its request gives any of them back.
 */
export function credentialForms(user: string, password: string): string[] {
  const out = new Set<string>();
  const pair = `${user}:${password}`;
  if (password) {
    out.add(password);
    out.add(encodeURIComponent(password));
  } else if (user.length >= 12) {
    // A token given as the user alone (`https://TOKEN@host/`); a short name alone is a name.
    out.add(user);
    out.add(encodeURIComponent(user));
  }
  if (password || user.length >= 12) {
    out.add(pair);
    const base64 = Buffer.from(pair).toString('base64');
    out.add(base64);
    out.add(base64.replace(/=+$/, ''));
    out.add(Buffer.from(pair).toString('base64url'));
  }
  return [...out].filter((s) => s.length >= 4);
}

/** The credential forms of a URL's user-info (`user:pass@`, `token@`) and its `?password=`. */
export function urlCredentials(url: string): string[] {
  // User-info needs an "@", and a `password` query parameter a "?" and the name (as written, or
  // percent-encoded): a URL without them has none, and is not parsed (10,000 checks' URLs are
  // read by every command that can notify).
  if (!url.includes('@') && (!url.includes('?') || (!url.includes('password') && !url.includes('%')))) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  if (parsed.username || parsed.password) {
    out.push(...credentialForms(safeDecode(parsed.username), safeDecode(parsed.password)));
    // As written in the URL (`p%21ss`), which need not be how encodeURIComponent writes it.
    if (parsed.password.length >= 4) out.push(parsed.password);
  }
  const fromQuery = parsed.searchParams.get('password');
  if (fromQuery) out.push(fromQuery);
  return out;
}

/**
 * The values of secret-looking headers, without their scheme (`Bearer abc` → `abc`), and what a
 * Basic value decodes to (`user:password`, the password): a target may echo any of them.
 */
export function secretHeaderValues(headers: unknown): string[] {
  if (!headers || typeof headers !== 'object') return [];
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value !== 'string' || !SECRET_HEADER.test(name)) continue;
    const bare = value.replace(/^(Bearer|Basic|Token)\s+/i, '');
    out.push(bare);
    if (/^Basic\s+/i.test(value)) {
      const decoded = Buffer.from(bare, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && /^[\x20-\x7e]+$/.test(decoded)) out.push(...credentialForms(decoded.slice(0, colon), decoded.slice(colon + 1)));
    }
  }
  return out;
}

/** The password of a URL (`user:pass@` or `?password=`), or null. */
export function urlPassword(url: string): string | null {
  try {
    const parsed = new URL(url);
    const fromQuery = parsed.searchParams.get('password');
    return parsed.password ? safeDecode(parsed.password) : fromQuery;
  } catch {
    return null;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Every string inside a value (nested arrays and mappings) that looks like a URL, added to `out`. */
export function urlsIn(value: unknown, out: string[] = []): string[] {
  // One list filled on the way down: the options of 10,000 checks are read at every start.
  if (typeof value === 'string') {
    if (URL_START.test(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) urlsIn(item, out);
  } else if (value && typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key)) urlsIn((value as Record<string, unknown>)[key], out);
  }
  return out;
}
