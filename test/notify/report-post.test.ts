// `imos report … --post CHANNEL`: the report goes through the outbox to real peers on loopback.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';
import { startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

describe('imos report --post', () => {
  let dir: string;
  let slack: SlackApi;
  let smtp: SmtpSink;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [slack, smtp] = await Promise.all([startSlackApi(), startSmtpSink()]);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-report-post-'));
    await fs.writeFile(
      path.join(dir, 'imos.yaml'),
      [
        'project: Report post test',
        'people:',
        '  manager: { name: Manager, email: manager@example.com }',
        'systems:',
        '  core: { name: Core, leader: manager }',
        'channels:',
        '  slack: { token: "${SLACK_BOT_TOKEN}", channel: "#reports", api_url: "' + slack.url + '" }',
        '  email: { smtp: "${SMTP_URL}", from: imos@example.com, to: [team@example.com] }',
        'store: ./data/imos.json',
        '',
      ].join('\n'),
    );
    env = { SLACK_BOT_TOKEN: slack.token, SMTP_URL: smtp.url };
  });
  afterAll(async () => {
    await Promise.all([slack.close(), smtp.close()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sends the Markdown report to Slack and by email when no poller runs', async () => {
    const run = await runImos(['report', 'daily', '--post', 'slack', 'email'], { cwd: dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('posted the daily report to slack');
    expect(run.stdout).toContain('posted the daily report to email');
    const posted = slack.topLevel();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('Daily report');
    expect(posted[0]!.text).toContain('Report post test');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toContain('Daily report');
    expect(smtp.mails[0]!.to).toEqual(['team@example.com']);
  });

  it('exits 1 and keeps the message in the outbox when the channel fails', async () => {
    slack.script('chat.postMessage', { status: 500 }, { status: 500 }, { status: 500 });
    const run = await runImos(['report', 'weekly', '--post', 'slack'], { cwd: dir, env });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('the weekly report was not sent');
    const outbox = await runImos(['notify', 'outbox', '--json'], { cwd: dir, env });
    const rows = JSON.parse(outbox.stdout) as Array<{ kind: string; channel: string; lastError: string | null }>;
    expect(rows.some((r) => r.kind === 'report' && r.channel === 'slack' && r.lastError === 'Slack HTTP 500')).toBe(true);
  });
});
