import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookSender, signWebhookBody } from './webhook.js';
import { startWebhookReceiver, validSignature, type WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { makeAlert, makeRow, notifyConfig, WEBHOOK_SECRET } from '../../test/helpers/notify-fixtures.js';

const NOW = Date.parse('2026-01-05T00:05:00Z');

describe('WebhookSender against a loopback receiver', () => {
  let hook: WebhookReceiver;
  beforeEach(async () => {
    hook = await startWebhookReceiver(WEBHOOK_SECRET);
  });
  afterEach(async () => hook.close());

  function sender(timeoutMs = 2000) {
    const config = notifyConfig({ webhookUrl: hook.url });
    return { config, webhook: new WebhookSender({ ...config.channels.webhook!, url: hook.url }, { timeoutMs }) };
  }

  it('POSTs JSON signed with HMAC-SHA256 of the raw body, with timestamp and delivery id', async () => {
    const { config, webhook } = sender();
    await webhook.send(makeRow({ id: 'row-7', channel: 'webhook' }), { alert: makeAlert(), config, nowMs: NOW });
    expect(hook.deliveries).toHaveLength(1);
    const d = hook.deliveries[0]!;
    expect(d.signatureValid).toBe(true);
    expect(d.headers['x-imos-signature']).toBe(signWebhookBody(d.raw, WEBHOOK_SECRET));
    expect(d.headers['x-imos-timestamp']).toBe(String(NOW / 1000));
    expect(d.headers['x-imos-delivery']).toBe('row-7');
    expect(d.headers['content-type']).toBe('application/json');
    expect(d.body).toMatchObject({ id: 'row-7', kind: 'alert', timestamp: NOW / 1000, alert: { id: 'A1', severity: 'CRITICAL', system: 'hotel-member', state: 'open' } });
    // A signature made with another secret does not verify.
    expect(validSignature(d.raw, d.headers['x-imos-signature'] as string, 'other-secret')).toBe(false);
  });

  it('sends credentials in the URL as Basic authentication (fetch refuses them in the URL)', async () => {
    const url = hook.url.replace('http://', 'http://relay:p%40ss-w0rd@');
    const config = notifyConfig({ webhookUrl: url });
    const webhook = new WebhookSender({ ...config.channels.webhook!, url });
    await webhook.send(makeRow({ id: 'row-8', channel: 'webhook' }), { alert: makeAlert(), config, nowMs: NOW });
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]!.headers.authorization).toBe(`Basic ${Buffer.from('relay:p@ss-w0rd').toString('base64')}`);
    expect(hook.deliveries[0]!.signatureValid).toBe(true);
  });

  it('5xx and 429 (with Retry-After) are transient, other 4xx permanent, a hung receiver times out', async () => {
    const { config, webhook } = sender(300);
    const ctx = { alert: makeAlert(), config, nowMs: NOW };
    hook.script({ status: 503 });
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true });
    hook.script({ status: 429, headers: { 'retry-after': '120' } });
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true, retryAfterMs: 120_000 });
    hook.script({ status: 404 });
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: false });
    await hook.close();
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true });
    hook = await startWebhookReceiver(WEBHOOK_SECRET);
  });

  it('a redirect is not followed and says where it points: 301/308 fail, other redirects are retried; 410 fails', async () => {
    const { config, webhook } = sender();
    const ctx = { alert: makeAlert(), config, nowMs: NOW };
    hook.script({ status: 301, headers: { location: 'https://hooks.example.net/v2?token=s3cr3t-value' } });
    const moved = webhook.send(makeRow(), ctx);
    await expect(moved).rejects.toMatchObject({ transient: false });
    await expect(moved).rejects.toThrow(/answered HTTP 301 \(redirect to https:\/\/hooks\.example\.net\/v2.*\); redirects are not followed/);
    await expect(moved).rejects.not.toThrow(/s3cr3t-value/);
    hook.script({ status: 307, headers: { location: '/elsewhere' } });
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true, message: expect.stringContaining(`HTTP 307 (redirect to ${hook.url.replace(/\/[^/]*$/, '')}/elsewhere)`) });
    hook.script({ status: 410 });
    await expect(webhook.send(makeRow(), ctx)).rejects.toMatchObject({ transient: false, message: expect.stringContaining('answered HTTP 410') });
    // Only the first request of each reached the receiver: nothing was sent to the redirect target.
    expect(hook.deliveries.map((d) => d.status)).toEqual([301, 307, 410]);
  });

  it('a receiver that never answers counts as a transient timeout', async () => {
    const http = await import('node:http');
    const server = http.createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/`;
    const config = notifyConfig({ webhookUrl: url });
    const webhook = new WebhookSender({ url, secret: WEBHOOK_SECRET }, { timeoutMs: 200 });
    await expect(webhook.send(makeRow(), { alert: null, config, nowMs: NOW })).rejects.toMatchObject({ transient: true, message: expect.stringContaining('timed out') });
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
