// Follows the store: loads every section once, then reloads only the section another process
// (or this one) changed, so that acknowledgements and standups from other consoles appear within
// a second. Section objects keep their identity when unchanged, so memoised rows stay valid.
import { useEffect, useRef, useState } from 'react';
import type { ImosConfig } from '../../src/config/types.js';
import type { WatchedName, Store } from '../../src/store/types.js';
import { loadConsoleData, reloadSection, type PlanLoader } from '../model/data.js';
import type { ConsoleData } from '../model/data.js';

export interface ConsoleDataState {
  data: ConsoleData | null;
  error: string | null;
  /** Reload now (after this console's own action, without waiting for the watcher). */
  refresh(section?: WatchedName | 'audit'): void;
}

/** What the header and the status line say while the store's server cannot be reached; null when it can. */
export function disconnectedText(store: Store): string | null {
  const health = store.health();
  if (health.connected) return null;
  const since = health.since ? ` since ${health.since.slice(11, 19)}Z` : '';
  return `store disconnected${since}: ${health.problem ?? 'no answer'}; showing the last state, reconnecting`;
}

export function useConsoleData(store: Store, config: ImosConfig, now: () => number, loadPlan?: PlanLoader, planEveryMs = 30_000): ConsoleDataState {
  const [data, setData] = useState<ConsoleData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dataRef = useRef<ConsoleData | null>(null);
  // Reloads run one at a time, in order: a later change is never overwritten by an earlier read.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const alive = useRef(true);
  const refreshRef = useRef<(section?: WatchedName | 'audit') => void>(() => {});

  useEffect(() => {
    alive.current = true;
    const enqueue = (job: () => Promise<ConsoleData>) => {
      queue.current = queue.current.then(async () => {
        if (!alive.current) return;
        try {
          const next = await job();
          if (!alive.current) return;
          dataRef.current = next;
          setData(next);
          // A shared store whose server cannot be reached answers with the last state it had: say so.
          setError(disconnectedText(store));
        } catch (err) {
          if (alive.current) setError(err instanceof Error ? err.message : String(err));
        }
      });
    };
    const reload = (section?: WatchedName) => {
      enqueue(() => {
        const current = dataRef.current;
        if (!current || !section) return loadConsoleData(store, config, now(), loadPlan);
        return reloadSection(store, config, current, section, now(), loadPlan);
      });
    };
    refreshRef.current = reload;
    reload();
    const unwatch = store.watch((section) => reload(section));
    // The matrix file is not in the store: re-read the plan figures now and then.
    const timer = loadPlan ? setInterval(() => reload('core'), planEveryMs) : null;
    timer?.unref?.();
    return () => {
      alive.current = false;
      unwatch();
      if (timer) clearInterval(timer);
    };
  }, [store, config, now, loadPlan, planEveryMs]);

  return { data, error, refresh: (section) => refreshRef.current(section) };
}
