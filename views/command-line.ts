// The `:` line's editing, pure: Tab completes the word being typed from the command table (command
// names, then each argument's source: alert ids, matrix items, system and task ids, statuses,
// durations), ↑/↓ walk the history, and a hint says what the line takes.
import { usage, type CompletionSource, type LineCommand } from './commands.js';

/** Values to complete from, by source (views/commands.ts names the source of each argument). */
export type CompletionValues = Partial<Record<Exclude<CompletionSource, null>, readonly string[]>>;

export const DURATIONS = ['15m', '30m', '1h', '2h', '4h', '1d'] as const;
export const MATRIX_STATUSES = ['done', 'in progress', 'todo', 'blocked'] as const;

/** The longest start every value shares (case-insensitive; the first value's spelling). */
function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const v of values.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i]!.toLowerCase() === v[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/** Where the word being typed starts, and which word of the line it is (0: the command). */
function currentWord(text: string): { start: number; index: number; word: string } {
  const start = text.length - (/\S*$/.exec(text)?.[0].length ?? 0);
  const before = text.slice(0, start).trim();
  const index = before === '' ? 0 : before.split(/\s+/).length;
  return { start, index, word: text.slice(start) };
}

/** The values the word at `index` may take. */
function candidates(text: string, index: number, commands: readonly LineCommand[], values: CompletionValues): readonly string[] {
  if (index === 0) return commands.flatMap((c) => c.names);
  const name = text.trim().split(/\s+/)[0]!.toLowerCase();
  const command = commands.find((c) => c.names.includes(name));
  const arg = command?.args[Math.min(index - 1, command.args.length - 1)];
  // A rest argument takes the line's remaining words: complete only its first.
  if (!arg?.complete || (index - 1 >= command!.args.length && !arg.rest)) return [];
  if (arg.rest && index - 1 > command!.args.indexOf(arg)) return [];
  if (arg.complete === 'duration') return values.duration ?? DURATIONS;
  if (arg.complete === 'matrix-status') return values['matrix-status'] ?? MATRIX_STATUSES;
  return values[arg.complete] ?? [];
}

export interface Completion {
  text: string;
  /** The values still possible when more than one is (shown under the line). */
  options: string[];
}

/** Tab: complete the word being typed as far as every match agrees; one match gets a space after it. */
export function completeLine(text: string, commands: readonly LineCommand[], values: CompletionValues): Completion {
  const { start, index, word } = currentWord(text);
  const all = candidates(text, index, commands, values);
  const lower = word.toLowerCase();
  const matches = [...new Set(all.filter((v) => v.toLowerCase().startsWith(lower)))];
  if (matches.length === 0) return { text, options: [] };
  if (matches.length === 1) return { text: text.slice(0, start) + matches[0]! + ' ', options: [] };
  const prefix = commonPrefix(matches);
  return { text: text.slice(0, start) + (prefix.length >= word.length ? prefix : word), options: matches };
}

/**
 * ↑ (step -1) / ↓ (step +1) through `history` (oldest first). `at` is the entry shown (null: the
 * line being typed, kept in `draft`). Returns the new position and the text to show.
 */
export function recall(history: readonly string[], at: number | null, draft: string, step: -1 | 1): { at: number | null; text: string } {
  if (history.length === 0) return { at, text: at === null ? draft : history[at] ?? draft };
  const from = at ?? history.length;
  const next = Math.max(0, Math.min(history.length, from + step));
  return next === history.length ? { at: null, text: draft } : { at: next, text: history[next]! };
}

/** History with `line` added at the end (once: an earlier copy moves), at most `max` lines. */
export function remember(history: readonly string[], line: string, max = 200): string[] {
  const clean = line.trim();
  if (!clean) return [...history];
  return [...history.filter((h) => h !== clean), clean].slice(-max);
}

/** What the line takes, as it is typed: the command's usage and description, else how to start. */
export function commandHint(text: string, commands: readonly LineCommand[]): string {
  const name = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const command = name ? commands.find((c) => c.names.includes(name)) : undefined;
  if (command) return `${usage(command)} — ${command.description}`;
  if (name) {
    const starting = commands.filter((c) => c.names.some((n) => n.startsWith(name))).map((c) => `:${c.names[0]}`);
    if (starting.length > 0) return `${starting.join('  ')}   (Tab completes)`;
    return `no command ":${name}" — :help lists them`;
  }
  return 'Tab completes · ↑/↓ earlier lines · :help lists the commands · Esc cancels';
}
