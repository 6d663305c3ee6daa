import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/clock.js';
import { parseMatrix } from './matrix-parse.js';
import { forecastFinish, timeline } from './timeline.js';
import { DEFAULT_PLAN_SETTINGS, parsePlanSettings } from '../config/plan-settings.js';
import { ConfigError } from '../config/load.js';
import type { CompletionSnapshot } from '../model.js';
import type { Matrix } from './types.js';

const DAY = 86_400_000;

/** A phase of 10 tasks, `done` of them done. */
function matrixWith(done: number): Matrix {
  const rows = Array.from({ length: 10 }, (_, i) => `| T${i + 1} | task ${i + 1} | ${i < done ? 'done' : 'todo'} | P1 |`);
  const r = parseMatrix(`| ID | Task | Status | Phase |\n|---|---|---|---|\n${rows.join('\n')}\n`, 'm.md');
  if (!r.ok) throw new Error('bad fixture');
  return r.matrix;
}

const PHASE = { name: 'P1', start: '2025-03-01', end: '2025-03-10' }; // 10 days, UTC

describe('timeline status against elapsed time (driven clock)', () => {
  it('moves from On Track to At Risk to Delayed as time passes without progress', async () => {
    const clock = new ManualClock('2025-03-01T00:00:00Z');
    const m = matrixWith(3);
    const at = () => timeline([PHASE], m, [], clock.now(), DEFAULT_PLAN_SETTINGS, 'UTC').phases[0]!;
    expect(at()).toMatchObject({ status: 'On Track', reason: '30 % done at 0 % of the time' });
    await clock.advance(4 * DAY); // 40 %: 10 points behind is still within the 10-point margin
    expect(at()).toMatchObject({ status: 'On Track', reason: '30 % done at 40 % of the time' });
    await clock.advance(1 * DAY); // 50 %: 20 points behind
    expect(at()).toMatchObject({ status: 'At Risk', reason: '30 % done at 50 % of the time' });
    await clock.advance(1 * DAY); // 60 %: 30 points behind
    expect(at()).toMatchObject({ status: 'Delayed', reason: '30 % done at 60 % of the time' });
    await clock.advance(5 * DAY); // past the end
    expect(at()).toMatchObject({ status: 'Delayed', reason: '30 % done, ended 2025-03-10', elapsedPercent: 100 });
  });

  it('before the start is On Track, a finished phase is On Track whatever the date', () => {
    const early = timeline([PHASE], matrixWith(0), [], Date.parse('2025-02-20T00:00:00Z'), DEFAULT_PLAN_SETTINGS, 'UTC');
    expect(early.phases[0]).toMatchObject({ status: 'On Track', reason: 'starts 2025-03-01 (0 % done)' });
    const late = timeline([PHASE], matrixWith(10), [], Date.parse('2025-04-20T00:00:00Z'), DEFAULT_PLAN_SETTINGS, 'UTC');
    expect(late.phases[0]).toMatchObject({ status: 'On Track', reason: '100 % done' });
  });

  it('uses the project timezone for phase boundaries', () => {
    // 2025-03-01 00:30 in Tokyo is still February 28 in UTC: the phase has just begun in Tokyo.
    const now = Date.parse('2025-02-28T15:30:00Z');
    const tokyo = timeline([PHASE], matrixWith(0), [], now, DEFAULT_PLAN_SETTINGS, 'Asia/Tokyo').phases[0]!;
    const utc = timeline([PHASE], matrixWith(0), [], now, DEFAULT_PLAN_SETTINGS, 'UTC').phases[0]!;
    expect(tokyo.reason).toBe('0 % done at 0 % of the time');
    expect(utc.reason).toBe('starts 2025-03-01 (0 % done)');
  });

  it('follows configured thresholds', () => {
    const strict = parsePlanSettings({ timeline: { at_risk: '0%', delayed: '5%' } });
    const r = timeline([PHASE], matrixWith(3), [], Date.parse('2025-03-05T00:00:00Z'), strict, 'UTC');
    expect(r.phases[0]).toMatchObject({ status: 'Delayed', reason: '30 % done at 40 % of the time' });
  });
});

function snap(at: string, tablesDone: number): CompletionSnapshot {
  return { at, tablesDone, tablesTotal: 10, systemsDone: 0, systemsTotal: 0, tasksDone: 0, tasksTotal: 0 };
}

