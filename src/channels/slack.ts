// Slack: a Block Kit message per alert with an Acknowledge button (action_id `imos_ack`, value =
// alert id). The first notice posts the message; later ones (severity, escalation, ack,
// resolution) update the same message and add a thread reply. The client fails fast (no retries
// of its own, rate limits rejected): the dispatcher owns retries and backoff.
//
// Every message carries the outbox row it delivers (Slack message metadata, event type
// `imos_notice`). A row whose earlier attempt stopped without recording its outcome (a poller
// killed mid-send) is looked up in the channel or thread first (`conversations.history` /
// `conversations.replies`, scope `channels:history`) and not posted again when it is there; when
// Slack cannot tell (no scope, a channel given by name), it is posted and the row says so.
import type { WebClient, WebClientOptions } from '@slack/web-api';
import * as z from 'zod';
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig, Person } from '../config/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { alertFacts, bodyText, headline, kindTitle } from './format.js';
import { argDefaults, commandText, runbookMrkdwn, runHint } from '../playbooks/present.js';
import { fillPlaceholders } from '../playbooks/args.js';
import { coordinatedPeople, playbookFor } from '../playbooks/select.js';
import { DeliveryError, type Channel, type ChannelSender, type SendContext, type SendResult } from './types.js';

/** `channels.slack` in imos.yaml. */
const settings = z.strictObject({
  token: z.string().optional(),
  signing_secret: z.string().optional(),
  channel: z.string().min(1),
  api_url: z.string().url().optional(),
  /** Who may press the buttons: people mapped in `people.*.slack` (default), or anyone in the workspace. */
  actions_from: z.enum(['people', 'workspace']).optional(),
});
export type SlackSettings = z.output<typeof settings>;

export const SLACK_ACK_ACTION = 'imos_ack';
/** A playbook action's button (only with `allow_slack_actions`); value = `<alert id> <action id>`. */
export const SLACK_RUN_ACTION = 'imos_run';

/** The metadata event type of imos's messages: its payload names the outbox row (`row`) and `part`. */
export const SLACK_NOTICE_EVENT = 'imos_notice';
/** A row puts up to two messages in Slack: the alert's message (post) and a thread reply. */
type Part = 'post' | 'reply';
/** Pages of 200 messages looked through for an earlier attempt's message. */
const MAX_LOOKUP_PAGES = 5;

function noticeMetadata(message: OutboxMessage, part: Part) {
  return { event_type: SLACK_NOTICE_EVENT, event_payload: { row: message.id, part } };
}

interface ListedMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** What an earlier attempt left in Slack: its message, nothing (null), or Slack could not tell. */
type Earlier = { found: { channel: string; ts: string } | null } | { unknown: string };

export interface SlackSenderOptions {
  /** Per-request timeout (a hung Slack counts as a transient failure). */
  timeoutMs?: number;
  /** Extra WebClient options (tests). */
  client?: Partial<WebClientOptions>;
}

type Block = Record<string, unknown>;

/** Slack mrkdwn needs &, < and > escaped; anything else from outside is already sanitised. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL inside Slack's `<url|text>` link: its own delimiters (`|`, `>`) and `&` escaped. */
function slackUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

const SEVERITY_ICON: Record<string, string> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
};

