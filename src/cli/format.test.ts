import { describe, expect, it } from 'vitest';
import { STATUS_GLYPH } from './format.js';
import { statusGlyph } from '../../views/theme.js';

describe('CLI status glyphs', () => {
  it('are the console’s, one per status (HIGH and MEDIUM told apart without colour)', () => {
    expect(new Set(Object.values(STATUS_GLYPH)).size).toBe(Object.keys(STATUS_GLYPH).length);
    for (const status of Object.keys(STATUS_GLYPH) as Array<keyof typeof STATUS_GLYPH>) {
      expect([status, STATUS_GLYPH[status]]).toEqual([status, statusGlyph(status)]);
    }
  });
});
