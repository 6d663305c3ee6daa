// The header: project, clock, who holds the poller, last poll, paused or not.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useUIState } from './context.js';
import { Tone } from './components/Tone.js';
import { useTheme } from './theme.js';
import stringWidth from 'string-width';
import { fit } from './text.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { clockTime, compactDuration } from './model/format.js';

/** The clock ticks on its own so that the panes are not redrawn every second. */
function Clock({ timezone, now, frozen }: { timezone: string; now: () => number; frozen: boolean }) {
  const [t, setT] = useState(now());
  useEffect(() => {
    if (frozen) return;
    const timer = setInterval(() => setT(now()), 1000);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [now, frozen]);
  return <Text>{clockTime(t, timezone, true)}</Text>;
}

export function Header({ width, tick }: { width: number; tick: boolean }) {
  const { config, vm, readonly, wallboard, now, actor, storeError } = useUIState();
  const theme = useTheme();
  const lastPoll = vm.lastPollAt ? `last poll ${compactDuration(vm.nowMs - Date.parse(vm.lastPollAt))} ago` : 'no poll yet';
  const mode = wallboard ? 'wallboard' : readonly ? 'read-only' : `as ${actor}`;
  const left = fit(`imos · ${sanitizeLine(config.project, 80)}`, Math.max(10, Math.floor(width / 3)));
  const storeLabel = storeError ? (storeError.startsWith('store disconnected') ? '✖ STORE DISCONNECTED ' : '✖ STORE UNREADABLE ') : '';
  // Nobody has recorded a round for too long: every console says so, whoever should be polling.
  const alarm = !storeError && vm.pollerAlarm ? '✖ NOT POLLING ' : '';
  const pausedText = storeLabel + alarm + (vm.paused ? `⏸ PAUSED${vm.pausedBy ? ` by ${vm.pausedBy}` : ''} ` : '');
  // What is left between the project name and the clock (8 cells and a space).
  const room = Math.max(0, width - stringWidth(left) - 2 - 8 - stringWidth(pausedText));
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold color={theme.color('accent')} wrap="truncate-end">
        {left}
      </Text>
      <Text wrap="truncate-end">
        {pausedText ? (
          <Tone token={storeError || alarm ? 'critical' : 'warn'} bold>
            {pausedText}
          </Tone>
        ) : null}
        <Text color={theme.color('muted')}>{fit(`poller: ${vm.holder} · ${lastPoll} · ${mode} · `, room)}</Text>
        {' '}
        <Clock timezone={config.timezone} now={now} frozen={!tick} />
      </Text>
    </Box>
  );
}
