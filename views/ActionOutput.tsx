// A playbook action's run: the exact command, its output as it streams (sanitised by
// src/playbooks before it gets here), scrollable; how it ended. Esc closes it (a run goes on).
import { Box, Text } from 'ink';
import { Tone } from './components/Tone.js';
import { useTheme } from './theme.js';
import { fit } from './text.js';
import type { ActionRunView } from './ui-state.js';

export function ActionOutput({ run, width, height }: { run: ActionRunView; width: number; height: number }) {
  const theme = useTheme();
  const rows = Math.max(1, height - 3);
  const last = Math.max(0, run.lines.length - rows);
  const from = Math.min(run.scroll ?? last, last);
  const shown = run.lines.slice(from, from + rows);
  const where = run.lines.length > rows ? ` · lines ${from + run.dropped + 1}–${from + run.dropped + shown.length} of ${run.lines.length + run.dropped}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Tone token="accent" bold>{fit(`▶ ${run.title} (${run.alertId}): ${run.command}`, width)}</Tone>
      </Text>
      <Text wrap="truncate-end">
        {run.done ? (
          <Tone token={run.failed ? 'critical' : 'ok'}>{fit(run.summary ?? '', width)}</Tone>
        ) : (
          <Tone token="muted">{fit('running…', width)}</Tone>
        )}
      </Text>
      <Box flexDirection="column" height={rows}>
        {shown.map((line, i) => (
          <Text key={from + i} wrap="truncate-end">
            {fit(line, width)}
          </Text>
        ))}
      </Box>
      <Text color={theme.color('muted')} wrap="truncate-end">
        {fit(`j/k scroll · PgUp/PgDn · g/G top/end · Esc close${where}`, width)}
      </Text>
    </Box>
  );
}
