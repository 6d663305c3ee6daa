// Check kind `coverage`: reads the coverage summary a test runner wrote — Istanbul's
// `coverage-summary.json` (vitest, jest, c8, nyc with the json-summary reporter) or an lcov
// `lcov.info` (the same runners, and `node --test --experimental-test-coverage`) — and reports
// lines / branches / functions / statements in percent with the files covered least. With `run`,
// it first runs the tests that write the report. The code quality gate reads it: lines >= 80%.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { redactSecrets } from '../src/text/redact.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { formatDuration } from '../src/text/durations.js';
import { plural } from './shared/format.js';
import { THIS_MACHINE, lastMeaningfulLine, runProcess } from './shared/process.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';

export const COVERAGE_MEASURES = ['lines', 'branches', 'functions', 'statements'] as const;
export type CoverageMeasure = (typeof COVERAGE_MEASURES)[number];

/** Covered of total for one measure. */
export interface Tally {
  covered: number;
  total: number;
}

/** One file's (or the project's) tallies; lcov has no statements. */
export type CoverageTallies = Partial<Record<CoverageMeasure, Tally>>;

export interface CoverageReport {
  format: 'istanbul' | 'lcov';
  total: CoverageTallies;
  files: Array<{ file: string; tallies: CoverageTallies }>;
}

const schema = z.looseObject({
  report: z.string().min(1).describe('Path of coverage-summary.json or lcov.info'),
  format: z.enum(['auto', 'istanbul', 'lcov']).default('auto'),
  /** Runs before the report is read (argv, no shell), in `cwd`; it must (re)write the report. */
  run: z
    .array(z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)))
    .min(1, 'give at least the program name')
    .optional(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v))).default({}),
  /** How many of the least covered files the detail keeps. */
  top: z.number().int().min(1).max(100).default(5),
});

export type CoverageCheckConfig = z.output<typeof schema>;

export class CoverageFormatError extends Error {}

/** Percent of a tally, 100 when there is nothing to cover (as Istanbul reports it). */
export function percent(tally: Tally | undefined): number | undefined {
  if (!tally) return undefined;
  if (tally.total <= 0) return 100;
  return Math.round((tally.covered / tally.total) * 1000) / 10;
}

const istanbulTally = z.object({ total: z.number().min(0), covered: z.number().min(0) }).loose();
const istanbulEntry = z
  .object({ lines: istanbulTally, statements: istanbulTally, functions: istanbulTally, branches: istanbulTally })
  .loose();

