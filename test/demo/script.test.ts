// The scripted day is a pure function of demo time: what happens when, and across cycles.
import { describe, expect, it } from 'vitest';
import { CYCLE_MINUTES, EVENTS_PER_DEMO_MINUTE, MINUTE, demoClockLabel, demoClockText, eventsBetween, momentAt, scaleDuration } from '../../src/demo/script.js';

describe('demo script', () => {
  it('the console’s clock names the scripted day once, with its number once it repeats', () => {
    expect(demoClockText(41 * MINUTE)).toBe('09:41 (scripted day)');
    expect(demoClockText((CYCLE_MINUTES + 41) * MINUTE)).toBe('09:41 (scripted day 2)');
    expect(demoClockText((2 * CYCLE_MINUTES + 41) * MINUTE)).not.toMatch(/\(day \d+\).*\(scripted day\)/);
  });

  it('takes the PMS down for long enough that a CRITICAL alert escalates (30m) before it resolves', () => {
    expect(momentAt(4 * MINUTE).pmsDown).toBe(false);
    expect(momentAt(5 * MINUTE).pmsDown).toBe(true);
    expect(momentAt(44.9 * MINUTE).pmsDown).toBe(true);
    expect(momentAt(45 * MINUTE).pmsDown).toBe(false);
    const down = Array.from({ length: CYCLE_MINUTES }, (_, m) => momentAt(m * MINUTE).pmsDown).filter(Boolean).length;
    expect(down).toBeGreaterThan(30 + 2); // escalation delay plus the failures needed to open it
  });

  it('stalls the sync with the PMS, so lag climbs past 5 s of real time at any speed up to 400', () => {
    for (let m = 0; m < CYCLE_MINUTES; m++) expect(momentAt(m * MINUTE).syncStalled).toBe(momentAt(m * MINUTE).pmsDown);
    const stalledMinutes = Array.from({ length: CYCLE_MINUTES }, (_, m) => momentAt(m * MINUTE).syncStalled).filter(Boolean).length;
    expect((stalledMinutes * 60) / 400).toBeGreaterThan(5);
  });

  it('stalls the outbox consumer long enough to leave more than 100 events behind', () => {
    const stalled = Array.from({ length: CYCLE_MINUTES }, (_, m) => momentAt(m * MINUTE).outboxConsumerStalled).filter(Boolean).length;
    expect(stalled * EVENTS_PER_DEMO_MINUTE).toBeGreaterThan(100);
    expect(momentAt(60 * MINUTE).pmsDown).toBe(false); // one incident at a time
  });

  it('repeats the day', () => {
    expect(momentAt((CYCLE_MINUTES + 10) * MINUTE)).toMatchObject({ cycle: 1, pmsDown: true });
    const events = eventsBetween(-1, (CYCLE_MINUTES + 6) * MINUTE);
    expect(events[0]).toMatchObject({ at: 0, cycle: 0 });
    expect(events.filter((e) => e.text.includes('goes down')).map((e) => e.cycle)).toEqual([0, 1]);
    expect(eventsBetween(5 * MINUTE, 5 * MINUTE)).toEqual([]);
  });

  it('labels demo minutes as a time of day and scales durations with a floor', () => {
    expect(demoClockLabel(0)).toBe('09:00');
    expect(demoClockLabel(65)).toBe('10:05');
    expect(scaleDuration(30 * MINUTE, 60, 1000)).toBe(30_000);
    expect(scaleDuration(15_000, 60, 1000)).toBe(1000);
    expect(scaleDuration(0, 60, 0)).toBe(0);
  });
});
