// The header: project, who acts (flagged when not in `people`), paused or not, who holds the
// poller, last poll, clock. When the width runs out the least important parts go first: the
// poller's holder, then the last poll, then the project name shrinks; "as NAME" and the clock stay.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useUIState } from './context.js';
import { Tone } from './components/Tone.js';
import { useTheme } from './theme.js';
import stringWidth from 'string-width';
import { fit } from './text.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { isUnknownActor, refusesUnknownActors } from '../src/identity.js';
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

export interface HeaderParts {
  project: string;
  /** Store trouble and pause, in a warning colour. */
  alarm: string;
  /** Optional, most important last: dropped first to last. */
  optional: string[];
  /** Who acts ("as luna", "read-only", "wallboard"): always shown. */
  mode: string;
  /** Beside the mode, in a warning colour ("⚠ not in people"). */
  flag: string;
}

const CLOCK = 8;

/**
 * What fits in `width`: the project (at most a third of the width, at least 10 cells while the
 * optional parts go), the optional parts that still fit, and the mode and flag whole if at all
 * possible. Returns the texts to draw; their widths add up to at most `width`.
 */
export function fitHeader(width: number, parts: HeaderParts): { left: string; muted: string; mode: string; flag: string } {
  const w = stringWidth;
  const fixed = CLOCK + 1 + w(parts.alarm);
  let mode = parts.mode;
  let flag = parts.flag ? ` ${parts.flag}` : '';
  const project = `imos · ${parts.project}`;
  let left = fit(project, Math.min(w(project), Math.max(10, Math.floor(width / 3))));
  const room = () => width - fixed - w(left) - 2 - w(mode) - w(flag);
  // Drop the optional parts from the front (least important first) until the rest fits.
  let optional = [...parts.optional];
  const text = () => (optional.length ? `${optional.join(' · ')} · ` : '');
  while (optional.length && w(text()) > room()) optional = optional.slice(1);
  if (room() < 0) left = fit(project, Math.max(1, w(left) + room()));
  if (room() < 0) flag = fit(flag, Math.max(0, w(flag) + room()));
  if (room() < 0) mode = fit(mode, Math.max(0, w(mode) + room()));
  return { left, muted: text(), mode, flag };
}

export function Header({ width, tick }: { width: number; tick: boolean }) {
  const { config, vm, readonly, wallboard, now, actor, storeError } = useUIState();
  const theme = useTheme();
  const lastPoll = vm.lastPollAt ? `last poll ${compactDuration(vm.nowMs - Date.parse(vm.lastPollAt))} ago` : 'no poll yet';
  const unknown = !wallboard && isUnknownActor(config, actor);
  const refused = unknown && refusesUnknownActors(config);
  const mode = wallboard ? 'wallboard' : readonly && !refused ? 'read-only' : `as ${sanitizeLine(actor, 40)}`;
  const flag = refused ? '✖ not in people · read-only' : unknown ? '⚠ not in people' : '';
  const storeLabel = storeError ? (storeError.startsWith('store disconnected') ? '✖ STORE DISCONNECTED ' : '✖ STORE UNREADABLE ') : '';
  const alarm = storeLabel + (vm.paused ? `⏸ PAUSED${vm.pausedBy ? ` by ${vm.pausedBy}` : ''} ` : '');
  const fitted = fitHeader(width, { project: sanitizeLine(config.project, 80), alarm, optional: [`poller: ${vm.holder}`, lastPoll], mode, flag });
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold color={theme.color('accent')} wrap="truncate-end">
        {fitted.left}
      </Text>
      <Text wrap="truncate-end">
        {alarm ? (
          <Tone token={storeError ? 'critical' : 'warn'} bold>
            {alarm}
          </Tone>
        ) : null}
        <Text color={theme.color('muted')}>{fitted.muted}</Text>
        <Text>{fitted.mode}</Text>
        {fitted.flag ? (
          <Tone token={refused ? 'critical' : 'warn'} bold>
            {fitted.flag}
          </Tone>
        ) : null}{' '}
        <Clock timezone={config.timezone} now={now} frozen={!tick} />
      </Text>
    </Box>
  );
}
