// Ways to open a fresh store of each kind for the contract tests. `open()` may be called several
// times in one test: every store it returns works on the same data (as processes sharing a store do).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type TestPostgres } from '../../pg-cluster/cluster.js';
import { JsonStore } from '../json-store.js';
import { MemoryStore } from '../memory-store.js';
import { PgStore, type PgStoreOptions } from '../pg-store.js';
import type { Store } from '../types.js';
import { HANG_MS } from '../../../test/helpers/bounds.js';

export interface StoreFactory {
  name: string;
  open(): Promise<Store>;
  /** After each test: the next test starts from an empty store. */
  cleanup?(): Promise<void>;
  /** After the last test of the file (a database server to stop). */
  dispose?(): Promise<void>;
}

function jsonFactory(): StoreFactory {
  let dir: string | null = null;
  return {
    name: 'json',
    async open() {
      dir ??= await fs.mkdtemp(path.join(os.tmpdir(), 'imos-store-'));
      return new JsonStore(path.join(dir, 'imos.json'), { watch: { pollMs: 50, debounceMs: 5 } });
    },
    async cleanup() {
      if (dir) await fs.rm(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}

function memoryFactory(): StoreFactory {
  let shared: MemoryStore | null = null;
  return {
    name: 'memory',
    async open() {
      shared ??= new MemoryStore();
      const store = shared;
      // Every "process" shares the one store; closing one of them leaves it to the others.
      return Object.assign(Object.create(store) as MemoryStore, { close: async () => {} });
    },
    async cleanup() {
      await shared?.close();
      shared = null;
    },
  };
}

/**
 * Fast reconnects and short debounces: tests wait for what a person would not notice. A ping or a
 * connection may take HANG_MS, though: on a loaded machine one that took 2 s counted as the server
 * gone (a console showed STORE DISCONNECTED, a store's health flipped) while it was there.
 */
export const PG_TEST_OPTIONS: PgStoreOptions = {
  listener: { reconnectMs: 20, reconnectMaxMs: 200, pingMs: 1000, pingTimeoutMs: HANG_MS },
  pool: { connectTimeoutMs: HANG_MS },
  watchDebounceMs: 2,
};

let schemaCounter = 0;

/** A fresh schema name on a cluster shared by the tests of one file. */
export function freshSchema(): string {
  return `t${process.pid}_${++schemaCounter}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * PostgreSQL: one throwaway cluster per test file (started on first use), a fresh schema per test.
 * The lease is decided on the acquire's nowMs here, so the contract's clock-driven lease cases run
 * as they do on the other stores; the database clock is tested in pg-store.test.ts.
 */
function postgresFactory(): StoreFactory {
  let cluster: Promise<TestPostgres> | null = null;
  let schema: string | null = null;
  return {
    name: 'postgres',
    async open() {
      cluster ??= startPostgres();
      const db = await cluster;
      schema ??= freshSchema();
      return PgStore.open(`${db.url}?schema=${schema}`, { ...PG_TEST_OPTIONS, leaseClock: 'caller' });
    },
    async cleanup() {
      if (cluster && schema) await (await cluster).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      schema = null;
    },
    async dispose() {
      const started = cluster;
      cluster = null;
      if (started) await (await started).stop();
    },
  };
}

export function storeFactories(): StoreFactory[] {
  return [memoryFactory(), jsonFactory(), postgresFactory()];
}
