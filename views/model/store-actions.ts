// The console's actions on the real store: alert actions (src/alerts), standups (src/plan),
// pause and run-now (src/engine/control). Messages are short, for the status bar.
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';
import { performAlertAction, type AlertAction } from '../../src/alerts/actions.js';
import { requestRunNow, setPaused } from '../../src/engine/control.js';
import {
  saveStandup as saveStandupInStore,
  StandupValidationError,
  validateStandupDraft,
  type FieldError,
  type StandupDraft as PlanStandupDraft,
} from '../../src/plan/standups.js';
import { samePerson } from '../../src/identity.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { setMatrixItemStatus } from '../../src/plan/matrix-set.js';
import { PhaseGatesError } from '../../src/plan/phase-gates.js';
import { parseStatus, STATUS_HELP } from '../../src/plan/vocabulary.js';
import { StandupInvalidError, type ConsoleActions } from './actions.js';
import { playbookActions } from './playbook-actions.js';
import type { FieldErrors, StandupDraft } from './standup-form.js';

export interface StoreActionsOptions {
  store: Store;
  config: ImosConfig;
  actor: string;
  now: () => number;
  /** Run the checks (all, or these) here when this console holds the poller lease. */
  runHere?: (ids?: string[]) => Promise<boolean>;
}

/** The form's draft in the standup module's terms (a blocker waits on a system). */
export function toPlanDraft(draft: StandupDraft): PlanStandupDraft {
  return {
    system: draft.system,
    done: draft.done,
    next: draft.next,
    blockers: draft.blockers.map((b) => ({ text: b.text, waitsOn: b.waitsOn ? { kind: 'system', id: b.waitsOn } : (b.other ?? null) })),
  };
}

/** `blockers[1].text` → `blockers.1.text` (the form's keys). */
export function toFieldErrors(errors: FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const key = e.field.replace(/\[(\d+)\]/g, '.$1');
    if (out[key] === undefined) out[key] = e.message;
  }
  return out;
}

export function storeActions(options: StoreActionsOptions): ConsoleActions {
  const { store, config, actor, now } = options;
  const alertAction = async (action: AlertAction, id: string, extra: { note?: string | null; until?: string } = {}) => {
    const outcome = await performAlertAction(store, config, action, { id, actor, nowMs: now(), ...extra });
    return outcome.message || `${outcome.alert.id} ${action}`;
  };
  return {
    ...playbookActions({
      store,
      config,
      actor,
      now,
      // The alert's checks run here when this console polls; otherwise the poller is asked to run.
      recheck: async (ids) => (options.runHere && (await options.runHere(ids))) || requestRunNow(store, actor, now()),
    }),
    acknowledge: (id, note) => alertAction('ack', id, { note }),
    unacknowledge: (id) => alertAction('unack', id),
    snooze: (id, duration) => alertAction('snooze', id, { until: duration }),
    validateStandup: (draft) => toFieldErrors(validateStandupDraft(toPlanDraft(draft), config)),
    async saveStandup(draft) {
      try {
        const result = await saveStandupInStore(store, toPlanDraft(draft), actor, now(), config);
        const blockers = result.standup.blockers.filter((b) => b.resolvedAt === null).length;
        const prev = result.previous && !samePerson(config, result.previous.author, actor) ? `; ${sanitizeLine(result.previous.author, 40)}’s entry is kept in its history` : '';
        return `standup ${result.replaced ? 'updated' : 'saved'} for ${result.standup.system} (${result.standup.date})${blockers ? `, ${blockers} open blocker${blockers > 1 ? 's' : ''}` : ''}${prev}`;
      } catch (err) {
        if (err instanceof StandupValidationError) throw new StandupInvalidError(toFieldErrors(err.errors));
        throw err;
      }
    },
    async setMatrixStatus(item, words) {
      // `:set T12 done --force NOTE` completes a phase over its failing gates, with the note.
      const forced = /^(.*?)\s+--force(?:\s+(.*))?$/.exec(words);
      const word = forced ? forced[1]! : words;
      const note = forced ? sanitizeLine(forced[2] ?? '', 500) : null;
      const status = parseStatus(word);
      if (!status) throw new Error(`unknown status "${word}": expected ${STATUS_HELP}`);
      if (forced && !note) throw new Error(`:set ${item} ${word} --force needs a note: why (kept in the audit log)`);
      let change;
      try {
        change = await setMatrixItemStatus(store, config, item, status, actor, now(), note ? { note } : undefined);
      } catch (err) {
        if (err instanceof PhaseGatesError) throw new Error(`${err.message} — to override: :set ${err.item} done --force NOTE`);
        throw err;
      }
      if (!change.changed) return `${change.entity.id} is already ${status}`;
      const over = change.overridden.length ? ` (${change.overridden.map((b) => b.phase).join(', ')} done over failing gates; noted in the audit log)` : '';
      return `${change.entity.id}: ${change.from} → ${change.to} in the matrix${over}`;
    },
    async setPaused(paused) {
      await setPaused(store, paused, actor, now());
      return paused ? 'polling paused for every console' : 'polling resumed';
    },
    async runNow() {
      if (options.runHere && (await options.runHere())) return 'running every check now';
      await requestRunNow(store, actor, now());
      return 'asked the poller to run every check now';
    },
  };
}
