// The header: project, who acts (flagged when not in `people`), paused or not, who holds the
// poller, last poll, clock. When the width runs out the least important parts go first (see
// fitHeader); "as NAME" and the clock stay.
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
  /** Store trouble and pause, in a warning colour: always shown. */
  alarm: string;
  /** Who holds the poller ("poller: console luna@host pid 42", "no poller"). */
  holder: string;
  /** "last poll 3s ago". */
  lastPoll: string;
  /** Who acts ("as luna", "read-only", "wallboard"): always shown. */
  mode: string;
  /** Beside the mode, in a warning colour ("⚠ not in people"). */
  flag: string;
}

const CLOCK = 8;
const PROJECT_MIN = 10;

/**
 * What fits in `width`, giving up the least important first: the last poll, then the project
 * name down to 10 cells, then the poller's holder, then the rest of the project name; the mode
 * ("as NAME") and its flag are cut only when nothing else is left. The texts' widths, with two
 * cells between the sides and the clock, add up to at most `width`.
 */
export function fitHeader(width: number, parts: HeaderParts): { left: string; muted: string; mode: string; flag: string } {
  const w = stringWidth;
  const project = `imos · ${parts.project}`;
  let projectWidth = Math.min(w(project), Math.max(PROJECT_MIN, Math.floor(width / 3)));
  let optional = [parts.holder, parts.lastPoll];
  let mode = parts.mode;
  let flag = parts.flag ? ` ${parts.flag}` : '';
  const muted = () => (optional.length ? `${optional.join(' · ')} · ` : '');
  const room = () => width - CLOCK - 1 - w(parts.alarm) - projectWidth - 2 - w(muted()) - w(mode) - w(flag);
  if (room() < 0) optional = [parts.holder];
  if (room() < 0) projectWidth = Math.max(Math.min(w(project), PROJECT_MIN), projectWidth + room());
  if (room() < 0) optional = [];
  if (room() < 0) projectWidth = Math.max(1, projectWidth + room());
  if (room() < 0) flag = fit(flag, Math.max(0, w(flag) + room()));
  if (room() < 0) mode = fit(mode, Math.max(0, w(mode) + room()));
  return { left: fit(project, projectWidth), muted: muted(), mode, flag };
}

export function Header({ width, tick }: { width: number; tick: boolean }) {
  const { config, vm, readonly, wallboard, now, actor, storeError, gone, pollerProblem } = useUIState();
  const theme = useTheme();
  const lastPoll = vm.lastPollAt ? `last poll ${compactDuration(vm.nowMs - Date.parse(vm.lastPollAt))} ago` : 'no poll yet';
  const unknown = !wallboard && isUnknownActor(config, actor);
  const refused = unknown && refusesUnknownActors(config);
  const mode = wallboard ? 'wallboard' : readonly && !refused && !gone ? 'read-only' : `as ${sanitizeLine(actor, 40)}`;
  const flag = refused ? '✖ not in people · read-only' : unknown ? '⚠ not in people' : '';
  const storeLabel = gone ? '✖ WORKSPACE GONE ' : storeError ? (storeError.startsWith('store disconnected') ? '✖ STORE DISCONNECTED ' : '✖ STORE UNREADABLE ') : '';
  // Nobody has recorded a round for too long: every console says so, whoever should be polling.
  // A console polling itself says so from its first write that failed.
  const notPolling = !storeError && !gone && (vm.pollerAlarm || pollerProblem) ? '✖ NOT POLLING ' : '';
  const alarm = storeLabel + notPolling + (vm.paused ? `⏸ PAUSED${vm.pausedBy ? ` by ${vm.pausedBy}` : ''} ` : '');
  const fitted = fitHeader(width, { project: sanitizeLine(config.project, 80), alarm, holder: `poller: ${vm.holder}`, lastPoll, mode, flag });
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold color={theme.color('accent')} wrap="truncate-end">
        {fitted.left}
      </Text>
      <Text wrap="truncate-end">
        {alarm ? (
          <Tone token={storeError || gone || notPolling ? 'critical' : 'warn'} bold>
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
