// The whole human side of an alert, with real peers on loopback and a driven clock:
// check fails → alert → Slack message (+ email) → 30 min → escalated to the manager → 30 min →
// escalated to the owner, while the poller holder's dispatcher is killed with that notice in
// flight and another takes over at once → Acknowledge pressed in "Slack" (signed request to the real
// server) → message updated, escalation stopped → check recovers → resolved notice.
// Every notice reaches Slack exactly once; nothing is lost or repeated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ManualClock } from '../../src/time/clock.js';
import type { CheckResult } from '../../src/model.js';
import type { Store } from '../../src/store/types.js';
import { processResults, processTime } from '../../src/alerts/index.js';
import { createNotifier, type Notifier } from '../../src/notify/index.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { startSlackApi, ackPayload, postSlack, signed, type SlackApi } from '../helpers/slack-api.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { startWorker } from '../helpers/build-worker.js';
import { notifyConfig, SIGNING_SECRET, tempStore } from '../helpers/notify-fixtures.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

const MIN = 60_000;

function result(status: CheckResult['status'], at: number): CheckResult {
  const failing = status !== 'ok';
  return {
    id: 'member-api',
    system: 'hotel-member',
    kind: 'http',
    status,
    runStatus: status,
    value: failing ? 503 : 200,
    metrics: { status: failing ? 503 : 200, latency: 40 },
    message: failing ? 'GET /health answered 503' : 'GET /health answered 200',
    durationMs: 41,
    at: new Date(at).toISOString(),
  };
}

