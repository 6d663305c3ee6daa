// The commit payload: what a transaction read, and history appends grouped so that one statement
// per round keeps them in order.
import { describe, expect, it } from 'vitest';
import { alertRecord } from '../testing/records.js';
import { SectionState } from '../state.js';
import { Tx } from '../tx.js';
import { appendRounds, commitPayload, ReadTracker } from './commit.js';

const point = (value: number) => ({ at: `2026-01-05T00:00:0${value}.000Z`, status: 'ok' as const, value, durationMs: 1 });

describe('the commit payload', () => {
  it('records the records read by key and the collections iterated', () => {
    const state = new SectionState('core');
    state.load(7, { alerts: [alertRecord('A1'), alertRecord('A2')] });
    const tracker = new ReadTracker(state);
    const tx = new Tx('core', tracker.asBase(), 'test');
    tx.edit('alerts', 'A1').state = 'acknowledged';
    tx.get('kv', 'counter');
    tx.put('kv', { key: 'total', value: tx.all('outbox').length });
    const payload = commitPayload(tx.changes(), state.seq, tracker, { token: 't', epoch: 3 });
    expect(payload).toMatchObject({ section: 'core', since: 7, fence: { token: 't', epoch: 3 }, reads: { alerts: ['A1'], kv: ['counter'] }, scans: ['outbox'] });
    expect(payload.put.alerts).toEqual([['A1', { ...alertRecord('A1'), state: 'acknowledged' }]]);
    expect(payload.put.kv).toEqual([['total', { key: 'total', value: 0 }]]);
  });

  it('checks a whole collection instead of thousands of keys', () => {
    const state = new SectionState('results');
    const tracker = new ReadTracker(state);
    const tx = new Tx('results', tracker.asBase(), 'test');
    for (let i = 0; i < 1500; i++) tx.get('checks', `c${i}`);
    tx.put('uptime', { id: 'x@h', checkId: 'x', hour: '2026-01-05T00:00:00.000Z', ok: 1, total: 1 });
    const payload = commitPayload(tx.changes(), 0, tracker, undefined);
    expect(payload.reads).toEqual({});
    expect(payload.scans).toEqual(['checks']);
  });

  it('puts a second append to the same check in a later round, in order', () => {
    const rounds = appendRounds([
      { id: 'a', points: [point(1)], max: 3 },
      { id: 'b', points: [point(2)], max: 3 },
      { id: 'a', points: [point(3)], max: 2.5 },
      { id: 'c', points: [point(4)], max: 3 },
      { id: 'a', points: [point(5)], max: 3 },
    ]);
    expect(rounds.map((round) => round.map((r) => `${r.id}${r.points[0]!.value}:${r.max}`))).toEqual([
      ['a1:3', 'b2:3', 'c4:3'],
      ['a3:3'],
      ['a5:3'],
    ]);
  });
});
