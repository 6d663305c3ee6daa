// The console for a full day's use, as the real binary in tmux: who acts (a standup someone else
// entered today), a workspace that disappears under a console, the `:` line's history and Tab.
import { cpSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`imos-day-${process.pid}`);
let workspace = '';

describe.skipIf(!hasTmux)('the console in tmux, for a full day', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-day-e2e-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true });
  });

  afterAll(() => {
    tmux.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('acting as someone not in people: flagged; replacing the manager’s standup asks first; the history keeps both', async () => {
    const config = ['--config', path.join(workspace, 'imos.yaml')];
    const first = await runImos([...config, '--as', 'manager', 'standup', 'add', '--system', 'hotel-common', '--done', 'schema v2', '--next', 'room types']);
    expect(first.exitCode).toBe(0);

    tmux.start('who', workspace, `${consoleEnv()} ${imosCommand()} console --config imos.yaml --as visitor`);
    // The store is read (the manager's entry is listed) before the form is opened.
    const top = await tmux.waitFor('who', /✓ hotel-common\s+manager\s+schema v2/);
    expect(top.split('\n')[0]).toMatch(/as visitor ⚠ not in people \d\d:\d\d:\d\d\s*$/);
    tmux.keys('who', 's');
    await tmux.waitFor('who', /System\s+‹ hotel-common ›/);
    await tmux.waitFor('who', /editing manager’s entry of \d\d:\d\d/);
    tmux.type('who', ', indexes');
    tmux.keys('who', 'C-s');
    const asked = await tmux.waitFor('who', 'Replace manager’s standup?');
    expect(asked).toMatch(/manager entered today’s hotel-common standup at \d\d:\d\d/);
    tmux.keys('who', 'y');
    await tmux.waitFor('who', /standup updated for hotel-common/);
    tmux.keys('who', 'q');
    await tmux.waitFor('who', 'EXITED-0');

    const list = JSON.parse((await runImos([...config, 'standup', 'list', '--json'])).stdout);
    const entry = list.standups.find((s: { system: string }) => s.system === 'hotel-common');
    expect(entry).toMatchObject({ author: 'visitor', done: 'schema v2, indexes' });
    expect(entry.history).toEqual([expect.objectContaining({ author: 'manager', done: 'schema v2' })]);
  });
});
