// `imos run ALERT ACTION [--yes] [--arg NAME=VALUE]… [--confirm PHRASE]`: run an action of the
// alert's playbook. Thin: arguments → src/playbooks → output. The action's output goes to stdout
// (sanitised), what imos says to stderr; the exit code is the action's own (docs/CONTRACT.md).
import type { Command } from 'commander';
import os from 'node:os';
import { createInterface } from 'node:readline/promises';
import { ActionRefused, prepareRun, runAction, runExitCode, type PreparedRun } from '../../playbooks/run.js';
import { checkOnce } from '../../engine/check-once.js';
import { AlertActionError } from '../../alerts/actions.js';
import { checksOfAlert } from '../../alerts/gates.js';
import { findAlert } from '../../alerts/transitions.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { checkActor, CliError, EXIT, withContext, type CliContext } from '../context.js';

interface RunOptions {
  yes?: boolean;
  arg?: string[];
  confirm?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description("run an action of the alert's playbook (asks first; the exit code is the action's)")
    .argument('<alert>', 'alert id, e.g. A7')
    .argument('<action>', "the action's id in the alert's playbook")
    .option('--yes', 'run without asking (an action with a confirmation phrase also needs --confirm)')
    .option('--confirm <phrase>', "the action's confirmation phrase")
    .option('--arg <name=value...>', 'an argument of the action (from its choices, or matching its pattern)')
    .action(withContext(async (ctx, alertId: string, actionId: string, opts: RunOptions) => runCommand(ctx, alertId, actionId, opts)));
}

function parseArgs(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) throw new CliError(`--arg expects NAME=VALUE, got '${sanitizeLine(item, 80)}'`, EXIT.usage);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

const err = (text: string) => process.stderr.write(`${text}\n`);

/** Ask on the terminal: a yes, or the action's phrase typed out. False when not answered so. */
async function confirmed(prepared: PreparedRun, opts: RunOptions): Promise<boolean> {
  const phrase = prepared.action.confirm;
  if (opts.yes && (!phrase || opts.confirm === phrase)) return true;
  if (opts.confirm !== undefined && phrase && opts.confirm !== phrase) throw new CliError(`the confirmation phrase does not match (it is "${phrase}")`, EXIT.usage);
  if (!process.stdin.isTTY) {
    throw new CliError(
      phrase ? `${prepared.action.id} asks for its confirmation phrase: run it in a terminal, or give --yes --confirm "${phrase}"` : `not a terminal: give --yes to run ${prepared.action.id}`,
      EXIT.usage,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    err(`${prepared.action.title} (${prepared.playbook.id}.${prepared.action.id}) for ${prepared.alert.id}:`);
    err(`  ${prepared.command}`);
    err(`  in ${prepared.action.cwd}, timeout ${Math.round(prepared.action.timeoutMs / 1000)}s`);
    const answer = (await rl.question(phrase ? `Type "${phrase}" to run it: ` : 'Run it? [y/N] ')).trim();
    return phrase ? answer === phrase : /^y(es)?$/i.test(answer);
  } finally {
    rl.close();
  }
}

async function runCommand(ctx: CliContext, alertId: string, actionId: string, opts: RunOptions): Promise<number> {
  const args = parseArgs(opts.arg);
  checkActor(ctx);
  const core = await ctx.store.read('core');
  let prepared: PreparedRun;
  try {
    prepared = prepareRun(ctx.config, findAlert(core, alertId), { actionId, actor: ctx.actor, args });
  } catch (error) {
    if (error instanceof ActionRefused) throw new CliError(error.message, error.kind === 'usage' ? EXIT.usage : 1);
    if (error instanceof AlertActionError) throw new CliError(error.message, 1);
    throw error;
  }
  if (!(await confirmed(prepared, opts))) {
    err('not run');
    return 1;
  }
  err(`running ${prepared.command}`);
  // A signal to imos stops the run (its process group) and records it before imos ends: the
  // program runs in a group of its own, so a hangup of the terminal would not reach it, and a run
  // left behind would hold no claim (its runner is dead) while it still changes things.
  const stop = new AbortController();
  const stopped: { by: NodeJS.Signals | null } = { by: null };
  const onSignal = (signal: NodeJS.Signals) => {
    stopped.by ??= signal;
    stop.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  // After a hangup the terminal is gone: nothing more is written to it.
  const say = (write: () => void) => {
    if (stopped.by !== 'SIGHUP') write();
  };
  try {
    const result = await runAction(ctx.store, prepared, { onOutput: (text) => say(() => process.stdout.write(text)), signal: stop.signal, nowMs: () => ctx.clock.now() });
    say(() => err(`${prepared.action.id}: ${result.summary}${result.truncated ? ` (the last ${prepared.action.keepLines} lines kept)` : ''}`));
    if (stopped.by) return 128 + (os.constants.signals[stopped.by] ?? 0);
    // So that its effect shows at once: the alert's checks run now.
    const checks = checksOfAlert(ctx.config, prepared.alert);
    if (checks.length > 0) {
      for (const fresh of await checkOnce(ctx.config, ctx.store, checks, { clock: ctx.clock })) {
        say(() => err(`${fresh.id} checked again: ${fresh.runStatus} — ${sanitizeLine(fresh.message, 160)}`));
      }
    }
    return runExitCode(result);
  } catch (error) {
    if (error instanceof ActionRefused) throw new CliError(error.message, 1);
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}
