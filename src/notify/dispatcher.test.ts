import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import type { OutboxMessage } from '../model.js';
import { seedStore } from '../store/testing/draft.js';
import type { Store } from '../store/types.js';
import { Dispatcher, requeueMessage } from './dispatcher.js';
import { retryDelay, DEFAULT_RETRY_POLICY } from './backoff.js';
import { DeliveryError, type ChannelSender, type SendContext } from '../channels/types.js';
import { makeAlert, makeRow, notifyConfig, tempStore } from '../../test/helpers/notify-fixtures.js';
import { HANG_MS, waitUntil } from '../../test/helpers/bounds.js';

/** A sender that records what it was asked to send and fails as scripted. */
function scriptedSender(channel: string) {
  const sent: Array<{ id: string; alertState: string | null; earlierAttemptUnknown?: true }> = [];
  const failures: Array<Error | null> = [];
  let gate: Promise<void> | null = null;
  const sender: ChannelSender & { sent: typeof sent; fail: (...e: Array<Error | null>) => void; hold: (p: Promise<void>) => void } = {
    channel,
    sent,
    fail: (...e) => failures.push(...e),
    hold: (p) => {
      gate = p;
    },
    async send(message: OutboxMessage, ctx: SendContext) {
      if (gate) await gate;
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push({ id: message.id, alertState: ctx.alert?.state ?? null, ...(ctx.earlierAttemptUnknown ? { earlierAttemptUnknown: true as const } : {}) });
      return channel === 'slack' && !ctx.alert?.slack ? { slack: { channel: 'C1', ts: `ts-${message.id}` } } : {};
    },
  };
  return sender;
}

describe('retryDelay', () => {
  const policy = { baseMs: 1000, factor: 2, maxDelayMs: 10_000, maxAttempts: 5 };
  it('grows exponentially up to the cap and gives up at the limit', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, policy, { transient: true }))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(4, { ...policy, maxDelayMs: 5000 }, { transient: true })).toBe(5000);
    expect(retryDelay(5, policy, { transient: true })).toBeNull();
  });
  it('never retries sooner than Retry-After, and never retries a permanent failure', () => {
    expect(retryDelay(1, policy, { transient: true, retryAfterMs: 7000 })).toBe(7000);
    expect(retryDelay(1, policy, { transient: false })).toBeNull();
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });
});

