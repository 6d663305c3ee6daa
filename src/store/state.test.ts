import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../test/helpers/alerts.js';
import { emptyChangeSet, SectionState } from './state.js';

const point = (n: number) => ({ at: new Date(Date.UTC(2026, 0, 5, 0, n)).toISOString(), status: 'ok' as const, value: n, durationMs: 5 });

describe('SectionState.apply', () => {
  it('copies the records of a change it does not own, and takes over (frozen when handed out) those it owns', () => {
    const state = new SectionState('core');
    const shared = makeAlert({ id: 'A1' });
    state.apply({ ...emptyChangeSet('core'), put: { alerts: [shared] } }, 1);
    expect(state.get('alerts', 'A1')).not.toBe(shared);
    expect(state.get('alerts', 'A1')).toEqual(shared);
    expect(Object.isFrozen(shared)).toBe(false);

    const parsed = JSON.parse(JSON.stringify(makeAlert({ id: 'A2' })));
    state.apply({ ...emptyChangeSet('core'), put: { alerts: [parsed] } }, 2, { owned: true });
    expect(state.get('alerts', 'A2')).toBe(parsed);
    expect(Object.isFrozen(parsed)).toBe(true);
  });

  it('freezes records when it hands them out: records replaced before anyone asked are never frozen', () => {
    // A snapshot read in, then its journal replayed over it: the snapshot's version of A1 and the
    // alert nobody asks for cost no freezing; everything handed out is frozen all the same.
    const state = new SectionState('core');
    const parse = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    const fromSnapshot = parse(makeAlert({ id: 'A1', message: 'old' }));
    const unread = parse(makeAlert({ id: 'A2' }));
    state.load(1, { alerts: [fromSnapshot, unread] });
    const fromJournal = parse(makeAlert({ id: 'A1', message: 'new' }));
    state.apply({ ...emptyChangeSet('core'), put: { alerts: [fromJournal] } }, 2, { owned: true });
    expect(Object.isFrozen(fromSnapshot)).toBe(false);
    expect(Object.isFrozen(unread)).toBe(false);

    const a1 = state.get('alerts', 'A1')!;
    expect(a1).toBe(fromJournal);
    expect(Object.isFrozen(a1)).toBe(true);
    expect(() => ((a1 as { message: string }).message = 'changed')).toThrow(TypeError);
    expect(Object.isFrozen(unread)).toBe(false);
    const all = [...state.values('alerts')];
    expect(all.map((a) => a.id)).toEqual(['A1', 'A2']);
    expect(all.every((a) => Object.isFrozen(a))).toBe(true);
    expect(Object.isFrozen(fromSnapshot)).toBe(false);

    // A copy for a snapshot file hands out every record too.
    const other = new SectionState('core');
    const dumped = parse(makeAlert({ id: 'A3' }));
    other.load(1, { alerts: [dumped] });
    expect(other.dump().alerts).toEqual([dumped]);
    expect(Object.isFrozen(dumped)).toBe(true);
  });

  it('keys a snapshot\'s collection when it is first used, as if keyed at load, and freezes a record to its leaves', () => {
    const state = new SectionState('results');
    const check = (id: string, value: number) => ({ id, status: 'ok', failures: 0, successes: 1, last: { id, value, metrics: { latency: value, codes: [200, 204] } } });
    const hour = (checkId: string) => ({ id: `${checkId}@2026-01-05T00:00:00.000Z`, checkId, hour: '2026-01-05T00:00:00.000Z', ok: 1, total: 1 });
    // A snapshot written by hand may hold a key twice: the later record is the one kept.
    state.load(4, { checks: [check('a', 1), check('b', 2), check('a', 3)] as never, uptime: [hour('a'), hour('b')] as never });
    expect(state.size('checks')).toBe(2);
    expect([...state.keys('checks')]).toEqual(['a', 'b']);
    const a = state.get('checks', 'a') as unknown as ReturnType<typeof check>;
    expect(a.last.value).toBe(3);
    expect([Object.isFrozen(a.last), Object.isFrozen(a.last.metrics), Object.isFrozen(a.last.metrics.codes)]).toEqual([true, true, true]);
    expect(() => a.last.metrics.codes.push(500)).toThrow(TypeError);
    // The other collection, first used by a change: the change lands on the snapshot's records.
    expect([...(state.keysWhere('uptime', 'checkId', 'b') ?? [])]).toEqual(['b@2026-01-05T00:00:00.000Z']);
    state.apply({ ...emptyChangeSet('results'), del: { uptime: ['a@2026-01-05T00:00:00.000Z'] } }, 5);
    expect([...state.keys('uptime')]).toEqual(['b@2026-01-05T00:00:00.000Z']);
    // Loading again forgets what was not keyed yet.
    state.load(6, { checks: [check('c', 4)] as never });
    expect([...state.keys('checks')]).toEqual(['c']);
    expect(state.size('uptime')).toBe(0);
  });

  it('appending to a history copies the new points only, and keeps the newest `max`', () => {
    const state = new SectionState('history');
    const append = (points: ReturnType<typeof point>[], seq: number) =>
      state.apply({ ...emptyChangeSet('history'), append: [{ id: 'member-api', points, max: 3 }] }, seq);
    append([point(1), point(2)], 1);
    const held = state.get('history', 'member-api')!.points;
    append([point(3)], 2);
    append([point(4)], 3);
    const now = state.get('history', 'member-api')!.points;
    expect(now.map((p) => p.value)).toEqual([2, 3, 4]);
    // The points held before are the same objects: an append does not copy the history it extends.
    expect(now[0]).toBe(held[1]);
    expect(Object.isFrozen(now[2])).toBe(true);
  });

  it('keeps an index of records by a field in step with every change once it is asked for', () => {
    const state = new SectionState('core');
    state.load(1, { alerts: [makeAlert({ id: 'A1', type: 'DOWN' }), makeAlert({ id: 'A2', type: 'SLOW' })] });
    const where = (type: string) => [...(state.keysWhere('alerts', 'type', type) ?? [])];
    expect(where('DOWN')).toEqual(['A1']);
    state.apply({ ...emptyChangeSet('core'), put: { alerts: [makeAlert({ id: 'A3', type: 'DOWN' }), makeAlert({ id: 'A2', type: 'DOWN' })] } }, 2);
    expect(where('DOWN')).toEqual(['A1', 'A3', 'A2']);
    expect(state.keysWhere('alerts', 'type', 'SLOW')).toBeUndefined();
    state.apply({ ...emptyChangeSet('core'), del: { alerts: ['A1', 'A9'] } }, 3);
    expect(where('DOWN')).toEqual(['A3', 'A2']);
    // A snapshot read anew replaces everything, the index with it.
    state.load(4, { alerts: [makeAlert({ id: 'A5', type: 'SLOW' })] });
    expect(where('DOWN')).toEqual([]);
    expect(where('SLOW')).toEqual(['A5']);
  });
});
