// The status line (messages, prompts) and the footer of key hints generated from the keymap.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useUIState } from './context.js';
import { Tone } from './components/Tone.js';
import { activeCommands } from './commands.js';
import { commandHint } from './command-line.js';
import { footerText } from './chrome.js';
import { useTheme } from './theme.js';
import { fit } from './text.js';
import { sanitizeLine } from '../src/text/sanitize.js';

/** A line that is re-read every second (the demo's clock moves). */
function Banner({ text, width, tick }: { text: () => string; width: number; tick: boolean }) {
  const [value, setValue] = useState(text);
  useEffect(() => {
    if (!tick) return;
    const timer = setInterval(() => setValue(text()), 1000);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [text, tick]);
  return (
    <Box width={width}>
      <Tone token="muted">{fit(sanitizeLine(value, 500), width)}</Tone>
    </Box>
  );
}

export function StatusLine({ width, banner, tick = true }: { width: number; banner?: () => string; tick?: boolean }) {
  const { ui, gone, readonly, commands, pollerProblem } = useUIState();
  const mode = ui.mode;
  let prompt: string | null = null;
  if (mode.kind === 'filter') prompt = `/${mode.text}▏  (Enter keeps, Esc clears)`;
  if (mode.kind === 'command') {
    // The line, then what it takes (or what Tab could not decide between), dimmed.
    const hint = mode.options?.length ? mode.options.slice(0, 20).join('  ') : commandHint(mode.text, activeCommands(readonly, commands));
    return (
      <Box width={width}>
        <Text wrap="truncate-end">
          <Tone token="accent">{`:${mode.text}▏`}</Tone>
          <Tone token="muted">{fit(`   ${hint}`, Math.max(0, width - mode.text.length - 2))}</Tone>
        </Text>
      </Box>
    );
  }
  if (mode.kind === 'ack-note') prompt = `acknowledge ${mode.alertId} — note (optional, Enter to confirm, Esc cancels): ${mode.text}▏`;
  if (mode.kind === 'snooze') prompt = `snooze ${mode.alertId} for (30m, 2h, 1d; Enter = 1h, Esc cancels): ${mode.text}▏`;
  if (mode.kind === 'action-pick') prompt = `run which action for ${mode.alertId}? ${mode.actions.map((a) => `${a.key} ${a.title}`).join(' · ')} (Esc cancels)`;
  if (mode.kind === 'action-confirm') {
    const p = mode.prepared;
    const choose =
      p.choices.length === 1
        ? ` (←/→ ${p.choices[0]!.name}: ${p.choices[0]!.values.join('|')})`
        : p.choices.length > 1
          ? ` (Tab argument, ←/→ value: ${p.choices.map((c, i) => `${i === mode.focus ? '▸' : ''}${c.name}: ${c.values.join('|')}`).join(' · ')})`
          : '';
    prompt =
      p.confirm === null
        ? `run ${p.command} for ${p.alertId}?${choose} (in ${p.cwd}) y runs, anything else cancels`
        : `run ${p.command} for ${p.alertId}?${choose} type "${p.confirm}" and Enter (Esc cancels): ${mode.text}▏`;
  }
  if (prompt !== null) {
    return (
      <Box width={width}>
        <Tone token="accent">{fit(prompt, width)}</Tone>
      </Box>
    );
  }
  // The workspace is gone: that stays on screen (other messages come and go above it).
  if (gone && (!ui.status || ui.status.tone !== 'critical')) {
    return (
      <Box width={width}>
        <Tone token="critical">{fit(`✖ ${sanitizeLine(gone, 300)} — the poller is stopped and nothing is written there; q quits`, width)}</Tone>
      </Box>
    );
  }
  // Polling here and the results cannot be stored: why, until they can (messages take precedence).
  if (pollerProblem && !ui.status) {
    return (
      <Box width={width}>
        <Tone token="critical">{fit(`✖ not polling: cannot record results: ${sanitizeLine(pollerProblem, 300)}`, width)}</Tone>
      </Box>
    );
  }
  if (!ui.status) return banner ? <Banner text={banner} width={width} tick={tick} /> : <Box width={width} height={1} />;
  return (
    <Box width={width}>
      <Tone token={ui.status.tone}>{fit(ui.status.text, width)}</Tone>
    </Box>
  );
}

export function Footer({ width }: { width: number }) {
  const { ui, keymap, wallboard, panes } = useUIState();
  const theme = useTheme();
  return (
    <Text color={theme.color('muted')} wrap="truncate-end">
      {footerText(ui, keymap, wallboard, panes, width)}
    </Text>
  );
}
