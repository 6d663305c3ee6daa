// End-to-end: the real built binary (bin/imos.js → dist/imos.js) in tmux, on a copy of the example
// workspace, as people use it: two consoles see each other's acknowledgement, a standup is
// entered, the terminal is resized and given back on quit and on SIGTERM, the wallboard cycles
// without a keyboard. `CI` (and friends) are removed from the console's environment: Ink prints
// only the last frame under CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../../src/store/testing/draft.js';
import { openStore } from '../../src/store/open.js';
import { alert } from '../../views/testing/fixtures.js';
import { consoleEnv, hasTmux, IMOS_BIN, imosCommand, Tmux } from '../helpers/tmux.js';
import { CLI_HANG_MS, HANG_MS, waitUntil } from '../helpers/bounds.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = IMOS_BIN;
const tmuxServer = new Tmux(`imos-e2e-${process.pid}`);
const tmux = (...args: string[]): string => tmuxServer.run(...args);

let workspace = '';

function startConsole(session: string, args: string, size = { x: 120, y: 40 }, stdin = ''): void {
  tmuxServer.start(session, workspace, `echo BEFORE-${session}; ${consoleEnv()} ${imosCommand()} console --config imos.yaml ${args}${stdin}`, size);
}

const capture = (session: string) => tmuxServer.capture(session);
const waitForPane = (session: string, test: string | RegExp | ((screen: string) => boolean), timeoutMs = HANG_MS) => tmuxServer.waitFor(session, test, timeoutMs);
const keys = (session: string, ...list: string[]) => tmuxServer.keys(session, ...list);
const typeText = (session: string, text: string) => tmuxServer.type(session, text);

