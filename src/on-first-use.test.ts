import { describe, expect, it } from 'vitest';
import { onFirstUse } from './on-first-use.js';

describe('a package loaded on first use', () => {
  it('is not loaded when declared, loaded on the first call, and only then', () => {
    type WrapAnsi = (text: string, columns: number, options: { hard: boolean }) => string;
    const loads: unknown[] = [];
    const wrap = onFirstUse('wrap-ansi', (module: { default: WrapAnsi }) => {
      loads.push(module);
      return module.default;
    });
    expect(loads).toEqual([]);
    // An ES module package, required synchronously.
    expect(wrap()('one two', 3, { hard: true })).toBe('one\ntwo');
    expect(wrap()).toBe(wrap());
    expect(loads).toHaveLength(1);
  });

  it('says which package is missing when it cannot be loaded', () => {
    const missing = onFirstUse('imos-no-such-package', (module: unknown) => module);
    expect(() => missing()).toThrow(/imos-no-such-package/);
  });
});
