// The `imos` command: global options, the command modules, and one place that turns failures
// into a message and an exit code (64 usage, 78 config, 1 other).
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/load.js';
import { StoreError } from '../store/types.js';
import { registerAllCommands } from './commands/index.js';
import { CliError, EXIT } from './context.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command('imos')
    .description('imos: the terminal operations console for multi-system integration projects')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-c, --config <file>', 'configuration file (default ./imos.yaml, or $IMOS_CONFIG)'))
    .addOption(new Option('--store <path>', "store file (default: the configuration's `store:`)"))
    .addOption(new Option('--as <name>', 'who is acting, for the audit log (default: the login user)'))
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerAllCommands(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Run the CLI with `argv` (process.argv style); resolves to the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version output are not failures.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    process.stderr.write(`imos: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`imos: invalid configuration\n${error.message}\n`);
    return EXIT.config;
  }
  if (error instanceof StoreError) {
    process.stderr.write(`imos: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`imos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

// Started as the bundled binary (bin/imos.js imports dist/imos.js and calls main()).
