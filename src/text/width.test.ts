import { describe, expect, it } from 'vitest';
import { table } from '../cli/format.js';
import stringWidth from 'string-width';
import { displayWidth } from './width.js';
import { CPU_BOUND_MS } from '../../test/helpers/bounds.js';

describe('displayWidth', () => {
  it('counts cells: ASCII one each, CJK and emoji two', () => {
    expect(displayWidth('api-4242 ok')).toBe(11);
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('会員API')).toBe(7);
    expect(displayWidth('ok ✅')).toBe(5);
  });

  it('agrees with string-width on every character up to U+2FFF, alone and in a long text', () => {
    const differ: string[] = [];
    for (let code = 0x20; code <= 0x2fff; code++) {
      const ch = String.fromCodePoint(code);
      for (const text of [ch, `${ch} in a message longer than the short ones`]) {
        if (displayWidth(text) !== stringWidth(text)) differ.push(`U+${code.toString(16)}`);
      }
    }
    expect(differ).toEqual([]);
  }, CPU_BOUND_MS);

  it('aligns table columns by cells, not characters', () => {
    const lines = table(['ID', 'NAME', 'STATUS'], [['a', '会員', 'ok'], ['bb', 'members', 'HIGH']]).split('\n');
    const statusAt = lines.map((line) => displayWidth(line.slice(0, line.lastIndexOf(line.endsWith('ok') ? 'ok' : line.endsWith('HIGH') ? 'HIGH' : 'STATUS'))));
    expect(new Set(statusAt).size).toBe(1);
  });
});
