// Secret values of a configuration (tokens, signing secrets, passwords inside URLs), so that
// messages, logs and stored text can be scrubbed of them.
import type { ImosConfig } from './types.js';
import { envSecrets, secretHeaderValues, urlPassword, urlsIn } from '../text/secrets.js';

const cache = new WeakMap<ImosConfig, string[]>();

export function configSecrets(config: ImosConfig): string[] {
  const known = cache.get(config);
  if (known) return known;
  const secrets = new Set<string>();
  const { slack, email, webhook } = config.channels;
  for (const value of [slack?.token, slack?.signing_secret, webhook?.secret]) if (value) secrets.add(value);
  for (const url of [email?.smtp, webhook?.url, ...config.checks.flatMap((c) => urlsIn(c.options))]) {
    const password = url ? urlPassword(url) : null;
    if (password) secrets.add(password);
  }
  for (const value of envSecrets(process.env)) secrets.add(value);
  // An http check's credentials (Authorization, X-Api-Key…): a target may echo them back.
  for (const check of config.checks) for (const value of secretHeaderValues(check.options.headers)) secrets.add(value);
  const list = [...secrets].filter((s) => s.length >= 4);
  cache.set(config, list);
  return list;
}
