// A store for benchmarks of the engine: the in-memory store (no file, no lock, no fsync), so that a
// figure measured with it belongs to the scheduler and the runner; the time spent in its calls is
// counted all the same (`writeMs`), and the engine bench runs the real store separately.
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { SectionName, Store, TransactOptions } from '../../../src/store/types.js';
import type { Tx } from '../../../src/store/tx.js';

export class LedgerStore extends MemoryStore {
  writeCount = 0;
  writeMs = 0;

  override async transact<R>(section: SectionName, fn: (tx: Tx) => R, options: TransactOptions = {}): Promise<R> {
    const started = performance.now();
    try {
      return await super.transact(section, fn, options);
    } finally {
      this.writeCount++;
      this.writeMs += performance.now() - started;
    }
  }
}

/** Wraps a store so that the time spent in each of its methods (call to settle) is counted. */
export function timedStore(store: Store): { store: Store; calls: Map<string, { n: number; ms: number }> } {
  const calls = new Map<string, { n: number; ms: number }>();
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const count = () => {
          const entry = calls.get(key) ?? { n: 0, ms: 0 };
          entry.n++;
          entry.ms += performance.now() - started;
          calls.set(key, entry);
        };
        const out = value.apply(target, args);
        if (out && typeof (out as Promise<unknown>).finally === 'function') return (out as Promise<unknown>).finally(count);
        count();
        return out;
      };
    },
  });
  return { store: proxy, calls };
}
