// `imos alerts`, `imos ack`, `imos unack`, `imos resolve`, `imos snooze`: list alerts and act on
// them. Thin: arguments → src/alerts → output. Exit 0, or 1 for an unknown id / invalid action.
import type { Command } from 'commander';
import { AlertActionError, performAlertAction, type AlertAction } from '../../alerts/actions.js';
import { alertTable, sortAlerts } from '../../alerts/present.js';
import { alertJson } from '../../alert-json.js';
import { responseStats, type ResponseFigures, type ResponseStats } from '../../alerts/metrics.js';
import { alertsWithArchive } from '../../alerts/archive.js';
import { formatDuration } from '../../text/durations.js';
import { checkActor, CliError, EXIT, withContext, type CliContext } from '../context.js';
import { table } from '../format.js';
import { localStamp } from '../../time/zoned.js';

interface ListOptions {
  json?: boolean;
  all?: boolean;
  stats?: boolean;
  days?: string;
}

interface ActionOptions {
  note?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('alerts')
    .description('list active alerts by severity, then age (--all: resolved ones too)')
    .option('--json', 'print JSON')
    .option('--all', 'include resolved alerts')
    .option('--stats', 'MTTA / MTTR per severity and per system, against the response targets')
    .option('--days <n>', 'with --stats: the period, in days up to now', '7')
    .action(withContext(async (ctx, opts: ListOptions) => listAlerts(ctx, opts)));

  const action = (name: string, description: string, extra?: (c: Command) => Command) => {
    let command = program.command(name).description(description).argument('<id>', 'alert id, e.g. A12');
    if (extra) command = extra(command);
    command.option('--note <text>', 'a note for the audit log (and the Slack thread)').option('--json', 'print the alert as JSON');
    return command;
  };

  action('ack', 'acknowledge an alert: stops its escalation').action(
    withContext(async (ctx, id: string, opts: ActionOptions) => act(ctx, 'ack', id, opts)),
  );
  action('unack', 'withdraw an acknowledgement: escalation resumes').action(
    withContext(async (ctx, id: string, opts: ActionOptions) => act(ctx, 'unack', id, opts)),
  );
  action('resolve', 'resolve an alert by hand').action(
    withContext(async (ctx, id: string, opts: ActionOptions) => act(ctx, 'resolve', id, opts)),
  );
  action('snooze', 'silence an alert for a duration (30m, 2h, 1d) or until a time', (c) =>
    c.argument('<duration>', 'how long (30m, 2h, 1h30m, 1d) or until when (2026-01-05T18:00, project timezone)'),
  ).action(withContext(async (ctx, id: string, until: string, opts: ActionOptions) => act(ctx, 'snooze', id, opts, until)));
}

async function listAlerts(ctx: CliContext, opts: ListOptions): Promise<number> {
  const core = await ctx.store.read('core');
  const nowMs = ctx.clock.now();
  if (opts.stats) {
    const days = Number(opts.days);
    if (!Number.isInteger(days) || days < 1 || days > 3660) throw new CliError(`--days expects a whole number of days (1–3660), got '${opts.days}'`, EXIT.usage);
    const from = nowMs - days * 86_400_000;
    const all = await alertsWithArchive(ctx.store, core, new Date(from).toISOString());
    const stats = responseStats(all, ctx.config, from, nowMs + 1);
    ctx.out(opts.json || ctx.json ? JSON.stringify(stats, null, 2) : statsTable(stats, days, ctx.config.timezone));
    return 0;
  }
  const alerts = sortAlerts(opts.all ? await alertsWithArchive(ctx.store, core) : core.alerts.filter((a) => a.state !== 'resolved'));
  if (opts.json || ctx.json) ctx.out(JSON.stringify(alerts.map(alertJson), null, 2));
  else ctx.out(alertTable(alerts, nowMs, process.stdout.columns || 100));
  return 0;
}

async function act(ctx: CliContext, action: AlertAction, id: string, opts: ActionOptions, until?: string): Promise<number> {
  checkActor(ctx);
  try {
    const outcome = await performAlertAction(ctx.store, ctx.config, action, {
      id,
      actor: ctx.actor,
      note: opts.note ?? null,
      ...(until !== undefined ? { until } : {}),
      nowMs: ctx.clock.now(),
    });
    ctx.out(opts.json || ctx.json ? JSON.stringify(alertJson(outcome.alert), null, 2) : outcome.message);
    return 0;
  } catch (error) {
    if (error instanceof AlertActionError) throw new CliError(error.message, 1);
    throw error;
  }
}

function statsTable(stats: ResponseStats, days: number, timeZone: string): string {
  const ms = (v: number | null) => (v === null ? '–' : formatDuration(Math.max(0, v)));
  const figures = (f: ResponseFigures) => [String(f.count), ms(f.mttaMs), ms(f.mttrMs)];
  const tail = (f: ResponseFigures) => [String(f.breached), String(f.open)];
  const bySeverity = Object.entries(stats.bySeverity).map(([s, f]) => [s, ...figures(f), ms(f.targetMs), ...tail(f)]);
  const bySystem = Object.entries(stats.bySystem).map(([s, f]) => [s, ...figures(f), ...tail(f)]);
  return [
    `Alerts opened in the last ${days} day${days === 1 ? '' : 's'} (since ${localStamp(Date.parse(stats.from), timeZone)})`,
    '',
    table(['', 'ALERTS', 'MTTA', 'MTTR', 'TARGET', 'BREACHED', 'OPEN'], [...bySeverity, ['all', ...figures(stats.overall), '', ...tail(stats.overall)]]),
    ...(bySystem.length ? ['', table(['SYSTEM', 'ALERTS', 'MTTA', 'MTTR', 'BREACHED', 'OPEN'], bySystem)] : []),
  ].join('\n');
}
