// Running a playbook action: checked first (the alert, its playbook, the action, who asks, the
// arguments), then claimed in the store (one run of an action at a time across every process
// sharing it, unless the action allows overlap), then run as argv — no shell — with its timeout,
// its output streamed sanitised and kept to its tail, and recorded (who, when, command, exit code,
// duration, output tail) in the audit log, which is also the alert's history.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Alert, AuditEntry } from '../model.js';
import type { ImosConfig, PlaybookAction, PlaybookConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { argProblem, fillPlaceholders } from './args.js';
import { claimActionRun, finishActionRun, type ActionRunClaim } from '../store/action-claims.js';
import { runProcess } from '../../checks/shared/process.js';
import { isProcessRunning } from '../processes.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { redactSecrets } from '../text/redact.js';
import { envSecrets, SECRET_NAME } from '../text/secrets.js';
import { formatDuration } from '../text/durations.js';
import { mayRun, playbookFor } from './select.js';
import { commandText } from './present.js';

import { ACTION_RUN, ACTION_START } from './names.js';

export { ACTION_RUN, ACTION_START } from './names.js';

/** Lines of output a run's audit entry keeps (the run itself keeps `keep_output`). */
export const AUDIT_TAIL_LINES = 20;
/** After its timeout, how long a run's claim still holds (its process group is being stopped). */
const CLAIM_GRACE_MS = 30_000;
/** Longest line kept whole (the rest of a longer one is dropped). */
const MAX_LINE = 4096;

/** A run that may not happen: the message says why, naming the rule or the state. */
export class ActionRefused extends Error {
  constructor(
    message: string,
    /** `usage`: the request itself is wrong (unknown action, bad argument); `refused`: the alert or a rule says no. */
    readonly kind: 'usage' | 'refused',
  ) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** A run ready to start: what it is, and the exact command. */
export interface PreparedRun {
  alert: Alert;
  playbook: PlaybookConfig;
  action: PlaybookAction;
  /** The argv that will run, arguments filled in. */
  argv: string[];
  /** argv written out for people. */
  command: string;
  args: Record<string, string>;
  actor: string;
  /** The rule of `allow` that lets the actor run it. */
  rule: string;
}

/** Check everything a run needs, without running it (the confirmation names `command`). */
export function prepareRun(config: ImosConfig, alert: Alert, request: { actionId: string; actor: string; args?: Record<string, string> }): PreparedRun {
  if (alert.state === 'resolved') throw new ActionRefused(`${alert.id} is resolved: its playbook's actions run for active alerts only`, 'refused');
  const playbook = playbookFor(config, alert);
  if (!playbook) throw new ActionRefused(`${alert.id} (${alert.type} on ${alert.checkId}) has no playbook`, 'refused');
  const action = playbook.actions.find((a) => a.id === request.actionId);
  if (!action) {
    const known = playbook.actions.map((a) => a.id).join(', ') || 'none';
    throw new ActionRefused(`playbook ${playbook.id} has no action "${sanitizeLine(request.actionId, 40)}" (actions: ${known})`, 'usage');
  }
  const verdict = mayRun(config, playbook, action, alert.system, request.actor);
  if (!verdict.allowed) throw new ActionRefused(verdict.reason, 'refused');
  const given = request.args ?? {};
  for (const name of Object.keys(given)) {
    if (!action.args.some((a) => a.name === name)) {
      throw new ActionRefused(`${action.id} takes no argument "${sanitizeLine(name, 40)}" (arguments: ${action.args.map((a) => a.name).join(', ') || 'none'})`, 'usage');
    }
  }
  const args: Record<string, string> = {};
  for (const arg of action.args) {
    const value = given[arg.name] ?? arg.default;
    if (value === undefined) throw new ActionRefused(`${action.id} needs the argument ${arg.name} (${arg.choices ? `one of ${arg.choices.join(', ')}` : `matching /${arg.pattern}/`})`, 'usage');
    const problem = argProblem(arg, value);
    if (problem) throw new ActionRefused(sanitizeLine(problem, 300), 'usage');
    args[arg.name] = value;
  }
  const argv = action.run.map((element) => fillPlaceholders(element, args));
  return { alert, playbook, action, argv, command: commandText(argv), args, actor: request.actor, rule: verdict.rule };
}

export type RunOutcome = 'succeeded' | 'failed' | 'timed-out' | 'stopped' | 'could-not-start';
/** The outcome recorded for a run whose runner died before recording its end (see lostRunEntry). */
export const LOST_OUTCOME = 'lost';

export interface ActionRunResult {
  runId: string;
  outcome: RunOutcome;
  /** The program's exit code (null when it did not exit by itself). */
  exitCode: number | null;
  /** The signal that ended it, when one did. */
  signal: string | null;
  durationMs: number;
  startedAt: string;
  /** The last `keep_output` lines, sanitised and redacted. */
  output: string[];
  /** Lines were dropped from the head. */
  truncated: boolean;
  /** Why it did not start, or how it ended, in one line. */
  summary: string;
}

export interface RunOptions {
  /** Sanitised, redacted text as it arrives (whole lines; the last partial line at the end). */
  onOutput?: (text: string) => void;
  /** Stop the run (its process group: SIGTERM, then SIGKILL). */
  signal?: AbortSignal;
  nowMs?: () => number;
}

/** Claim, run, record. Throws ActionRefused when another run of the action holds the claim. */
export async function runAction(store: Store, prepared: PreparedRun, options: RunOptions = {}): Promise<ActionRunResult> {
  const now = options.nowMs ?? Date.now;
  const { action, alert, playbook } = prepared;
  const runId = randomUUID();
  const startedMs = now();
  const startedAt = new Date(startedMs).toISOString();
  const claim: ActionRunClaim = {
    runId,
    action: `${playbook.id}.${action.id}`,
    alertId: alert.id,
    actor: prepared.actor,
    host: os.hostname(),
    pid: process.pid,
    startedAt,
    until: new Date(startedMs + action.timeoutMs + CLAIM_GRACE_MS).toISOString(),
    command: prepared.command,
    playbook: playbook.id,
    actionId: action.id,
    argv: prepared.argv,
  };
  const base = { playbook: playbook.id, action: action.id, command: prepared.argv, args: prepared.args, rule: prepared.rule };
  const start: AuditEntry = { at: startedAt, actor: prepared.actor, action: ACTION_START, target: alert.id, detail: { ...base, runId } };
  const claimed = await claimActionRun(store, { ...claim, overlap: action.overlap, nowMs: startedMs, isAlive: isProcessRunning }, [start], (lapsed, why) =>
    lostRunEntry(lapsed, why, startedMs),
  );
  if (!claimed.claimed) {
    const h = claimed.holder;
    throw new ActionRefused(
      `${action.id} is already running (started by ${sanitizeLine(h.actor, 60)} at ${h.startedAt} for ${h.alertId}, pid ${h.pid} on ${sanitizeLine(h.host, 60)}): one run at a time (overlap: false)`,
      'refused',
    );
  }

  // imos's own secrets (channel tokens, passwords) stay with imos: an action gets the rest of the
  // environment, and what its own `env` names.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SECRET_NAME.test(name)));
  const env = { ...inherited, ...action.env };
  const secrets = [...envSecrets(process.env), ...envSecrets(env)];
  const clean = (text: string) => redactSecrets(text, secrets);
  const kept: string[] = [];
  let dropped = 0;
  let partial = '';
  const decoder = new TextDecoder();
  const keep = (lines: string[]) => {
    for (const line of lines) {
      kept.push(line);
      if (kept.length > action.keepLines) {
        kept.shift();
        dropped++;
      }
    }
  };
  // Whole lines only are cleaned (an escape sequence split between two chunks is still seen whole).
  const take = (text: string, final: boolean) => {
    const raw = (partial + text).split(/\r\n|\n|\r/);
    partial = final ? '' : raw.pop()!;
    // A line without end (a flood with no newline) is cut into pieces rather than held whole.
    if (partial.length > MAX_LINE) {
      raw.push(partial.slice(0, MAX_LINE));
      partial = '';
    }
    if (final && raw[raw.length - 1] === '') raw.pop();
    const shown = raw.map((line) => clean(sanitizeText(line)));
    keep(shown);
    if (shown.length > 0) options.onOutput?.(shown.map((l) => `${l}\n`).join(''));
  };

  const timeout = AbortSignal.timeout(action.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let result: Awaited<ReturnType<typeof runProcess>>;
  try {
    // Never throws: a program that cannot start comes back as spawn-failed.
    result = await runProcess({
      file: prepared.argv[0]!,
      args: prepared.argv.slice(1),
      cwd: action.cwd,
      env,
      signal,
      // The bytes kept mirror the lines kept: a flood is read and dropped, never held.
      maxOutputBytes: Math.min(4 * 1024 * 1024, action.keepLines * 1024),
      onOutput: (chunk) => take(decoder.decode(chunk, { stream: true }), false),
    });
  } catch (error) {
    await finishActionRun(store, runId, []).catch(() => undefined);
    throw error;
  }
  take(decoder.decode(), true);
  const durationMs = Math.max(0, now() - startedMs);
  const outcome: RunOutcome =
    result.outcome === 'spawn-failed'
      ? 'could-not-start'
      : result.outcome === 'aborted'
        ? timeout.aborted
          ? 'timed-out'
          : 'stopped'
        : result.exitCode === 0
          ? 'succeeded'
          : 'failed';
  const exitCode = result.outcome === 'exited' ? (result.exitCode ?? null) : null;
  const signalName = result.outcome === 'exited' ? (result.killedBy ?? null) : null;
  const summary = summarize(outcome, exitCode, signalName, durationMs, action.timeoutMs, result.spawnError?.message);
  const tail = kept.slice(-AUDIT_TAIL_LINES).join('\n').slice(-4000);
  const entry: AuditEntry = {
    at: new Date(startedMs + durationMs).toISOString(),
    actor: prepared.actor,
    action: ACTION_RUN,
    target: alert.id,
    note: summary,
    detail: { ...base, runId, startedAt, outcome, exitCode, signal: signalName, durationMs, output: tail, truncated: dropped > 0 },
  };
  await finishActionRun(store, runId, [entry]);
  return { runId, outcome, exitCode, signal: signalName, durationMs, startedAt, output: kept, truncated: dropped > 0, summary };
}

/**
 * The end of a run whose runner died (killed outright, its host lost) before recording it: how the
 * program ended is not known, only that nobody holds the run any more.
 */
export function lostRunEntry(claim: ActionRunClaim, why: string, nowMs: number): AuditEntry {
  const dot = claim.action.indexOf('.');
  return {
    at: new Date(nowMs).toISOString(),
    actor: claim.actor,
    action: ACTION_RUN,
    target: claim.alertId,
    note: `lost: ${why}; how the run ended was never recorded`,
    detail: {
      playbook: claim.playbook ?? claim.action.slice(0, dot),
      action: claim.actionId ?? claim.action.slice(dot + 1),
      command: claim.argv ?? [claim.command],
      runId: claim.runId,
      startedAt: claim.startedAt,
      outcome: LOST_OUTCOME,
      exitCode: null,
      signal: null,
      durationMs: Math.max(0, nowMs - Date.parse(claim.startedAt)),
      output: '',
      truncated: false,
    },
  };
}

function summarize(outcome: RunOutcome, exitCode: number | null, signal: string | null, durationMs: number, timeoutMs: number, spawnError?: string): string {
  const took = formatDuration(durationMs, 'exact');
  switch (outcome) {
    case 'succeeded':
      return `exit 0 after ${took}`;
    case 'failed':
      return exitCode !== null ? `exit ${exitCode} after ${took}` : `ended by ${signal ?? 'a signal'} after ${took}`;
    case 'timed-out':
      return `stopped at its timeout (${formatDuration(timeoutMs, 'exact')})`;
    case 'stopped':
      return `stopped by its runner after ${took}`;
    case 'could-not-start':
      return `could not start: ${sanitizeLine(spawnError ?? 'unknown error', 200)}`;
  }
}

/** The exit code `imos run` ends with for a run: the action's own, else 124 timed out, 126/127 could not start, 128+n a signal. */
export function runExitCode(result: ActionRunResult): number {
  if (result.exitCode !== null) return result.exitCode;
  if (result.outcome === 'timed-out') return 124;
  if (result.outcome === 'could-not-start') return 127;
  if (result.signal) return 128 + (os.constants.signals[result.signal as NodeJS.Signals] ?? 0);
  return 1;
}
