// The console's UI state and the one key router, as a pure function: (state, key, context) →
// (new state, effect). The container runs the effects (acknowledge, save, quit); nothing here
// touches the store.
import type { StandupFormState } from './model/standup-form.js';
import { standupFormKey } from './model/standup-form.js';
import { COMMANDS, parseCommandLine, type LineCommand } from './commands.js';
import { activeKeymap, resolveKey, type CommandName, type KeyBinding } from './keymap.js';
import { paneScopes, type PaneRoute } from './panes/pane.js';

export type Mode =
  | { kind: 'normal' }
  | { kind: 'help' }
  | { kind: 'filter'; text: string }
  | { kind: 'command'; text: string }
  | { kind: 'ack-note'; alertId: string; text: string }
  | { kind: 'snooze'; alertId: string; text: string }
  | { kind: 'standup'; form: StandupFormState };

export interface ListSort {
  by: string;
  reverse: boolean;
}

export interface StatusMessage {
  text: string;
  tone: 'ok' | 'critical' | 'muted';
}

export interface UIState {
  /** The focused pane's id (views/panes/registry.ts). */
  pane: string;
  /** Selected row and filter text by pane id (absent: 0 and ''). */
  selected: Readonly<Record<string, number>>;
  filters: Readonly<Record<string, string>>;
  /** System whose checks are open (Enter on the systems grid), and the check opened in full (Enter again). */
  detail: { system: string; selected: number; full?: boolean } | null;
  /** Alert whose details are open (Enter in the alert center). */
  alertDetail: string | null;
  /** The first line shown of the detail text open in full (an alert, a check). */
  scroll: number;
  /** The focused pane fills the screen (f). */
  zoomed: boolean;
  /** The column each list is sorted by (its first one when absent), and whether reversed. */
  sorts: Readonly<Record<string, ListSort>>;
  mode: Mode;
  status: StatusMessage | null;
}

export function initialUIState(pane: string): UIState {
  return {
    pane,
    selected: {},
    filters: {},
    detail: null,
    alertDetail: null,
    scroll: 0,
    zoomed: false,
    sorts: {},
    mode: { kind: 'normal' },
    status: null,
  };
}

/** The selected row of a pane's list, and its filter. */
export const selectedIn = (state: UIState, pane: string): number => state.selected[pane] ?? 0;
export const filterOf = (state: UIState, pane: string): string => state.filters[pane] ?? '';
/** How a pane's list is sorted: by its first column unless the viewer chose another. */
export const sortOf = (state: UIState, pane: string, columns: readonly string[] | undefined): ListSort => state.sorts[pane] ?? defaultSort(columns?.[0] ?? '');

// One object per default order, so that a pane memoised on its sort is not redrawn for nothing.
const DEFAULT_SORTS = new Map<string, ListSort>();
function defaultSort(by: string): ListSort {
  let sort = DEFAULT_SORTS.get(by);
  if (!sort) DEFAULT_SORTS.set(by, (sort = { by, reverse: false }));
  return sort;
}

/** What the router needs to know about the panes and the data on screen. */
export interface RouterContext {
  readonly: boolean;
  /** The panes in Tab order (views/panes/registry.ts). */
  panes: readonly PaneRoute[];
  /** Rows in each pane's (filtered) list, by pane id, and in the open system's checks. */
  counts: Readonly<Record<string, number>>;
  detailCount: number;
  /** Ids of the selected rows. */
  selectedAlertId: string | null;
  selectedSystemId: string | null;
  /** Page size for PgUp / PgDn. */
  pageRows: number;
  /** The last first line of the detail text open in full (scrolling stops there). */
  scrollMax?: number;
  newStandup(): StandupFormState;
  keymap?: readonly KeyBinding[];
  /** The `:` commands (default: views/commands.ts). */
  commands?: readonly LineCommand[];
}

export type Effect =
  | { type: 'quit' }
  | { type: 'ack'; id: string; note: string | null }
  | { type: 'unack'; id: string }
  | { type: 'snooze'; id: string; duration: string }
  | { type: 'run-now' }
  | { type: 'pause' }
  | { type: 'matrix-set'; item: string; status: string }
  | { type: 'save-standup'; form: StandupFormState }
  | null;

export interface KeyPress {
  /** Normalised key name (keymap.keyName). */
  name: string;
  input: string;
}

const READONLY = 'read-only console: actions that change state are off';

export const clamp = (n: number, count: number) => Math.max(0, Math.min(n, Math.max(0, count - 1)));

function status(state: UIState, text: string, tone: StatusMessage['tone'] = 'muted'): UIState {
  return { ...state, status: { text, tone } };
}