describe('forecast', () => {
  it('gives none from too few points, and says so', () => {
    const f = forecastFinish([snap('2025-03-01T00:00:00Z', 1), snap('2025-03-02T00:00:00Z', 2)], 3, 'UTC', '2025-03-10');
    expect(f).toEqual({ finish: null, basis: 'no forecast: 2 day(s) of completion snapshots, at least 3 needed', points: 2, pointsPerDay: null, late: false });
  });

  it('fits a line through the history and shows its basis', () => {
    const history = [snap('2025-03-01T00:00:00Z', 1), snap('2025-03-02T00:00:00Z', 2), snap('2025-03-03T00:00:00Z', 3), snap('2025-03-04T00:00:00Z', 4)];
    const f = forecastFinish(history, 3, 'UTC', '2025-03-08');
    // 10 points a day from 10 % on 03-01: 100 % nine days later.
    expect(f).toEqual({
      finish: '2025-03-10',
      basis: 'linear fit over 4 snapshots (2025-03-01 → 2025-03-04), +10 points/day',
      points: 4,
      pointsPerDay: 10,
      late: true,
    });
  });

  it('takes one point a day: snapshots minutes apart are no history', () => {
    // Three `matrix set`s in a row on one day: a fit over them forecast "today" at +300000 points/day.
    const burst = [snap('2025-03-01T09:00:00Z', 3), snap('2025-03-01T09:00:01Z', 4), snap('2025-03-01T09:00:02Z', 5)];
    expect(forecastFinish(burst, 3, 'UTC', null)).toMatchObject({ finish: null, basis: 'no forecast: 1 day(s) of completion snapshots, at least 3 needed', points: 1 });
    // Many snapshots on the last day weigh as much as one: the last of each day counts.
    const history = [snap('2025-03-01T23:00:00Z', 1), snap('2025-03-02T23:00:00Z', 2), snap('2025-03-03T01:00:00Z', 9), snap('2025-03-03T23:00:00Z', 3)];
    expect(forecastFinish(history, 3, 'UTC', null)).toMatchObject({ finish: '2025-03-10', points: 3, pointsPerDay: 10 });
  });

  it('counts a finished project complete from its last return to 100 %', () => {
    const history = [snap('2025-03-01T00:00:00Z', 10), snap('2025-03-02T00:00:00Z', 8), snap('2025-03-03T00:00:00Z', 10), snap('2025-03-04T00:00:00Z', 10)];
    expect(forecastFinish(history, 3, 'UTC', null)).toMatchObject({ finish: '2025-03-03', basis: 'complete since 2025-03-03' });
  });

  it('gives none when completion does not rise', () => {
    const flat = [snap('2025-03-01T00:00:00Z', 4), snap('2025-03-02T00:00:00Z', 4), snap('2025-03-03T00:00:00Z', 3)];
    expect(forecastFinish(flat, 3, 'UTC', null).basis).toBe('no forecast: completion did not rise over 3 snapshots (2025-03-01 → 2025-03-03)');
  });

  it('reports a finished project as complete since the day it reached 100 %', () => {
    const history = [snap('2025-03-01T00:00:00Z', 8), snap('2025-03-02T00:00:00Z', 10), snap('2025-03-03T00:00:00Z', 10)];
    expect(forecastFinish(history, 3, 'UTC', '2025-03-10')).toMatchObject({ finish: '2025-03-02', basis: 'complete since 2025-03-02', late: false });
  });
});

describe('plan settings', () => {
  it('has defaults', () => {
    expect(DEFAULT_PLAN_SETTINGS).toEqual({
      timeline: { atRiskPoints: 10, delayedPoints: 25 },
      forecastMinPoints: 3,
      standup: { due: '10:00', dueMinutes: 600, maxLength: 2000, maxBlockers: 20 },
      workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      autoUpdate: false,
    });
  });

  it('names the bad field', () => {
    const err = (() => {
      try {
        parsePlanSettings({ standup: { due: '25:00' }, timeline: { at_risk: 'lots' }, colour: 'red' }, '/x/imos.yaml');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('/x/imos.yaml: plan.standup.due: expected a time of day like "10:00"');
    expect(err.message).toContain('plan.timeline.at_risk');
    expect(err.message).toMatch(/plan: .*colour/);
  });
});
