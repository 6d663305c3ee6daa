// A system's checks (Enter on the systems grid): last value, message, history, and the check
// kind's detail (missing tables, pending migrations, errors by file) for the selected check.
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { statusGlyph, statusToken, useTheme } from '../theme.js';
import { fit, pad, sparkline } from '../text.js';
import { visibleWindow } from '../layout.js';
import { clockTime } from '../model/format.js';

export function SystemDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config } = useUIState();
  const theme = useTheme();
  const checks = vm.detailChecks;
  const system = ui.detail ? config.systems[ui.detail.system] : undefined;
  const selected = Math.min(ui.detail?.selected ?? 0, Math.max(0, checks.length - 1));
  const startRef = useRef(0);
  const listRows = Math.max(1, Math.min(checks.length, Math.floor((rows - 1) / 2)));
  const win = visibleWindow(checks.length, selected, listRows, startRef.current);
  startRef.current = win.start;
  const current = checks[selected];
  const detailRows = Math.max(0, rows - 1 - listRows - 1);
  const idW = Math.max(12, Math.min(24, Math.floor(width / 4)));
  const detailLines: Array<{ text: string; muted?: boolean }> = [];
  if (current) {
    detailLines.push({ text: `${current.name} (${current.kind}) — ${current.value}` });
    if (current.message) detailLines.push({ text: current.message });
    const when = current.at ? `last run ${clockTime(Date.parse(current.at), config.timezone, true)}${current.durationMs !== null ? ` in ${current.durationMs} ms` : ''}` : 'not run yet';
    detailLines.push({ text: `${when}   history ${sparkline(current.history, Math.max(0, width - when.length - 12))}`, muted: true });
    for (const line of current.detail) detailLines.push({ text: line });
  }
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {fit(`${ui.detail?.system ?? ''}${system ? ` — ${system.name}` : ''} · checks (Esc closes)`, width)}
      </Text>
      {checks.length === 0 ? <Tone token="muted">no checks for this system</Tone> : null}
      {checks.slice(win.start, win.end).map((c, i) => (
        <Text key={c.id} wrap="truncate-end" inverse={win.start + i === selected}>
          <Tone token={statusToken(c.status)}>{`${statusGlyph(c.status)} ${pad(c.status, 9)}`}</Tone>
          {pad(c.id, idW) + ' ' + pad(c.value, 10) + ' '}
          <Text color={theme.color('muted')}>{c.message}</Text>
        </Text>
      ))}
      <Text color={theme.color('muted')}>{'─'.repeat(Math.max(0, width))}</Text>
      {detailLines.slice(0, detailRows).map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.muted ? theme.color('muted') : undefined}>
          {fit(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}
