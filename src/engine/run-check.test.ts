import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../config/load.js';
import { systemClock } from '../time/clock.js';
import { createResourceRegistry } from './resources.js';
import { runCheck } from './run-check.js';

describe('runCheck', () => {
  it('leaves no listener behind on the shutdown signal (a daemon runs checks forever)', async () => {
    const config = loadConfigText(
      `project: p\nsystems: { s: { name: S } }\nchecks:\n  - { id: c, system: s, kind: command, run: ["${process.execPath}", "-e", "0"] }\n`,
      '/tmp/imos.yaml',
      { env: {} },
    );
    const shutdown = new AbortController();
    const resources = createResourceRegistry();
    for (let i = 0; i < 3; i++) {
      const result = await runCheck(config.checks[0]!, { clock: systemClock, baseDir: '/tmp', env: {}, resources, signal: shutdown.signal });
      expect(result.runStatus).toBe('ok');
    }
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    await resources.closeAll();
  });
});