/** The alert's message: severity, system, message, value, age, state; the button while open. */
export function alertBlocks(alert: Alert, config: ImosConfig, nowMs: number): Block[] {
  const f = alertFacts(alert, config, nowMs);
  const icon = alert.state === 'resolved' ? ':white_check_mark:' : (SEVERITY_ICON[alert.severity] ?? ':warning:');
  const blocks: Block[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${icon} *${f.severity}* · *${escapeMrkdwn(f.systemName)}* (${escapeMrkdwn(f.system)})\n${escapeMrkdwn(f.message)}`,
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\n${f.severity}` },
        { type: 'mrkdwn', text: `*System*\n${escapeMrkdwn(f.system)}` },
        { type: 'mrkdwn', text: `*Value*\n${escapeMrkdwn(f.value)}` },
        { type: 'mrkdwn', text: `*Age*\n${f.age}` },
      ],
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${escapeMrkdwn(f.state)} · alert ${escapeMrkdwn(alert.id)} · check ${escapeMrkdwn(f.check)}${f.link ? ` · <${slackUrl(f.link)}|open on the dashboard>` : ''}`,
        },
      ],
    },
  ];
  blocks.push(...playbookBlocks(alert, config));
  if (alert.state === 'open' || alert.state === 'snoozed') {
    blocks.push({
      type: 'actions',
      block_id: `imos_alert_${alert.id}`,
      elements: [
        {
          type: 'button',
          action_id: SLACK_ACK_ACTION,
          value: alert.id,
          style: 'primary',
          text: { type: 'plain_text', text: 'Acknowledge' },
        },
      ],
    });
  }
  return blocks;
}

/**
 * The alert's playbook: who is brought together, the runbook, the actions and how to run them.
 * Buttons only with `allow_slack_actions` (and never for an action that asks for a phrase: Slack
 * cannot ask for it); each names the exact command in Slack's own confirmation dialog.
 */
function playbookBlocks(alert: Alert, config: ImosConfig): Block[] {
  const playbook = playbookFor(config, alert);
  if (!playbook) return [];
  const blocks: Block[] = [];
  const who = coordinatedPeople(config, playbook, alert.system).map((id) => {
    const person = config.people[id];
    return person?.slack ? `<@${sanitizeLine(person.slack, 40)}>` : escapeMrkdwn(sanitizeLine(person?.name ?? id, 80));
  });
  const runbook = runbookMrkdwn(playbook.runbook);
  const head = `*Playbook ${escapeMrkdwn(playbook.id)}*${who.length > 0 ? ` · brought together: ${who.join(' ')}` : ''}`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(runbook ? `${head}\n${runbook}` : head, SECTION_LIMIT) } });
  if (playbook.actions.length > 0) {
    const lines = playbook.actions.map(
      (a) => `• *${escapeMrkdwn(sanitizeLine(a.title, 120))}*: \`${escapeMrkdwn(commandText(a.run))}\` — \`${escapeMrkdwn(runHint(alert.id, a))}\`${a.confirm ? ' (asks for a confirmation phrase)' : ''}`,
    );
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(`*Actions*\n${lines.join('\n')}`, SECTION_LIMIT) } });
  }
  // A button runs the action as it stands: no phrase to type, every argument at its default.
  const buttons = playbook.allowSlackActions && alert.state !== 'resolved' ? playbook.actions.filter((a) => !a.confirm && a.args.every((arg) => arg.default !== undefined)) : [];
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: `imos_playbook_${alert.id}`,
      elements: buttons.slice(0, 5).map((a) => ({
        type: 'button',
        action_id: `${SLACK_RUN_ACTION}:${a.id}`,
        value: `${alert.id} ${a.id}`,
        text: { type: 'plain_text', text: sanitizeLine(a.title, 70) },
        confirm: {
          title: { type: 'plain_text', text: 'Run this action?' },
          text: { type: 'plain_text', text: sanitizeLine(`${a.title}: ${commandText(a.run.map((w) => fillPlaceholders(w, argDefaults(a))))}`, 290) },
          confirm: { type: 'plain_text', text: 'Run' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      })),
    });
  }
  return blocks;
}

/** `<@U01OWNER>` for people with a Slack id, their name otherwise. */
function mentions(message: OutboxMessage, config: ImosConfig): string {
  return message.to
    .map((id) => {
      const person = config.people[id];
      if (person?.slack) return `<@${sanitizeLine(person.slack, 40)}>`;
      return escapeMrkdwn(sanitizeLine(person?.name ?? id, 80));
    })
    .join(' ');
}

/** The thread reply for a follow-up notice: what happened, and to whom it goes now. */
export function threadReplyText(message: OutboxMessage, config: ImosConfig): string {
  const who = mentions(message, config);
  const text = escapeMrkdwn(bodyText(message) || sanitizeLine(message.subject, 200));
  return `*${kindTitle(message.kind)}*${who ? ` → ${who}` : ''}\n${text}`.trim();
}

