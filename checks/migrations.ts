// `migrations`: migrations on disk against those applied in the database.
//   style: prisma  — prisma/migrations/<name>/migration.sql against _prisma_migrations
//   style: table   — files whose names begin with the version against a version table/column
//   style: command — a command such as `prisma migrate status`: exit code and the names it lists
// Metrics: pending (on disk, not applied), failed (started, never finished, not rolled back),
// drift (applied in the database, missing on disk).
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import * as z from 'zod';
import { sanitizeLine } from '../src/text/sanitize.js';
import { lastLine, runCommand } from './pg/command.js';
import { quoteColumn, quoteQualified } from './pg/names.js';
import { errorOutcome, failureOutcome, guardRun } from './pg/outcome.js';
import { columnName, pgUrl, tableName } from './pg/schema.js';
import { startBudget, withReadOnlySession, type Budget, type Session } from './pg/session.js';
import { describeTarget, pgServer } from './pg/target.js';
import { THIS_MACHINE } from './shared/process.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';

const regex = (what: string) =>
  z.string().superRefine((value, ctx) => {
    try {
      new RegExp(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${what} is not a valid regular expression: ${(error as Error).message}` });
    }
  });

const schema = z
  .object({
    url: pgUrl.optional(),
    style: z.enum(['prisma', 'table', 'command']).default('prisma'),
    /** prisma: the migrations folder (default ./prisma/migrations); table: the folder of files (default ./migrations). */
    dir: z.string().trim().min(1).optional(),
    /** prisma: default _prisma_migrations; table: default schema_migrations. */
    table: tableName.optional(),
    /** table style: the version column (default version). */
    column: columnName.optional(),
    /** table style: a boolean column marking a half-applied version (golang-migrate's `dirty`). */
    dirty_column: columnName.optional(),
    /** table style: how a file name gives its version (first capture group); default ^(\d+). */
    pattern: regex('pattern').optional(),
    /** command style: argv, no shell. */
    run: z.array(z.string().min(1)).min(1).optional(),
    cwd: z.string().trim().min(1).optional(),
    /** command style: a regular expression whose first group is the number pending. */
    capture: regex('capture').optional(),
  })
  .superRefine((config, ctx) => {
    if (config.style === 'command') {
      if (!config.run) ctx.addIssue({ code: 'custom', path: ['run'], message: 'style: command needs run: [argv…], e.g. [npx, prisma, migrate, status]' });
    } else if (!config.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `style: ${config.style} needs url (a postgres:// URL, usually \${DATABASE_URL})` });
    }
  });
export type MigrationsCheckConfig = z.infer<typeof schema>;

export interface MigrationsDetail {
  style: 'prisma' | 'table' | 'command';
  pending: string[];
  failed: string[];
  drift: string[];
  applied?: number;
  onDisk?: number;
  note?: string;
}

export const migrationsCheck: CheckKind<MigrationsCheckConfig> = {
  kind: 'migrations',
  description: 'Pending, failed and drifted database migrations (Prisma, a version table, or a command)',
  alertType: 'PENDING_MIGRATIONS',
  metrics: {
    pending: { unit: 'count', description: 'migrations on disk not applied in the database' },
    failed: { unit: 'count', description: 'migrations that started and never finished' },
    drift: { unit: 'count', description: 'migrations applied in the database but missing on disk' },
    applied: { unit: 'count', description: 'migrations applied in the database' },
    exit: { unit: 'count', description: 'exit code (style: command)' },
  },
  schema,
  // The command style runs a program here; the others query the database.
  target: (config) => (config.style === 'command' ? THIS_MACHINE : pgServer(config.url)),
  run(config, ctx) {
    const targets = () => (config.url ? [describeTarget(config.url)] : []);
    return guardRun(async () => {
      const budget = startBudget(ctx);
      try {
        if (config.style === 'command') return await runCommandStyle(config, ctx, budget);
        return await runDatabaseStyle(config, ctx, budget);
      } finally {
        budget.dispose();
      }
    }, targets);
  },
};

function resolveDir(ctx: CheckContext, dir: string): string {
  return isAbsolute(dir) ? dir : resolve(ctx.baseDir, dir);
}

type DiskScan = { ok: true; names: string[] } | { ok: false; message: string };

/** prisma: folders holding a migration.sql, in name order (Prisma applies them in that order). */
async function scanPrismaDir(dir: string): Promise<DiskScan> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    return { ok: false, message: dirProblem(dir, error) };
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      const inside = await readdir(join(dir, entry.name));
      if (inside.includes('migration.sql')) names.push(entry.name);
    } catch {
      // unreadable folder: not a migration Prisma could apply either
    }
  }
  return { ok: true, names: names.sort() };
}

