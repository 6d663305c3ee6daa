// `imos notify test CHANNEL` and `imos serve` as a user runs them: the built binary, real peers
// on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { IMOS_BIN, runImos } from '../helpers/cli.js';
import { seedStore } from '../../src/store/testing/draft.js';
import { startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { CLI_HANG_MS, HANG_MS } from '../helpers/bounds.js';

const WEBHOOK_SECRET = 'cli-webhook-secret-93';

describe('imos notify test / imos serve (built binary)', () => {
  let dir: string;
  let slack: SlackApi;
  let smtp: SmtpSink;
  let hook: WebhookReceiver;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [slack, smtp, hook] = await Promise.all([startSlackApi(), startSmtpSink(), startWebhookReceiver(WEBHOOK_SECRET)]);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-notify-cli-'));
    await fs.writeFile(
      path.join(dir, 'imos.yaml'),
      [
        'project: Notify CLI test',
        'timezone: UTC',
        'people:',
        '  manager: { name: Manager, slack: U01MANAGER, email: manager@example.com }',
        '  owner: { name: Owner, email: owner@example.com }',
        'systems:',
        '  core: { name: Core, leader: manager }',
        'checks: []',
        'channels:',
        '  slack:',
        '    token: ${SLACK_BOT_TOKEN}',
        '    signing_secret: ${SLACK_SIGNING_SECRET}',
        '    channel: "#ops"',
        `    api_url: ${slack.url}`,
        '  email:',
        '    smtp: ${SMTP_URL}',
        '    from: imos@example.com',
        '  webhook:',
        `    url: ${hook.url}`,
        '    secret: ${WEBHOOK_SECRET}',
        'store: ./data/imos.json',
        '',
      ].join('\n'),
    );
    env = { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'cli-signing', SMTP_URL: smtp.url, WEBHOOK_SECRET };
  });
  afterAll(async () => {
    await Promise.all([slack.close(), smtp.close(), hook.close()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sends a test message through Slack, email and the webhook', async () => {
    const s = await runImos(['notify', 'test', 'slack'], { cwd: dir, env });
    expect(s.exitCode, s.stderr).toBe(0);
    expect(s.exitCode).toBe(0);
    expect(s.stdout).toContain('slack: authenticated as imos');
    expect(slack.topLevel()).toHaveLength(1);
    expect(slack.topLevel()[0]!.text).toContain('Test message from imos');

    const e = await runImos(['notify', 'test', 'email', '--to', 'manager'], { cwd: dir, env });
    expect(e.exitCode, e.stderr).toBe(0);
    expect(smtp.mails.map((m) => m.to)).toEqual([['manager@example.com']]);

    const w = await runImos(['notify', 'test', 'webhook'], { cwd: dir, env });
    expect(w.exitCode, w.stderr).toBe(0);
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]!.signatureValid).toBe(true);
    expect(hook.deliveries[0]!.body.kind).toBe('test');
  });

  it('exits 1 with the reason when the channel refuses, never printing the token; 64 for an unknown channel', async () => {
    const bad = await runImos(['notify', 'test', 'slack'], { cwd: dir, env: { ...env, SLACK_BOT_TOKEN: 'xoxb-wrong-secret-token' } });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('invalid_auth');
    expect(bad.stderr + bad.stdout).not.toContain('xoxb-wrong-secret-token');
    const unknown = await runImos(['notify', 'test', 'pager'], { cwd: dir, env });
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toMatch(/unknown channel "pager"/);
    const outbox = await runImos(['notify', 'outbox', '--json'], { cwd: dir, env });
    expect(outbox.exitCode).toBe(0);
    expect(JSON.parse(outbox.stdout)).toEqual([]);
  });

  it('imos notify outbox shows failed notifications and imos notify retry queues one again', async () => {
    const { openStore } = await import('../../src/store/open.js');
    const store = await openStore(path.join(dir, 'data/imos.json'));
    const base = { kind: 'alert', alertId: 'A7', to: [], subject: 's', text: 't', nextAttemptAt: '2026-01-05T00:00:00.000Z', createdAt: '2026-01-05T00:00:00.000Z' };
    await seedStore(store, {
      outbox: [
        { ...base, id: 'A7-alert-slack-3', channel: 'slack', state: 'failed', attempts: 8, lastError: 'Slack refused: channel_not_found', sentAt: null },
        // Sent, but one recipient was refused: listed too (a plain sent row is not).
        { ...base, id: 'A7-alert-email-4', channel: 'email', state: 'sent', attempts: 1, lastError: 'SMTP refused 1 of 2 recipient(s): 550 <owner@example.com>', sentAt: '2026-01-05T00:00:01.000Z' },
        { ...base, id: 'A7-alert-email-5', channel: 'email', state: 'sent', attempts: 1, lastError: null, sentAt: '2026-01-05T00:00:01.000Z' },
      ],
    });
    const list = await runImos(['notify', 'outbox'], { cwd: dir, env });
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/A7-alert-slack-3 +slack +alert +A7 +failed +attempts 8 +FAILED — Slack refused: channel_not_found/);
    expect(list.stdout).toMatch(/A7-alert-email-4 +email +alert +A7 +sent +attempts 1 +sent 2026-01-05T00:00:01.000Z — SMTP refused 1 of 2 recipient\(s\)/);
    expect(list.stdout).not.toContain('A7-alert-email-5');
    const retry = await runImos(['notify', 'retry', 'A7-alert-slack-3', '--as', 'luna'], { cwd: dir, env });
    expect(retry.exitCode, retry.stderr).toBe(0);
    const row = (await store.read('core')).outbox.find((r) => r.id === 'A7-alert-slack-3')!;
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await store.readAudit()).some((e) => e.action === 'notify-retry' && e.actor === 'luna')).toBe(true);
    const unknown = await runImos(['notify', 'retry', 'nope'], { cwd: dir, env });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('no notification with id "nope"');
    await store.close();
  });

  it('imos serve binds to loopback, answers, and stops cleanly on SIGTERM', async () => {
    const cleanEnv = { ...process.env, ...env };
    delete cleanEnv.CI;
    const child = execa(process.execPath, [IMOS_BIN, 'serve', '--port', '0'], { cwd: dir, env: cleanEnv, extendEnv: false, reject: false, timeout: CLI_HANG_MS });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), HANG_MS);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = stderr.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const status = (await (await fetch(`${url}/api/status`)).json()) as { project: string };
    expect(status.project).toBe('Notify CLI test');
    // Unsigned Slack action: refused.
    expect((await fetch(`${url}/slack/actions`, { method: 'POST', body: 'payload=%7B%7D' })).status).toBe(401);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const bad = await runImos(['serve', '--port', 'abc'], { cwd: dir, env });
    expect(bad.exitCode).toBe(64);
  });
});
