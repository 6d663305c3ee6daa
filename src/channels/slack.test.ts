import { seedStore } from '../store/testing/draft.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import type { Store } from '../store/types.js';
import { Dispatcher } from '../notify/dispatcher.js';
import { SlackSender, SLACK_ACK_ACTION } from './slack.js';
import { buildSenders } from './registry.js';
import { DeliveryError } from './types.js';
import { startSlackApi, type SlackApi } from '../../test/helpers/slack-api.js';
import { makeAlert, makeRow, notifyConfig, tempStore } from '../../test/helpers/notify-fixtures.js';
import { HANG_MS } from '../../test/helpers/bounds.js';

const NOW = Date.parse('2026-01-05T00:12:00Z');

describe('SlackSender with the real WebClient against a loopback Slack API', () => {
  let api: SlackApi;
  beforeEach(async () => {
    api = await startSlackApi();
  });
  afterEach(async () => api.close());

  function sender(timeoutMs = 2000) {
    const config = notifyConfig({ slackApiUrl: api.url });
    return { config, slack: new SlackSender({ ...config.channels.slack!, token: api.token }, { timeoutMs }) };
  }

  it('posts a Block Kit message with severity, system, message, value, age and an Acknowledge button', async () => {
    const { config, slack } = sender();
    const alert = makeAlert({ message: 'GET /health answered 503 \u001b]0;pwned\u0007<b>', value: 503 });
    const result = await slack.send(makeRow(), { alert, config, nowMs: NOW });
    expect(result.slack).toEqual({ channel: '#hotel-integration-critical', ts: api.messages[0]!.ts });
    const call = api.calls.find((c) => c.method === 'chat.postMessage')!;
    expect(call.token).toBe('xoxb-test-token');
    const blocks = JSON.stringify(api.messages[0]!.blocks);
    expect(blocks).toContain('*CRITICAL*');
    expect(blocks).toContain('Members (FastAPI)');
    expect(blocks).toContain('hotel-member');
    expect(blocks).toContain('*Value*\\n503');
    expect(blocks).toContain('*Age*\\n12m');
    expect(blocks).toContain('&lt;b&gt;');
    expect(blocks).not.toContain('\u001b');
    const actions = (api.messages[0]!.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>).find((b) => b.type === 'actions')!;
    expect(actions.elements![0]).toMatchObject({ action_id: SLACK_ACK_ACTION, value: 'A1', text: { text: 'Acknowledge' } });
    expect(api.messages[0]!.text).toContain('[CRITICAL] hotel-member');
    // Without server.public_url there is nowhere to link to.
    expect(blocks).not.toContain('open on the dashboard');
  });

  it('links to the alert on the dashboard when server.public_url is set', async () => {
    const { config, slack } = sender();
    config.server = { ...config.server, public_url: 'https://ops.example.com/imos/' };
    await slack.send(makeRow(), { alert: makeAlert({ id: 'A7' }), config, nowMs: NOW });
    expect(JSON.stringify(api.messages[0]!.blocks)).toContain('<https://ops.example.com/imos/dashboard/alerts/A7|open on the dashboard>');
  });

  it('updates the same message and replies in its thread for a follow-up, mentioning the people', async () => {
    const { config, slack } = sender();
    const posted = await slack.send(makeRow(), { alert: makeAlert(), config, nowMs: NOW });
    const acked = makeAlert({ slack: posted.slack!, state: 'acknowledged', acknowledgedBy: 'suno', acknowledgedAt: '2026-01-05T00:20:00.000Z' });
    await slack.send(makeRow({ kind: 'ack', text: 'Acknowledged by suno: CRITICAL A1', to: ['owner'] }), { alert: acked, config, nowMs: NOW });
    expect(api.topLevel()).toHaveLength(1);
    const message = api.topLevel()[0]!;
    expect(message.versions).toHaveLength(2);
    const updated = JSON.stringify(message.blocks);
    expect(updated).toContain('Acknowledged by Suno');
    expect(updated).not.toContain(SLACK_ACK_ACTION);
    const [reply] = api.replies(message.ts);
    expect(reply!.text).toContain('<@U01OWNER>');
    expect(reply!.text).toContain('Acknowledged by suno');
  });

  it('a follow-up for an alert without a message posts one and replies in its thread', async () => {
    const { config, slack } = sender();
    const result = await slack.send(makeRow({ kind: 'escalation', to: ['manager'] }), { alert: makeAlert({ escalationLevel: 1 }), config, nowMs: NOW });
    expect(result.slack).toBeDefined();
    expect(api.replies(result.slack!.ts)[0]!.text).toContain('<@U01MANAGER>');
  });

  it('posts a fresh message when the old one was deleted', async () => {
    const { config, slack } = sender();
    const gone = makeAlert({ slack: { channel: '#hotel-integration-critical', ts: '999.000' }, escalationLevel: 1 });
    const result = await slack.send(makeRow({ kind: 'escalation', to: ['manager'] }), { alert: gone, config, nowMs: NOW });
    expect(result.slack?.ts).toBe(api.topLevel()[0]!.ts);
    expect(api.replies(result.slack!.ts)).toHaveLength(1);
  });

  it('a row whose earlier attempt may have reached Slack is looked up and not posted twice', async () => {
    const { config, slack } = sender();
    const alertRow = makeRow({ id: 'A1-alert-slack-1' });
    // The earlier attempt posted (its process died before recording it): every message names its row.
    const first = await slack.send(alertRow, { alert: makeAlert(), config, nowMs: NOW });
    expect(api.messages[0]!.metadata).toEqual({ event_type: 'imos_notice', event_payload: { row: 'A1-alert-slack-1', part: 'post' } });
    const again = await slack.send(alertRow, { alert: makeAlert(), config, nowMs: NOW, earlierAttemptUnknown: true });
    expect(again.slack).toEqual(first.slack);
    expect(again.warning).toBeUndefined();
    expect(api.topLevel()).toHaveLength(1);

    const escalated = makeAlert({ slack: first.slack!, escalationLevel: 1 });
    const escalation = makeRow({ id: 'A1-escalation-slack-2', kind: 'escalation', to: ['manager'], text: 'Escalated to level 1' });
    await slack.send(escalation, { alert: escalated, config, nowMs: NOW });
    await slack.send(escalation, { alert: escalated, config, nowMs: NOW, earlierAttemptUnknown: true });
    expect(api.replies(first.slack!.ts)).toHaveLength(1);
    // Not there yet (the earlier attempt died before posting): posted now, once.
    const resolved = makeRow({ id: 'A1-resolved-slack-3', kind: 'resolved', text: 'Resolved' });
    await slack.send(resolved, { alert: escalated, config, nowMs: NOW, earlierAttemptUnknown: true });
    expect(api.replies(first.slack!.ts).map((m) => m.metadata?.event_payload.row)).toEqual(['A1-escalation-slack-2', 'A1-resolved-slack-3']);
  });

  it('when Slack cannot tell (no history scope), the row is posted again and says so', async () => {
    const { config, slack } = sender();
    api.script('conversations.history', { status: 200, body: { ok: false, error: 'missing_scope' } });
    const result = await slack.send(makeRow(), { alert: makeAlert(), config, nowMs: NOW, earlierAttemptUnknown: true });
    expect(api.topLevel()).toHaveLength(1);
    expect(result.slack).toBeDefined();
    expect(result.warning).toMatch(/could not check whether an earlier attempt reached Slack \(Slack refused: missing_scope\): sent again/);
  });

  it('classifies failures: 500 and timeouts are transient, 429 carries Retry-After, a bad token is permanent', async () => {
    const { config, slack } = sender(300);
    const ctx = { alert: makeAlert(), config, nowMs: NOW };
    api.script('chat.postMessage', { status: 500, body: 'oops' });
    await expect(slack.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true, message: 'Slack HTTP 500' });
    api.script('chat.postMessage', { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    await expect(slack.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true, retryAfterMs: 7000 });
    api.script('chat.postMessage', { hang: true });
    const started = Date.now();
    await expect(slack.send(makeRow(), ctx)).rejects.toMatchObject({ transient: true, message: 'Slack request timed out' });
    expect(Date.now() - started).toBeLessThan(HANG_MS); // the API never answers
    const bad = new SlackSender({ ...config.channels.slack!, token: 'xoxb-wrong' });
    const err = await bad.send(makeRow(), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ transient: false, message: 'Slack refused: invalid_auth' });
    // Each failure was one request: the client does not retry on its own.
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(4);
    await expect(slack.verify()).resolves.toContain('authenticated as imos');
    // An api_url written without the trailing slash works the same.
    const noSlash = new SlackSender({ ...config.channels.slack!, api_url: api.url.replace(/\/$/, ''), token: api.token });
    await expect(noSlash.verify()).resolves.toContain('authenticated as imos');
  });
});

