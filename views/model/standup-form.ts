// The standup form's model, pure: fields, focus, editing and what a key does to them. The view
// only draws this state; validation and saving belong to the standup module (src/plan/standups).
import type { ImosConfig } from '../../src/config/types.js';
import type { CoreData } from '../../src/store/types.js';
import { sanitizeText } from '../../src/text/sanitize.js';
import { personIdOf, samePerson } from '../../src/identity.js';

export interface StandupBlockerDraft {
  text: string;
  /** System id the blocker waits on, or null. */
  waitsOn: string | null;
  /** A wait the form cannot choose (a task or a person, `task:T3`), kept as it was when editing. */
  other?: string | null;
}

export interface StandupDraft {
  system: string;
  done: string;
  next: string;
  blockers: StandupBlockerDraft[];
}

/** Field errors by field key (system, done, next, blockers.0.text, …) and a general one under ''. */
export type FieldErrors = Record<string, string>;

export type FieldKey = 'system' | 'done' | 'next' | `blocker:${number}` | `waits:${number}` | 'add-blocker' | 'save';

export interface StandupFormState {
  draft: StandupDraft;
  /** Today's saved entries by system: choosing a system loads its entry for editing. */
  entries: Record<string, StandupDraft>;
  /** The entry the draft was loaded from (untouched text may be replaced when the system changes). */
  loaded: StandupDraft | null;
  /** System ids to choose from: those the user leads first. */
  systems: string[];
  focus: number;
  errors: FieldErrors;
  dirty: boolean;
  confirmingDiscard: boolean;
  /** Today's entries someone else entered, by system: saving over one asks first. */
  others: Record<string, EntryOwner>;
  /** Saving would replace someone else's entry of today: asking whether to. */
  confirmingReplace: EntryOwner | null;
  saving: boolean;
}

/** Who entered a day's entry, and when (ISO time). */
export interface EntryOwner {
  author: string;
  at: string;
}

/** Length limits the form enforces while typing (the standup module validates again on save). */
export const TEXT_LIMIT = 2000;
export const BLOCKER_LIMIT = 500;

export { personIdOf } from '../../src/identity.js';

/** Systems led by `who` (a person id or name). */
export function systemsLedBy(config: ImosConfig, who: string): string[] {
  const id = personIdOf(config, who);
  if (!id) return [];
  return Object.values(config.systems).filter((s) => s.leader === id).map((s) => s.id);
}

const emptyDraft = (system: string): StandupDraft => ({ system, done: '', next: '', blockers: [] });

/** Today's standups as drafts by system (the latest entry of each), for editing. */
export function todaysDrafts(core: Pick<CoreData, 'standups'>, date: string): Record<string, StandupDraft> {
  const out: Record<string, StandupDraft> = {};
  const latest: Record<string, string> = {};
  for (const s of core.standups) {
    if (s.date !== date || (latest[s.system] ?? '') > s.at) continue;
    latest[s.system] = s.at;
    // Stored text goes back on the screen, in the form's inputs: no terminal controls in it.
    out[s.system] = {
      system: s.system,
      done: sanitizeText(s.done),
      next: sanitizeText(s.next),
      blockers: s.blockers
        .filter((b) => b.resolvedAt === null)
        .map((b) => ({
          text: sanitizeText(b.text),
          waitsOn: b.waitsOn?.kind === 'system' ? b.waitsOn.id : null,
          other: b.waitsOn && b.waitsOn.kind !== 'system' ? `${b.waitsOn.kind}:${b.waitsOn.id}` : null,
        })),
    };
  }
  return out;
}

/** Who entered each system's latest entry of the day, and when. */
export function todaysOwners(core: Pick<CoreData, 'standups'>, date: string): Record<string, EntryOwner> {
  const out: Record<string, EntryOwner> = {};
  for (const s of core.standups) {
    if (s.date !== date || (out[s.system]?.at ?? '') > s.at) continue;
    out[s.system] = { author: s.author, at: s.at };
  }
  return out;
}

export function newStandupForm(
  config: ImosConfig,
  actor: string,
  entries: Record<string, StandupDraft> = {},
  owners: Record<string, EntryOwner> = {},
): StandupFormState {
  const others = Object.fromEntries(Object.entries(owners).filter(([, o]) => !samePerson(config, o.author, actor)));
  const led = systemsLedBy(config, actor);
  const all = Object.keys(config.systems);
  const systems = [...led, ...all.filter((s) => !led.includes(s))];
  const system = systems[0] ?? '';
  const existing = entries[system] ?? null;
  return {
    draft: existing ? structuredClone(existing) : emptyDraft(system),
    entries,
    loaded: existing,
    systems,
    focus: existing || led.length > 0 ? 1 : 0,
    errors: {},
    dirty: false,
    confirmingDiscard: false,
    others,
    confirmingReplace: null,
    saving: false,
  };
}