/** table: versions of the files (or folders) whose names match the pattern; name kept for display. */
async function scanVersionDir(dir: string, pattern: RegExp): Promise<{ ok: true; versions: Map<string, string> } | { ok: false; message: string }> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (error) {
    return { ok: false, message: dirProblem(dir, error) };
  }
  const versions = new Map<string, string>();
  for (const name of entries) {
    const match = pattern.exec(name);
    const version = match?.[1] ?? match?.[0];
    if (!version) continue;
    const key = normalizeVersion(version);
    // `0001_init.up.sql` and `0001_init.down.sql` are one migration: keep the first name.
    if (!versions.has(key)) versions.set(key, name);
  }
  return { ok: true, versions };
}

/** `000001` on disk is version `1` in golang-migrate's bigint column. */
function normalizeVersion(version: string): string {
  const v = version.trim();
  return /^\d+$/.test(v) ? v.replace(/^0+(?=\d)/, '') : v;
}

function dirProblem(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `migrations directory ${dir} not found`;
  if (code === 'ENOTDIR') return `${dir} is not a directory`;
  return `cannot read migrations directory ${dir}: ${sanitizeLine((error as Error).message, 120)}`;
}

async function tableExists(db: Session, quoted: string): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>('select to_regclass($1) is not null as found', [quoted]);
  return row?.found === true;
}

async function runDatabaseStyle(config: MigrationsCheckConfig, ctx: CheckContext, budget: Budget): Promise<CheckOutcome> {
  const url = config.url!;
  const target = describeTarget(url);
  if (config.style === 'prisma') {
    const dir = resolveDir(ctx, config.dir ?? './prisma/migrations');
    const disk = await scanPrismaDir(dir);
    if (!disk.ok) return errorOutcome(disk.message, target);
    const table = quoteQualified(config.table ?? '_prisma_migrations');
    const result = await withReadOnlySession(ctx, url, budget, async (db) => {
      if (!(await tableExists(db, table))) return null;
      return db.query<{ name: string; finished: boolean; rolled_back: boolean }>(
        `select migration_name as name, finished_at is not null as finished, rolled_back_at is not null as rolled_back from ${table}`,
      );
    });
    if (!result.ok) return failureOutcome(result.failure, target);
    const rows = result.value ?? [];
    const applied = new Set(rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.name));
    // Prisma's own rule: started, not finished, not rolled back = failed (it blocks `migrate deploy`).
    const failed = new Set(rows.filter((r) => !r.finished && !r.rolled_back && !applied.has(r.name)).map((r) => r.name));
    const onDisk = new Set(disk.names);
    return summarize({
      style: 'prisma',
      pending: disk.names.filter((n) => !applied.has(n) && !failed.has(n)),
      failed: [...failed].sort(),
      drift: [...applied].filter((n) => !onDisk.has(n)).sort(),
      applied: applied.size,
      onDisk: onDisk.size,
      ...(result.value === null ? { note: `no ${config.table ?? '_prisma_migrations'} table yet` } : {}),
    });
  }

  const dir = resolveDir(ctx, config.dir ?? './migrations');
  const disk = await scanVersionDir(dir, new RegExp(config.pattern ?? '^(\\d+)'));
  if (!disk.ok) return errorOutcome(disk.message, target);
  const table = quoteQualified(config.table ?? 'schema_migrations');
  const column = quoteColumn(config.column ?? 'version');
  const dirty = config.dirty_column ? `coalesce(${quoteColumn(config.dirty_column)}::boolean, false)` : 'false';
  const result = await withReadOnlySession(ctx, url, budget, async (db) => {
    if (!(await tableExists(db, table))) return null;
    return db.query<{ version: string | null; dirty: boolean }>(`select ${column}::text as version, ${dirty} as dirty from ${table}`);
  });
  if (!result.ok) return failureOutcome(result.failure, target);
  const rows = (result.value ?? []).filter((r) => r.version !== null);
  const applied = new Set(rows.filter((r) => !r.dirty).map((r) => normalizeVersion(r.version!)));
  const failed = new Set(rows.filter((r) => r.dirty).map((r) => normalizeVersion(r.version!)));
  const name = (v: string) => disk.versions.get(v) ?? v;
  return summarize({
    style: 'table',
    pending: [...disk.versions.keys()].filter((v) => !applied.has(v) && !failed.has(v)).map(name),
    failed: [...failed].sort().map(name),
    drift: [...applied].filter((v) => !disk.versions.has(v)).sort(),
    applied: applied.size,
    onDisk: disk.versions.size,
    ...(result.value === null ? { note: `no ${config.table ?? 'schema_migrations'} table yet` } : {}),
  });
}

