// Follows the store for the console (views/model/follow.ts): loads every section once, then
// reloads only the section another process (or this one) changed, so that acknowledgements and
// standups from other consoles appear within a second. Section objects keep their identity when
// unchanged, so memoised rows stay valid.
import { useEffect, useRef, useState } from 'react';
import type { ImosConfig } from '../../src/config/types.js';
import type { WatchedName, Store } from '../../src/store/types.js';
import type { ConsoleData, PlanLoader } from '../model/data.js';
import { StoreFollower } from '../model/follow.js';

export { disconnectedText } from '../model/follow.js';

export interface ConsoleDataState {
  data: ConsoleData | null;
  error: string | null;
  /** Reload now (after this console's own action, without waiting for the watcher). */
  refresh(section?: WatchedName | 'audit'): void;
}

/**
 * `frozen`: stop following (the workspace is gone); the data read so far stays.
 * `started`: a follower the caller started before the console was drawn (the launcher reads the
 * store while Ink loads, so the first frame already has the figures); the caller stops it.
 * Without it, the hook starts its own and the first frames show no figures until the first read.
 */
export function useConsoleData(
  store: Store,
  config: ImosConfig,
  now: () => number,
  loadPlan?: PlanLoader,
  planEveryMs = 30_000,
  frozen = false,
  started?: StoreFollower,
): ConsoleDataState {
  const [data, setData] = useState<ConsoleData | null>(() => started?.data ?? null);
  const [error, setError] = useState<string | null>(() => started?.error ?? null);
  const refreshRef = useRef<(section?: WatchedName | 'audit') => void>(() => {});

  useEffect(() => {
    if (frozen) {
      refreshRef.current = () => {};
      return;
    }
    const follower = started ?? new StoreFollower(store, config, { now, loadPlan, planEveryMs });
    const unsubscribe = follower.onUpdate((next, problem) => {
      if (next) setData(next);
      setError(problem);
    });
    // A reload that landed between the first frame and this effect.
    if (started?.data) setData(started.data);
    refreshRef.current = (section) => follower.refresh(section);
    if (started) return unsubscribe;
    follower.start();
    return () => follower.stop();
  }, [store, config, now, loadPlan, planEveryMs, frozen, started]);

  return { data, error, refresh: (section) => refreshRef.current(section) };
}
