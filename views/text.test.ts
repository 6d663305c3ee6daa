import { describe, expect, it } from 'vitest';
import { fit, pad, wrapCells } from './text.js';

describe('fit', () => {
  it('cuts by display width, CJK and emoji taking two cells', () => {
    expect(fit('abc', 3)).toBe('abc');
    expect(fit('abcd', 3)).toBe('ab…');
    expect(fit('日本語です', 6)).toBe('日本…');
    expect(fit('日本語', 6)).toBe('日本語');
    expect(pad('🔥x', 4)).toBe('🔥x ');
    // Zero-width characters beyond the measured head do not make a fitting text look too wide.
    const marks = 'e' + '\u0301'.repeat(100);
    expect(fit(marks, 3)).toBe(marks);
  });

  it('a very long text costs what is shown, not its whole length (the console redraws it every frame)', () => {
    const names = Array.from({ length: 500 }, (_, i) => `sys-${i}-システム-${'x'.repeat(40)}`).join(', ');
    const text = `○ no standup yet: ${names}`;
    const expected = fit(text.slice(0, 200), 60);
    expect(expected).toMatch(/^○ no standup yet: sys-0-システム-x+…$/);
    // What it costs against a short line is measured by `npm run bench` (text).
    for (let i = 0; i < 5; i++) expect(fit(text, 60)).toBe(expected);
  });
});

describe('wrapCells', () => {
  it('wraps by display width: wide characters are never split or cut, the last line says when text is left', () => {
    expect(wrapCells('abcdefg', 3, 5)).toEqual(['abc', 'def', 'g']);
    expect(wrapCells('障害が発生しています', 6, 5)).toEqual(['障害が', '発生し', 'ていま', 'す']);
    expect(wrapCells('ab🔥cd', 3, 5)).toEqual(['ab', '🔥c', 'd']);
    expect(wrapCells('障害が発生しています', 6, 2)).toEqual(['障害が', '発生…']);
    expect(wrapCells('', 10, 3)).toEqual([]);
  });
});
