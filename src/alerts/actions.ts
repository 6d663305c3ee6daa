// People's alert actions through the store: each is one transaction of the core section (the
// transition, its notices and its audit entry are stored together or not at all).
// Used by the CLI, the console and the HTTP face (Slack's Acknowledge button).
import { klona as cloneRecord } from 'klona/json';
import type { Alert } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { CoreDraft } from '../store/core-draft.js';
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
  return store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    const alert = findAlert(core, input.id);
    const { audit, ...outcome } = transition(core, config, alert, { ...input, actor });
    core.audit(...audit);
    return { ...outcome, alert: cloneRecord(outcome.alert) };
  });
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
