// One alert in full (Enter in the alert center): its message, state and who acted, the escalation
// and response deadlines, what caused it. a / u / z act on it; Esc goes back to the list.
import { Box, Text } from 'ink';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { fit, pad, wrapCells } from '../text.js';
import { alertDetailFields, alertDetailMessage } from '../model/alerts.js';

export function AlertDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config } = useUIState();
  const theme = useTheme();
  const a = vm.alertDetail;
  if (!a) return <Tone token="muted">{`alert ${ui.alertDetail ?? ''} is gone (resolved and archived?) — Esc goes back`}</Tone>;
  const fields = alertDetailFields(a, vm.nowMs, config.timezone);
  const message = alertDetailMessage(a);
  // The message may be long: wrap it over the rows left.
  const messageRows = Math.max(1, rows - fields.length - 2);
  const chunks = wrapCells(message, width, messageRows);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Tone token={severityToken(a.severity)}>{`${statusGlyph(a.severity)} ${a.severity} ${a.id}`}</Tone>
        <Text color={theme.color('muted')}>{'  (Esc: back to the list)'}</Text>
      </Text>
      {chunks.map((c, i) => (
        <Text key={`m${i}`} wrap="truncate-end">
          {c}
        </Text>
      ))}
      {fields.map(([k, v]) => (
        <Text key={k} wrap="truncate-end">
          <Text color={theme.color('muted')}>{pad(k, 13)}</Text>
          {fit(v, Math.max(0, width - 13))}
        </Text>
      ))}
    </Box>
  );
}
