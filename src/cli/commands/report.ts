// `imos report daily|weekly [--date D] [--format md|json] [--out FILE]`: reports from the store and
// the matrix, for any past day or week.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Argument, Command, Option } from 'commander';
import { CliError, EXIT, withContext, type CliContext } from '../context.js';
import { isDate, localDate } from '../../time/dates.js';
import { buildReport, renderReport, type ReportFormat, type ReportKind } from '../../reports/build.js';
import { storePaths } from '../../store/paths.js';
import { deliveringChannelNames } from '../../channels/registry.js';

export interface ReportOptions {
  date?: string;
  format?: ReportFormat;
  out?: string;
  json?: boolean;
  post?: string[];
}

export function register(program: Command): void {
  program
    .command('report')
    .description('daily or weekly report (Markdown with Mermaid charts, or JSON) from the store and the matrix')
    .addArgument(new Argument('<kind>', 'daily or weekly').choices(['daily', 'weekly']))
    .option('--date <YYYY-MM-DD>', 'the day, or a day of the week, to report (default: today, project timezone)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to a file instead of standard output')
    .addOption(
      new Option('--post <channel...>', `also send it through the outbox to a channel (${deliveringChannelNames().join(', ')})`).choices(deliveringChannelNames()),
    )
    .action(withContext(async (ctx, kind: ReportKind, opts: ReportOptions) => runReport(ctx, kind, opts)));
}

export async function runReport(ctx: CliContext, kind: ReportKind, opts: ReportOptions): Promise<number> {
  const now = ctx.clock.now();
  const today = localDate(now, ctx.config.timezone);
  const date = opts.date ?? today;
  if (!isDate(date)) throw new CliError(`--date "${date}" is not a date: expected YYYY-MM-DD`, EXIT.usage);
  if (date > today) throw new CliError(`--date ${date} is in the future (today is ${today})`, EXIT.usage);
  const format: ReportFormat = opts.json || ctx.json ? 'json' : (opts.format ?? 'md');
  const built = await buildReport(kind, ctx.config, ctx.store, date, now);
  if (opts.post?.length) return postReport(ctx, kind, date, renderReport(built, 'md'), opts.post);
  const text = renderReport(built, format);
  if (!opts.out) {
    ctx.out(text.trimEnd());
    return EXIT.ok;
  }
  const file = path.resolve(opts.out);
  // Never replace imos's own files with a report (a slip of --out data/imos.json lost every alert).
  const own: Array<[string | undefined, string]> = [
    [ctx.config.file, 'configuration'],
    [ctx.config.matrix, 'integration matrix'],
  ];
  if (ctx.store.kind === 'json') {
    const store = storePaths(ctx.store.location);
    for (const files of Object.values(store.sections)) own.push([files.snapshot, 'store'], [files.journal, 'store']);
    own.push([store.lease, 'store'], [store.audit, 'audit log']);
  }
  const real = (p: string) => fs.realpath(p).catch(() => path.resolve(p));
  const target = await real(file);
  for (const [ownFile, what] of own) {
    if (ownFile && (await real(ownFile)) === target) throw new CliError(`--out ${file} is the ${what}: write the report to another file`, EXIT.usage);
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw new CliError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 1);
  }
  ctx.out(`wrote the ${kind} report for ${date} to ${file}`);
  return EXIT.ok;
}

/**
 * Queue the report for each channel; when no poller runs, send it from here (the outbox's claims
 * keep a row from going out twice either way). Exit 1 when a channel refused it.
 */
async function postReport(ctx: CliContext, kind: ReportKind, date: string, markdown: string, channels: string[]): Promise<number> {
  const { enqueueMessage } = await import('../../notify/post.js');
  const { readHolder } = await import('../../engine/lease.js');
  const subject = `${kind === 'daily' ? 'Daily' : 'Weekly'} report ${date} — ${ctx.config.project}`;
  const rows = [];
  for (const channel of channels) {
    rows.push(await enqueueMessage(ctx.store, { channel, kind: 'report', subject, text: markdown }, ctx.clock.now()));
  }
  if (await readHolder(ctx.store)) {
    ctx.out(`queued the ${kind} report for ${channels.join(', ')}: the poller sends it`);
    return EXIT.ok;
  }
  const { createNotifier } = await import('../../notify/index.js');
  const notifier = createNotifier(ctx.store, ctx.config, ctx.clock);
  try {
    await notifier.flush(ctx.clock.now());
  } finally {
    await notifier.close();
  }
  const outbox = (await ctx.store.read('core')).outbox;
  let failed = false;
  for (const row of rows) {
    const now = outbox.find((r) => r.id === row.id);
    if (now?.state === 'sent') ctx.out(`posted the ${kind} report to ${row.channel}`);
    else {
      failed = true;
      process.stderr.write(`imos: ${row.channel}: the ${kind} report was not sent${now?.lastError ? `: ${now.lastError}` : ''} (imos notify outbox shows it)\n`);
    }
  }
  return failed ? 1 : EXIT.ok;
}
