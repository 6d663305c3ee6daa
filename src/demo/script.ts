// The demo's scripted day, as a pure function of demo time. The world (services, database
// writers) asks `momentAt` what should be true now; nothing here does I/O.
//
// Demo time runs `speed` times faster than the wall clock (--speed 60: one demo minute per real
// second). The day repeats every CYCLE_MINUTES, so a demo left running keeps showing incidents.

export const MINUTE = 60_000;

/** Length of one scripted day, in demo minutes. */
export const CYCLE_MINUTES = 120;

/** Demo wall-clock time of the cycle's start (shown in the demo's own log lines). */
export const DAY_STARTS_AT = '09:00';

export interface ScriptEvent {
  /** Demo minutes from the cycle's start. */
  at: number;
  text: string;
}

/** What the world looks like at one moment of the day. */
export interface DemoMoment {
  /** Minutes into the current cycle. */
  minute: number;
  /** Which cycle (0 = the first). */
  cycle: number;
  /** hotel-pms answers 503 on /health. */
  pmsDown: boolean;
  /** The PMS reservation sync stopped writing sync_state (it follows the PMS: no API, no sync). */
  syncStalled: boolean;
  /** The order-events consumer stopped marking outbox rows processed: the backlog grows. */
  outboxConsumerStalled: boolean;
}

interface Span {
  from: number;
  to: number;
}

// Long enough, in demo minutes, that a CRITICAL alert escalates (after 30m) before it resolves.
const PMS_OUTAGE: Span = { from: 5, to: 45 };
const OUTBOX_STALL: Span = { from: 60, to: 95 };

/** Order events the SaaS produces per demo minute (a stall of 35 minutes leaves 175 behind). */
export const EVENTS_PER_DEMO_MINUTE = 5;

export const SCRIPT: ScriptEvent[] = [
  { at: 0, text: 'the day starts: every system answers, sync is current' },
  { at: PMS_OUTAGE.from, text: 'hotel-pms API goes down (503); the reservation sync stalls with it' },
  { at: PMS_OUTAGE.to, text: 'hotel-pms API is back; the reservation sync catches up' },
  { at: OUTBOX_STALL.from, text: 'the order-events consumer stalls: the outbox backlog grows' },
  { at: OUTBOX_STALL.to, text: 'the order-events consumer recovers and drains the backlog' },
];

const inside = (minute: number, span: Span): boolean => minute >= span.from && minute < span.to;

/** The world at `demoElapsedMs` after the demo started. */
export function momentAt(demoElapsedMs: number): DemoMoment {
  const total = Math.max(0, demoElapsedMs) / MINUTE;
  const cycle = Math.floor(total / CYCLE_MINUTES);
  const minute = total - cycle * CYCLE_MINUTES;
  const pmsDown = inside(minute, PMS_OUTAGE);
  return { minute, cycle, pmsDown, syncStalled: pmsDown, outboxConsumerStalled: inside(minute, OUTBOX_STALL) };
}

/** Script events whose time falls in (fromMs, toMs] of demo time, across cycle boundaries. */
export function eventsBetween(fromMs: number, toMs: number): Array<ScriptEvent & { cycle: number }> {
  const out: Array<ScriptEvent & { cycle: number }> = [];
  if (toMs <= fromMs) return out;
  const firstCycle = Math.floor(Math.max(0, fromMs) / MINUTE / CYCLE_MINUTES);
  const lastCycle = Math.floor(toMs / MINUTE / CYCLE_MINUTES);
  for (let cycle = firstCycle; cycle <= lastCycle; cycle++) {
    for (const event of SCRIPT) {
      const at = (cycle * CYCLE_MINUTES + event.at) * MINUTE;
      // The very first event (minute 0 of cycle 0) belongs to the start, fromMs = -1 includes it.
      if (at > fromMs && at <= toMs) out.push({ ...event, cycle });
    }
  }
  return out;
}

/** "09:05" for a demo minute of the day (for log lines). */
export function demoClockLabel(minute: number): string {
  const [h, m] = DAY_STARTS_AT.split(':').map(Number) as [number, number];
  const total = Math.floor(h * 60 + m + minute) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Scale a duration written for demo time to real time at `speed`, never below `floorMs`. */
export function scaleDuration(ms: number, speed: number, floorMs: number): number {
  return Math.max(floorMs, Math.round(ms / speed / 1000) * 1000);
}

/** The console's clock of the demo: "09:41 (scripted day)", then "09:41 (scripted day 2)" once the day repeats. */
export function demoClockText(demoElapsedMs: number): string {
  const moment = momentAt(demoElapsedMs);
  return `${demoClockLabel(moment.minute)} (scripted day${moment.cycle > 0 ? ` ${moment.cycle + 1}` : ''})`;
}
