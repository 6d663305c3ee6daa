import { seedStore } from '../store/testing/draft.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { EmailSender, emailBodies, emailRecipients } from './email.js';
import { startSmtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.js';
import { makeAlert, makeRow, notifyConfig, tempStore } from '../../test/helpers/notify-fixtures.js';
import { ManualClock } from '../time/clock.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { HANG_MS } from '../../test/helpers/bounds.js';

const NOW = Date.parse('2026-01-05T00:45:00Z');

describe('EmailSender against a real SMTP server on loopback', () => {
  let sink: SmtpSink;
  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => sink.close());

  function sender(smtp = sink.url) {
    const config = notifyConfig({ smtp });
    return { config, email: new EmailSender({ ...config.channels.email!, smtp }, { timeoutMs: HANG_MS }) };
  }

  it('sends a plain-text and HTML mail whose subject names severity and system, to the people of the row', async () => {
    const { config, email } = sender();
    const alert = makeAlert({ message: 'pending <migrations> \u001b[2J', escalationLevel: 1 });
    const row = makeRow({ channel: 'email', kind: 'escalation', to: ['manager', 'owner', 'nobody'], subject: 'escalated (level 1): pending', text: 'Escalated to level 1' });
    const result = await email.send(row, { alert, config, nowMs: NOW });
    expect(result.detail).toContain('manager@example.com');
    expect(sink.mails).toHaveLength(1);
    const mail = sink.mails[0]!;
    expect(mail.from).toBe('imos@example.com');
    expect(mail.to.sort()).toEqual(['manager@example.com', 'owner@example.com']);
    expect(mail.subject).toContain('[CRITICAL]');
    expect(mail.subject).toContain('hotel-member');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail.raw).toMatch(/Content-Type: text\/html/i);
    expect(mail.raw).toContain('Age: 45m');
    expect(mail.raw).toContain('&lt;migrations&gt;');
    expect(mail.raw).not.toContain('\u001b');
    expect(mail.raw).not.toContain('Dashboard:');
    email.close();
  });

  it('links to the alert on the dashboard when server.public_url is set (text and HTML)', () => {
    const config = notifyConfig({ smtp: 'smtp://127.0.0.1:1' });
    config.server = { ...config.server, public_url: 'https://ops.example.com' };
    const bodies = emailBodies(makeRow({ channel: 'email' }), { alert: makeAlert({ id: 'A7' }), config, nowMs: NOW });
    expect(bodies.text).toContain('Dashboard: https://ops.example.com/dashboard/alerts/A7');
    expect(bodies.html).toContain('<a href="https://ops.example.com/dashboard/alerts/A7">Open on the dashboard</a>');
  });

  it('falls back to channels.email.to, then the system leader; no recipient is a permanent failure', () => {
    const config = notifyConfig({ smtp: 'smtp://127.0.0.1:1' });
    const alert = makeAlert();
    expect(emailRecipients(makeRow({ to: [] }), alert, config)).toEqual(['suno@example.com']);
    config.channels.email!.to = ['ops@example.com'];
    expect(emailRecipients(makeRow({ to: [] }), alert, config)).toEqual(['ops@example.com']);
    expect(emailRecipients(makeRow({ to: ['x@y.org'] }), alert, config)).toEqual(['x@y.org']);
  });

  it('a recipient refused at RCPT TO while others are taken is recorded on the sent row, not dropped', async () => {
    const { config, email } = sender();
    sink.refuseRecipient('owner@example.com', 550);
    const ctx = { alert: makeAlert(), config, nowMs: NOW };
    const result = await email.send(makeRow({ channel: 'email', to: ['manager', 'owner'] }), ctx);
    expect(sink.mails.map((m) => m.to)).toEqual([['manager@example.com']]);
    expect(result.warning).toMatch(/^SMTP refused 1 of 2 recipient\(s\): 550 <owner@example\.com>: recipient address rejected; sent to manager@example\.com$/);

    // Through the dispatcher: sent once (no resend to the one who got it), the refusal kept.
    const { store, cleanup } = await tempStore();
    try {
      await seedStore(store, { alerts: [makeAlert({ id: 'A1' })], outbox: [makeRow({ id: 'r1', channel: 'email', to: ['manager', 'owner'], nextAttemptAt: '2026-01-05T00:00:00.000Z' })] });
      const d = new Dispatcher(store, config, new ManualClock('2026-01-05T00:45:00Z'), { email });
      expect(await d.flush()).toMatchObject({ sent: 1, failed: 0 });
      const [row] = (await store.read('core')).outbox;
      expect(row).toMatchObject({ state: 'sent', lastError: expect.stringContaining('SMTP refused 1 of 2 recipient(s): 550 <owner@example.com>') });
      expect((await store.readAudit()).find((e) => e.action === 'notify')?.note).toContain('owner@example.com');
      expect(sink.mails).toHaveLength(2);
    } finally {
      await cleanup();
      email.close();
    }
  });

  it('4xx replies and refused connections are transient, 5xx replies are not', async () => {
    const { config, email } = sender();
    const ctx = { alert: makeAlert(), config, nowMs: NOW };
    sink.refuse(451);
    await expect(email.send(makeRow({ to: ['manager'] }), ctx)).rejects.toMatchObject({ transient: true });
    sink.refuse(550);
    await expect(email.send(makeRow({ to: ['manager'] }), ctx)).rejects.toMatchObject({ transient: false });
    email.close();
    // A port nobody listens on.
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const down = sender(`smtp://127.0.0.1:${free}`).email;
    await expect(down.send(makeRow({ to: ['manager'] }), ctx)).rejects.toMatchObject({ transient: true });
    const none = sender().email;
    await expect(none.send(makeRow({ to: ['nobody'] }), { ...ctx, alert: makeAlert({ system: 'elsewhere' }) })).rejects.toMatchObject({ transient: false });
  });
});
