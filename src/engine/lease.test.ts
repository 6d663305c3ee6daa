import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeaseHolder } from '../model.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import { ManualClock } from '../time/clock.js';
import { isLiveHolder, leaseAction, PollerLease, readHolder } from './lease.js';
import { CPU_BOUND_MS } from '../../test/helpers/bounds.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const holder = (over: Partial<LeaseHolder> = {}): LeaseHolder => ({
  pid: 100,
  host: 'h1',
  user: 'ann',
  since: new Date(T0).toISOString(),
  renewedAt: new Date(T0).toISOString(),
  token: 'theirs',
  role: 'console',
  ...over,
});
const me = { token: 'mine', host: 'h1', pid: 200 };
const alive = () => true;
const dead = () => false;

describe('leaseAction (the rule)', () => {
  it.each([
    ['nobody holds it', null, T0, alive, 'take'],
    ['we hold it', holder({ token: 'mine' }), T0 + 2999, alive, 'renew'],
    ['a live holder renewed recently', holder(), T0 + 2999, alive, 'wait'],
    ['the holder has not renewed for the ttl', holder(), T0 + 3000, alive, 'take'],
    ['the holder on this host is dead', holder(), T0 + 10, dead, 'take'],
    ['a holder on another host looks dead here (its pid means nothing)', holder({ host: 'h2' }), T0 + 10, dead, 'wait'],
    ['the holder record has a broken time', holder({ renewedAt: 'soon' }), T0, alive, 'take'],
  ] as const)('%s → %s', (_name, stored, now, isAlive, expected) => {
    expect(leaseAction(stored, me, now, 3000, isAlive)).toBe(expected);
  });

  it('isLiveHolder agrees with it', () => {
    expect(isLiveHolder(holder(), T0 + 2999, 3000, 'h1', alive)).toBe(true);
    expect(isLiveHolder(holder(), T0 + 3000, 3000, 'h1', alive)).toBe(false);
    expect(isLiveHolder(holder(), T0, 3000, 'h1', dead)).toBe(false);
    expect(isLiveHolder(null, T0)).toBe(false);
  });
});

/** A store that can stop answering, as a hung or crashed process's store would. */
function breakable(inner: Store): Store & { broken: boolean } {
  const wrapper = Object.create(inner) as Store & { broken: boolean };
  wrapper.broken = false;
  const unreachable = () => Promise.reject(new Error('store unreachable'));
  const lease: Store['lease'] = {
    acquire: (...args) => (wrapper.broken ? unreachable() : inner.lease.acquire(...args)),
    release: (...args) => (wrapper.broken ? unreachable() : inner.lease.release(...args)),
    read: () => (wrapper.broken ? unreachable() : inner.lease.read()),
  };
  Object.defineProperty(wrapper, 'lease', { value: lease });
  wrapper.transact = ((...args: Parameters<Store['transact']>) => (wrapper.broken ? unreachable() : inner.transact(...args))) as Store['transact'];
  wrapper.watch = (listener) => inner.watch((s) => !wrapper.broken && listener(s));
  return wrapper;
}

function setup(count: number, options: { isAlive?: (pid: number) => boolean } = {}) {
  const clock = new ManualClock(T0);
  const store = new MemoryStore();
  const stores = Array.from({ length: count }, () => breakable(store));
  const leases = stores.map(
    (s, i) => new PollerLease(s, { role: 'console', clock, pid: 1000 + i, host: 'h1', user: `u${i}`, isAlive: options.isAlive ?? alive }),
  );
  const events = leases.map(() => [] as boolean[]);
  leases.forEach((lease, i) => lease.onChange((holding) => events[i]!.push(holding)));
  const holders = () => leases.filter((l) => l.isHolder()).length;
  return { clock, store, stores, leases, events, holders };
}

