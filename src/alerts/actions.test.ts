// Actions and the poller hooks against the real JSON store (files in a temp directory).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import {
  acknowledgeAlert,
  AlertActionError,
  performAlertAction,
  processResults,
  processTime,
  resolveAlert,
  snoozeAlert,
  unacknowledgeAlert,
} from './index.js';
import { resolveBlocker, saveStandup } from '../plan/standups.js';
import { hotelConfig, HOUR, MIN, result, T0 } from '../../test/alerts/fixtures.js';

const at = (ms: number) => new Date(ms).toISOString();
const config = hotelConfig();
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-alerts-'));
  store = await openStore(path.join(dir, 'imos.json'));
  await processResults(store, config, [result('unified-db', 'hotel-common', 'CRITICAL', { alertType: 'SYSTEM_CONNECTION_FAILURE' })], T0);
});

afterEach(async () => {
  await store.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('alert actions through the store', () => {
  it('ack (any case) stops escalation, records who/when/note, queues the Slack update; a repeat is a no-op that says so', async () => {
    const alert = await acknowledgeAlert(store, config, { id: 'a1', actor: 'manager', note: 'looking \u001b[31mnow', nowMs: T0 + 5 * MIN });
    expect(alert).toMatchObject({ id: 'A1', state: 'acknowledged', acknowledgedBy: 'manager', acknowledgedAt: at(T0 + 5 * MIN), ackNote: 'looking now', nextEscalationAt: null });
    const core = await store.read('core');
    expect(core.alerts[0]!.state).toBe('acknowledged');
    expect(core.outbox.filter((r) => r.kind === 'ack').map((r) => [r.channel, r.alertId, r.state])).toEqual([['slack', 'A1', 'pending']]);
    const again = await performAlertAction(store, config, 'ack', { id: 'A1', actor: 'owner', nowMs: T0 + 6 * MIN });
    expect(again.changed).toBe(false);
    expect(again.message).toMatch(/already acknowledged by manager/);
    const audit = await store.readAudit();
    expect(audit.map((e) => `${e.action}:${e.actor}`)).toEqual(['open:imos', 'ack:manager']);
    expect(audit[1]).toMatchObject({ target: 'A1', note: 'looking now', at: at(T0 + 5 * MIN) });
    // Escalation stays stopped.
    expect(await processTime(store, config, T0 + 90 * MIN, { missingStandups: null })).toEqual([]);
  });

  it('unack reopens and restarts the escalation clock; unack of an open alert is refused', async () => {
    await acknowledgeAlert(store, config, { id: 'A1', actor: 'manager', nowMs: T0 + MIN });
    const alert = await unacknowledgeAlert(store, config, { id: 'A1', actor: 'manager', nowMs: T0 + 10 * MIN });
    expect(alert).toMatchObject({ state: 'open', acknowledgedBy: null, nextEscalationAt: at(T0 + 40 * MIN) });
    const slackRows = (await store.read('core')).outbox.filter((r) => r.channel === 'slack').map((r) => r.kind);
    expect(slackRows).toEqual(['alert', 'ack', 'unack']);
    await expect(unacknowledgeAlert(store, config, { id: 'A1', actor: 'manager', nowMs: T0 + 11 * MIN })).rejects.toThrow(/not acknowledged/);
    const audit = await processTime(store, config, T0 + 40 * MIN, { missingStandups: null });
    expect(audit.map((e) => e.action)).toEqual(['escalate']);
  });

  it.each([
    ['unknown id', () => acknowledgeAlert(store, config, { id: 'A99', actor: 'x', nowMs: T0 }), /unknown alert 'A99'/],
    ['malformed duration', () => snoozeAlert(store, config, { id: 'A1', actor: 'x', until: '5 parsecs', nowMs: T0 }), /malformed duration '5 parsecs'/],
    ['missing duration', () => snoozeAlert(store, config, { id: 'A1', actor: 'x', nowMs: T0 }), /needs a duration/],
    ['time in the past', () => snoozeAlert(store, config, { id: 'A1', actor: 'x', until: '2025-01-01T00:00Z', nowMs: T0 }), /not in the future/],
    ['a day that does not exist', () => snoozeAlert(store, config, { id: 'A1', actor: 'x', until: '2030-02-30T10:00', nowMs: T0 }), /malformed duration '2030-02-30T10:00'/],
    ['an hour that does not exist', () => snoozeAlert(store, config, { id: 'A1', actor: 'x', until: '2030-01-01T25:30+09:00', nowMs: T0 }), /malformed duration/],
    ['nobody acting', () => acknowledgeAlert(store, config, { id: 'A1', actor: ' \u001b[0m ', nowMs: T0 }), /who is acting/],
  ])('%s is refused with a clear message and nothing is written', async (_label, run, message) => {
    const before = await fs.readFile(path.join(dir, 'imos.core.jsonl'), 'utf8');
    await expect(run()).rejects.toThrow(AlertActionError);
    await expect(run()).rejects.toThrow(message);
    expect(await fs.readFile(path.join(dir, 'imos.core.jsonl'), 'utf8')).toBe(before);
    expect((await store.readAudit()).map((e) => e.action)).toEqual(['open']);
  });

  it('snooze for a duration or until a project-time ISO time', async () => {
    expect(await snoozeAlert(store, config, { id: '1', actor: 'x', until: '1h30m', nowMs: T0 })).toMatchObject({ state: 'snoozed', snoozedUntil: at(T0 + 90 * MIN) });
    // 2026-01-05T18:00 in Asia/Tokyo is 09:00 UTC.
    expect((await snoozeAlert(store, config, { id: 'A1', actor: 'x', until: '2026-01-05T18:00', nowMs: T0 })).snoozedUntil).toBe('2026-01-05T09:00:00.000Z');
    const audit = await processTime(store, config, Date.parse('2026-01-05T09:00:00Z'), { missingStandups: null });
    expect(audit.map((e) => e.action)).toEqual(['snooze-end']);
  });

  it('what an action says shows times in the project timezone, not the stored UTC ISO', async () => {
    // Asia/Tokyo: 18:00 there is 09:00 UTC.
    const snoozed = await performAlertAction(store, config, 'snooze', { id: 'A1', actor: 'x', until: '2026-01-05T18:00', nowMs: T0 });
    expect(snoozed.message).toBe('A1 snoozed until 2026-01-05 18:00');
    await performAlertAction(store, config, 'ack', { id: 'A1', actor: 'luna', nowMs: T0 + 5 * MIN });
    const again = await performAlertAction(store, config, 'ack', { id: 'A1', actor: 'owner', nowMs: T0 + 6 * MIN });
    expect(again.message).toBe('A1 is already acknowledged by luna at 2026-01-05 09:05');
    await resolveAlert(store, config, { id: 'A1', actor: 'owner', nowMs: T0 + 20 * MIN });
    await expect(performAlertAction(store, config, 'ack', { id: 'A1', actor: 'x', nowMs: T0 + 21 * MIN })).rejects.toThrow('cannot acknowledge A1: already resolved at 2026-01-05 09:20');
  });

  it('resolve by hand sends the resolved notice; every action on a resolved alert is refused', async () => {
    const alert = await resolveAlert(store, config, { id: 'A1', actor: 'owner', note: 'fixed the pool', nowMs: T0 + 20 * MIN });
    expect(alert).toMatchObject({ state: 'resolved', resolvedBy: 'owner', resolvedAt: at(T0 + 20 * MIN) });
    const core = await store.read('core');
    expect(core.outbox.filter((r) => r.kind === 'resolved').map((r) => r.channel).sort()).toEqual(['email', 'slack']);
    for (const action of ['ack', 'unack', 'resolve', 'snooze'] as const) {
      await expect(performAlertAction(store, config, action, { id: 'A1', actor: 'x', until: '1h', nowMs: T0 + 21 * MIN })).rejects.toThrow(/already resolved/);
    }
  });

  it('two people acknowledging at once: one acknowledgement, one audit entry', async () => {
    const outcomes = await Promise.all(
      ['manager', 'owner', 'luna'].map((actor) => performAlertAction(store, config, 'ack', { id: 'A1', actor, nowMs: T0 + MIN })),
    );
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
    const acks = (await store.readAudit()).filter((e) => e.action === 'ack');
    expect(acks).toHaveLength(1);
    expect((await store.read('core')).outbox.filter((r) => r.kind === 'ack')).toHaveLength(1);
  });
});

describe('poller hooks', () => {
  it('processTime writes nothing until something is due, then escalates once', async () => {
    const file = path.join(dir, 'imos.core.jsonl');
    const before = await fs.stat(file);
    expect(await processTime(store, config, T0 + 29 * MIN, { missingStandups: null })).toEqual([]);
    expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await processTime(store, config, T0 + 30 * MIN, { missingStandups: null })).map((e) => e.action)).toEqual(['escalate', 'breach']);
    expect(await processTime(store, config, T0 + 31 * MIN, { missingStandups: null })).toEqual([]);
    expect((await store.readAudit()).map((e) => e.action)).toEqual(['open', 'escalate', 'breach']);
  });

  it('processResults dedupes and resolves across calls, with the audit log in step', async () => {
    for (let i = 1; i <= 5; i++) {
      await processResults(store, config, [result('unified-db', 'hotel-common', 'CRITICAL', { alertType: 'SYSTEM_CONNECTION_FAILURE' })], T0 + i * MIN);
    }
    await processResults(store, config, [result('unified-db', 'hotel-common', 'ok')], T0 + HOUR);
    const core = await store.read('core');
    expect(core.alerts).toHaveLength(1);
    expect(core.alerts[0]).toMatchObject({ count: 6, state: 'resolved', resolvedBy: 'imos' });
    expect((await store.readAudit()).map((e) => e.action)).toEqual(['open', 'auto-resolve']);
  });

  it('open blockers become BLOCKER alerts escalated at once, resolved with the blocker', async () => {
    let open = [{ id: 'b1', system: 'hotel-pms', text: 'waiting for the PMS API key' }];
    const openBlockers = () => open;
    const audit = await processTime(store, config, T0 + MIN, { openBlockers });
    expect(audit.map((e) => `${e.action}:${e.target}`)).toEqual(['open:A2', 'escalate:A2']);
    let core = await store.read('core');
    expect(core.alerts[1]).toMatchObject({ type: 'BLOCKER', system: 'hotel-pms', severity: 'HIGH', message: 'Blocker: waiting for the PMS API key', escalationLevel: 1 });
    expect(core.outbox.filter((r) => r.alertId === 'A2').map((r) => `${r.kind}:${r.to.join('+')}`)).toEqual(['alert:luna', 'escalation:manager']);
    expect(await processTime(store, config, T0 + 2 * MIN, { openBlockers })).toEqual([]);
    open = [];
    expect((await processTime(store, config, T0 + 3 * MIN, { openBlockers })).map((e) => `${e.action}:${e.target}`)).toEqual(['auto-resolve:A2']);
    core = await store.read('core');
    expect(core.alerts[1]!.state).toBe('resolved');
  });

  it('by default, blockers come from the standups: a saved blocker pages at once, resolving it resolves the alert', async () => {
    await saveStandup(
      store,
      { system: 'hotel-pms', done: 'mapping', next: 'sync', blockers: [{ text: 'no API key from the vendor', waitsOn: 'system:hotel-common' }] },
      'luna',
      T0 + MIN,
      config,
    );
    const opened = await processTime(store, config, T0 + 2 * MIN, { missingStandups: null });
    expect(opened.map((e) => e.action)).toEqual(['open', 'escalate']);
    const core = await store.read('core');
    const blockerAlert = core.alerts.find((a) => a.type === 'BLOCKER')!;
    expect(blockerAlert).toMatchObject({ system: 'hotel-pms', state: 'open', escalationLevel: 1 });
    expect(blockerAlert.message).toMatch(/^Blocker: no API key from the vendor \(waits on system hotel-common\)$/);
    const blockerId = blockerAlert.checkId.replace(/^blocker:/, '');
    expect(await resolveBlocker(store, blockerId, 'luna', T0 + 3 * MIN)).not.toBeNull();
    expect((await processTime(store, config, T0 + 4 * MIN, { missingStandups: null })).map((e) => `${e.action}:${e.target}`)).toEqual([`auto-resolve:${blockerAlert.id}`]);
    // openBlockers: null leaves blockers alone.
    await saveStandup(store, { system: 'hotel-pms', done: 'a', next: 'b', blockers: [{ text: 'again' }] }, 'luna', T0 + 5 * MIN, config);
    expect(await processTime(store, config, T0 + 6 * MIN, { openBlockers: null })).toEqual([]);
  });
});
