// Secret values from the configuration (tokens, signing secrets, passwords inside URLs), so that
// messages, logs and stored text can be scrubbed of them.
import type { ImosConfig } from '../config/types.js';

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
