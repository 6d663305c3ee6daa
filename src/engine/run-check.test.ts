import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startHttpTarget } from '../../test/helpers/http-target.js';
import { loadConfigText } from '../config/load.js';
import { systemClock } from '../time/clock.js';
import { createResourceRegistry } from './resources.js';
import { checkTarget, runCheck } from './run-check.js';

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

  it('holds one listener on the shutdown signal however many checks run at once (no MaxListenersExceededWarning)', async () => {
    const target = await startHttpTarget({ '/slow': (_req, res) => void setTimeout(() => res.end('ok'), 50) });
    const config = loadConfigText(
      `project: p\nsystems: { s: { name: S } }\nchecks:\n  - { id: c, system: s, kind: http, url: "${target.url}/slow" }\n`,
      '/tmp/imos.yaml',
      { env: {} },
    );
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const shutdown = new AbortController();
    const resources = createResourceRegistry();
    try {
      const peak = { listeners: 0 };
      const runs = Array.from({ length: 40 }, () =>
        runCheck(config.checks[0]!, { clock: systemClock, baseDir: '/tmp', env: {}, resources, signal: shutdown.signal }),
      );
      peak.listeners = getEventListeners(shutdown.signal, 'abort').length;
      const results = await Promise.all(runs);
      expect(results.map((r) => r.runStatus)).toEqual(Array(40).fill('ok'));
      expect(peak.listeners).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await resources.closeAll();
      await target.close();
    }
  });

  it('a shutdown aborts every running check at once', async () => {
    const target = await startHttpTarget({ '/hang': () => new Promise(() => {}) });
    const config = loadConfigText(
      `project: p\nsystems: { s: { name: S } }\nchecks:\n  - { id: c, system: s, kind: http, url: "${target.url}/hang", timeout: 60s }\n`,
      '/tmp/imos.yaml',
      { env: {} },
    );
    const shutdown = new AbortController();
    const resources = createResourceRegistry();
    try {
      const runs = Array.from({ length: 20 }, () =>
        runCheck(config.checks[0]!, { clock: systemClock, baseDir: '/tmp', env: {}, resources, signal: shutdown.signal }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      shutdown.abort();
      const results = await Promise.all(runs);
      expect(new Set(results.map((r) => r.message))).toEqual(new Set(['aborted: imos is shutting down']));
      // A check started after the shutdown does not run at all.
      const late = await runCheck(config.checks[0]!, { clock: systemClock, baseDir: '/tmp', env: {}, resources, signal: shutdown.signal });
      expect(late.message).toBe('aborted: imos is shutting down');
      expect(getEventListeners(shutdown.signal, 'abort').length).toBeLessThanOrEqual(1);
    } finally {
      await resources.closeAll();
      await target.close();
    }
  });

  it('names each check\'s target: an HTTP host, a database server, this machine for programs', () => {
    const config = loadConfigText(
      `project: p
systems: { s: { name: S } }
checks:
  - { id: h1, system: s, kind: http, url: "http://127.0.0.1:8001/health" }
  - { id: h2, system: s, kind: http, url: "http://127.0.0.1:8001/other?x=1" }
  - { id: h3, system: s, kind: http, url: "http://127.0.0.1:8002/health" }
  - { id: c1, system: s, kind: command, run: [true] }
  - { id: t1, system: s, kind: typescript, project: . }
  - { id: p1, system: s, kind: postgres, url: "postgresql://a:secret@db.example:5432/one" }
  - { id: p2, system: s, kind: sql, url: "postgresql://b@db.example:5432/two", query: "select 1" }
  - { id: p3, system: s, kind: postgres, url: "postgresql://a@db.example:5433/one" }
`,
      '/tmp/imos.yaml',
      { env: {} },
    );
    const target = Object.fromEntries(config.checks.map((c) => [c.id, checkTarget(c)]));
    expect(target.h1).toBe(target.h2);
    expect(target.h1).not.toBe(target.h3);
    expect(target.c1).toBe(target.t1);
    expect(target.p1).toBe(target.p2);
    expect(target.p1).not.toBe(target.p3);
    expect(Object.values(target).join(' ')).not.toContain('secret');
  });
});
