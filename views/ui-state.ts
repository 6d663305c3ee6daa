// The console's UI state and the one key router, as a pure function: (state, key, context) →
// (new state, effect). The container runs the effects (acknowledge, save, quit); nothing here
// touches the store.
import type { StandupFormState } from './model/standup-form.js';
import { standupFormKey } from './model/standup-form.js';
import { activeCommands, COMMANDS, parseCommandLine, type LineCommand } from './commands.js';
import { completeLine, recall, remember, type CompletionValues } from './command-line.js';
import { activeKeymap, resolveKey, type CommandName, type KeyBinding } from './keymap.js';
import { paneScopes, type PaneRoute } from './panes/pane.js';
import type { PreparedAction } from './model/actions.js';

export type Mode =
  | { kind: 'normal' }
  | { kind: 'help'; scroll?: number }
  | { kind: 'filter'; text: string }
  /** The `:` line: `at` is the history entry shown (null: the line typed, kept in `draft`); `options` what Tab could not decide between. */
  | { kind: 'command'; text: string; at?: number | null; draft?: string; options?: readonly string[] }
  | { kind: 'ack-note'; alertId: string; text: string }
  | { kind: 'snooze'; alertId: string; text: string }
  | { kind: 'standup'; form: StandupFormState }
  | { kind: 'action-pick'; alertId: string; actions: readonly ActionChoice[] }
  /** `focus`: which of the prepared action's choices ←/→ switches. */
  | { kind: 'action-confirm'; prepared: PreparedAction; text: string; focus: number }
  | { kind: 'action-output'; run: ActionRunView };

/** An action of the alert's playbook, as offered: its number key, id and title. */
export interface ActionChoice {
  key: string;
  id: string;
  title: string;
}

/** A playbook action's run as the output pane shows it. */
export interface ActionRunView {
  alertId: string;
  actionId: string;
  title: string;
  command: string;
  /** Output lines so far (sanitised), the newest last; at most ACTION_OUTPUT_LINES. */
  lines: readonly string[];
  /** Lines dropped from the head to stay within the bound. */
  dropped: number;
  done: boolean;
  /** How it ended (exit code and duration, or why it did not run). */
  summary: string | null;
  failed: boolean;
  /** First line shown; null follows the end. */
  scroll: number | null;
}

/** Lines the console keeps of a run's output (the audit log keeps the tail). */
export const ACTION_OUTPUT_LINES = 5000;

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
  /** The `:` lines run, oldest first (kept across sessions by the container). */
  commandHistory: readonly string[];
  /** By pane id, the list brought to the front with `]` when it is not the pane's own ('actions' in the alert center). */
  inFront?: Readonly<Record<string, string>>;
}

/**
 * The list a pane shows in front: the one `/` filters and j/k move in. Its id keys the filter
 * (`filters`), and its selection is read and set through it (a detail keeps its own).
 */
export interface FrontList {
  id: string;
  selected: number;
  select(state: UIState, index: number): UIState;
}

/** The focused pane's list in front: what its entry says, else its own list. */
export function frontList(pane: PaneRoute | undefined, state: UIState): FrontList {
  return (
    pane?.frontList?.(state) ?? {
      id: state.pane,
      selected: selectedIn(state, state.pane),
      select: (s, index) => ({ ...s, selected: { ...s.selected, [s.pane]: index } }),
    }
  );
}

