// Shared controls any console may set; the poller-lease holder follows them on its next tick.
import { CoreDraft } from '../store/core-draft.js';
import type { Store } from '../store/types.js';

export async function setPaused(store: Store, paused: boolean, actor: string, now = Date.now()): Promise<void> {
  await store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    core.setControl({ paused, pausedBy: paused ? actor : null });
    core.audit({ at: new Date(now).toISOString(), actor, action: paused ? 'pause' : 'resume', target: 'poller' });
  });
}

export async function requestRunNow(store: Store, actor: string, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  await store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    core.setControl({ runNowRequestedAt: at });
    core.audit({ at, actor, action: 'run-now', target: 'checks' });
  });
}
