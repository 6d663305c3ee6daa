// A real SMTP server on loopback (the smtp-server package) that keeps what it receives, and can
// be told to refuse the next messages with a given reply code (451 transient, 550 permanent).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Refuse the next `count` messages with this SMTP code. */
  refuse(code: number, count?: number): void;
  /** Refuse this recipient at RCPT TO with this SMTP code (the others of the message are taken). */
  refuseRecipient(address: string, code: number): void;
  close(): Promise<void>;
}

/** The decoded Subject header of a raw message (handles RFC 2047 encoded words). */
export function subjectOf(raw: string): string {
  const header = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const match = header.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/im);
  if (!match) return '';
  return match[1]!
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
    )
    .trim();
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let refusals: Array<number> = [];
  const refusedRecipients = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refusedRecipients.get(address.address.toLowerCase());
      if (!code) return callback();
      const err = new Error(`<${address.address}>: recipient address rejected`) as Error & { responseCode: number };
      err.responseCode = code;
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = refusals.shift();
        if (code) {
          const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
          err.responseCode = code;
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: subjectOf(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    refuse(code, count = 1) {
      refusals = refusals.concat(Array.from({ length: count }, () => code));
    },
    refuseRecipient(address, code) {
      refusedRecipients.set(address.toLowerCase(), code);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
