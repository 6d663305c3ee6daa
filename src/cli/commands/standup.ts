// `imos standup add|list|resolve`: the daily standup per system, from the command line. The same
// model (src/plan/standups.ts) backs the console's form.
import { Command, Option } from 'commander';
import { checkActor, CliError, EXIT, withContext, type CliContext } from '../context.js';
import { age, table } from '../format.js';
import { isDate, localDate, localMinutes } from '../../time/dates.js';
import { openBlockers, missingStandups, missingOn, type OpenBlocker, type MissingStandup } from '../../plan/blockers.js';
import { resolveBlocker, saveStandup, standupsOn, StandupValidationError, type BlockerDraft } from '../../plan/standups.js';
import { readMatrixFile } from '../../plan/matrix-file.js';
import type { Standup } from '../../model.js';
import type { Matrix } from '../../plan/types.js';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import { samePerson } from '../../identity.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  const standup = program.command('standup').description('daily standups per system: add, list, resolve blockers');
  const add = standup.command('add');
  // A --blocker-on belongs to the --blocker just before it (as in `--blocker a --blocker b
  // --blocker-on system:x`, where b waits on x): commander parses in argument order, so count the
  // blockers seen so far.
  const collectOn = (value: string, previous: BlockerOn[] = []): BlockerOn[] => [
    ...previous,
    { on: value, after: ((add.getOptionValue('blocker') as string[] | undefined) ?? []).length },
  ];
  add
    .description("add (or replace) today's standup of a system")
    .requiredOption('--system <id>', 'the system reported on')
    .requiredOption('--done <text>', 'what was done')
    .requiredOption('--next <text>', 'what comes next')
    .addOption(new Option('--blocker <text>', 'a blocker (repeatable)').argParser(collect))
    .addOption(new Option('--blocker-on <kind:id>', 'what the --blocker just before it waits on: system:ID, task:ID or person:ID').argParser(collectOn))
    .option('--json', 'print the saved standup as JSON')
    .action(
      withContext(async (ctx, opts: AddOptions) => addStandup(ctx, opts)),
    );
  standup
    .command('list')
    .description('standups of a day (default today), missing ones and open blockers')
    .option('--date <YYYY-MM-DD>', 'the day (project timezone)')
    .option('--system <id>', 'only this system')
    .option('--json', 'print JSON')
    .action(withContext(async (ctx, opts: ListOptions) => listStandups(ctx, opts)));
  standup
    .command('resolve <blocker>')
    .description('resolve an open blocker by id (e.g. B3)')
    .option('--note <text>', 'why it is resolved')
    .action(withContext(async (ctx, id: string, opts: { note?: string }) => resolveStandupBlocker(ctx, id, opts.note)));
}

export interface AddOptions {
  system: string;
  done: string;
  next: string;
  blocker?: string[];
  /** Strings pair by position; from the command line, each names how many --blocker came before it. */
  blockerOn?: Array<string | BlockerOn>;
  json?: boolean;
}

export interface BlockerOn {
  on: string;
  /** Number of --blocker options before this --blocker-on: it belongs to the last of them. */
  after: number;
}

async function matrixOrNull(ctx: CliContext): Promise<Matrix | null> {
  if (!ctx.config.matrix) return null;
  try {
    return (await readMatrixFile(ctx.config.matrix)).matrix;
  } catch {
    return null; // a broken matrix must not stop a standup; task ids are then not checked
  }
}

export async function addStandup(ctx: CliContext, opts: AddOptions): Promise<number> {
  checkActor(ctx);
  const texts = opts.blocker ?? [];
  const on = opts.blockerOn ?? [];
  if (on.every((o) => typeof o === 'string') && on.length > texts.length)
    throw new CliError(`--blocker-on given ${on.length} time(s) but --blocker only ${texts.length}: each --blocker-on belongs to the --blocker at the same position`, EXIT.usage);
  const waits: Array<string | null> = texts.map(() => null);
  on.forEach((o, i) => {
    const { on: value, index } = typeof o === 'string' ? { on: o, index: i } : { on: o.on, index: o.after - 1 };
    if (index < 0 || index >= texts.length)
      throw new CliError(`--blocker-on ${value} comes before any --blocker: put it after the blocker that waits`, EXIT.usage);
    if (waits[index] !== null)
      throw new CliError(`--blocker "${sanitizeLine(texts[index])}" has two --blocker-on (${waits[index]}, ${value}): a blocker waits on one thing`, EXIT.usage);
    waits[index] = value;
  });
  const blockers: BlockerDraft[] = texts.map((text, i) => ({ text, waitsOn: waits[i] ?? null }));
  try {
    const result = await saveStandup(ctx.store, { system: opts.system, done: opts.done, next: opts.next, blockers }, ctx.actor, ctx.clock.now(), ctx.config, await matrixOrNull(ctx));
    if (opts.json || ctx.json) ctx.out(JSON.stringify(result.standup, null, 2));
    else {
      const s = result.standup;
      const lines = [`${result.replaced ? 'replaced' : 'saved'} the ${s.date} standup of ${s.system} (by ${s.author})`];
      // Someone else's entry of today: say whose it was (it is kept in the entry's history).
      const previous = result.previous;
      if (previous && !samePerson(ctx.config, previous.author, s.author))
        lines[0] += `; it replaces the one ${sanitizeLine(previous.author, 80)} entered at ${clock(previous.at, ctx.config.timezone)}, kept in its history`;
      for (const b of result.opened) lines.push(`  new blocker ${b.id}: ${b.text}`);
      for (const b of result.resolved) lines.push(`  resolved ${b.id}: ${b.text}`);
      ctx.out(lines.join('\n'));
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof StandupValidationError) throw new CliError(`standup not saved: ${err.message}`, EXIT.usage);
    throw err;
  }
}

