// One alert in full (Enter in the alert center): its message, state and who acted, the escalation
// and response deadlines, what caused it. a / u / z act on it; Esc goes back to the list.
import { Box, Text } from 'ink';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { fit, pad, wrapCells } from '../text.js';
import { alertDetailFields, alertDetailMessage } from '../model/alerts.js';
import { playbookView, type PlaybookView } from '../model/playbook.js';

/** The playbook under the alert's facts: who, the runbook, the actions and the key that runs one. */
function playbookText(p: PlaybookView, readonly: boolean, width: number): Array<{ text: string; heading?: boolean }> {
  const out: Array<{ text: string; heading?: boolean }> = [{ text: `Playbook ${p.id}${p.coordinated.length ? ` · brought together: ${p.coordinated.join(', ')}` : ''}`, heading: true }];
  for (const line of p.runbook) out.push(...wrapCells(line, width, 4).map((text) => ({ text })));
  if (p.actions.length > 0) {
    out.push({ text: readonly ? 'Actions (read-only console: run them elsewhere)' : 'Actions (x, then the number: asks before it runs)', heading: true });
    for (const a of p.actions) out.push({ text: `${a.key} ${a.title}: ${a.command}${a.confirm ? ' (asks for a phrase)' : ''}` });
  }
  return out;
}

export function AlertDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config, readonly } = useUIState();
  const theme = useTheme();
  const a = vm.alertDetail;
  if (!a) return <Tone token="muted">{`alert ${ui.alertDetail ?? ''} is gone (resolved and archived?) — Esc goes back`}</Tone>;
  const fields = alertDetailFields(a, vm.nowMs, config.timezone);
  const message = alertDetailMessage(a);
  const playbook = playbookView(config, a);
  // The message may be long: wrap it over the rows left (the playbook takes what remains after).
  const messageRows = Math.max(1, Math.min(3, rows - fields.length - 2));
  const chunks = wrapCells(message, width, messageRows);
  const playbookRows = Math.max(0, rows - 1 - chunks.length - fields.length);
  const playbookLines = playbook ? playbookText(playbook, readonly, width).slice(0, playbookRows) : [];
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
      {playbookLines.map((line, i) =>
        line.heading ? (
          <Tone key={`p${i}`} token="accent">
            {fit(line.text, width)}
          </Tone>
        ) : (
          <Text key={`p${i}`} wrap="truncate-end">
            {fit(line.text, width)}
          </Text>
        ),
      )}
    </Box>
  );
}
