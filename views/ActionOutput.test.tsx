// Running a playbook action from the console: the alert's detail shows its playbook; x and the
// action's number ask first, naming the exact command (and the phrase when it wants one); the real
// script's output streams into a pane, sanitised and scrollable; read-only consoles run nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaybookConfig } from '../src/config/types.js';
import { consoleScreens } from './testing/console.js';
import { KEY } from './testing/render.js';
import { isProcessRunning } from '../src/processes.js';
import { HANG_MS, waitUntil } from '../test/helpers/bounds.js';

const screens = consoleScreens();
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-console-run-'));
  fs.writeFileSync(
    path.join(dir, 'restart.sh'),
    `#!/bin/sh\nprintf '\\033]0;pwned\\007\\033[2Jrestarting %s\\n' "$1"\ni=0\nwhile [ $i -lt 40 ]; do echo "line $i"; i=$((i+1)); done\necho x >> ./ran\n`,
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A script that runs until ./release appears (at most 20 s), saying its pid first. */
const slowScript = () => {
  fs.writeFileSync(path.join(dir, 'slow.sh'), '#!/bin/sh\necho $$ > ./slow.pid\necho waiting\ni=0\nwhile [ ! -f ./release ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\n', { mode: 0o755 });
  fs.rmSync(path.join(dir, 'slow.pid'), { force: true });
};

const playbooks = (): PlaybookConfig[] => [
  {
    id: 'conn-recovery',
    alertTypes: ['SYSTEM_CONNECTION_FAILURE'],
    checks: [],
    coordinate: ['leader'],
    runbook: '## When the API is down\n- Look at its **logs** first\n- Then restart it',
    actions: [
      { id: 'restart', title: 'Restart the API', run: ['./restart.sh', '{which}'], cwd: dir, env: {}, timeoutMs: 10_000, confirm: null, allow: ['anyone'], overlap: false, keepLines: 200, args: [{ name: 'which', choices: ['member', 'pms'], default: 'member' }] },
      { id: 'wipe', title: 'Wipe the cache', run: ['./restart.sh', 'wipe'], cwd: dir, env: {}, timeoutMs: 10_000, confirm: 'wipe it', allow: ['anyone'], overlap: false, keepLines: 200, args: [] },
    ],
    allowSlackActions: false,
  },
];
const runs = () => (fs.existsSync(path.join(dir, 'ran')) ? fs.readFileSync(path.join(dir, 'ran'), 'utf8').split('\n').filter(Boolean).length : 0);

describe('playbook actions in the console', () => {
  it('shows the playbook, asks naming the command, streams the sanitised output, scrolls', async () => {
    const { r, actions } = await screens.open({ playbooks: playbooks() }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    let f = await r.waitFor('Playbook conn-recovery');
    expect(f).toContain('WHEN THE API IS DOWN');
    expect(f).toContain('• Look at its logs first');
    expect(f).toContain('1 Restart the API: ./restart.sh member');
    expect(f).toContain('2 Wipe the cache: ./restart.sh wipe (asks for a phrase)');
    await r.press('x');
    await r.waitFor('run which action for A4? 1 Restart the API · 2 Wipe the cache');
    await r.press('1');
    f = await r.waitFor(`run ./restart.sh member for A4? (←/→ which: member|pms) (in ${dir}) y runs`);
    // The argument's other value, from its choices only: the command shown follows.
    await r.press(KEY.right);
    await r.waitFor(`run ./restart.sh pms for A4?`);
    await r.press(KEY.right);
    await r.waitFor(`run ./restart.sh member for A4?`);
    expect(runs()).toBe(0);
    await r.press('y');
    f = await r.waitFor(/restart: exit 0 after/);
    expect(f).toContain('▶ Restart the API (A4): ./restart.sh member');
    expect(f).toContain('line 39');
    expect(f).not.toContain('line 0\n');
    expect(f).not.toContain('pwned');
    expect(runs()).toBe(1);
    // Scroll to the top: the first line, stripped of its escape sequences.
    await r.press('g');
    f = await r.waitFor('restarting member');
    expect(f).toContain('line 0');
    expect(f).not.toContain('line 39');
    await r.press('j', 'j');
    expect(await r.waitFor('line 2')).not.toContain('restarting member');
    await r.press(KEY.esc);
    await r.waitFor('Playbook conn-recovery');
    // The alert's check was asked to run again at once.
    expect(actions.calls.map((c) => c.action)).toEqual(expect.arrayContaining(['runAction', 'recheck']));
    // The run is in the alert's history: who ran what, how it ended, its last lines.
    await r.press('G');
    f = await r.waitFor('Runs (newest first)');
    expect(f).toMatch(/\d\d:\d\d suno ran conn-recovery\.restart: \.\/restart\.sh member — exit 0 after/);
    expect(f).toContain('  line 39');
    expect(f).not.toContain('  line 34');
  });

  it('runs with the argument value chosen in the confirmation', async () => {
    const { r, actions } = await screens.open({ playbooks: playbooks() }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('Playbook conn-recovery');
    await r.press('x', '1');
    await r.waitFor('run ./restart.sh member');
    await r.press(KEY.left);
    await r.waitFor('run ./restart.sh pms');
    await r.press('y');
    await r.waitFor(/restart: exit 0 after/);
    await r.press('g');
    expect(await r.waitFor('restarting pms')).toContain('▶ Restart the API (A4): ./restart.sh pms');
    expect(actions.calls.find((c) => c.action === 'runAction')?.args).toEqual(['A4', 'restart', { which: 'pms' }]);
  });

  it('switches every argument that has choices: Tab picks the argument, ←/→ its value', async () => {
    const two = playbooks();
    two[0]!.actions[0] = { ...two[0]!.actions[0]!, run: ['./restart.sh', '{which}', '{mode}'], args: [{ name: 'which', choices: ['member', 'pms'], default: 'member' }, { name: 'mode', choices: ['soft', 'hard'], default: 'soft' }] };
    const { r, actions } = await screens.open({ playbooks: two }, 120, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('Playbook conn-recovery');
    await r.press('x', '1');
    await r.waitFor('run ./restart.sh member soft');
    expect(r.frame()).toContain('(Tab argument, ←/→ value: ▸which: member|pms · mode: soft|hard)');
    await r.press(KEY.tab);
    await r.waitFor('▸mode: soft|hard');
    await r.press(KEY.right);
    await r.waitFor('run ./restart.sh member hard');
    // The argument in focus stays after the command was checked again.
    expect(r.frame()).toContain('▸mode: soft|hard');
    await r.press(KEY.tab, KEY.left);
    await r.waitFor('run ./restart.sh pms hard');
    await r.press('y');
    await r.waitFor(/restart: exit 0 after/);
    expect(actions.calls.find((c) => c.action === 'runAction')?.args).toEqual(['A4', 'restart', { which: 'pms', mode: 'hard' }]);
  });

  it('runs an action that asks for a phrase only when the phrase is typed', async () => {
    const { r } = await screens.open({ playbooks: playbooks() }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('Playbook conn-recovery');
    const before = runs();
    await r.press('x', '2');
    await r.waitFor('run ./restart.sh wipe for A4? type "wipe it"');
    await r.type('wipe');
    await r.press(KEY.enter);
    await r.waitFor('the phrase does not match: wipe not run');
    expect(runs()).toBe(before);
    await r.press('x', '2');
    await r.waitFor('type "wipe it"');
    await r.type('wipe it');
    await r.press(KEY.enter);
    await r.waitFor(/wipe: exit 0 after/);
    expect(runs()).toBe(before + 1);
  });

  it('quitting while an action runs asks once, then stops it and records it before the console goes', async () => {
    slowScript();
    const slow = playbooks();
    slow[0]!.actions.push({ id: 'slow', title: 'Wait', run: ['./slow.sh'], cwd: dir, env: {}, timeoutMs: 30_000, confirm: null, allow: ['anyone'], overlap: false, keepLines: 200, args: [] });
    const { r, actions, store, quits } = await screens.open({ playbooks: slow }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('Playbook conn-recovery');
    await r.press('x', '3');
    await r.waitFor('run ./slow.sh for A4?');
    await r.press('y');
    await r.waitFor('waiting');
    await waitUntil('the script to say its pid', () => fs.existsSync(path.join(dir, 'slow.pid')), HANG_MS, 25);
    const pid = Number(fs.readFileSync(path.join(dir, 'slow.pid'), 'utf8'));
    await r.press(KEY.esc, KEY.esc);
    await r.press('q');
    await r.waitFor('slow still running: q again stops it and quits');
    expect(quits()).toBe(0);
    expect(isProcessRunning(pid)).toBe(true);
    await r.press('q');
    await waitUntil('the console to quit', () => quits() > 0, HANG_MS, 25);
    expect(quits()).toBe(1);
    expect(isProcessRunning(pid)).toBe(false);
    expect(actions.calls.map((c) => c.action)).toContain('stopActions');
    // Recorded as stopped, and no check asked to run for a run that was stopped.
    const run = (await store.readAudit()).filter((e) => e.action === 'action-run').at(-1);
    expect(run).toMatchObject({ actor: 'suno', target: 'A4', detail: { action: 'slow', outcome: 'stopped' } });
    expect(actions.calls.filter((c) => c.action === 'recheck')).toEqual([]);
  });

  it('refuses a person allow does not name before asking, naming the rule', async () => {
    const before = runs();
    const guarded = playbooks();
    guarded[0]!.actions[0] = { ...guarded[0]!.actions[0]!, allow: ['manager'] };
    const { r, actions } = await screens.open({ playbooks: guarded }, 140, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('Playbook conn-recovery');
    await r.press('x', '1');
    await r.waitFor('suno may not run restart: playbooks.conn-recovery.actions.restart.allow is [manager]');
    await r.press('y');
    expect(r.frame()).not.toContain('y runs');
    expect(actions.calls.filter((c) => c.action === 'runAction')).toEqual([]);
    expect(runs()).toBe(before);
  });

  it('runs nothing on the wallboard', async () => {
    const before = runs();
    const { r, actions } = await screens.open({ playbooks: playbooks(), wallboard: true, cycleMs: 60_000 }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter, 'x', '1', 'y');
    expect(r.frame()).not.toContain('run which action');
    expect(actions.calls.filter((c) => c.action === 'runAction')).toEqual([]);
    expect(runs()).toBe(before);
  });

  it('runs nothing in a read-only console', async () => {
    const { r, actions } = await screens.open({ playbooks: playbooks(), readonly: true }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    const f = await r.waitFor('Playbook conn-recovery');
    expect(f).toContain('Actions (read-only console: run them elsewhere)');
    expect(f).not.toContain('x action');
    await r.press('x', '1', 'y');
    expect(r.frame()).not.toContain('run which action');
    expect(actions.calls.filter((c) => c.action === 'runAction')).toEqual([]);
  });
});
