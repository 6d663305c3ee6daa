// The keymap is data: one table feeds the key router, the footer hints, the help screen and
// read-only mode (which drops every binding that changes state). The `:` commands are a table of
// the same shape naming the same actions (views/commands.ts).
import type { Key } from 'ink';

/**
 * Where a binding applies: everywhere, in any list, or only while a pane (or its detail view) has
 * the focus; a pane names its own scopes in its registry entry (views/panes/pane.ts).
 */
export type KeyScope = 'global' | 'list' | (string & {});

export type CommandName =
  | 'next-pane'
  | 'prev-pane'
  | 'focus-pane'
  | 'down'
  | 'up'
  | 'page-down'
  | 'page-up'
  | 'top'
  | 'bottom'
  | 'zoom'
  | 'next-list'
  | 'prev-list'
  | 'sort'
  | 'sort-reverse'
  | 'open'
  | 'back'
  | 'filter'
  | 'ack'
  | 'unack'
  | 'snooze'
  | 'run-action'
  | 'matrix-set'
  | 'standup'
  | 'run-now'
  | 'pause'
  | 'command-line'
  | 'help'
  | 'quit';

export interface KeyBinding {
  /** Normalised key names (see `keyName`). */
  keys: string[];
  /** How the keys read in hints and help, when not simply the keys joined. */
  label?: string;
  command: CommandName;
  description: string;
  scope: KeyScope;
  /** True for actions that change shared state: removed in --readonly and --wallboard. */
  changesState: boolean;
  /** Shown in the footer (the help lists everything). */
  hint?: string;
}

export const KEYMAP: readonly KeyBinding[] = [
  { keys: ['tab'], label: 'Tab', command: 'next-pane', description: 'Next pane', scope: 'global', changesState: false, hint: 'pane' },
  { keys: ['shift+tab'], label: 'S-Tab', command: 'prev-pane', description: 'Previous pane', scope: 'global', changesState: false },
  // As many number keys as there are panes (see activeKeymap).
  { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: '1-9', command: 'focus-pane', description: 'Go to pane 1–9', scope: 'global', changesState: false },
  { keys: ['j', 'down'], label: 'j/↓', command: 'down', description: 'Move down', scope: 'list', changesState: false, hint: 'move' },
  { keys: ['k', 'up'], label: 'k/↑', command: 'up', description: 'Move up', scope: 'list', changesState: false, hint: '' },
  { keys: ['pgdn', 'ctrl+d'], label: 'PgDn', command: 'page-down', description: 'Page down', scope: 'list', changesState: false },
  { keys: ['pgup', 'ctrl+u'], label: 'PgUp', command: 'page-up', description: 'Page up', scope: 'list', changesState: false },
  { keys: ['g', 'home'], label: 'g', command: 'top', description: 'Go to the top', scope: 'list', changesState: false },
  { keys: ['G', 'end'], label: 'G', command: 'bottom', description: 'Go to the bottom', scope: 'list', changesState: false },
  { keys: ['o'], label: 'o', command: 'sort', description: 'Sort by the next column', scope: 'list', changesState: false },
  { keys: ['O'], label: 'O', command: 'sort-reverse', description: 'Reverse the order', scope: 'list', changesState: false },
  { keys: ['enter'], label: 'Enter', command: 'open', description: 'Open the system’s checks', scope: 'systems', changesState: false, hint: 'open' },
  { keys: [']'], label: ']', command: 'next-list', description: 'Next list: queue, actions', scope: 'alerts', changesState: false },
  { keys: ['['], label: '[', command: 'prev-list', description: 'Previous list', scope: 'alerts', changesState: false },
  { keys: ['enter'], label: 'Enter', command: 'open', description: 'Show the alert’s details', scope: 'alerts', changesState: false, hint: 'details' },
  { keys: ['enter'], label: 'Enter', command: 'open', description: 'Open the check in full', scope: 'detail', changesState: false, hint: 'open' },
  { keys: ['esc'], label: 'Esc', command: 'back', description: 'Back: view, filter, full screen', scope: 'global', changesState: false, hint: 'back' },
  { keys: ['f'], label: 'f', command: 'zoom', description: 'Full screen (zoom) on / off', scope: 'global', changesState: false, hint: 'zoom' },
  { keys: ['/'], label: '/', command: 'filter', description: 'Filter the focused list', scope: 'list', changesState: false, hint: 'filter' },
  { keys: ['a'], label: 'a', command: 'ack', description: 'Acknowledge (optional note)', scope: 'alerts', changesState: true, hint: 'ack' },
  { keys: ['u'], label: 'u', command: 'unack', description: 'Un-acknowledge', scope: 'alerts', changesState: true, hint: 'unack' },
  { keys: ['z'], label: 'z', command: 'snooze', description: 'Snooze (30m, 2h, …)', scope: 'alerts', changesState: true, hint: 'snooze' },
  { keys: ['x'], label: 'x', command: 'run-action', description: 'Run an action of the alert’s playbook (asks first)', scope: 'alerts', changesState: true, hint: 'action' },
  { keys: ['s'], label: 's', command: 'standup', description: 'Enter today’s standup', scope: 'global', changesState: true, hint: 'standup' },
  { keys: ['r'], label: 'r', command: 'run-now', description: 'Run every check now', scope: 'global', changesState: true, hint: 'run' },
  { keys: ['p'], label: 'p', command: 'pause', description: 'Pause / resume polling', scope: 'global', changesState: true, hint: 'pause' },
  { keys: [':'], label: ':', command: 'command-line', description: 'Command line (see below)', scope: 'global', changesState: false, hint: 'cmd' },
  { keys: ['?'], label: '?', command: 'help', description: 'Help: every key', scope: 'global', changesState: false, hint: 'help' },
  { keys: ['q', 'ctrl+c'], label: 'q', command: 'quit', description: 'Quit (nothing is lost)', scope: 'global', changesState: false, hint: 'quit' },
];

