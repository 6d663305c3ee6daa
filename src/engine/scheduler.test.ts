import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../config/types.js';
import { ManualClock } from '../time/clock.js';
import { Scheduler } from './scheduler.js';

const check = (id: string, everyMs: number, timeoutMs = 1000): CheckConfig => ({
  id,
  system: 's',
  kind: 'command',
  everyMs,
  timeoutMs,
  failureThreshold: 1,
  successThreshold: 1,
  thresholds: [],
  expect: [],
  severity: 'CRITICAL',
  options: {},
});

describe('Scheduler', () => {
  it('runs each check on its interval with a driven clock', async () => {
    const clock = new ManualClock();
    const runs: Array<[string, number]> = [];
    const t0 = clock.now();
    const scheduler = new Scheduler({
      checks: [check('fast', 10_000), check('slow', 60_000)],
      clock,
      concurrency: 4,
      jitter: 0,
      runOne: async (c) => {
        runs.push([c.id, clock.now() - t0]);
      },
    });
    scheduler.start();
    await clock.advance(125_000);
    scheduler.stop();
    expect(runs.filter(([id]) => id === 'fast').map(([, t]) => t)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 110_000, 120_000]);
    expect(runs.filter(([id]) => id === 'slow').map(([, t]) => t)).toEqual([0, 60_000, 120_000]);
    expect(clock.pending).toBe(0);
  });

  it('`every` is from start to start: a run that takes a third of the interval does not stretch it', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const t0 = clock.now();
    const scheduler = new Scheduler({
      checks: [check('slow-run', 30_000)],
      clock,
      concurrency: 4,
      jitter: 0,
      runOne: async () => {
        starts.push(clock.now() - t0);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 10_000));
      },
    });
    scheduler.start();
    await clock.advance(24 * 60 * 60_000);
    scheduler.stop();
    expect(starts.slice(0, 4)).toEqual([0, 30_000, 60_000, 90_000]);
    // A day of 30 s intervals: 2880 runs (not 2160, as when the 10 s of each run were added).
    expect(starts).toHaveLength(2881);
  });

  it('over a long run with jitter, the mean interval stays `every`', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const scheduler = new Scheduler({
      checks: [check('jittered', 60_000)],
      clock,
      concurrency: 1,
      random,
      runOne: async () => {
        starts.push(clock.now());
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 2_000));
      },
    });
    scheduler.start();
    await clock.advance(12 * 60 * 60_000);
    scheduler.stop();
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - 60_000)).toBeLessThan(500);
    // Jitter is at most 10 % of the interval (5 s here: ±2.5 s).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(57_500);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(62_500);
  });

  it('holds at most `concurrency` slots per target, lends a slow run\'s slot on after its patience, never runs one check twice at once', async () => {
    const clock = new ManualClock();
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const counts = new Map<string, number>();
    const scheduler = new Scheduler({
      checks: Array.from({ length: 8 }, (_, i) => check(`c${i}`, 1_000, 30_000)),
      clock,
      concurrency: 2,
      patienceMs: 1_000,
      jitter: 0,
      runOne: (c) =>
        new Promise<void>((resolve) => {
          active++;
          peak = Math.max(peak, active);
          counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
          releases.push(() => {
            active--;
            resolve();
          });
        }),
    });
    scheduler.start();
    await clock.advance(500); // two runs hold the two slots; nothing else may start
    expect(active).toBe(2);
    await clock.advance(1_000); // past their patience they run on outside the limit: two more start
    expect(active).toBe(4);
    await clock.advance(5_000); // at most `concurrency` runs outside the limit: the next two keep their slots
    expect(active).toBe(4);
    expect([...counts.values()]).toEqual([1, 1, 1, 1]);
    for (let round = 0; round < 10 && releases.length > 0; round++) {
      releases.splice(0).forEach((r) => r());
      await clock.advance(0);
    }
    expect(peak).toBe(4);
    expect(counts.size).toBe(8);
    scheduler.stop();
  });

  it('four checks hanging until their timeout do not hold up the other checks of their target', async () => {
    const clock = new ManualClock();
    const lags = new Map<string, number[]>();
    const hung = Array.from({ length: 4 }, (_, i) => check(`hung${i}`, 10_000, 10_000));
    const fast = Array.from({ length: 20 }, (_, i) => check(`fast${i}`, 10_000, 10_000));
    const scheduler = new Scheduler({
      checks: [...hung, ...fast],
      clock,
      concurrency: 4,
      jitter: 0,
      // Like runCheck: a check that hangs ends at its timeout.
      runOne: (c) => new Promise<void>((resolve) => clock.setTimeout(resolve, c.id.startsWith('hung') ? c.timeoutMs : 10)),
      onStart: (c, lateMs) => lags.set(c.id, [...(lags.get(c.id) ?? []), lateMs]),
    });
    scheduler.start();
    await clock.advance(60_000);
    scheduler.stop();
    const fastLags = fast.flatMap((c) => lags.get(c.id) ?? []);
    expect(fastLags.length).toBeGreaterThanOrEqual(20 * 5);
    // Each waits at most for the hung runs' patience (1 s), never for their 10 s timeout.
    expect(Math.max(...fastLags)).toBeLessThanOrEqual(1_000 + 10 * 20);
  });

  it('a target that hangs holds up only its own checks: the others run on time', async () => {
    const clock = new ManualClock();
    const lags: number[] = [];
    let slowRuns = 0;
    const slow = Array.from({ length: 10 }, (_, i) => ({ ...check(`slow${i}`, 5_000, 60_000), options: { host: 'down.example' } }));
    const other = Array.from({ length: 10 }, (_, i) => ({ ...check(`other${i}`, 5_000, 60_000), options: { host: 'up.example' } }));
    const scheduler = new Scheduler({
      checks: [...slow, ...other],
      clock,
      concurrency: 2,
      jitter: 0,
      laneOf: (c) => String(c.options.host),
      runOne: (c) => {
        if (c.id.startsWith('slow')) {
          slowRuns++;
          return new Promise<void>(() => {}); // never ends
        }
        return new Promise<void>((resolve) => clock.setTimeout(resolve, 50));
      },
      onStart: (c, lateMs) => {
        if (c.id.startsWith('other')) lags.push(lateMs);
      },
    });
    scheduler.start();
    await clock.advance(60_000);
    scheduler.stop();
    // The hanging target: two runs in its slots, two past their patience, the rest wait.
    expect(slowRuns).toBe(4);
    // The other target: every run of every check, each at most a few runs of 50 ms late.
    expect(lags.length).toBeGreaterThanOrEqual(10 * 12);
    expect(Math.max(...lags)).toBeLessThanOrEqual(5 * 50);
  });

  it('never more than `maxInFlight` runs at once, whatever the targets', async () => {
    const clock = new ManualClock();
    let active = 0;
    let peak = 0;
    const scheduler = new Scheduler({
      checks: Array.from({ length: 30 }, (_, i) => ({ ...check(`c${i}`, 5_000), options: { host: `h${i}` } })),
      clock,
      concurrency: 4,
      maxInFlight: 8,
      jitter: 0,
      laneOf: (c) => String(c.options.host),
      runOne: () =>
        new Promise<void>((resolve) => {
          peak = Math.max(peak, ++active);
          clock.setTimeout(() => {
            active--;
            resolve();
          }, 100);
        }),
    });
    const all = scheduler.runNow();
    await clock.advance(1_000);
    await all;
    expect(peak).toBe(8);
  });

  it('spreads the first runs of a large configuration at `startRate` per second, within each interval', async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const starts: number[] = [];
    let seed = 11;
    const scheduler = new Scheduler({
      checks: Array.from({ length: 1_000 }, (_, i) => check(`c${i}`, i % 2 === 0 ? 600_000 : 4_000)),
      clock,
      concurrency: 4,
      startRate: 100,
      random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
      runOne: async (c) => {
        if (c.everyMs === 600_000) starts.push(clock.now() - t0);
      },
    });
    scheduler.start();
    await clock.advance(20_000);
    scheduler.stop();
    // 1,000 checks at 100 a second: over 10 s, not all in the first 2 s.
    expect(starts).toHaveLength(500);
    expect(Math.max(...starts)).toBeGreaterThan(9_000);
    expect(Math.max(...starts)).toBeLessThan(10_000);
    const firstSecond = starts.filter((t) => t < 1_000).length;
    expect(firstSecond).toBeLessThan(100);
  });

  it('skips scheduled runs while paused and still runs on demand', async () => {
    const clock = new ManualClock();
    const runs: string[] = [];
    const scheduler = new Scheduler({ checks: [check('a', 1_000), check('b', 1_000)], clock, concurrency: 2, jitter: 0, runOne: async (c) => void runs.push(c.id) });
    scheduler.setPaused(true);
    scheduler.start();
    await clock.advance(10_000);
    expect(runs).toEqual([]);
    await scheduler.runNow(['b']);
    expect(runs).toEqual(['b']);
    scheduler.setPaused(false);
    await clock.advance(1_000);
    expect(runs.filter((r) => r === 'a').length).toBeGreaterThanOrEqual(1);
    scheduler.stop();
  });

  it('spreads the first runs with jitter', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const t0 = clock.now();
    let r = 0;
    const scheduler = new Scheduler({
      checks: Array.from({ length: 4 }, (_, i) => check(`c${i}`, 60_000)),
      clock,
      concurrency: 4,
      random: () => [0.1, 0.5, 0.9, 0.3][r++ % 4]!,
      runOne: async () => void starts.push(clock.now() - t0),
    });
    scheduler.start();
    await clock.advance(3_000);
    scheduler.stop();
    expect(new Set(starts).size).toBe(4);
    expect(Math.max(...starts)).toBeLessThanOrEqual(2_000);
  });

  it("reads a check's target when it first runs, not for every check it holds (one run of 10,000 checks reads one)", async () => {
    const clock = new ManualClock();
    const read: string[] = [];
    const ran: string[] = [];
    const active = new Map<string, number>();
    let peak = 0;
    const scheduler = new Scheduler({
      checks: Array.from({ length: 5 }, (_, i) => ({ ...check(`c${i}`, 60_000), options: { host: i < 3 ? 'a.example' : 'b.example' } })),
      clock,
      concurrency: 1,
      jitter: 0,
      laneOf: (c) => {
        read.push(c.id);
        return String(c.options.host);
      },
      runOne: (c) => {
        const host = String(c.options.host);
        active.set(host, (active.get(host) ?? 0) + 1);
        peak = Math.max(peak, active.get(host)!);
        return new Promise<void>((resolve) =>
          clock.setTimeout(() => {
            active.set(host, active.get(host)! - 1);
            ran.push(c.id);
            resolve();
          }, 10),
        );
      },
    });
    const one = scheduler.runNow(['c1']);
    await clock.advance(10);
    await one;
    expect(read).toEqual(['c1']);
    // Every check run: each target read once, and a target's checks still take its one slot in turn.
    scheduler.start();
    await clock.advance(1_000);
    scheduler.stop();
    expect([...read].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect([...ran].sort()).toEqual(['c0', 'c1', 'c1', 'c2', 'c3', 'c4']);
    expect(peak).toBe(1);
  });
});
