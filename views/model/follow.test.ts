import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { CoreDraft } from '../../src/store/core-draft.js';
import { hotelConfig } from '../../test/helpers/config.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import { StoreFollower } from './follow.js';

describe('StoreFollower', () => {
  it('changes that arrive while a reload is under way are re-read once after it, not once each, and none is missed', async () => {
    const store = new MemoryStore();
    // The plan figures are read with every core reload: holding them holds a reload under way.
    let holding = false;
    let release: () => void = () => {};
    const loadPlan = async () => {
      if (holding) await new Promise<void>((resolve) => (release = resolve));
      return null;
    };
    const follower = new StoreFollower(store, hotelConfig(), { now: () => Date.now(), loadPlan });
    let updates = 0;
    follower.onUpdate(() => updates++);
    follower.start();
    await follower.settled();
    updates = 0;

    holding = true;
    await store.transact('core', (tx) => void new CoreDraft(tx).addAlert(makeAlert({ id: 'A1', fingerprint: 'c1:DOWN', checkId: 'c1' })));
    for (let i = 2; i <= 20; i++) await store.transact('core', (tx) => void new CoreDraft(tx).addAlert(makeAlert({ id: `A${i}`, fingerprint: `c${i}:DOWN`, checkId: `c${i}` })));
    holding = false;
    release();
    await follower.settled();
    await follower.settled();

    expect(follower.data!.core.alerts.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, i) => `A${i + 1}`));
    // The reload that was under way, then one for everything that came meanwhile.
    expect(updates).toBe(2);
    follower.stop();
  });

  it('a change after a reload has started is read again', async () => {
    const store = new MemoryStore();
    const follower = new StoreFollower(store, hotelConfig(), { now: () => Date.now() });
    follower.start();
    await follower.settled();
    await store.transact('core', (tx) => void new CoreDraft(tx).addAlert(makeAlert({ id: 'A1' })));
    await follower.settled();
    await store.transact('core', (tx) => void new CoreDraft(tx).addAlert(makeAlert({ id: 'A2', fingerprint: 'x:DOWN', checkId: 'x' })));
    await follower.settled();
    expect(follower.data!.core.alerts.map((a) => a.id)).toEqual(['A1', 'A2']);
    follower.stop();
  });
});
