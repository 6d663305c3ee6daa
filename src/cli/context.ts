// What every command gets: the loaded configuration, the store, who is acting, the clock.
// Commands stay thin: parse arguments, call engine / domain functions, print.
import type { Command } from 'commander';
import type { LoadOptions } from '../config/load.js';
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';
import { sanitizeLine } from '../text/sanitize.js';
import { actorName, isUnknownActor, loginUser, refusesUnknownActors, unknownActorMessage } from '../identity.js';
import { CliError, EXIT } from '../exit.js';
import { textBatches } from '../text/pieces.js';
import { LONG_RUNNING_COMMANDS } from '../heap.js';

export { CliError, EXIT } from '../exit.js';

export interface GlobalOptions {
  config?: string;
  store?: string;
  as?: string;
  json?: boolean;
}

export interface CliContext {
  config: ImosConfig;
  store: Store;
  /** Who acts: --as, else the login user (SUDO_USER / USER / os.userInfo). */
  actor: string;
  clock: Clock;
  json: boolean;
  out: (text: string) => void;
  /** Print a text made in pieces (a report of 10,000 checks) without ever holding it whole. */
  outPieces: (pieces: Iterable<string>) => void;
}

/** The login user (SUDO_USER / USER / os.userInfo). */
export const currentUser = loginUser;

/** Options of the command merged with the program's global ones (--config, --store, --as). */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/**
 * Load the config and open the store for a command; the caller closes the store. `oneShot`: a
 * command that runs once and ends (not the daemon or `imos serve`), whose JSON store appends history
 * points without reading the history section (src/store/json-store.ts).
 */
export async function openContext(options: GlobalOptions, load: LoadOptions = {}, oneShot = false): Promise<CliContext> {
  const { loadConfigOrExit } = await import('../config/load.js');
  const { openStore } = await import('../store/open.js');
  if (options.as !== undefined && sanitizeLine(options.as, 80) === '') throw new CliError('--as needs a name (who is acting, for the audit log)', EXIT.usage);
  const config = await loadConfigOrExit(options.config, load);
  const store = await openStore(options.store ?? config.store, { appendUnreadHistory: oneShot });
  return {
    config,
    store,
    actor: actorName(options.as),
    clock: systemClock,
    json: Boolean(options.json),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    outPieces: writePieces,
  };
}

/** Where writePieces writes (process.stdout). */
export interface PieceOutput {
  /** Set by the first write that failed (on Linux a pipe's write fails at once; the stream is destroyed a tick later). */
  readonly errored?: Error | null;
  write(text: string): unknown;
}

/**
 * Writes text made in pieces a batch at a time (src/text/pieces.ts), ending it with a line break as
 * `out` does: a 3.7 MB report is never one string, nor one Buffer of its bytes.
 */
export function writePieces(pieces: Iterable<string>, output: PieceOutput = process.stdout): void {
  let last = '';
  for (const batch of textBatches(pieces)) {
    // A reader that went away (`imos status --json | head`): the rest is neither made nor queued
    // behind the failed write, and that write's error decides how imos ends (main.ts).
    if (output.errored) return;
    output.write(batch);
    last = batch;
  }
  if (!last.endsWith('\n')) output.write('\n');
}

/**
 * Wrap a command action: opens the context, runs, closes the store, and sets the exit code.
 * `action` returns the exit code (default 0).
 */
export function withContext<A extends unknown[]>(
  action: (ctx: CliContext, ...args: A) => Promise<number | void>,
  /** How to load the configuration, from the command's own options (e.g. only the checks it runs). */
  load?: (commandOptions: Record<string, unknown>) => LoadOptions,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const ctx = await openContext(globalOptions(command), load?.(command.opts()), !LONG_RUNNING_COMMANDS.has(command.name()));
    try {
      const code = await action(ctx, ...args);
      process.exitCode = code ?? 0;
    } finally {
      await ctx.store.close();
    }
  };
}

/**
 * Before an action is recorded under `ctx.actor`: a name that is not in `people` is flagged on
 * stderr (the output, JSON included, stays as it was), or refused when the workspace says
 * `identity.unknown_actors: refuse`.
 */
export function checkActor(ctx: Pick<CliContext, 'config' | 'actor'>, warn: (line: string) => void = (line) => process.stderr.write(line + '\n')): void {
  if (!isUnknownActor(ctx.config, ctx.actor)) return;
  if (refusesUnknownActors(ctx.config)) throw new CliError(unknownActorMessage(ctx.config, ctx.actor), EXIT.usage);
  warn(`imos: warning: ${unknownActorMessage(ctx.config, ctx.actor)}`);
}
