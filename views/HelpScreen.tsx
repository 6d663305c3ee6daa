// The help screen, generated from the keymap and the `:` command table in force (read-only mode
// shows fewer of both): keys in sections by scope (everywhere, lists, then each pane's own, titled
// in its registry entry), then the command line.
import { Box, Text } from 'ink';
import { useUIState } from './context.js';
import { activeCommands, usage } from './commands.js';
import { SCOPE_TITLES } from './keymap.js';
import { useTheme } from './theme.js';
import { fit, pad } from './text.js';

export function HelpScreen({ width, height }: { width: number; height: number }) {
  const { keymap, commands, readonly, panes } = useUIState();
  const theme = useTheme();
  const titles = new Map(Object.entries(SCOPE_TITLES));
  for (const p of panes) for (const [scope, title] of Object.entries(p.scopeTitles ?? {})) if (!titles.has(scope)) titles.set(scope, title);
  const lines: Array<{ text: string; title?: boolean }> = [];
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
  // Two columns when the screen is wide and the list long.
  const rows = Math.max(1, height - 2);
  const twoCols = lines.length > rows;
  const colW = twoCols ? Math.floor((width - 4) / 2) : width - 2;
  // A section's title never ends the first column: it moves over with its keys.
  const split = twoCols && lines[rows - 1]?.title ? rows - 1 : rows;
  const columns = twoCols ? [lines.slice(0, split), lines.slice(split, split + rows)] : [lines.slice(0, rows)];
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
