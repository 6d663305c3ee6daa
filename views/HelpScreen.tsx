// The help screen, generated from the keymap and the `:` command table in force (read-only mode
// shows fewer of both): keys in sections by scope (everywhere, lists, then each pane's own, titled
// in its registry entry), then the command line.
import { Box, Text } from 'ink';
import { useUIState, type UIStateValue } from './context.js';
import { positionText } from './layout.js';
import { activeCommands, usage } from './commands.js';
import { SCOPE_TITLES } from './keymap.js';
import { useTheme } from './theme.js';
import { fit, pad } from './text.js';

export interface HelpLine {
  text: string;
  title?: boolean;
}

/** Every line of the help: the keys in force by scope, then the command line. */
export function helpLines(keymap: UIStateValue['keymap'], commands: UIStateValue['commands'], readonly: boolean, panes: UIStateValue['panes']): HelpLine[] {
  const titles = new Map(Object.entries(SCOPE_TITLES));
  for (const p of panes) for (const [scope, title] of Object.entries(p.scopeTitles ?? {})) if (!titles.has(scope)) titles.set(scope, title);
  const lines: HelpLine[] = [];
  for (const [scope, title] of titles) {
    const bindings = keymap.filter((b) => b.scope === scope);
    if (bindings.length === 0) continue;
    lines.push({ text: title, title: true });
    for (const b of bindings) lines.push({ text: `  ${pad(b.label ?? b.keys.join('/'), 6)} ${b.description}` });
  }
  lines.push({ text: 'Command line', title: true });
  const lineCommands = activeCommands(readonly, commands);
  const usageWidth = Math.max(0, ...lineCommands.map((c) => usage(c).length));
  for (const c of lineCommands) lines.push({ text: `  ${pad(usage(c), usageWidth)} ${c.description}` });
  if (readonly) lines.push({ text: 'Read-only: actions that change state are not available.' });
  return lines;
}

/**
 * Where the help's lines go in a screen of width × height: one column, or two when the list is
 * long; when even two do not hold it all, the last row says where it is and j/k, PgDn, g/G scroll.
 */
export function helpWindow(count: number, width: number, height: number, scroll: number) {
  const rows = Math.max(1, height - 2);
  const twoCols = count > rows && width >= 60;
  const capacity = twoCols ? 2 * rows : rows;
  const overflow = count > capacity;
  const shown = overflow ? capacity - 1 : capacity;
  // One step more than the lines need: a section title moved to the second column costs a row.
  const max = overflow ? count - shown + 1 : 0;
  const start = Math.max(0, Math.min(scroll, max));
  return { rows, twoCols, start, end: Math.min(count, start + shown), max, overflow };
}

export function HelpScreen({ width, height }: { width: number; height: number }) {
  const { keymap, commands, readonly, panes, ui } = useUIState();
  const theme = useTheme();
  const all = helpLines(keymap, commands, readonly, panes);
  const win = helpWindow(all.length, width, height, ui.mode.kind === 'help' ? (ui.mode.scroll ?? 0) : 0);
  const lines = all.slice(win.start, win.end);
  const { rows, twoCols } = win;
  const colW = twoCols ? Math.floor((width - 4) / 2) : width - 2;
  // A section's title never ends the first column: it moves over with its keys.
  const split = twoCols && lines[rows - 1]?.title ? rows - 1 : rows;
  const reserve = win.overflow ? 1 : 0;
  const columns = twoCols ? [lines.slice(0, split), lines.slice(split, split + rows - reserve)] : [lines.slice(0, rows - reserve)];
  const placed = columns.reduce((n, col) => n + col.length, 0);
  if (win.overflow) columns[columns.length - 1]!.push({ text: `${positionText(win.start, win.start + placed, all.length)} · j/k PgDn g/G` });
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={theme.color('accent')}>
      <Box flexDirection="row">
        {columns.map((col, c) => (
          <Box key={c} flexDirection="column" width={colW}>
            {col.map((l, i) => (
              <Text key={i} bold={l.title} color={l.title ? theme.color('accent') : undefined} wrap="truncate-end">
                {fit(l.text, colW)}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
