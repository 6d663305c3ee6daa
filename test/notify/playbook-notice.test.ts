// When an alert with a playbook opens, the people it brings together hear of it through their own
// channels (beyond the severity policy), with the runbook and the actions; Slack lists the actions
// and shows buttons only when the playbook allows Slack actions. Real Slack API and SMTP peers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Severity } from '../../src/model.js';
import type { ImosConfig, PlaybookConfig } from '../../src/config/types.js';
import { processResults, processTime } from '../../src/alerts/index.js';
import { createNotifier } from '../../src/notify/index.js';
import { startSlackApi, type SlackApi } from '../helpers/slack-api.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { notifyConfig, tempStore } from '../helpers/notify-fixtures.js';
import { checkConfig } from '../helpers/config.js';
import { ManualClock } from '../../src/time/clock.js';
import { DEFAULT_POLICIES } from '../../src/config/severity-defaults.js';
import { HANG_MS } from '../helpers/bounds.js';

function playbook(over: Partial<PlaybookConfig> = {}): PlaybookConfig {
  return {
    id: 'db-down',
    alertTypes: [],
    checks: ['unified-db'],
    coordinate: ['dependents', 'owner'],
    runbook: '## First\n- Look at **pg_stat_activity**\n- Restart with `recover`',
    actions: [
      { id: 'recover', title: 'Restart the pool', run: ['./scripts/restart-pool.sh', '{mode}'], cwd: '/tmp', env: {}, timeoutMs: 60_000, confirm: null, allow: ['coordinated'], overlap: false, keepLines: 200, args: [{ name: 'mode', choices: ['soft', 'hard'], default: 'soft' }] },
      { id: 'failover', title: 'Fail over', run: ['./scripts/failover.sh'], cwd: '/tmp', env: {}, timeoutMs: 60_000, confirm: 'fail over now', allow: ['owner'], overlap: false, keepLines: 200, args: [] },
    ],
    allowSlackActions: false,
    ...over,
  };
}

function failing(severity: Severity, at: number): CheckResult {
  return { id: 'unified-db', system: 'hotel-common', kind: 'postgres', status: severity, runStatus: severity, value: null, metrics: {}, message: 'connection refused', durationMs: 3, at: new Date(at).toISOString() };
}

