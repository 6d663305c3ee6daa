// Slack interactivity payloads: which button, which alert, who pressed it. Pure parsing: the
// route verifies the signature first, then calls this on the same raw body.
import type { ImosConfig } from '../config/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { SLACK_ACK_ACTION, SLACK_RUN_ACTION } from '../channels/slack.js';

export interface SlackAckRequest {
  alertId: string;
  /** The person id when the Slack user is mapped in `people.*.slack`, else their Slack name. */
  actor: string;
  /** The person of the config the Slack user is mapped to, or null. */
  person: string | null;
  slackUserId: string;
  responseUrl: string | null;
  /** A playbook action's button (`imos_run:<action>`): the action to run; absent for Acknowledge. */
  runAction?: string;
}

export class SlackPayloadError extends Error {}

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string };
  actions?: Array<{ action_id?: string; value?: string }>;
  response_url?: string;
}

/** The person of the config a Slack user id is mapped to (`people.*.slack`), or null. */
export function slackPerson(config: ImosConfig, slackUserId: string | undefined): string | null {
  if (!slackUserId) return null;
  return Object.values(config.people).find((p) => p.slack && p.slack === slackUserId)?.id ?? null;
}

/** Map a Slack user to a person of the config, else their Slack user name (then id). */
export function slackActor(config: ImosConfig, user: BlockActionsPayload['user']): string {
  const id = user?.id ?? '';
  return slackPerson(config, id) ?? sanitizeLine(user?.username || user?.name || id || 'slack-user', 60);
}

/**
 * Why this Slack user may not act, as told to them (ephemeral), or null when they may: only people
 * mapped in `people.*.slack`, unless `channels.slack.actions_from: workspace` opens the buttons to
 * everyone in the workspace.
 */
export function slackActionRefusal(config: ImosConfig, request: SlackAckRequest): string | null {
  if (request.person || config.channels.slack?.actions_from === 'workspace') return null;
  return (
    `Not acknowledged: your Slack user (${request.slackUserId}) is not one of this project's people in imos. ` +
    `Ask whoever keeps imos.yaml to add \`slack: ${request.slackUserId}\` to your entry under people, or run \`imos ack ${request.alertId}\`.`
  );
}

/** The acknowledge request in a form-encoded `payload=…` body; SlackPayloadError for anything else. */
export function parseSlackAction(rawBody: string, config: ImosConfig): SlackAckRequest {
  const form = new URLSearchParams(rawBody);
  const text = form.get('payload');
  if (!text) throw new SlackPayloadError('no payload field');
  let payload: BlockActionsPayload;
  try {
    payload = JSON.parse(text) as BlockActionsPayload;
  } catch {
    throw new SlackPayloadError('payload is not JSON');
  }
  // `null`, a number, a list: signed, but not an interaction.
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new SlackPayloadError('payload is not a JSON object');
  if (payload.type !== 'block_actions') throw new SlackPayloadError(`unsupported interaction type "${sanitizeLine(payload.type, 40)}"`);
  const action = Array.isArray(payload.actions) ? payload.actions[0] : undefined;
  const run = typeof action?.action_id === 'string' && action.action_id.startsWith(`${SLACK_RUN_ACTION}:`);
  if (!action || typeof action !== 'object' || (action.action_id !== SLACK_ACK_ACTION && !run)) {
    throw new SlackPayloadError(`unknown action "${sanitizeLine(action?.action_id, 40)}"`);
  }
  // A run button's value is `<alert id> <action id>`.
  const [alertPart, actionPart] = String(action.value ?? '').split(' ');
  const alertId = sanitizeLine(run ? alertPart : action.value, 40);
  const runAction = run ? sanitizeLine(actionPart, 80) : undefined;
  if (run && !runAction) throw new SlackPayloadError('the action names no playbook action');
  if (!alertId) throw new SlackPayloadError('the action names no alert');
  if (!payload.user || typeof payload.user !== 'object' || typeof payload.user.id !== 'string' || !payload.user.id) {
    throw new SlackPayloadError('the payload names no user');
  }
  return {
    alertId,
    actor: slackActor(config, payload.user),
    person: slackPerson(config, payload.user.id),
    slackUserId: sanitizeLine(payload.user.id, 40),
    responseUrl: typeof payload.response_url === 'string' ? payload.response_url : null,
    ...(runAction ? { runAction } : {}),
  };
}
