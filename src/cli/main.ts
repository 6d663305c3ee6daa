// The `imos` command: global options, the command modules, and one place that turns failures
// into a message and an exit code (64 usage, 78 config, 1 other).
import { Command, CommanderError, Option } from 'commander';
import { commandNameOf, withDefaultCommand } from './command-name.js';
import { registerCommands } from './commands/index.js';
import { CliError, EXIT } from './context.js';
import { VERSION } from '../version.js';
import { sanitizeText } from '../text/sanitize.js';
import { redactSecrets } from '../text/redact.js';
import { envSecrets } from '../text/secrets.js';
import { keepHeapNearLiveData, LONG_RUNNING_COMMANDS } from '../heap.js';

export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command('imos')
    .description('imos: the terminal operations console for multi-system integration projects')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-c, --config <file>', 'configuration file (default ./imos.yaml, or $IMOS_CONFIG)'))
    .addOption(new Option('--store <path>', "store file (default: the configuration's `store:`)"))
    .addOption(new Option('--as <name>', 'who is acting, for the audit log (default: the login user)'))
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(sanitizeText(text)) });
  await registerCommands(program, commandNameOf(args), args);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Run the CLI with `argv` (process.argv style); resolves to the exit code. */
export async function main(argv: string[] = process.argv): Promise<number> {
  stopQuietlyWhenTheReaderLeaves();
  const args = withDefaultCommand(argv.slice(2));
  // Before anything is loaded or read: the heap's first growth is what a long-running process keeps.
  if (LONG_RUNNING_COMMANDS.has(commandNameOf(args) ?? '')) keepHeapNearLiveData();
  try {
    const program = await buildProgram(args);
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

/**
 * A reader that stops early (`imos status | head -5`) closes the pipe: the rest of the output is
 * not wanted, which is no failure of imos. Leave at once with 141 (128 + SIGPIPE), as a program ended by
 * SIGPIPE does, instead of a stack trace for the write that could not happen.
 */
function stopQuietlyWhenTheReaderLeaves(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.readerGone);
    throw error;
  });
}

function reportFailure(error: unknown): number {
  // Messages echo what was typed or read (an option, a date, a YAML value): no terminal controls,
  // and no secret from the environment (a token, a webhook URL) even when a message quotes one.
  const write = (text: string) => process.stderr.write(sanitizeText(redactSecrets(text, envSecrets(process.env))));
  if (error instanceof CommanderError) {
    // Help and version output are not failures.
    // Help shown because a command was left without its subcommand (`imos standup`) is a usage error.
    if (error.code === 'commander.help' && error.exitCode !== 0) return EXIT.usage;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    write(`imos: ${error.message}\n`);
    return error.exitCode;
  }
  // Matched by name, not instanceof: importing those modules here would slow every start.
  const name = error instanceof Error ? error.name : '';
  if (name === 'ConfigError') {
    write(`imos: invalid configuration\n${(error as Error).message}\n`);
    return EXIT.config;
  }
  if (name === 'StoreError') {
    write(`imos: ${(error as Error).message}\n`);
    return 1;
  }
  write(`imos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

// Started as the bundled binary (bin/imos.js imports dist/imos.js and calls main()).
