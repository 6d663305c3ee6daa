// `imos console` (and `imos` with no command): the full-screen console.
import type { Command } from 'commander';
import { globalOptions } from '../context.js';
import type { Skeleton } from '../../console/skeleton.js';

export function register(program: Command): void {
  const consoleCommand = program
    .command('console')
    .description('the full-screen console (plain status summary when output is not a terminal)')
    .option('--readonly', 'no action that changes state (and no poller)')
    .option('--wallboard', 'read-only, cycles the panes, runs without a keyboard')
    .option('--cycle <duration>', 'wallboard: time per pane', '15s')
    .option('--no-color', 'monochrome (also: NO_COLOR=1)')
    .action(async (opts: { readonly?: boolean; wallboard?: boolean; cycle?: string; color?: boolean }, command: Command) => {
      const global = globalOptions(command);
      // On a terminal, a first frame at once (the project's name, the panes loading) while Ink and
      // the configuration load; the console's own screen replaces it.
      let skeleton: Skeleton | null = null;
      if (process.stdout.isTTY) {
        const { drawSkeleton, projectNameOf } = await import('../../console/skeleton.js');
        const { resolveConfigPath } = await import('../../config/locate.js');
        skeleton = drawSkeleton(process.stdout, projectNameOf(resolveConfigPath(global.config)) ?? 'imos');
      }
      try {
        const { runConsole } = await import('../../console/run.js');
        process.exitCode = await runConsole({ ...opts, config: global.config, store: global.store, as: global.as, screenReady: skeleton !== null });
      } catch (error) {
        skeleton?.leave(); // e.g. an invalid configuration: its message goes to the normal screen
        throw error;
      }
    });
  // `imos` alone is the console: `imos --help` lists its options too, read from the command itself.
  program.addHelpText('after', () => {
    const rows = consoleCommand.options.map((o) => `  ${o.flags.padEnd(20)} ${o.description}${o.defaultValue !== undefined && typeof o.defaultValue === 'string' ? ` (default ${o.defaultValue})` : ''}`);
    return `\nThe console (imos, or imos console) takes:\n${rows.join('\n')}\n`;
  });
}
