// `postgres`: is the database up, how fast does it answer, how full is it?
// Metrics: latency (round trip of `select 1`), connect (time to get a connection from the pool,
// a fresh one when the pool was empty), connections (in use, % of max_connections).
import * as z from 'zod';
import { failureOutcome, guardRun, round } from './pg/outcome.js';
import { pgUrl } from './pg/schema.js';
import { startBudget, withReadOnlySession } from './pg/session.js';
import { describeTarget, pgServer } from './pg/target.js';
import type { CheckKind } from './types.js';

const schema = z.object({ url: pgUrl });
export type PostgresCheckConfig = z.infer<typeof schema>;

interface Stats {
  latencyMs: number;
  version: string;
  used: number;
  max: number;
}

export const postgresCheck: CheckKind<PostgresCheckConfig> = {
  kind: 'postgres',
  description: 'PostgreSQL connection health: latency, server version, connections in use',
  alertType: 'DATABASE_HEALTH',
  metrics: {
    latency: { unit: 'ms', description: 'round trip of a trivial query' },
    connect: { unit: 'ms', description: 'time to obtain a connection' },
    connections: { unit: 'percent', description: 'connections in use, percent of max_connections' },
    used: { unit: 'count', description: 'client connections in use' },
    max_connections: { unit: 'count', description: 'the server’s max_connections' },
    version: { unit: 'text', description: 'server version' },
  },
  schema,
  target: (config) => pgServer(config.url),
  run(config, ctx) {
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        const result = await withReadOnlySession(ctx, config.url, budget, async (db): Promise<Stats> => {
          const t0 = performance.now();
          await db.query('select 1');
          const latencyMs = performance.now() - t0;
          const [row] = await db.query<{ version: string; max: number; used: number }>(
            `select current_setting('server_version') as version,
                    current_setting('max_connections')::int as max,
                    (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as used`,
          );
          return { latencyMs, version: row!.version, used: row!.used, max: row!.max };
        });
        if (!result.ok) return failureOutcome(result.failure, result.target);
        const { latencyMs, version, used, max } = result.value;
        const percent = max > 0 ? round((used / max) * 100, 1) : 0;
        const latency = round(latencyMs, 1);
        return {
          value: latency,
          metrics: { latency, connect: round(result.connectMs, 1), connections: percent, used, max_connections: max, version },
          message: `PostgreSQL ${version.split(' ')[0]} at ${result.target.where}: round trip ${Math.round(latencyMs)} ms, ${used}/${max} connections (${percent}%)`,
        };
      } finally {
        budget.dispose();
      }
    }, () => [describeTarget(config.url)]);
  },
};
