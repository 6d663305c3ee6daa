// A store for benchmarks of the engine: sections live in memory and each update is applied in
// place, with no copy, no validation and no file. It is the least any store can cost, so that a
// figure measured with it belongs to the scheduler and the runner; the time spent in its calls is
// counted all the same (`writeMs`), and the engine bench runs the real store separately.
import { performance } from 'node:perf_hooks';
import type { AuditEntry } from '../../../src/model.js';
import { emptySection, type SectionName, type Sections, type Store } from '../../../src/store/types.js';

export class LedgerStore implements Store {
  readonly location = 'memory (bench ledger)';
  readonly sections: Sections = { core: emptySection('core'), results: emptySection('results'), lease: emptySection('lease') };
  writes = 0;
  writeMs = 0;
  private queue: Promise<unknown> = Promise.resolve();

  async read<S extends SectionName>(section: S): Promise<Sections[S]> {
    return structuredClone(this.sections[section]);
  }

  update<S extends SectionName, R>(section: S, fn: (data: Sections[S]) => R | Promise<R>): Promise<R> {
    const run = this.queue.then(async () => {
      const started = performance.now();
      try {
        return await fn(this.sections[section]);
      } finally {
        this.writes++;
        this.writeMs += performance.now() - started;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async appendAudit(_entries: AuditEntry[]): Promise<void> {}
  async readAudit(): Promise<AuditEntry[]> {
    return [];
  }
  watch(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
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