/** Edit a one-line prompt: type, paste, backspace; false when the key is not an edit. */
function editLine(text: string, key: KeyPress): string | null {
  if (key.name === 'backspace') return [...text].slice(0, -1).join('');
  if (key.name === 'ctrl+u') return '';
  if (!key.input || key.name.startsWith('ctrl+') || (key.name.length > 1 && key.name !== key.input)) return null;
  // eslint-disable-next-line no-control-regex
  const clean = key.input.replace(/[\u0000-\u001F\u007F]/g, '');
  return clean ? (text + clean).slice(0, 500) : null;
}

export function routeKey(state: UIState, key: KeyPress, ctx: RouterContext): { state: UIState; effect: Effect } {
  const keep = (s: UIState, effect: Effect = null) => ({ state: s, effect });
  const mode = state.mode;

  switch (mode.kind) {
    case 'help':
      // Any of the closing keys closes the help; others are ignored.
      if (key.name === 'esc' || key.input === '?' || key.input === 'q' || key.name === 'enter') return keep({ ...state, mode: { kind: 'normal' } });
      return keep(state);
    case 'filter': {
      if (key.name === 'esc') return keep({ ...state, mode: { kind: 'normal' }, filters: { ...state.filters, [state.pane]: '' } });
      if (key.name === 'enter') return keep({ ...state, mode: { kind: 'normal' } });
      const text = editLine(mode.text, key);
      if (text === null) return keep(state);
      // The list filters as you type; the selection goes back to the top.
      return keep({
        ...state,
        mode: { kind: 'filter', text },
        filters: { ...state.filters, [state.pane]: text },
        selected: { ...state.selected, [state.pane]: 0 },
      });
    }
    case 'command': {
      if (key.name === 'esc') return keep({ ...state, mode: { kind: 'normal' } });
      if (key.name === 'enter') return runCommandLine({ ...state, mode: { kind: 'normal' } }, mode.text, ctx);
      const text = editLine(mode.text, key);
      return keep(text === null ? state : { ...state, mode: { kind: 'command', text } });
    }
    case 'ack-note': {
      if (key.name === 'esc') return keep(status({ ...state, mode: { kind: 'normal' } }, 'acknowledge cancelled'));
      if (key.name === 'enter') {
        const note = mode.text.trim();
        return keep({ ...state, mode: { kind: 'normal' } }, { type: 'ack', id: mode.alertId, note: note || null });
      }
      const text = editLine(mode.text, key);
      return keep(text === null ? state : { ...state, mode: { ...mode, text } });
    }
    case 'snooze': {
      if (key.name === 'esc') return keep(status({ ...state, mode: { kind: 'normal' } }, 'snooze cancelled'));
      if (key.name === 'enter') {
        return keep({ ...state, mode: { kind: 'normal' } }, { type: 'snooze', id: mode.alertId, duration: mode.text.trim() || '1h' });
      }
      const text = editLine(mode.text, key);
      return keep(text === null ? state : { ...state, mode: { ...mode, text } });
    }
    case 'standup': {
      const { state: form, effect } = standupFormKey(mode.form, key);
      if (effect?.type === 'close') return keep(status({ ...state, mode: { kind: 'normal' } }, 'standup discarded'));
      if (effect?.type === 'save') {
        const saving = { ...form, saving: true };
        return keep({ ...state, mode: { kind: 'standup', form: saving } }, { type: 'save-standup', form: saving });
      }
      return keep({ ...state, mode: { kind: 'standup', form } });
    }
    case 'normal':
      break;
  }

  const keymap = ctx.keymap ?? activeKeymap(ctx.readonly, ctx.panes.length);
  const panes = ctx.panes;
  const here = panes.findIndex((p) => p.id === state.pane);
  const pane = panes[here];
  const binding = resolveKey(key.name, paneScopes(pane, state), keymap);
  if (!binding) return keep(state);
  const focus = (index: number) => keep({ ...state, pane: panes[(index + panes.length) % panes.length]!.id, mode: { kind: 'normal' } });
  const moveBy = (step: number) => {
    const inDetail = pane?.move?.(state, step, ctx);
    if (inDetail) return keep(inDetail);
    const selected = clamp(selectedIn(state, state.pane) + step, ctx.counts[state.pane] ?? 0);
    return keep({ ...state, selected: { ...state.selected, [state.pane]: selected } });
  };

  switch (binding.command) {
    case 'next-pane':
      return focus(here + 1);
    case 'prev-pane':
      return focus(here - 1);
    case 'focus-pane': {
      const index = Number(key.name) - 1;
      return index >= 0 && index < panes.length ? focus(index) : keep(state);
    }
    case 'down':
      return moveBy(1);
    case 'up':
      return moveBy(-1);
    case 'page-down':
      return moveBy(ctx.pageRows);
    case 'page-up':
      return moveBy(-ctx.pageRows);
    case 'top':
      return moveBy(-Infinity);
    case 'bottom':
      return moveBy(Infinity);
    case 'zoom':
      return keep({ ...state, zoomed: !state.zoomed });
    case 'sort':
    case 'sort-reverse': {
      const columns = pane?.sorts ?? [];
      if (columns.length === 0) return keep(status(state, 'this list has one order'));
      const now = sortOf(state, state.pane, columns);
      const next =
        binding.command === 'sort-reverse'
          ? { by: now.by, reverse: !now.reverse }
          : { by: columns[(columns.indexOf(now.by) + 1) % columns.length]!, reverse: false };
      return keep(
        status({ ...state, sorts: { ...state.sorts, [state.pane]: next }, selected: { ...state.selected, [state.pane]: 0 } }, `sorted by ${next.by}${next.reverse ? ', reversed' : ''}`),
      );
    }
    case 'open':
      return keep(pane?.open?.(state, ctx) ?? state);
    case 'back': {
      const closed = pane?.close?.(state);
      if (closed) return keep(closed);
      if (filterOf(state, state.pane)) return keep({ ...state, filters: { ...state.filters, [state.pane]: '' } });
      if (state.zoomed) return keep({ ...state, zoomed: false });
      return keep({ ...state, status: null });
    }
    case 'filter':
      return keep({ ...state, mode: { kind: 'filter', text: filterOf(state, state.pane) } });
    default:
      return perform(state, binding.command, ctx, null);
  }
}

