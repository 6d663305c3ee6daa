// People's alert actions through the store: each is one locked update of the core section (the
// transition and its notices land together or not at all) followed by the audit entry.
// Used by the CLI, the console and the HTTP face (Slack's Acknowledge button).
import type { Alert } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { AlertActionError, findAlert, TRANSITIONS, type AlertAction, type TransitionOutcome } from './transitions.js';

export { AlertActionError } from './transitions.js';
export type { AlertAction } from './transitions.js';

export interface AlertActionInput {
  /** Alert id, any case (`a12`, `A12`, `12`). */
  id: string;
  /** Who acts: the `--as` name, the login user, or the Slack user's person id. */
  actor: string;
  note?: string | null;
  /** Snooze only: `30m`, `2h`, `1d`, or an ISO time (project timezone when it has no offset). */
  until?: string | number;
  nowMs: number;
}

export type AlertActionOutcome = Omit<TransitionOutcome, 'audit'>;

/** Run one action; throws AlertActionError (unknown id, already resolved, invalid, bad duration). */
export async function performAlertAction(
  store: Store,
  config: ImosConfig,
  action: AlertAction,
  input: AlertActionInput,
): Promise<AlertActionOutcome> {
  const actor = sanitizeLine(input.actor, 80);
  if (!actor) throw new AlertActionError('who is acting? (give --as NAME)');
  if (!Number.isFinite(input.nowMs)) throw new AlertActionError('no valid time for the action');
  const transition = TRANSITIONS[action];
  if (!transition) throw new AlertActionError(`unknown alert action '${sanitizeLine(action, 20)}'`);
  const outcome = await store.update('core', (core) => {
    const alert = findAlert(core, input.id);
    const result = transition(core, config, alert, { ...input, actor });
    return { ...result, alert: structuredClone(result.alert) };
  });
  // After the change is stored: an audit line never describes something that did not happen.
  if (outcome.audit.length > 0) await store.appendAudit(outcome.audit);
  return { alert: outcome.alert, changed: outcome.changed, message: outcome.message };
}

/** Acknowledge: stops the escalation; records who, when and the note. A repeat is a no-op. */
export async function acknowledgeAlert(store: Store, config: ImosConfig, input: AlertActionInput): Promise<Alert> {
  return (await performAlertAction(store, config, 'ack', input)).alert;
}

/** Withdraw an acknowledgement: the alert is open again and its escalation clock restarts. */
export async function unacknowledgeAlert(store: Store, config: ImosConfig, input: AlertActionInput): Promise<Alert> {
  return (await performAlertAction(store, config, 'unack', input)).alert;
}

/** Resolve by hand: the resolved notice goes to every channel that was told. */
export async function resolveAlert(store: Store, config: ImosConfig, input: AlertActionInput): Promise<Alert> {
  return (await performAlertAction(store, config, 'resolve', input)).alert;
}

/** Snooze for a duration or until a time: no escalation, no notices, until it ends. */
export async function snoozeAlert(store: Store, config: ImosConfig, input: AlertActionInput): Promise<Alert> {
  return (await performAlertAction(store, config, 'snooze', input)).alert;
}
