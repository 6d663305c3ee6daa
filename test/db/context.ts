// A CheckContext for database-check tests: the real ResourceRegistry, a real abort signal.
import { createResourceRegistry } from '../../src/engine/resources.js';
import type { CheckContext, ResourceRegistry } from '../../checks/types.js';

export function checkContext(overrides: Partial<CheckContext> = {}): CheckContext & { resources: ResourceRegistry } {
  return {
    signal: new AbortController().signal,
    timeoutMs: 5000,
    baseDir: process.cwd(),
    env: {},
    now: () => Date.now(),
    resources: createResourceRegistry(),
    ...overrides,
  } as CheckContext & { resources: ResourceRegistry };
}
