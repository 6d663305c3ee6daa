// `imos store check` / `imos store repair`: look at the store files, and set a broken one aside.
import type { Command } from 'commander';
import { loadConfigOrExit } from '../../config/load.js';
import { inspectStore, repairStore } from '../../store/repair.js';
import { checkStoreTarget } from '../../store/open.js';
import { CliError, EXIT, globalOptions } from '../context.js';

async function storePath(command: Command): Promise<string> {
  const options = globalOptions(command);
  const target = options.store ?? (await loadConfigOrExit(options.config)).store;
  try {
    return checkStoreTarget(target); // a URL names no files here (and its password is never shown)
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.config);
  }
}

export function register(program: Command): void {
  const store = program.command('store').description('inspect or repair the store files');

  store
    .command('check')
    .description('report whether every store file can be read (exit 78 when one cannot)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const health = await inspectStore(await storePath(command));
      if (opts.json) process.stdout.write(JSON.stringify(health, null, 2) + '\n');
      else for (const h of health) process.stdout.write(`${h.problem ? '✖' : '✓'} ${h.section.padEnd(8)} ${h.file}${h.exists ? '' : ' (not created yet)'}${h.problem ? `\n    ${h.problem}` : ''}\n`);
      process.exitCode = health.some((h) => h.problem) ? EXIT.config : EXIT.ok;
    });

  store
    .command('repair')
    .description('set unreadable store files aside (kept as <file>.corrupt-<time>) and start those sections empty')
    .action(async (_opts: unknown, command: Command) => {
      const actions = await repairStore(await storePath(command));
      if (actions.length === 0) process.stdout.write('nothing to repair: every store file is readable\n');
      for (const a of actions) process.stdout.write(`${a.section}: ${a.problem}\n    kept as ${a.keptAs}; the section starts empty\n`);
    });
}