describe.skipIf(!hasTmux)('imos console in tmux', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-console-e2e-'));
    cpSync(path.join(ROOT, 'data/example'), workspace, { recursive: true });
    // A CRITICAL alert already open, so that the first frame has something to acknowledge.
    const store = await openStore(path.join(workspace, '.imos/imos.json'));
    await seedStore(store, {
      alerts: [alert('A1', 'CRITICAL', 'hotel-member', 'member-api: e2e seeded failure', 120_000, { checkId: 'member-api', fingerprint: 'member-api:E2E_SEEDED', type: 'E2E_SEEDED', openedAt: new Date(Date.now() - 120_000).toISOString() })],
    });
    await store.close();
  });

  afterAll(() => {
    tmuxServer.kill();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('acknowledge in one console shows in a second; a standup appears in both; resize; quit restores the terminal', async () => {
    startConsole('one', '--as suno');
    startConsole('two', '--as luna');
    await waitForPane('one', 'Integration completion');
    await waitForPane('two', 'Integration completion');
    // The poller lease: one of the two consoles holds it, and the header says so.
    await waitForPane('one', /poller: console \S+@\S+ pid \d+/);

    keys('one', '4');
    await waitForPane('one', /A1\s+member-api: e2e seeded/);
    keys('one', ':');
    typeText('one', 'ack A1 on it');
    keys('one', 'Enter');
    await waitForPane('one', /A1 .*ack suno/);
    keys('two', '4');
    await waitForPane('two', /A1 .*ack suno/);
    await waitForPane('two', 'suno ack A1 “on it”');

    // A standup from the second console (luna leads hotel-pms).
    keys('two', 's');
    await waitForPane('two', /System\s+‹ hotel-pms ›/);
    typeText('two', 'Reservation sync');
    keys('two', 'Enter');
    typeText('two', 'retries');
    keys('two', 'Tab');
    typeText('two', 'Cut over');
    keys('two', 'Tab', 'Enter');
    typeText('two', 'needs the unified schema');
    keys('two', 'Tab', 'Right', 'C-s');
    await waitForPane('two', /standup saved for hotel-pms/);
    await waitForPane('one', /Standups today\s+1\s+· open blockers 1/);

    // Resize to 80×24: one pane with a tab strip; back to 120×40: the grid.
    tmux('resize-window', '-t', 'one', '-x', '80', '-y', '24');
    await waitForPane('one', (s) => s.includes('1 Overview  2 Systems  3 Timeline  4 Alert center') && s.split('\n').every((l) => [...l].length <= 80));
    tmux('resize-window', '-t', 'one', '-x', '120', '-y', '40');
    await waitForPane('one', /1 Overview .*2 Systems/);

    const pidOf = (session: string) => execFileSync('pgrep', ['-P', tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim()], { encoding: 'utf8' }).trim().split('\n')[0]!;
    const [pidOne, pidTwo] = [pidOf('one'), pidOf('two')];
    const holder = await waitForPane('one', new RegExp(`poller: console \\S+ pid (${pidOne}|${pidTwo})\\b`));
    keys('one', 'q');
    const after = await waitForPane('one', 'EXITED-0');
    expect(after).toContain('BEFORE-one');
    expect(after).not.toContain('Integration completion');
    // Quitting hands the lease over: whichever held it, the second console holds it now.
    await waitForPane('two', `pid ${pidTwo} `);
    expect(holder).toBeTruthy();
    keys('two', 'q');
    await waitForPane('two', 'EXITED-0');
  }, 90_000); // two consoles and some twenty steps, each seconds long on a loaded machine

  it('the wallboard cycles the panes with no keyboard and gives the terminal back on SIGTERM', async () => {
    startConsole('wall', '--wallboard --cycle 1s', { x: 80, y: 24 }, ' < /dev/null');
    await waitForPane('wall', /wallboard/);
    await waitForPane('wall', /[║]2 Systems/);
    await waitForPane('wall', /[║]3 Timeline/);
    const panePid = tmux('display-message', '-p', '-t', 'wall', '#{pane_pid}').trim();
    const child = execFileSync('pgrep', ['-P', panePid], { encoding: 'utf8' }).trim().split('\n')[0]!;
    process.kill(Number(child), 'SIGTERM');
    const after = await waitForPane('wall', /EXITED-\d+/);
    expect(after).toContain('EXITED-143');
    expect(after).toContain('BEFORE-wall');
    expect(after).not.toContain('wallboard');
    // It held the poller lease (nobody else was polling) and gave it back before exiting.
    const lease = JSON.parse(readFileSync(path.join(workspace, '.imos/imos.lease.json'), 'utf8'));
    expect(lease.holder).toBeNull();
  });

  it('a terminal that goes away (tmux pane closed, SSH dropped) is a hangup: no crash, the lease is handed over', async () => {
    const errFile = path.join(workspace, 'hup.err');
    startConsole('hup', '--as suno', { x: 80, y: 24 }, ` 2>${JSON.stringify(errFile)}`);
    const panePid = tmux('display-message', '-p', '-t', 'hup', '#{pane_pid}').trim();
    await waitForPane('hup', /Integration completion/);
    const child = execFileSync('pgrep', ['-P', panePid], { encoding: 'utf8' }).trim().split('\n')[0]!;
    await waitForPane('hup', new RegExp(`poller: console \\S+ pid ${child}\\b`));
    tmux('kill-session', '-t', 'hup'); // the pty closes under it, then SIGHUP
    const leaseFile = path.join(workspace, '.imos/imos.lease.json');
    await waitUntil('the lease handed over', () => JSON.parse(readFileSync(leaseFile, 'utf8')).holder === null, HANG_MS, 100).catch((error: unknown) => {
      throw new Error(`${String(error)}; stderr: ${readFileSync(errFile, 'utf8').slice(0, 2000)}`);
    });
    expect(readFileSync(errFile, 'utf8')).not.toContain('the console crashed');
  });

  it('without a terminal on stdout, prints the plain summary and exits 0', () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_')) delete env[k];
    const out = execFileSync(process.execPath, [BIN, 'console', '--config', 'imos.yaml'], { cwd: workspace, env, encoding: 'utf8', timeout: CLI_HANG_MS });
    expect(out).toContain('Integration completion  85% (11/13 tables)');
    expect(out).toMatch(/Active alerts \(\d+\)/);
    expect(out).not.toContain('\u001b[');
  });

  it('refuses a bad --cycle with a one-line reason and exit 64', () => {
    const run = spawnSync(process.execPath, [BIN, 'console', '--config', 'imos.yaml', '--wallboard', '--cycle', 'soon'], { cwd: workspace, encoding: 'utf8', timeout: CLI_HANG_MS });
    expect(run.status).toBe(64);
    expect(run.stderr.trim()).toBe('imos: --cycle: "soon" is not a duration of at least 1s (e.g. 15s, 1m)');
  });

  it('`imos --wallboard --cycle 20s` (no command, as the README writes it) is the console, not a command "20s"', () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_')) delete env[k];
    const run = spawnSync(process.execPath, [BIN, '--config', 'imos.yaml', '--wallboard', '--cycle', '20s'], { cwd: workspace, env, encoding: 'utf8', timeout: CLI_HANG_MS });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Integration completion  85% (11/13 tables)');
    const bad = spawnSync(process.execPath, [BIN, '--wallboard', '--cycle', 'soon', '--config', 'imos.yaml'], { cwd: workspace, encoding: 'utf8', timeout: CLI_HANG_MS });
    expect(bad.status).toBe(64);
    expect(bad.stderr.trim()).toBe('imos: --cycle: "soon" is not a duration of at least 1s (e.g. 15s, 1m)');
  });
});
