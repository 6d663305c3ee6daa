// The demo's unified database on a throwaway PostgreSQL: the first two of the example's three
// Prisma migrations applied for real (11 of the matrix's 13 tables, sync_state, outbox) and
// recorded in _prisma_migrations; the third stays pending. imos's checks connect as a separate
// role with a password (so what they show is redacted, as it would be for a real database).
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { PgCluster } from '../pg-cluster/cluster.js';

export const DEMO_DATABASE = 'hotel';
export const APPLIED_MIGRATIONS = 2;

export interface DemoDatabase {
  /** What the checks use: the read-only role `imos` with its password. */
  checksUrl: string;
  /** What the sync-recovery script uses: the role `sync_recovery`, which may update sync_state only. */
  syncRecoveryUrl: string;
  /** Mark the PMS sync as having run now. */
  touchSync(): Promise<void>;
  /** The order service produces `count` events. */
  produceEvents(count: number): Promise<void>;
  /** The consumer processes every waiting event; returns how many. */
  consumeEvents(): Promise<number>;
  close(): Promise<void>;
}

const PRISMA_TABLE = `CREATE TABLE _prisma_migrations (
  id varchar(36) PRIMARY KEY,
  checksum varchar(64) NOT NULL,
  finished_at timestamptz,
  migration_name varchar(255) NOT NULL,
  logs text,
  rolled_back_at timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  applied_steps_count integer NOT NULL DEFAULT 0
)`;

const SEED = `
INSERT INTO tenants (id, name) VALUES ('grand', 'Grand Hotel'), ('bay', 'Bay Resort');
INSERT INTO room_types (tenant_id, name) VALUES ('grand', 'Twin'), ('grand', 'Suite'), ('bay', 'Ocean view');
INSERT INTO rooms (tenant_id, number, room_type_id) VALUES ('grand', '101', 1), ('grand', '102', 1), ('grand', '501', 2), ('bay', '12', 3);
INSERT INTO customers (tenant_id, name, email) VALUES ('grand', 'Aiko Tanaka', 'aiko@example.com'), ('bay', 'Ken Sato', 'ken@example.com');
INSERT INTO reservations (tenant_id, room_id, customer_id, check_in, check_out) VALUES ('grand', 1, 1, current_date, current_date + 2), ('bay', 4, 2, current_date + 1, current_date + 3);
INSERT INTO menus (tenant_id, name, price_yen) VALUES ('grand', 'Club sandwich', 1800), ('grand', 'Onsen tamago', 600);
INSERT INTO sync_state (source, synced_at) VALUES ('pms', now()), ('member', now());
`;

/** Build the unified schema in a fresh database of `cluster` and return its writers. */
export async function createDemoDatabase(cluster: PgCluster, migrationsDir: string): Promise<DemoDatabase> {
  await cluster.createDatabase(DEMO_DATABASE);
  const admin = new pg.Client({ connectionString: cluster.urlFor(DEMO_DATABASE), connectionTimeoutMillis: 10_000 });
  admin.on('error', () => {}); // a server stopped under us surfaces on the next query instead
  await admin.connect();
  try {
    await admin.query(PRISMA_TABLE);
    const names = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    for (const name of names.slice(0, APPLIED_MIGRATIONS)) {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      await admin.query(sql);
      await admin.query(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
        [randomUUID(), createHash('sha256').update(sql).digest('hex'), name],
      );
    }
    await admin.query(SEED);
  } catch (error) {
    await admin.end().catch(() => {});
    throw error;
  }
  const password = randomBytes(12).toString('hex');
  const checksUrl = await cluster.createUser('imos', password, DEMO_DATABASE);
  await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO imos`);
  // The playbook's recovery runs as a role of its own, allowed exactly what it does.
  const syncRecoveryUrl = await cluster.createUser('sync_recovery', randomBytes(12).toString('hex'), DEMO_DATABASE);
  await admin.query(`GRANT SELECT, UPDATE ON sync_state TO sync_recovery`);

  return {
    checksUrl,
    syncRecoveryUrl,
    async touchSync() {
      await admin.query(`UPDATE sync_state SET synced_at = now() WHERE source = 'pms'`);
    },
    async produceEvents(count) {
      if (count <= 0) return;
      await admin.query(
        `INSERT INTO outbox (topic, payload) SELECT 'order.created', jsonb_build_object('order', n) FROM generate_series(1, $1::int) AS n`,
        [count],
      );
    },
    async consumeEvents() {
      const result = await admin.query(`UPDATE outbox SET processed_at = now() WHERE processed_at IS NULL`);
      return result.rowCount ?? 0;
    },
    async close() {
      await admin.end().catch(() => {});
    },
  };
}
