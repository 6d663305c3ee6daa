// `consistency`: the same data in two places agrees. Each side is a table (row count) or a query
// (a number, or a checksum text); difference = |source − target| for numbers, 0 / 1 for texts.
// Metrics: difference, source, target, match.
import * as z from 'zod';
import { redactSecrets } from '../src/text/redact.js';
import { quoteQualified } from './pg/names.js';
import { errorOutcome, failureOutcome, guardRun, toNumber } from './pg/outcome.js';
import { pgUrl, sqlQuery, tableName } from './pg/schema.js';
import { startBudget, withReadOnlySession, type Budget } from './pg/session.js';
import { querySingleValue, showValue } from './pg/single-value.js';
import { describeTarget, pgServer } from './pg/target.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';

const side = z
  .object({ url: pgUrl.optional(), table: tableName.optional(), query: sqlQuery.optional() })
  .superRefine((s, ctx) => {
    if (!s.table === !s.query) ctx.addIssue({ code: 'custom', path: ['table'], message: 'give table (rows are counted) or query (one value), one of the two' });
  });

const schema = z
  .object({ url: pgUrl.optional(), source: side, target: side })
  .superRefine((c, ctx) => {
    for (const name of ['source', 'target'] as const) {
      if (!c[name].url && !c.url) ctx.addIssue({ code: 'custom', path: [name, 'url'], message: `${name} needs url (or give url on the check)` });
    }
  });
export type ConsistencyCheckConfig = z.infer<typeof schema>;
type SideConfig = ConsistencyCheckConfig['source'];

export const consistencyCheck: CheckKind<ConsistencyCheckConfig> = {
  kind: 'consistency',
  description: 'Row counts or a checksum compared between two databases',
  alertType: 'DATA_INCONSISTENCY',
  metrics: {
    difference: { unit: 'count', description: '|source − target| (numbers), or 0 / 1 (checksums)' },
    source: { unit: 'count', description: 'the source’s row count or query value' },
    target: { unit: 'count', description: 'the target’s row count or query value' },
    match: { unit: 'bool', description: 'source and target agree' },
  },
  schema,
  target: (config) => pgServer(config.source.url ?? config.url),
  run(config, ctx) {
    const urls = [config.url, config.source.url, config.target.url].filter((u): u is string => !!u);
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        const source = await readSide(ctx, budget, config.source, config.url);
        if ('outcome' in source) return prefixed('source', source.outcome);
        const target = await readSide(ctx, budget, config.target, config.url);
        if ('outcome' in target) return prefixed('target', target.outcome);
        const a = source.value;
        const b = target.value;
        const unit = config.source.table && config.target.table ? ' rows' : '';
        if (typeof a === 'number' && typeof b === 'number') {
          const difference = Math.abs(a - b);
          return {
            value: difference,
            metrics: { difference, source: a, target: b, match: difference === 0 },
            message:
              difference === 0
                ? `source and target agree: ${a}${unit}`
                : `source ${a}${unit}, target ${b}${unit}: difference ${difference}`,
          };
        }
        const match = String(a) === String(b);
        const secrets = urls.flatMap((u) => describeTarget(u).secrets);
        return {
          value: match ? 0 : 1,
          metrics: { difference: match ? 0 : 1, source: redactSecrets(String(a), secrets), target: redactSecrets(String(b), secrets), match },
          message: match ? `source and target agree (${showValue(a, secrets)})` : `source and target differ: ${showValue(a, secrets)} vs ${showValue(b, secrets)}`,
        };
      } finally {
        budget.dispose();
      }
    }, () => urls.map(describeTarget));
  },
};

async function readSide(
  ctx: CheckContext,
  budget: Budget,
  side: SideConfig,
  fallbackUrl: string | undefined,
): Promise<{ value: number | string } | { outcome: CheckOutcome }> {
  const url = side.url ?? fallbackUrl!;
  const sql = side.table ? `select count(*) from ${quoteQualified(side.table)}` : side.query!;
  const result = await withReadOnlySession(ctx, url, budget, (db) => querySingleValue(db, sql));
  if (!result.ok) return { outcome: failureOutcome(result.failure, result.target) };
  if (!result.value.ok) return { outcome: errorOutcome(result.value.problem, result.target) };
  const raw = result.value.value;
  const n = toNumber(raw);
  // A bigint / numeric checksum past 2^53 would be rounded, and two different sums could "agree":
  // those are compared as exact text.
  if (n !== null && (typeof raw !== 'string' || Math.abs(n) <= Number.MAX_SAFE_INTEGER)) return { value: n };
  if (typeof raw === 'string') return { value: raw };
  return { outcome: errorOutcome(`the query returned ${showValue(raw, result.target.secrets)}; expected a number or a checksum text`, result.target) };
}

function prefixed(side: string, outcome: CheckOutcome): CheckOutcome {
  return { ...outcome, message: `${side}: ${outcome.message}` };
}
