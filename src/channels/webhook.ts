// Webhook: a JSON POST for anything else (Teams, Discord, a pager). The raw body is signed:
// `X-Imos-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`; the body carries the
// timestamp too (so it is signed), repeated in `X-Imos-Timestamp`; `X-Imos-Delivery` is the outbox
// row id, the same on every retry, so a receiver can drop a duplicate.
import { createHmac } from 'node:crypto';
import type { OutboxMessage } from '../model.js';
import * as z from 'zod';
import { sanitizeLine } from '../text/sanitize.js';
import { redactUrl, redactWholeUrl } from '../text/redact.js';
import { urlCredentials } from '../text/secrets.js';
import { alertJson } from '../alert-json.js';
import { bodyText, headline } from './format.js';
import { DeliveryError, type Channel, type ChannelSender, type SendContext, type SendResult } from './types.js';

/** `channels.webhook` in imos.yaml. */
const settings = z.strictObject({ url: z.string().optional(), secret: z.string().optional() });
export type WebhookSettings = z.output<typeof settings>;

export interface WebhookSenderOptions {
  timeoutMs?: number;
}

export function signWebhookBody(body: string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export function webhookBody(message: OutboxMessage, ctx: SendContext): Record<string, unknown> {
  return {
    id: message.id,
    kind: message.kind,
    timestamp: Math.floor(ctx.nowMs / 1000),
    subject: headline(message, ctx.alert),
    text: bodyText(message),
    to: message.to,
    alert: ctx.alert ? alertJson(ctx.alert) : null,
    // An alert's first notice with a playbook: who it brings together, the runbook, the actions.
    ...(message.payload?.playbook && typeof message.payload.playbook === 'object' ? { playbook: message.payload.playbook } : {}),
    ...(message.payload?.webhook && typeof message.payload.webhook === 'object' ? { extra: message.payload.webhook } : {}),
  };
}

/** Seconds or an HTTP date → milliseconds. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

export class WebhookSender implements ChannelSender {
  readonly channel = 'webhook';

  constructor(
    private readonly settings: WebhookSettings & { url: string },
    private readonly options: WebhookSenderOptions = {},
  ) {}

  async send(message: OutboxMessage, ctx: SendContext): Promise<SendResult> {
    const body = JSON.stringify(webhookBody(message, ctx));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'imos-webhook',
      'x-imos-timestamp': String(Math.floor(ctx.nowMs / 1000)),
      'x-imos-delivery': message.id,
    };
    if (this.settings.secret) headers['x-imos-signature'] = signWebhookBody(body, this.settings.secret);
    // The URL is the receiver's credential (a Slack or Discord webhook keeps its secret in the path):
    // every message names its scheme and host only.
    const where = redactWholeUrl(this.settings.url);
    // fetch refuses a URL with credentials (https://user:pass@relay/…): send them as Basic auth.
    let target: URL;
    try {
      target = new URL(this.settings.url);
    } catch {
      throw new DeliveryError(`webhook ${where}: not a valid URL`, false);
    }
    if (target.username || target.password) {
      const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      target.username = '';
      target.password = '';
    }
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers,
        body,
        // Never followed (the signed body and credentials would go elsewhere): said below.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const e = error as Error;
      const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError';
      const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
      throw new DeliveryError(
        timeout ? `webhook ${where} timed out` : `webhook ${where}: ${sanitizeLine(cause?.code ?? cause?.message ?? e?.message, 120)}`,
        true,
      );
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { detail: `HTTP ${response.status} from ${where}` };
    const status = response.status;
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      const to = location ? sanitizeLine(redactUrl(new URL(location, target).href), 200) : 'no Location';
      // A moved receiver stays moved (301, 308): retrying will not help until the url is fixed.
      throw new DeliveryError(
        `webhook ${where} answered HTTP ${status} (redirect to ${to}); redirects are not followed: set the webhook url to the final address`,
        status !== 301 && status !== 308,
      );
    }
    const transient = status >= 500 || status === 408 || status === 429;
    throw new DeliveryError(
      `webhook ${where} answered HTTP ${status}`,
      transient,
      status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), ctx.nowMs) : undefined,
    );
  }
}

export const webhookChannel = {
  name: 'webhook' as const,
  description: 'a signed JSON POST to any receiver (Teams, Discord, a pager)',
  settings,
  delivers: true,
  actions: false,
  // The whole URL is a secret (shown by scheme and host), and so are the credentials inside it.
  secrets: (s: WebhookSettings) => [s.secret, ...(s.url ? [s.url, ...urlCredentials(s.url)] : [])],
  problem(s: WebhookSettings | undefined) {
    if (!s) return 'channels.webhook is not configured';
    if (!s.url) return 'channels.webhook.url is empty (is WEBHOOK_URL set?)';
    return null;
  },
  sender: (s: WebhookSettings, options?: WebhookSenderOptions) => new WebhookSender({ ...s, url: s.url! }, options),
  test: {},
} satisfies Channel<WebhookSettings, WebhookSenderOptions>;
