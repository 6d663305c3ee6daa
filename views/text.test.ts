import { describe, expect, it } from 'vitest';
import { fit, pad, wrapWords } from './text.js';

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

describe('wrapWords', () => {
  it('wraps at word boundaries by display width: words are not split unless longer than a line, wide characters never', () => {
    expect(wrapWords('ack within 30m: pending > 0 on hotel-pms', 16)).toEqual(['ack within 30m:', 'pending > 0 on', 'hotel-pms']);
    expect(wrapWords('障害が発生しています', 6)).toEqual(['障害が', '発生し', 'ていま', 'す']);
    expect(wrapWords('a 障害が発生 b', 7)).toEqual(['a 障害', 'が発生', 'b']);
    expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapWords('', 10)).toEqual([]);
  });
});
