// `imos console` (and `imos` with no command): the full-screen console.
import type { Command } from 'commander';
import { globalOptions } from '../context.js';

export function register(program: Command): void {
  program
    .command('console')
    .description('the full-screen console (plain status summary when output is not a terminal)')
    .option('--readonly', 'no action that changes state (and no poller)')
    .option('--wallboard', 'read-only, cycles the panes, runs without a keyboard')
    .option('--cycle <duration>', 'wallboard: time per pane', '15s')
    .option('--no-color', 'monochrome (also: NO_COLOR=1)')
    .action(async (opts: { readonly?: boolean; wallboard?: boolean; cycle?: string; color?: boolean }, command: Command) => {
      const { runConsole } = await import('../../console/run.js');
      const global = globalOptions(command);
      process.exitCode = await runConsole({ ...opts, config: global.config, store: global.store, as: global.as });
    });
}
