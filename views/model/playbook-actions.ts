// The console's playbook actions on a store: checked and run by src/playbooks (the guard rails
// live there), with the alert's checks run again afterwards so that the effect shows at once.
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { findAlert } from '../../src/alerts/transitions.js';
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
      const result = await runAction(store, prepared, { onOutput, nowMs: now });
      if (config.checks.some((c) => c.id === prepared.alert.checkId)) await options.recheck?.([prepared.alert.checkId]);
      return `${prepared.action.id}: ${result.summary}`;
    },
  };
}
