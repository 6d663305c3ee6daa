import { describe, expect, it } from 'vitest';
import { newStandupForm } from './model/standup-form.js';
import { hotelConfig } from './testing/fixtures.js';
import { activeKeymap, KEYMAP, splitKeys } from './keymap.js';
import { PANES } from './panes/components.js';
import { initialUIState, routeKey, runCommandLine, type RouterContext, type UIState } from './ui-state.js';

const ctx = (readonly = false): RouterContext => ({
  readonly,
  panes: PANES,
  counts: { overview: 0, systems: 4, timeline: 2, alerts: 3 },
  detailCount: 3,
  selectedAlertId: 'A2',
  selectedSystemId: 'hotel-common',
  pageRows: 10,
  newStandup: () => newStandupForm(hotelConfig(), 'suno'),
});

const keys = (state: UIState, list: string[], c = ctx()) => {
  const effects = [];
  for (const k of list) {
    const r = routeKey(state, { name: k, input: k.length === 1 ? k : '' }, c);
    state = r.state;
    if (r.effect) effects.push(r.effect);
  }
  return { state, effects };
};

describe('key router', () => {
  it('moves between panes with Tab, Shift-Tab and 1–4', () => {
    expect(keys(initialUIState('overview'), ['tab']).state.pane).toBe('systems');
    expect(keys(initialUIState('overview'), ['shift+tab']).state.pane).toBe('alerts');
    expect(keys(initialUIState('overview'), ['3']).state.pane).toBe('timeline');
  });

  it('moves in the focused list within bounds, opens and closes a system', () => {
    let { state } = keys(initialUIState('systems'), ['j', 'j', 'down', 'j', 'j', 'k']);
    expect(state.selected.systems).toBe(2);
    ({ state } = keys(state, ['enter', 'j']));
    expect(state.detail).toEqual({ system: 'hotel-common', selected: 1 });
    ({ state } = keys(state, ['esc']));
    expect(state.detail).toBeNull();
  });

  it('Esc closes the view first, then clears the filter', () => {
    let { state } = keys(initialUIState('alerts'), ['/', 'p', 'm', 's', 'enter']);
    expect(state.filters.alerts).toBe('pms');
    ({ state } = keys(state, ['esc']));
    expect(state.filters.alerts).toBe('');
  });

  it('acknowledge asks for a note; snooze asks for a duration (default 1h)', () => {
    const { effects } = keys(initialUIState('alerts'), ['a', 'o', 'k', 'enter', 'z', 'enter', 'u']);
    expect(effects).toEqual([
      { type: 'ack', id: 'A2', note: 'ok' },
      { type: 'snooze', id: 'A2', duration: '1h' },
      { type: 'unack', id: 'A2' },
    ]);
  });

  it('the command line runs :ack, :standup and :q, and refuses unknown commands', () => {
    const s = initialUIState('overview');
    expect(runCommandLine(s, 'ack a7 looking now', ctx()).effect).toEqual({ type: 'ack', id: 'a7', note: 'looking now' });
    expect(runCommandLine(s, ':q', ctx()).effect).toEqual({ type: 'quit' });
    expect(runCommandLine(s, 'standup', ctx()).state.mode.kind).toBe('standup');
    expect(runCommandLine(s, 'frobnicate', ctx()).state.status?.text).toContain('unknown command');
    // The matrix, as `imos matrix set`: a status may be two words.
    expect(runCommandLine(s, 'set T4 in progress', ctx()).effect).toEqual({ type: 'matrix-set', item: 'T4', status: 'in progress' });
    expect(runCommandLine(s, 'set T4', ctx()).state.status?.text).toContain('usage: :set ITEM STATUS');
    expect(runCommandLine(s, 'set T4 done', ctx(true)).effect).toBeNull();
  });

  it('read-only removes every binding that changes state, and refuses them on the command line', () => {
    const ro = activeKeymap(true, PANES.length);
    expect(ro.some((b) => b.changesState)).toBe(false);
    expect(KEYMAP.filter((b) => b.changesState).map((b) => b.command).sort()).toEqual(['ack', 'pause', 'run-action', 'run-now', 'snooze', 'standup', 'unack']);
    const { state, effects } = keys(initialUIState('alerts'), ['a', 'u', 'z', 'x', 's', 'r', 'p'], ctx(true));
    expect(effects).toEqual([]);
    expect(state.mode.kind).toBe('normal');
    expect(runCommandLine(state, 'ack A1', ctx(true)).effect).toBeNull();
  });

  it('takes the Tab order, the number keys, the scopes and Enter / Esc from the panes it is given', () => {
    const panes: RouterContext['panes'] = [
      { id: 'a', scopes: () => [] },
      { id: 'b', scopes: () => ['list'], listLength: () => 3 },
      {
        id: 'c',
        scopes: () => ['alerts'],
        open: (s) => ({ ...s, status: { text: 'opened c', tone: 'ok' } }),
        close: (s) => (s.status ? { ...s, status: null } : null),
      },
    ];
    const c = { ...ctx(), panes, counts: { b: 3 } };
    expect(keys(initialUIState('a'), ['tab', 'tab', 'tab'], c).state.pane).toBe('a');
    expect(keys(initialUIState('a'), ['shift+tab'], c).state.pane).toBe('c');
    expect(keys(initialUIState('a'), ['3'], c).state.pane).toBe('c');
    expect(keys(initialUIState('a'), ['4'], c).state.pane).toBe('a');
    // j/k only where the pane has the list scope; within its list's length.
    expect(keys(initialUIState('a'), ['j'], c).state.selected).toEqual({});
    expect(keys(initialUIState('b'), ['j', 'j', 'j', 'j'], c).state.selected).toEqual({ b: 2 });
    // Enter opens what the pane opens; Esc closes it first.
    const opened = keys(initialUIState('c'), ['enter'], c).state;
    expect(opened.status?.text).toBe('opened c');
    expect(keys(opened, ['esc'], c).state.status).toBeNull();
    // Keys of another pane's scope do nothing here.
    expect(keys(initialUIState('b'), ['a'], c).state.mode.kind).toBe('normal');
  });

  it('splits keys that arrived in one read', () => {
    expect(splitKeys('ab\tc\r\u007f', {}).map((k) => k.name)).toEqual(['a', 'b', 'tab', 'c', 'enter', 'backspace']);
    expect(splitKeys('\r', { return: true })).toEqual([{ name: 'enter', input: '\r' }]);
  });
});
