// Which values are secrets: environment variables and headers with secret-looking names, passwords
// inside URLs. Shared by the check kinds (checks/), the configuration and the notifications, so
// every place that shows text blanks out the same things. A leaf: it imports nothing of imos.

/** Names of environment variables whose values are secrets (redacted from messages). */
export const SECRET_NAME = /(token|secret|passw(or)?d|pass|pwd|api[_-]?key|(?:^|[_-])key(?:$|[_-])|auth|credential|private)/i;

/** Header names whose values are credentials (Authorization, X-Api-Key, Cookie…). */
export const SECRET_HEADER = new RegExp(`${SECRET_NAME.source}|cookie|session`, 'i');

/**
 * Values of environment variables whose names look secret (SLACK_BOT_TOKEN, DB_PASSWORD, API_KEY…):
 * a command may print them, a URL or an argument may carry them. Not directories (PWD, *_SOCK)
 * nor flags and numbers, which would blank out ordinary text.
 */
export function envSecrets(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6 || !SECRET_NAME.test(name)) continue;
    if (/^(OLD)?PWD$|_SOCK$/i.test(name) || value.startsWith('/') || /^(true|false|yes|no|\d+)$/i.test(value)) continue;
    out.push(value);
  }
  return out;
}

/** The values of secret-looking headers, without their scheme (`Bearer abc` → `abc`): a target may echo them. */
export function secretHeaderValues(headers: unknown): string[] {
  if (!headers || typeof headers !== 'object') return [];
  return Object.entries(headers as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && SECRET_HEADER.test(entry[0]))
    .map(([, value]) => value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
}

/** The password of a URL (`user:pass@` or `?password=`), or null. */
export function urlPassword(url: string): string | null {
  try {
    const parsed = new URL(url);
    const fromQuery = parsed.searchParams.get('password');
    return parsed.password ? decodeURIComponent(parsed.password) : fromQuery;
  } catch {
    return null;
  }
}

/** Every string inside a value (nested arrays and mappings) that looks like a URL. */
export function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}