describe('Dispatcher', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  const config = notifyConfig();
  const retry = { baseMs: 60_000, factor: 2, maxDelayMs: 3_600_000, maxAttempts: 3 };

  beforeEach(async () => {
    ({ store, cleanup } = await tempStore());
    clock = new ManualClock('2026-01-05T00:00:00Z');
    await seedStore(store, { alerts: [makeAlert({ id: 'A1' }), makeAlert({ id: 'A2', fingerprint: 'x' })] });
  });
  afterEach(async () => cleanup());

  async function rows(): Promise<readonly OutboxMessage[]> {
    return (await store.read('core')).outbox;
  }

  it('sends due rows once, records sentAt, and keeps the Slack message on the alert', async () => {
    const slack = scriptedSender('slack');
    await seedStore(store, { outbox: [makeRow({ id: 'r1' }), makeRow({ id: 'r2', nextAttemptAt: '2026-01-05T00:10:00.000Z', alertId: 'A2' })] });
    const d = new Dispatcher(store, config, clock, { slack }, { retry });
    const report = await d.flush();
    expect(report.sent).toBe(1);
    expect(slack.sent.map((s) => s.id)).toEqual(['r1']);
    const [r1, r2] = await rows();
    expect(r1).toMatchObject({ state: 'sent', sentAt: '2026-01-05T00:00:00.000Z', attempts: 1, claimedBy: null });
    expect(r2!.state).toBe('pending');
    const core = await store.read('core');
    expect(core.alerts[0]!.slack).toEqual({ channel: 'C1', ts: 'ts-r1' });
    expect(await store.readAudit()).toEqual([
      expect.objectContaining({ actor: 'imos', action: 'notify', target: 'A1', detail: expect.objectContaining({ row: 'r1', channel: 'slack' }) }),
    ]);
    expect(core.alerts[0]!.notified).toContain('slack');
    // A second flush sends nothing again; the later row goes when it is due.
    await d.flush();
    expect(slack.sent).toHaveLength(1);
    await clock.advance(10 * 60_000);
    await d.flush();
    expect(slack.sent.map((s) => s.id)).toEqual(['r1', 'r2']);
  });

  it('two dispatchers flushing at once never send the same row', async () => {
    await seedStore(store, { outbox: Array.from({ length: 12 }, (_, i) => makeRow({ id: `m${i}`, channel: 'webhook', alertId: null })) });
    const a = scriptedSender('webhook');
    const b = scriptedSender('webhook');
    const da = new Dispatcher(store, config, clock, { webhook: a }, { retry, batchSize: 5 });
    const db = new Dispatcher(store, config, clock, { webhook: b }, { retry, batchSize: 5 });
    for (let i = 0; i < 3; i++) await Promise.all([da.flush(), db.flush()]);
    const ids = [...a.sent, ...b.sent].map((s) => s.id).sort();
    expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    expect(new Set(ids).size).toBe(12);
    expect((await rows()).every((r) => r.state === 'sent')).toBe(true);
  });

  it('retries transient failures with backoff from stored timestamps, honours Retry-After, then marks failed', async () => {
    const slack = scriptedSender('slack');
    await seedStore(store, { outbox: [makeRow({ id: 'r1' })] });
    slack.fail(new DeliveryError('Slack HTTP 500', true), new DeliveryError('Slack rate limit', true, 300_000), new DeliveryError('Slack HTTP 503', true));
    const d = new Dispatcher(store, config, clock, { slack }, { retry });
    await d.flush();
    let [row] = await rows();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Slack HTTP 500', nextAttemptAt: '2026-01-05T00:01:00.000Z' });
    await clock.advance(30_000);
    await d.flush(); // not due yet
    expect((await rows())[0]!.attempts).toBe(1);
    await clock.advance(30_000);
    // A restart: a new dispatcher continues from the stored timestamps.
    const restarted = new Dispatcher(store, config, clock, { slack }, { retry });
    await restarted.flush();
    [row] = await rows();
    // Backoff would be 2 min; Retry-After asked for 5.
    expect(row).toMatchObject({ state: 'pending', attempts: 2, nextAttemptAt: '2026-01-05T00:06:00.000Z' });
    await clock.advance(5 * 60_000);
    await restarted.flush();
    [row] = await rows();
    expect(row).toMatchObject({ state: 'failed', attempts: 3, lastError: 'Slack HTTP 503' });
    expect(slack.sent).toHaveLength(0);
    // A failed row stays visible, and can be put back by hand.
    await requeueMessage(store, 'r1', clock.now());
    await restarted.flush();
    expect((await rows())[0]!.state).toBe('sent');
  });

  it('after a rate limit, leaves the rest of that channel for later without counting attempts', async () => {
    const slack = scriptedSender('slack');
    const webhook = scriptedSender('webhook');
    slack.fail(new DeliveryError('Slack rate limit', true, 120_000));
    await seedStore(store, { outbox: [makeRow({ id: 's1', alertId: 'A1' }),
        makeRow({ id: 's2', alertId: 'A2' }),
        makeRow({ id: 'w1', channel: 'webhook', alertId: null })] });
    const d = new Dispatcher(store, config, clock, { slack, webhook }, { retry });
    await d.flush();
    const byId = Object.fromEntries((await rows()).map((r) => [r.id, r]));
    expect(byId.s1).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: '2026-01-05T00:02:00.000Z' });
    expect(byId.s2).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: '2026-01-05T00:02:00.000Z', claimedBy: null });
    expect(byId.w1!.state).toBe('sent');
    expect(slack.sent).toHaveLength(0);
    await clock.advance(120_000);
    await d.flush();
    expect(slack.sent.map((x) => x.id)).toEqual(['s1', 's2']);
  });

  it('marks a permanent failure failed at once, and rows for an unconfigured channel too', async () => {
    const slack = scriptedSender('slack');
    slack.fail(new DeliveryError('Slack refused: invalid_auth', false));
    await seedStore(store, { outbox: [makeRow({ id: 'r1' }), makeRow({ id: 'r2', channel: 'email', alertId: 'A2' })] });
    const d = new Dispatcher(store, config, clock, { slack }, { retry });
    const report = await d.flush();
    expect(report.failed).toBe(2);
    const [r1, r2] = await rows();
    expect(r1).toMatchObject({ state: 'failed', lastError: 'Slack refused: invalid_auth' });
    expect(r2!.state).toBe('failed');
    expect(r2!.lastError).toMatch(/channels\.email is not configured/);
  });

  it('redacts secrets and strips control sequences from recorded errors', async () => {
    const slack = scriptedSender('slack');
    const cfg = notifyConfig({ slackApiUrl: 'http://127.0.0.1:9/api/', token: 'xoxb-very-secret' });
    slack.fail(new DeliveryError('bad token xoxb-very-secret \u001b[31mred\u001b[0m', false));
    await seedStore(store, { outbox: [makeRow({ id: 'r1' })] });
    await new Dispatcher(store, cfg, clock, { slack }, { retry }).flush();
    const [row] = await rows();
    expect(row!.lastError).toBe('bad token *** red');
  });

  it('keeps the rows of one alert and channel in order: a later row waits for an earlier retry', async () => {
    const slack = scriptedSender('slack');
    slack.fail(new DeliveryError('Slack HTTP 500', true));
    await seedStore(store, { outbox: [makeRow({ id: 'post' }), makeRow({ id: 'esc', kind: 'escalation' }), makeRow({ id: 'other', alertId: 'A2' })] });
    const d = new Dispatcher(store, config, clock, { slack }, { retry });
    await d.flush();
    expect(slack.sent.map((s) => s.id)).toEqual(['other']);
    expect((await rows()).find((r) => r.id === 'esc')!.attempts).toBe(0);
    await clock.advance(60_000);
    await d.flush();
    expect(slack.sent.map((s) => s.id)).toEqual(['other', 'post', 'esc']);
  });

  it('an idle outbox is not rewritten on every flush', async () => {
    await seedStore(store, { outbox: [makeRow({ id: 'later', nextAttemptAt: '2026-01-05T01:00:00.000Z' })] });
    const writes: string[] = [];
    const spy = Object.create(store) as Store;
    spy.transact = (section, fn, options) => (writes.push(section), store.transact(section, fn, options));
    spy.claimOutbox = (request) => (writes.push('claim'), store.claimOutbox(request));
    const d = new Dispatcher(spy, config, clock, { slack: scriptedSender('slack') }, { retry });
    for (let i = 0; i < 5; i++) await d.flush();
    expect(writes).toEqual([]);
    await clock.advance(3_600_000);
    await d.flush();
    expect(writes.length).toBeGreaterThan(0);
  });

  it('drops sent rows older than the retention from the store, keeps failed and recent ones', async () => {
    await seedStore(store, { outbox: [makeRow({ id: 'old', state: 'sent', sentAt: '2025-12-01T00:00:00.000Z' }),
        makeRow({ id: 'recent', state: 'sent', sentAt: '2026-01-04T00:00:00.000Z' }),
        makeRow({ id: 'broken', state: 'failed', createdAt: '2025-11-01T00:00:00.000Z' })] });
    await new Dispatcher(store, config, clock, {}, { retry }).flush();
    expect((await rows()).map((r) => r.id)).toEqual(['recent', 'broken']);
  });

  it('a row in flight elsewhere is left alone until its claim lapses (the at-least-once corner)', async () => {
    await seedStore(store, { outbox: [makeRow({ id: 'r1', channel: 'webhook', alertId: null })] });
    const slow = scriptedSender('webhook');
    let release!: () => void;
    slow.hold(new Promise<void>((r) => (release = r)));
    const first = new Dispatcher(store, config, clock, { webhook: slow }, { retry, claimTtlMs: 120_000 });
    const pending = first.flush();
    // Wait until the first dispatcher has claimed the row.
    await waitUntil('the row claimed', async () => (await rows())[0]!.claimedBy, HANG_MS, 5);
    const second = scriptedSender('webhook');
    const other = new Dispatcher(store, config, clock, { webhook: second }, { retry, claimTtlMs: 120_000 });
    await other.flush();
    expect(second.sent).toHaveLength(0);
    release();
    await pending;
    await other.flush();
    expect(slow.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(0);

    // A dispatcher that died mid-send leaves a claim: after it lapses, the row is sent again.
    await seedStore(store, { outbox: [makeRow({ id: 'r2', channel: 'webhook', alertId: null, claimedBy: 'dead', claimedUntil: '2026-01-05T00:02:00.000Z', attempts: 1 })] });
    await other.flush();
    expect(second.sent).toHaveLength(0);
    await clock.advance(120_001);
    await other.flush();
    expect(second.sent.map((s) => s.id)).toEqual(['r2']);
  });

  it('a flush asked for while one runs gets one more right after it: rows queued meanwhile go out', async () => {
    await seedStore(store, { outbox: [makeRow({ id: 'r1', channel: 'webhook', alertId: null })] });
    const sender = scriptedSender('webhook');
    let release!: () => void;
    sender.hold(new Promise<void>((r) => (release = r)));
    sender.fail(new DeliveryError('peer busy', true)); // r1: no progress, so the running flush ends after it
    const d = new Dispatcher(store, config, clock, { webhook: sender }, { retry });
    const first = d.flush();
    await waitUntil('the row claimed', async () => (await rows())[0]!.claimedBy, HANG_MS, 5);
    await seedStore(store, { outbox: [makeRow({ id: 'r2', channel: 'webhook', alertId: null })] });
    const again = d.flush();
    release();
    await first;
    expect(sender.sent).toHaveLength(0);
    await again;
    expect(sender.sent.map((m) => m.id)).toEqual(['r2']);
  });

  it('a holder that loses the lease mid-batch sends nothing more; the new holder takes its claimed rows at once', async () => {
    const now = clock.now();
    const lease = (token: string, pid: number, host: string, at: number) =>
      store.lease.acquire({ token, pid, host, user: 'u', role: 'daemon' }, 3000, { nowMs: at, isAlive: () => true });
    const mine = await lease('t1', 4_000_001, 'host-a', now);
    await seedStore(store, { outbox: ['r1', 'r2', 'r3'].map((id) => makeRow({ id, channel: 'webhook', alertId: null })) });
    const first = scriptedSender('webhook');
    let theirs: { epoch: number } | null = null;
    const stalling: ChannelSender = {
      channel: 'webhook',
      async send(message, ctx) {
        const result = await first.send(message, ctx);
        // While this send was out, the holder stalled past its ttl and a process on another host took over.
        if (!theirs) theirs = await lease('t2', 4_000_002, 'host-b', now + 10_000);
        return result;
      },
    };
    const old = new Dispatcher(store, config, clock, { webhook: stalling }, { retry, claimTtlMs: 300_000, owner: 'old' });
    await old.flush(now, { token: 't1', epoch: mine.epoch });
    expect(first.sent.map((m) => m.id)).toEqual(['r1']);
    // r2 and r3 stay claimed by the old holder, under its epoch: the new holder sends them now.
    const next = scriptedSender('webhook');
    const successor = new Dispatcher(store, config, clock, { webhook: next }, { retry, claimTtlMs: 300_000, owner: 'new' });
    await successor.flush(now + 1000, { token: 't2', epoch: theirs!.epoch });
    expect(next.sent).toEqual([
      { id: 'r2', alertState: null, earlierAttemptUnknown: true },
      { id: 'r3', alertState: null, earlierAttemptUnknown: true },
    ]);
    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a holder whose send was out while it lost the lease does not audit the notice a second time', async () => {
    const now = clock.now();
    const lease = (token: string, pid: number, host: string, at: number) =>
      store.lease.acquire({ token, pid, host, user: 'u', role: 'daemon' }, 3000, { nowMs: at, isAlive: () => true });
    const mine = await lease('t1', 4_000_001, 'host-a', now);
    await seedStore(store, { outbox: [makeRow({ id: 'r1', kind: 'resolved' })] });
    // The old holder's post is out (Slack took it) when it stalls past its lease ttl…
    const stalled = scriptedSender('slack');
    let release!: () => void;
    stalled.hold(new Promise<void>((r) => (release = r)));
    const old = new Dispatcher(store, config, clock, { slack: stalled }, { retry, claimTtlMs: 300_000, owner: 'old' });
    const pending = old.flush(now, { token: 't1', epoch: mine.epoch });
    await waitUntil('the row claimed', async () => (await rows())[0]!.claimedBy, HANG_MS, 5);
    // …its successor takes the row over, finds that message at Slack and records the notice.
    const theirs = await lease('t2', 4_000_002, 'host-b', now + 10_000);
    const next = scriptedSender('slack');
    await new Dispatcher(store, config, clock, { slack: next }, { retry, claimTtlMs: 300_000, owner: 'new' }).flush(now + 1000, { token: 't2', epoch: theirs.epoch });
    expect(next.sent).toEqual([{ id: 'r1', alertState: 'open', earlierAttemptUnknown: true }]);
    // The old holder's send returns: the notice is recorded already, and stays audited once.
    release();
    await pending;
    expect(stalled.sent.map((s) => s.id)).toEqual(['r1']);
    expect((await rows())[0]!.state).toBe('sent');
    const audited = (await store.readAudit()).filter((e) => e.action === 'notify' && e.detail?.row === 'r1');
    expect(audited).toHaveLength(1);
  });

  it('a row claimed by a process of this host that is gone is sent at once (kill -9 of the poller holder)', async () => {
    const until = '2026-01-05T00:05:00.000Z';
    const claim = (id: string, pid: number, host = os.hostname()) =>
      makeRow({ id, channel: 'webhook', alertId: null, claimedBy: `dispatcher-${pid}`, claimedUntil: until, claimedHost: host, claimedPid: pid, attempts: 1 });
    await seedStore(store, { outbox: [claim('dead-here', 4_000_001), claim('alive-here', 4_000_002), claim('dead-elsewhere', 4_000_003, 'other-host')] });
    const sender = scriptedSender('webhook');
    const alive = new Set([4_000_002]);
    const dispatcher = new Dispatcher(store, config, clock, { webhook: sender }, { retry, isAlive: (pid) => alive.has(pid) });
    await dispatcher.flush();
    expect(sender.sent.map((s) => s.id)).toEqual(['dead-here']);
    // Its claimant may have sent it before dying: the sender is told, to look before sending again.
    expect(sender.sent[0]!.earlierAttemptUnknown).toBe(true);
    expect((await rows()).find((r) => r.id === 'dead-here')).toMatchObject({ state: 'sent', attempts: 2 });
    // The others wait for their claims to lapse.
    await clock.advance(5 * 60_000 + 1);
    await dispatcher.flush();
    expect(sender.sent.map((s) => s.id)).toEqual(['dead-here', 'alive-here', 'dead-elsewhere']);
  });
});
