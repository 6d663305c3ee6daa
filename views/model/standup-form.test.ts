import { describe, expect, it } from 'vitest';
import { hotelConfig } from '../testing/fixtures.js';
import { basicStandupErrors, focusedField, newStandupForm, todaysDrafts, setFormErrors, standupFormKey, systemsLedBy, type FormKey, type StandupFormState } from './standup-form.js';

const press = (state: StandupFormState, ...keys: Array<string | FormKey>) => {
  let s = state;
  let effect = null as ReturnType<typeof standupFormKey>['effect'];
  for (const k of keys) {
    const key = typeof k === 'string' ? { name: k.length === 1 ? k : k, input: k.length === 1 ? k : '' } : k;
    ({ state: s, effect } = standupFormKey(s, key));
  }
  return { state: s, effect };
};
const text = (t: string): FormKey => ({ name: t, input: t });

describe('standup form model', () => {
  const config = hotelConfig();

  it('defaults to the systems the user leads, by person id or name', () => {
    expect(systemsLedBy(config, 'suno')).toEqual(['hotel-member']);
    expect(systemsLedBy(config, 'Integration manager')).toEqual(['hotel-common']);
    expect(systemsLedBy(config, 'stranger')).toEqual([]);
    const form = newStandupForm(config, 'luna');
    expect(form.draft.system).toBe('hotel-pms');
    expect(focusedField(form)).toBe('done');
    expect(newStandupForm(config, 'stranger').draft.system).toBe('hotel-common');
  });

  it('edits multi-line text, moves between fields, cycles choices', () => {
    let { state } = press(newStandupForm(config, 'suno'), text('abc'), 'enter', text('def'), 'backspace');
    expect(state.draft.done).toBe('abc\nde');
    expect(state.dirty).toBe(true);
    ({ state } = press(state, 'shift+tab', 'right'));
    expect(state.draft.system).toBe('hotel-common');
    ({ state } = press(state, 'left'));
    expect(state.draft.system).toBe('hotel-member');
  });

  it('adds blockers that wait on another system, and removes an empty one with backspace', () => {
    let { state } = press(newStandupForm(config, 'suno'), 'tab', 'tab', 'enter');
    expect(focusedField(state)).toBe('blocker:0');
    ({ state } = press(state, text('needs tables'), 'enter', 'right'));
    expect(state.draft.blockers).toEqual([{ text: 'needs tables', waitsOn: 'hotel-common', other: null }]);
    ({ state } = press(state, 'shift+tab', 'ctrl+u', 'backspace'));
    expect(state.draft.blockers).toEqual([]);
  });

  it('strips control sequences and keeps blockers on one line', () => {
    let { state } = press(newStandupForm(config, 'suno'), text('ok\u001b[2J\u001b]0;x\u0007 done'));
    expect(state.draft.done).toBe('ok done');
    ({ state } = press(state, 'tab', 'tab', 'enter', text('a\r\nb')));
    expect(state.draft.blockers[0]!.text).toBe('a b');
  });

  it('loads today’s entry for editing, and the chosen system’s entry while the text is untouched', () => {
    const standup = (system: string, date: string, done: string, at: string) => ({
      id: `S-${system}-${at}`, system, date, author: 'x', done, next: 'n', at, history: [],
      blockers: [
        { id: 'B1', text: 'waits on T3', waitsOn: { kind: 'task' as const, id: 'T3' }, openedAt: at, resolvedAt: null },
        { id: 'B2', text: 'gone', waitsOn: null, openedAt: at, resolvedAt: at },
      ],
    });
    const entries = todaysDrafts(
      { standups: [standup('hotel-member', '2025-01-29', 'old', '2025-01-29T00:00:00Z'), standup('hotel-member', '2025-01-29', 'newer', '2025-01-29T01:00:00Z'), standup('hotel-pms', '2025-01-28', 'yesterday', '2025-01-28T01:00:00Z')] },
      '2025-01-29',
    );
    expect(Object.keys(entries)).toEqual(['hotel-member']);
    expect(entries['hotel-member']).toEqual({ system: 'hotel-member', done: 'newer', next: 'n', blockers: [{ text: 'waits on T3', waitsOn: null, other: 'task:T3' }] });
    // A stored entry goes back into the inputs without terminal controls (a store from elsewhere).
    const evil = '\u001b]0;owned\u0007\u202e';
    const hostile = todaysDrafts({ standups: [standup('hotel-pms', '2025-01-29', `done${evil}`, '2025-01-29T00:00:00Z')] }, '2025-01-29')['hotel-pms']!;
    expect(hostile.done).toBe('done');
    expect(JSON.stringify(hostile)).not.toMatch(/\\u001b|\\u0007|\u202e/);
    let form = newStandupForm(config, 'suno', entries);
    expect(form.draft.done).toBe('newer');
    expect(form.loaded).not.toBeNull();
    // Switching system with untouched text shows that system's (empty) entry; back again reloads.
    ({ state: form } = press(form, 'shift+tab', 'right'));
    expect(form.draft).toEqual({ system: 'hotel-common', done: '', next: '', blockers: [] });
    ({ state: form } = press(form, 'left'));
    expect(form.draft.done).toBe('newer');
    // Typed text stays when the system changes.
    ({ state: form } = press(form, 'tab', text('!'), 'shift+tab', 'right'));
    expect(form.draft).toMatchObject({ system: 'hotel-common', done: 'newer!' });
    // The wait on a task is kept when saved.
    expect(press(form, 'ctrl+s').effect).toMatchObject({ draft: { blockers: [{ text: 'waits on T3', waitsOn: null, other: 'task:T3' }] } });
  });

  it('asks before discarding typed text; closes at once when nothing was typed', () => {
    expect(press(newStandupForm(config, 'suno'), 'esc').effect).toEqual({ type: 'close' });
    let { state, effect } = press(newStandupForm(config, 'suno'), text('x'), 'esc');
    expect(effect).toBeNull();
    expect(state.confirmingDiscard).toBe(true);
    ({ state, effect } = press(state, text('n')));
    expect(state.confirmingDiscard).toBe(false);
    expect(press(state, 'esc', text('y')).effect).toEqual({ type: 'close' });
  });

  it('saves a cleaned draft with Ctrl-S or the Save button, and shows field errors', () => {
    const { effect } = press(newStandupForm(config, 'suno'), text(' did it '), 'tab', text('next'), 'tab', 'enter', 'ctrl+s');
    expect(effect).toEqual({ type: 'save', draft: { system: 'hotel-member', done: 'did it', next: 'next', blockers: [] } });
    const empty = newStandupForm(config, 'suno');
    const errors = basicStandupErrors(empty.draft, config);
    expect(errors).toMatchObject({ done: expect.any(String), next: expect.any(String) });
    const withErrors = setFormErrors({ ...empty, focus: 0 }, errors);
    expect(focusedField(withErrors)).toBe('done');
  });
});