const MAX_NAMES_IN_MESSAGE = 3;

function listNames(names: string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_MESSAGE).join(', ');
  return names.length > MAX_NAMES_IN_MESSAGE ? `${shown}, +${names.length - MAX_NAMES_IN_MESSAGE} more` : shown;
}

function summarize(detail: MigrationsDetail, extra: { exit?: number | null } = {}): CheckOutcome {
  const { pending, failed, drift } = detail;
  const parts: string[] = [];
  if (pending.length) parts.push(`${pending.length} pending (${listNames(pending)})`);
  if (failed.length) parts.push(`${failed.length} failed (${listNames(failed)})`);
  if (drift.length) parts.push(`${drift.length} applied but missing on disk (${listNames(drift)})`);
  if (parts.length === 0) {
    parts.push(detail.applied !== undefined ? `all ${detail.applied} migrations applied` : 'no pending migrations');
  }
  if (detail.note) parts.push(detail.note);
  const metrics: Record<string, unknown> = { pending: pending.length, failed: failed.length, drift: drift.length };
  if (detail.applied !== undefined) metrics.applied = detail.applied;
  if (extra.exit !== undefined && extra.exit !== null) metrics.exit = extra.exit;
  return {
    value: pending.length,
    metrics,
    message: sanitizeLine(parts.join('; '), 300),
    detail,
    // Only drift: a different problem from "not yet applied", so a different alert.
    ...(pending.length === 0 && failed.length === 0 && drift.length > 0 ? { alertType: 'MIGRATION_DRIFT' } : {}),
  };
}

/** Names listed under a heading in `prisma migrate status` output, up to the next blank line. */
function namesUnder(output: string, heading: RegExp): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const t = line.trim();
    if (t === '') {
      if (names.length > 0) break;
      continue;
    }
    if (!/^[\w.-]+$/.test(t)) break;
    names.push(t);
  }
  return names;
}

async function runCommandStyle(config: MigrationsCheckConfig, ctx: CheckContext, budget: Budget): Promise<CheckOutcome> {
  const cwd = resolveDir(ctx, config.cwd ?? '.');
  const result = await runCommand(config.run!, {
    cwd,
    env: ctx.env,
    signal: budget.signal,
    timedOut: budget.expired,
    timeoutMs: budget.timeoutMs,
  });
  if (result.problem) return errorOutcome(`${config.run!.join(' ')}: ${result.problem}`, [], { output: tail(result.output) });
  const output = result.output;
  const exit = result.exit ?? -1;
  if (config.capture) {
    const match = new RegExp(config.capture, 'm').exec(output);
    const n = match ? Number(match[1] ?? match[0]) : NaN;
    if (Number.isFinite(n)) {
      return {
        value: n,
        metrics: { pending: n, failed: 0, drift: 0, exit },
        message: n === 0 ? 'no pending migrations' : `${n} pending`,
        detail: { style: 'command', pending: [], failed: [], drift: [], output: tail(output) },
      };
    }
    if (exit === 0) return summarize({ style: 'command', pending: [], failed: [], drift: [] }, { exit });
    return errorOutcome(`${config.run!.join(' ')} exited ${exit} and its output has no match for capture: ${lastLine(output)}`, [], {
      output: tail(output),
    });
  }
  // `prisma migrate status` lists names under these headings.
  const pending = namesUnder(output, /have not yet been applied/i);
  const failed = namesUnder(output, /have failed/i);
  const drift = namesUnder(output, /not found locally/i);
  const recognised = pending.length + failed.length + drift.length > 0 || /up to date|no pending migrations/i.test(output);
  if (!recognised && exit !== 0) {
    return errorOutcome(`${config.run!.join(' ')} exited ${exit}: ${lastLine(output) || 'no output'}`, [], { output: tail(output) });
  }
  return summarize({ style: 'command', pending, failed, drift }, { exit });
}

function tail(output: string, lines = 20): string {
  return output.split('\n').slice(-lines).join('\n').trim();
}
