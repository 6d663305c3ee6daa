// Bringing a database's store schema up to the version this imos knows, on open. node-pg-migrate
// runs the pending migrations in one transaction under an advisory lock (one per schema), so two
// processes starting together apply them once: the second waits, then finds nothing to do. A
// database that records a migration this imos does not know was set up by a newer imos and is
// refused, never changed. An up-to-date schema costs one query and never loads the migration tool.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { StoreError } from '../types.js';
import { PG_MIGRATIONS, type PgMigration } from './migrations.js';
import { qualified, storeFailure, type StoreTarget } from './target.js';

export const MIGRATIONS_TABLE = 'imos_migrations';

/** Names of the migrations the database has applied, oldest first (none when it has no store yet). */
export async function appliedMigrations(client: pg.ClientBase, target: StoreTarget): Promise<string[]> {
  try {
    const result = await client.query<{ name: string }>(`SELECT name FROM ${qualified(target, MIGRATIONS_TABLE)} ORDER BY run_on, id`);
    return result.rows.map((row) => row.name);
  } catch (error) {
    // 42P01: no such table; 3F000: no such schema. Either way: nothing applied yet.
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return [];
    throw error;
  }
}

/** Refuses a database whose schema a newer imos has moved past what this one knows. */
export function checkNotNewer(applied: string[], target: StoreTarget, known: readonly PgMigration[] = PG_MIGRATIONS): void {
  const names = new Set(known.map((m) => m.name));
  const unknown = applied.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new StoreError(
      `the store ${target.location} (schema ${target.schema}) was set up by a newer imos: its schema has migration ${unknown.join(', ')}, unknown to this version; upgrade imos here (nothing was changed)`,
      target.location,
    );
  }
}

/** One advisory lock per store schema: stores in other schemas of the database migrate independently. */
export function migrationLockId(schema: string): number {
  // 48 bits: a safe integer, well inside bigint; prefixed so no other application's lock collides.
  return parseInt(createHash('sha256').update(`imos-store-schema:${schema}`).digest('hex').slice(0, 12), 16);
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Applies what is pending. `connect` gives a fresh client for the migration run (it holds the
 * advisory lock for the run and is closed afterwards).
 */
export async function migrateStore(
  probe: pg.ClientBase,
  connect: () => Promise<pg.Client>,
  target: StoreTarget,
  known: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<void> {
  let applied: string[];
  try {
    applied = await appliedMigrations(probe, target);
  } catch (error) {
    throw storeFailure(`cannot open the store ${target.location}`, error, target);
  }
  checkNotNewer(applied, target, known);
  if (known.every((m) => applied.includes(m.name))) return;

  const { runner } = await import('node-pg-migrate');
  // node-pg-migrate reads migrations from a directory; ours are part of the program (the CLI is one
  // bundle), so they are written to a private temporary one for the run.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-pg-migrations-'));
  let client: pg.Client | null = null;
  try {
    for (const migration of known) await fs.writeFile(path.join(dir, `${migration.name}.sql`), migration.sql.trim() + '\n');
    client = await connect();
    await runner({
      dbClient: client,
      dir,
      direction: 'up',
      schema: target.schema,
      createSchema: true,
      migrationsSchema: target.schema,
      migrationsTable: MIGRATIONS_TABLE,
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: 'wait',
      lockValue: migrationLockId(target.schema),
      logger: SILENT,
      verbose: false,
    });
    // A newer imos may have migrated while this one waited for the lock.
    checkNotNewer(await appliedMigrations(client, target), target, known);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw storeFailure(`cannot set up the store schema in ${target.location}`, (error as { cause?: unknown }).cause ?? error, target);
  } finally {
    await client?.end().catch(() => {});
    await fs.rm(dir, { recursive: true, force: true });
  }
}
