import { describe, expect, it } from 'vitest';
import type { CheckConfig } from '../config/types.js';
import { ManualClock } from '../time/clock.js';
import { Scheduler } from './scheduler.js';

const check = (id: string, everyMs: number): CheckConfig => ({
  id,
  system: 's',
  kind: 'command',
  everyMs,
  timeoutMs: 1000,
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

  it('never runs more than `concurrency` checks at once, nor one check twice at once', async () => {
    const clock = new ManualClock();
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const counts = new Map<string, number>();
    const scheduler = new Scheduler({
      checks: Array.from({ length: 6 }, (_, i) => check(`c${i}`, 1_000)),
      clock,
      concurrency: 2,
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
    await clock.advance(5_000); // the first two hang: nothing else may start, nothing doubles
    expect(active).toBe(2);
    expect([...counts.values()]).toEqual([1, 1]);
    for (let round = 0; round < 10 && releases.length > 0; round++) {
      releases.splice(0).forEach((r) => r());
      await clock.advance(0);
    }
    expect(peak).toBe(2);
    expect(counts.size).toBe(6);
    scheduler.stop();
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
});
