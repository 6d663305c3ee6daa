// Console actions over a MemoryStore for component tests: just enough state change to see the
// console redraw (the real rules live in src/alerts and src/plan, tested there).
import type { ImosConfig } from '../../src/config/types.js';
import type { ConsoleActions } from '../model/actions.js';
import { basicStandupErrors, type StandupDraft } from '../model/standup-form.js';
import { CoreDraft } from '../../src/store/core-draft.js';
import type { MemoryStore } from '../../src/store/memory-store.js';
import { playbookActions } from '../model/playbook-actions.js';

export interface ActionLog {
  calls: Array<{ action: string; args: unknown[] }>;
}

export function memoryActions(store: MemoryStore, config: ImosConfig, actor: string, nowMs: () => number): ConsoleActions & ActionLog {
  const calls: ActionLog['calls'] = [];
  const at = () => new Date(nowMs()).toISOString();
  const findAlert = async (id: string) => {
    const core = await store.read('core');
    const a = core.alerts.find((x) => x.id.toUpperCase() === id.toUpperCase());
    if (!a) throw new Error(`no alert ${id}`);
    return a;
  };
  return {
    calls,
    async acknowledge(id, note) {
      calls.push({ action: 'acknowledge', args: [id, note] });
      const found = await findAlert(id);
      await store.transact('core', (tx) => {
        const a = tx.edit('alerts', found.id);
        a.state = 'acknowledged';
        a.acknowledgedBy = actor;
        a.acknowledgedAt = at();
        a.ackNote = note;
        a.respondedAt ??= a.acknowledgedAt;
        tx.audit({ at: at(), actor, action: 'ack', target: found.id, ...(note ? { note } : {}) });
      });
      return `${id.toUpperCase()} acknowledged`;
    },
    async unacknowledge(id) {
      calls.push({ action: 'unacknowledge', args: [id] });
      const found = await findAlert(id);
      await store.transact('core', (tx) => {
        const a = tx.edit('alerts', found.id);
        a.state = 'open';
        a.acknowledgedBy = null;
      });
      return `${id} un-acknowledged`;
    },
    async snooze(id, duration) {
      calls.push({ action: 'snooze', args: [id, duration] });
      if (!/^\d+[mhd]$/.test(duration)) throw new Error(`"${duration}" is not a duration (e.g. 30m, 2h)`);
      await store.transact('core', (tx) => void (tx.edit('alerts', id).state = 'snoozed'));
      return `${id} snoozed for ${duration}`;
    },
    validateStandup(draft: StandupDraft) {
      return basicStandupErrors(draft, config);
    },
    async saveStandup(draft) {
      calls.push({ action: 'saveStandup', args: [draft] });
      await store.transact('core', (tx) => {
        tx.put('standups', {
          id: `S${tx.all('standups').length + 1}`,
          system: draft.system,
          date: '2025-01-29',
          author: actor,
          done: draft.done,
          next: draft.next,
          blockers: draft.blockers.map((b, i) => ({ id: `B${i + 1}`, text: b.text, waitsOn: b.waitsOn ? { kind: 'system', id: b.waitsOn } : null, openedAt: at(), resolvedAt: null })),
          at: at(),
          history: [],
        });
      });
      return `standup saved for ${draft.system}`;
    },
    async setMatrixStatus(item, status) {
      calls.push({ action: 'setMatrixStatus', args: [item, status] });
      return `${item}: ${status}`;
    },
    async setPaused(paused) {
      calls.push({ action: 'setPaused', args: [paused] });
      await store.transact('core', (tx) => new CoreDraft(tx).setControl({ paused, pausedBy: paused ? actor : null }));
      return paused ? 'polling paused' : 'polling resumed';
    },
    async runNow() {
      calls.push({ action: 'runNow', args: [] });
      return 'run requested';
    },
    // Playbook actions are the real ones: real programs, the claim in this memory store.
    ...(() => {
      const real = playbookActions({ store, config, actor, now: nowMs, recheck: async (ids) => void calls.push({ action: 'recheck', args: ids }) });
      return {
        prepareAction: (alertId: string, actionId: string, args?: Record<string, string>) => real.prepareAction(alertId, actionId, args),
        async runAction(alertId: string, actionId: string, onOutput: (text: string) => void, args?: Record<string, string>) {
          calls.push({ action: 'runAction', args: [alertId, actionId, args] });
          return real.runAction(alertId, actionId, onOutput, args);
        },
        runningActions: () => real.runningActions(),
        async stopActions() {
          calls.push({ action: 'stopActions', args: [] });
          return real.stopActions();
        },
      };
    })(),
  };
}
