// The store's contract, run against every implementation: what a face may rely on whichever store
// the configuration names. Implementation-specific behaviour (files, journals, SQL) is tested
// beside each implementation.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Alert, CheckResult, LeaseHolder } from '../model.js';
import { countRuns, isDayRecord, uptimeByCheck } from '../engine/uptime.js';
import { storedCounts } from '../../test/helpers/uptime.js';
import { storeFactories, type StoreFactory } from './testing/factories.js';
import { alertRecord, outboxRecord } from './testing/records.js';
import { AuditQueryError, LeaseLostError, StoreError, type Store } from './types.js';
import { claimActionRun, finishActionRun, type ClaimRequest } from './action-claims.js';
import { admitOnce, seenKey } from './seen-requests.js';

const me = (token: string, pid = 1000): Omit<LeaseHolder, 'since' | 'renewedAt'> => ({ pid, host: 'host-a', user: 'ann', role: 'daemon', token });
const alive = () => true;

describe.each(storeFactories())('the store contract: $name', (factory: StoreFactory) => {
  const opened: Store[] = [];
  const open = async () => {
    const store = await factory.open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => {});
    await factory.cleanup?.();
  });
  afterAll(async () => {
    await factory.dispose?.();
  });

  it('reads empty sections before anything was stored', async () => {
    const store = await open();
    const core = await store.read('core');
    expect(core.alerts).toEqual([]);
    expect(core.outbox).toEqual([]);
    expect(core.control).toEqual({ paused: false, pausedBy: null, runNowRequestedAt: null });
    expect((await store.read('results')).checks).toEqual({});
    expect((await store.read('results')).lastPollAt).toBeNull();
    expect((await store.read('history')).history).toEqual({});
    expect((await store.read('lease')).holder).toBeNull();
    expect(await store.readAudit()).toEqual([]);
  });

  it('reads the audit log since a time, for one target, the newest N: oldest first', async () => {
    const store = await open();
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 0, minute)).toISOString();
    const entries = [
      { at: at(1), actor: 'imos', action: 'open', target: 'A1' },
      { at: at(2), actor: 'imos', action: 'open', target: 'A2' },
      { at: at(3), actor: 'ann', action: 'ack', target: 'A1' },
      { at: at(4), actor: 'imos', action: 'notify', target: 'A2' },
      { at: at(5), actor: 'ann', action: 'note', target: 'A1' },
      { at: at(6), actor: 'imos', action: 'notify', target: 'A2' },
    ];
    await store.transact('core', (tx) => tx.audit(...entries.slice(0, 3)));
    await store.transact('core', (tx) => tx.audit(...entries.slice(3)));
    const read = async (query: Parameters<Store['readAudit']>[0]) => (await store.readAudit(query)).map((e) => `${e.target} ${e.action}`);
    expect(await read({})).toEqual(['A1 open', 'A2 open', 'A1 ack', 'A2 notify', 'A1 note', 'A2 notify']);
    expect(await read({ since: at(3) })).toEqual(['A1 ack', 'A2 notify', 'A1 note', 'A2 notify']);
    expect(await read({ limit: 2 })).toEqual(['A1 note', 'A2 notify']);
    expect(await read({ target: 'A1' })).toEqual(['A1 open', 'A1 ack', 'A1 note']);
    expect(await read({ target: 'A1', since: at(2) })).toEqual(['A1 ack', 'A1 note']);
    // The newest N of the target's, though other targets' entries are newer.
    expect(await read({ target: 'A1', limit: 2 })).toEqual(['A1 ack', 'A1 note']);
    expect(await read({ target: 'A9' })).toEqual([]);
    const again = await open(); // another store on the same data reads the same
    expect((await again.readAudit({ target: 'A2', since: at(3) })).map((e) => e.at)).toEqual([at(4), at(6)]);
  });

  it('refuses an audit query whose since is not a time, naming the value (neither everything nor nothing)', async () => {
    const store = await open();
    const refused = async (read: Promise<unknown>, value: string) => {
      const error = await read.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuditQueryError);
      expect(error).not.toBeInstanceOf(StoreError);
      expect((error as AuditQueryError).since).toBe(value);
      expect((error as Error).message).toContain(`since ${JSON.stringify(value)} is not a time`);
    };
    await refused(store.readAudit({ since: 'yesterday' }), 'yesterday'); // an empty log too
    await store.transact('core', (tx) => tx.audit({ at: '2026-01-05T00:01:00.000Z', actor: 'imos', action: 'open', target: 'A1' }));
    await refused(store.readAudit({ since: 'yesterday' }), 'yesterday');
    await refused(store.readAudit({ since: '', target: 'A1' }), '');
    await refused(store.readAudit({ since: '2026-13-45', limit: 5 }), '2026-13-45');
    await refused(store.readArchivedAlerts({ since: 'last week' }), 'last week');
    // A time in another notation than ISO is still a time; no since is no bound.
    expect(await store.readAudit({ since: 'Mon, 05 Jan 2026 00:00:00 GMT' })).toHaveLength(1);
    expect(await store.readAudit({})).toHaveLength(1);
  });

  it('commits a transaction whole: records with their audit entries; reads see it', async () => {
    const store = await open();
    const result = store.transact('core', (tx) => {
      tx.put('alerts', alertRecord('A1'));
      tx.put('alerts', alertRecord('A2'));
      tx.put('kv', { key: 'nextAlertNumber', value: 3 });
      tx.audit({ at: '2026-01-05T00:00:01.000Z', actor: 'imos', action: 'open', target: 'A1' });
      return 'done';
    });
    expect(await result).toBe('done');
    const core = await store.read('core');
    expect(core.alerts.map((a) => a.id)).toEqual(['A1', 'A2']);
    expect(core.kv.get('nextAlertNumber')).toBe(3);
    const audit = await store.readAudit();
    expect(audit.map((e) => [e.action, e.target])).toEqual([['open', 'A1']]);
    expect(typeof audit[0]!.seq).toBe('number');
  });

  it('hands out frozen records: a change outside a transaction fails at once', async () => {
    const store = await open();
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const core = await store.read('core');
    expect(() => {
      (core.alerts[0] as Alert).state = 'resolved';
    }).toThrow(TypeError);
    expect(() => (core.alerts as Alert[]).push(alertRecord('A9'))).toThrow(TypeError);
  });

  it('keeps its own copies: records and audit entries changed by their writer after the commit change nothing stored', async () => {
    const store = await open();
    const put = alertRecord('A1', { notified: ['email'] });
    const entry = { at: '2026-01-05T08:00:00.000Z', actor: 'ann', action: 'open', target: 'A1', detail: { channels: ['email'] } };
    await store.transact('core', (tx) => {
      tx.put('alerts', put);
      tx.audit(entry);
    });
    let edited: Alert | null = null;
    await store.transact('core', (tx) => {
      edited = tx.edit('alerts', 'A1');
      edited.notified.push('slack');
    });
    put.notified.push('changed later');
    put.message = 'changed later';
    entry.detail.channels.push('changed later');
    edited!.notified.push('changed later');
    const stored = (await store.read('core')).alerts[0]!;
    expect(stored.notified).toEqual(['email', 'slack']);
    expect(stored.message).toBe(alertRecord('A1').message);
    expect(Object.isFrozen(stored.notified)).toBe(true);
    expect((await store.readAudit())[0]!.detail).toEqual({ channels: ['email'] });
  });

  it('edits one record; the others are left as they were', async () => {
    const store = await open();
    await store.transact('core', (tx) => {
      for (let i = 1; i <= 5; i++) tx.put('alerts', alertRecord(`A${i}`));
    });
    const before = await store.read('core');
    await store.transact('core', (tx) => {
      const alert = tx.edit('alerts', 'A3');
      alert.state = 'acknowledged';
      alert.acknowledgedBy = 'ann';
      expect(tx.get('alerts', 'A3')!.state).toBe('acknowledged');
    });
    const after = await store.read('core');
    expect(after.alerts.map((a) => a.state)).toEqual(['open', 'open', 'acknowledged', 'open', 'open']);
    expect(after.alerts[2]!.acknowledgedBy).toBe('ann');
    expect(before.alerts[2]!.state).toBe('open'); // a view already read does not change under its reader
  });

  it('stores nothing when the transaction throws, and passes the error on', async () => {
    const store = await open();
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')));
    const failure = await store
      .transact('core', (tx) => {
        tx.edit('alerts', 'A1').state = 'resolved';
        tx.audit({ at: '2026-01-05T00:00:01.000Z', actor: 'ann', action: 'resolve', target: 'A1' });
        throw new Error('changed my mind');
      })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toBe('changed my mind');
    expect((await store.read('core')).alerts[0]!.state).toBe('open');
    expect(await store.readAudit()).toEqual([]);
  });

  it('refuses a transaction function that does I/O (returns a promise)', async () => {
    const store = await open();
    const failure = await store.transact('core', (async () => undefined) as never).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/must not be async/);
  });

  it('refuses a record the next reader would refuse, naming the collection and field; nothing is stored', async () => {
    const store = await open();
    const failure = await store
      .transact('core', (tx) => {
        tx.put('alerts', alertRecord('A1'));
        tx.put('alerts', { ...alertRecord('A2'), state: 'bogus' as Alert['state'] });
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toMatch(/alerts record A2 .*field state/);
    expect((await store.read('core')).alerts).toEqual([]);
  });

  it('keeps each transaction to its section', async () => {
    const store = await open();
    const failure = await store.transact('core', (tx) => void tx.put('checks', { id: 'x', last: null, failures: 0, successes: 0, status: 'pending', since: null })).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/belongs to the results section/);
  });

  it('deletes records and keeps the order of the others', async () => {
    const store = await open();
    await store.transact('core', (tx) => {
      for (let i = 1; i <= 4; i++) tx.put('alerts', alertRecord(`A${i}`));
    });
    await store.transact('core', (tx) => {
      tx.delete('alerts', 'A2');
      tx.put('alerts', alertRecord('A5'));
    });
    expect((await store.read('core')).alerts.map((a) => a.id)).toEqual(['A1', 'A3', 'A4', 'A5']);
  });

  it('keeps check states and a bounded history apart', async () => {
    const store = await open();
    for (let run = 1; run <= 5; run++) {
      const at = new Date(Date.UTC(2026, 0, 5, 0, 0, run)).toISOString();
      await store.transact('results', (tx) => {
        tx.put('checks', { id: 'db', last: { id: 'db', system: 's', kind: 'postgres', status: 'ok', runStatus: 'ok', value: run, metrics: {}, message: '', durationMs: 3, at }, failures: 0, successes: run, status: 'ok', since: at });
      });
      await store.transact('history', (tx) => tx.appendHistory('db', [{ at, status: 'ok', value: run, durationMs: 3 }], 3));
    }
    const results = await store.read('results');
    expect(results.checks.db!.successes).toBe(5);
    expect(results.lastPollAt).toBe('2026-01-05T00:00:05.000Z');
    expect((await store.read('history')).history.db!.map((p) => p.value)).toEqual([3, 4, 5]);
  });

  it('keeps the uptime counts with the results: counted on, deleted, read by another store on the same data', async () => {
    const a = await open();
    const hour = (h: number) => new Date(Date.UTC(2026, 0, 5, h)).toISOString();
    await a.transact('results', (tx) => {
      tx.put('uptime', { id: 'db@hours', checkId: 'db', hour: hour(1), ok: [0, 1], total: [1, 1] });
      tx.put('uptime', { id: 'db@days', checkId: 'db', hour: '2026-01-03T00:00:00.000Z', ok: [20, 0, 3], total: [24, 0, 4], hours: 24 });
      tx.put('uptime', { id: 'web@hours', checkId: 'web', hour: hour(1), ok: [1], total: [1] });
    });
    await a.transact('results', (tx) => {
      const counted = tx.edit('uptime', 'db@hours') as { hour: string; ok: number[]; total: number[] };
      counted.hour = hour(2);
      counted.ok = [3, 0, 1];
      counted.total = [4, 1, 1];
      tx.delete('uptime', 'web@hours');
    });
    const expected = [
      { id: 'db@days', checkId: 'db', hour: '2026-01-03T00:00:00.000Z', ok: [20, 0, 3], total: [24, 0, 4], hours: 24 },
      { id: 'db@hours', checkId: 'db', hour: hour(2), ok: [3, 0, 1], total: [4, 1, 1] },
    ];
    const sorted = (records: readonly { id: string }[]) => [...records].sort((x, y) => x.id.localeCompare(y.id));
    expect(sorted((await a.read('results')).uptime)).toEqual(expected);
    const b = await open();
    expect(sorted((await b.read('results')).uptime)).toEqual(expected);
    const failure = await a.transact('core', (tx) => void tx.put('uptime', expected[1]!)).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/belongs to the results section/);
    const mismatched = await a.transact('results', (tx) => void tx.put('uptime', { ...expected[1]!, ok: [1] })).catch((e: unknown) => e);
    expect(String(mismatched)).toMatch(/uptime.*total/s);
    expect(sorted((await b.read('results')).uptime)).toEqual(expected);
  });

  it('counts a check\'s runs into its two uptime records: its hours, and the days before them, read by another store on the same data; days no reader counts dropped', async () => {
    const a = await open();
    const HOUR = 3_600_000;
    const start = Date.UTC(2026, 0, 5, 6);
    const run = (atMs: number, runStatus: 'ok' | 'error'): CheckResult => ({ id: 'db', system: 's', kind: 'http', status: runStatus, runStatus, value: null, metrics: {}, message: '', durationMs: 1, at: new Date(atMs).toISOString() });
    // Hours 06:00..23:00 on the 5th, two runs each (one failing at 08:00), then the 24 hours of the 6th.
    for (let h = 0; h < 18 + 24; h++) await a.transact('results', (tx) => countRuns(tx, [run(start + h * HOUR, 'ok'), run(start + h * HOUR + 60_000, h === 2 ? 'error' : 'ok')]));
    const days = { id: 'db@days', checkId: 'db', hour: '2026-01-05T00:00:00.000Z', ok: [33], total: [34], hours: 24 };
    expect((await a.read('results')).uptime.filter(isDayRecord)).toEqual([days]);
    // The next hour (00:00 on the 7th) moves 23:00 on the 5th into its day.
    await a.transact('results', (tx) => countRuns(tx, [run(start + 42 * HOUR, 'ok')]));
    const b = await open();
    for (const store of [a, b]) {
      const uptime = (await store.read('results')).uptime;
      expect(uptime).toHaveLength(2);
      expect(uptime.filter(isDayRecord)).toEqual([{ ...days, ok: [35], total: [36] }]);
      const hours = uptime.find((r) => !isDayRecord(r))!;
      expect(hours).toMatchObject({ id: 'db@hours', hour: '2026-01-07T00:00:00.000Z' });
      expect(hours.total).toEqual([1, ...Array(24).fill(2)]);
      expect(storedCounts(uptime)).toEqual({ ok: 2 * 42, total: 2 * 42 + 1 });
      expect(uptimeByCheck(uptime, start + 42 * HOUR).get('db')!.week).toEqual({ ratio: (2 * 42) / (2 * 42 + 1), ok: 2 * 42, total: 2 * 42 + 1 });
    }
    // 30 days on (01:00 on 4 February), the 5th is beyond the 30 d figure: the other store drops it and moves the kept hours into their days.
    await b.transact('results', (tx) => countRuns(tx, [run(Date.UTC(2026, 1, 4, 1), 'ok')]));
    for (const store of [a, b]) {
      const uptime = (await store.read('results')).uptime;
      expect(uptime.find(isDayRecord)).toEqual({ ...days, hour: '2026-01-07T00:00:00.000Z', ok: [1, 48], total: [1, 48] });
      expect(storedCounts(uptime)).toEqual({ ok: 50, total: 50 });
    }
  });

  it('a store holding an earlier version\'s uptime records (30 days of hours, some days) folds a check\'s into its two when it next starts a new hour, and another store reads the result', async () => {
    const a = await open();
    const HOUR = 3_600_000;
    const now = Date.UTC(2026, 1, 10, 12, 20);
    const hourAt = (h: number) => new Date(Math.floor(now / HOUR) * HOUR - h * HOUR).toISOString();
    // As earlier releases kept them: 722 hours up to the hour under way, 3 runs each, 2 passing, and two days before.
    await a.transact('results', (tx) => {
      for (let h = 721; h >= 0; h--) tx.put('uptime', { id: `db@${hourAt(h)}`, checkId: 'db', hour: hourAt(h), ok: 2, total: 3 });
      tx.put('uptime', { id: 'db@2026-01-10', checkId: 'db', hour: '2026-01-10T00:00:00.000Z', ok: 1, total: 5, hours: 24 });
      tx.put('uptime', { id: 'db@2026-01-01', checkId: 'db', hour: '2026-01-01T00:00:00.000Z', ok: 1, total: 5, hours: 24 });
    });
    const before = uptimeByCheck((await a.read('results')).uptime, now + HOUR).get('db')!;
    const next: CheckResult = { id: 'db', system: 's', kind: 'http', status: 'ok', runStatus: 'ok', value: null, metrics: {}, message: '', durationMs: 1, at: new Date(now + HOUR).toISOString() };
    await a.transact('results', (tx) => countRuns(tx, [next]));
    const b = await open();
    const uptime = (await b.read('results')).uptime;
    expect(uptime.map((r) => r.id).sort()).toEqual(['db@days', 'db@hours']);
    expect(uptime.find((r) => r.id === 'db@hours')!.total).toHaveLength(25);
    expect(uptime.find((r) => r.id === 'db@days')!.total).toHaveLength(29);
    const after = uptimeByCheck(uptime, now + HOUR).get('db')!;
    const plusOne = (w: { ok: number; total: number }) => ({ ratio: (w.ok + 1) / (w.total + 1), ok: w.ok + 1, total: w.total + 1 });
    expect(after).toEqual({ day: plusOne(before.day), week: plusOne(before.week), month: plusOne(before.month) });
  });

  it('runs a process\'s transactions one after another, and another store on the same data loses nothing', async () => {
    const a = await open();
    const b = await open();
    const bump = (store: Store) =>
      store.transact('core', (tx) => {
        const count = (tx.get('kv', 'n')?.value as number | undefined) ?? 0;
        tx.put('kv', { key: 'n', value: count + 1 });
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 === 0 ? a : b)));
    expect((await a.read('core')).kv.get('n')).toBe(40);
    expect((await b.read('core')).kv.get('n')).toBe(40);
  });

  it('holds the poller lease for one process at a time; epochs grow with every new holder', async () => {
    const store = await open();
    const first = await store.lease.acquire(me('t1', 1001), 3000, { nowMs: 1_000_000, isAlive: alive });
    expect(first.ours).toBe(true);
    const waiting = await store.lease.acquire(me('t2', 1002), 3000, { nowMs: 1_000_500, isAlive: alive });
    expect(waiting.ours).toBe(false);
    expect(waiting.holder?.token).toBe('t1');
    const renewed = await store.lease.acquire(me('t1', 1001), 3000, { nowMs: 1_001_000, isAlive: alive });
    expect(renewed).toMatchObject({ ours: true, epoch: first.epoch });
    await store.lease.release('t2'); // not ours to release: nothing happens
    expect((await store.lease.read())?.token).toBe('t1');
    await store.lease.release('t1');
    expect(await store.lease.read()).toBeNull();
    const second = await store.lease.acquire(me('t2', 1002), 3000, { nowMs: 1_002_000, isAlive: alive });
    expect(second.ours).toBe(true);
    expect(second.epoch).toBeGreaterThan(first.epoch);
  });

  it('refuses a fenced write once the writer lost the lease; nothing is stored', async () => {
    const store = await open();
    const mine = await store.lease.acquire(me('t1', 1001), 3000, { nowMs: 1_000_000, isAlive: alive });
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A1')), { fence: { token: 't1', epoch: mine.epoch } });
    // Another process takes over once our renewal is older than the ttl.
    const theirs = await store.lease.acquire(me('t2', 1002), 3000, { nowMs: 1_010_000, isAlive: alive });
    expect(theirs.ours).toBe(true);
    const failure = await store
      .transact('core', (tx) => void tx.put('alerts', alertRecord('A2')), { fence: { token: 't1', epoch: mine.epoch } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LeaseLostError);
    expect((await store.read('core')).alerts.map((a) => a.id)).toEqual(['A1']);
    await store.transact('core', (tx) => void tx.put('alerts', alertRecord('A3')), { fence: { token: 't2', epoch: theirs.epoch } });
    expect((await store.read('core')).alerts.map((a) => a.id)).toEqual(['A1', 'A3']);
  });

  it('tells watchers about changes made through another store on the same data', async () => {
    const a = await open();
    const b = await open();
    await b.read('core');
    const seen = new Promise<string>((resolve) => {
      const stop = b.watch((name) => {
        if (name === 'core') {
          stop();
          resolve(name);
        }
      });
    });
    await a.transact('core', (tx) => void tx.put('alerts', alertRecord('A7')));
    expect(await seen).toBe('core');
    expect((await b.read('core')).alerts.map((a) => a.id)).toEqual(['A7']);
  });

  it('claims due outbox rows for one dispatcher at a time, the oldest row of an alert and channel first', async () => {
    const store = await open();
    const now = Date.parse('2026-01-05T00:10:00.000Z');
    await store.transact('core', (tx) => {
      tx.put('outbox', outboxRecord('r1', { alertId: 'A1' }));
      tx.put('outbox', outboxRecord('r2', { alertId: 'A1' })); // waits for r1 (same alert, same channel)
      tx.put('outbox', outboxRecord('r3', { alertId: 'A1', channel: 'email' }));
      tx.put('outbox', outboxRecord('r4', { nextAttemptAt: '2026-01-05T01:00:00.000Z' })); // not due
      tx.put('outbox', outboxRecord('r5', { state: 'sent' }));
      tx.put('outbox', outboxRecord('r6'));
    });
    const request = { owner: 'd1', host: 'h', pid: 11, nowMs: now, claimTtlMs: 60_000, limit: 10, deadClaimants: [] };
    const first = await store.claimOutbox(request);
    expect(first.map((r) => r.id)).toEqual(['r1', 'r3', 'r6']);
    expect(first.every((r) => r.claimedBy === 'd1' && r.attempts === 1)).toBe(true);
    expect(await store.claimOutbox({ ...request, owner: 'd2' })).toEqual([]);
    // A claim of a dead dispatcher lapses at once; a live one only when it expires.
    expect((await store.claimOutbox({ ...request, owner: 'd2', deadClaimants: ['d1'] })).map((r) => r.id)).toEqual(['r1', 'r3', 'r6']);
    const later = await store.claimOutbox({ ...request, owner: 'd3', nowMs: now + 61_000 });
    expect(later.map((r) => [r.id, r.attempts])).toEqual([
      ['r1', 3],
      ['r3', 3],
      ['r6', 3],
    ]);
    const rows = (await store.read('core')).outbox;
    expect(rows.find((r) => r.id === 'r1')!.claimedBy).toBe('d3');
  });

  it('refuses a fenced claim once the lease is lost', async () => {
    const store = await open();
    const mine = await store.lease.acquire(me('t1'), 3000, { nowMs: 1_000_000, isAlive: alive });
    await store.transact('core', (tx) => void tx.put('outbox', outboxRecord('r1')));
    await store.lease.acquire(me('t2', 1002), 3000, { nowMs: 1_010_000, isAlive: alive });
    const request = { owner: 'd1', host: 'h', pid: 11, nowMs: Date.parse('2026-01-05T00:10:00.000Z'), claimTtlMs: 60_000, limit: 10, deadClaimants: [], fence: { token: 't1', epoch: mine.epoch } };
    await expect(store.claimOutbox(request)).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.read('core')).outbox[0]!.claimedBy).toBeUndefined();
  });

  it('a claim made under an older lease epoch lapses for the new holder at once (its claimant lost the lease)', async () => {
    const store = await open();
    const now = Date.parse('2026-01-05T00:10:00.000Z');
    await store.transact('core', (tx) => {
      tx.put('outbox', outboxRecord('r1'));
      tx.put('outbox', outboxRecord('r2'));
    });
    const old = await store.lease.acquire(me('t1', 1001), 3000, { nowMs: 1_000_000, isAlive: alive });
    const request = { host: 'host-a', pid: 1001, nowMs: now, claimTtlMs: 300_000, limit: 1, deadClaimants: [] };
    const first = await store.claimOutbox({ ...request, owner: 'd1', fence: { token: 't1', epoch: old.epoch } });
    expect(first.map((r) => [r.id, r.claimedEpoch])).toEqual([['r1', old.epoch]]);
    // Unfenced (a command sending while nobody polls): claimed under no epoch.
    expect((await store.claimOutbox({ ...request, owner: 'd0', pid: 7 })).map((r) => [r.id, r.claimedEpoch])).toEqual([['r2', null]]);
    // The holder on host-a stops renewing; one on host-b takes over: the old claim no longer holds,
    // the unfenced one does until it expires.
    const taker = await store.lease.acquire(me('t2', 2002), 3000, { nowMs: 1_010_000, isAlive: alive });
    const taken = await store.claimOutbox({ ...request, host: 'host-b', pid: 2002, limit: 10, owner: 'd2', fence: { token: 't2', epoch: taker.epoch } });
    expect(taken.map((r) => [r.id, r.claimedBy, r.claimedEpoch, r.attempts])).toEqual([['r1', 'd2', taker.epoch, 2]]);
  });

  it('lets one run of a playbook action claim it at a time, across stores on the same data', async () => {
    const stores = [await open(), await open(), await open()];
    const run = (i: number, over: Partial<ClaimRequest> = {}): ClaimRequest => ({
      runId: `run-${i}`,
      action: 'sync-recovery.recover',
      alertId: 'A7',
      actor: `person-${i}`,
      host: 'host-a',
      pid: 3000 + i,
      startedAt: '2026-01-05T00:00:00.000Z',
      until: '2026-01-05T00:05:00.000Z',
      command: './recover-sync.sh pms',
      overlap: false,
      nowMs: Date.parse('2026-01-05T00:00:01.000Z'),
      isAlive: alive,
      ...over,
    });
    // Six runners at once, two per store: exactly one gets it; the others are told who holds it.
    const outcomes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => claimActionRun(stores[i % 3]!, run(i))));
    const winners = outcomes.filter((o) => o.claimed);
    expect(winners).toHaveLength(1);
    const winner = outcomes.findIndex((o) => o.claimed);
    for (const o of outcomes) if (!o.claimed) expect(o.holder).toMatchObject({ runId: `run-${winner}`, actor: `person-${winner}` });
    // Another action, or one that may overlap, is not held up.
    expect(await claimActionRun(stores[1]!, run(10, { action: 'db-down.restart' }))).toEqual({ claimed: true });
    expect(await claimActionRun(stores[1]!, run(11, { overlap: true }))).toEqual({ claimed: true });
    // Released with its audit entry in one commit: the next run may start.
    await finishActionRun(stores[2]!, `run-${winner}`, [{ at: '2026-01-05T00:00:09.000Z', actor: `person-${winner}`, action: 'action-run', target: 'A7' }]);
    await finishActionRun(stores[2]!, 'run-11', []);
    expect((await stores[0]!.readAudit()).map((e) => [e.action, e.target])).toEqual([['action-run', 'A7']]);
    expect(await claimActionRun(stores[0]!, run(20))).toEqual({ claimed: true });
    // A claim past its deadline, or of a dead runner on this host, lapses; one on another host holds.
    // Whoever drops a lapsed claim records that run's end, in the same commit.
    const lost = (claim: { runId: string }, why: string) => ({ at: '2026-01-05T00:06:00.000Z', actor: 'imos', action: 'action-run', target: claim.runId, note: why });
    expect((await claimActionRun(stores[0]!, run(21, { nowMs: Date.parse('2026-01-05T00:06:00.000Z') }), [], lost)).claimed).toBe(true);
    expect((await claimActionRun(stores[0]!, run(22, { host: 'host-b', isAlive: () => false }), [], lost)).claimed).toBe(false);
    expect((await claimActionRun(stores[0]!, run(23, { isAlive: (pid) => pid !== 3021 }), [], lost)).claimed).toBe(true);
    const lapsed = (await stores[1]!.readAudit()).slice(1).map((e) => [e.target, e.note]);
    expect(lapsed).toEqual([
      ['run-10', 'its claim ran out at 2026-01-05T00:05:00.000Z (the action\'s timeout and a grace period)'],
      ['run-20', 'its claim ran out at 2026-01-05T00:05:00.000Z (the action\'s timeout and a grace period)'],
      ['run-21', 'its runner (pid 3021 on host-a) is gone'],
    ]);
  });

  it('moves alerts to the archive with their audit entry in one commit', async () => {
    const store = await open();
    const resolved = alertRecord('A1', { state: 'resolved', resolvedAt: '2026-01-06T00:00:00.000Z' });
    await store.transact('core', (tx) => void tx.put('alerts', resolved));
    await store.transact('core', (tx) => {
      tx.delete('alerts', 'A1');
      tx.audit({ at: '2026-02-10T00:00:00.000Z', actor: 'imos', action: 'archive', target: 'A1', detail: { alert: resolved as never } });
    });
    expect((await store.read('core')).alerts).toEqual([]);
    const archived = await store.readArchivedAlerts({ since: '2026-02-01T00:00:00.000Z' });
    expect(archived.map((a) => [a.id, a.state])).toEqual([['A1', 'resolved']]);
  });

  it('remembers a request seen once, for every process on the store and after a reopen (the replay guard)', async () => {
    const window = 600_000;
    const t0 = Date.parse('2026-01-05T00:00:00Z');
    const a = await open();
    const b = await open();
    expect(await admitOnce(a, 'slack', 'v0=aaa', t0, window)).toBe(true);
    // Another process on the same store: a replay.
    expect(await admitOnce(b, 'slack', 'v0=aaa', t0 + 1000, window)).toBe(false);
    expect(await admitOnce(b, 'other-guard', 'v0=aaa', t0 + 1000, window)).toBe(true);
    // After a restart: still a replay.
    await a.close();
    const c = await open();
    expect(await admitOnce(c, 'slack', 'v0=aaa', t0 + 2000, window)).toBe(false);
    // The same new request offered by three processes at once: exactly one admits it.
    const d = await open();
    const at = await Promise.all([b, c, d].map((s) => admitOnce(s, 'slack', 'v0=bbb', t0 + 3000, window)));
    expect(at.filter(Boolean)).toHaveLength(1);
    // Past the window an id is forgotten (its timestamp is refused by then anyway), and the record pruned.
    expect(await admitOnce(d, 'slack', 'v0=ccc', t0 + window + 2500, window)).toBe(true);
    const seen = (await d.read('core')).kv.get(seenKey('slack')) as Record<string, number>;
    expect(Object.keys(seen).sort()).toEqual(['v0=bbb', 'v0=ccc']);
  });
});

describe('the store factories', () => {
  it('cover the JSON, memory and PostgreSQL stores', () => {
    const names = storeFactories().map((f) => f.name);
    expect(names).toContain('json');
    expect(names).toContain('memory');
    expect(names).toContain('postgres');
  });
});
