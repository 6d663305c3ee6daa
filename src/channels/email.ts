// Email through a real SMTP server (nodemailer): the subject names severity and system; the body
// comes as plain text and HTML. Recipients: the row's people (their `email`) or addresses, else
// `channels.email.to`, else the system leader.
import type { Transporter } from 'nodemailer';
import * as z from 'zod';
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig, Person } from '../config/types.js';
import { CliError, EXIT } from '../exit.js';
import { sanitizeLine } from '../text/sanitize.js';
import { escapeHtml } from '../text/html.js';
import { urlCredentials } from '../text/secrets.js';
import { alertFacts, bodyText, headline, kindTitle } from './format.js';
import { DeliveryError, type Channel, type ChannelSender, type SendContext, type SendResult } from './types.js';

/** `channels.email` in imos.yaml. */
const settings = z.strictObject({
  smtp: z.string().optional().describe('smtp://user:pass@host:587 or smtps://…'),
  from: z.string().min(1),
  to: z.array(z.string()).optional(),
});
export type EmailSettings = z.output<typeof settings>;

export interface EmailSenderOptions {
  /** Connect / greeting / socket timeout. */
  timeoutMs?: number;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** Who gets the email, as addresses (unknown people and people without `email` are skipped). */
export function emailRecipients(message: OutboxMessage, alert: Alert | null, config: ImosConfig): string[] {
  const resolve = (ids: string[]) =>
    ids
      .map((id) => (ADDRESS.test(id) ? id : config.people[id]?.email))
      .filter((a): a is string => typeof a === 'string' && ADDRESS.test(a));
  let out = resolve(message.to);
  if (out.length === 0) out = resolve(config.channels.email?.to ?? []);
  if (out.length === 0 && alert) {
    const leader = config.systems[alert.system]?.leader;
    if (leader) out = resolve([leader]);
  }
  return [...new Set(out)];
}

export function emailBodies(message: OutboxMessage, ctx: SendContext): { subject: string; text: string; html: string } {
  const subject = sanitizeLine(headline(message, ctx.alert), 200);
  const body = bodyText(message);
  const rows: Array<[string, string]> = [];
  let link: string | null = null;
  if (ctx.alert) {
    const f = alertFacts(ctx.alert, ctx.config, ctx.nowMs);
    link = f.link;
    rows.push(
      ['Severity', f.severity],
      ['System', `${f.systemName} (${f.system})`],
      ['Check', f.check],
      ['Message', f.message],
      ['Value', f.value],
      ['Age', f.age],
      ['State', f.state],
      ['Alert', ctx.alert.id],
    );
  }
  const text = [
    `${kindTitle(message.kind)}`,
    '',
    ...(body ? [body, ''] : []),
    ...rows.map(([k, v]) => `${k}: ${v}`),
    '',
    ...(link ? [`Dashboard: ${link}`] : []),
    ctx.alert ? `Acknowledge: imos ack ${ctx.alert.id}` : 'Sent by imos.',
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(kindTitle(message.kind))}</h2>`,
    body ? `<p>${escapeHtml(body).replace(/\n/g, '<br>')}</p>` : '',
    rows.length
      ? `<table>${rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`
      : '',
    link ? `<p><a href="${escapeHtml(link)}">Open on the dashboard</a></p>` : '',
    ctx.alert ? `<p>Acknowledge: <code>imos ack ${escapeHtml(ctx.alert.id)}</code></p>` : '<p>Sent by imos.</p>',
  ].join('\n');
  return { subject, text, html };
}

/** SMTP failures: 4xx replies and connection trouble are transient, 5xx replies are not. */
export function emailFailure(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const reason = sanitizeLine(e?.message ?? String(error), 200);
  if (typeof e?.responseCode === 'number') return new DeliveryError(`SMTP ${e.responseCode}: ${reason}`, e.responseCode < 500);
  if (e?.code === 'EAUTH') return new DeliveryError(`SMTP authentication failed: ${reason}`, false);
  return new DeliveryError(`SMTP: ${reason}`, true);
}

export class EmailSender implements ChannelSender {
  readonly channel = 'email';
  private transport: Transporter | null = null;

  constructor(
    private readonly settings: EmailSettings & { smtp: string },
    private readonly options: EmailSenderOptions = {},
  ) {}

  private async transporter(): Promise<Transporter> {
    if (this.transport) return this.transport;
    const nodemailer = (await import('nodemailer')).default;
    const timeout = this.options.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport(this.settings.smtp, {
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as never);
    return this.transport;
  }

  async send(message: OutboxMessage, ctx: SendContext): Promise<SendResult> {
    const to = emailRecipients(message, ctx.alert, ctx.config);
    if (to.length === 0) {
      throw new DeliveryError('no email recipients (people without `email`, and no channels.email.to)', false);
    }
    const { subject, text, html } = emailBodies(message, ctx);
    try {
      const info = await (await this.transporter()).sendMail({ from: this.settings.from, to, subject, text, html });
      // The server took the message for some recipients and refused others at RCPT TO.
      const rejected = ((info.rejected ?? []) as Array<string | { address: string }>).map((r) => (typeof r === 'string' ? r : r.address));
      if (rejected.length > 0) {
        const errors = (info as { rejectedErrors?: Array<{ response?: string; message?: string }> }).rejectedErrors ?? [];
        const reason = sanitizeLine(errors[0]?.response ?? errors[0]?.message ?? 'refused', 160);
        const accepted = to.filter((a) => !rejected.includes(a));
        return {
          detail: `sent to ${accepted.join(', ')} (${sanitizeLine(info.messageId ?? '', 100)})`,
          warning: `SMTP refused ${rejected.length} of ${to.length} recipient(s): ${reason}; sent to ${accepted.join(', ')}`,
        };
      }
      return { detail: `sent to ${to.join(', ')} (${sanitizeLine(info.messageId ?? '', 100)})` };
    } catch (error) {
      throw emailFailure(error);
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}

export const emailChannel = {
  name: 'email' as const,
  description: 'plain text and HTML mail through your SMTP server, to the people concerned',
  settings,
  delivers: true,
  actions: false,
  reaches: (person: Person) => Boolean(person.email),
  secrets: (s: EmailSettings) => (s.smtp ? urlCredentials(s.smtp) : []),
  problem(s: EmailSettings | undefined) {
    if (!s) return 'channels.email is not configured';
    if (!s.smtp) return 'channels.email.smtp is empty (is SMTP_URL set?)';
    if (!s.from) return 'channels.email.from is empty';
    return null;
  },
  sender: (s: EmailSettings, options?: EmailSenderOptions) => new EmailSender({ ...s, smtp: s.smtp! }, options),
  test: {
    // Without --to and channels.email.to: the person running the test, if the config has their address.
    recipients(s: EmailSettings, config: ImosConfig, actor: string) {
      if (s.to?.length) return [];
      if (config.people[actor]?.email) return [actor];
      throw new CliError('no recipient for the test email: give --to PERSON|ADDRESS (or set channels.email.to)', EXIT.usage);
    },
  },
} satisfies Channel<EmailSettings, EmailSenderOptions>;
