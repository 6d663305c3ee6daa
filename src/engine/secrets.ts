// Secret values from the configuration (tokens, signing secrets, passwords inside URLs), so that
// messages, logs and stored text can be scrubbed of them.
import type { ImosConfig } from '../config/types.js';
import { SECRET_NAME } from '../../checks/shared/format.js';

const cache = new WeakMap<ImosConfig, string[]>();

export function configSecrets(config: ImosConfig): string[] {
  const known = cache.get(config);
  if (known) return known;
  const secrets = new Set<string>();
  const { slack, email, webhook } = config.channels;
  for (const value of [slack?.token, slack?.signing_secret, webhook?.secret]) if (value) secrets.add(value);
  for (const url of [email?.smtp, webhook?.url, ...config.checks.flatMap((c) => urlsIn(c.options))]) {
    const password = url ? passwordOf(url) : null;
    if (password) secrets.add(password);
  }
  for (const value of envSecrets(process.env)) secrets.add(value);
  // An http check's credentials (Authorization, X-Api-Key…): a target may echo them back.
  for (const check of config.checks) for (const value of secretHeaderValues(check.options)) secrets.add(value);
  const list = [...secrets].filter((s) => s.length >= 4);
  cache.set(config, list);
  return list;
}

function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

function passwordOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    const fromQuery = parsed.searchParams.get('password');
    return parsed.password ? decodeURIComponent(parsed.password) : fromQuery;
  } catch {
    return null;
  }
}

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

const SECRET_HEADER = new RegExp(`${SECRET_NAME.source}|cookie|session`, 'i');

function secretHeaderValues(options: Record<string, unknown>): string[] {
  const headers = options.headers;
  if (!headers || typeof headers !== 'object') return [];
  return Object.entries(headers as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && SECRET_HEADER.test(entry[0]))
    .map(([, value]) => value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
}
