// `sync-lag`: how far a synchronised copy trails its source, in seconds (the example's integration gate: < 5 s).
// Either a query that returns seconds (or an interval), or two (database, table, timestamp column)
// whose newest rows are compared: lag = source newest − target newest, never below 0. A target
// with no rows trails by the age of the source's oldest row.
import * as z from 'zod';
import { quoteColumn, quoteQualified } from './pg/names.js';
import { errorOutcome, failureOutcome, guardRun, round, toNumber, toSeconds } from './pg/outcome.js';
import { formatDuration } from '../src/text/durations.js';
import { columnName, pgUrl, sqlQuery, tableName } from './pg/schema.js';
import { startBudget, withReadOnlySession, type Budget } from './pg/session.js';
import { querySingleValue, showValue } from './pg/single-value.js';
import { describeTarget, pgServer, type PgTarget } from './pg/target.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';

const endpoint = z.object({ url: pgUrl.optional(), table: tableName, column: columnName });

const schema = z
  .object({
    url: pgUrl.optional(),
    query: sqlQuery.optional(),
    source: endpoint.optional(),
    target: endpoint.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.query) {
      if (c.source || c.target) ctx.addIssue({ code: 'custom', path: ['query'], message: 'give either query or source + target, not both' });
      if (!c.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'query needs url (usually ${DATABASE_URL})' });
      return;
    }
    if (!c.source || !c.target) {
      ctx.addIssue({
        code: 'custom',
        path: [c.source ? 'target' : 'source'],
        message: 'sync-lag needs query (returning seconds) or source and target: {url, table, column}',
      });
      return;
    }
    for (const side of ['source', 'target'] as const) {
      if (!c[side]!.url && !c.url) ctx.addIssue({ code: 'custom', path: [side, 'url'], message: `${side} needs url (or give url on the check)` });
    }
  });
export type SyncLagCheckConfig = z.infer<typeof schema>;

interface Side {
  newest: number | null;
  oldest: number | null;
  now: number;
}

export const syncLagCheck: CheckKind<SyncLagCheckConfig> = {
  kind: 'sync-lag',
  description: 'Data-sync delay in seconds: a query, or the newest rows of source and target compared',
  alertType: 'DATA_SYNC_FAILURE',
  metrics: {
    lag: { unit: 's', description: 'seconds the target trails the source' },
  },
  schema,
  target: (config) => pgServer(config.url),
  run(config, ctx) {
    const urls = [config.url, config.source?.url, config.target?.url].filter((u): u is string => !!u);
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        return config.query ? await byQuery(config, ctx, budget) : await byNewestRows(config, ctx, budget);
      } finally {
        budget.dispose();
      }
    }, () => urls.map(describeTarget));
  },
};

async function byQuery(config: SyncLagCheckConfig, ctx: CheckContext, budget: Budget): Promise<CheckOutcome> {
  const result = await withReadOnlySession(ctx, config.url!, budget, (db) => querySingleValue(db, config.query!));
  if (!result.ok) return failureOutcome(result.failure, result.target);
  if (!result.value.ok) return errorOutcome(result.value.problem, result.target);
  const raw = result.value.value;
  if (raw === null || raw === undefined) {
    return errorOutcome('the query returned NULL: nothing has been synchronised yet (or the query matched no rows)', result.target);
  }
  const seconds = toSeconds(raw);
  if (seconds === null) return errorOutcome(`the query returned ${showValue(raw, result.target.secrets)}, not seconds`, result.target);
  const lag = round(Math.max(0, seconds));
  return { value: lag, metrics: { lag }, message: `lag ${formatDuration(lag * 1000, 'elapsed')}` };
}

async function readSide(
  ctx: CheckContext,
  url: string,
  budget: Budget,
  side: { table: string; column: string },
): Promise<{ ok: true; side: Side; target: PgTarget } | { ok: false; outcome: CheckOutcome }> {
  const table = quoteQualified(side.table);
  const column = quoteColumn(side.column);
  const result = await withReadOnlySession(ctx, url, budget, async (db) => {
    // ::timestamptz reads a `timestamp` (without time zone) column in the session's TimeZone,
    // as `now() - column` does; extract(epoch) of a bare timestamp would take it as UTC, and a
    // timestamptz source against a timestamp target would be off by the zone's offset.
    const [row] = await db.query<{ newest: unknown; oldest: unknown; now: unknown }>(
      `select extract(epoch from max(${column})::timestamptz)::float8 as newest,
              extract(epoch from min(${column})::timestamptz)::float8 as oldest,
              extract(epoch from now())::float8 as now
         from ${table}`,
    );
    return row!;
  });
  if (!result.ok) return { ok: false, outcome: failureOutcome(result.failure, result.target) };
  const row = result.value;
  return {
    ok: true,
    target: result.target,
    side: { newest: toNumber(row.newest), oldest: toNumber(row.oldest), now: toNumber(row.now) ?? Date.now() / 1000 },
  };
}

async function byNewestRows(config: SyncLagCheckConfig, ctx: CheckContext, budget: Budget): Promise<CheckOutcome> {
  const sourceUrl = config.source!.url ?? config.url!;
  const targetUrl = config.target!.url ?? config.url!;
  const source = await readSide(ctx, sourceUrl, budget, config.source!);
  if (!source.ok) return prefixed('source', source.outcome);
  const target = await readSide(ctx, targetUrl, budget, config.target!);
  if (!target.ok) return prefixed('target', target.outcome);
  const s = source.side;
  const t = target.side;
  const iso = (epoch: number | null) => (epoch === null ? 'none' : new Date(epoch * 1000).toISOString());
  let lag: number;
  let note: string;
  if (s.newest === null) {
    lag = 0;
    note = 'the source has no rows';
  } else if (t.newest === null) {
    lag = Math.max(0, s.now - (s.oldest ?? s.newest));
    note = 'the target has no rows yet';
  } else {
    lag = Math.max(0, s.newest - t.newest);
    note = `source newest ${iso(s.newest)}, target newest ${iso(t.newest)}`;
  }
  lag = round(lag);
  return {
    value: lag,
    metrics: { lag },
    message: `lag ${formatDuration(lag * 1000, 'elapsed')} (${note})`,
    detail: { sourceNewest: iso(s.newest), targetNewest: iso(t.newest) },
  };
}

function prefixed(side: string, outcome: CheckOutcome): CheckOutcome {
  return { ...outcome, message: `${side}: ${outcome.message}` };
}
