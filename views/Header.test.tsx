import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { consoleScreens, lines, SIZES } from './testing/console.js';
import { fitHeader } from './Header.js';

const screens = consoleScreens();

describe('the header says who acts', () => {
  for (const [columns, rows] of SIZES) {
    it(`as a person of the config (${columns}×${rows})`, async () => {
      const { r } = await screens.open({ actor: 'suno' }, columns, rows);
      const top = lines(r.frame())[0]!;
      expect(top).toContain('as suno');
      expect(top).not.toContain('not in people');
      expect(stringWidth(top)).toBeLessThanOrEqual(columns);
    });

    it(`flags a name that is not in people (${columns}×${rows})`, async () => {
      const { r } = await screens.open({ actor: 'root' }, columns, rows);
      const top = lines(r.frame())[0]!;
      expect(top).toMatch(/as root ⚠ not in people \d\d:\d\d:\d\d$/);
      expect(stringWidth(top)).toBeLessThanOrEqual(columns);
    });
  }

  it('drops the poller, then the last poll, then shortens the project before "as NAME"', () => {
    const parts = {
      project: 'Hotel integration',
      alarm: '',
      optional: ['poller: console operator@build-host-17.example pid 123456', 'last poll 12s ago'],
      mode: 'as luna',
      flag: '',
    };
    const total = (f: ReturnType<typeof fitHeader>) => stringWidth(f.left) + 2 + stringWidth(f.muted + f.mode + f.flag) + 9;
    const wide = fitHeader(200, parts);
    expect(wide.muted).toBe('poller: console operator@build-host-17.example pid 123456 · last poll 12s ago · ');
    const at80 = fitHeader(80, parts);
    expect(at80).toEqual({ left: 'imos · Hotel integration', muted: 'last poll 12s ago · ', mode: 'as luna', flag: '' });
    const long = { ...parts, mode: 'as a-rather-long-name', flag: '⚠ not in people' };
    const at60 = fitHeader(60, long);
    expect(at60.muted).toBe('');
    expect(at60.mode + at60.flag).toBe('as a-rather-long-name ⚠ not in people');
    expect(total(at60)).toBeLessThanOrEqual(60);
    const at50 = fitHeader(50, long);
    expect(stringWidth(at50.left)).toBeLessThan(stringWidth('imos · Hotel integration'));
    expect(at50.mode + at50.flag).toBe('as a-rather-long-name ⚠ not in people');
    expect(total(at50)).toBeLessThanOrEqual(50);
  });
});
