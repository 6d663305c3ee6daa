// Durations read and written in one place: every style imos shows a span of time in, and the two
// ways one is read (imos.yaml and the command line; typed at the console's prompt).
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, type DurationStyle } from './durations.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it('reads durations as imos.yaml and the command line write them', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30 * S);
    expect(parseDuration('1h30m')).toBe(H + 30 * M);
    expect(parseDuration('1.5h')).toBe(1.5 * H);
    expect(parseDuration('2w')).toBe(14 * D);
    expect(parseDuration(' 10m ')).toBe(10 * M);
    for (const bad of ['', '10', '1h 30m', '10M', 'soon', '-5m']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('reads what a person types at a prompt: any case, spaces between the parts, seconds up', () => {
    const typed = (text: string) => parseDuration(text, { typed: true });
    expect(typed('90s')).toBe(90 * S);
    expect(typed('1h 30m')).toBe(H + 30 * M);
    expect(typed('1 H 30 M')).toBe(H + 30 * M);
    expect(typed('1d')).toBe(D);
    expect(typed('1w')).toBe(7 * D);
    for (const bad of ['', '500ms', '2026-01-05T18:00', '1 2h', 'h', '30 minutes']) expect(typed(bad), bad).toBeNull();
  });
});

describe('formatDuration', () => {
  const cases: Array<[DurationStyle, number, string]> = [
    ['compact', 42 * S, '42s'],
    ['compact', 3 * H + 5 * M, '3h5m'],
    ['compact', -5 * M, '-5m'],
    ['spaced', 2 * D + 4 * H, '2d 4h'],
    ['minutes', 3 * H + 5 * M + 40 * S, '3h6m'],
    ['exact', 400, '400ms'],
    ['exact', 90 * S, '1m30s'],
    ['measured', 850, '850 ms'],
    ['measured', 1500, '1.5s'],
    ['words', 45 * S, '45 s'],
    ['words', H + 5 * M, '1 h 5 min'],
    // A lag or an age a check measured.
    ['elapsed', 2340, '2.3s'],
    ['elapsed', 42 * S, '42s'],
    ['elapsed', 423 * S, '7m 3s'],
    ['elapsed', 3 * H + 5 * M, '3h 5m'],
    ['elapsed', 2 * D + 4 * H, '2d 4h'],
    ['elapsed', -3 * S, '0s'],
    // A timeout in an error message.
    ['seconds', 500, '500ms'],
    ['seconds', 1500, '1.5s'],
    ['seconds', 90 * S, '90s'],
    // How long something has waited, in its largest whole unit.
    ['largest', 20 * M + 30 * S, '20m'],
    ['largest', 5 * H + 59 * M, '5h'],
    ['largest', 3 * D + 23 * H, '3d'],
    ['largest', -M, '0m'],
    // How long an alert has been open: days and hours, minutes only under an hour.
    ['hours', 20 * M, '20m'],
    ['hours', 5 * H + 59 * M, '5h'],
    ['hours', 2 * D + 4 * H + 30 * M, '2d4h'],
    ['hours', 2 * D + 30 * M, '2d'],
    // When something happened.
    ['ago', 4 * S, 'just now'],
    ['ago', 42 * S, '42s ago'],
    ['ago', 3 * M + 59 * S, '3m ago'],
    ['ago', 2 * H + 59 * M, '2h ago'],
    ['ago', 4 * D + 23 * H, '4d ago'],
  ];
  it.each(cases)('%s: %d ms is "%s"', (style, ms, text) => {
    expect(formatDuration(ms, style)).toBe(text);
  });

  it('says "–" for no duration', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(null, 'elapsed')).toBe('–');
  });
});
