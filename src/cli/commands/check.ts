// `imos check`: run checks once, now; print a table or JSON; exit by the worst status.
import type { Command } from 'commander';
import { checkOnce } from '../../engine/check-once.js';
import { RecordError } from '../../engine/engine.js';
import type { CheckResult } from '../../model.js';
import { CliError, EXIT, withContext, type CliContext } from '../context.js';
import { belowThreshold, belowThresholdText } from '../../thresholds.js';
import { STATUS_GLYPH, formatValue, table } from '../format.js';
import { sanitizeLine } from '../../text/sanitize.js';

export function register(program: Command): void {
  program
    .command('check')
    .description('run checks once, now, store the results, and exit by the worst status (0 ok, 1 HIGH, 2 CRITICAL or could not run)')
    .option('--json', 'print one JSON object per check (an array)')
    .option('--only <ids...>', 'run only these check ids')
    .action(
      withContext(
        async (ctx, opts: { json?: boolean; only?: string[] }) => runCheckCommand(ctx, opts),
        // --only: the other checks are not run, so their options and conditions are not validated.
        (opts) => ({ checks: opts.only as string[] | undefined }),
      ),
    );
}

export async function runCheckCommand(ctx: CliContext, opts: { json?: boolean; only?: string[] }): Promise<number> {
  const known = new Set(ctx.config.checks.map((c) => c.id));
  const disabled = (opts.only ?? []).filter((id) => ctx.config.disabledChecks?.includes(id));
  if (disabled.length > 0) throw new CliError(`${disabled.join(', ')}: disabled in ${ctx.config.file} (enabled: false)`, EXIT.usage);
  const unknown = (opts.only ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    // A large configuration names the first few only: 10,000 ids are not a usage message.
    const shown = [...known].slice(0, 20).join(', ') + (known.size > 20 ? `, … (${known.size} in all; imos status lists them)` : '');
    throw new CliError(`unknown check id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${shown})`, EXIT.usage);
  }
  if (ctx.config.checks.length === 0) throw new CliError(`no checks configured in ${ctx.config.file}`, EXIT.usage);

  const progress = process.stderr.isTTY && !opts.json;
  // A store that cannot be written (read-only, full) or read (a file that does not parse is never
  // overwritten): the results were not kept (nor turned into alerts). Say so, naming the file or
  // database, instead of exiting as if they were.
  const unstored: string[] = [];
  let results: CheckResult[];
  try {
    results = await checkOnce(ctx.config, ctx.store, opts.only, {
      clock: ctx.clock,
      onProgress: (done, total, result) => {
        if (progress) process.stderr.write(`\r\x1b[2Kchecking ${done}/${total}  ${result.id}`);
      },
    });
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    results = error.results;
    unstored.push(`${error.message} (store ${ctx.store.location})`);
  }
  if (progress) process.stderr.write('\r\x1b[2K');

  for (const [section, what] of [['results', 'results not stored'], ['core', 'alerts not updated']] as const) {
    await ctx.store.read(section).catch((error: unknown) => unstored.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
  }
  for (const problem of unstored) process.stderr.write(`imos: ${sanitizeLine(problem, 400)}\n`);

  const runs = results.map((r) => ({ ...r, status: r.runStatus }));
  if (opts.json || ctx.json) {
    ctx.out(JSON.stringify(runs.map(toJson), null, 2));
  } else {
    ctx.out(
      table(
        ['', 'CHECK', 'SYSTEM', 'KIND', 'STATUS', 'VALUE', 'TIME', 'MESSAGE'],
        runs.map((r) => [STATUS_GLYPH[r.status], r.id, r.system, r.kind, r.status, formatValue(r.value), `${r.durationMs}ms`, r.message]),
      ),
    );
  }
  // A failing run that has not reached its check's failure_threshold opens no alert yet, and
  // `imos status` keeps showing the check as it was: say so here, on stderr (the output stays).
  if (unstored.length === 0) {
    const stored = await ctx.store.read('results').catch(() => null);
    const byId = new Map(ctx.config.checks.map((c) => [c.id, c]));
    for (const r of runs) {
      const check = byId.get(r.id);
      const below = check && stored ? belowThreshold(stored.checks[r.id], check) : null;
      if (below) process.stderr.write(`imos: ${r.id}: ${belowThresholdText(below)} (failure_threshold ${below.threshold}): ${r.status} in this run, no alert yet\n`);
    }
  }
  const code = exitCodeFor(runs.map((r) => r.status));
  return unstored.length > 0 ? Math.max(code, 1) : code;
}

export function exitCodeFor(statuses: string[]): number {
  if (statuses.some((s) => s === 'CRITICAL' || s === 'error')) return EXIT.critical;
  if (statuses.includes('HIGH')) return EXIT.high;
  return EXIT.ok;
}

/** A check in `--json` output, as docs/CONTRACT.md documents it. */
export function toJson(r: CheckResult) {
  return {
    id: r.id,
    system: r.system,
    kind: r.kind,
    status: r.status,
    value: r.value,
    metrics: r.metrics,
    message: r.message,
    durationMs: r.durationMs,
    at: r.at,
  };
}
