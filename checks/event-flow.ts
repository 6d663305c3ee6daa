// `event-flow`: the outbox / event backlog. Unprocessed events (processed column null) and the
// age of the oldest one, from a table and its columns, or from a query answering
// (backlog, oldest seconds). Metrics: backlog (count), oldest (seconds).
import * as z from 'zod';
import { quoteColumn, quoteQualified } from './pg/names.js';
import { errorOutcome, failureOutcome, guardRun, round, toNumber, toSeconds } from './pg/outcome.js';
import { formatDuration } from '../src/text/durations.js';
import { columnName, pgUrl, sqlQuery, tableName } from './pg/schema.js';
import { startBudget, withReadOnlySession } from './pg/session.js';
import { showValue } from './pg/single-value.js';
import { describeTarget, pgServer } from './pg/target.js';
import type { CheckKind } from './types.js';

const schema = z
  .object({
    url: pgUrl,
    table: tableName.optional(),
    created_column: columnName.default('created_at'),
    processed_column: columnName.default('processed_at'),
    /** Instead of table: a query returning one row (backlog, oldest seconds). */
    query: sqlQuery.optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.table && !c.query) ctx.addIssue({ code: 'custom', path: ['table'], message: 'event-flow needs table (with created_column, processed_column) or query' });
    if (c.table && c.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'give either table or query, not both' });
  });
export type EventFlowCheckConfig = z.infer<typeof schema>;

export const eventFlowCheck: CheckKind<EventFlowCheckConfig> = {
  kind: 'event-flow',
  description: 'Outbox / event backlog: unprocessed events and the age of the oldest',
  alertType: 'EVENT_BACKLOG',
  metrics: {
    backlog: { unit: 'count', description: 'unprocessed events' },
    oldest: { unit: 's', description: 'age of the oldest unprocessed event, seconds (0 when none)' },
  },
  schema,
  target: (config) => pgServer(config.url),
  run(config, ctx) {
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        const sql = config.query
          ? config.query
          : `select count(*) as backlog,
                    coalesce(extract(epoch from now() - min(${quoteColumn(config.created_column)})), 0)::float8 as oldest,
                    count(*) - count(${quoteColumn(config.created_column)}) as undated
               from ${quoteQualified(config.table!)}
              where ${quoteColumn(config.processed_column)} is null`;
        const result = await withReadOnlySession(ctx, config.url, budget, (db) => db.queryArrays(sql));
        if (!result.ok) return failureOutcome(result.failure, result.target);
        const row = result.value[0];
        if (!row || row.length < 2) return errorOutcome('the query must return one row: backlog, oldest (seconds)', result.target);
        const backlog = toNumber(row[0]);
        const oldest = row[1] === null ? 0 : toSeconds(row[1]);
        if (backlog === null) return errorOutcome(`backlog is ${showValue(row[0], result.target.secrets)}, not a number`, result.target);
        if (oldest === null) return errorOutcome(`oldest is ${showValue(row[1], result.target.secrets)}, not seconds`, result.target);
        const age = round(Math.max(0, oldest));
        // Rows whose created column is NULL have no age: say so, rather than let "oldest" hide them.
        const undated = row.length >= 3 && !config.query ? (toNumber(row[2]) ?? 0) : 0;
        const undatedNote = undated > 0 ? `; ${undated} without ${config.created_column}` : '';
        return {
          value: backlog,
          metrics: { backlog, oldest: age },
          message:
            backlog === 0
              ? 'no unprocessed events'
              : undated === backlog
                ? `${backlog} unprocessed event${backlog === 1 ? '' : 's'}, none with ${config.created_column} (age unknown)`
                : `${backlog} unprocessed event${backlog === 1 ? '' : 's'}, oldest ${formatDuration(age * 1000, 'elapsed')}${undatedNote}`,
        };
      } finally {
        budget.dispose();
      }
    }, () => [describeTarget(config.url)]);
  },
};
