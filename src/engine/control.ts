// Shared controls any console may set; the poller-lease holder follows them on its next tick.
import type { Store } from '../store/types.js';

export async function setPaused(store: Store, paused: boolean, actor: string, now = Date.now()): Promise<void> {
  await store.update('core', (core) => {
    core.control.paused = paused;
    core.control.pausedBy = paused ? actor : null;
  });
  await store.appendAudit([{ at: new Date(now).toISOString(), actor, action: paused ? 'pause' : 'resume', target: 'poller' }]);
}

export async function requestRunNow(store: Store, actor: string, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  await store.update('core', (core) => {
    core.control.runNowRequestedAt = at;
  });
  await store.appendAudit([{ at, actor, action: 'run-now', target: 'checks' }]);
}
