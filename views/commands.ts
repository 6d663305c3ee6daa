// The `:` command line is data, like the keymap (views/keymap.ts): one table feeds the parser, the
// help screen and read-only mode (which refuses every command that changes state), and says for
// each argument where its values come from (for completion). A command names the same action as
// the key that does it (`:ack ID` and `a` are both `ack`); the key router runs both.
import type { CommandName } from './keymap.js';

/** Where an argument's values come from, for completion; null: free text. */
export type CompletionSource =
  /** Ids of the active alerts. */
  | 'alert'
  /** Ids of the matrix's tables, systems and tasks. */
  | 'matrix-item'
  /** The matrix statuses (done, in progress, todo, blocked). */
  | 'matrix-status'
  /** Durations (30m, 2h, 1d). */
  | 'duration'
  | null;

export interface CommandArg {
  /** As usage shows it: ID, DURATION, note. */
  name: string;
  optional?: boolean;
  /** Takes the rest of the line (a note, a two-word status). */
  rest?: boolean;
  complete: CompletionSource;
  /** What a usage error adds: examples or the allowed values. */
  hint?: string;
}

export interface LineCommand {
  /** What is typed after `:`; the first is the one shown. */
  names: string[];
  command: CommandName;
  args: CommandArg[];
  description: string;
  /** True for commands that change shared state: refused in --readonly and --wallboard. */
  changesState: boolean;
}

const ALERT_ID: CommandArg = { name: 'ID', complete: 'alert' };

export const COMMANDS: readonly LineCommand[] = [
  { names: ['ack'], command: 'ack', args: [ALERT_ID, { name: 'note', optional: true, rest: true, complete: null }], description: 'Acknowledge', changesState: true },
  { names: ['unack'], command: 'unack', args: [ALERT_ID], description: 'Un-acknowledge', changesState: true },
  { names: ['snooze'], command: 'snooze', args: [ALERT_ID, { name: 'DURATION', complete: 'duration', hint: 'e.g. 30m, 2h' }], description: 'Snooze (30m, 2h)', changesState: true },
  {
    names: ['set'],
    command: 'matrix-set',
    args: [
      { name: 'ITEM', complete: 'matrix-item' },
      { name: 'STATUS', rest: true, complete: 'matrix-status', hint: 'done, in progress, todo, blocked; done --force NOTE' },
    ],
    description: 'Matrix status',
    changesState: true,
  },
  { names: ['standup'], command: 'standup', args: [], description: 'Today’s standup', changesState: true },
  { names: ['run'], command: 'run-now', args: [], description: 'Run every check', changesState: true },
  { names: ['pause'], command: 'pause', args: [], description: 'Pause / resume', changesState: true },
  { names: ['help'], command: 'help', args: [], description: 'This help', changesState: false },
  { names: ['q', 'quit', 'exit'], command: 'quit', args: [], description: 'Quit', changesState: false },
];

/** The commands in force: read-only mode removes every one that changes state. */
export function activeCommands(readonly: boolean, commands: readonly LineCommand[] = COMMANDS): LineCommand[] {
  return commands.filter((c) => !readonly || !c.changesState);
}

/** `:snooze ID DURATION`, `:ack ID [note]`. */
export function usage(command: LineCommand): string {
  return [`:${command.names[0]}`, ...command.args.map((a) => (a.optional ? `[${a.name}]` : a.name))].join(' ');
}

export type ParsedLine =
  | { kind: 'empty' }
  | { kind: 'unknown'; name: string }
  /** Arguments missing: `message` says what it takes. */
  | { kind: 'usage'; command: LineCommand; message: string }
  /** Arguments by name (an optional one left out is absent). */
  | { kind: 'command'; command: LineCommand; args: Readonly<Record<string, string>> };

/** A typed line (with or without its `:`) against the table. */
export function parseCommandLine(line: string, commands: readonly LineCommand[] = COMMANDS): ParsedLine {
  const [first = '', ...words] = line.trim().replace(/^:/, '').split(/\s+/);
  const name = first.toLowerCase();
  if (!name) return { kind: 'empty' };
  const command = commands.find((c) => c.names.includes(name));
  if (!command) return { kind: 'unknown', name };
  const args: Record<string, string> = {};
  for (const [i, arg] of command.args.entries()) {
    const value = arg.rest ? words.slice(i).join(' ') : (words[i] ?? '');
    if (value) args[arg.name] = value;
    else if (!arg.optional) {
      const hints = command.args.flatMap((a) => (a.hint ? [a.hint] : []));
      return { kind: 'usage', command, message: `usage: ${usage(command)}${hints.length ? ` (${hints.join('; ')})` : ''}` };
    }
  }
  return { kind: 'command', command, args };
}