export function formFields(draft: StandupDraft): FieldKey[] {
  const fields: FieldKey[] = ['system', 'done', 'next'];
  draft.blockers.forEach((_, i) => fields.push(`blocker:${i}`, `waits:${i}`));
  fields.push('add-blocker', 'save');
  return fields;
}

export function focusedField(state: StandupFormState): FieldKey {
  const fields = formFields(state.draft);
  return fields[Math.min(state.focus, fields.length - 1)]!;
}

/** Error key of a field, as validators report it. */
export function errorKey(field: FieldKey): string {
  if (field.startsWith('blocker:')) return `blockers.${field.slice(8)}.text`;
  if (field.startsWith('waits:')) return `blockers.${field.slice(6)}.waitsOn`;
  return field;
}

/** What the form asks its owner to do after a key. */
export type FormEffect = { type: 'save'; draft: StandupDraft } | { type: 'close' } | null;

export interface FormKey {
  /** Normalised key name (views/keymap keyName): 'tab', 'enter', 'esc', 'backspace', 'ctrl+s', … */
  name: string;
  /** The raw text typed (a character, or a paste). */
  input: string;
}

const cycle = <T,>(list: readonly T[], current: T, step: number): T => {
  if (list.length === 0) return current;
  const i = list.indexOf(current);
  return list[(((i < 0 ? 0 : i) + step) % list.length + list.length) % list.length]!;
};

function withDraft(state: StandupFormState, draft: StandupDraft, focus = state.focus): StandupFormState {
  return { ...state, draft, focus, dirty: true, errors: {} };
}

function sameText(a: StandupDraft, b: StandupDraft): boolean {
  return a.done === b.done && a.next === b.next && JSON.stringify(a.blockers) === JSON.stringify(b.blockers);
}

/** Drop empty blockers: a blocker line left blank means none. */
export function cleanDraft(draft: StandupDraft): StandupDraft {
  return {
    system: draft.system,
    done: draft.done.trim(),
    next: draft.next.trim(),
    blockers: draft.blockers
      .filter((b) => b.text.trim() !== '')
      .map((b) => ({ text: b.text.trim(), waitsOn: b.waitsOn, ...(b.other ? { other: b.other } : {}) })),
  };
}

/** Save, unless that replaces someone else's entry of today: then ask first. */
function save(state: StandupFormState): { state: StandupFormState; effect: FormEffect } {
  const other = state.others[state.draft.system];
  if (other) return { state: { ...state, confirmingReplace: other }, effect: null };
  return { state, effect: { type: 'save', draft: cleanDraft(state.draft) } };
}

