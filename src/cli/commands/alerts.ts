// `imos alerts`, `imos ack`, `imos unack`, `imos resolve`, `imos snooze`: list alerts and act on
// them. Thin: arguments → src/alerts → output. Exit 0, or 1 for an unknown id / invalid action.
import type { Command } from 'commander';
import { AlertActionError, performAlertAction, type AlertAction } from '../../alerts/actions.js';
import { alertJson, alertTable, sortAlerts } from '../../alerts/present.js';
import { CliError, withContext, type CliContext } from '../context.js';

interface ListOptions {
  json?: boolean;
  all?: boolean;
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
  const alerts = sortAlerts(opts.all ? core.alerts : core.alerts.filter((a) => a.state !== 'resolved'));
  if (opts.json || ctx.json) ctx.out(JSON.stringify(alerts.map(alertJson), null, 2));
  else ctx.out(alertTable(alerts, nowMs, process.stdout.columns || 100));
  return 0;
}

async function act(ctx: CliContext, action: AlertAction, id: string, opts: ActionOptions, until?: string): Promise<number> {
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
