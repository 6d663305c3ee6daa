// The `:` command table drives the command line: its parser, read-only mode and the help read the
// table, so an entry added to it (here, in the test) is parsed, refused when read-only and listed.
import { describe, expect, it } from 'vitest';
import { activeCommands, COMMANDS, parseCommandLine, usage, type LineCommand } from './commands.js';
import { KEYMAP } from './keymap.js';
import { newStandupForm } from './model/standup-form.js';
import { PANES } from './panes/components.js';
import { consoleScreens, setupConsole } from './testing/console.js';
import { hotelConfig } from './testing/fixtures.js';
import { KEY } from './testing/render.js';
import { initialUIState, runCommandLine, type RouterContext } from './ui-state.js';

const screens = consoleScreens();

const AGAIN: LineCommand = { names: ['again'], command: 'run-now', args: [], description: 'Run the checks again', changesState: true };
const WITH_AGAIN = [...COMMANDS, AGAIN];

const ctx = (readonly: boolean, commands: readonly LineCommand[] = COMMANDS): RouterContext => ({
  readonly,
  panes: PANES,
  counts: {},
  detailCount: 0,
  selectedAlertId: null,
  selectedSystemId: null,
  pageRows: 10,
  newStandup: () => newStandupForm(hotelConfig(), 'suno'),
  commands,
});

describe('the : command table', () => {
  it('parses a line into the command and its arguments by name, a rest argument taking several words', () => {
    expect(parseCommandLine(':ack a7 looking now')).toMatchObject({ kind: 'command', command: { command: 'ack' }, args: { ID: 'a7', note: 'looking now' } });
    expect(parseCommandLine('ACK A7')).toMatchObject({ kind: 'command', args: { ID: 'A7' } });
    expect(parseCommandLine('set T4 in progress')).toMatchObject({ kind: 'command', command: { command: 'matrix-set' }, args: { ITEM: 'T4', STATUS: 'in progress' } });
    expect(parseCommandLine('exit')).toMatchObject({ kind: 'command', command: { command: 'quit' } });
    expect(parseCommandLine('  ')).toEqual({ kind: 'empty' });
    expect(parseCommandLine('frobnicate x')).toEqual({ kind: 'unknown', name: 'frobnicate' });
  });

  it('says what a command takes when an argument is missing, with the hints of its arguments', () => {
    const message = (line: string) => {
      const p = parseCommandLine(line);
      return p.kind === 'usage' ? p.message : null;
    };
    expect(message('ack')).toBe('usage: :ack ID [note]');
    expect(message('unack')).toBe('usage: :unack ID');
    expect(message('snooze A1')).toBe('usage: :snooze ID DURATION (e.g. 30m, 2h)');
    expect(message('set T4')).toBe('usage: :set ITEM STATUS (done, in progress, todo, blocked; done --force NOTE)');
  });

  it('names where each argument’s values come from, for completion', () => {
    const sources = Object.fromEntries(COMMANDS.flatMap((c) => c.args.map((a) => [`${c.names[0]} ${a.name}`, a.complete])));
    expect(sources).toEqual({
      'ack ID': 'alert',
      'ack note': null,
      'unack ID': 'alert',
      'snooze ID': 'alert',
      'snooze DURATION': 'duration',
      'set ITEM': 'matrix-item',
      'set STATUS': 'matrix-status',
    });
  });

  it('agrees with the keymap on which actions change state, and every name is taken once', () => {
    for (const c of COMMANDS) {
      for (const b of KEYMAP.filter((k) => k.command === c.command)) expect([c.names[0], b.changesState]).toEqual([c.names[0], c.changesState]);
    }
    const names = COMMANDS.flatMap((c) => c.names);
    expect(new Set(names).size).toBe(names.length);
    expect(activeCommands(true).map(usage)).toEqual([':help', ':q']);
  });

  it('an entry added to the table runs its action, and is refused in read-only mode because it changes state', () => {
    const s = initialUIState('overview');
    expect(runCommandLine(s, 'again', ctx(false, WITH_AGAIN)).effect).toEqual({ type: 'run-now' });
    const refused = runCommandLine(s, 'again', ctx(true, WITH_AGAIN));
    expect(refused.effect).toBeNull();
    expect(refused.state.status).toEqual({ text: 'read-only console: actions that change state are off', tone: 'critical' });
    expect(runCommandLine(s, 'again', ctx(true, [...COMMANDS, { ...AGAIN, changesState: false }])).effect).toEqual({ type: 'run-now' });
    expect(runCommandLine(s, 'again', ctx(false)).state.status?.text).toContain('unknown command ":again"');
  });

  it('the help lists the table’s entries with their descriptions, without the state-changing ones when read-only', async () => {
    const { r } = await screens.open({ commands: WITH_AGAIN }, 160, 48);
    await r.press('?');
    let f = r.frame();
    expect(f).toMatch(/:again +Run the checks again/);
    expect(f).toMatch(/:snooze ID DURATION +Snooze \(30m, 2h\)/);
    await r.press(KEY.esc, ':');
    await r.type('again');
    await r.press(KEY.enter);
    await r.waitFor('run requested');
    await r.unmount();

    const ro = await screens.open({ readonly: true, commands: WITH_AGAIN }, 160, 48);
    await ro.r.press('?');
    f = ro.r.frame();
    expect(f).not.toContain(':again');
    expect(f).not.toContain(':ack');
    expect(f).toMatch(/:help +This help/);
  });
});