describe('the full story of a CRITICAL alert', () => {
  let slack: SlackApi;
  let smtp: SmtpSink;
  let store: Store;
  let dir: string;
  let file: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer;
  const notifiers: Notifier[] = [];

  beforeAll(async () => {
    [slack, smtp] = await Promise.all([startSlackApi(), startSmtpSink()]);
    ({ store, dir, file, cleanup } = await tempStore());
  });
  afterAll(async () => {
    await server?.close();
    for (const n of notifiers) await n.close();
    await cleanup();
    await Promise.all([slack.close(), smtp.close()]);
  });

  it('reaches the right people once each, stops escalating on Acknowledge, and resolves', async () => {
    const clock = new ManualClock('2026-01-05T00:00:00Z');
    const t0 = clock.now();
    const config = notifyConfig({ slackApiUrl: slack.url, smtp: smtp.url });
    const first = createNotifier(store, config, clock, { senders: { slack: { timeoutMs: HANG_MS } } });
    notifiers.push(first);

    // 1. The check fails: one alert, a Slack message with the button, an email.
    await processResults(store, config, [result('CRITICAL', t0)], t0);
    let core = await store.read('core');
    expect(core.alerts).toHaveLength(1);
    const alertId = core.alerts[0]!.id;
    expect((await first.flush()).failed).toBe(0);
    core = await store.read('core');
    const alert = core.alerts[0]!;
    expect(alert.slack).not.toBeNull();
    expect(slack.topLevel()).toHaveLength(1);
    const message = slack.topLevel()[0]!;
    expect(JSON.stringify(message.blocks)).toContain('imos_ack');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toContain('[CRITICAL] hotel-member');

    // A failing check keeps failing: still one alert, no new notices.
    await clock.advance(15_000);
    await processResults(store, config, [result('CRITICAL', clock.now())], clock.now());
    await first.flush();
    expect(slack.topLevel()).toHaveLength(1);

    // 2. 30 minutes unacknowledged: escalated to the manager (message updated + thread reply).
    await clock.advance(30 * MIN - 15_000);
    await processTime(store, config, clock.now());
    await first.flush();
    expect((await store.read('core')).alerts[0]!.escalationLevel).toBe(1);
    expect(slack.replies(message.ts).map((r) => r.text).join('\n')).toContain('<@U01MANAGER>');
    expect(message.versions.length).toBeGreaterThanOrEqual(2);

    // 3. Another 30 minutes: escalated to the owner. The holder's dispatcher (its own process)
    //    is killed while Slack has not answered the update; another takes over.
    await clock.advance(30 * MIN);
    await processTime(store, config, clock.now());
    expect((await store.read('core')).alerts[0]!.escalationLevel).toBe(2);
    const configFile = path.join(dir, 'config.json');
    await fs.writeFile(configFile, JSON.stringify(config));
    slack.script('chat.update', { hang: true });
    const updatesBefore = slack.calls.filter((c) => c.method === 'chat.update').length;
    const worker = await startWorker('test/workers/notify-dispatcher.ts', [file, configFile, String(clock.now()), String(5 * MIN)]);
    await worker.waitForLine((l) => l.includes('"started"'));
    await waitUntil('the worker\'s update to reach Slack', () => slack.calls.filter((c) => c.method === 'chat.update').length > updatesBefore, HANG_MS, 10);
    expect(slack.calls.filter((c) => c.method === 'chat.update').length).toBe(updatesBefore + 1);
    worker.kill('SIGKILL');
    await worker.exited;
    const inFlight = (await store.read('core')).outbox.filter((r) => r.state === 'pending');
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.every((r) => r.claimedBy?.startsWith('worker-'))).toBe(true);

    const second = createNotifier(store, config, clock, { senders: { slack: { timeoutMs: HANG_MS } } });
    notifiers.push(second);
    // The dead holder's claims (5 min) do not hold its successor up: the notices go out at once.
    const takeover = await second.flush();
    expect(takeover.failed).toBe(0);
    expect(takeover.sent).toBe(inFlight.length);
    const ownerReplies = slack.replies(message.ts).filter((r) => r.text.includes('<@U01OWNER>'));
    expect(ownerReplies).toHaveLength(1);

    // 4. The owner presses Acknowledge in Slack: a signed request to the real server.
    server = await startServer({ store, config, clock, host: '127.0.0.1', port: 0 });
    const body = ackPayload(alertId, { id: 'U01OWNER', username: 'owner.slack' });
    const res = await postSlack(server.url, body, signed(body, clock.now(), SIGNING_SECRET));
    expect(res.status).toBe(200);
    await server.settled();
    core = await store.read('core');
    expect(core.alerts[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'owner', nextEscalationAt: null });
    await second.flush();
    const acked = JSON.stringify(message.blocks);
    expect(acked).toContain('Acknowledged by Project owner');
    expect(acked).not.toContain('imos_ack');

    // Escalation stopped: an hour later nothing new is queued (the ack timeout is 2 h).
    const rowsAfterAck = (await store.read('core')).outbox.length;
    await clock.advance(60 * MIN);
    await processTime(store, config, clock.now());
    expect((await store.read('core')).outbox.length).toBe(rowsAfterAck);

    // 5. The check recovers: resolved, the message says so, the resolved notice goes out.
    await processResults(store, config, [result('ok', clock.now())], clock.now());
    await second.flush();
    core = await store.read('core');
    expect(core.alerts[0]!.state).toBe('resolved');
    expect(JSON.stringify(message.blocks)).toContain('Resolved');
    expect(smtp.mails.at(-1)!.subject).toMatch(/RESOLVED/);

    // Nothing lost, nothing repeated: every row sent exactly once; one Slack message; one thread
    // reply per follow-up row.
    expect(core.outbox.every((r) => r.state === 'sent')).toBe(true);
    expect(slack.topLevel()).toHaveLength(1);
    const slackRows = core.outbox.filter((r) => r.channel === 'slack');
    expect(slack.replies(message.ts)).toHaveLength(slackRows.length - 1);
    expect(slackRows.map((r) => r.kind)).toEqual(['alert', 'escalation', 'escalation', 'ack', 'resolved']);
    const emailRows = core.outbox.filter((r) => r.channel === 'email');
    expect(smtp.mails).toHaveLength(emailRows.length);
  });
});
