// A system's checks (Enter on the systems grid): status, value and message of each, and below the
// list the selected check's detail; Enter opens that check in full (its whole message, history,
// and the kind's detail as tables: errors per file, missing tables, pending migrations), scrolled
// with j/k, PgUp/PgDn, g/G. Esc goes back a level.
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { ScrollText, type TextLine } from '../components/ScrollText.js';
import { FilterLine } from '../components/ListParts.js';
import { detailBlockLines } from '../components/detail-blocks.js';
import { statusGlyph, statusToken, useTheme } from '../theme.js';
import { fit, pad, sparkline, wrapWords } from '../text.js';
import { listWindow } from '../layout.js';
import { clockTime } from '../model/format.js';
import type { CheckRow } from '../model/systems.js';
import { filterOf } from '../ui-state.js';
import { CHECKS_LIST } from './systems.js';

/** A check in full as lines of at most `width` cells. */
export function checkDetailText(check: CheckRow, width: number, timezone: string): TextLine[] {
  const lines: TextLine[] = [{ text: fit(`${statusGlyph(check.status)} ${check.status}  ${check.name} (${check.kind}) — ${check.value}`, width), tone: statusToken(check.status), bold: true }];
  if (check.threshold) lines.push({ text: fit(check.threshold.text, width), tone: statusToken(check.threshold.runStatus) });
  for (const text of wrapWords(check.message, width)) lines.push({ text });
  const when = check.at ? `last run ${clockTime(Date.parse(check.at), timezone, true)}${check.durationMs !== null ? ` in ${check.durationMs} ms` : ''}` : 'not run yet';
  lines.push({ text: `${when}   history ${sparkline(check.history, Math.max(0, width - when.length - 12))}`, tone: 'muted' });
  if (check.detail.length > 0) {
    lines.push({ text: '' });
    lines.push(...detailBlockLines(check.detail, width));
  }
  return lines;
}

/** The rows the detail needs: the title, the filter line, the checks, a rule and the selected check's text. */
export function systemDetailRows(checks: readonly CheckRow[], selected: number, width: number, timezone: string, filtered = false): number {
  const current = checks[Math.min(selected, checks.length - 1)];
  return 2 + (filtered ? 1 : 0) + Math.max(1, checks.length) + (current ? checkDetailText(current, width, timezone).length : 0);
}

export function SystemDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config } = useUIState();
  const theme = useTheme();
  const checks = vm.detailChecks;
  const system = ui.detail ? config.systems[ui.detail.system] : undefined;
  const selected = Math.min(ui.detail?.selected ?? 0, Math.max(0, checks.length - 1));
  const startRef = useRef(0);
  const current = checks[selected];
  const title = `${ui.detail?.system ?? ''}${system ? ` — ${system.name}` : ''}`;
  if (ui.detail?.full && current) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold wrap="truncate-end">
          {fit(`${title} · ${current.id} (Esc: back to the checks)`, width)}
        </Text>
        <ScrollText lines={checkDetailText(current, width, config.timezone)} scroll={ui.scroll} rows={Math.max(1, rows - 1)} width={width} />
      </Box>
    );
  }
  const filter = filterOf(ui, CHECKS_LIST);
  const top = 1 + (filter ? 1 : 0);
  const listRows = Math.max(1, Math.min(checks.length, Math.floor((rows - top) / 2)));
  const win = listWindow(checks.length, selected, listRows, startRef.current);
  startRef.current = win.start;
  const detailRows = Math.max(0, rows - top - listRows - 1);
  const idW = Math.max(12, Math.min(24, Math.floor(width / 4)));
  const text = current ? checkDetailText(current, width, config.timezone) : [];
  // What does not fit below the list is one Enter away.
  const shown = text.length > detailRows ? Math.max(0, detailRows - 1) : text.length;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {fit(`${title} · checks (Esc closes)`, width)}
      </Text>
      {filter ? <FilterLine filter={filter} shown={checks.length} total={vm.detailChecksTotal} width={width} /> : null}
      {checks.length === 0 ? <Tone token="muted">{filter ? 'no check matches the filter' : 'no checks for this system'}</Tone> : null}
      {checks.slice(win.start, win.end).map((c, i) => (
        <Text key={c.id} wrap="truncate-end" inverse={win.start + i === selected}>
          <Tone token={statusToken(c.status)}>{`${statusGlyph(c.status)} ${pad(c.status, 9)}`}</Tone>
          {pad(c.id, idW) + ' ' + pad(c.value, 10) + ' '}
          <Text color={theme.color('muted')}>{c.threshold ? `${c.threshold.text} · ${c.message}` : c.message}</Text>
        </Text>
      ))}
      {win.position ? (
        <Text color={theme.color('muted')} wrap="truncate-end">
          {fit(win.position, width)}
        </Text>
      ) : null}
      <Text color={theme.color('muted')}>{'─'.repeat(Math.max(0, width))}</Text>
      {text.slice(0, shown).map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={l.bold}>
          {l.tone ? <Tone token={l.tone}>{fit(l.text, width) || ' '}</Tone> : fit(l.text, width) || ' '}
        </Text>
      ))}
      {shown < text.length ? <Tone token="accent">{fit(`Enter: the whole detail (${text.length - shown} more lines)`, width)}</Tone> : null}
    </Box>
  );
}
