// Test support for check kinds: a CheckContext with real time and a real AbortSignal.
import type { CheckContext, ResourceRegistry } from '../types.js';

export function simpleResources(): ResourceRegistry {
  const items = new Map<string, { resource: unknown; dispose: (r: unknown) => Promise<void> | void }>();
  return {
    get<T>(key: string, create: () => T, dispose: (resource: T) => Promise<void> | void): T {
      if (!items.has(key)) items.set(key, { resource: create(), dispose: dispose as (r: unknown) => Promise<void> | void });
      return items.get(key)!.resource as T;
    },
    async drop(key) {
      const item = items.get(key);
      items.delete(key);
      if (item) await item.dispose(item.resource);
    },
    async closeAll() {
      for (const key of [...items.keys()]) await this.drop(key);
    },
  };
}

/**
 * A context whose signal aborts after `timeoutMs`, as the engine's does (pass `signal` to abort
 * it yourself instead).
 */
export function checkContext(options: { timeoutMs?: number; baseDir?: string; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): CheckContext {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    signal: options.signal ?? AbortSignal.timeout(timeoutMs),
    timeoutMs,
    baseDir: options.baseDir ?? process.cwd(),
    env: options.env ?? process.env,
    now: () => Date.now(),
    resources: simpleResources(),
  };
}
