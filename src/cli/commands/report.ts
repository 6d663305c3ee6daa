// `imos report daily|weekly [--date D] [--format md|json] [--out FILE]`: reports from the store and
// the matrix, for any past day or week.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Argument, Command, Option } from 'commander';
import { CliError, EXIT, withContext, type CliContext } from '../context.js';
import { isDate, localDate } from '../../plan/dates.js';
import { buildReport, renderReport, type ReportFormat, type ReportKind } from '../../reports/build.js';

export interface ReportOptions {
  date?: string;
  format?: ReportFormat;
  out?: string;
  json?: boolean;
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
    .action(withContext(async (ctx, kind: ReportKind, opts: ReportOptions) => runReport(ctx, kind, opts)));
}

export async function runReport(ctx: CliContext, kind: ReportKind, opts: ReportOptions): Promise<number> {
  const now = ctx.clock.now();
  const today = localDate(now, ctx.config.timezone);
  const date = opts.date ?? today;
  if (!isDate(date)) throw new CliError(`--date "${date}" is not a date: expected YYYY-MM-DD`, EXIT.usage);
  if (date > today) throw new CliError(`--date ${date} is in the future (today is ${today})`, EXIT.usage);
  const format: ReportFormat = opts.json || ctx.json ? 'json' : (opts.format ?? 'md');
  const text = renderReport(await buildReport(kind, ctx.config, ctx.store, date, now), format);
  if (!opts.out) {
    ctx.out(text.trimEnd());
    return EXIT.ok;
  }
  const file = path.resolve(opts.out);
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