export interface ListOptions {
  date?: string;
  system?: string;
  json?: boolean;
}

export interface StandupList {
  date: string;
  standups: Standup[];
  missing: MissingStandup[];
  blockers: OpenBlocker[];
}

export async function listStandups(ctx: CliContext, opts: ListOptions): Promise<number> {
  const now = ctx.clock.now();
  const today = localDate(now, ctx.config.timezone);
  const date = opts.date ?? today;
  if (!isDate(date)) throw new CliError(`--date "${date}" is not a date: expected YYYY-MM-DD`, EXIT.usage);
  if (opts.system && !ctx.config.systems[opts.system]) throw new CliError(`unknown system "${opts.system}"`, EXIT.usage);
  const core = await ctx.store.read('core');
  const standups = standupsOn(core, date, opts.system);
  // Today: missing once the due time has passed; a past day: every system without one.
  const missing = (date === today ? missingStandups(ctx.config, core, now) : date < today ? missingOn(ctx.config, core, date) : []).filter(
    (m) => !opts.system || m.system === opts.system,
  );
  const blockers = openBlockers(core, now).filter((b) => !opts.system || b.system === opts.system);
  const list: StandupList = { date, standups, missing, blockers };
  ctx.out(opts.json || ctx.json ? JSON.stringify(list, null, 2) : formatStandups(list, now, ctx.config.timezone));
  return EXIT.ok;
}

/** HH:MM of an instant in the project's timezone (the day `--date` names is a day there too). */
function clock(iso: string, timeZone: string): string {
  const m = localMinutes(Date.parse(iso), timeZone);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function formatStandups(list: StandupList, now: number, timeZone = 'UTC'): string {
  const lines = [`Standups ${list.date}: ${list.standups.length} reported${list.missing.length ? `, ${list.missing.length} missing` : ''}`];
  for (const s of list.standups) {
    const edits = s.history.length ? ` (edited ${s.history.length}×)` : '';
    lines.push('', `${s.system} — ${s.author} at ${clock(s.at, timeZone)}${edits}`);
    lines.push(`  done: ${s.done.replace(/\n/g, '\n        ')}`);
    lines.push(`  next: ${s.next.replace(/\n/g, '\n        ')}`);
    for (const b of s.blockers) lines.push(`  blocker ${b.id}${b.waitsOn ? ` (waits on ${b.waitsOn.kind} ${b.waitsOn.id})` : ''}: ${b.text}${b.resolvedAt ? ' [resolved]' : ''}`);
  }
  if (list.missing.length) {
    lines.push('', 'Missing:');
    for (const m of list.missing) lines.push(`  ${m.system}${m.leader ? ` (leader ${m.leader})` : ''}`);
  }
  if (list.blockers.length) {
    lines.push('', 'Open blockers:');
    lines.push(
      table(
        ['ID', 'SYSTEM', 'OPEN SINCE', 'WAITS ON', 'BLOCKER'],
        list.blockers.map((b) => [b.id, b.system, age(b.openedAt, now), b.waitsOn ? `${b.waitsOn.kind}:${b.waitsOn.id}` : '–', b.text]),
      ),
    );
  }
  // Stored text was cleaned when written; a store from elsewhere (or an older imos) may not be.
  return sanitizeText(lines.join('\n'));
}

export async function resolveStandupBlocker(ctx: CliContext, id: string, note?: string): Promise<number> {
  checkActor(ctx);
  const audit = await resolveBlocker(ctx.store, id, ctx.actor, ctx.clock.now(), note);
  if (!audit) throw new CliError(`no open blocker "${id}"`, 1);
  ctx.out(`resolved ${audit.target}: ${String(audit.detail?.text ?? '')}`);
  return EXIT.ok;
}
