// Opening the store named by the config's `store:` or `--store`: a path is the embedded JSON
// store; a postgres:// or postgresql:// URL is the shared PostgreSQL store (loaded only then: the
// PostgreSQL driver costs start-up time a JSON store user should not pay).
import fs from 'node:fs/promises';
import path from 'node:path';
import { redactUrl } from '../text/redact.js';
import { JsonStore, type JsonStoreOptions } from './json-store.js';
import type { PgStoreOptions } from './pg-store.js';
import { StoreError, type Store } from './types.js';

export const DEFAULT_STORE_PATH = 'data/imos.json';

export function isPostgresUrl(pathOrUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(pathOrUrl.trim());
}

export interface OpenStoreOptions extends JsonStoreOptions {
  postgres?: PgStoreOptions;
}

export async function openStore(pathOrUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(pathOrUrl)) {
    const { PgStore } = await import('./pg-store.js');
    return PgStore.open(pathOrUrl.trim(), options.postgres);
  }
  const target = checkStoreTarget(pathOrUrl);
  const stat = await fs.stat(target).catch(() => null);
  if (stat?.isDirectory()) {
    // `data/imos.json/` (the store's file replaced by a directory) is not `data/` (a folder given for a file).
    const message = /\.json$/i.test(target)
      ? `the store file ${target} is a directory, not the store's file: move that directory away (imos creates the file), or point store: (or --store) at a file`
      : `the store path ${target} is a directory: expected a file such as ${path.join(target, 'imos.json')}`;
    throw new StoreError(message, target);
  }
  return new JsonStore(target, options);
}

/** The trimmed path of a JSON store; a URL (shown redacted) or nothing is refused with a StoreError. */
export function checkStoreTarget(pathOrUrl: string): string {
  const target = pathOrUrl.trim();
  if (target === '') throw new StoreError('no store path given (expected a file path such as data/imos.json)', target);
  if (isPostgresUrl(target)) {
    const shown = redactUrl(target);
    throw new StoreError(`${shown} is a PostgreSQL store: it has no store files (this works on a JSON store's files only)`, shown);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const shown = redactUrl(target);
    throw new StoreError(`unknown store URL ${shown}: expected a file path such as ${DEFAULT_STORE_PATH}`, shown);
  }
  return target;
}
