// Secrets (passwords in connection strings, tokens, webhook URLs, credentials a target echoes
// back) are shown redacted everywhere: the one redactor every message, result, log line and API
// answer goes through.
import { isWholeSecretUrl } from './secrets.js';

/**
 * `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`; `https://TOKEN@host/` →
 * `https://***@host/`; also ?password=…, ?api_key=…, ?token=…, ?sig=… (a signed URL's signature)
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/i, '$1:***@')
    .replace(/^((?:https?|wss?):\/\/)[^:/?#@\s]+@/i, '$1***@')
    .replace(/([?&](?:[^=&#\s]*(?:password|pass|pwd|token|secret|key|auth|signature)[^=&#\s]*|sig)=)[^&#\s]*/gi, '$1***');
}

/** A URL that is a secret as a whole (a webhook's address), as shown: its scheme and host only. */
export function redactWholeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '***';
  }
}

// Credentials a target echoes back (an echo service, a debug page, an error quoting the request):
// the values of these fields are blanked whoever's they are.
const CREDENTIAL_FIELD = '(?:proxy-)?authorization|(?:set-)?cookie|x-api-key|api-key|x-auth-token';
/** `"authorization": "Basic …"`, `authorization='…'`, `{ cookie: "…" }` (JSON, inspect output, forms). */
const QUOTED_CREDENTIAL = new RegExp(`(["']?)(${CREDENTIAL_FIELD})\\1(\\s*[:=]\\s*)(["'])(?:\\\\.|(?!\\4)[^\\\\\\r\\n])*\\4`, 'gi');
/** A header line: `Authorization: Basic …` up to the end of the line. */
const CREDENTIAL_LINE = new RegExp(`^([ \\t]*(?:${CREDENTIAL_FIELD})[ \\t]*:[ \\t]*)[^\\s"'][^\\r\\n]*`, 'gim');
/** Inside one line (headers collapsed into a message): `Authorization: Bearer abc…`. */
const CREDENTIAL_INLINE = /\b((?:proxy-)?authorization\s*[:=]\s*)(?:basic|bearer|digest|token|negotiate|ntlm|apikey|aws4-hmac-sha256)\s+[^\s,;"']+/gi;
/** Inside one line: `Cookie: a=b; c=d`, `Set-Cookie: sid=…` (its name=value pairs). */
const COOKIE_INLINE = /\b((?:set-)?cookie\s*[:=]\s*)[^\s;,=]+=[^\s;,]*(?:;\s*[^\s;,=]+=[^\s;,]*)*/gi;
/** Object keys whose string values are credentials (an echoed request's headers, parsed). */
const CREDENTIAL_KEY = new RegExp(`^(?:${CREDENTIAL_FIELD})$`, 'i');

/** Blank the values of credential fields (Authorization, Proxy-Authorization, Cookie…) in a text. */
export function redactCredentialFields(text: string): string {
  if (!/authorization|cookie|api-key|auth-token/i.test(text)) return text;
  return text
    .replace(QUOTED_CREDENTIAL, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}***${vq}`)
    .replace(CREDENTIAL_LINE, '$1***')
    .replace(CREDENTIAL_INLINE, '$1***')
    .replace(COOKIE_INLINE, '$1***');
}

interface Replacement {
  find: string;
  shown: string;
}

// Plans are kept per list of secrets (a configuration's list is built once), redone if it grew.
const plans = new WeakMap<object, { size: number; list: Replacement[] }>();

/**
 * What each secret is replaced by: `***`, or for a URL that is a secret as a whole, its scheme
 * and host (the path, where a webhook keeps its secret, blanked wherever it appears alone too).
 * Longest first, so no part of a longer secret is left behind by a shorter one inside it.
 */
function replacementsFor(secrets: Iterable<string>): Replacement[] {
  const cacheable = Array.isArray(secrets);
  const known = cacheable ? plans.get(secrets) : undefined;
  if (known && known.size === (secrets as string[]).length) return known.list;
  const out = new Map<string, string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    if (isWholeSecretUrl(secret)) {
      const parsed = new URL(secret);
      const shown = redactWholeUrl(secret);
      out.set(secret, shown);
      out.set(parsed.href, shown);
      const tail = parsed.href.slice(parsed.origin.length);
      // The path alone (a message quoting only the request line) when it is distinctive enough.
      if (tail.length >= 8) {
        out.set(tail, '/***');
        const decoded = safeDecode(tail);
        if (decoded !== tail && decoded.length >= 8) out.set(decoded, '/***');
      }
    } else if (!out.has(secret)) {
      out.set(secret, '***');
    }
  }
  const list = [...out].map(([find, shown]) => ({ find, shown })).sort((a, b) => b.find.length - a.find.length);
  if (cacheable) plans.set(secrets, { size: (secrets as string[]).length, list });
  return list;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Redact every known secret value inside a free text (a webhook URL shown by scheme and host),
 * credential fields a target echoed back, and every URL's user-info and secret query parameters.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const { find, shown } of replacementsFor(secrets)) {
    if (out.includes(find)) out = out.split(find).join(shown);
  }
  out = redactCredentialFields(out);
  // A URL starts where no scheme character comes before it, and a scheme is short: without both, a
  // long run of letters (a flooding command's output) costs time quadratic in its length.
  return out.replace(/(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"]+/gi, (u) => redactUrl(u));
}

/** redactSecrets over every string of a value (keys kept), credential-named fields blanked whole. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  return redactValue(value, secrets, 0) as T;
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets as string[]);
  if (value === null || typeof value !== 'object' || depth > 100) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = CREDENTIAL_KEY.test(key) && (typeof item === 'string' || Array.isArray(item)) ? '***' : redactValue(item, secrets, depth + 1);
  }
  return out;
}
