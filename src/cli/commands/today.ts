// `imos today [--json]`: the manager's morning — overnight summary, alerts waiting for a human,
// blockers, today's priorities.
import type { Command } from 'commander';
import { EXIT, withContext, type CliContext } from '../context.js';
import { buildToday, formatToday, lastWorkingDay } from '../../reports/today.js';
import { loadPlanOverview, type PlanOverview } from '../../plan/overview.js';
import { localDate, startOfDay } from '../../time/dates.js';
import { planSettings } from '../../config/plan-settings.js';

export function register(program: Command): void {
  program
    .command('today')
    .description("the manager's day: overnight summary, alerts waiting for a human, blockers, today's priorities")
    .option('--json', 'print JSON')
    .action(withContext(async (ctx, opts: { json?: boolean }) => showToday(ctx, Boolean(opts.json || ctx.json))));
}

export async function showToday(ctx: CliContext, json: boolean): Promise<number> {
  const now = ctx.clock.now();
  const core = await ctx.store.read('core');
  const since = startOfDay(lastWorkingDay(localDate(now, ctx.config.timezone), planSettings(ctx.config).workingDays), ctx.config.timezone);
  const audit = await ctx.store.readAudit({ since: new Date(since).toISOString() });
  let plan: PlanOverview | null = null;
  let planError: string | null = null;
  if (!ctx.config.matrix) planError = 'no `matrix:` configured';
  else {
    try {
      plan = await loadPlanOverview(ctx.config, core.snapshots, now);
    } catch (err) {
      planError = err instanceof Error ? err.message : String(err);
    }
  }
  const report = buildToday({ config: ctx.config, core, audit, plan, planError, now });
  ctx.out(json ? JSON.stringify(report, null, 2) : formatToday(report, now));
  return EXIT.ok;
}
