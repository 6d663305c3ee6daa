import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText } from './sanitize.js';

// The sanitising as it is defined, every replacement applied to every text: the fast path that
// returns a text without controls as it is must give the same answer.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const STRING_SEQUENCE = /\u001B[\]P^_X][^\u0007\u001B]*(\u0007|\u001B\\)?/g;
const fullText = (s: string) => stripAnsi(s.replace(STRING_SEQUENCE, '')).replace(CONTROL, '');
const fullLine = (s: string, max = 200) => {
  const line = fullText(s).replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
};

describe('sanitising text from monitored systems', () => {
  it('removes escape sequences, controls and bidi overrides, and makes one line of whitespace', () => {
    expect(sanitizeText('\u001B[31mred\u001B[0m \u001B]0;title\u0007ok\u202Eevil\u0000')).toBe('red okevil');
    expect(sanitizeText('tab\tand\nnewline kept')).toBe('tab\tand\nnewline kept');
    expect(sanitizeLine('  two  spaces,\ta tab,\nline\u00A0nbsp  ')).toBe('two spaces, a tab, line nbsp');
    expect(sanitizeLine('\u009B31mC1 CSI')).toBe('C1 CSI');
    expect(sanitizeText('\u001B[1mbold')).toBe('bold');
    expect(sanitizeLine('a\u00A0b\u3000c')).toBe('a b c');
    expect(sanitizeLine(' lead')).toBe('lead');
    expect(sanitizeLine('trail ')).toBe('trail');
    expect(sanitizeLine('x'.repeat(10), 5)).toBe('xxxx…');
    expect(sanitizeLine(null)).toBe('');
    expect(sanitizeLine(42)).toBe('42');
    expect(sanitizeLine('200 OK in 522 ms — expected latency < 500ms ✓ 東京')).toBe('200 OK in 522 ms — expected latency < 500ms ✓ 東京');
  });

  it('gives what every replacement gives, for texts with and without controls', () => {
    const pieces = ['a', 'Z', ' ', '  ', '\t', '\n', '\r', '\u000B', '\u00A0', '\u2028', '\u3000', '\uFEFF', '\u001B', '\u001B[1m', '\u001B]8;;x\u0007', '\u001BP', '\u009B', '\u009D', '\u0085', '\u007F', '\u202E', '\u2066', '\u200B', '—', '✓', '東', '😀', '[', ']', ';', '\\', '\u0007'];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = next() % 12;
      for (let i = 0; i < length; i++) text += pieces[next() % pieces.length];
      expect(sanitizeText(text), JSON.stringify(text)).toBe(fullText(text));
      expect(sanitizeLine(text), JSON.stringify(text)).toBe(fullLine(text));
      expect(sanitizeLine(text, 4), JSON.stringify(text)).toBe(fullLine(text, 4));
    }
  });
});
