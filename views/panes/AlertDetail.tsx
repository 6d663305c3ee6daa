// One alert in full (Enter in the alert center): its message, state and who acted, the escalation
// and response deadlines, what caused it. a / u / z act on it; Esc goes back to the list.
import { Box, Text } from 'ink';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { fit, pad, wrapCells } from '../text.js';
import { clockTime, compactDuration, dayIn, displayValue } from '../model/format.js';
import { sanitizeLine, sanitizeText } from '../../src/text/sanitize.js';

export function AlertDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config } = useUIState();
  const theme = useTheme();
  const a = vm.alertDetail;
  if (!a) return <Tone token="muted">{`alert ${ui.alertDetail ?? ''} is gone (resolved and archived?) — Esc goes back`}</Tone>;
  const when = (iso: string | null | undefined) => {
    if (!iso) return '–';
    const ms = Date.parse(iso);
    const rel = ms - vm.nowMs;
    return `${dayIn(ms, config.timezone)} ${clockTime(ms, config.timezone)} (${rel <= 0 ? `${compactDuration(-rel)} ago` : `in ${compactDuration(rel)}`})`;
  };
  const fields: Array<[string, string]> = [
    ['state', a.state + (a.state === 'snoozed' && a.snoozedUntil ? ` until ${when(a.snoozedUntil)}` : '')],
    ['system', `${sanitizeLine(a.system, 40)} · check ${sanitizeLine(a.checkId, 40)} · ${sanitizeLine(a.type, 40)}`],
    ['value', `${displayValue(a.value)} · seen ${a.count}×`],
    ['opened', when(a.openedAt)],
    ['last seen', when(a.lastSeenAt)],
    ['acknowledged', a.acknowledgedBy ? `${sanitizeLine(a.acknowledgedBy, 40)} ${when(a.acknowledgedAt)}${a.ackNote ? ` “${sanitizeLine(a.ackNote, 120)}”` : ''}` : '–'],
    ['escalation', `level ${a.escalationLevel}${a.nextEscalationAt && a.state === 'open' ? ` · next ${when(a.nextEscalationAt)}` : ''}`],
    // Once someone has responded (ack, snooze, resolve by hand) the deadline no longer runs.
    ['respond by', `${a.respondedAt ? `responded ${when(a.respondedAt)}` : when(a.respondBy)}${a.breached ? ' · BREACHED' : ''}`],
  ];
  if (a.causedBy) fields.push(['caused by', sanitizeLine(a.causedBy, 12)]);
  if (a.suppressed) fields.push(['suppressed', sanitizeLine(a.suppressed, 80)]);
  if (a.resolvedAt) fields.push(['resolved', `${sanitizeLine(a.resolvedBy ?? '', 40)} ${when(a.resolvedAt)}`]);
  const message = sanitizeText(a.message).replace(/\s+/g, ' ').trim();
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
