// `sql`: any read-only query that answers one number, with thresholds on it (`value > 0`).
import * as z from 'zod';
import { errorOutcome, failureOutcome, guardRun, toNumber } from './pg/outcome.js';
import { pgUrl, sqlQuery } from './pg/schema.js';
import { startBudget, withReadOnlySession } from './pg/session.js';
import { querySingleValue, showValue } from './pg/single-value.js';
import { describeTarget, pgServer } from './pg/target.js';
import type { CheckKind } from './types.js';

const schema = z.object({
  url: pgUrl,
  query: sqlQuery,
  /** What the number is, for the message ("unpaid invoices"). */
  label: z.string().trim().min(1).optional(),
});
export type SqlCheckConfig = z.infer<typeof schema>;

export const sqlCheck: CheckKind<SqlCheckConfig> = {
  kind: 'sql',
  description: 'A read-only SQL query that returns one number',
  alertType: 'SQL_CHECK',
  metrics: {
    value: { unit: 'count', description: 'the number the query returned' },
  },
  schema,
  target: (config) => pgServer(config.url),
  run(config, ctx) {
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        const result = await withReadOnlySession(ctx, config.url, budget, (db) => querySingleValue(db, config.query));
        if (!result.ok) return failureOutcome(result.failure, result.target);
        if (!result.value.ok) return errorOutcome(result.value.problem, result.target);
        const value = toNumber(result.value.value);
        if (value === null) {
          return errorOutcome(`the query returned ${showValue(result.value.value, result.target.secrets)}, not a number`, result.target);
        }
        return {
          value,
          metrics: { value },
          message: `${config.label ?? 'value'}: ${value}`,
        };
      } finally {
        budget.dispose();
      }
    }, () => [describeTarget(config.url)]);
  },
};