const decoded = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('an alert with a playbook', () => {
  let slack: SlackApi;
  let smtp: SmtpSink;
  beforeAll(async () => {
    [slack, smtp] = await Promise.all([startSlackApi(), startSmtpSink()]);
  });
  afterAll(async () => {
    await Promise.all([slack.close(), smtp.close()]);
  });

  async function open(config: ImosConfig) {
    const { store, cleanup } = await tempStore();
    try {
      const clock = new ManualClock('2026-01-05T00:00:00Z');
      await processResults(store, config, [failing('HIGH', clock.now())], clock.now());
      const notifier = createNotifier(store, config, clock, { senders: { slack: { timeoutMs: HANG_MS } } });
      try {
        expect((await notifier.flush()).failed).toBe(0);
      } finally {
        await notifier.close();
      }
      return (await store.read('core')).outbox;
    } finally {
      await cleanup();
    }
  }

  it('tells the coordinated people through their channels, with the runbook and the actions', async () => {
    const config = notifyConfig({ slackApiUrl: slack.url, smtp: smtp.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    // HIGH goes to Slack and the console only: the email is the playbook's doing.
    config.severities = { ...structuredClone(DEFAULT_POLICIES), HIGH: { ...DEFAULT_POLICIES.HIGH, notify: ['slack', 'console'] } };
    config.playbooks = [playbook()];
    const mailsBefore = smtp.mails.length;
    const messagesBefore = slack.topLevel().length;
    const rows = await open(config);

    // The leader (manager), the leaders of every system depending on hotel-common (suno, luna, and
    // sun through hotel-pms), and the owner.
    expect(rows.map((r) => [r.channel, r.to])).toEqual([
      ['slack', ['manager', 'suno', 'luna', 'sun', 'owner']],
      ['email', ['manager', 'suno', 'luna', 'sun', 'owner']],
    ]);
    const mail = smtp.mails.slice(mailsBefore);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to.sort()).toEqual(['manager@example.com', 'owner@example.com', 'suno@example.com']);
    const body = decoded(mail[0]!.raw);
    expect(body).toContain('Playbook db-down');
    expect(body).toContain('Brought together: Suno, Luna, Sun, Project owner');
    expect(body).toContain('Look at pg_stat_activity');
    expect(body).toContain('./scripts/restart-pool.sh {mode}');
    expect(body).toContain('imos run A1 recover');
    expect(body).toContain('imos run A1 failover (asks for a confirmation phrase)');
    expect(body).not.toContain('fail over now'); // the phrase itself is not handed out

    const [message] = slack.topLevel().slice(messagesBefore);
    const blocks = JSON.stringify(message!.blocks);
    expect(blocks).toContain('Playbook db-down');
    expect(blocks).toContain('<@U01SUNO>');
    expect(blocks).toContain('*First*');
    expect(blocks).toContain('imos run A1 recover');
    // Without allow_slack_actions the message lists the actions but has no button for them.
    expect(blocks).not.toContain('imos_run');
    expect(blocks).toContain('imos_ack');
  });

  it('puts buttons on the Slack message only with allow_slack_actions, never for an action asking a phrase or an argument without default', async () => {
    const config = notifyConfig({ slackApiUrl: slack.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    const base = playbook();
    // An argument without a default needs someone to choose it: no button for that action.
    const scoped = { ...base.actions[0]!, id: 'scoped', run: ['./scripts/restart-pool.sh', '{node}'], args: [{ name: 'node', pattern: '[0-9]+' }] };
    config.playbooks = [playbook({ allowSlackActions: true, actions: [...base.actions, scoped] })];
    const before = slack.topLevel().length;
    await open(config);
    const [message] = slack.topLevel().slice(before);
    const actions = (message!.blocks as Array<{ type: string; block_id?: string; elements?: Array<Record<string, unknown>> }>).find((b) => b.block_id?.startsWith('imos_playbook_'));
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([['imos_run:recover', 'A1 recover']]);
    // Slack's dialog names the exact command the press runs: the arguments at their defaults.
    expect(JSON.stringify(actions?.elements?.[0]?.confirm)).toContain('Restart the pool: ./scripts/restart-pool.sh soft');
  });

  it('hands a webhook the playbook as data', async () => {
    const { webhookBody } = await import('../../src/channels/webhook.js');
    const config = notifyConfig({ slackApiUrl: slack.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    config.playbooks = [playbook()];
    const rows = await open(config);
    const body = webhookBody(rows[0]!, { alert: null, config, nowMs: Date.parse('2026-01-05T00:00:00Z') });
    expect(body.playbook).toEqual({
      id: 'db-down',
      coordinate: ['suno', 'luna', 'sun', 'owner'],
      runbook: '## First\n- Look at **pg_stat_activity**\n- Restart with `recover`',
      actions: [
        { id: 'recover', title: 'Restart the pool', command: ['./scripts/restart-pool.sh', '{mode}'], confirm: false },
        { id: 'failover', title: 'Fail over', command: ['./scripts/failover.sh'], confirm: true },
      ],
    });
  });

  it('sends the playbook with the first message a channel gets when the severity rises', async () => {
    const config = notifyConfig({ slackApiUrl: slack.url, smtp: smtp.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    // MEDIUM reaches the console only; the playbook brings in the leader (Slack); CRITICAL adds email.
    config.severities = { ...structuredClone(DEFAULT_POLICIES), MEDIUM: { ...DEFAULT_POLICIES.MEDIUM, notify: ['console'] }, CRITICAL: { ...DEFAULT_POLICIES.CRITICAL, notify: ['slack', 'email'] } };
    config.playbooks = [playbook({ coordinate: ['leader'] })];
    config.people.manager = { ...config.people.manager!, email: undefined };
    const { store, cleanup } = await tempStore();
    try {
      const clock = new ManualClock('2026-01-05T00:00:00Z');
      await processResults(store, config, [failing('MEDIUM', clock.now())], clock.now());
      await clock.advance(60_000);
      await processResults(store, config, [failing('CRITICAL', clock.now())], clock.now());
      const rows = (await store.read('core')).outbox;
      expect(rows.map((r) => [r.kind, r.channel])).toEqual([['alert', 'slack'], ['severity', 'slack'], ['alert', 'email']]);
      const email = rows.find((r) => r.channel === 'email')!;
      expect(email.text).toContain('Playbook db-down');
      expect(email.text).toContain('imos run A1 recover');
      expect(email.payload?.playbook).toMatchObject({ id: 'db-down' });
    } finally {
      await cleanup();
    }
  });

  it('sends the playbook with each escalation: the people it reaches may not have seen the first notice', async () => {
    const config = notifyConfig({ slackApiUrl: slack.url, smtp: smtp.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    // HIGH goes to Slack; after 30 minutes without an acknowledgement the owner hears by email.
    config.severities = { ...structuredClone(DEFAULT_POLICIES), HIGH: { ...DEFAULT_POLICIES.HIGH, notify: ['slack'], escalate: [{ afterMs: 30 * 60_000, to: ['owner'], channels: ['email'] }] } };
    config.playbooks = [playbook({ coordinate: [] })];
    const { store, cleanup } = await tempStore();
    try {
      const clock = new ManualClock('2026-01-05T00:00:00Z');
      await processResults(store, config, [failing('HIGH', clock.now())], clock.now());
      await clock.advance(31 * 60_000);
      await processTime(store, config, clock.now());
      const rows = (await store.read('core')).outbox;
      const escalation = rows.find((r) => r.kind === 'escalation' && r.channel === 'email')!;
      expect(escalation.to).toEqual(['owner']);
      expect(escalation.text).toMatch(/^Escalated to level 1 \(/);
      expect(escalation.text).toContain('Playbook db-down');
      expect(escalation.text).toContain('Look at pg_stat_activity');
      expect(escalation.text).toContain('imos run A1 recover');
      expect(escalation.payload?.playbook).toMatchObject({ id: 'db-down' });
      // Sent as such by the real SMTP client.
      const mailsBefore = smtp.mails.length;
      const notifier = createNotifier(store, config, clock, { senders: { slack: { timeoutMs: HANG_MS } } });
      try {
        expect((await notifier.flush()).failed).toBe(0);
      } finally {
        await notifier.close();
      }
      const mail = smtp.mails.slice(mailsBefore).find((m) => m.to.includes('owner@example.com'));
      expect(decoded(mail!.raw)).toContain('Playbook db-down');
    } finally {
      await cleanup();
    }
  });

  it('changes nothing for an alert no playbook answers', async () => {
    const config = notifyConfig({ slackApiUrl: slack.url, smtp: smtp.url });
    config.checks = [checkConfig('unified-db', 'hotel-common')];
    config.playbooks = [playbook({ checks: ['other'], alertTypes: ['PENDING_MIGRATIONS'] })];
    const rows = await open(config);
    expect(rows.map((r) => [r.channel, r.to])).toEqual([['slack', ['manager']]]);
  });
});