/** Istanbul's json-summary: `{ total: {lines: {total, covered, pct}, …}, "<file>": {…} }`. */
export function parseIstanbulSummary(text: string): CoverageReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CoverageFormatError(`not JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CoverageFormatError('expected an object with "total" (Istanbul json-summary)');
  const entries = raw as Record<string, unknown>;
  const tallies = (key: string): CoverageTallies => {
    const parsed = istanbulEntry.safeParse(entries[key]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CoverageFormatError(`"${sanitizeLine(key, 80)}" ${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message} (expected Istanbul json-summary)`);
    }
    const pick = (t: z.infer<typeof istanbulTally>): Tally => ({ covered: t.covered, total: t.total });
    return {
      lines: pick(parsed.data.lines),
      statements: pick(parsed.data.statements),
      functions: pick(parsed.data.functions),
      branches: pick(parsed.data.branches),
    };
  };
  if (!('total' in entries)) throw new CoverageFormatError('no "total" entry (expected Istanbul json-summary)');
  return {
    format: 'istanbul',
    total: tallies('total'),
    files: Object.keys(entries)
      .filter((k) => k !== 'total')
      .map((file) => ({ file, tallies: tallies(file) })),
  };
}

/**
 * lcov tracefile: per `SF:` record, the LF/LH, BRF/BRH, FNF/FNH summary lines, or — when a writer
 * leaves them out — the DA / BRDA / FNDA lines counted. Records of the same file are added up.
 */
export function parseLcov(text: string): CoverageReport {
  const perFile = new Map<string, CoverageTallies>();
  let current: { file: string; line: number; summary: Partial<Record<'LF' | 'LH' | 'BRF' | 'BRH' | 'FNF' | 'FNH', number>>; da: [number, number]; brda: [number, number]; fnda: [number, number] } | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    const rest = colon === -1 ? '' : line.slice(colon + 1);
    const at = `line ${index + 1}`;
    if (tag === 'SF') {
      if (current) throw new CoverageFormatError(`${at}: SF before the end_of_record of ${sanitizeLine(current.file, 80)}`);
      current = { file: rest, line: index + 1, summary: {}, da: [0, 0], brda: [0, 0], fnda: [0, 0] };
      return;
    }
    if (tag === 'TN' || tag === 'VER') return;
    if (!current) throw new CoverageFormatError(`${at}: "${sanitizeLine(line, 40)}" outside a record (expected SF:<file>; is this an lcov tracefile?)`);
    const record = current as NonNullable<typeof current>;
    switch (tag) {
      case 'end_of_record': {
        const count = (summaryCovered: number | undefined, summaryTotal: number | undefined, counted: [number, number]): Tally =>
          summaryTotal !== undefined ? { covered: summaryCovered ?? 0, total: summaryTotal } : { covered: counted[0], total: counted[1] };
        const s = record.summary;
        const tallies: CoverageTallies = {
          lines: count(s.LH, s.LF, record.da),
          branches: count(s.BRH, s.BRF, record.brda),
          functions: count(s.FNH, s.FNF, record.fnda),
        };
        const seen = perFile.get(record.file);
        perFile.set(record.file, seen ? addTallies(seen, tallies) : tallies);
        current = null;
        return;
      }
      case 'LF':
      case 'LH':
      case 'BRF':
      case 'BRH':
      case 'FNF':
      case 'FNH': {
        const n = Number(rest);
        if (!Number.isInteger(n) || n < 0) throw new CoverageFormatError(`${at}: ${tag} is "${sanitizeLine(rest, 20)}", not a count`);
        record.summary[tag] = n;
        return;
      }
      case 'DA': {
        const hits = Number(rest.split(',')[1]);
        record.da[1]++;
        if (hits > 0) record.da[0]++;
        return;
      }
      case 'BRDA': {
        const taken = rest.split(',')[3];
        record.brda[1]++;
        if (taken !== undefined && taken !== '-' && Number(taken) > 0) record.brda[0]++;
        return;
      }
      case 'FNDA': {
        record.fnda[1]++;
        if (Number(rest.split(',')[0]) > 0) record.fnda[0]++;
        return;
      }
      default:
        return; // FN, BRDA-less writers' extras, checksums: not needed for the tallies
    }
  });
  if (current) throw new CoverageFormatError(`the record of ${sanitizeLine((current as { file: string }).file, 80)} has no end_of_record (a cut file?)`);
  if (perFile.size === 0) throw new CoverageFormatError('no SF: records (an empty lcov file: did the tests run?)');
  const files = [...perFile].map(([file, tallies]) => ({ file, tallies }));
  return { format: 'lcov', total: files.reduce<CoverageTallies>((sum, f) => addTallies(sum, f.tallies), {}), files };
}

function addTallies(a: CoverageTallies, b: CoverageTallies): CoverageTallies {
  const out: CoverageTallies = {};
  for (const m of COVERAGE_MEASURES) {
    if (!a[m] && !b[m]) continue;
    out[m] = { covered: (a[m]?.covered ?? 0) + (b[m]?.covered ?? 0), total: (a[m]?.total ?? 0) + (b[m]?.total ?? 0) };
  }
  return out;
}

/** Which format a report is in: by name, else by its first meaningful character. */
export function detectFormat(file: string, text: string): 'istanbul' | 'lcov' {
  if (/\.json$/i.test(file)) return 'istanbul';
  if (/\.(info|lcov)$/i.test(file)) return 'lcov';
  return text.trimStart().startsWith('{') ? 'istanbul' : 'lcov';
}

const shownPercent = (p: number | undefined): string => (p === undefined ? 'n/a' : `${p} %`);

async function runCoverage(config: CoverageCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const report = path.resolve(ctx.baseDir, config.report);
  const cwd = path.resolve(ctx.baseDir, config.cwd ?? '.');
  const error = (message: string): CheckOutcome => ({ value: null, metrics: {}, message: sanitizeLine(redactSecrets(message), 300), status: 'error' });
  let ran: { durationMs: number; command: string } | undefined;

  if (config.run) {
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) return error(`working directory not found: ${cwd}`);
    const program = config.run[0]!;
    // Runners write the report but not always its directory (node --test fails on a missing one).
    mkdirSync(path.dirname(report), { recursive: true });
    const started = Date.now();
    const result = await runProcess({ file: program, args: config.run.slice(1), cwd, env: { ...ctx.env, ...config.env, NO_COLOR: '1' }, signal: ctx.signal });
    if (result.outcome === 'aborted') {
      const reason = result.durationMs >= ctx.timeoutMs * 0.9 ? `timed out after ${formatDuration(ctx.timeoutMs, 'measured')}` : `aborted after ${formatDuration(result.durationMs, 'measured')}`;
      return error(`${program}: ${reason}`);
    }
    if (result.outcome === 'spawn-failed') {
      return error(result.spawnError?.code === 'ENOENT' ? `program not found: ${program}` : `could not start ${program}: ${result.spawnError?.message ?? 'unknown error'}`);
    }
    // Failing tests still write a report; a report older than this run means they wrote none.
    if (!existsSync(report) || statSync(report).mtimeMs < started - 1000) {
      const line = lastMeaningfulLine(result.all);
      return error(`${program} (exit ${result.exitCode ?? result.killedBy}) did not write ${report}${line ? `: ${line}` : ''}`);
    }
    ran = { durationMs: result.durationMs, command: config.run.join(' ') };
  }

  if (!existsSync(report)) return error(`coverage report not found: ${report} (run the tests with coverage first, or give run:)`);
  const stats = statSync(report);
  if (!stats.isFile()) return error(`coverage report is not a file: ${report}`);
  let parsed: CoverageReport;
  try {
    const text = readFileSync(report, 'utf8');
    const format = config.format === 'auto' ? detectFormat(report, text) : config.format;
    parsed = format === 'istanbul' ? parseIstanbulSummary(text) : parseLcov(text);
  } catch (e) {
    if (e instanceof CoverageFormatError) return error(`${report}: ${e.message}`);
    throw e;
  }

  // File paths as the project knows them: relative to where the tests ran (or the report's project).
  const root = config.cwd !== undefined || config.run ? cwd : path.dirname(path.dirname(report));
  const shownFile = (file: string): string => {
    const relative = path.isAbsolute(file) ? path.relative(root, file) : file;
    return sanitizeLine(relative.startsWith('..') ? file : relative, 160);
  };
  const totals = Object.fromEntries(COVERAGE_MEASURES.map((m) => [m, percent(parsed.total[m])])) as Record<CoverageMeasure, number | undefined>;
  const lowest = parsed.files
    .map((f) => ({ file: shownFile(f.file), lines: percent(f.tallies.lines) ?? 100, tallies: f.tallies }))
    .sort((a, b) => a.lines - b.lines || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .slice(0, config.top);
  const ageSeconds = Math.max(0, Math.round((ctx.now() - stats.mtimeMs) / 1000));

  const metrics: Record<string, unknown> = { files: parsed.files.length, age: ageSeconds };
  for (const m of COVERAGE_MEASURES) if (totals[m] !== undefined) metrics[m] = totals[m];
  const parts = COVERAGE_MEASURES.filter((m) => totals[m] !== undefined).map((m) => `${m} ${shownPercent(totals[m])}`);
  const least = lowest[0];
  let message = `${parts.join(', ')} over ${plural(parsed.files.length, 'file')}`;
  if (least && parsed.files.length > 1) message += `; lowest ${least.file} ${shownPercent(least.lines)}`;
  return {
    value: totals.lines ?? null,
    metrics,
    message: sanitizeLine(message, 300),
    detail: {
      report,
      format: parsed.format,
      written: new Date(stats.mtimeMs).toISOString(),
      ...(ran ? { ran: ran.command, ranFor: formatDuration(ran.durationMs, 'measured') } : {}),
      totals: Object.fromEntries(
        COVERAGE_MEASURES.map((m) => [m, parsed.total[m] ? `${shownPercent(totals[m])} (${parsed.total[m]!.covered}/${parsed.total[m]!.total})` : 'n/a (not in lcov)']),
      ),
      lowest: lowest.map((f) => ({
        file: f.file,
        lines: shownPercent(f.lines),
        branches: shownPercent(percent(f.tallies.branches)),
        functions: shownPercent(percent(f.tallies.functions)),
      })),
    },
  };
}

export const coverageCheck: CheckKind<CoverageCheckConfig> = {
  kind: 'coverage',
  description: 'Test coverage from the summary a test runner wrote (Istanbul coverage-summary.json or lcov.info)',
  alertType: 'COVERAGE_LOW',
  metrics: {
    lines: { unit: 'percent', description: 'lines covered, percent' },
    branches: { unit: 'percent', description: 'branches covered, percent' },
    functions: { unit: 'percent', description: 'functions covered, percent' },
    statements: { unit: 'percent', description: 'statements covered, percent (Istanbul only: lcov has none)' },
    files: { unit: 'count', description: 'files in the report' },
    age: { unit: 's', description: 'seconds since the report was written' },
  },
  schema: schema as unknown as z.ZodType<CoverageCheckConfig>,
  target: () => THIS_MACHINE,
  run: async (config, ctx) => {
    try {
      return await runCoverage(config, ctx);
    } catch (error) {
      return { value: null, metrics: {}, message: sanitizeLine(`coverage check failed: ${String(error)}`), status: 'error' };
    }
  },
};
