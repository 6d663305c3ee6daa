// Secret values of a configuration (tokens, signing secrets, passwords inside URLs), so that
// messages, logs and stored text can be scrubbed of them.
import type { ImosConfig } from './types.js';
import { channelSecrets } from '../channels/registry.js';
import { envSecrets, secretHeaderValues, urlCredentials, urlsIn } from '../text/secrets.js';

const cache = new WeakMap<ImosConfig, string[]>();

export function configSecrets(config: ImosConfig): string[] {
  const known = cache.get(config);
  if (known) return known;
  const secrets = new Set<string>();
  // Each channel names its own (tokens, signing secrets, passwords inside its URLs).
  for (const value of channelSecrets(config)) secrets.add(value);
  // A check's credentials in every form they travel in (raw, URL-encoded, Base64 of user:password).
  // One pass over what may be 10,000 checks: the URLs in their options, and their headers.
  const urls: string[] = [];
  const headerSets: unknown[] = [];
  for (const check of config.checks) {
    urlsIn(check.options, urls);
    const headers = check.options.headers;
    if (headers && typeof headers === 'object' && !isEmptyObject(headers)) headerSets.push(headers);
  }
  for (const url of urls) for (const value of urlCredentials(url)) secrets.add(value);
  for (const value of envSecrets(process.env)) secrets.add(value);
  if (config.server?.auth?.token) secrets.add(config.server.auth.token);
  // A heartbeat's ping URL is its credential (anyone holding it can fake the pings): a secret whole.
  if (config.heartbeat) secrets.add(config.heartbeat);
  // An http check's credentials (Authorization, X-Api-Key…): a target may echo them back.
  for (const headers of headerSets) for (const value of secretHeaderValues(headers)) secrets.add(value);
  const list = [...secrets].filter((s) => s.length >= 4);
  cache.set(config, list);
  return list;
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}