export function initialUIState(pane: string, commandHistory: readonly string[] = []): UIState {
  return {
    commandHistory,
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
  /** The actions of an alert's playbook (none: it has no playbook). */
  playbookActions?(alertId: string): readonly ActionChoice[];
  /** Rows the action output pane shows. */
  outputRows?: number;
  keymap?: readonly KeyBinding[];
  /** The `:` commands (default: views/commands.ts). */
  commands?: readonly LineCommand[];
  /** What Tab completes arguments from (alert ids, matrix items, systems, tasks). */
  completions?: CompletionValues;
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
  | { type: 'prepare-action'; alertId: string; actionId: string; args?: Record<string, string>; focus?: number }
  | { type: 'run-action'; prepared: PreparedAction }
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

const HELP_SCROLL: Readonly<Record<string, (page: number) => number>> = {
  j: () => 1,
  down: () => 1,
  k: () => -1,
  up: () => -1,
  pgdn: (page) => page,
  'ctrl+d': (page) => page,
  pgup: (page) => -page,
  'ctrl+u': (page) => -page,
  g: () => -Infinity,
  home: () => -Infinity,
  G: () => Infinity,
  end: () => Infinity,
};

export function routeKey(state: UIState, key: KeyPress, ctx: RouterContext): { state: UIState; effect: Effect } {
  const keep = (s: UIState, effect: Effect = null) => ({ state: s, effect });
  const mode = state.mode;

  switch (mode.kind) {
    case 'help':
      // Any of the closing keys closes the help; others are ignored.
      if (key.name === 'esc' || key.input === '?' || key.input === 'q' || key.name === 'enter') return keep({ ...state, mode: { kind: 'normal' } });
      // A help longer than the screen scrolls like a detail view.
      const step = HELP_SCROLL[key.name]?.(ctx.pageRows);
      if (step === undefined) return keep(state);
      return keep({ ...state, mode: { kind: 'help', scroll: clamp((mode.scroll ?? 0) + step, (ctx.scrollMax ?? 0) + 1) } });
    case 'filter': {
      // The list in front is filtered: a system's checks, not the grid behind them.
      const list = frontList(ctx.panes.find((p) => p.id === state.pane), state);
      if (key.name === 'esc') return keep({ ...state, mode: { kind: 'normal' }, filters: { ...state.filters, [list.id]: '' } });
      if (key.name === 'enter') return keep({ ...state, mode: { kind: 'normal' } });
      const text = editLine(mode.text, key);
      if (text === null) return keep(state);
      // The list filters as you type; the selection goes back to the top.
      return keep(list.select({ ...state, mode: { kind: 'filter', text }, filters: { ...state.filters, [list.id]: text } }, 0));
    }
    case 'command': {
      if (key.name === 'esc') return keep({ ...state, mode: { kind: 'normal' } });
      if (key.name === 'enter') return runCommandLine({ ...state, mode: { kind: 'normal' }, commandHistory: remember(state.commandHistory, mode.text) }, mode.text, ctx);
      const commands = activeCommands(ctx.readonly, ctx.commands ?? COMMANDS);
      if (key.name === 'tab') {
        const done = completeLine(mode.text, commands, ctx.completions ?? {});
        return keep({ ...state, mode: { kind: 'command', text: done.text, options: done.options } });
      }
      if (key.name === 'up' || key.name === 'down') {
        const draft = (mode.at ?? null) === null ? mode.text : (mode.draft ?? '');
        const shown = recall(state.commandHistory, mode.at ?? null, draft, key.name === 'up' ? -1 : 1);
        return keep({ ...state, mode: { kind: 'command', text: shown.text, at: shown.at, draft } });
      }
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
    case 'action-pick': {
      if (key.name === 'esc' || key.name === 'q') return keep(status({ ...state, mode: { kind: 'normal' } }, 'no action run'));
      const choice = mode.actions.find((a) => a.key === key.name);
      if (!choice) return keep(state);
      return keep({ ...state, mode: { kind: 'normal' }, status: { text: `checking ${choice.id}…`, tone: 'muted' } }, { type: 'prepare-action', alertId: mode.alertId, actionId: choice.id });
    }
    case 'action-confirm': {
      const cancel = () => keep(status({ ...state, mode: { kind: 'normal' } }, `${mode.prepared.actionId} not run`));
      if (key.name === 'esc') return cancel();
      const run = () => keep({ ...state, mode: { kind: 'action-output', run: startedRun(mode.prepared) }, status: null }, { type: 'run-action', prepared: mode.prepared });
      const { choices } = mode.prepared;
      if (choices.length > 1 && (key.name === 'tab' || key.name === 'shift+tab')) {
        const focus = (mode.focus + (key.name === 'tab' ? 1 : -1) + choices.length) % choices.length;
        return keep({ ...state, mode: { ...mode, focus } });
      }
      const choice = choices[mode.focus];
      if (choice && (key.name === 'left' || key.name === 'right')) {
        // Another of the argument's values: checked again, and the command shown again.
        const at = choice.values.indexOf(mode.prepared.args[choice.name] ?? '');
        const next = choice.values[(at + (key.name === 'right' ? 1 : -1) + choice.values.length) % choice.values.length]!;
        const args = { ...mode.prepared.args, [choice.name]: next };
        return keep(state, { type: 'prepare-action', alertId: mode.prepared.alertId, actionId: mode.prepared.actionId, args, focus: mode.focus });
      }
      if (mode.prepared.confirm === null) return key.name === 'y' || key.name === 'Y' ? run() : cancel();
      if (key.name === 'enter') {
        if (mode.text === mode.prepared.confirm) return run();
        return keep(status({ ...state, mode: { kind: 'normal' } }, `the phrase does not match: ${mode.prepared.actionId} not run`, 'critical'));
      }
      const text = editLine(mode.text, key);
      return keep(text === null ? state : { ...state, mode: { ...mode, text } });
    }
    case 'action-output': {
      const run = mode.run;
      const rows = Math.max(1, ctx.outputRows ?? 10);
      const last = Math.max(0, run.lines.length - rows);
      const scrollTo = (n: number | null) => keep({ ...state, mode: { kind: 'action-output', run: { ...run, scroll: n === null || n >= last ? null : Math.max(0, n) } } });
      const at = run.scroll ?? last;
      if (key.name === 'esc' || key.name === 'q') {
        return keep(status({ ...state, mode: { kind: 'normal' } }, run.done ? (run.summary ?? '') : `${run.actionId} still runs; its result goes to the status line and the audit log`, run.failed ? 'critical' : 'muted'));
      }
      if (key.name === 'j' || key.name === 'down') return scrollTo(at + 1);
      if (key.name === 'k' || key.name === 'up') return scrollTo(at - 1);
      if (key.name === 'pgdn' || key.name === 'ctrl+d' || key.name === 'space' || key.name === ' ') return scrollTo(at + rows);
      if (key.name === 'pgup' || key.name === 'ctrl+u') return scrollTo(at - rows);
      if (key.name === 'g' || key.name === 'home') return scrollTo(0);
      if (key.name === 'G' || key.name === 'end') return scrollTo(null);
      return keep(state);
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
  const front = frontList(pane, state);
  const moveBy = (step: number) => {
    const inDetail = pane?.move?.(state, step, ctx);
    if (inDetail) return keep(inDetail);
    return keep(front.select(state, clamp(front.selected + step, ctx.counts[state.pane] ?? 0)));
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
    case 'next-list':
    case 'prev-list':
      return keep(pane?.nextList?.(state, binding.command === 'next-list' ? 1 : -1) ?? status(state, 'this pane has one list'));
    case 'sort':
    case 'sort-reverse': {
      const columns = front.id === state.pane ? (pane?.sorts ?? []) : [];
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
      if (filterOf(state, front.id)) return keep({ ...state, filters: { ...state.filters, [front.id]: '' } });
      if (state.zoomed) return keep({ ...state, zoomed: false });
      return keep({ ...state, status: null });
    }
    case 'filter':
      return keep({ ...state, mode: { kind: 'filter', text: filterOf(state, front.id) } });
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
    case 'run-action': {
      if (!alertId) return keep(status(state, 'no alert selected'));
      const actions = ctx.playbookActions?.(alertId) ?? [];
      if (actions.length === 0) return keep(status(state, `${alertId} has no playbook action`));
      return keep({ ...state, mode: { kind: 'action-pick', alertId, actions } });
    }
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

/** A run about to start, as the output pane first shows it. */
export function startedRun(prepared: PreparedAction): ActionRunView {
  return { alertId: prepared.alertId, actionId: prepared.actionId, title: prepared.title, command: prepared.command, lines: [], dropped: 0, done: false, summary: null, failed: false, scroll: null };
}

/** The run with more output: lines appended, the oldest dropped beyond ACTION_OUTPUT_LINES. */
export function withOutput(run: ActionRunView, lines: readonly string[]): ActionRunView {
  if (lines.length === 0) return run;
  const all = [...run.lines, ...lines];
  const drop = Math.max(0, all.length - ACTION_OUTPUT_LINES);
  return { ...run, lines: drop > 0 ? all.slice(drop) : all, dropped: run.dropped + drop, scroll: run.scroll === null ? null : Math.max(0, run.scroll - drop) };
}
