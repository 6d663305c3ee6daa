// `imos notify test CHANNEL`: send a sample message through the real sender, so people can check
// their setup (exit 1 with the reason when it fails). `imos notify outbox` lists what waits or
// failed; `imos notify retry ID` puts a failed notification back in the queue.
import type { Command } from 'commander';
import type { OutboxMessage } from '../../model.js';
import { deliveringChannelNames } from '../../channels/registry.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { redactSecrets } from '../../text/redact.js';
import { configSecrets } from '../../config/secrets.js';
import { checkActor, CliError, EXIT, withContext, type CliContext } from '../context.js';

interface TestOptions {
  to?: string[];
}

interface OutboxOptions {
  json?: boolean;
  all?: boolean;
}

export function register(program: Command): void {
  const notify = program.command('notify').description('notification channels: send a test message, inspect the outbox');

  const testable = deliveringChannelNames();
  notify
    .command('test')
    .description(`send a sample message through a channel (${testable.join(', ')}) now`)
    .argument('<channel>', testable.join(' | '))
    .option('--to <who...>', 'people (ids from the config) or addresses for the test message')
    .action(withContext(async (ctx, channel: string, opts: TestOptions) => sendTest(ctx, channel, opts)));

  notify
    .command('outbox')
    .description('list notifications waiting or failed (--all: sent ones too)')
    .option('--json', 'print JSON')
    .option('--all', 'include sent notifications')
    .action(withContext(async (ctx, opts: OutboxOptions) => listOutbox(ctx, opts)));

  notify
    .command('retry')
    .description('put a failed notification back in the queue')
    .argument('<id>', 'outbox row id (see imos notify outbox)')
    .action(
      withContext(async (ctx, id: string) => {
        checkActor(ctx);
        const { requeueMessage } = await import('../../notify/dispatcher.js');
        const row = await requeueMessage(ctx.store, id.trim(), ctx.clock.now(), ctx.actor);
        if (!row) throw new CliError(`no notification with id "${sanitizeLine(id, 60)}" (see imos notify outbox --all)`);
        if (row.state !== 'pending') throw new CliError(`${row.id} is ${row.state}, not failed: nothing to retry`);
        ctx.out(`${row.id} queued again (${row.channel}, ${row.kind})`);
        return 0;
      }),
    );
}

async function sendTest(ctx: CliContext, channelName: string, opts: TestOptions): Promise<number> {
  const name = channelName.trim().toLowerCase();
  const testable = deliveringChannelNames();
  if (!testable.includes(name)) {
    throw new CliError(`unknown channel "${sanitizeLine(channelName, 40)}": expected one of ${testable.join(', ')}`, EXIT.usage);
  }
  const { buildSenders, channelProblem, closeSenders, getChannel } = await import('../../channels/registry.js');
  const { outboxRow } = await import('../../notify/outbox.js');
  const channel = getChannel(name)!;
  const problem = channelProblem(ctx.config, name);
  if (problem) throw new CliError(`cannot send a test through ${name}: ${problem}`);
  const settings = (ctx.config.channels as Record<string, object | undefined>)[name] ?? {};
  const to = opts.to?.length ? opts.to : (channel.test?.recipients?.(settings, ctx.config, ctx.actor) ?? []);
  const senders = buildSenders(ctx.config);
  const sender = senders[name]!;
  const now = ctx.clock.now();
  const message = outboxRow(
    {
      id: `test-${now}`,
      channel: name,
      kind: 'test',
      to,
      subject: `Test message from imos (${sanitizeLine(ctx.config.project, 80)})`,
      text: `This is a test of the ${name} channel, sent by ${ctx.actor}. If you can read it, notifications reach you.`,
    },
    now,
  );
  try {
    if (channel.test?.verify) ctx.out(`${name}: ${await channel.test.verify(sender)}`);
    const result = await sender.send(message, { alert: null, config: ctx.config, nowMs: now });
    const detail = result.detail ? ` (${sanitizeLine(redactSecrets(result.detail, configSecrets(ctx.config)), 200)})` : '';
    ctx.out(`${name}: test message sent${detail}`);
    return 0;
  } catch (error) {
    const reason = sanitizeLine(redactSecrets((error as Error).message ?? String(error), configSecrets(ctx.config)), 300);
    throw new CliError(`${name}: the test message was not sent: ${reason}`, 1);
  } finally {
    await closeSenders(senders);
  }
}

function outboxLine(row: OutboxMessage, secrets: string[]): string {
  const when = row.state === 'sent' ? `sent ${row.sentAt}` : row.state === 'failed' ? 'FAILED' : `next ${row.nextAttemptAt}`;
  const error = row.lastError ? ` — ${sanitizeLine(redactSecrets(row.lastError, secrets), 120)}` : '';
  return `${row.id}  ${row.channel}  ${row.kind}  ${row.alertId ?? '-'}  ${row.state}  attempts ${row.attempts}  ${when}${error}`;
}

async function listOutbox(ctx: CliContext, opts: OutboxOptions): Promise<number> {
  const core = await ctx.store.read('core');
  // A sent row with an error went out only in part (an SMTP server refused a recipient).
  const rows = core.outbox.filter((r) => opts.all || r.state !== 'sent' || r.lastError);
  // Errors are stored redacted; an older row, or a secret added since, is redacted as shown too.
  const secrets = configSecrets(ctx.config);
  if (opts.json || ctx.json) {
    ctx.out(
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          kind: r.kind,
          alertId: r.alertId,
          state: r.state,
          attempts: r.attempts,
          nextAttemptAt: r.nextAttemptAt,
          lastError: r.lastError === null ? null : redactSecrets(r.lastError, secrets),
          createdAt: r.createdAt,
          sentAt: r.sentAt,
        })),
        null,
        2,
      ),
    );
  } else {
    ctx.out(rows.length ? rows.map((row) => outboxLine(row, secrets)).join('\n') : opts.all ? 'The outbox is empty.' : 'Nothing waiting or failed in the outbox.');
  }
  return 0;
}
