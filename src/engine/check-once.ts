// Run some checks once, now, and record them (`imos check`, and the alert's checks after a playbook
// action): whatever holds the poller lease. When no one polls, this run also turns its results into
// alerts and notifications; otherwise the holder picks them up from the store.
import type { ImosConfig } from '../config/types.js';
import type { CheckResult } from '../model.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import { Engine } from './engine.js';
import { buildPipeline } from './pipeline.js';

export async function checkOnce(
  config: ImosConfig,
  store: Store,
  ids: string[] | undefined,
  options: { clock?: Clock; onProgress?: (done: number, total: number, result: CheckResult) => void } = {},
): Promise<CheckResult[]> {
  const clock = options.clock ?? systemClock;
  const pipeline = await buildPipeline(config, store);
  const engine = new Engine({ config, store, role: 'check', pipeline });
  try {
    const results = await engine.runOnce(ids, options.onProgress);
    // The lease is taken only now: a daemon starting while the checks run (a test suite may take
    // minutes) does not wait for them.
    await engine.lease.tick();
    const fence = engine.lease.fence();
    if (fence) {
      await pipeline.afterResults?.(results, clock.now(), fence).catch(() => undefined); // an unreadable store is reported by the caller
      // Escalations and notifications are due; results recorded by other processes are not this
      // one's to process (a first look only notes them as seen, and this engine stops next).
      await engine.tick({ othersResults: false });
    }
    return results;
  } finally {
    await engine.stop();
  }
}