/** Slack errors → DeliveryError: rate limits and server / network trouble are transient. */
export function slackFailure(error: unknown): DeliveryError {
  const e = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string; response_metadata?: { retryAfter?: number } };
    original?: Error;
    message?: string;
  };
  // A 429 whose Retry-After is missing or not a number: still a rate limit (the channel pauses).
  if (!e?.code && /^Retry header did not contain a valid timeout/.test(e?.message ?? '')) {
    return new DeliveryError('Slack rate limit (no valid Retry-After)', true, 0);
  }
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError(`Slack rate limit (retry after ${e.retryAfter ?? 0}s)`, true, (e.retryAfter ?? 0) * 1000);
    case 'slack_webapi_http_error':
      return new DeliveryError(`Slack HTTP ${e.statusCode}`, (e.statusCode ?? 500) >= 500 || e.statusCode === 408);
    case 'slack_webapi_request_error': {
      const original = e.original;
      const timeout = original?.name === 'TimeoutError' || original?.name === 'AbortError';
      return new DeliveryError(timeout ? 'Slack request timed out' : `Slack request failed: ${original?.message ?? e.message}`, true);
    }
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') {
        const after = e.data?.response_metadata?.retryAfter ?? 0;
        return new DeliveryError(`Slack refused: ratelimited (retry after ${after}s)`, true, after * 1000);
      }
      const transient = ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(code);
      return new DeliveryError(`Slack refused: ${code}`, transient);
    }
    default:
      return new DeliveryError(`Slack: ${e?.message ?? String(error)}`, true);
  }
}

