// The console for a full day's use, as the real binary in tmux: who acts (a standup someone else
// entered today), a workspace that disappears under a console, the `:` line's history and Tab.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
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

    // A workspace that refuses unknown names: the console opens read-only and says why.
    appendFileSync(path.join(workspace, 'imos.yaml'), '\nidentity:\n  unknown_actors: refuse\n');
    tmux.start('refused', workspace, `${consoleEnv()} ${imosCommand()} console --config imos.yaml --as visitor`);
    const refused = await tmux.waitFor('refused', /as visitor ✖ not in people · read-only/);
    expect(refused).not.toMatch(/\bs standup\b/);
    tmux.keys('refused', 's');
    await new Promise((r) => setTimeout(r, 500));
    expect(tmux.capture('refused')).not.toContain('Standup 20');
    tmux.keys('refused', 'q');
    await tmux.waitFor('refused', 'EXITED-0');
  });
});

describe.skipIf(!hasTmux)('the : line in tmux', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'imos-day-line-'));
    cpSync(path.join(ROOT, 'data/example'), dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a hint, completes with Tab, and keeps its history across sessions', async () => {
    const start = (session: string) => tmux.start(session, dir, `${consoleEnv()} ${imosCommand()} console --config imos.yaml --as suno`);
    start('line1');
    await tmux.waitFor('line1', /hotel-pms/);
    tmux.keys('line1', ':');
    await tmux.waitFor('line1', /^:▏\s+Tab completes · ↑\/↓ earlier lines/m);
    // Tab completes the command, then a matrix item (hotel-p → hotel-pms), then a status.
    tmux.type('line1', 'se');
    tmux.keys('line1', 'Tab');
    await tmux.waitFor('line1', /^:set ▏\s+:set ITEM STATUS — Matrix status/m);
    tmux.type('line1', 'hotel-p');
    tmux.keys('line1', 'Tab');
    await tmux.waitFor('line1', /^:set hotel-pms ▏/m);
    tmux.type('line1', 'zz');
    tmux.keys('line1', 'C-u');
    tmux.type('line1', 'help');
    tmux.keys('line1', 'Enter');
    await tmux.waitFor('line1', 'Command line');
    tmux.keys('line1', 'Escape');
    await tmux.waitFor('line1', (screen) => !screen.includes('Command line'));
    tmux.keys('line1', 'q');
    await tmux.waitFor('line1', 'EXITED-0');
    expect(readFileSync(path.join(dir, '.imos', 'imos.commands-suno.txt'), 'utf8')).toBe('help\n');

    // A new session: ↑ brings the last line back.
    start('line2');
    await tmux.waitFor('line2', /hotel-pms/);
    tmux.keys('line2', ':', 'Up');
    await tmux.waitFor('line2', /^:help▏/m);
    tmux.keys('line2', 'Down');
    await tmux.waitFor('line2', /^:▏/m);
    tmux.keys('line2', 'Escape');
    await tmux.waitFor('line2', (screen) => !/^:/m.test(screen));
    tmux.keys('line2', 'q');
    await tmux.waitFor('line2', 'EXITED-0');
  });
});

describe.skipIf(!hasTmux)('the demo ended under a second console', () => {
  const demoTmp = mkdtempSync(path.join(tmpdir(), 'imos-day-demo-'));
  afterAll(() => {
    tmux.kill();
    rmSync(demoTmp, { recursive: true, force: true });
  });

  it('the second console says the workspace is gone, stops polling, and recreates nothing', async () => {
    // The demo's console (no PostgreSQL: quicker, and nothing here needs it) in one pane…
    tmux.start('demo', ROOT, `${consoleEnv({ TMPDIR: demoTmp })} ${imosCommand()} demo --no-postgres --port 0`, { x: 160, y: 40 });
    const screen = await tmux.waitFor('demo', /second console: imos console --config \S+imos\.yaml/, 60_000);
    expect(screen).toMatch(/demo \d\d:\d\d.*\(scripted day\)/);
    const configFile = /second console: imos console --config (\S+imos\.yaml)/.exec(screen)![1]!;
    const workspaceDir = path.dirname(configFile);
    expect(existsSync(path.join(workspaceDir, '.imos'))).toBe(true);
    // …and a second console attached with the command it prints.
    const log = path.join(demoTmp, 'second.log');
    tmux.start('second', ROOT, `${consoleEnv({ IMOS_CONSOLE_LOG: log })} ${imosCommand()} console --config ${JSON.stringify(configFile)} --as suno`, { x: 120, y: 40 });
    await tmux.waitFor('second', /hotel-pms/);

    tmux.keys('demo', 'q');
    await tmux.waitFor('demo', 'EXITED-0');
    const gone = await tmux.waitFor('second', 'WORKSPACE GONE');
    // The demo removes its config and its store directory: whichever the console misses first is named.
    const named = new RegExp(`the workspace is gone: ${workspaceDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\.imos|imos\\.yaml) was removed`);
    expect(gone).toMatch(named);
    // Some seconds later: nothing was made again there, and no alert was opened by this console.
    await new Promise((r) => setTimeout(r, 3000));
    expect(existsSync(path.join(workspaceDir, '.imos'))).toBe(false);
    expect(existsSync(workspaceDir)).toBe(false);
    const after = tmux.capture('second');
    expect(after).toContain('WORKSPACE GONE');
    expect(after).not.toMatch(/connection refused/i);
    tmux.keys('second', 'q');
    await tmux.waitFor('second', 'EXITED-0');
    }, 120_000);
});
