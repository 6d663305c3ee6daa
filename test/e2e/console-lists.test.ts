// End-to-end: the built binary in tmux at 80×24 with 40 open alerts: the alert center says where
// it is, scrolls with the selection to the last alert (j and G), and f zooms a pane to the whole
// screen and back. Read-only consoles: no poller adds alerts while the test counts them.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../../src/store/testing/draft.js';
import { openStore } from '../../src/store/open.js';
import { alert } from '../../views/testing/fixtures.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`imos-lists-${process.pid}`);
const imos = (args: string) => `${consoleEnv()} ${imosCommand()} ${args}`;
let workspace = '';

const activeIds = (screen: string) => screen.split('\n').flatMap((l) => /HIGH +(A\d+) /.exec(l)?.[1] ?? []);

describe.skipIf(!hasTmux)('lists of the real console in tmux', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-lists-e2e-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true, filter: (from) => !from.includes(`${path.sep}.imos`) });
    // 40 HIGH alerts, A1 the oldest (listed first), A40 the newest (listed last).
    const now = Date.now();
    const store = await openStore(path.join(workspace, '.imos/imos.json'));
    await seedStore(store, {
      alerts: Array.from({ length: 40 }, (_, i) =>
        alert(`A${i + 1}`, 'HIGH', 'hotel-pms', `seeded failure ${i + 1}`, (41 - i) * 60_000, {
          fingerprint: `seeded:${i + 1}`,
          openedAt: new Date(now - (41 - i) * 60_000).toISOString(),
          lastSeenAt: new Date(now).toISOString(),
        }),
      ),
    });
    await store.close();
  });

  afterAll(() => {
    tmux.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('at 80×24 the alert center scrolls to the last of 40 alerts and says where it is', async () => {
    tmux.start('scroll', workspace, imos('console --config imos.yaml --readonly'), { x: 80, y: 24 });
    await tmux.waitFor('scroll', 'Integration completion');
    tmux.keys('scroll', '4');
    let screen = await tmux.waitFor('scroll', /1–\d+ of 40 · \+\d+ more ↓/);
    expect(screen).toContain('Active 40');
    expect(activeIds(screen)[0]).toBe('A1');
    // j moves the selection; the window follows it past the bottom (three rows past it here).
    const visible = activeIds(screen).length;
    for (let i = 0; i < visible + 2; i++) tmux.keys('scroll', 'j');
    screen = await tmux.waitFor('scroll', new RegExp(`4–${visible + 3} of 40 · ↑3 · \\+${40 - visible - 3} more ↓`));
    expect(activeIds(screen)).not.toContain('A1');
    // G: the last alert, and nothing more below.
    tmux.keys('scroll', 'G');
    screen = await tmux.waitFor('scroll', /\d+–40 of 40 · ↑\d+/);
    expect(activeIds(screen)).toContain('A40');
    expect(screen).not.toContain('more ↓');
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    tmux.keys('scroll', 'q');
    await tmux.waitFor('scroll', 'EXITED-0');
  });

  it('f zooms the focused pane to the whole screen and back', async () => {
    tmux.start('zoom', workspace, imos('console --config imos.yaml --readonly'), { x: 120, y: 40 });
    await tmux.waitFor('zoom', /1 Overview .*2 Systems/);
    tmux.keys('zoom', '4');
    const grid = await tmux.waitFor('zoom', /4 Alert center/);
    const before = activeIds(grid).length;
    tmux.keys('zoom', 'f');
    const zoomed = await tmux.waitFor('zoom', /4 Alert center +40 active · f: back/);
    expect(zoomed).not.toContain('1 Overview');
    expect(zoomed).not.toContain('2 Systems');
    expect(activeIds(zoomed).length).toBeGreaterThan(before);
    tmux.keys('zoom', 'f');
    await tmux.waitFor('zoom', (s) => s.includes('1 Overview') && s.includes('2 Systems') && !s.includes('f: back'));
    tmux.keys('zoom', 'q');
    await tmux.waitFor('zoom', 'EXITED-0');
  });
});