/** The bindings in force: one number key per pane; read-only mode removes every binding that changes state. */
export function activeKeymap(readonly: boolean, paneCount: number, keymap: readonly KeyBinding[] = KEYMAP): KeyBinding[] {
  const panes = Math.max(1, Math.min(9, paneCount));
  return keymap
    .filter((b) => !readonly || !b.changesState)
    .map((b) =>
      b.command === 'focus-pane'
        ? { ...b, keys: b.keys.slice(0, panes), label: panes > 1 ? `1-${panes}` : '1', description: panes > 1 ? `Go to pane 1–${panes}` : 'Go to pane 1' }
        : b,
    );
}

/** Normalise Ink's (input, key) to one name: 'tab', 'shift+tab', 'enter', 'esc', 'up', 'j', 'ctrl+c'… */
export function keyName(input: string, key: Partial<Key>): string {
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageDown) return 'pgdn';
  if (key.pageUp) return 'pgup';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  return input;
}

/** The command a key triggers in these scopes, if any. */
export function resolveKey(
  name: string,
  scopes: readonly KeyScope[],
  keymap: readonly KeyBinding[],
): KeyBinding | undefined {
  for (const scope of scopes) {
    const hit = keymap.find((b) => b.scope === scope && b.keys.includes(name));
    if (hit) return hit;
  }
  return undefined;
}

/** Footer hints for the focused pane: its own bindings first, then the global ones with a hint. */
export function footerHints(scopes: readonly KeyScope[], keymap: readonly KeyBinding[]): Array<{ key: string; hint: string }> {
  const out: Array<{ key: string; hint: string }> = [];
  for (const scope of scopes) {
    for (const b of keymap) {
      if (b.scope === scope && b.hint) out.push({ key: b.label ?? b.keys[0]!, hint: b.hint });
    }
  }
  return out;
}

/** Help titles of the shared scopes (a pane titles its own in its registry entry). */
export const SCOPE_TITLES: Readonly<Record<string, string>> = {
  global: 'Everywhere',
  list: 'Lists',
};

/**
 * Ink hands a run of characters that arrived in one read (fast typing, a paste, tmux send-keys)
 * to the handler as one input, with Tab, Enter and Backspace inside it. Split it into the keys.
 */
export function splitKeys(input: string, key: Partial<Key>): Array<{ name: string; input: string }> {
  const name = keyName(input, key);
  if ([...input].length <= 1 || name !== input) return [{ name, input }];
  const out: Array<{ name: string; input: string }> = [];
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    if (ch === '\r' || ch === '\n') out.push({ name: 'enter', input: ch });
    else if (ch === '\t') out.push({ name: 'tab', input: ch });
    else if (code === 0x7f || code === 0x08) out.push({ name: 'backspace', input: '' });
    else if (code >= 1 && code <= 26) out.push({ name: `ctrl+${String.fromCharCode(code + 96)}`, input: String.fromCharCode(code + 96) });
    else if (code < 0x20) continue;
    else out.push({ name: ch, input: ch });
  }
  return out;
}
