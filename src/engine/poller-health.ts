// Whether someone is watching: the rule every face applies to tell that no poller has completed a
// round for too long (the header of every console, the dashboard, `/healthz`). Pure: the newest
// recorded result, the configured intervals and the time in, a reason (or null) out.
import type { CheckConfig } from '../config/types.js';
import { formatDuration } from '../text/durations.js';

/** Never call a poller overdue sooner than this, however short the intervals. */
export const OVERDUE_FLOOR_MS = 60_000;
/** A round is overdue after this many of the shortest interval. */
export const OVERDUE_INTERVALS = 3;

/** How long without a recorded round before nobody is watching: 3 × the shortest interval, at least 1 min; null without checks. */
export function overdueAfterMs(checks: readonly Pick<CheckConfig, 'everyMs'>[]): number | null {
  if (checks.length === 0) return null;
  // A loop, not Math.min(...list): the console asks at every frame, over thousands of checks.
  let shortest = Infinity;
  for (const c of checks) if (c.everyMs < shortest) shortest = c.everyMs;
  return Math.max(OVERDUE_FLOOR_MS, OVERDUE_INTERVALS * shortest);
}

export interface RoundInput {
  checks: readonly Pick<CheckConfig, 'everyMs'>[];
  /** The newest result recorded by any process (ResultsView.lastPollAt). */
  lastPollAt: string | null;
  /** Since when the caller has been looking: a store that never had a round is not overdue at once. */
  watchingSinceMs: number;
  nowMs: number;
  paused: boolean;
}

/** Why no poller is doing its job, or null when a round was recorded recently enough. */
export function overdueRound(input: RoundInput): string | null {
  const limit = overdueAfterMs(input.checks);
  if (limit === null) return null;
  const last = input.lastPollAt ? Date.parse(input.lastPollAt) : Number.NaN;
  const since = Number.isNaN(last) ? input.watchingSinceMs : Math.max(last, input.watchingSinceMs);
  const quiet = input.nowMs - since;
  if (quiet < limit) return null;
  const what = Number.isNaN(last) ? 'no poller has recorded a round yet' : `no poller has recorded a round for ${formatDuration(input.nowMs - last, 'spaced')}`;
  return `${what} (overdue after ${formatDuration(limit, 'exact')})${input.paused ? '; polling is paused' : ''}`;
}
