// End-to-end: the built binary in tmux, read as often as tmux answers from the moment it starts:
// the first screen with the panes on it already has the figures (drawn before Ink loads,
// src/console/first-frame.ts), the panes do not move when Ink takes over, and Ink's screen leaves
// nothing of the first one behind. Read-only consoles: no poller changes the figures meanwhile.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../../src/store/testing/draft.js';
import { openStore } from '../../src/store/open.js';
import { alert } from '../../views/testing/fixtures.js';
import { HANG_MS } from '../helpers/bounds.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`imos-first-frame-${process.pid}`);
let workspace = '';

/**
 * Every screen tmux shows from the start until a whole frame is on it: panes (the skeleton has
 * none) down to the footer of key hints, its last row (tmux may show a frame half written).
 */
async function firstScreens(session: string): Promise<{ panes: string; full: string }> {
  const until = Date.now() + HANG_MS;
  let panes: string | null = null;
  for (let i = 0; i < 5000 && Date.now() < until; i++) {
    const screen = tmux.capture(session);
    if (/[╔┌]/.test(screen)) panes ??= screen;
    if (panes && /q quit\s*$/.test(screen)) return { panes, full: screen };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no whole frame within ${HANG_MS} ms:\n${tmux.capture(session)}`);
}

describe.skipIf(!hasTmux)('the console’s first full frame in tmux', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-first-frame-e2e-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true, filter: (from) => !from.includes(`${path.sep}.imos`) });
    // An alert whose message tries to retitle the terminal and clear it.
    const store = await openStore(path.join(workspace, '.imos/imos.json'));
    await seedStore(store, { alerts: [alert('A1', 'HIGH', 'hotel-pms', 'sync failed \u001b]2;pwned\u0007\u001b[2J after', 5 * 60_000)] });
    await store.close();
  });

  afterAll(() => {
    tmux.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  for (const size of [
    { x: 120, y: 40 },
    { x: 80, y: 24 },
  ]) {
    it(`at ${size.x}×${size.y}: the first screen with panes has the figures, and Ink draws the same screen over it`, async () => {
      const session = `s${size.x}`;
      tmux.start(session, workspace, `${consoleEnv()} ${imosCommand()} --config imos.yaml --readonly`, size);
      const { panes, full: first } = await firstScreens(session);
      expect(first).toMatch(/Integration completion\s+\d+% \(\d+\/\d+ tables\)/);
      expect(first).toMatch(/Checks passing\s+\d+\/\d+/);
      expect(first).toContain('q quit');
      if (size.x >= 120) {
        expect(first).toContain('4 systems');
        expect(first).toMatch(/HIGH A1 +sync failed after/);
      }
      expect(first).not.toContain('loading');
      // Ink has the keyboard: Tab moves the focus, Shift-Tab brings it back to the first screen.
      tmux.keys(session, 'Tab');
      await tmux.waitFor(session, /[║╔═]*2 Systems/);
      await tmux.waitFor(session, (s) => /^Enter open/m.test(s));
      tmux.keys(session, 'BTab');
      const after = await tmux.waitFor(session, (s) => /^Tab pane/m.test(s) && /║1 Overview/.test(s));
      // Below the header (its clock moves), Ink's screen is the first one: same panes, same
      // places, nothing left over.
      expect(after.split('\n').slice(1)).toEqual(first.split('\n').slice(1));
      // The first panes ever seen (perhaps half drawn) are already where they stay: no pane jumps.
      const final = after.split('\n');
      panes.split('\n').forEach((row, i) => {
        if (i > 0 && row.trim()) expect(final[i]!.startsWith(row.trimEnd())).toBe(true);
      });
      expect(tmux.run('display-message', '-p', '-t', session, '#{pane_title}')).not.toContain('pwned');
      tmux.keys(session, 'q');
      await tmux.waitFor(session, 'EXITED-0');
    });
  }
});
