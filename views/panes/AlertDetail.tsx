// One alert in full (Enter in the alert center): its whole message, state and who acted (with the
// whole acknowledgement note), the escalation and response deadlines, what caused it, wrapped at
// word boundaries and scrolled with j/k, PgUp/PgDn, g/G. a / u / z act on it; Esc goes back.
import { Box, Text } from 'ink';
import type { Alert } from '../../src/model.js';
import { useUIState } from '../context.js';
import { Tone } from '../components/Tone.js';
import { ScrollText, type TextLine } from '../components/ScrollText.js';
import { severityToken, statusGlyph, useTheme } from '../theme.js';
import { pad, wrapWords } from '../text.js';
import { alertDetailFields, alertDetailMessage } from '../model/alerts.js';
import { playbookView, type AlertRunView } from '../model/playbook.js';
import { clockTime } from '../model/format.js';
import type { ImosConfig } from '../../src/config/types.js';

const LABEL = 13;
/** Lines of a run's output shown under it (the audit log keeps 20). */
const RUN_OUTPUT_LINES = 5;

/** The alert's text as lines of at most `width` cells: the message, then each field with its label. */
export function alertDetailText(
  a: Alert,
  nowMs: number,
  timezone: string,
  width: number,
  /** With the configuration: the alert's playbook after its facts (read-only consoles say they cannot run it). */
  playbooks?: { config: Pick<ImosConfig, 'playbooks' | 'people' | 'systems'>; readonly?: boolean },
  /** Its playbook action runs, newest first: who ran what, how it ended, its last lines of output. */
  runs: readonly AlertRunView[] = [],
): TextLine[] {
  const lines: TextLine[] = wrapWords(alertDetailMessage(a), width).map((text) => ({ text }));
  lines.push({ text: '' });
  for (const [label, value] of alertDetailFields(a, nowMs, timezone)) {
    const wrapped = wrapWords(value, Math.max(10, width - LABEL));
    wrapped.forEach((text, i) => lines.push({ text: (i === 0 ? pad(label, LABEL) : ' '.repeat(LABEL)) + text }));
  }
  const p = playbooks ? playbookView(playbooks.config, a) : null;
  if (p) {
    lines.push({ text: '' });
    const head = `Playbook ${p.id}${p.coordinated.length ? ` · brought together: ${p.coordinated.join(', ')}` : ''}`;
    lines.push(...wrapWords(head, width).map((text) => ({ text, tone: 'accent' as const })));
    for (const line of p.runbook) lines.push(...(line ? wrapWords(line, width).map((text) => ({ text })) : [{ text: '' }]));
    if (p.actions.length > 0) {
      const actionsHead = playbooks?.readonly ? 'Actions (read-only console: run them elsewhere)' : 'Actions (x, then the number: asks before it runs)';
      lines.push({ text: actionsHead, tone: 'accent' });
      for (const act of p.actions) lines.push(...wrapWords(`${act.key} ${act.title}: ${act.command}${act.confirm ? ' (asks for a phrase)' : ''}`, width).map((text) => ({ text })));
    }
  }
  if (runs.length > 0) {
    lines.push({ text: '' }, { text: 'Runs (newest first)', tone: 'accent' });
    for (const run of runs) {
      const head = `${clockTime(Date.parse(run.at), timezone)} ${run.actor} ran ${run.action}: ${run.command} — ${run.summary}`;
      lines.push(...wrapWords(head, width).map((text) => ({ text })));
      for (const out of run.output.slice(-RUN_OUTPUT_LINES)) lines.push(...wrapWords(out, Math.max(10, width - 2)).map((text) => ({ text: `  ${text}`, tone: 'muted' as const })));
    }
  }
  return lines;
}

export function AlertDetail({ width, rows }: { width: number; rows: number }) {
  const { vm, ui, config, readonly } = useUIState();
  const theme = useTheme();
  const a = vm.alertDetail;
  if (!a) return <Tone token="muted">{`alert ${ui.alertDetail ?? ''} is gone (resolved and archived?) — Esc goes back`}</Tone>;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Tone token={severityToken(a.severity)}>{`${statusGlyph(a.severity)} ${a.severity} ${a.id}`}</Tone>
        <Text color={theme.color('muted')}>{'  (Esc: back to the list)'}</Text>
      </Text>
      <ScrollText lines={alertDetailText(a, vm.nowMs, config.timezone, width, { config, readonly }, vm.alertRuns)} scroll={ui.scroll} rows={Math.max(1, rows - 1)} width={width} />
    </Box>
  );
}
