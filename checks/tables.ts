// `tables`: the tables the integration needs exist (optionally with required columns).
// The list comes from the config or from the integration matrix (`tables: from-matrix`).
// Value "11/13"; message "85% (11/13 tables); missing: …". Metrics: present, expected, missing, percent.
import * as z from 'zod';
import { displayName, parseIdentifierPath, parseQualifiedName, quoteIdent, type QualifiedName } from './pg/names.js';
import { errorOutcome, failureOutcome, guardRun } from './pg/outcome.js';
import { columnName, pgUrl, tableName } from './pg/schema.js';
import { startBudget, withReadOnlySession } from './pg/session.js';
import { describeTarget, pgServer, urlSchema } from './pg/target.js';
import type { CheckKind } from './types.js';

const tableSpec = z.union([
  tableName,
  z.object({ name: tableName, columns: z.array(columnName).default([]) }),
]);

const schema = z.object({
  url: pgUrl,
  tables: z.union([z.literal('from-matrix'), z.array(tableSpec).min(1, 'tables: list at least one table, or write from-matrix')], {
    error: 'tables: a list of tables ([public.customers, {name: public.reservations, columns: [id]}]) or from-matrix',
  }),
  /** Schema of names written without one (default: the URL's Prisma ?schema=, else public). */
  schema: z.string().trim().min(1).optional(),
});
export type TablesCheckConfig = z.infer<typeof schema>;

interface Wanted {
  key: string;
  qualified: QualifiedName;
  columns: string[];
}

export interface TablesDetail {
  expected: string[];
  missing: string[];
  /** Tables that exist but lack required columns. */
  missingColumns: Array<{ table: string; columns: string[] }>;
  /** Matrix entries that are not table names at all. */
  invalid: string[];
}

export const tablesCheck: CheckKind<TablesCheckConfig> = {
  kind: 'tables',
  description: 'Expected tables (and required columns) exist in the database',
  alertType: 'MISSING_TABLES',
  metrics: {
    present: { unit: 'count', description: 'expected tables that exist with their required columns' },
    expected: { unit: 'count', description: 'tables expected' },
    missing: { unit: 'count', description: 'expected tables missing, or lacking a required column' },
    percent: { unit: 'percent', description: 'present as a percentage of expected' },
  },
  schema,
  target: (config) => pgServer(config.url),
  run(config, ctx) {
    return guardRun(async () => {
      const target = describeTarget(config.url);
      let specs: Array<string | { name: string; columns: string[] }>;
      if (config.tables === 'from-matrix') {
        if (!ctx.matrixTables) return errorOutcome('tables: from-matrix, but no integration matrix configured (matrix: in the config)');
        try {
          specs = await ctx.matrixTables();
        } catch (error) {
          return errorOutcome(`cannot read the integration matrix: ${(error as Error).message}`, target);
        }
      } else {
        specs = config.tables;
      }

      const { wanted, invalid } = resolveSpecs(specs, config.schema ?? quoteIdent(urlSchema(config.url) ?? 'public'));
      const budget = startBudget(ctx);
      let found: Map<string, Set<string>>;
      try {
        const result = await withReadOnlySession(ctx, config.url, budget, async (db) =>
          db.query<{ schema: string; name: string; columns: string[] }>(
            `select n.nspname::text as schema, c.relname::text as name,
                    array(select a.attname::text from pg_attribute a
                          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
               from pg_class c
               join pg_namespace n on n.oid = c.relnamespace
               join unnest($1::text[], $2::text[]) as w(s, t) on w.s = n.nspname and w.t = c.relname
              where c.relkind in ('r', 'p', 'v', 'm', 'f')`,
            [wanted.map((w) => w.qualified.schema), wanted.map((w) => w.qualified.name)],
          ),
        );
        if (!result.ok) return failureOutcome(result.failure, target);
        found = new Map(result.value.map((r) => [keyOf(r.schema, r.name), new Set(r.columns)]));
      } finally {
        budget.dispose();
      }

      const detail: TablesDetail = { expected: [], missing: [], missingColumns: [], invalid };
      let present = 0;
      for (const w of wanted) {
        const shown = displayName(w.qualified);
        detail.expected.push(shown);
        const columns = found.get(w.key);
        if (!columns) {
          detail.missing.push(shown);
          continue;
        }
        const lacking = w.columns.filter((c) => !columns.has(c));
        if (lacking.length > 0) detail.missingColumns.push({ table: shown, columns: lacking });
        else present++;
      }
      const expected = wanted.length + invalid.length;
      const missing = expected - present;
      const percent = expected === 0 ? 100 : Math.round((present / expected) * 100);
      const parts = [expected === 0 ? 'no tables expected' : `${percent}% (${present}/${expected} tables)`];
      if (detail.missing.length) parts.push(`missing: ${list(detail.missing)}`);
      for (const { table, columns } of detail.missingColumns.slice(0, 3)) parts.push(`${table} lacks ${columns.join(', ')}`);
      if (detail.missingColumns.length > 3) parts.push(`${detail.missingColumns.length - 3} more tables lack columns`);
      if (invalid.length) parts.push(`not table names: ${list(invalid)}`);
      return {
        value: `${present}/${expected}`,
        metrics: { present, expected, missing, percent },
        message: parts.join('; '),
        detail,
      };
    }, () => [describeTarget(config.url)]);
  },
};

function keyOf(schema: string, name: string): string {
  return JSON.stringify([schema, name]);
}

function resolveSpecs(specs: Array<string | { name: string; columns?: string[] }>, defaultSchema: string) {
  const wanted: Wanted[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  const fallbackSchema = parseIdentifierPath(defaultSchema)[0] ?? 'public';
  for (const spec of specs) {
    const text = typeof spec === 'string' ? spec : spec.name;
    let parsed: QualifiedName;
    let columns: string[];
    try {
      parsed = parseQualifiedName(text);
      columns = (typeof spec === 'string' ? [] : (spec.columns ?? [])).map((c) => parseIdentifierPath(c)[0]!);
    } catch {
      invalid.push(text);
      continue;
    }
    const qualified = { schema: parsed.schema ?? fallbackSchema, name: parsed.name };
    const key = keyOf(qualified.schema, qualified.name);
    if (seen.has(key)) continue;
    seen.add(key);
    wanted.push({ key, qualified, columns });
  }
  return { wanted, invalid };
}

function list(names: string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, +${names.length - max} more` : shown;
}
