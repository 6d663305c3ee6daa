// Pooled resources shared by checks (one pg pool per database URL, …), created on first use and
// closed on shutdown. A check drops a resource that went bad (a server that went away) so the
// next run builds a fresh one: a database that comes back is picked up without a restart.
import type { ResourceRegistry } from '../../checks/types.js';

interface Entry {
  resource: unknown;
  dispose: (resource: unknown) => Promise<void> | void;
}

export function createResourceRegistry(): ResourceRegistry {
  const entries = new Map<string, Entry>();

  const disposeQuietly = async (entry: Entry): Promise<void> => {
    try {
      await entry.dispose(entry.resource);
    } catch {
      // a resource that fails to close is gone anyway; shutdown must not stall on it
    }
  };

  return {
    get<T>(key: string, create: () => T, dispose: (resource: T) => Promise<void> | void): T {
      const existing = entries.get(key);
      if (existing) return existing.resource as T;
      const resource = create();
      entries.set(key, { resource, dispose: dispose as Entry['dispose'] });
      return resource;
    },
    async drop(key: string): Promise<void> {
      const entry = entries.get(key);
      if (!entry) return;
      // Forget it first: a check running meanwhile gets a fresh resource, not the dying one.
      entries.delete(key);
      await disposeQuietly(entry);
    },
    async closeAll(): Promise<void> {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map(disposeQuietly));
    },
  };
}
