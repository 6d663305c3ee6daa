// The console's playbook actions on a store: checked and run by src/playbooks (the guard rails
// live there), with the alert's checks run again afterwards so that the effect shows at once.
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { findAlert } from '../../src/alerts/transitions.js';
import { checksOfAlert } from '../../src/alerts/gates.js';
import { prepareRun, runAction } from '../../src/playbooks/run.js';
import type { PreparedAction } from './actions.js';

export interface PlaybookActionsOptions {
  store: Store;
  config: ImosConfig;
  actor: string;
  now: () => number;
  /** Run these checks now (the alert's), after an action. */
  recheck?: (checkIds: string[]) => Promise<unknown>;
}

export function playbookActions(options: PlaybookActionsOptions) {
  const { store, config, actor, now } = options;
  // Runs this console started and that have not ended: quitting stops them (their programs run in
  // process groups of their own, which outlive the console, and a dead console's claim lapses).
  const inFlight = new Map<AbortController, { actionId: string; done: Promise<unknown> }>();
  const prepare = async (alertId: string, actionId: string, args?: Record<string, string>) =>
    prepareRun(config, findAlert(await store.read('core'), alertId), { actionId, actor, ...(args ? { args } : {}) });
  return {
    async prepareAction(alertId: string, actionId: string, args?: Record<string, string>): Promise<PreparedAction> {
      const p = await prepare(alertId, actionId, args);
      return {
        alertId: p.alert.id,
        actionId: p.action.id,
        title: p.action.title,
        command: p.command,
        cwd: p.action.cwd,
        confirm: p.action.confirm,
        args: p.args,
        choices: p.action.args.flatMap((a) => (a.choices && a.choices.length > 1 ? [{ name: a.name, values: [...a.choices] }] : [])),
      };
    },
    async runAction(alertId: string, actionId: string, onOutput: (text: string) => void, args?: Record<string, string>): Promise<string> {
      const prepared = await prepare(alertId, actionId, args);
      const stop = new AbortController();
      const running = runAction(store, prepared, { onOutput, nowMs: now, signal: stop.signal });
      inFlight.set(stop, { actionId: prepared.action.id, done: running.catch(() => undefined) });
      let result;
      try {
        result = await running;
      } finally {
        inFlight.delete(stop);
      }
      const checks = checksOfAlert(config, prepared.alert);
      if (checks.length > 0 && !stop.signal.aborted) await options.recheck?.(checks);
      return `${prepared.action.id}: ${result.summary}`;
    },
    /** The actions this console is running now (their ids). */
    runningActions(): string[] {
      return [...inFlight.values()].map((r) => r.actionId);
    },
    /** Stop every run this console started (SIGTERM to its process group, then SIGKILL) and wait until each is recorded. */
    async stopActions(): Promise<number> {
      const runs = [...inFlight.entries()];
      for (const [stop] of runs) stop.abort();
      await Promise.all(runs.map(([, r]) => r.done));
      return runs.length;
    },
  };
}
