// Opening the store named by the config's `store:` or `--store`: a path is the embedded JSON
// store; a PostgreSQL URL is reserved for the shared implementation the interface leaves room for.
import fs from 'node:fs/promises';
import { redactUrl } from '../text/redact.js';
import { JsonStore, type JsonStoreOptions } from './json-store.js';
import { StoreError, type Store } from './types.js';

export const DEFAULT_STORE_PATH = 'data/imos.json';

export function isPostgresUrl(pathOrUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(pathOrUrl.trim());
}

export async function openStore(pathOrUrl: string, options: JsonStoreOptions = {}): Promise<Store> {
  const target = checkStoreTarget(pathOrUrl);
  const stat = await fs.stat(target).catch(() => null);
  if (stat?.isDirectory()) {
    throw new StoreError(`the store path ${target} is a directory: expected a file such as ${target}/imos.json`, target);
  }
  return new JsonStore(target, options);
}

/** The trimmed path of a JSON store; a URL (shown redacted) or nothing is refused with a StoreError. */
export function checkStoreTarget(pathOrUrl: string): string {
  const target = pathOrUrl.trim();
  if (target === '') throw new StoreError('no store path given (expected a file path such as data/imos.json)', target);
  if (isPostgresUrl(target)) {
    const shown = redactUrl(target);
    throw new StoreError(
      `PostgreSQL stores are not supported yet (${shown}); use a JSON file path such as ${DEFAULT_STORE_PATH}`,
      shown,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const shown = redactUrl(target);
    throw new StoreError(`unknown store URL ${shown}: expected a file path such as ${DEFAULT_STORE_PATH}`, shown);
  }
  return target;
}