describe('Dispatcher + Slack: retries through the store, one message per alert', () => {
  let api: SlackApi;
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    api = await startSlackApi();
    ({ store, cleanup } = await tempStore());
  });
  afterEach(async () => {
    await cleanup();
    await api.close();
  });

  it('a rate limit without a usable Retry-After, or as ok:false ratelimited, still pauses the channel: one request, not one per row', async () => {
    const clock = new ManualClock('2026-01-05T00:00:00Z');
    const config = notifyConfig({ slackApiUrl: api.url });
    const senders = buildSenders(config, { slack: { timeoutMs: HANG_MS } });
    const d = new Dispatcher(store, config, clock, senders, { retry: { baseMs: 10_000, factor: 2, maxDelayMs: 60_000, maxAttempts: 5 } });
    await seedStore(store, { alerts: [makeAlert({ id: 'A1' }), makeAlert({ id: 'A2', fingerprint: 'x' }), makeAlert({ id: 'A3', fingerprint: 'y' })], outbox: [makeRow({ id: 'r1', alertId: 'A1' }), makeRow({ id: 'r2', alertId: 'A2' }), makeRow({ id: 'r3', alertId: 'A3' })] });
    api.script('chat.postMessage', { status: 429, body: { ok: false, error: 'ratelimited' } });
    const first = await d.flush();
    expect(first.outcomes.map((o) => o.result)).toEqual(['retry']);
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    let rows = (await store.read('core')).outbox;
    expect(rows[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Slack rate limit (no valid Retry-After)', nextAttemptAt: '2026-01-05T00:00:10.000Z' });
    expect(rows.slice(1).map((r) => [r.attempts, r.nextAttemptAt])).toEqual([
      [0, '2026-01-05T00:00:10.000Z'],
      [0, '2026-01-05T00:00:10.000Z'],
    ]);
    // ok: false with error ratelimited (HTTP 200) and a Retry-After header: honoured the same way.
    await clock.advance(10_000);
    api.script('chat.postMessage', { status: 200, headers: { 'retry-after': '45' }, body: { ok: false, error: 'ratelimited' } });
    await d.flush();
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
    rows = (await store.read('core')).outbox;
    expect(rows[0]).toMatchObject({ state: 'pending', attempts: 2, lastError: 'Slack refused: ratelimited (retry after 45s)', nextAttemptAt: '2026-01-05T00:00:55.000Z' });
    expect(rows[1]).toMatchObject({ attempts: 0, nextAttemptAt: '2026-01-05T00:00:55.000Z' });
    await clock.advance(45_000);
    await d.flush();
    expect((await store.read('core')).outbox.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('survives a 500 and a 429, then posts once and updates that message', async () => {
    const clock = new ManualClock('2026-01-05T00:00:00Z');
    const config = notifyConfig({ slackApiUrl: api.url });
    const senders = buildSenders(config, { slack: { timeoutMs: HANG_MS } });
    const d = new Dispatcher(store, config, clock, senders, { retry: { baseMs: 10_000, factor: 2, maxDelayMs: 60_000, maxAttempts: 5 } });
    await seedStore(store, { alerts: [makeAlert()], outbox: [makeRow({ id: 'post' }), makeRow({ id: 'resolved', kind: 'resolved', text: 'Resolved (check recovered)' })] });
    api.script('chat.postMessage', { status: 500 }, { status: 429, headers: { 'retry-after': '30' } });
    await d.flush();
    await clock.advance(10_000);
    await d.flush();
    let rows = (await store.read('core')).outbox;
    expect(rows[0]).toMatchObject({ state: 'pending', attempts: 2, nextAttemptAt: '2026-01-05T00:00:40.000Z' });
    await clock.advance(30_000);
    await d.flush();
    rows = (await store.read('core')).outbox;
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(api.topLevel()).toHaveLength(1);
    const ts = api.topLevel()[0]!.ts;
    expect((await store.read('core')).alerts[0]!.slack).toEqual({ channel: '#hotel-integration-critical', ts });
    expect(api.calls.filter((c) => c.method === 'chat.update')).toHaveLength(1);
    expect(api.replies(ts)[0]!.text).toContain('Resolved');
  });
});