describe('PollerLease', () => {
  it('the first to start holds it and renews it; the others wait', async () => {
    const { clock, store, leases, events } = setup(2);
    leases[0]!.start();
    await clock.advance(0);
    leases[1]!.start();
    await clock.advance(10_000);
    expect(leases[0]!.isHolder()).toBe(true);
    expect(leases[1]!.isHolder()).toBe(false);
    expect(events).toEqual([[true], []]);
    const { holder: stored } = await store.read('lease');
    expect(stored).toMatchObject({ pid: 1000, host: 'h1', user: 'u0', role: 'console', since: new Date(T0).toISOString() });
    expect(Date.parse(stored!.renewedAt)).toBeGreaterThanOrEqual(T0 + 9000);
    expect(leases[1]!.holder()?.pid).toBe(1000);
    expect(await readHolder(store, { clock })).toMatchObject({ pid: 1000 });
  });

  it('a holder that stops renewing loses it exactly when another may take it', async () => {
    const { clock, stores, leases, events, holders } = setup(2);
    leases[0]!.start();
    await clock.advance(700);
    // The follower retries at T0+700, 1700, …: out of step with the holder's renewals, so one of
    // its retries falls in the last second of the holder's ttl.
    leases[1]!.start();
    await clock.advance(800);
    stores[0]!.broken = true; // the holder hangs: its renewals fail from now on
    let takenAt: number | null = null;
    for (let step = 0; step < 500; step++) {
      await clock.advance(10);
      expect(holders()).toBeLessThanOrEqual(1);
      if (takenAt === null && leases[1]!.isHolder()) takenAt = clock.now();
    }
    expect(leases[0]!.isHolder()).toBe(false);
    expect(events[0]).toEqual([true, false]);
    expect(takenAt).not.toBeNull();
    // Last renewal at T0+1000, expired at T0+4000; the follower's retry at T0+4700 takes it.
    expect(takenAt! - T0).toBe(4700);
    expect(events[1]).toEqual([true]);
  });

  it('takes over at once from a dead holder on the same host', async () => {
    const deadPids = new Set<number>();
    const { clock, leases } = setup(2, { isAlive: (pid) => !deadPids.has(pid) });
    leases[0]!.start();
    await clock.advance(0);
    leases[1]!.start();
    await clock.advance(0);
    expect(leases[1]!.isHolder()).toBe(false);
    deadPids.add(1000); // kill -9
    await clock.advance(1000); // the follower's next retry
    expect(leases[1]!.isHolder()).toBe(true);
  });

  it('stop() releases the lease and a follower takes it without waiting for the ttl', async () => {
    const { clock, store, leases, events } = setup(2);
    leases[0]!.start();
    await clock.advance(0);
    leases[1]!.start();
    await clock.advance(200);
    await leases[0]!.stop();
    expect(leases[0]!.isHolder()).toBe(false);
    expect(events[0]).toEqual([true, false]);
    await clock.advance(0); // no time passes: the change notification makes the follower try
    expect(leases[1]!.isHolder()).toBe(true);
    expect((await store.read('lease')).holder?.pid).toBe(1001);
  });

  it('stop() of a follower leaves the holder alone, and a stopped lease never renews', async () => {
    const { clock, store, leases } = setup(2);
    leases[0]!.start();
    await clock.advance(0);
    leases[1]!.start();
    await clock.advance(0);
    await leases[1]!.stop();
    await leases[0]!.stop();
    await clock.advance(10_000);
    expect((await store.read('lease')).holder).toBeNull();
    expect(clock.pending).toBe(0);
  });

  it('a holder whose record was taken (it stalled) learns it from the store', async () => {
    const { clock, store, leases, events } = setup(1);
    leases[0]!.start();
    await clock.advance(0);
    // As if we had stalled past the ttl and another process took over.
    await store.lease.acquire({ pid: 4242, host: 'h2', user: 'x', role: 'daemon', token: 'intruder' }, 3000, { nowMs: clock.now() + 3000, isAlive: alive });
    await clock.advance(0);
    expect(leases[0]!.isHolder()).toBe(false);
    expect(events[0]).toEqual([true, false]);
  });

  it('rejects a renewal interval not shorter than the ttl', () => {
    expect(() => new PollerLease(new MemoryStore(), { role: 'x', ttlMs: 1000, renewEveryMs: 1000 })).toThrow(/shorter/);
  });

  it('never two holders, whatever happens in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2500 }) }), weight: 3 },
            { arbitrary: fc.record({ op: fc.constantFrom('start' as const, 'hang' as const), who: fc.integer({ min: 0, max: 2 }) }), weight: 2 },
            { arbitrary: fc.record({ op: fc.constantFrom('stop' as const, 'recover' as const), who: fc.integer({ min: 0, max: 2 }) }), weight: 1 },
          ),
          { maxLength: 40 },
        ),
        async (ops) => {
          const { clock, stores, leases, holders } = setup(3);
          for (const op of ops) {
            if (op.op === 'advance') {
              for (let left = op.ms; left > 0; left -= 100) {
                await clock.advance(Math.min(100, left));
                expect(holders()).toBeLessThanOrEqual(1);
              }
            } else if (op.op === 'start') leases[op.who]!.start();
            else if (op.op === 'stop') await leases[op.who]!.stop();
            else stores[op.who]!.broken = op.op === 'hang';
            await clock.advance(0);
            expect(holders()).toBeLessThanOrEqual(1);
          }
          for (const lease of leases) await lease.stop();
        },
      ),
      { numRuns: 1000 },
    );
  }, CPU_BOUND_MS);
});
