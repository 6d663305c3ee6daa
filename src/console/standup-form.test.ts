import { describe, expect, it } from 'vitest';
import { hotelConfig } from '../../views/testing/fixtures.js';
import { basicStandupErrors, focusedField, newStandupForm, setFormErrors, standupFormKey, systemsLedBy, type FormKey, type StandupFormState } from './standup-form.js';

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
    expect(state.draft.blockers).toEqual([{ text: 'needs tables', waitsOn: 'hotel-common' }]);
    ({ state } = press(state, 'shift+tab', 'ctrl+u', 'backspace'));
    expect(state.draft.blockers).toEqual([]);
  });

  it('strips control sequences and keeps blockers on one line', () => {
    let { state } = press(newStandupForm(config, 'suno'), text('ok\u001b[2J\u001b]0;x\u0007 done'));
    expect(state.draft.done).toBe('ok done');
    ({ state } = press(state, 'tab', 'tab', 'enter', text('a\r\nb')));
    expect(state.draft.blockers[0]!.text).toBe('a b');
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
