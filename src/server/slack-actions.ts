// Slack interactivity payloads: which button, which alert, who pressed it. Pure parsing: the
// route verifies the signature first, then calls this on the same raw body.
import type { ImosConfig } from '../config/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { SLACK_ACK_ACTION } from '../channels/slack.js';

export interface SlackAckRequest {
  alertId: string;
  /** The person id when the Slack user is mapped in `people.*.slack`, else their Slack name. */
  actor: string;
  slackUserId: string;
  responseUrl: string | null;
}

export class SlackPayloadError extends Error {}

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string };
  actions?: Array<{ action_id?: string; value?: string }>;
  response_url?: string;
}

/** Map a Slack user to a person of the config, else their Slack user name (then id). */
export function slackActor(config: ImosConfig, user: BlockActionsPayload['user']): string {
  const id = user?.id ?? '';
  const person = Object.values(config.people).find((p) => p.slack && p.slack === id);
  if (person) return person.id;
  return sanitizeLine(user?.username || user?.name || id || 'slack-user', 60);
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
  if (payload.type !== 'block_actions') throw new SlackPayloadError(`unsupported interaction type "${sanitizeLine(payload.type, 40)}"`);
  const action = payload.actions?.[0];
  if (!action || action.action_id !== SLACK_ACK_ACTION) {
    throw new SlackPayloadError(`unknown action "${sanitizeLine(action?.action_id, 40)}"`);
  }
  const alertId = sanitizeLine(action.value, 40);
  if (!alertId) throw new SlackPayloadError('the action names no alert');
  if (!payload.user?.id) throw new SlackPayloadError('the payload names no user');
  return {
    alertId,
    actor: slackActor(config, payload.user),
    slackUserId: sanitizeLine(payload.user.id, 40),
    responseUrl: typeof payload.response_url === 'string' ? payload.response_url : null,
  };
}
