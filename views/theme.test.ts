import { describe, expect, it } from 'vitest';
import { STATUS_GLYPH } from '../src/cli/format.js';
import { CHECK_STATUSES } from '../src/model.js';
import { colorTheme, monoTheme, resolveTheme, statusGlyph, statusToken } from './theme.js';

describe('theme', () => {
  it('honours NO_COLOR (any non-empty value) and --no-color', () => {
    expect(resolveTheme({ env: { NO_COLOR: '1' } })).toBe(monoTheme);
    expect(resolveTheme({ env: { NO_COLOR: '' } })).toBe(colorTheme);
    expect(resolveTheme({ env: {}, noColor: true })).toBe(monoTheme);
    expect(resolveTheme({ env: {} })).toBe(colorTheme);
  });

  it('draws no colour in monochrome, and keeps emphasis for the serious tokens', () => {
    for (const t of ['ok', 'warn', 'high', 'critical', 'muted', 'accent'] as const) expect(monoTheme.color(t)).toBeUndefined();
    expect(monoTheme.bold('critical')).toBe(true);
    expect(colorTheme.color('critical')).toBe('red');
  });

  it('gives every status a distinct glyph as well as a colour token', () => {
    const glyphs = CHECK_STATUSES.map(statusGlyph);
    expect(new Set(glyphs).size).toBe(CHECK_STATUSES.length);
    for (const s of CHECK_STATUSES) expect(statusToken(s)).toBeTruthy();
  });

  it('draws the glyphs the CLI prints (imos check, imos status)', () => {
    for (const s of CHECK_STATUSES) expect([s, STATUS_GLYPH[s]]).toEqual([s, statusGlyph(s)]);
  });
});