const SECTION_LIMIT = 2900;
const TEXT_LIMIT = 39_000;
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 40)}\n… (cut: the full text is longer)`);

export class SlackSender implements ChannelSender {
  readonly channel = 'slack';
  private client: WebClient | null = null;

  constructor(
    private readonly settings: SlackSettings & { token: string },
    private readonly options: SlackSenderOptions = {},
  ) {}

  private async webClient(): Promise<WebClient> {
    if (this.client) return this.client;
    // A CommonJS package: in the split bundle its names sit on `default` only.
    const mod = await import('@slack/web-api');
    const { WebClient, LogLevel } = (mod.WebClient ? mod : (mod as unknown as { default: typeof mod }).default);
    const silent = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: () => {},
      setLevel: () => {},
      getLevel: () => LogLevel.ERROR,
      setName: () => {},
    };
    this.client = new WebClient(this.settings.token, {
      // WebClient appends the method name to this URL as is.
      slackApiUrl: (this.settings.api_url || 'https://slack.com/api/').replace(/\/?$/, '/'),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.options.timeoutMs ?? 10_000,
      logger: silent,
      ...this.options.client,
    });
    return this.client;
  }

  /** `auth.test`: does the token work? (used by `imos notify test slack`). */
  async verify(): Promise<string> {
    try {
      const res = await (await this.webClient()).auth.test();
      return `authenticated as ${sanitizeLine(res.user ?? '?', 60)} in ${sanitizeLine(res.team ?? '?', 60)}`;
    } catch (error) {
      throw slackFailure(error);
    }
  }

  /** The message `part` of `message` that an earlier attempt posted in the channel (or thread). */
  private async findEarlier(client: WebClient, message: OutboxMessage, part: Part, where: { channel: string; thread?: string }): Promise<Earlier> {
    try {
      // An earlier attempt came after the row was written (a minute's leeway for the hosts' clocks).
      const oldest = ((Date.parse(message.createdAt) - 60_000) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
        const res = where.thread
          ? await client.conversations.replies({ channel: where.channel, ts: where.thread, include_all_metadata: true, limit: 200, cursor })
          : await client.conversations.history({ channel: where.channel, oldest, include_all_metadata: true, limit: 200, cursor });
        const hit = ((res.messages ?? []) as ListedMessage[]).find(
          (m) => m.metadata?.event_type === SLACK_NOTICE_EVENT && m.metadata.event_payload?.row === message.id && m.metadata.event_payload?.part === part,
        );
        if (hit?.ts) return { found: { channel: where.channel, ts: hit.ts } };
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) return { found: null };
      }
      return { unknown: `more than ${MAX_LOOKUP_PAGES * 200} messages to look through` };
    } catch (error) {
      return { unknown: slackFailure(error).message };
    }
  }

  async send(message: OutboxMessage, ctx: SendContext): Promise<SendResult> {
    const client = await this.webClient();
    const channel = typeof message.payload?.slackChannel === 'string' ? message.payload.slackChannel : this.settings.channel;
    const notes: string[] = [];
    /** Only for a row an earlier attempt may have delivered: its message, or null to post it. */
    const earlier = async (part: Part, where: { channel: string; thread?: string }) => {
      if (!ctx.earlierAttemptUnknown) return null;
      const seen = await this.findEarlier(client, message, part, where);
      if ('found' in seen) return seen.found;
      notes.push(`could not check whether an earlier attempt reached Slack (${seen.unknown}): sent again`);
      return null;
    };
    const warning = () => (notes.length > 0 ? { warning: notes.join('; ') } : {});
    try {
      const alert = ctx.alert;
      if (!alert) {
        const found = await earlier('post', { channel });
        if (found) return { detail: `already posted ${found.ts} in ${found.channel} (by an earlier attempt)` };
        const text = headline(message, null);
        const body = bodyText(message);
        const whole = `${text}${body ? `\n${body}` : ''}`;
        const metadata = noticeMetadata(message, 'post');
        // A section block holds 3,000 characters; a longer message (a report) goes as plain text,
        // which Slack takes up to 40,000.
        const res =
          whole.length <= SECTION_LIMIT
            ? await client.chat.postMessage({ channel, text, metadata, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(whole) } }] as never })
            : await client.chat.postMessage({ channel, text: cut(whole, TEXT_LIMIT), mrkdwn: false, metadata });
        return { detail: `posted ${res.ts ?? ''} in ${res.channel ?? channel}`, ...warning() };
      }
      const text = headline(message, alert);
      const blocks = alertBlocks(alert, ctx.config, ctx.nowMs) as never;
      if (!alert.slack) {
        let posted = await earlier('post', { channel });
        if (!posted) {
          const res = await client.chat.postMessage({ channel, text, blocks, metadata: noticeMetadata(message, 'post') });
          posted = { channel: String(res.channel ?? channel), ts: String(res.ts ?? '') };
          if (!posted.ts) throw new DeliveryError('Slack answered without a message timestamp', true);
        }
        if (message.kind !== 'alert') {
          // The message is out and must be remembered: a failed reply must not cause a second post.
          try {
            if (!(await earlier('reply', { channel: posted.channel, thread: posted.ts }))) {
              await client.chat.postMessage({ channel: posted.channel, thread_ts: posted.ts, text: threadReplyText(message, ctx.config), metadata: noticeMetadata(message, 'reply') });
            }
          } catch (error) {
            return { slack: posted, detail: `posted ${posted.ts}; thread reply failed: ${slackFailure(error).message}`, ...warning() };
          }
        }
        return { slack: posted, detail: `posted ${posted.ts}`, ...warning() };
      }
      try {
        await client.chat.update({ channel: alert.slack.channel, ts: alert.slack.ts, text, blocks });
      } catch (error) {
        // The message was deleted (or cannot be edited any more): post a fresh one to keep going.
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code !== 'message_not_found' && code !== 'cant_update_message') throw error;
        return this.send(message, { ...ctx, alert: { ...alert, slack: null } });
      }
      // The update shows the alert as it is now (doing it twice changes nothing); the reply is a new
      // message, posted once.
      if (!(await earlier('reply', { channel: alert.slack.channel, thread: alert.slack.ts }))) {
        await client.chat.postMessage({
          channel: alert.slack.channel,
          thread_ts: alert.slack.ts,
          text: threadReplyText(message, ctx.config),
          metadata: noticeMetadata(message, 'reply'),
        });
      }
      return { detail: `updated ${alert.slack.ts}`, ...warning() };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw slackFailure(error);
    }
  }
}

export const slackChannel = {
  name: 'slack' as const,
  description: 'a Block Kit message per alert with an Acknowledge button, updated as the alert moves',
  settings,
  delivers: true,
  actions: true,
  reaches: (person: Person) => Boolean(person.slack),
  secrets: (s: SlackSettings) => [s.token, s.signing_secret],
  problem(s: SlackSettings | undefined) {
    if (!s) return 'channels.slack is not configured';
    if (!s.token) return 'channels.slack.token is empty (is SLACK_BOT_TOKEN set?)';
    if (!s.channel) return 'channels.slack.channel is empty';
    return null;
  },
  sender: (s: SlackSettings, options?: SlackSenderOptions) => new SlackSender({ ...s, token: s.token! }, options),
  test: {
    verify: (sender: ChannelSender) => (sender as SlackSender).verify(),
  },
} satisfies Channel<SlackSettings, SlackSenderOptions>;