/**
 * An action, from its key (`args` null: it acts on the selected row, asking for what it needs) or
 * from the command line (its arguments by name, views/commands.ts).
 */
function perform(state: UIState, command: CommandName, ctx: RouterContext, args: Readonly<Record<string, string>> | null): { state: UIState; effect: Effect } {
  const keep = (s: UIState, effect: Effect = null) => ({ state: s, effect });
  const alertId = args ? args.ID : ctx.selectedAlertId;
  switch (command) {
    case 'ack':
      if (!alertId) return keep(status(state, 'no alert selected'));
      if (args) return keep(state, { type: 'ack', id: alertId, note: args.note ?? null });
      return keep({ ...state, mode: { kind: 'ack-note', alertId, text: '' } });
    case 'unack':
      if (!alertId) return keep(status(state, 'no alert selected'));
      return keep(state, { type: 'unack', id: alertId });
    case 'snooze':
      if (!alertId) return keep(status(state, 'no alert selected'));
      if (args?.DURATION) return keep(state, { type: 'snooze', id: alertId, duration: args.DURATION });
      return keep({ ...state, mode: { kind: 'snooze', alertId, text: '' } });
    case 'matrix-set':
      if (!args?.ITEM || !args.STATUS) return keep(state);
      return keep(state, { type: 'matrix-set', item: args.ITEM, status: args.STATUS });
    case 'standup':
      return keep({ ...state, mode: { kind: 'standup', form: ctx.newStandup() } });
    case 'run-now':
      return keep(state, { type: 'run-now' });
    case 'pause':
      return keep(state, { type: 'pause' });
    case 'command-line':
      return keep({ ...state, mode: { kind: 'command', text: '' } });
    case 'help':
      return keep({ ...state, mode: { kind: 'help' } });
    case 'quit':
      return keep(state, { type: 'quit' });
    default:
      // Moving about (panes, lists, views) is for keys: no command line entry names it.
      return keep(state);
  }
}

/** A `:` line, read against the command table (views/commands.ts). */
export function runCommandLine(state: UIState, line: string, ctx: RouterContext): { state: UIState; effect: Effect } {
  const parsed = parseCommandLine(line, ctx.commands ?? COMMANDS);
  switch (parsed.kind) {
    case 'empty':
      return { state, effect: null };
    case 'unknown':
      return { state: status(state, `unknown command ":${parsed.name}" (try :ack ID, :standup, :q)`, 'critical'), effect: null };
    case 'usage':
    case 'command':
      if (ctx.readonly && parsed.command.changesState) return { state: status(state, READONLY, 'critical'), effect: null };
      if (parsed.kind === 'usage') return { state: status(state, parsed.message, 'critical'), effect: null };
      return perform(state, parsed.command.command, ctx, parsed.args);
  }
}