/** One key applied to the form. */
export function standupFormKey(state: StandupFormState, key: FormKey): { state: StandupFormState; effect: FormEffect } {
  const none = (s: StandupFormState) => ({ state: s, effect: null });
  if (state.saving) return none(state);
  if (state.confirmingReplace) {
    if (key.input === 'y' || key.input === 'Y') return { state: { ...state, confirmingReplace: null }, effect: { type: 'save', draft: cleanDraft(state.draft) } };
    if (key.input === 'n' || key.input === 'N' || key.name === 'esc') return none({ ...state, confirmingReplace: null });
    return none(state);
  }
  if (state.confirmingDiscard) {
    if (key.input === 'y' || key.input === 'Y') return { state, effect: { type: 'close' } };
    if (key.input === 'n' || key.input === 'N' || key.name === 'esc') return none({ ...state, confirmingDiscard: false });
    return none(state);
  }
  const fields = formFields(state.draft);
  const field = focusedField(state);
  const move = (step: number) => none({ ...state, focus: (state.focus + step + fields.length) % fields.length });

  switch (key.name) {
    case 'esc':
      return state.dirty ? none({ ...state, confirmingDiscard: true }) : { state, effect: { type: 'close' } };
    case 'ctrl+s':
      return save(state);
    case 'tab':
    case 'down':
      return move(1);
    case 'shift+tab':
    case 'up':
      return move(-1);
  }

  const draft = state.draft;
  if (field === 'system' || field.startsWith('waits:')) {
    const step = key.name === 'left' ? -1 : key.name === 'right' || key.input === ' ' ? 1 : 0;
    if (key.name === 'enter') return move(1);
    if (step === 0) return none(state);
    if (field === 'system') {
      const system = cycle(state.systems, draft.system, step);
      // Text still as loaded (or empty): show the chosen system's entry of today instead.
      const untouched = sameText(draft, state.loaded ?? emptyDraft(draft.system));
      if (!untouched) return none(withDraft(state, { ...draft, system }));
      const entry = state.entries[system] ?? null;
      return none({ ...state, draft: entry ? structuredClone(entry) : emptyDraft(system), loaded: entry, errors: {}, dirty: state.dirty });
    }
    const i = Number(field.slice(6));
    // A blocker waits on another system (or nothing).
    const options: Array<string | null> = [null, ...state.systems.filter((s) => s !== draft.system)];
    const blockers = draft.blockers.map((b, j) => (j === i ? { ...b, waitsOn: cycle(options, b.waitsOn, step), other: null } : b));
    return none(withDraft(state, { ...draft, blockers }));
  }
  if (field === 'add-blocker') {
    if (key.name !== 'enter' && key.input !== ' ') return none(state);
    const blockers = [...draft.blockers, { text: '', waitsOn: null }];
    return none(withDraft(state, { ...draft, blockers }, 3 + (blockers.length - 1) * 2));
  }
  if (field === 'save') {
    if (key.name === 'enter' || key.input === ' ') return save(state);
    return none(state);
  }

  // A text field: done and next take several lines, a blocker one.
  const multiLine = field === 'done' || field === 'next';
  const limit = multiLine ? TEXT_LIMIT : BLOCKER_LIMIT;
  const get = (): string => (field === 'done' ? draft.done : field === 'next' ? draft.next : draft.blockers[Number(field.slice(8))]!.text);
  const set = (text: string, focus?: number): StandupFormState => {
    if (field === 'done') return withDraft(state, { ...draft, done: text }, focus);
    if (field === 'next') return withDraft(state, { ...draft, next: text }, focus);
    const i = Number(field.slice(8));
    return withDraft(state, { ...draft, blockers: draft.blockers.map((b, j) => (j === i ? { ...b, text } : b)) }, focus);
  };
  const current = get();
  if (key.name === 'enter') return multiLine ? none(set((current + '\n').slice(0, limit))) : move(1);
  if (key.name === 'backspace') {
    if (current === '' && field.startsWith('blocker:')) {
      // Backspace on an empty blocker removes it.
      const i = Number(field.slice(8));
      const blockers = draft.blockers.filter((_, j) => j !== i);
      return none(withDraft(state, { ...draft, blockers }, Math.max(0, state.focus - 1)));
    }
    return none(set([...current].slice(0, -1).join('')));
  }
  if (key.name === 'ctrl+u') return none(set(''));
  if (key.name.startsWith('ctrl+') || key.name === 'left' || key.name === 'right' || key.name.length > 1 && !key.input) return none(state);
  if (!key.input) return none(state);
  // Typed or pasted text: CR from a paste becomes a newline (one line in a blocker), controls go.
  let text = sanitizeText(key.input.replace(/\r\n?/g, '\n')).replace(/\t/g, ' ');
  if (!multiLine) text = text.replace(/\n/g, ' ');
  if (!text) return none(state);
  return none(set((current + text).slice(0, limit)));
}

export function setFormErrors(state: StandupFormState, errors: FieldErrors): StandupFormState {
  // Move the focus to the first field with an error.
  const fields = formFields(state.draft);
  const first = fields.findIndex((f) => errors[errorKey(f)] !== undefined);
  return { ...state, errors, saving: false, focus: first >= 0 ? first : state.focus };
}

/**
 * Checks the form can make before the standup module sees the draft (the module validates again):
 * a known system, something done or next, length limits, blockers that wait on known systems.
 */
export function basicStandupErrors(draft: StandupDraft, config: ImosConfig): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.system) errors.system = 'choose a system';
  else if (!config.systems[draft.system]) errors.system = `unknown system "${draft.system}"`;
  if (!draft.done.trim()) errors.done = 'say what was done (required)';
  if (!draft.next.trim()) errors.next = 'say what comes next (required)';
  if (draft.done.length > TEXT_LIMIT) errors.done = `at most ${TEXT_LIMIT} characters`;
  if (draft.next.length > TEXT_LIMIT) errors.next = `at most ${TEXT_LIMIT} characters`;
  draft.blockers.forEach((b, i) => {
    if (b.text.length > BLOCKER_LIMIT) errors[`blockers.${i}.text`] = `at most ${BLOCKER_LIMIT} characters`;
    if (b.waitsOn && !config.systems[b.waitsOn]) errors[`blockers.${i}.waitsOn`] = `unknown system "${b.waitsOn}"`;
  });
  return errors;
}
